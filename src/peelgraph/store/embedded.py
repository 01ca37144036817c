"""The embedded store: Oxigraph on disk (a directory) or in memory (tests, eval).

One named graph per article, named by the article's IRI, and the ontology and gazetteer in graphs
of their own; queries see the union of them all. The default graph holds bookkeeping only (vocab
KEPT): each article graph's answers to the named queries, written in the same transaction as the
graph, and the digest of what they were worked out with (see answers.py). Queries over named
graphs (`GRAPH ?g { ... }`, as every named query is written) never see it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from peelgraph.errors import QueryError, StoreError
from peelgraph.files import write_atomically
from peelgraph.rdf.graphs import REFERENCE_GRAPHS, graph_ntriples, reference_ntriples, sorted_lines
from peelgraph.rdf.vocab import KEPT, MERGED_ANSWERS, STORE_STATE
from peelgraph.store.base import Listing

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
# Where peelgraph 0.1 kept files beside the store: removed once the store's answers are kept inside it.
LEGACY_FILES = "peelgraph-kept"

_DIGEST = ox.NamedNode(str(KEPT.answersDigest))
_STATE = ox.NamedNode(str(STORE_STATE))
_MERGED = ox.NamedNode(str(MERGED_ANSWERS))
# Every write drops the answers merged over the whole store, in its own transaction.
_DROP_MERGED = f"DELETE WHERE {{ <{MERGED_ANSWERS}> ?query ?rows }} ;\n"


def _create(location: Path) -> None:
    """Make a new on-disk store whole or not at all. RocksDB sets a store up in several files, and a
    store killed halfway cannot be opened read-only ("column family not found"), so it is made in a
    folder beside its place and moved in with one rename. A folder left by a creator that was
    killed is removed; where a store or a folder with files already is, nothing is done."""
    if location.exists() and any(location.iterdir()):
        return
    location.parent.mkdir(parents=True, exist_ok=True)
    for left in location.parent.glob(f".{location.name}.new-*"):
        if not _alive(left.name.rpartition("-")[2]):
            shutil.rmtree(left, ignore_errors=True)
    scratch = location.parent / f".{location.name}.new-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    made = ox.Store(str(scratch))
    made.flush()
    del made
    gc.collect()
    try:
        os.rename(scratch, location)  # replaces an empty folder; fails if another process was first
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


class EmbeddedStore(Listing):
    """An Oxigraph store of article graphs. Use as a context manager, or call close()."""

    keeps_answers = True

    def __init__(self, location: str | Path | None = None, read_only: bool = False):
        self.location = str(location) if location else None
        self.read_only = read_only
        self._written = False
        self._writes = 0
        try:
            if location is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(location))
            else:
                _create(Path(location))
                self._store = ox.Store(str(location))
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreError(
                    f"{location}: the store is in use by another peelgraph process writing to it; "
                    "wait for it to finish (queries can run meanwhile)"
                ) from error
            raise StoreError(f"{location}: cannot open the store: {first_line(error)}") from error
        if location is not None and not read_only:
            self._undo_pending()

    @property
    def bulk_loads(self) -> bool:
        """Whether new graphs are best added many at a time (add_graphs): on disk, yes."""
        return self.location is not None

    @property
    def legacy_files(self) -> Path | None:
        """The folder of files an older peelgraph kept beside this store, if there is one."""
        folder = Path(self.location) / LEGACY_FILES if self.location else None
        return folder if folder and folder.is_dir() else None

    def remove_legacy_files(self) -> None:
        if self.legacy_files and not self.read_only:
            shutil.rmtree(self.legacy_files, ignore_errors=True)

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
            return
        with contextlib.suppress(Exception):  # the error on its way out (a full disk...) is the one to tell
            self.close()

    def close(self) -> None:
        if self._store is None:
            return
        if self.location and not self.read_only:
            try:
                self._store.flush()
            except OSError as error:
                self._store = None
                raise StoreError(f"{self.location}: cannot write the store to disk: {first_line(error)}") from error
        self._store = None
        if self._written and self.location:
            # Oxigraph keeps what was written by transactions in its log files until the store is
            # opened again; opening it once here folds them into tables (about a third of the size).
            # A full compaction (optimize) would also rewrite every table: 25 s at 10,000 articles,
            # for no gain in size, and RocksDB compacts in the background as it needs to.
            gc.collect()
            ox.Store(self.location)
            gc.collect()

    # writing ---------------------------------------------------------------------------------
    def replace_graph(self, name: str, graph: Graph, answers: dict[str, str] | None = None) -> None:
        """Replace one named graph with these triples, atomically: all or nothing is stored."""
        self.replace_graph_data(name, graph.serialize(format="nt"), answers)

    def replace_graph_data(self, name: str, ntriples: str, answers: dict[str, str] | None = None) -> None:
        """Replace one named graph (given as N-Triples) and its kept answers in one transaction."""
        update = (
            f"DROP SILENT GRAPH <{name}> ;\nDELETE WHERE {{ <{name}> ?kept ?answer }} ;\n"
            f"INSERT DATA {{ GRAPH <{name}> {{\n{ntriples}\n}}\n{_answer_triples(name, answers)} }}"
        )
        self._write(update, f"cannot write graph {name}")
        if self.location and self._writes % FLUSH_EVERY == 0:
            self._store.flush()  # keeps the write buffers, and so memory, bounded on long runs

    def add_graphs(self, graphs: dict[str, tuple[str, dict[str, str] | None]]) -> None:
        """Add article graphs new to an on-disk store, with their answers, in one bulk load (see
        BATCH): by graph name, its N-Triples and answers. A load cut short is undone at the next
        writable open (PENDING)."""
        self._written = True
        journal = Path(self.location) / PENDING
        data = b"".join(
            (_as_nquads(name, ntriples) + _answer_triples(name, kept)).encode("utf-8")
            for name, (ntriples, kept) in graphs.items()
        )
        try:
            self._write("", "cannot drop the merged answers")  # a bulk load is no transaction to do it in
            write_atomically(journal, "\n".join(graphs).encode("utf-8"))
            self._store.bulk_load(data, ox.RdfFormat.N_QUADS)
            journal.unlink()
        except (OSError, SyntaxError, ValueError) as error:
            try:
                self._undo_pending()
            except (OSError, SyntaxError, ValueError):
                pass
            raise StoreError(f"{self.location}: cannot add {len(graphs)} graph(s): {first_line(error)}") from error

    def _undo_pending(self) -> None:
        """Take out the graphs of a bulk load that was cut short: they were all new to the store."""
        journal = Path(self.location) / PENDING
        if not journal.exists():
            return
        for name in journal.read_text(encoding="utf-8").split():
            self.remove_graph(name)
        journal.unlink()

    def remove_graph(self, name: str) -> None:
        self._write(f"DROP SILENT GRAPH <{name}> ;\nDELETE WHERE {{ <{name}> ?kept ?answer }}", f"cannot remove {name}")

    def has_graph(self, name: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(name))

    def ensure_reference(self) -> None:
        """Store the ontology and gazetteer (as this version has them) so queries can use labels,
        ranks and identifiers; both replaced in one transaction."""
        graphs = reference_ntriples()
        drop = "".join(f"DROP SILENT GRAPH <{name}> ;\n" for name in graphs)
        insert = "".join(f"GRAPH <{name}> {{\n{ntriples}}}\n" for name, ntriples in graphs.items())
        self._write(f"{drop}INSERT DATA {{\n{insert}}}", "cannot replace the reference graphs")

    def update(self, sparql: str) -> None:
        """A SPARQL Update, applied whole or not at all. The kept answers are marked out of date
        first (an update may change any graph), so a failure between the two costs speed, not truth."""
        self.keep_answers_digest(None)
        self._written = True
        try:
            self._store.update(sparql)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {first_line(error)}") from error
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"update failed: {first_line(error)}") from error

    def _write(self, update: str, failure: str, drop_merged: bool = True) -> None:
        self._written = True
        self._writes += 1
        try:
            self._store.update((_DROP_MERGED if drop_merged else "") + update)
        except (OSError, SyntaxError, ValueError, RuntimeError) as error:
            raise StoreError(f"{self.location or 'memory store'}: {failure}: {first_line(error)}") from error

    # kept answers ----------------------------------------------------------------------------
    def keep_answers(self, name: str, answers: dict[str, str]) -> None:
        """Replace the answers kept for one article graph."""
        update = f"DELETE WHERE {{ <{name}> ?kept ?answer }} ;\nINSERT DATA {{ {_answer_triples(name, answers)} }}"
        self._write(update, f"cannot keep the answers of {name}")

    def kept_answers(self, query: str) -> dict[str, str]:
        """Each article graph's kept answer to one named query, by graph name."""
        predicate = ox.NamedNode(str(KEPT[query]))
        return {
            q.subject.value: q.object.value
            for q in self._store.quads_for_pattern(None, predicate, None, ox.DefaultGraph())
            if q.subject != _MERGED
        }

    def answers_digest(self) -> str | None:
        """The digest of what the kept answers were worked out with (answers.digest)."""
        found = next(self._store.quads_for_pattern(_STATE, _DIGEST, None, ox.DefaultGraph()), None)
        return found.object.value if found else None

    def keep_answers_digest(self, digest: str | None) -> None:
        insert = f'INSERT DATA {{ <{STORE_STATE}> <{KEPT.answersDigest}> "{digest}" }}' if digest else ""
        self._write(
            f"DELETE WHERE {{ <{STORE_STATE}> <{KEPT.answersDigest}> ?digest }} ;\n{insert}", "cannot mark answers"
        )

    def merged_answers(self, query: str) -> str | None:
        """A query's answer merged over the whole store, if kept since the last write."""
        found = next(
            self._store.quads_for_pattern(_MERGED, ox.NamedNode(str(KEPT[query])), None, ox.DefaultGraph()), None
        )
        return found.object.value if found else None

    def keep_merged_answers(self, tables: dict[str, str]) -> None:
        rows = "".join(f"<{MERGED_ANSWERS}> <{KEPT[query]}> {ox.Literal(table)} .\n" for query, table in tables.items())
        self._write(f"{_DROP_MERGED}INSERT DATA {{ {rows} }}", "cannot keep the merged answers", drop_merged=False)

    # reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, substitutions: dict | None = None):
        """A query over the union of all graphs; substitutions binds variables to terms first."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {first_line(error)}") from error
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(f"query failed: {first_line(error)}") from error

    def article_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if g.value not in REFERENCE_GRAPHS)

    def triple_count(self) -> int:
        """Triples in the article graphs (counted per graph): every quad, less the reference graphs'
        and the bookkeeping in the default graph."""
        reference = sum(
            1 for g in REFERENCE_GRAPHS for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        )
        default = sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return len(self._store) - reference - default

    def ntriples(self, name: str) -> str:
        """One named graph as N-Triples."""
        return graph_ntriples(self._store, name)

    def graph(self, name: str) -> Graph:
        """One named graph as an rdflib Graph."""
        return Graph().parse(data=self.ntriples(name), format="nt")

    def quads(self, include_reference: bool = False) -> Iterator[ox.Quad]:
        """Every quad of the article graphs (and the reference graphs when asked): graphs in name
        order, quads in the store's index order, which depends only on the data, so exports are
        stable and diff cleanly."""
        for name in self.graph_names(include_reference):
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def nquads(self, include_reference: bool = False) -> Iterator[bytes]:
        """The N-Quads of quads(), one graph at a time, lines sorted."""
        for name in self.graph_names(include_reference):
            # Dumped by Oxigraph without a Python object a quad (about ten times faster), then each
            # sorted line given its graph: the order of N-Quads lines sorted, as the graph is the same.
            ntriples = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
            yield _as_nquads(name, sorted_lines(ntriples).decode("utf-8")).encode("utf-8")


def _answer_triples(name: str, answers: dict[str, str] | None) -> str:
    """An article graph's kept answers as N-Triples lines in the default graph."""
    return "".join(f"<{name}> <{KEPT[query]}> {ox.Literal(rows)} .\n" for query, rows in (answers or {}).items())


def _as_nquads(name: str, ntriples: str) -> str:
    """N-Triples lines (`s p o .`) as N-Quads lines in the graph `name`."""
    suffix = f" <{name}> .\n"
    return "".join(line[: line.rstrip().rfind(".")].rstrip() + suffix for line in ntriples.splitlines() if line.strip())


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
