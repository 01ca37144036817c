import os
from datetime import date

import pytest

from peelgraph.errors import InputError
from peelgraph.reading.read import Metadata, article_files, parse_article, read_jsonl, read_path


def test_front_matter_gives_metadata_and_body(tmp_path):
    file = tmp_path / "a.md"
    file.write_text(
        "---\ntitle: Kent rated good\noutlet: Kent Online\npublished: 2016-11-03\nurl: https://example.org/a\n---\n"
        "Body text here.\n"
    )
    article = read_path(file)
    assert (article.title, article.outlet, article.published, article.url) == (
        "Kent rated good",
        "Kent Online",
        date(2016, 11, 3),
        "https://example.org/a",
    )
    assert article.text == "Body text here.\n" and article.source == "a.md"


def test_command_line_metadata_overrides_front_matter(tmp_path):
    file = tmp_path / "a.md"
    file.write_text("---\ntitle: Old\n---\nBody.\n")
    assert read_path(file, Metadata(title="New", published=date(2020, 1, 2))).title == "New"


def test_identity_ignores_line_endings_and_spacing():
    assert parse_article("A  b\r\n\r\nc", "x.txt").id == parse_article("A b\n\nc\n", "y.txt").id


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"   \n\n", "empty article"),
        (b"\x00\x01binary", "binary file"),
        (b"---\ntitle: [unclosed\n---\nText", "malformed front matter"),
        (b"---\ntitle: no end\nText", "never ends"),
        (b"---\npublished: next week\n---\nText", "not YYYY-MM-DD"),
        (b"---\npublished: 2016-13-45\n---\nText", "published date '2016-13-45' is not YYYY-MM-DD"),
        (b"---\na: &x [1, 2]\ntitle: *x\n---\nText", "anchors and aliases .* are not allowed"),
        (b"---\ntitle: " + b"x" * 3000 + b"\n---\nText", "front matter title is longer than 2000 characters"),
        (b"---\nnote: " + b"x" * 70_000 + b"\n---\nText", "front matter longer than 64000 characters"),
        (b"\xff\xfeK\x00e\x00n", "a UTF-16 byte-order mark but is not UTF-16"),
    ],
)
def test_bad_input_names_the_file_and_the_problem(tmp_path, content, problem):
    file = tmp_path / "bad.md"
    file.write_bytes(content)
    with pytest.raises(InputError, match=problem) as error:
        read_path(file)
    assert str(file) in str(error.value)


def test_windows_1252_is_decoded():
    file_text = "Kent Police’s report".encode("cp1252")
    from peelgraph.reading.read import decode

    assert decode(file_text, "x") == ("Kent Police’s report", ("x: not UTF-8 (byte 11); read as Windows-1252",))


def test_directories_are_walked_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "1.md", "b/skip.json", "3.txt"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in article_files([tmp_path])] == ["1.md", "3.txt", "b/2.txt"]


def test_missing_path(tmp_path):
    [problem] = list(article_files([tmp_path / "nope.txt"]))
    assert isinstance(problem, InputError) and str(problem) == f"{tmp_path / 'nope.txt'}: no such file or directory"


def test_file_over_the_size_limit(tmp_path):
    file = tmp_path / "big.txt"
    file.write_text("word " * 100)
    with pytest.raises(InputError, match="larger than the limit"):
        read_path(file, max_bytes=100)


PAGE = """<html><head><title>Kent Police rated good</title>
<meta property="og:site_name" content="Kent Online"><meta name="date" content="2016-11-03">
<link rel="canonical" href="https://example.org/kent"><script src="https://tracker.example/t.js"></script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Kent Police rated good</h1>
<p>PEEL 2016: Kent Police was rated good at investigating crime, inspectors said on Thursday in their report.</p>
<p>Chief Constable Alan Pughsley said: "We are pleased with this result for the whole county."</p></article>
<aside><h3>Most Read</h3><ul><li>Cat rescued from a tall tree in Maidstone</li></ul></aside>
<footer>Cookie policy and terms</footer><img src="https://tracker.example/pixel.png"></body></html>"""


