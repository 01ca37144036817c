"""Stage 7: the graph store. One named graph per article (named by the article's IRI), plus the
ontology and the gazetteer in graphs of their own; queries see the union of them all.

Default: an embedded Oxigraph store on disk. Without a location: in memory (tests, eval).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
from rdflib import Graph

from peelgraph import gazetteer
from peelgraph.errors import QueryError, StoreError
from peelgraph.to_rdf import gazetteer_graph
from peelgraph.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH

REFERENCE_GRAPHS = (str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH))


def _ntriples(graph: Graph) -> str:
    return graph.serialize(format="nt")


class Store:
    """A graph store of article graphs. Use as a context manager, or call close()."""

    def __init__(self, location: str | Path | None = None, read_only: bool = False):
        self.location = str(location) if location else None
        self.read_only = read_only
        try:
            if location is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(location))
            else:
                Path(location).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(location))
        except OSError as error:
            raise StoreError(f"{location}: cannot open the store: {_first_line(error)}") from error

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.location and not self.read_only and self._store is not None:
            self._store.flush()
        self._store = None

    # writing ---------------------------------------------------------------------------------
    def replace_graph(self, name: str, graph: Graph) -> None:
        """Replace one named graph with these triples, atomically: all or nothing is stored."""
        self.replace_graph_data(name, _ntriples(graph))

    def replace_graph_data(self, name: str, ntriples: str) -> None:
        """Replace one named graph with triples given as N-Triples, in one transaction."""
        update = f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{ntriples}\n}} }}"
        try:
            self._store.update(update)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{self.location or 'memory store'}: cannot write graph {name}: {_first_line(error)}") from error

    def ensure_reference(self) -> None:
        """Store the ontology and gazetteer so queries can use labels, ranks and identifiers."""
        self.replace_graph(str(ONTOLOGY_GRAPH), gazetteer.ontology())
        self.replace_graph(str(GAZETTEER_GRAPH), gazetteer_graph())

    def remove_graph(self, name: str) -> None:
        self._store.update(f"DROP SILENT GRAPH <{name}>")

    # reading ---------------------------------------------------------------------------------
    def query(self, sparql: str):
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {_first_line(error)}") from error
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"query failed: {_first_line(error)}") from error

    def query_articles(self, sparql: str):
        """A query whose default graph is the article graphs and the ontology (not the gazetteer)."""
        graphs = [ox.NamedNode(g) for g in self.article_graphs()] + [ox.NamedNode(str(ONTOLOGY_GRAPH))]
        try:
            return self._store.query(sparql, default_graph=graphs)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {_first_line(error)}") from error

    def triple_count(self) -> int:
        """Triples in the article graphs (counted per graph)."""
        reference = ", ".join(f"<{g}>" for g in REFERENCE_GRAPHS)
        rows = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({reference})) }}")
        return int(next(iter(rows))["n"].value)

    def article_graphs(self) -> list[str]:
        return sorted(
            g.value for g in self._store.named_graphs() if g.value not in REFERENCE_GRAPHS
        )

    def graph(self, name: str) -> Graph:
        """One named graph as an rdflib Graph."""
        quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))
        data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def article_union(self) -> Graph:
        """Every article graph merged into one rdflib Graph."""
        merged = Graph()
        for name in self.article_graphs():
            merged += self.graph(name)
        return merged

    def quads(self, include_reference: bool = False) -> Iterator[ox.Quad]:
        """Every quad of the article graphs (and the reference graphs when asked), sorted for stable output."""
        names = self.article_graphs() + (list(REFERENCE_GRAPHS) if include_reference else [])
        for name in names:
            yield from sorted(self._store.quads_for_pattern(None, None, None, ox.NamedNode(name)), key=str)

    def __len__(self) -> int:
        return self.triple_count()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
