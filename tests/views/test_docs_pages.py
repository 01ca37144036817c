import subprocess
import sys

from click.testing import CliRunner

from peelgraph.cli import main


def test_docs_command_documents_classes_and_schemes(tmp_path):
    result = CliRunner().invoke(main, ["docs", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    ontology = (tmp_path / "ontology.html").read_text()
    for term in ("police force", "judgement", "inspection", "finding", "grade scale", "peelgraph ontology"):
        assert term in ontology, term
    schemes = (tmp_path / "schemes.html").read_text()
    for text in (
        "2018/19",
        "five-point",
        "requires improvement",
        "protecting vulnerable people",
        "Police and Crime Commissioner",
        "cause of concern",
    ):
        assert text in schemes, text
    assert "<script src" not in ontology + schemes


def test_docs_prints_what_it_wrote_and_no_log_lines(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "peelgraph.cli", "docs", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout == f"Wrote {tmp_path / 'ontology.html'}\nWrote {tmp_path / 'schemes.html'}\n"
