import pytest
from rdflib.compare import isomorphic, to_isomorphic

from peelgraph.errors import InputError
from peelgraph.pipeline.compose import ingest
from peelgraph.rdf.to_rdf import article_iri
from peelgraph.reading.read import read_path
from peelgraph.store import EmbeddedStore
from peelgraph.store.querying import counts
from tests.conftest import DEV, SAMPLES, SEEDS


def test_ingesting_twice_changes_nothing(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        ingest(store, [SAMPLES])
        first, count = to_isomorphic(store.article_union()), len(store)
        again = ingest(store, [SAMPLES])
        assert len(again.stored) == len(list(SAMPLES.glob("*.md")))
        assert len(store) == count and isomorphic(first, store.article_union())


def test_graph_is_deterministic():
    from peelgraph.pipeline.compose import article_graph

    article = read_path(SAMPLES / "2018-19-cleveland-integrated.md")
    assert isomorphic(article_graph(article), article_graph(article))


def test_changed_article_replaces_nothing_else(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    with EmbeddedStore() as store:
        ingest(store, [source, SAMPLES])
        before = len(store.article_graphs())
        source.write_text("PEEL 2016: Kent Police was rated inadequate at investigating crime.")
        ingest(store, [source])
        assert len(store.article_graphs()) == before + 1  # a changed text is a new article


def test_every_fact_points_at_its_text(seed_store):
    rows = seed_store.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start ?end ?article WHERE { GRAPH ?g {
          ?a oa:hasTarget ?t . ?t oa:hasSource ?article ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end } }"""
    )
    texts = {str(article_iri(read_path(p))): read_path(p).text for p in [*SEEDS.glob("*.txt"), *SAMPLES.glob("*.md")]}
    checked = 0
    for row in rows:
        text = texts[row["article"].value]
        assert text[int(row["start"].value) : int(row["end"].value)] == row["exact"].value
        checked += 1
    assert checked > 100


def test_worker_count_and_file_order_do_not_change_the_graph(tmp_path):
    from peelgraph.store.exporting import export

    files = sorted(SAMPLES.glob("*.md")) + sorted(DEV.glob("*.txt"))[:3]
    exports = []
    for jobs, order in ((1, files), (2, list(reversed(files)))):
        with EmbeddedStore() as store:
            summary = ingest(store, order, jobs=jobs)
            assert len(summary.stored) == len(files)
            exports.append(export(store, "nquads"))
    assert exports[0] == exports[1]


def test_prepare_is_a_pure_function_of_the_article():
    from peelgraph.pipeline.compose import prepare

    first, second = (
        prepare(SAMPLES / "2016-bedfordshire-effectiveness.md"),
        prepare(SAMPLES / "2016-bedfordshire-effectiveness.md"),
    )
    assert first.ntriples == second.ntriples and first.result.error is None
    assert prepare(SAMPLES / "missing.txt").result.error.endswith("cannot read: No such file or directory")


def test_a_bug_on_one_article_is_named_and_the_run_goes_on(monkeypatch, tmp_path):
    import peelgraph.pipeline.compose as pipeline

    real = pipeline.resolve

    def fragile(extraction):
        if extraction.article.source == "bad.txt":
            raise ValueError("unexpected shape of text")
        return real(extraction)

    monkeypatch.setattr(pipeline, "resolve", fragile)
    (tmp_path / "bad.txt").write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    (tmp_path / "good.txt").write_text("PEEL 2016: Essex Police was rated good at investigating crime.")
    with EmbeddedStore() as store:
        summary = ingest(store, [tmp_path], jobs=1)
    assert [r.source for r in summary.stored] == ["good.txt"]
    assert summary.failed[0].error == "bad.txt: internal error in extraction (ValueError: unexpected shape of text)"


def test_counts_agree_with_the_store_when_a_file_is_given_twice(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    kent = (SAMPLES / "2017-kent-legitimacy.md").read_text(encoding="utf-8")
    (folder / "a.md").write_text(kent, encoding="utf-8")
    (folder / "copy-of-a.md").write_text(kent, encoding="utf-8")
    other = folder / "cleveland.md"
    other.write_text((SAMPLES / "2018-19-cleveland-integrated.md").read_text(encoding="utf-8"), encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        summary = ingest(store, [folder, other], jobs=1)
        stored = counts(store)
        assert summary.text().splitlines()[0] == (
            f"Ingested 2 article(s), {len(store)} triples, {stored['judgements']} judgement(s); 0 failed."
        )
        assert stored["articles"] == 2 and stored["triples"] == summary.triples
    assert f"{other}: given more than once; read once" in summary.notes
    assert "copy-of-a.md: the same text as a.md; stored once" in summary.notes


def test_judgements_two_articles_share_are_counted_once(tmp_path):
    text = "Kent Police was rated good at investigating crime in the PEEL 2016 effectiveness inspection."
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text(text, encoding="utf-8")
    second.write_text(text + " The force welcomed the report.", encoding="utf-8")
    with EmbeddedStore() as store:
        summary = ingest(store, [first, second], jobs=1)
        assert sum(r.judgements for r in summary.stored) == 2
        assert summary.judgements == counts(store)["judgements"] == 1


def test_a_folder_without_articles_is_an_error_naming_it(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    with EmbeddedStore() as store, pytest.raises(InputError, match=rf"^{tmp_path}: no articles here \(looked for .txt"):
        ingest(store, [tmp_path])
