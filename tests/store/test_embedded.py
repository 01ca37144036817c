"""The embedded store: graphs written in batches or one transaction each give the same store, a
bulk load cut short is undone, and what transactions wrote is folded into tables at the close."""

import subprocess
import sys
import time

import pyoxigraph as ox
import pytest
from conftest import SAMPLES

from peelgraph.errors import StoreError
from peelgraph.pipeline.compose import ingest
from peelgraph.rdf.vocab import MERGED_ANSWERS
from peelgraph.store import EmbeddedStore, Writer
from peelgraph.store.embedded import PENDING
from peelgraph.store.exporting import export


@pytest.fixture()
def disk_store(tmp_path):
    location = tmp_path / "store"
    with EmbeddedStore(location) as store:
        summary = ingest(store, [SAMPLES])
        assert summary.stored and not summary.failed
    return location


def dumped_by_oxigraph(location) -> bytes:
    """Everything Oxigraph holds, the default graph's bookkeeping included, lines sorted; but for the
    answers merged over the whole store, which any write drops (and the next ingest makes again)."""
    with EmbeddedStore(location, read_only=True) as store:
        lines = ox.serialize(store._store, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if not line.startswith(f"<{MERGED_ANSWERS}>".encode())))


def test_triple_count_counts_the_article_graphs_only(disk_store):
    with EmbeddedStore(disk_store, read_only=True) as store:
        assert len(store) == export(store, "nquads").count(b"\n") > 100


@pytest.mark.parametrize("batch", [1, 2, 50])
def test_batches_store_what_a_transaction_per_article_stores(disk_store, tmp_path, batch):
    location = tmp_path / f"batch-{batch}"
    with EmbeddedStore(location) as store:
        summary = ingest(store, [SAMPLES], batch=batch)
        assert [r.source for r in summary.results] == sorted(r.source for r in summary.results)
    assert dumped_by_oxigraph(location) == dumped_by_oxigraph(disk_store)
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
    with EmbeddedStore(tmp_path / "store") as store:
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


def test_a_memory_store_writes_each_graph_at_once():
    with EmbeddedStore() as store:
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
    with EmbeddedStore(disk_store) as store:
        store._store = FailingBulkLoad(store._store)
        with pytest.raises(StoreError, match=r"cannot add 2 graph\(s\): No space left on device"):
            store.add_graphs({name: (ntriples, None) for name, ntriples in map(graph_of, (1, 2))})
        store._store = store._store.store
    assert dumped_by_oxigraph(disk_store) == before
    assert not (disk_store / PENDING).exists()


def test_a_bulk_load_killed_half_way_is_undone_when_the_store_is_next_written(disk_store):
    before = dumped_by_oxigraph(disk_store)
    with EmbeddedStore(disk_store) as store:
        names = [graph_of(i)[0] for i in (1, 2)]
        (disk_store / PENDING).write_text("\n".join(names))  # as add_graphs leaves it until done
        name, ntriples = graph_of(1)
        store._store.bulk_load(ntriples.encode(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    with EmbeddedStore(disk_store, read_only=True) as store:
        assert names[0] in store.article_graphs()  # readers see it until a writer opens the store
    with EmbeddedStore(disk_store) as store:
        assert names[0] not in store.article_graphs()
    assert dumped_by_oxigraph(disk_store) == before
    assert not (disk_store / PENDING).exists()


def test_what_transactions_wrote_is_folded_into_tables_when_the_store_closes(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        assert not ingest(store, [SAMPLES], batch=1).failed  # one transaction an article
    logs = sum(path.stat().st_size for path in (tmp_path / "store").glob("*.log"))
    tables = sum(path.stat().st_size for path in (tmp_path / "store").glob("*.sst"))
    assert tables > 0 and logs < tables / 10


class _FullDisk:
    """An Oxigraph store whose flush fails as on a full disk; everything else passes through."""

    def __init__(self, store):
        self._store = store

    def flush(self):
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_a_full_disk_is_one_error_not_two(tmp_path):
    with pytest.raises(StoreError, match="cannot add 1 graph") as raised:
        with EmbeddedStore(tmp_path / "store") as store:
            store._store = _FullDisk(store._store)
            raise StoreError(f"{tmp_path}: cannot add 1 graph(s): No space left on device")
    assert raised.value.__context__ is None  # closing the store raised nothing more


def test_a_full_disk_when_closing_is_a_store_error(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store._store = _FullDisk(store._store)
    with pytest.raises(StoreError, match=r"cannot write the store to disk: \[Errno 28\] No space left on device"):
        store.close()


CREATE = """
import sys
from peelgraph.store import EmbeddedStore
print("ready", flush=True)
EmbeddedStore(sys.argv[1]).close()
"""


@pytest.mark.parametrize("delay_ms", [0, 2, 4, 6, 8, 10, 13, 16, 20, 25, 30, 40])
def test_a_store_killed_while_it_is_made_is_whole_or_absent(tmp_path, delay_ms):
    location = tmp_path / "store"
    child = subprocess.Popen([sys.executable, "-c", CREATE, str(location)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "ready\n"
    time.sleep(delay_ms / 1000)
    child.kill()
    child.wait()
    if location.exists():
        with EmbeddedStore(location, read_only=True) as store:
            assert store.triple_count() == 0
    with EmbeddedStore(location) as store:  # made again, or opened; what a killed maker left is gone
        assert store.triple_count() == 0
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_a_store_is_made_in_an_empty_folder_and_left_alone_in_a_full_one(tmp_path):
    (tmp_path / "empty").mkdir()
    with EmbeddedStore(tmp_path / "empty") as store:
        assert store.triple_count() == 0
    assert (tmp_path / "empty" / "CURRENT").exists()
    with EmbeddedStore(tmp_path / "empty", read_only=True) as store:
        assert store.triple_count() == 0
