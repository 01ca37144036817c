"""Graphs as Oxigraph holds them: the reference graphs (ontology and gazetteer) every store and
workspace carries, and one named graph written out as N-Triples or as sorted N-Quads.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from peelgraph import gazetteer
from peelgraph.rdf.to_rdf import gazetteer_graph
from peelgraph.rdf.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH

REFERENCE_GRAPHS = (str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH))


@cache
def reference_ntriples() -> dict[str, str]:
    """The ontology and gazetteer graphs by name, as N-Triples in the form Oxigraph stores them."""
    graphs = {str(ONTOLOGY_GRAPH): gazetteer.ontology(), str(GAZETTEER_GRAPH): gazetteer_graph()}
    held = ox.Store()
    for name in REFERENCE_GRAPHS:
        held.load(
            graphs[name].serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name)
        )
    return {name: "".join(sorted(graph_ntriples(held, name).splitlines(keepends=True))) for name in REFERENCE_GRAPHS}


@cache
def reference_nquads() -> bytes:
    """The ontology and gazetteer graphs as N-Quads."""
    held = ox.Store()
    for name, ntriples in reference_ntriples().items():
        held.load(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    return b"".join(graph_nquads(held, name) for name in REFERENCE_GRAPHS)


def canonical_nquads(name: str, ntriples: str) -> bytes:
    """A graph given as N-Triples, as N-Quads the way the store writes them (Oxigraph stores some
    literals in canonical form, "01"^^xsd:integer as "1")."""
    graph = ox.Store()
    graph.load(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    return graph_nquads(graph, name)


def graph_nquads(store: ox.Store, name: str) -> bytes:
    """One graph of an Oxigraph store as N-Quads, a quad a line, lines sorted: the same bytes
    whatever order the store's indexes hold them in."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(name))
    return sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def graph_ntriples(store: ox.Store, name: str) -> str:
    """One graph of an Oxigraph store as N-Triples."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(name))
    return (ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def sorted_lines(data: bytes | None) -> bytes:
    return b"".join(sorted((data or b"").splitlines(keepends=True)))
