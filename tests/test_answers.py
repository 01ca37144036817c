"""Answers kept with each article: the listing queries read from them equal SPARQL over the store."""

import re
import shutil

import pytest
from conftest import DEV, SAMPLES, SEEDS, needs_shared

from peelgraph.pipeline.compose import ingest
from peelgraph.store import answers
from peelgraph.store.embedded import KEPT, MERGED, Store
from peelgraph.store.querying import named_queries, run


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    needs_shared()
    location = tmp_path_factory.mktemp("answers") / "store"
    with Store(location) as store:
        summary = ingest(store, [SEEDS, SAMPLES, DEV])
        assert len(summary.stored) == 32 and not summary.failed
    return location


@pytest.fixture()
def store_copy(built, tmp_path):
    shutil.copytree(built, tmp_path / "store")
    return tmp_path / "store"


def by_sparql(store: Store, query: str):
    rows = store.query(named_queries()[query].read_text(encoding="utf-8"))
    columns = [v.value for v in rows.variables]
    return columns, [tuple(row[c] for c in columns) for row in rows]


@pytest.mark.parametrize("query", answers.PER_ARTICLE)
def test_kept_answers_equal_sparql_over_the_store(store_copy, query):
    with Store(store_copy, read_only=True) as store:
        expected_columns, expected = by_sparql(store, query)
        assert len(expected) >= 20
        for attempt in ("merged from every article", "filed when merged"):
            kept = answers.merged(store, query)
            assert kept is not None, "the answers kept at ingest were not used"
            columns, solutions = kept
            assert columns == expected_columns, attempt
            assert [tuple(row[c] for c in columns) for row in solutions] == expected, attempt
            assert len(list((store_copy / KEPT / MERGED).iterdir())) == 1


def cells(row) -> tuple:
    """A conflicts row with its grades and articles as sets: GROUP_CONCAT's order is the engine's."""
    return tuple(term.value for term in row[:3]) + tuple(frozenset(term.value.split(" | ")) for term in row[3:])


DISAGREEING = {
    "kent-a.txt": "PEEL 2016: Kent Police was rated good at investigating crime and good at legitimacy.",
    "kent-b.txt": "In PEEL 2016, Kent Police was rated inadequate at investigating crime.",
    "kent-c.txt": "In PEEL 2016, Kent Police was rated requires improvement at investigating crime and outstanding at legitimacy.",
}


def test_conflicts_follow_from_the_judgements_of_every_article(store_copy, tmp_path):
    for name, text in DISAGREEING.items():
        (tmp_path / name).write_text(text)
    with Store(store_copy) as store:
        assert not ingest(store, sorted(tmp_path.glob("kent-*.txt"))).failed
        expected_columns, expected = by_sparql(store, "conflicts")
        assert [cells(row)[:3] for row in expected] == [
            ("Kent Police", "2016", "investigating crime and reducing re-offending"),
            ("Kent Police", "2016", "legitimacy"),
        ]
        for attempt in ("derived from the judgements", "filed when derived"):
            columns, solutions = answers.merged(store, "conflicts")
            assert columns == expected_columns, attempt
            rows = [tuple(row[c] for c in columns) for row in solutions]
            assert [cells(row) for row in rows] == [cells(row) for row in expected], attempt
            assert all(cell.value.split(" | ") == sorted(cell.value.split(" | ")) for row in rows for cell in row[3:])
        filed = sorted(path.name for path in (store_copy / KEPT / MERGED).iterdir())
        assert len(filed) == 2  # conflicts and the judgements it came from


def test_filed_answers_are_used_until_the_graphs_change(store_copy):
    with Store(store_copy) as store:
        run(store, "judgements")
        (filed,) = (store_copy / KEPT / MERGED).iterdir()
        token, _, table = filed.read_bytes().partition(b"\n")
        header, first, _ = table.split(b"\n", 2)
        filed.write_bytes(token + b"\n" + header + b"\n" + first + b"\n")
        assert len(run(store, "judgements").rows) == 1  # the filed answer, as nothing changed
        store.remove_graph(store.article_graphs()[0])
        rows = run(store, "judgements").rows
        assert len(rows) > 100  # merged again: the filed answer no longer holds
        assert [tuple(str(t.value) for t in row) for row in by_sparql(store, "judgements")[1]] == list(rows)


def test_answers_merged_while_the_graphs_changed_are_not_filed(store_copy, monkeypatch):
    tokens = iter(["before", "after"])
    with Store(store_copy, read_only=True) as store:
        monkeypatch.setattr(store, "generation", lambda: next(tokens))
        assert answers.merged(store, "people") is not None
    assert not (store_copy / KEPT / MERGED).exists()


def test_a_store_that_cannot_be_written_still_answers(store_copy, monkeypatch):
    def refuse(*_):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(Store, "_write_whole", staticmethod(refuse))
    with Store(store_copy, read_only=True) as store:
        assert [tuple(row) for row in answers.merged(store, "quotes")[1]] == by_sparql(store, "quotes")[1]


