"""Answers kept with each article graph: the named queries read from them equal SPARQL over the
store, they change with the graphs in the same transaction, and whatever leaves them in doubt makes
the query run as SPARQL and say so."""

import re
import shutil

import pytest
from conftest import DEV, SAMPLES

from peelgraph.pipeline.compose import ingest
from peelgraph.store import EmbeddedStore, answers, named
from peelgraph.store.embedded import LEGACY_FILES
from peelgraph.store.querying import run

ARTICLES = 32  # data/samples and data/dev


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    location = tmp_path_factory.mktemp("answers") / "store"
    with EmbeddedStore(location) as store:
        summary = ingest(store, [SAMPLES, DEV])
        assert len(summary.stored) == ARTICLES and not summary.failed
    return location


@pytest.fixture()
def store_copy(built, tmp_path):
    shutil.copytree(built, tmp_path / "store")
    return tmp_path / "store"


def by_sparql(store, query: str):
    rows = store.query(named.text(query))
    columns = tuple(v.value for v in rows.variables)
    return columns, [tuple(row[c] for c in columns) for row in rows]


def as_text(rows) -> tuple:
    return tuple(tuple(str(t.value) for t in row) for row in rows)


@pytest.mark.parametrize("query", answers.PER_ARTICLE)
def test_kept_answers_equal_sparql_over_the_store(store_copy, query):
    with EmbeddedStore(store_copy, read_only=True) as store:
        expected_columns, expected = by_sparql(store, query)
        assert len(expected) >= 10
        kept = answers.merged(store, query)
        assert kept.found, "the answers kept at ingest were not used"
        assert kept.columns == expected_columns
        assert [tuple(row[c] for c in kept.columns) for row in kept.rows] == expected


def cells(row) -> tuple:
    """A conflicts row with its grades and articles as sets: GROUP_CONCAT's order is the engine's."""
    return tuple(term.value for term in row[:3]) + tuple(frozenset(term.value.split(" | ")) for term in row[3:])


DISAGREEING = {
    "kent-a.txt": "PEEL 2016: Kent Police was rated good at investigating crime and good at legitimacy.",
    "kent-b.txt": "In PEEL 2016, Kent Police was rated inadequate at investigating crime.",
    "kent-c.txt": (
        "In PEEL 2016, Kent Police was rated requires improvement at investigating crime and outstanding at legitimacy."
    ),
}


def test_conflicts_follow_from_the_judgements_of_every_article(store_copy, tmp_path):
    for name, text in DISAGREEING.items():
        (tmp_path / name).write_text(text)
    with EmbeddedStore(store_copy) as store:
        assert not ingest(store, sorted(tmp_path.glob("kent-*.txt"))).failed
        expected_columns, expected = by_sparql(store, "conflicts")
        assert [cells(row)[:3] for row in expected][-2:] == [
            ("Kent Police", "2016", "investigating crime and reducing re-offending"),
            ("Kent Police", "2016", "legitimacy"),
        ]
        kept = answers.merged(store, "conflicts")
        assert kept.found and kept.columns == expected_columns
        rows = [tuple(row[c] for c in kept.columns) for row in kept.rows]
        assert [cells(row) for row in rows] == [cells(row) for row in expected]
        assert all(cell.value.split(" | ") == sorted(cell.value.split(" | ")) for row in rows for cell in row[3:])


@pytest.mark.parametrize("query", answers.PER_ARTICLE)
def test_queries_with_kept_answers_match_one_article_graph_and_order_every_column(query):
    text = named.text(query)
    projected = re.search(r"^SELECT (?:DISTINCT )?(.*?) WHERE", text, re.M).group(1).split()
    order = ["?" + v for v in answers.order_by(query)]
    assert set(projected) <= set(order)
    assert "GRAPH ?g {" in text and "GROUP BY" not in text
    if answers.MERGES[query] == "article":
        assert order[0] == "?article" and "DISTINCT" not in text
    else:
        assert "SELECT DISTINCT" in text and order == projected


def test_answers_are_written_and_removed_with_their_graph(tmp_path):
    (tmp_path / "kent.txt").write_text(DISAGREEING["kent-a.txt"])
    with EmbeddedStore(tmp_path / "store") as store:
        ingest(store, [tmp_path / "kent.txt"])
        (name,) = store.article_graphs()
        assert set(store.kept_answers("judgements")) == {name}
        store.replace_graph_data(name, store.ntriples(name), {"judgements": "?x\n"})
        assert store.kept_answers("judgements") == {name: "?x\n"} and store.kept_answers("people") == {}
        store.remove_graph(name)
        assert store.kept_answers("judgements") == {} and store.article_graphs() == []
        assert len(store) == 0, "the answers are bookkeeping, not triples of the articles"


def test_an_update_leaves_queries_to_sparql_until_refresh(store_copy):
    from click.testing import CliRunner

    from peelgraph.cli import main

    with EmbeddedStore(store_copy) as store:
        name = store.article_graphs()[0]
        store.update(f"DELETE WHERE {{ GRAPH <{name}> {{ ?quote <https://schema.org/text> ?text }} }}")
        assert not answers.merged(store, "quotes").found and not answers.merged(store, "conflicts").found
        result = run(store, "quotes")
        assert result.rows == as_text(by_sparql(store, "quotes")[1])
        assert "refresh" in result.note
    refreshed = CliRunner().invoke(main, ["--store", str(store_copy), "refresh"])
    assert refreshed.exit_code == 0 and f"{ARTICLES} article graph(s)" in refreshed.output
    with EmbeddedStore(store_copy, read_only=True) as store:
        for query in answers.PER_ARTICLE:
            kept = answers.merged(store, query)
            assert kept.found and [tuple(row) for row in kept.rows] == by_sparql(store, query)[1]


