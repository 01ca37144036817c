"""Messy corpora: every bad file gets one clear line naming it, the others are stored."""

import os

from click.testing import CliRunner

from peelgraph.cli import main

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
    real_open = open

    def deny(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def walk_with_locked_directory(top, onerror=None, followlinks=False):
        onerror(PermissionError(13, "Permission denied", str(corpus / "private")))
        yield str(corpus), [], ["locked.txt"]

    monkeypatch.setattr("builtins.open", deny)
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