def test_html_page_main_text_and_metadata(tmp_path):
    file = tmp_path / "kent.html"
    file.write_text(PAGE)
    article = read_path(file)
    assert (article.title, article.outlet, article.published, article.url) == (
        "Kent Police rated good",
        "Kent Online",
        date(2016, 11, 3),
        "https://example.org/kent",
    )
    assert "rated good at investigating crime" in article.text and "Alan Pughsley said" in article.text
    assert not any(word in article.text for word in ("Most Read", "Cat rescued", "Cookie policy", "Sport"))


def test_html_is_never_fetched_from(tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("reading an HTML page tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    file = tmp_path / "kent.html"
    file.write_text(PAGE)
    assert read_path(file).title == "Kent Police rated good"


def test_json_lines_one_article_a_line_and_bad_lines_named(tmp_path):
    from peelgraph.reading.read import read_jsonl

    file = tmp_path / "feed.jsonl"
    file.write_text(
        '{"text": "PEEL 2016: Kent Police was rated good at investigating crime.", '
        '"title": "Kent", "published": "2016-11-03"}\n'
        "\n"
        '{"text": "half a line\n'
        '{"title": "no text"}\n'
        '{"text": "Essex Police was judged inadequate at investigating crime.", "outlet": "Essex News"}\n'
    )
    items = list(read_jsonl(file))
    articles = [i for i in items if not isinstance(i, InputError)]
    problems = [str(i) for i in items if isinstance(i, InputError)]
    assert [(a.source, a.title, a.outlet, a.published) for a in articles] == [
        ("feed.jsonl:1", "Kent", None, date(2016, 11, 3)),
        ("feed.jsonl:5", None, "Essex News", None),
    ]
    assert problems[0].startswith(f"{file}:3: not JSON:")
    assert problems[1] == f'{file}:4: each line must be a JSON object with a non-empty "text"'


def test_metadata_csv_beside_the_texts(tmp_path):
    (tmp_path / "a.txt").write_text("Kent Police was rated good at investigating crime.")
    (tmp_path / "b.txt").write_text("Essex Police was rated good at investigating crime.")
    (tmp_path / "metadata.csv").write_text(
        "file,title,outlet,published,url\na.txt,Kent rated good,Kent Online,2016-11-03,https://example.org/a\n"
    )
    a, b = read_path(tmp_path / "a.txt"), read_path(tmp_path / "b.txt")
    assert (a.title, a.outlet, a.published) == ("Kent rated good", "Kent Online", date(2016, 11, 3))
    assert b.title is None
    assert read_path(tmp_path / "a.txt", Metadata(title="Given")).title == "Given"


def test_an_alias_bomb_is_refused_before_it_grows():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{name}: &{name} [{', '.join(['*' + before] * 9)}]" for before, name in zip("abcdefg", "bcdefgh", strict=True)
    ]
    text = "---\n" + "\n".join(levels) + "\ntitle: *h\n---\nKent Police was rated good."
    with pytest.raises(InputError, match="anchors and aliases"):
        parse_article(text, "bomb.md")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_text(tmp_path, encoding):
    file = tmp_path / "wide.txt"
    file.write_bytes("\ufeffKent Police was rated good — 2016.".encode(encoding))
    article = read_path(file)
    assert article.text == "Kent Police was rated good — 2016." and not article.warnings


def test_a_fifo_is_named_and_skipped_never_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text("Kent Police was rated good.")
    found = list(article_files([tmp_path, tmp_path / "pipe.txt"]))
    problems = [str(item) for item in found if isinstance(item, InputError)]
    assert problems == [f"{tmp_path / 'pipe.txt'}: a FIFO, not a regular file; skipped"] * 2
    assert [item for item in found if not isinstance(item, InputError)] == [tmp_path / "good.txt"]
    with pytest.raises(InputError, match="not a regular file"):
        read_path(tmp_path / "pipe.txt")


def test_a_lone_surrogate_in_json_lines_is_named_by_its_line(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "Kent \\ud800 Police"}\n{"text": "Essex Police was rated good."}\n')
    first, second = read_jsonl(feed)
    assert str(first) == f"{feed}:1: holds '\\ud800' at character 5, which is not text"
    assert second.text == "Essex Police was rated good."
