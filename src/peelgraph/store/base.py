"""What every store does: the protocol the embedded and the remote store both implement (the
contract tests in tests/store/ run the same cases on both), how a location opens one, and the
writer that stores article graphs in input order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph

from peelgraph.rdf.graphs import REFERENCE_GRAPHS


class Store(Protocol):
    """A store of article graphs (one named graph each), the reference graphs (ontology and
    gazetteer) and, where it keeps them, each article's answers to the named queries."""

    location: str | None
    read_only: bool
    keeps_answers: bool  # whether answers are kept with each graph (kept_answers and the rest)
    bulk_loads: bool  # whether new graphs are best added many at a time (add_graphs)
    legacy_files: Path | None  # files an older peelgraph kept beside the store, to upgrade from

    def __enter__(self) -> Store: ...
    def __exit__(self, *exc) -> None: ...
    def close(self) -> None: ...

    def replace_graph(self, name: str, graph: Graph, answers: dict[str, str] | None = None) -> None: ...
    def replace_graph_data(self, name: str, ntriples: str, answers: dict[str, str] | None = None) -> None: ...
    def add_graphs(self, graphs: dict[str, tuple[str, dict[str, str] | None]]) -> None: ...
    def remove_graph(self, name: str) -> None: ...
    def has_graph(self, name: str) -> bool: ...
    def ensure_reference(self) -> None: ...
    def update(self, sparql: str) -> None: ...
    def remove_legacy_files(self) -> None: ...

    def query(self, sparql: str, substitutions: dict | None = None): ...
    def article_graphs(self) -> list[str]: ...
    def triple_count(self) -> int: ...
    def ntriples(self, name: str) -> str: ...
    def graph(self, name: str) -> Graph: ...
    def quads(self, include_reference: bool = False) -> Iterator[ox.Quad]: ...
    def nquads(self, include_reference: bool = False) -> Iterator[bytes]: ...
    def graph_names(self, include_reference: bool) -> list[str]: ...
    def article_union(self) -> Graph: ...
    def __len__(self) -> int: ...

    def kept_answers(self, query: str) -> dict[str, str]: ...
    def answers_digest(self) -> str | None: ...
    def keep_answers(self, name: str, answers: dict[str, str]) -> None: ...
    def keep_answers_digest(self, digest: str | None) -> None: ...
    def merged_answers(self, query: str) -> str | None: ...
    def keep_merged_answers(self, tables: dict[str, str]) -> None: ...


class Listing:
    """What both stores derive alike from article_graphs, ntriples and triple_count."""

    def article_union(self) -> Graph:
        """Every article graph merged into one rdflib Graph."""
        merged = Graph()
        for name in self.article_graphs():
            merged.parse(data=self.ntriples(name), format="nt")
        return merged

    def graph_names(self, include_reference: bool) -> list[str]:
        return self.article_graphs() + (list(REFERENCE_GRAPHS) if include_reference else [])

    def __len__(self) -> int:
        return self.triple_count()


def is_remote(location) -> bool:
    """Whether a store location names a SPARQL server (an http or https URL)."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def open_store(location: str | Path | None = None, read_only: bool = False, timeout: float | None = None) -> Store:
    """An embedded Oxigraph store for a path (in memory for None), a remote one for an http(s) URL
    (whose requests may take `timeout` seconds each)."""
    from peelgraph.store.embedded import EmbeddedStore
    from peelgraph.store.remote import RemoteStore

    if is_remote(location):
        return RemoteStore(location, read_only, timeout)
    return EmbeddedStore(location, read_only)


class Writer:
    """Writes article graphs in the order given and hands back each one's tag once it is stored.
    A store that bulk-loads takes graphs new to it `batch` at a time (Store.add_graphs); a graph it
    already holds is replaced in a transaction of its own, after the graphs before it."""

    def __init__(self, store: Store, batch: int):
        self.store = store
        self.batch = batch if store.bulk_loads else 1
        self.waiting: list = []  # tags in input order, with the graph each brings, if any
        self.new: dict[str, tuple[str, dict | None]] = {}  # new graphs and their answers, by name

    def write(self, tag, name: str | None = None, ntriples: str | None = None, answers: dict | None = None) -> list:
        """Store this graph (or nothing, for a tag without one); the tags now stored, in order."""
        if name is None or ntriples is None:
            if not self.new:  # nothing waits before it
                return [tag]
            self.waiting.append(tag)
            return []
        if self.batch <= 1 or name in self.new or self.store.has_graph(name):
            done = self.flush()
            self.store.replace_graph_data(name, ntriples, answers)
            return done + [tag]
        self.waiting.append(tag)
        self.new[name] = (ntriples, answers)
        return self.flush() if len(self.new) >= self.batch else []

    def flush(self) -> list:
        """Store what is waiting; its tags, in order."""
        if self.new:
            self.store.add_graphs(self.new)
        done, self.waiting, self.new = self.waiting, [], {}
        return done
