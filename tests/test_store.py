"""The on-disk store: each graph's N-Quads kept beside it for export, and counts without scans."""

import shutil

import pyoxigraph as ox
import pytest
from conftest import SAMPLES

from peelgraph.errors import StoreError
from peelgraph.pipeline.compose import ingest
from peelgraph.store.embedded import (
    GENERATION,
    KEPT,
    MERGED,
    NQUADS,
    PENDING,
    Store,
    Writer,
    canonical_nquads,
    files_to_keep,
)
from peelgraph.store.exporting import export


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
            b"".join(
                sorted(
                    ox.serialize(
                        raw.quads_for_pattern(None, None, None, ox.NamedNode(name)), format=ox.RdfFormat.N_QUADS
                    ).splitlines(keepends=True)
                )
            )
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
        store.update(f'INSERT DATA {{ GRAPH <{name}> {{ <urn:x:s> <urn:x:p> "hand edit" }} }}')
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


# New article graphs go into an on-disk store a batch at a time, in one bulk load.


def kept_files(location) -> dict[str, bytes]:
    return {
        str(p.relative_to(location / KEPT)): p.read_bytes()
        for p in sorted((location / KEPT).rglob("*"))
        if p.is_file() and p.parent.name != MERGED and p.name != GENERATION
    }


@pytest.mark.parametrize("batch", [2, 50])
def test_batches_store_what_a_transaction_per_article_stores(disk_store, tmp_path, batch):
    location = tmp_path / f"batch-{batch}"
    with Store(location) as store:
        summary = ingest(store, [SAMPLES], batch=batch)
        assert [r.source for r in summary.results] == sorted(r.source for r in summary.results)
    assert dumped_by_oxigraph(location) == dumped_by_oxigraph(disk_store)
    assert kept_files(location) == kept_files(disk_store)
    assert not (location / PENDING).exists()


class Recorder:
    def __init__(self, store):
        self.store, self.calls = store, []

    def __getattr__(self, name):
        method = getattr(self.store, name)

        def recorded(*args):
            if name != "has_graph":
                self.calls.append((name, len(args[0]) if name == "add_graphs" else args[0]))
            return method(*args)

        return recorded


def graph_of(i: int) -> tuple[str, str]:
    name = f"https://w3id.org/peelgraph/id/article/t{i}"
    return name, f'<{name}> <https://w3id.org/peelgraph/ontology#sourceFile> "t{i}.txt" .\n'


def test_the_writer_hands_back_tags_in_input_order_once_stored(tmp_path):
    with Store(tmp_path / "store") as store:
        store.replace_graph_data(*graph_of(0))
        recorder = Recorder(store)
        writer = Writer(store, batch=3)
        writer.store = recorder
        assert writer.write("a", *graph_of(1)) == []
        assert writer.write("failed") == []  # waits behind a
        assert writer.write("b", *graph_of(2)) == []
        assert writer.write("c", *graph_of(3)) == ["a", "failed", "b", "c"]
        assert writer.write("d", *graph_of(4)) == []
        assert writer.write("again", *graph_of(0)) == ["d", "again"]  # held already: replaced after d
        assert writer.write("e", *graph_of(5)) == []
        assert writer.write("e twice", *graph_of(5)) == ["e", "e twice"]
        assert writer.write("alone") == ["alone"]
        assert writer.flush() == []
        assert recorder.calls == [
            ("add_graphs", 3),
            ("add_graphs", 1),
            ("replace_graph_data", graph_of(0)[0]),
            ("add_graphs", 1),
            ("replace_graph_data", graph_of(5)[0]),
        ]
        assert store.article_graphs() == sorted(graph_of(i)[0] for i in range(6))


def test_a_memory_or_remote_store_writes_each_graph_at_once():
    with Store() as store:
        writer = Writer(store, batch=50)
        assert writer.write("a", *graph_of(1)) == ["a"]
        assert store.article_graphs() == [graph_of(1)[0]]


class FailingBulkLoad:
    """An Oxigraph store whose bulk load stops half way, as a full disk would."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def bulk_load(self, data, format):
        lines = data.splitlines(keepends=True)
        self.store.bulk_load(b"".join(lines[: len(lines) // 2]), format)
        raise OSError("No space left on device")


def test_a_bulk_load_cut_short_is_undone_and_the_rest_kept(disk_store):
    before = dumped_by_oxigraph(disk_store)
    with Store(disk_store) as store:
        store._store = FailingBulkLoad(store._store)
        with pytest.raises(StoreError, match=r"cannot add 2 graph\(s\): No space left on device"):
            store.add_graphs({name: files_to_keep(name, ntriples, None) for name, ntriples in map(graph_of, (1, 2))})
        store._store = store._store.store
    assert dumped_by_oxigraph(disk_store) == before
    assert not (disk_store / PENDING).exists()


def test_a_bulk_load_killed_half_way_is_undone_when_the_store_is_next_written(disk_store):
    before, kept_before = dumped_by_oxigraph(disk_store), kept_files(disk_store)
    with Store(disk_store) as store:
        names = [graph_of(i)[0] for i in (1, 2)]
        (disk_store / PENDING).write_text("\n".join(names))  # as add_graphs leaves it until done
        store._store.bulk_load(canonical_nquads(*graph_of(1)), ox.RdfFormat.N_QUADS)
        store.keep(names[0], {NQUADS: canonical_nquads(*graph_of(1))})
    with Store(disk_store, read_only=True) as store:
        assert names[0] in store.article_graphs()  # readers see it until a writer opens the store
    with Store(disk_store) as store:
        assert names[0] not in store.article_graphs()
    assert dumped_by_oxigraph(disk_store) == before
    assert kept_files(disk_store) == kept_before
    assert not (disk_store / PENDING).exists()


def test_what_transactions_wrote_is_folded_into_tables_when_the_store_closes(tmp_path):
    with Store(tmp_path / "store") as store:
        assert not ingest(store, [SAMPLES], batch=1).failed  # one transaction an article
    logs = sum(path.stat().st_size for path in (tmp_path / "store").glob("*.log"))
    tables = sum(path.stat().st_size for path in (tmp_path / "store").glob("*.sst"))
    assert tables > 0 and logs < tables / 10