@pytest.mark.parametrize("query", answers.PER_ARTICLE)
def test_queries_with_kept_answers_match_one_article_graph_and_order_every_column(query):
    text = named_queries()[query].read_text(encoding="utf-8")
    projected = re.search(r"^SELECT (?:DISTINCT )?(.*?) WHERE", text, re.M).group(1).split()
    order = ["?" + v for v in answers.order_by(query)]
    assert set(projected) <= set(order)
    assert "GRAPH ?g {" in text and "GROUP BY" not in text
    if answers.MERGES[query] == "article":
        assert order[0] == "?article" and "DISTINCT" not in text
    else:
        assert "SELECT DISTINCT" in text and order == projected


def test_an_update_leaves_queries_to_sparql(store_copy):
    with Store(store_copy) as store:
        name = store.article_graphs()[0]
        store.update(f"DELETE WHERE {{ GRAPH <{name}> {{ ?quote <https://schema.org/text> ?text }} }}")
        assert answers.merged(store, "quotes") is None
        assert answers.merged(store, "conflicts") is None
        assert not (store_copy / KEPT).exists()
        assert run(store, "quotes").rows == tuple(
            tuple(str(t.value) for t in row) for row in by_sparql(store, "quotes")[1]
        )


def test_a_missing_answer_leaves_the_query_to_sparql(store_copy):
    with Store(store_copy, read_only=True) as store:
        whole = run(store, "judgements")
    victim = min((store_copy / KEPT).glob("answers-judgements-*/*"))
    victim.unlink()
    shutil.rmtree(store_copy / KEPT / MERGED)  # as a store kept before answers were filed merged
    with Store(store_copy, read_only=True) as store:
        assert answers.merged(store, "judgements") is None
        assert run(store, "judgements") == whole


def test_a_changed_gazetteer_leaves_the_query_to_sparql(store_copy):
    gazetteer = "https://w3id.org/peelgraph/graph/gazetteer"
    with Store(store_copy) as store:
        store.replace_graph_data(
            gazetteer, store.graph(gazetteer).serialize(format="nt") + '<urn:x:s> <urn:x:p> "new" .\n'
        )
        assert answers.merged(store, "people") is None


def test_two_articles_with_one_source_name_leave_the_query_to_sparql(tmp_path):
    for folder, grade in (("a", "good"), ("b", "inadequate")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"PEEL 2016: Kent Police was rated {grade} at investigating crime.")
    with Store(tmp_path / "store") as store:
        ingest(store, [tmp_path / "a", tmp_path / "b"])
        rows = run(store, "judgements").records()
        assert answers.merged(store, "judgements") is None
        assert answers.merged(store, "conflicts") is None
        (conflict,) = run(store, "conflicts").records()
    assert sorted(r["grade"] for r in rows) == ["good", "inadequate"]
    assert sorted(conflict["grades"].split(" | ")) == ["good", "inadequate"]


def test_articles_kept_at_once_in_threads_see_only_themselves(built):
    from concurrent.futures import ThreadPoolExecutor

    with Store(built, read_only=True) as store:
        graphs = {name: store.graph(name).serialize(format="nt") for name in store.article_graphs()[:8]}
        alone = {name: answers.keep(name, text) for name, text in graphs.items()}
    with ThreadPoolExecutor(4) as pool:
        together = dict(zip(graphs, pool.map(lambda item: answers.keep(*item), graphs.items())))
    assert together == alone


def test_refresh_brings_back_the_kept_answers_after_an_update(store_copy):
    from click.testing import CliRunner

    from peelgraph.cli import main

    with Store(store_copy) as store:
        name = store.article_graphs()[0]
        store.update(f"DELETE WHERE {{ GRAPH <{name}> {{ ?quote <https://schema.org/text> ?text }} }}")
    result = CliRunner().invoke(main, ["--store", str(store_copy), "refresh"])
    assert result.exit_code == 0 and "32 article graph(s)" in result.output
    with Store(store_copy, read_only=True) as store:
        for query in answers.PER_ARTICLE:
            kept = answers.merged(store, query)
            assert kept is not None
            columns, solutions = kept
            assert [tuple(row) for row in solutions] == by_sparql(store, query)[1]


def test_refresh_needs_an_on_disk_store():
    from peelgraph.errors import StoreError

    with Store() as store, pytest.raises(StoreError, match="only an on-disk store"):
        answers.refresh(store)


def test_refresh_of_a_store_that_is_not_there_creates_nothing(tmp_path):
    from click.testing import CliRunner

    from peelgraph.cli import main

    result = CliRunner().invoke(main, ["--store", str(tmp_path / "typo"), "refresh"])
    assert result.exit_code == 2 and "no store here yet" in result.output
    assert not (tmp_path / "typo").exists()
