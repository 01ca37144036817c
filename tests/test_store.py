"""The on-disk store: each graph's N-Quads kept beside it for export, and counts without scans."""

import shutil

import pyoxigraph as ox
import pytest

from peelgraph.exporting import export
from peelgraph.pipeline import ingest
from peelgraph.store import KEPT, NQUADS, Store, canonical_nquads

from conftest import SAMPLES


@pytest.fixture()
def disk_store(tmp_path):
    location = tmp_path / "store"
    with Store(location) as store:
        summary = ingest(store, [SAMPLES])
        assert summary.stored and not summary.failed
    return location


def dumped_by_oxigraph(location) -> bytes:
    """What Oxigraph itself holds, graph by graph in name order, lines sorted (the export's order)."""
    with Store(location, read_only=True) as store:
        raw = store._store
        return b"".join(
            b"".join(sorted(ox.serialize(raw.quads_for_pattern(None, None, None, ox.NamedNode(name)),
                                         format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)))
            for name in store.article_graphs()
        )


def test_every_article_graph_has_its_nquads_kept(disk_store):
    with Store(disk_store, read_only=True) as store:
        graphs = store.article_graphs()
    kept = list((disk_store / KEPT / NQUADS).iterdir())
    assert len(graphs) == 6 and len(kept) == len(graphs) + 2  # and the ontology and gazetteer graphs


def test_nquads_export_equals_what_oxigraph_holds(disk_store):
    with Store(disk_store, read_only=True) as store:
        exported = export(store, "nquads")
    assert exported == dumped_by_oxigraph(disk_store) and exported.count(b"\n") > 3000


def test_export_without_kept_nquads_is_the_same(disk_store, tmp_path):
    with Store(disk_store, read_only=True) as store:
        with_kept = export(store, "nquads")
    shutil.rmtree(disk_store / KEPT / NQUADS)
    with Store(disk_store, read_only=True) as store:
        assert export(store, "nquads") == with_kept


def test_a_missing_kept_file_is_read_from_the_store(disk_store):
    with Store(disk_store, read_only=True) as store:
        whole = export(store, "nquads")
    removed = min((disk_store / KEPT / NQUADS).iterdir())
    removed.unlink()
    with Store(disk_store, read_only=True) as store:
        assert export(store, "nquads") == whole


def test_an_update_drops_the_kept_nquads_so_export_shows_it(disk_store):
    with Store(disk_store) as store:
        name = store.article_graphs()[0]
        store.update(f"INSERT DATA {{ GRAPH <{name}> {{ <urn:x:s> <urn:x:p> \"hand edit\" }} }}")
        exported = export(store, "nquads")
    assert b'"hand edit"' in exported
    with Store(disk_store, read_only=True) as store:
        assert export(store, "nquads") == exported == dumped_by_oxigraph(disk_store)


def test_replacing_and_removing_a_graph_keeps_export_true(disk_store):
    with Store(disk_store) as store:
        first, second = store.article_graphs()[:2]
        store.replace_graph_data(first, '<urn:x:s> <urn:x:p> "replaced" .')
        store.remove_graph(second)
        exported = export(store, "nquads")
    lines = [line for line in exported.decode().splitlines() if f"<{first}>" in line]
    assert lines == [f'<urn:x:s> <urn:x:p> "replaced" <{first}> .']
    assert f"<{second}>".encode() not in exported
    assert exported == dumped_by_oxigraph(disk_store)


def test_triple_count_counts_the_article_graphs_only(disk_store):
    with Store(disk_store, read_only=True) as store:
        rows = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            "FILTER(?g NOT IN (<https://w3id.org/peelgraph/graph/ontology>, <https://w3id.org/peelgraph/graph/gazetteer>)) }"
        )
        assert store.triple_count() == int(next(iter(rows))["n"].value) > 3000


def test_canonical_nquads_writes_literals_as_the_store_holds_them(tmp_path):
    name = "https://w3id.org/peelgraph/id/article/x"
    ntriples = '<urn:x:s> <urn:x:n> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n<urn:x:s> <urn:x:a> "a" .\n'
    with Store(tmp_path / "store") as store:
        store.replace_graph_data(name, ntriples)
        assert export(store, "nquads") == canonical_nquads(name, ntriples)
    shutil.rmtree(tmp_path / "store" / KEPT)
    with Store(tmp_path / "store", read_only=True) as store:
        assert export(store, "nquads") == canonical_nquads(name, ntriples)
