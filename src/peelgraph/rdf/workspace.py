"""Where one article graph is checked and worked out before it is stored: an in-memory Oxigraph
store holding the ontology and gazetteer graphs, into which one article graph at a time is put.

Validation and the answers kept with the graph both read it there, so each article is loaded
once and the reference graphs once per workspace. There is one workspace per thread (a query
must see no other article), renewed now and then, as an in-memory store keeps every string it has
seen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox

from peelgraph.rdf.graphs import reference_nquads

FRESH_EVERY = 200  # articles


class _Workspace(threading.local):
    def __init__(self):
        self.store, self.uses = None, 0

    def __call__(self) -> ox.Store:
        if self.store is None or self.uses >= FRESH_EVERY:
            self.store, self.uses = ox.Store(), 0
            self.store.load(reference_nquads(), ox.RdfFormat.N_QUADS)
        self.uses += 1
        return self.store


_workspace = _Workspace()


@contextmanager
def holding(name: str, graph: list[ox.Quad] | str) -> Iterator[ox.Store]:
    """This thread's workspace with the graph `name` in it, given as quads in that graph or as
    N-Triples; the graph is taken out again afterwards."""
    store, graph_name = _workspace(), ox.NamedNode(name)
    if isinstance(graph, str):
        store.load(graph.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=graph_name)
    else:
        store.extend(graph)
    try:
        yield store
    finally:
        store.remove_graph(graph_name)
