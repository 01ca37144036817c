"""Stage 7: the graph store. One named graph per article (named by the article's IRI), plus the
ontology and the gazetteer in graphs of their own; queries see the union of them all.

Default: an embedded Oxigraph store on disk. Without a location: in memory (tests, eval).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
from rdflib import Graph

from peelgraph import gazetteer
from peelgraph.errors import QueryError, StoreError
from peelgraph.rdf.to_rdf import gazetteer_graph
from peelgraph.rdf.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH

REFERENCE_GRAPHS = (str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH))
FLUSH_EVERY = 100  # article graphs written between flushes of an on-disk store
# New article graphs an on-disk store takes in one bulk load. Oxigraph spends about 40 ms of CPU a
# graph writing a transaction per graph into a store of thousands of articles (indexes and their
# compaction). A bulk load costs about 10 ms a graph, but each one adds tables that RocksDB merges
# into the store's in the background, more often the smaller the loads: adding 3,000 articles to a
# store of 10,000 cost 16 ms of CPU an article in loads of 50, with 16 s of merging left at the
# close, and about 12 ms in loads of 250 to 1,000 (benchmarks/batches.py). On two cores the writer
# shares them with the extraction workers. A batch waits in memory as N-Quads (0.3 MB an article).
BATCH = 500
# The names of new graphs being bulk-loaded, which is not a transaction: a load cut short is undone
# when the store is next opened for writing.
PENDING = "peelgraph-pending"
# Files kept beside an on-disk store's own (RocksDB ignores what it did not create), one per article
# graph and kind: "nquads" (the graph as N-Quads, which export copies: Oxigraph decodes about 170k
# quads/s from disk) and the graph's answers to the listing queries (see answers.py).
KEPT = "peelgraph-kept"
NQUADS = "nquads"
# A token that changes after every change of the store's graphs, and answers merged over the whole
# store, each filed with the token it was merged at: they hold for as long as the token does.
GENERATION = "generation"
MERGED = "merged"


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
            if "lock" in str(error).lower():
                raise StoreError(
                    f"{location}: the store is in use by another peelgraph process writing to it; "
                    "wait for it to finish (queries can run meanwhile)"
                ) from error
            raise StoreError(f"{location}: cannot open the store: {_first_line(error)}") from error
        if location is not None and not read_only:
            self._undo_pending()

    @property
    def keeps_files(self) -> bool:
        """Whether this store keeps files beside its graphs (kept answers, the generation token,
        the bulk-load journal): an on-disk store does; one in memory and a server do not."""
        return self.location is not None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        written = getattr(self, "_written", False)
        if self.location and not self.read_only and self._store is not None:
            self._store.flush()
        self._store = None
        if written and self.location:
            # Oxigraph keeps what was written by transactions in its log files until the store is
            # opened again; opening it once here folds them into tables (about a third of the size).
            # A full compaction (optimize) would also rewrite every table: 25 s at 10,000 articles,
            # for no gain in size, and RocksDB compacts in the background as it needs to.
            gc.collect()
            ox.Store(self.location)
            gc.collect()

    # writing ---------------------------------------------------------------------------------
    def replace_graph(self, name: str, graph: Graph) -> None:
        """Replace one named graph with these triples, atomically: all or nothing is stored."""
        self.replace_graph_data(name, _ntriples(graph))

    def replace_graph_data(self, name: str, ntriples: str, kept: dict[str, bytes] | None = None) -> None:
        """Replace one named graph with triples given as N-Triples, in one transaction. kept: files
        to keep beside the graph, by kind (the extraction worker makes them: answers.of_held); the
        graph's N-Quads are made here when not given."""
        self._written = True
        self._writes = getattr(self, "_writes", 0) + 1
        update = f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{ntriples}\n}} }}"
        try:
            self._forget(name)  # before the graph changes, written after: never older than the graph
            self._store.update(update)
            if self.location:
                self.keep(name, files_to_keep(name, ntriples, kept))
            if self.location and self._writes % FLUSH_EVERY == 0:
                self._store.flush()  # keeps the write buffers, and so memory, bounded on long runs
            self.changed()
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(
                f"{self.location or 'memory store'}: cannot write graph {name}: {_first_line(error)}"
            ) from error

    def has_graph(self, name: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(name))

    def add_graphs(self, files: dict[str, dict[str, bytes]]) -> None:
        """Add article graphs that are not in the on-disk store yet, in one bulk load (see BATCH):
        by graph name, the files to keep beside each (files_to_keep), whose N-Quads are loaded."""
        self._written = True
        journal = Path(self.location) / PENDING
        try:
            self._write_whole(journal, "\n".join(files).encode("utf-8"))
            self._store.bulk_load(b"".join(kept[NQUADS] for kept in files.values()), ox.RdfFormat.N_QUADS)
            for name, kept in files.items():
                self.keep(name, kept)
            self.changed()
            journal.unlink()
        except (OSError, SyntaxError, ValueError) as error:
            with contextlib.suppress(OSError, SyntaxError, ValueError):
                self._undo_pending()
            raise StoreError(f"{self.location}: cannot add {len(files)} graph(s): {_first_line(error)}") from error

    def _undo_pending(self) -> None:
        """Take out the graphs of a bulk load that was cut short: they were all new to the store."""
        journal = Path(self.location) / PENDING
        if not journal.exists():
            return
        for name in journal.read_text(encoding="utf-8").split():
            self._forget(name)
            self._store.update(f"DROP SILENT GRAPH <{name}>")
        self.changed()
        journal.unlink()

    # kept files ------------------------------------------------------------------------------
    def kept(self, kind: str, name: str) -> bytes | None:
        """The file of this kind kept for this graph, if the on-disk store has it."""
        if not self.keeps_files:
            return None
        try:
            with open(self._kept_path(kind, name), "rb") as kept:
                return kept.read()
        except FileNotFoundError:
            return None

    def _kept_path(self, kind: str, name: str) -> str:
        return os.path.join(self.location, KEPT, kind, hashlib.sha256(name.encode()).hexdigest()[:32])

    def keep(self, name: str, files: dict[str, bytes]) -> None:
        """Keep these files (by kind) beside a graph of an on-disk store; each replaces its old one
        whole."""
        for kind, data in files.items():
            self._write_whole(Path(self._kept_path(kind, name)), data)

    def changed(self) -> None:
        """Mark the store's graphs as changed: answers merged before now no longer hold."""
        if self.keeps_files:
            self._write_whole(Path(self.location) / KEPT / GENERATION, uuid.uuid4().hex.encode())

    def generation(self) -> str | None:
        """The token of the graphs' present state (None for stores that keep nothing)."""
        if not self.keeps_files:
            return None
        try:
            return (Path(self.location) / KEPT / GENERATION).read_text(encoding="ascii")
        except OSError:
            return None

    def merged(self, kind: str, token: str) -> bytes | None:
        """Answers of this kind merged over the whole store when the graphs' token was this one."""
        kept = self.kept(MERGED, kind)
        if kept is None:
            return None
        filed, _, answers = kept.partition(b"\n")
        return answers if filed.decode("ascii", "replace") == token else None

    def keep_merged(self, kind: str, token: str, answers: bytes) -> None:
        """File answers merged over the whole store at this token; a store that cannot be written
        to (opened read-only from a read-only folder, say) just merges again next time."""
        with contextlib.suppress(OSError):
            self._write_whole(Path(self._kept_path(MERGED, kind)), token.encode("ascii") + b"\n" + answers)

    @staticmethod
    def _write_whole(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)

    def _forget(self, name: str) -> None:
        if not self.location or not (Path(self.location) / KEPT).is_dir():
            return
        for kind in os.scandir(Path(self.location) / KEPT):
            if kind.is_dir() and kind.name != MERGED:
                Path(self._kept_path(kind.name, name)).unlink(missing_ok=True)

    def ensure_reference(self) -> None:
        """Store the ontology and gazetteer so queries can use labels, ranks and identifiers."""
        self.replace_graph(str(ONTOLOGY_GRAPH), gazetteer.ontology())
        self.replace_graph(str(GAZETTEER_GRAPH), gazetteer_graph())

    def remove_graph(self, name: str) -> None:
        self._forget(name)
        self._store.update(f"DROP SILENT GRAPH <{name}>")
        self.changed()

    def update(self, sparql: str) -> None:
        """A SPARQL Update, applied whole or not at all."""
        self._written = True
        if self.location:  # an update may touch any graph: nothing kept can be trusted after it
            shutil.rmtree(Path(self.location) / KEPT, ignore_errors=True)
        try:
            self._store.update(sparql)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {_first_line(error)}") from error
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"update failed: {_first_line(error)}") from error

    # reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, substitutions: dict | None = None):
        """A query over the union of all graphs; substitutions binds variables to terms first."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None)
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
        """Triples in the article graphs (counted per graph): every quad, less the reference graphs'."""
        reference = sum(
            1 for g in REFERENCE_GRAPHS for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        )
        default = sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return len(self._store) - reference - default

    def article_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if g.value not in REFERENCE_GRAPHS)

    def ntriples(self, name: str) -> str:
        """One named graph as N-Triples."""
        return graph_ntriples(self._store, name)

    def graph(self, name: str) -> Graph:
        """One named graph as an rdflib Graph."""
        return Graph().parse(data=self.ntriples(name), format="nt")

    def article_union(self) -> Graph:
        """Every article graph merged into one rdflib Graph."""
        merged = Graph()
        for name in self.article_graphs():
            merged += self.graph(name)
        return merged

    def quads(self, include_reference: bool = False) -> Iterator[ox.Quad]:
        """Every quad of the article graphs (and the reference graphs when asked): graphs in name
        order, quads in the store's index order, which depends only on the data, so exports are
        stable and diff cleanly."""
        for name in self._names(include_reference):
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def nquads(self, include_reference: bool = False) -> Iterator[bytes]:
        """The N-Quads of quads(), one graph at a time, lines sorted: copied from the on-disk store's
        N-Quads of each graph where it has them, serialised from the store where not."""
        for name in self._names(include_reference):
            kept = self.kept(NQUADS, name)
            yield kept if kept is not None else graph_nquads(self._store, name)

    def _names(self, include_reference: bool) -> list[str]:
        return self.article_graphs() + (list(REFERENCE_GRAPHS) if include_reference else [])

    def __len__(self) -> int:
        return self.triple_count()


