import pytest
from click.testing import CliRunner

from peelgraph.cli import main


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_diff_of_two_stores_and_exports(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kent.txt").write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    (corpus / "essex.txt").write_text("PEEL 2016: Essex Police was rated good at investigating crime.")
    assert run("--store", tmp_path / "old", "ingest", corpus, "-j", "1").exit_code == 0
    (corpus / "kent.txt").write_text("PEEL 2016: Kent Police was rated outstanding at investigating crime.")
    (corpus / "surrey.txt").write_text("PEEL 2016: Surrey Police was rated good at legitimacy.")
    assert run("--store", tmp_path / "new", "ingest", corpus, "-j", "1").exit_code == 0
    for store in ("old", "new"):
        assert (
            run("--store", tmp_path / store, "export", "--format", "nquads", "-o", tmp_path / f"{store}.nq").exit_code
            == 0
        )

    for old, new in ((tmp_path / "old", tmp_path / "new"), (tmp_path / "old.nq", tmp_path / "new.nq")):
        result = run("diff", old, new, "--details", "--exit-code")
        assert result.exit_code == 1
        lines = result.output.splitlines()
        assert "2 article(s) changed" in lines
        assert any(line.startswith("kent.txt: +") for line in lines) and any(
            line.startswith("surrey.txt: +") and line.endswith(" -0") for line in lines
        )
        assert not any(line.startswith("essex.txt") for line in lines)
        assert any("grade/outstanding" in line and line.startswith("  + ") for line in lines)
        assert any("grade/good" in line and line.startswith("  - ") for line in lines)

    same = run("diff", tmp_path / "old.nq", tmp_path / "old", "--exit-code")
    assert same.exit_code == 0 and same.output.strip() == "0 article(s) changed"


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".rdf"])
def test_diff_of_a_file_without_graphs_is_refused(tmp_path, suffix):
    """Only exports with a named graph per article say which article states what (JSON-LD could, but
    peelgraph writes the merged graph in it)."""
    merged = tmp_path / f"a{suffix}"
    merged.write_text("")
    result = run("diff", merged, merged)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {merged}: give a store directory or an export with named graphs (.trig, .nq, .nquads)"
    )


def test_a_path_that_is_not_there_is_one_line_and_exit_2(tmp_path):
    result = run("diff", str(tmp_path / "old.nq"), str(tmp_path / "new.nq"))
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'old.nq'}: no such file or directory\n"