def test_a_graph_without_answers_leaves_the_query_to_sparql(store_copy):
    with EmbeddedStore(store_copy) as store:
        whole = run(store, "judgements")
        store.keep_answers(store.article_graphs()[0], {})
        kept = answers.merged(store, "judgements")
        assert not kept.found and "no kept answers" in kept.note
        assert run(store, "judgements").rows == whole.rows


def test_a_changed_query_ontology_or_gazetteer_is_seen_and_the_answers_worked_out_again(store_copy, monkeypatch):
    from click.testing import CliRunner

    from peelgraph.cli import main

    monkeypatch.setattr(answers, "digest", lambda: "as if the gazetteer had changed")
    with EmbeddedStore(store_copy, read_only=True) as store:
        result = run(store, "people")
        assert result.note.startswith("answered with SPARQL: the named queries, ontology or gazetteer changed")
        assert result.rows == as_text(by_sparql(store, "people")[1])
    (store_copy.parent / "one.txt").write_text(DISAGREEING["kent-b.txt"])
    ingested = CliRunner().invoke(main, ["--store", str(store_copy), "ingest", str(store_copy.parent / "one.txt")])
    assert ingested.exit_code == 0
    assert f"Note: worked out again the answers kept with {ARTICLES} article graph(s)" in ingested.output
    with EmbeddedStore(store_copy, read_only=True) as store:
        assert answers.merged(store, "people").found


def test_a_store_of_an_older_version_is_upgraded_when_next_written(store_copy):
    with EmbeddedStore(store_copy) as store:  # as 0.1 left it: answers in files beside the store
        store.keep_answers_digest(None)
    (store_copy / LEGACY_FILES / "nquads").mkdir(parents=True)
    with EmbeddedStore(store_copy, read_only=True) as store:
        assert "written by an older peelgraph" in run(store, "judgements").note
    with EmbeddedStore(store_copy) as store:
        assert "written by an older peelgraph" in answers.bring_up_to_date(store)
        assert answers.merged(store, "judgements").found
    assert not (store_copy / LEGACY_FILES).exists()


def test_two_articles_with_one_source_name_leave_the_query_to_sparql(tmp_path):
    for folder, grade in (("a", "good"), ("b", "inadequate")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"PEEL 2016: Kent Police was rated {grade} at investigating crime.")
    with EmbeddedStore(tmp_path / "store") as store:
        ingest(store, [tmp_path / "a", tmp_path / "b"])
        rows = run(store, "judgements").records()
        assert not answers.merged(store, "judgements").found
        assert not answers.merged(store, "conflicts").found
        (conflict,) = run(store, "conflicts").records()
    assert sorted(r["grade"] for r in rows) == ["good", "inadequate"]
    assert sorted(conflict["grades"].split(" | ")) == ["good", "inadequate"]


def test_articles_worked_out_at_once_in_threads_see_only_themselves(built):
    from concurrent.futures import ThreadPoolExecutor

    with EmbeddedStore(built, read_only=True) as store:
        graphs = {name: store.ntriples(name) for name in store.article_graphs()[:8]}
        alone = {name: answers.of_graph(name, text) for name, text in graphs.items()}
    with ThreadPoolExecutor(4) as pool:
        together = dict(zip(graphs, pool.map(lambda item: answers.of_graph(*item), graphs.items()), strict=True))
    assert together == alone


def test_refresh_of_a_store_that_is_not_there_creates_nothing(tmp_path):
    from click.testing import CliRunner

    from peelgraph.cli import main

    result = CliRunner().invoke(main, ["--store", str(tmp_path / "typo"), "refresh"])
    assert result.exit_code == 2 and "no store here yet" in result.output
    assert not (tmp_path / "typo").exists()


def test_answers_merged_over_the_store_are_kept_until_the_next_write(store_copy):
    with EmbeddedStore(store_copy) as store:
        for query in answers.PER_ARTICLE:
            assert store.merged_answers(query) is not None, query
            kept = answers.merged(store, query)
            assert kept.found and [tuple(row) for row in kept.rows] == by_sparql(store, query)[1]
        assert store.merged_answers("conflicts") is not None
        store.remove_graph(store.article_graphs()[0])
        assert store.merged_answers("judgements") is None and store.merged_answers("conflicts") is None
        kept = answers.merged(store, "judgements")  # merged again from each article's answers
        assert kept.found and [tuple(row) for row in kept.rows] == by_sparql(store, "judgements")[1]


def test_export_copies_the_kept_nquads_only_while_they_hold(store_copy):
    from peelgraph.store.exporting import export

    with EmbeddedStore(store_copy) as store:
        assert answers.nquads(store) is not None
        copied = export(store, "nquads", reference="all")
        assert copied == b"".join(store.nquads(include_reference=True))  # as dumped from the indexes
        store.keep_answers_digest(None)
        assert answers.nquads(store) is None
        assert export(store, "nquads", reference="all") == copied
