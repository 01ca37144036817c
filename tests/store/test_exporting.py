"""`peelgraph export`: the format is the one --format names, else the one the file's suffix names."""

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import peelgraph
from peelgraph.cli import main
from peelgraph.store import exporting

ARTICLES = {
    "kent.txt": "PEEL 2016: Kent Police was rated good at investigating crime.",
    "essex.txt": "In PEEL 2016, Essex Police was rated inadequate at legitimacy.",
}


def run(*args, store):
    return CliRunner().invoke(main, ["--store", str(store), *map(str, args)])


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text)
    location = tmp_path_factory.mktemp("export") / "store"
    result = run("ingest", corpus, "-j", "1", store=location)
    assert result.exit_code == 0, result.output
    return location


def _ntriples(store, tmp_path_factory, *options) -> set[str]:
    path = tmp_path_factory.mktemp("facts") / "facts.nt"
    assert run("export", "--format", "nt", "-o", path, *options, store=store).exit_code == 0
    return {str(t) for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)}


@pytest.fixture(scope="module")
def facts(store, tmp_path_factory):
    """The merged graph's triples alone, from an N-Triples export."""
    return _ntriples(store, tmp_path_factory, "--reference", "none")


@pytest.fixture(scope="module")
def labelled(store, tmp_path_factory):
    """The merged graph's triples with the labels of what they mention, as exported by default."""
    return _ntriples(store, tmp_path_factory)


LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PREF_LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"


def test_merged_exports_carry_the_labels_of_what_they_mention(facts, labelled):
    added = labelled - facts
    assert facts < labelled and all(LABEL in t or PREF_LABEL in t for t in added)
    assert f'<https://w3id.org/peelgraph/id/force/kent-police> {PREF_LABEL} "Kent Police"@en' in added
    assert f'<https://w3id.org/peelgraph/grade/inadequate> {PREF_LABEL} "inadequate"@en' in added
    assert not any("cleveland-police" in t for t in added)  # labels only of what the facts mention


def test_reference_all_writes_both_reference_graphs(store, facts, labelled, tmp_path_factory):
    everything = _ntriples(store, tmp_path_factory, "--reference", "all")
    assert labelled < everything and any("cleveland-police" in t for t in everything)
    assert everything == _ntriples(store, tmp_path_factory, "--with-reference")


