"""The contract every store keeps: the same cases on an embedded store in memory, one on disk and a
remote one (a real Oxigraph server)."""

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from peelgraph.cli import main
from peelgraph.errors import StoreError
from peelgraph.pipeline.compose import ingest
from peelgraph.rdf.graphs import REFERENCE_GRAPHS, canonical_nquads
from peelgraph.store import EmbeddedStore, RemoteStore, Writer, answers, open_store
from peelgraph.store.named import named_queries
from peelgraph.store.querying import run

KINDS = ["memory", "disk", "remote"]


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


@pytest.fixture()
def location(kind, tmp_path, request):
    if kind == "remote":
        url = request.getfixturevalue("oxigraph_server")
        with RemoteStore(url) as server:
            server.update("DROP SILENT ALL")
        return url
    return None if kind == "memory" else tmp_path / "store"


@pytest.fixture()
def store(location):
    with open_store(location) as opened:
        yield opened


def graph_of(i: int, value: str = "x") -> tuple[str, str]:
    name = f"https://w3id.org/peelgraph/id/article/t{i}"
    return name, f'<{name}> <https://w3id.org/peelgraph/ontology#sourceFile> "t{i}-{value}.txt" .\n'


@pytest.fixture(scope="module")
def expected():
    """Every named query's rows over the samples, from an embedded store in memory."""
    with EmbeddedStore() as reference:
        ingest(reference, [SAMPLES], jobs=1)
        return {name: run(reference, name).rows for name in named_queries()}


def test_graphs_are_written_replaced_and_removed_whole(store):
    assert store.article_graphs() == [] and len(store) == 0
    store.replace_graph_data(*graph_of(1))
    store.replace_graph_data(*graph_of(2))
    store.replace_graph_data(*graph_of(1, "again"))
    assert store.article_graphs() == [graph_of(1)[0], graph_of(2)[0]]
    assert store.has_graph(graph_of(1)[0]) and not store.has_graph(graph_of(3)[0])
    assert len(store) == 2 and store.ntriples(graph_of(1)[0]) == graph_of(1, "again")[1]
    store.remove_graph(graph_of(1)[0])
    assert store.article_graphs() == [graph_of(2)[0]] and len(store.graph(graph_of(2)[0])) == 1


def test_quads_and_nquads_are_the_graphs_in_name_order(store):
    for i in (2, 1):
        store.replace_graph_data(*graph_of(i))
    assert b"".join(store.nquads()) == canonical_nquads(*graph_of(1)) + canonical_nquads(*graph_of(2))
    assert [q.graph_name.value for q in store.quads()] == [graph_of(1)[0], graph_of(2)[0]]
    assert len(store.article_union()) == 2


def test_the_reference_graphs_are_stored_once_however_often_ensured(store):
    store.ensure_reference()
    store.ensure_reference()
    assert store.article_graphs() == [] and len(store) == 0
    assert set(store.graph_names(include_reference=True)) == set(REFERENCE_GRAPHS)
    labels = "SELECT ?label WHERE { GRAPH ?g { <https://w3id.org/peelgraph/id/force/kent-police> ?p ?label } }"
    once = len(list(store.query(labels)))
    store.ensure_reference()
    assert len(list(store.query(labels))) == once > 0


def test_an_update_and_a_query_see_the_same_graphs(store):
    store.update('INSERT DATA { GRAPH <urn:peelgraph-test:g> { <urn:x:s> <urn:x:p> "o" } }')
    (row,) = store.query("SELECT ?o WHERE { ?s <urn:x:p> ?o }")
    assert row["o"] == ox.Literal("o")
    assert store.article_graphs() == ["urn:peelgraph-test:g"]


def test_the_writer_stores_graphs_in_input_order(store):
    writer = Writer(store, batch=2)
    done = writer.write("a", *graph_of(1)) + writer.write("none") + writer.write("b", *graph_of(2))
    done += writer.write("c", *graph_of(3)) + writer.flush()
    assert done == ["a", "none", "b", "c"]
    assert store.article_graphs() == [graph_of(i)[0] for i in (1, 2, 3)]


def test_every_named_query_gives_what_an_embedded_store_gives(store, expected):
    summary = ingest(store, [SAMPLES], jobs=1)
    assert len(summary.stored) == len(list(SAMPLES.glob("*.md"))) and not summary.failed
    for name, rows in expected.items():
        assert run(store, name).rows == rows, name


def test_kept_answers_where_the_store_keeps_them(store, kind):
    ingest(store, [SAMPLES], jobs=1)
    found = answers.merged(store, "judgements").found
    assert found == (kind != "remote") == store.keeps_answers


@pytest.mark.parametrize("kind", ["disk", "remote"])  # the command line opens stores by location
def test_every_command_works_on_the_store_or_says_in_one_line_that_it_cannot(location, kind):
    def peelgraph(*args):
        return CliRunner().invoke(main, ["--store", str(location), *args])

    assert peelgraph("ingest", str(SAMPLES), "-j", "1").exit_code == 0
    assert peelgraph("validate").exit_code == 0
    full = peelgraph("validate", "--full")
    assert full.exit_code == 0, full.output
    assert peelgraph("stats").exit_code == 0
    unchanged = peelgraph("diff", str(location), str(location), "--exit-code")
    assert unchanged.exit_code == 0, unchanged.output
    assert peelgraph("export", "--format", "nquads").output.count("\n") > 1000
    refreshed = peelgraph("refresh")
    if kind == "remote":
        assert refreshed.exit_code == 2
        assert (
            refreshed.output
            == f"Error: {location}: a SPARQL server keeps no answers; its named queries always run as SPARQL\n"
        )
    else:
        assert refreshed.exit_code == 0


def test_refresh_says_what_a_server_cannot_do(oxigraph_server):
    with RemoteStore(oxigraph_server) as server, pytest.raises(StoreError, match="keeps no answers"):
        answers.refresh(server)
