"""The workspace: one article graph at a time beside the reference graphs, per thread."""

import threading

import pyoxigraph as ox
import pytest

from peelgraph.rdf import workspace
from peelgraph.rdf.graphs import REFERENCE_GRAPHS

NAME = "https://w3id.org/peelgraph/id/article/w"
NTRIPLES = f'<{NAME}> <https://w3id.org/peelgraph/ontology#sourceFile> "w.txt" .\n'


def graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs()}


def test_holding_puts_the_graph_beside_the_reference_graphs_and_takes_it_out():
    with workspace.holding(NAME, NTRIPLES) as store:
        assert graphs(store) == {NAME, *REFERENCE_GRAPHS}
        assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(NAME)))) == 1
    assert graphs(store) == set(REFERENCE_GRAPHS)


def test_quads_and_ntriples_hold_the_same_graph():
    with workspace.holding(NAME, NTRIPLES) as store:
        from_text = set(store.quads_for_pattern(None, None, None, ox.NamedNode(NAME)))
    with workspace.holding(NAME, list(from_text)) as store:
        assert set(store.quads_for_pattern(None, None, None, ox.NamedNode(NAME))) == from_text


def test_the_graph_is_taken_out_when_the_work_fails():
    with pytest.raises(ValueError), workspace.holding(NAME, NTRIPLES) as store:
        raise ValueError("a bug while the graph is held")
    assert graphs(store) == set(REFERENCE_GRAPHS)


def test_each_thread_has_its_own_and_each_is_renewed_after_a_while():
    seen = {}

    def hold():
        with workspace.holding(NAME, NTRIPLES) as store:
            seen[threading.current_thread().name] = store

    threads = [threading.Thread(target=hold, name=f"t{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["t0"] is not seen["t1"]
    with workspace.holding(NAME, NTRIPLES) as first:
        pass
    renewed = False
    for _ in range(workspace.FRESH_EVERY):
        with workspace.holding(NAME, NTRIPLES) as store:
            renewed = renewed or store is not first
    assert renewed and graphs(store) == set(REFERENCE_GRAPHS)
