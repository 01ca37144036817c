"""Files written whole or not at all."""

import pytest

from peelgraph.files import replacing, replacing_directory, write_atomically


def test_a_file_is_replaced_whole(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path):
    target = tmp_path / "overview.png"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as partial:
        assert partial.suffix == ".png"  # writers that go by the suffix still see it
        partial.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["overview.png"]


def test_a_directory_is_replaced_whole(tmp_path):
    target = tmp_path / "site"
    (target / "old").mkdir(parents=True)
    (target / "old" / "page.html").write_text("old")
    with replacing_directory(target) as partial:
        assert partial.parent == tmp_path and partial.is_dir() and not any(partial.iterdir())
        (partial / "index.html").write_text("new")
        assert (target / "old" / "page.html").exists()  # readers see the old one until the end
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_new_directory_and_its_parents_are_made(tmp_path):
    target = tmp_path / "a" / "b" / "site"
    with replacing_directory(target) as partial:
        (partial / "index.html").write_text("new")
    assert (target / "index.html").read_text() == "new"


def test_a_failed_directory_leaves_the_old_one_and_no_partial_one(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    with pytest.raises(RuntimeError), replacing_directory(target) as partial:
        (partial / "index.html").write_text("half")
        raise RuntimeError("disk full")
    assert (target / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