def parsed(path, rdf_format) -> tuple[set[str], set[str]]:
    """The file's triples and graph names, read strictly as rdf_format."""
    quads = list(ox.parse(path=str(path), format=rdf_format))
    named = {str(q.graph_name) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    return {str(q.triple) for q in quads}, named


# suffix -> how the file must read, whether it keeps a graph per article, how it starts
BY_SUFFIX = {
    ".ttl": (ox.RdfFormat.TURTLE, False, b"@prefix"),
    ".nt": (ox.RdfFormat.N_TRIPLES, False, b"<"),
    ".nq": (ox.RdfFormat.N_QUADS, True, b"<"),
    ".nquads": (ox.RdfFormat.N_QUADS, True, b"<"),
    ".trig": (ox.RdfFormat.TRIG, True, b"@prefix"),
    ".jsonld": (ox.RdfFormat.JSON_LD, False, b"{"),
    ".json": (ox.RdfFormat.JSON_LD, False, b"{"),
    ".rdf": (ox.RdfFormat.RDF_XML, False, b"<?xml"),
    ".xml": (ox.RdfFormat.RDF_XML, False, b"<?xml"),
    ".owl": (ox.RdfFormat.RDF_XML, False, b"<?xml"),
}


def test_every_suffix_of_the_format_table_is_tested():
    assert set(BY_SUFFIX) == {suffix for f in exporting.FORMATS.values() for suffix in f.suffixes}


@pytest.mark.parametrize("suffix", BY_SUFFIX)
def test_the_format_is_the_one_the_suffix_names(store, facts, labelled, tmp_path, suffix):
    rdf_format, keeps_graphs, start = BY_SUFFIX[suffix]
    path = tmp_path / f"graph{suffix}"
    result = run("export", "-o", path, store=store)
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert path.read_bytes().startswith(start)
    triples, graphs = parsed(path, rdf_format)
    assert triples == (facts if keeps_graphs else labelled)  # article graphs are copied as stored
    assert len(graphs) == (len(ARTICLES) if keeps_graphs else 0)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # nothing partial left behind


def test_a_suffix_in_capitals_names_its_format(store, tmp_path):
    path = tmp_path / "GRAPH.NQ"
    assert run("export", "-o", path, store=store).exit_code == 0
    assert len(parsed(path, ox.RdfFormat.N_QUADS)[1]) == len(ARTICLES)


def test_an_explicit_format_wins_over_the_suffix(store, labelled, tmp_path):
    path = tmp_path / "graph.ttl"
    assert run("export", "--format", "nt", "-o", path, store=store).exit_code == 0
    assert not path.read_bytes().startswith(b"@prefix")
    assert parsed(path, ox.RdfFormat.N_TRIPLES)[0] == labelled


def test_an_explicit_format_writes_a_file_of_any_name(store, tmp_path):
    path = tmp_path / "graph.txt"
    assert run("export", "--format", "trig", "-o", path, store=store).exit_code == 0
    assert len(parsed(path, ox.RdfFormat.TRIG)[1]) == len(ARTICLES)


@pytest.mark.parametrize("name", ["graph.txt", "graph", "graph.nq.gz"])
def test_a_suffix_that_names_no_format_is_one_clear_line(store, tmp_path, name):
    path = tmp_path / name
    result = run("export", "-o", path, store=store)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {path}: cannot tell the export format from the file's suffix; "
        "use .ttl, .trig, .nt, .nq, .nquads, .jsonld, .json, .rdf, .xml, .owl, "
        "or give the format (turtle, trig, nt, nquads, jsonld, rdfxml)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_suffix_is_checked_before_the_store_is_opened(tmp_path):
    result = run("export", "-o", tmp_path / "graph.txt", store=tmp_path / "no-store")
    assert result.exit_code == 2 and "cannot tell the export format" in result.output


def test_an_unknown_format_name_is_a_usage_error(store, tmp_path):
    result = run("export", "--format", "n3", "-o", tmp_path / "graph.n3", store=store)
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.output


def test_standard_output_is_turtle_unless_a_format_is_given(store, labelled, tmp_path):
    turtle = run("export", store=store)
    assert turtle.exit_code == 0 and turtle.output.startswith("@prefix")
    path = tmp_path / "out.ttl"
    path.write_text(turtle.output)
    assert parsed(path, ox.RdfFormat.TURTLE)[0] == labelled
    as_json = run("export", "--format", "jsonld", store=store)
    assert as_json.exit_code == 0 and "@context" in json.loads(as_json.output)


def test_the_old_format_names_still_answer(store, tmp_path):
    for alias, rdf_format in (("ttl", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        path = tmp_path / f"graph-{alias}.out"
        assert run("export", "--format", alias, "-o", path, store=store).exit_code == 0
        assert parsed(path, rdf_format)[0]


def test_the_library_writes_a_file_in_the_format_its_suffix_names(store, facts, tmp_path):
    with peelgraph.open_store(store, read_only=True) as opened:
        written = peelgraph.export(opened, output=tmp_path / "graph.nq")
        assert peelgraph.export(opened).startswith(b"@prefix")
    assert written == tmp_path / "graph.nq"
    assert parsed(written, ox.RdfFormat.N_QUADS)[0] == facts


def test_the_library_build_and_the_command_write_the_same_files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kent.txt").write_text(ARTICLES["kent.txt"])
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "by-command"), "-j", "1"])
    assert result.exit_code == 0, result.output
    summary, report = peelgraph.build([corpus], tmp_path / "by-library", jobs=1)
    assert report.conforms and len(summary.stored) == 1

    def written(out):
        return sorted(str(p.relative_to(out)) for p in out.rglob("*") if "store" not in p.relative_to(out).parts)

    assert written(tmp_path / "by-command") == written(tmp_path / "by-library")
    assert {"graph.ttl", "graph.trig", "validation.txt", "overview.png", "timelines/kent-police.png"} <= set(
        written(tmp_path / "by-library")
    )
    for name in ("graph.ttl", "graph.trig", "validation.txt"):
        assert (tmp_path / "by-command" / name).read_bytes() == (tmp_path / "by-library" / name).read_bytes()