class Writer:
    """Writes article graphs in the order given and hands back each one's tag once it is stored.
    An on-disk store takes graphs new to it `batch` at a time (Store.add_graphs); a graph it already
    holds is replaced in a transaction of its own, after the graphs before it."""

    def __init__(self, store: Store, batch: int = BATCH):
        self.store = store
        self.batch = batch if store.keeps_files else 1
        self.waiting: list = []  # tags in input order, with the graph each brings, if any
        self.new: dict[str, dict[str, bytes]] = {}  # new graphs' files to keep (the N-Quads suffice), by name

    def write(self, tag, name: str | None = None, ntriples: str | None = None, kept: dict | None = None) -> list:
        """Store this graph (or nothing, for a tag without one); the tags now stored, in order."""
        if name is None or ntriples is None:
            if not self.new:  # nothing waits before it
                return [tag]
            self.waiting.append(tag)
            return []
        if self.batch <= 1 or name in self.new or self.store.has_graph(name):
            done = self.flush()
            self.store.replace_graph_data(name, ntriples, kept)
            return done + [tag]
        self.waiting.append(tag)
        self.new[name] = files_to_keep(name, ntriples, kept)
        return self.flush() if len(self.new) >= self.batch else []

    def flush(self) -> list:
        """Store what is waiting; its tags, in order."""
        if self.new:
            self.store.add_graphs(self.new)
        done, self.waiting, self.new = self.waiting, [], {}
        return done


