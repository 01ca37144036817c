"""Files written whole or not at all."""

import pytest

from peelgraph.files import replacing, write_atomically


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
