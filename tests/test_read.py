from datetime import date

import pytest

from peelgraph.errors import InputError
from peelgraph.read import Metadata, article_files, parse_article, read_path


def test_front_matter_gives_metadata_and_body(tmp_path):
    file = tmp_path / "a.md"
    file.write_text("---\ntitle: Kent rated good\noutlet: Kent Online\npublished: 2016-11-03\nurl: https://example.org/a\n---\nBody text here.\n")
    article = read_path(file)
    assert (article.title, article.outlet, article.published, article.url) == ("Kent rated good", "Kent Online", date(2016, 11, 3), "https://example.org/a")
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
    from peelgraph.read import decode

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