def files_to_keep(name: str, ntriples: str, kept: dict[str, bytes] | None) -> dict[str, bytes]:
    """The files to keep beside a graph: those given (answers.of_held), with the graph's N-Quads
    made from its N-Triples when they are not among them."""
    if kept and NQUADS in kept:
        return kept
    return {**(kept or {}), NQUADS: canonical_nquads(name, ntriples)}


def canonical_nquads(name: str, ntriples: str) -> bytes:
    """The graph's N-Quads as the store writes them (Oxigraph stores some literals in canonical
    form, "01"^^xsd:integer as "1")."""
    graph = ox.Store()
    graph.load(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    return graph_nquads(graph, name)


def graph_nquads(store: ox.Store, name: str) -> bytes:
    """One graph of an Oxigraph store as N-Quads, a quad a line, lines sorted: the same bytes
    whatever order the store's indexes hold them in."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(name))
    return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def graph_ntriples(store: ox.Store, name: str) -> str:
    """One graph of an Oxigraph store as N-Triples."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(name))
    return (ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _sorted_lines(nquads: bytes | None) -> bytes:
    return b"".join(sorted((nquads or b"").splitlines(keepends=True)))


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class _Solutions:
    """SPARQL JSON results as rows of Oxigraph terms, so remote and local results read alike."""

    def __init__(self, data: dict):
        self.variables = [ox.Variable(v) for v in data["head"]["vars"]]
        self._rows = [{k: _term(v) for k, v in binding.items()} for binding in data["results"]["bindings"]]

    def __iter__(self):
        names = [v.value for v in self.variables]
        return (_Row(row, names) for row in self._rows)


class _Row:
    """One solution: its values by variable name or in variable order, as Oxigraph's are."""

    def __init__(self, values: dict, names: list[str]):
        self._values, self._names = values, names

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._values.get(self._names[key])
        return self._values.get(key.value if isinstance(key, ox.Variable) else key)

    def __iter__(self):
        return (self._values.get(name) for name in self._names)

    def __len__(self) -> int:
        return len(self._names)


def _term(binding: dict):
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


class RemoteStore(Store):
    """A SPARQL 1.1 server: the Graph Store Protocol for article graphs (one PUT per article, which
    the server applies whole or not at all), the SPARQL Protocol for queries and updates.

    Endpoints default to Oxigraph server's (BASE/query, BASE/update, BASE/store); set
    PEELGRAPH_SPARQL_QUERY, PEELGRAPH_SPARQL_UPDATE and PEELGRAPH_SPARQL_GSP for other servers
    (Fuseki: BASE/DATASET/query, /update, /data). Named queries expect the server's default graph to
    be the union of its named graphs (Oxigraph: --union-default-graph; Fuseki: unionDefaultGraph).
    """

    TIMEOUT = 120

    def __init__(self, location: str, read_only: bool = False):
        base = location.rstrip("/")
        self.location = location
        self.read_only = read_only
        self._store = None
        self.query_url = os.environ.get("PEELGRAPH_SPARQL_QUERY", base + "/query")
        self.update_url = os.environ.get("PEELGRAPH_SPARQL_UPDATE", base + "/update")
        self.gsp_url = os.environ.get("PEELGRAPH_SPARQL_GSP", base + "/store")
        self._request(
            "GET", self.query_url + "?" + urlencode({"query": "ASK {}"}), accept="application/sparql-results+json"
        )

    def close(self) -> None:
        pass

    keeps_files = False

    def _request(
        self,
        method: str,
        url: str,
        data: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
    ) -> bytes:
        request = Request(url, data=data, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        try:
            with urlopen(request, timeout=self.TIMEOUT) as response:
                return response.read()
        except HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(
                f"{self.location}: the SPARQL server answered {error.code} {error.reason}: {detail[0] if detail else ''}"
            ) from error
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"{self.location}: cannot reach the SPARQL server: {reason}") from error

    def _sparql(self, sparql: str, default_graphs: list[str] | None = None):
        form = [("query", sparql)] + [("default-graph-uri", g) for g in default_graphs or ()]
        body = self._request(
            "POST",
            self.query_url,
            urlencode(form).encode(),
            "application/x-www-form-urlencoded",
            "application/sparql-results+json",
        )
        data = json.loads(body)
        return data["boolean"] if "boolean" in data else _Solutions(data)

    def replace_graph_data(self, name: str, ntriples: str, kept: dict[str, bytes] | None = None) -> None:
        self._request(
            "PUT", self.gsp_url + "?" + urlencode({"graph": name}), ntriples.encode("utf-8"), "application/n-triples"
        )

    def remove_graph(self, name: str) -> None:
        self._request(
            "POST",
            self.update_url,
            urlencode({"update": f"DROP SILENT GRAPH <{name}>"}).encode(),
            "application/x-www-form-urlencoded",
        )

    def query(self, sparql: str, substitutions: dict | None = None):
        return self._sparql(sparql)  # a server cannot be asked to bind variables: the caller filters

    def update(self, sparql: str) -> None:
        self._request(
            "POST", self.update_url, urlencode({"update": sparql}).encode(), "application/x-www-form-urlencoded"
        )

    def query_articles(self, sparql: str):
        return self._sparql(sparql, self.article_graphs() + [str(ONTOLOGY_GRAPH)])

    def article_graphs(self) -> list[str]:
        rows = self._sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"].value for r in rows if r["g"].value not in REFERENCE_GRAPHS)

    def triple_count(self) -> int:
        reference = ", ".join(f"<{g}>" for g in REFERENCE_GRAPHS)
        rows = self._sparql(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({reference})) }}"
        )
        return int(next(iter(rows))["n"].value)

    def _graph_quads(self, name: str) -> list[ox.Quad]:
        data = self._request("GET", self.gsp_url + "?" + urlencode({"graph": name}), accept="application/n-triples")
        return [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
            for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)
        ]

    def graph(self, name: str) -> Graph:
        data = self._request("GET", self.gsp_url + "?" + urlencode({"graph": name}), accept="application/n-triples")
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def quads(self, include_reference: bool = False) -> Iterator[ox.Quad]:
        for name in self._names(include_reference):
            yield from sorted(self._graph_quads(name), key=str)

    def nquads(self, include_reference: bool = False) -> Iterator[bytes]:
        for name in self._names(include_reference):
            yield _sorted_lines(ox.serialize(self._graph_quads(name), format=ox.RdfFormat.N_QUADS))


def open_store(location: str | Path | None, read_only: bool = False) -> Store:
    """A local Oxigraph store for a path (or memory for None), a RemoteStore for an http(s) URL."""
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        return RemoteStore(location, read_only)
    return Store(location, read_only)
