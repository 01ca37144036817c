"""Messy corpora: every bad file gets one clear line naming it, the others are stored."""

import json
import os

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelgraph.cli import main
from peelgraph.pipeline.compose import ingest
from peelgraph.store import EmbeddedStore
from peelgraph.store.querying import counts

GOOD = "PEEL 2016: Kent Police was rated good at investigating crime."


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "sub" / "also-good.md").write_text("---\ntitle: Kent\n---\n" + GOOD.replace("good", "outstanding"))
    (corpus / "empty.txt").write_text("")
    (corpus / "blank.txt").write_text("  \n\t\n ")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (corpus / "report.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 a pdf renamed")
    (corpus / "windows.txt").write_bytes(
        ("PEEL 2016: Essex Police’s grade: it was rated good at investigating crime.").encode("cp1252")
    )
    (corpus / "huge.txt").write_text(GOOD + " filler" * 2000)
    (corpus / "bad-front.md").write_text("---\ntitle: [never closed\n---\nText about Kent Police.")
    os.symlink(corpus / "loop.txt", corpus / "loop.txt")
    os.symlink(corpus, corpus / "sub" / "back-to-top")  # a directory link loop: not followed
    return corpus


def test_every_bad_file_is_named_once_and_the_rest_are_stored(tmp_path):
    corpus = _corpus(tmp_path)
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "store"), "ingest", str(corpus), "--max-bytes", "5000", "-j", "1"]
    )
    assert result.exit_code == 3, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    expected = {
        "empty.txt": "empty article",
        "blank.txt": "empty article",
        "binary.txt": "looks like a binary file, not text",
        "report.txt": "looks like a binary file, not text",
        "huge.txt": "larger than the limit of 5000 bytes",
        "bad-front.md": "malformed front matter",
        "loop.txt": "cannot read: Too many levels of symbolic links",
    }
    assert len(errors) == len(expected)
    for name, problem in expected.items():
        assert sum(1 for line in errors if f"{corpus / name}: {problem}" in line) == 1, (name, errors)
    assert f"Warning: {corpus / 'windows.txt'}: not UTF-8 (byte 23); read as Windows-1252" in result.output
    assert "Ingested 3 article(s)" in result.output
    rows = (
        CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "query", "judgements", "--format", "csv"]).output
    )
    assert "Essex Police,2016,investigating crime and reducing re-offending,good" in rows
    assert (
        sum(
            line.startswith("Kent Police,2016,investigating crime and reducing re-offending,")
            for line in rows.splitlines()
        )
        == 2
    )


def test_unreadable_file_and_directory(tmp_path, monkeypatch):
    from peelgraph.reading import read

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "locked.txt").write_text(GOOD)
    real_open = os.open

    def deny(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def walk_with_locked_directory(top, onerror=None, followlinks=False):
        onerror(PermissionError(13, "Permission denied", str(corpus / "private")))
        yield str(corpus), [], ["locked.txt"]

    monkeypatch.setattr(read.os, "open", deny)
    monkeypatch.setattr(read.os, "walk", walk_with_locked_directory)
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "ingest", str(corpus), "-j", "1"])
    assert result.exit_code == 3
    assert f"Error: {corpus / 'locked.txt'}: cannot read: Permission denied" in result.output
    assert f"Error: {corpus / 'private'}: cannot read directory: Permission denied" in result.output


def test_article_text_is_data_never_code(tmp_path):
    hostile = (
        "PEEL 2016: Kent Police was rated good at investigating crime. "
        'Chief Constable Alan Pughsley said: "} } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } # '
        '<script>alert(1)</script> and \\" more".\n'
    )
    (tmp_path / "hostile.txt").write_text(hostile)
    (tmp_path / "plain.txt").write_text(GOOD.replace("Kent", "Essex"))
    store = str(tmp_path / "store")
    assert CliRunner().invoke(main, ["--store", store, "ingest", str(tmp_path), "-j", "1"]).exit_code == 0
    quotes = CliRunner().invoke(main, ["--store", store, "query", "quotes", "--format", "json"]).output
    assert "DROP ALL ; INSERT DATA" in quotes and "<script>alert(1)</script>" in quotes
    rows = CliRunner().invoke(main, ["--store", store, "query", "judgements", "--format", "csv"]).output
    assert "Essex Police" in rows and "Kent Police" in rows
    out = tmp_path / "view.html"
    assert CliRunner().invoke(main, ["--store", store, "draw", "overview", "-o", str(out)]).exit_code == 0
    assert "<script>alert(1)</script>" not in out.read_text()


# Articles that fail on their own account, of every kind a corpus meets; each must cost only itself.
BAD_FRONT_MATTER = st.one_of(
    st.builds("published: 2016-{:02d}-01".format, st.integers(13, 99)),
    st.builds("published: 2016-01-{:02d}".format, st.integers(32, 99)),
    st.just("a: &x [1, 2]\ntitle: *x"),
    st.just("title: [never closed"),
    st.just("- a list\n- not a mapping"),
    st.integers(2_001, 4_000).map(lambda n: "title: " + "x" * n),
)
BAD_RECORDS = st.sampled_from(
    ['{"text": "Kent \\ud800 Police"}', "[1, 2]", '{"title": "no text"}', '{"text": ', '{"text": "  "}', "[" * 100_000]
)
BAD_BYTES = st.sampled_from([b"", b"  \n", b"\x00\x01binary", b"%PDF-1.7 renamed", b"\xff\xfeK\x00e"])
FORCES = ["Kent Police", "Essex Police", "Dorset Police", "Gwent Police", "Durham Constabulary", "Surrey Police"]


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(BAD_FRONT_MATTER, max_size=3),
    st.lists(BAD_RECORDS, max_size=3),
    st.lists(BAD_BYTES, max_size=2),
    st.booleans(),
    st.permutations(FORCES),
)
def test_bad_articles_cost_only_themselves(tmp_path_factory, front, records, raw, fifo, forces):
    folder = tmp_path_factory.mktemp("corpus")
    good = {}
    for number, force in enumerate(forces[:3]):
        good[f"good-{number}.txt"] = f"In PEEL 2016, {force} was rated good at investigating crime."
    for name, text in good.items():
        (folder / name).write_text(text, encoding="utf-8")
    bad = set()
    for number, block in enumerate(front):
        (folder / f"front-{number}.md").write_text(f"---\n{block}\n---\n{forces[3]} was rated good.", encoding="utf-8")
        bad.add(f"front-{number}.md")
    lines = [*records, json.dumps({"text": f"In PEEL 2016, {forces[4]} was rated inadequate at legitimacy."})]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    good[f"feed.jsonl:{len(lines)}"] = lines[-1]
    bad |= {f"feed.jsonl:{number}" for number in range(1, len(records) + 1)}
    for number, content in enumerate(raw):
        (folder / f"raw-{number}.txt").write_bytes(content)
        bad.add(f"raw-{number}.txt")
    if fifo:
        os.mkfifo(folder / "pipe.txt")
        bad.add("pipe.txt")
    with EmbeddedStore() as store:
        summary = ingest(store, [folder], jobs=1)
        assert {r.source for r in summary.stored} == set(good)
        named = {error.split(": ")[0].replace(f"{folder}/", "") for error in (r.error for r in summary.failed)}
        assert named == bad
        assert counts(store)["articles"] == len(good)
