"""The command line, in-process: exit codes and messages."""

import contextlib
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelgraph.cli import main
from tests.conftest import DEV, SAMPLE_GOLD, SAMPLES, SEEDS, needs_shared


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    needs_shared()
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(main, ["build", str(SAMPLES), str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def run(*args, store=None, input=None):
    prefix = ["--store", str(store)] if store else []
    return CliRunner().invoke(main, [*prefix, *args], input=input)


def test_build_writes_every_output(built):
    for name in (
        "graph.ttl",
        "graph.trig",
        "validation.txt",
        "overview.html",
        "overview.png",
        "overview.graphml",
        "timelines/cambridgeshire-constabulary.png",
        "timelines/avon-and-somerset-constabulary.png",
        "site/index.html",
        "site/forces/cambridgeshire-constabulary.html",
    ):
        assert (built / name).stat().st_size > 0, name
    assert (built / "validation.txt").read_text().startswith("Conforms")
    assert (built / "overview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_query_csv(built):
    result = run("query", "people", "--format", "csv", store=built / "store")
    assert result.exit_code == 0
    assert "Nick Dean,Chief Constable,Cambridgeshire Constabulary,000_5f446c495461b7a9.txt" in result.output


def test_query_values_keep_one_force(built):
    force = "Cambridgeshire Constabulary"
    result = run("query", "timeline", "--values", f"force={force}", "--format", "csv", store=built / "store")
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()[1:]
    assert len(rows) >= 3 and all(row.startswith(force + ",") for row in rows)
    every = run("query", "timeline", "--format", "csv", store=built / "store").output.splitlines()[1:]
    assert rows == [row for row in every if row.startswith(force + ",")]


def test_query_values_that_are_not_pairs_are_one_clear_line(built):
    result = run("query", "timeline", "--values", "Kent Police", store=built / "store")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: 'Kent Police': give --values as VARIABLE=VALUE, e.g. force='Kent Police'"


def test_query_values_of_a_column_that_is_not_there(built):
    result = run("query", "timeline", "--values", "colour=blue", store=built / "store")
    assert result.exit_code == 2
    assert result.output.strip() == "Error: --values: no column colour; the columns are force, area, round, grade"


def test_query_table(built):
    result = run("query", "timeline", store=built / "store")
    assert result.exit_code == 0 and "Cambridgeshire" in result.output and "row(s)" in result.output


def test_stats(built):
    result = run("stats", store=built / "store")
    assert result.exit_code == 0
    counts = dict(line.split() for line in result.output.splitlines())
    assert counts["articles"] == "10" and int(counts["judgements"]) >= 30 and int(counts["triples"]) > 1000


def test_stats_as_json_are_the_same_counts_as_numbers(built):
    lines = dict(line.split() for line in run("stats", store=built / "store").output.splitlines())
    result = run("stats", "--json", store=built / "store")
    assert result.exit_code == 0
    assert json.loads(result.output) == {name: int(value) for name, value in lines.items()}


def test_query_show_prints_a_named_querys_sparql_that_runs_as_it_is(built, tmp_path):
    shown = run("query", "timeline", "--show", store=tmp_path / "no-store-needed")
    assert shown.exit_code == 0 and shown.output.startswith("PREFIX ") and "SELECT DISTINCT" in shown.output
    assert not (tmp_path / "no-store-needed").exists()
    as_text = run("query", shown.output, "--format", "csv", store=built / "store")
    assert as_text.output == run("query", "timeline", "--format", "csv", store=built / "store").output


def test_validate_conforms(built):
    result = run("validate", store=built / "store")
    assert result.exit_code == 0 and result.output.startswith("Conforms")


def test_export_formats(built, tmp_path):
    import pyoxigraph as ox

    parsers = {
        "turtle": ox.RdfFormat.TURTLE,
        "nquads": ox.RdfFormat.N_QUADS,
        "jsonld": ox.RdfFormat.JSON_LD,
        "trig": ox.RdfFormat.TRIG,
        "nt": ox.RdfFormat.N_TRIPLES,
    }
    sizes = {}
    for fmt, parser in parsers.items():
        target = tmp_path / f"g.{fmt}"
        result = run("export", "--format", fmt, "-o", str(target), store=built / "store")
        assert result.exit_code == 0, fmt
        parsed = list(ox.parse(path=str(target), format=parser))
        sizes[fmt] = (len({str(q.triple) for q in parsed}), len({str(getattr(q, "graph_name", "")) for q in parsed}))
    assert sizes["turtle"][0] == sizes["nt"][0] == sizes["jsonld"][0] > 1000
    assert sizes["trig"][1] == sizes["nquads"][1] == 10  # one named graph per article


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_disagreeing_articles_fail_validation(tmp_path, engine):
    (tmp_path / "a.txt").write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    (tmp_path / "b.txt").write_text("In PEEL 2016, Kent Police was rated inadequate at investigating crime.")
    store = tmp_path / "store"
    assert run("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), store=store).exit_code == 0
    result = run("validate", "--engine", engine, store=store)
    assert result.exit_code == 1
    assert "A judgement has exactly one grade" in result.output and "OneGradeShape" in result.output
    assert "a.txt" in result.output or "b.txt" in result.output


def test_stdin_with_metadata(tmp_path):
    store = tmp_path / "store"
    result = run(
        "ingest",
        "-",
        "--title",
        "Kent",
        "--published",
        "2016-11-03",
        store=store,
        input="Kent Police was rated good at investigating crime.",
    )
    assert result.exit_code == 0, result.output
    rows = run("query", "judgements", "--format", "csv", store=store).output.splitlines()
    assert rows[1].startswith("Kent Police,2016,investigating crime and reducing re-offending,good,true,-,")


def test_bad_file_is_named_and_others_are_stored(tmp_path):
    (tmp_path / "empty.txt").write_text("  ")
    (tmp_path / "good.txt").write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    result = run("ingest", str(tmp_path), store=tmp_path / "store")
    assert result.exit_code == 3
    assert f"Error: {tmp_path / 'empty.txt'}: empty article" in result.output
    assert "Ingested 1 article(s)" in result.output


def test_missing_path_is_named_and_the_other_paths_are_stored(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("PEEL 2016: Kent Police was rated good at investigating crime.")
    result = run("ingest", str(tmp_path / "missing.txt"), str(good), store=tmp_path / "store")
    assert result.exit_code == 3
    assert f"Error: {tmp_path / 'missing.txt'}: no such file or directory" in result.output
    assert "Ingested 1 article(s)" in result.output


def test_missing_store_is_one_clear_line(tmp_path):
    result = run("query", "people", store=tmp_path / "none")
    assert result.exit_code == 2 and result.output.strip().endswith(
        "no store here yet; run `peelgraph ingest PATH...` first"
    )


def test_query_syntax_error(built):
    result = run("query", "SELECT ?x WHERE { ?x ?y }", store=built / "store")
    assert result.exit_code == 2 and "SPARQL syntax error: error at 1:" in result.output


def test_eval_command(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(SAMPLES), str(SAMPLE_GOLD), "--json", str(tmp_path / "e.json")])
    assert result.exit_code == 0 and "judgements" in result.output and (tmp_path / "e.json").exists()


def test_every_command_has_help_and_is_in_the_readme():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    for name, command in main.commands.items():
        assert command.help, name
        assert f"peelgraph {name}" in readme, name


def test_python_dash_m():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "peelgraph", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_min_confidence_leaves_out_and_lists_facts(tmp_path):
    from peelgraph.extraction.rule_confidence import measured

    (tmp_path / "a.txt").write_text(
        "Kent Police: PEEL 2016.\n\nIts effectiveness was judged good.\n\nResponse times were 13 minutes on average.\n"
    )
    judged, counted = measured()["judgement.area-then-grade"], measured()["statistic.number-unit"]
    threshold = round((judged + counted) / 2, 3)  # between the two rules' measured precision
    assert judged < threshold < counted
    store = tmp_path / "store"
    result = run("ingest", str(tmp_path / "a.txt"), "--min-confidence", str(threshold), store=store)
    assert result.exit_code == 0, result.output
    assert "1 fact(s) below the confidence threshold were left out" in result.output
    assert (
        f"a.txt: judgements kent-police 2016 2016/effectiveness good left out: confidence {judged:g} < {threshold:g} "
        "(judgement.area-then-grade)"
    ) in result.output
    assert run("query", "judgements", "--format", "csv", store=store).output.splitlines() == [
        "force,round,area,grade,current,article,evidence"
    ]
    assert len(run("query", "statistics", "--format", "csv", store=store).output.splitlines()) == 2
    assert run("ingest", str(tmp_path / "a.txt"), store=store).exit_code == 0
    assert len(run("query", "judgements", "--format", "csv", store=store).output.splitlines()) == 2


@pytest.mark.parametrize(
    "args, written",
    [
        (["overview", "-o", "{out}/o.html"], "nodes"),
        (["focus", "--focus", "Cambs police", "--depth", "2", "-o", "{out}/f.dot"], "nodes"),
        (["provenance", "--focus", "Nick Dean", "-o", "{out}/p.svg"], "nodes"),
        (["timeline", "--focus", "Cambridgeshire Constabulary", "-o", "{out}/t.png"], "1 force(s), 3 round(s)"),
    ],
)
def test_draw_views(built, tmp_path, args, written):
    result = run("draw", *[a.format(out=tmp_path) for a in args], store=built / "store")
    assert result.exit_code == 0 and written in result.output, result.output


def test_draw_unknown_focus(built, tmp_path):
    result = run("draw", "focus", "--focus", "Cambrigeshire", "-o", str(tmp_path / "f.png"), store=built / "store")
    assert result.exit_code == 2
    assert "no entity called 'Cambrigeshire' in the store; closest: Cambridgeshire Constabulary" in result.output


def test_query_is_read_only_unless_update(tmp_path):
    store = tmp_path / "store"
    assert run("ingest", str(SAMPLES), "-j", "1", store=store).exit_code == 0
    insert = "INSERT DATA { GRAPH <urn:note> { <urn:a> <urn:b> 'c' } }"
    refused = run("query", insert, store=store)
    assert refused.exit_code == 2 and "SPARQL Update, which changes the store; run it with --update" in refused.output
    assert (
        run("query", "ASK { GRAPH <urn:note> { ?s ?p ?o } }", "--format", "csv", store=store).output == "ask\nfalse\n"
    )
    assert run("query", "--update", insert, store=store).exit_code == 0
    assert run("query", "ASK { GRAPH <urn:note> { ?s ?p ?o } }", "--format", "csv", store=store).output == "ask\ntrue\n"


def test_query_timeout_stops_a_long_query(built):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = run("query", slow, "--timeout", "0.5", store=built / "store")
    assert result.exit_code == 2 and "query stopped after 0.5 s (--timeout)" in result.output
    quick = run("query", "people", "--timeout", "30", "--format", "csv", store=built / "store")
    assert quick.exit_code == 0 and "Nick Dean" in quick.output


def test_second_writer_is_refused_and_readers_still_work(built, tmp_path):
    from peelgraph.store import EmbeddedStore

    path = tmp_path / "busy"
    with EmbeddedStore(path) as writer:
        writer.ensure_reference()
        refused = run("ingest", str(SAMPLES), store=path)
        assert refused.exit_code == 2
        assert "the store is in use by another peelgraph process writing to it" in refused.output
        reader = run("query", "ASK { ?s ?p ?o }", "--format", "csv", store=path)
        assert reader.exit_code == 0 and reader.output == "ask\ntrue\n"


def test_ingest_html_and_json_lines(tmp_path):
    from tests.reading.test_read import PAGE

    corpus = tmp_path / "mixed"
    corpus.mkdir()
    (corpus / "kent.html").write_text(PAGE)
    (corpus / "feed.jsonl").write_text(
        '{"text": "In PEEL 2016 Essex Police was judged inadequate at investigating crime.", "title": "Essex"}\n'
        '{"oops": 1}\n'
    )
    result = run("ingest", str(corpus), "-j", "2", store=tmp_path / "store")
    assert result.exit_code == 3
    assert f'Error: {corpus / "feed.jsonl"}:2: each line must be a JSON object with a non-empty "text"' in result.output
    rows = run("query", "judgements", "--format", "csv", store=tmp_path / "store").output
    assert "Kent Police,2016,investigating crime and reducing re-offending,good,true,kent.html," in rows
    assert "Essex Police,2016,investigating crime and reducing re-offending,inadequate,true,feed.jsonl:1," in rows


def test_jsonld_export_is_compact_and_round_trips(built, tmp_path):
    import json

    import pyoxigraph as ox

    from tests.conftest import ROOT

    jsonld, ntriples = tmp_path / "g.jsonld", tmp_path / "g.nt"
    assert run("export", "--format", "jsonld", "-o", str(jsonld), store=built / "store").exit_code == 0
    assert run("export", "--format", "nt", "-o", str(ntriples), store=built / "store").exit_code == 0
    data = json.loads(jsonld.read_text())
    assert data["@context"] == json.loads((ROOT / "ontology" / "context.jsonld").read_text())["@context"]
    assert any(node["@id"] == "id:force/cambridgeshire-constabulary" for node in data["@graph"])
    parsed = {str(t) for t in ox.parse(path=str(jsonld), format=ox.RdfFormat.JSON_LD)}
    assert parsed == {str(t) for t in ox.parse(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)}


JUDGEMENT = "<https://w3id.org/peelgraph/id/judgement/cambridgeshire-constabulary/2015/efficiency>"


def seeded(tmp_path):
    """A store holding the seed articles, to edit by hand."""
    needs_shared()
    store = tmp_path / "store"
    assert run("ingest", str(SEEDS), "-j", "1", store=store).exit_code == 0
    return store


def test_validate_full_rechecks_each_article_after_hand_edits(tmp_path):
    store = seeded(tmp_path)
    found = run(
        "query",
        f"SELECT ?g ?evidence WHERE {{ GRAPH ?g {{ ?evidence <http://www.w3.org/ns/oa#hasBody> {JUDGEMENT} }} }} "
        "ORDER BY ?evidence LIMIT 1",
        "--format",
        "csv",
        store=store,
    ).output.splitlines()[1]
    graph, evidence = found.split(",")
    confidence = "<https://w3id.org/peelgraph/ontology#confidence>"
    edit = (  # evidence, which one article alone describes, given a confidence above 1
        f"DELETE {{ GRAPH <{graph}> {{ <{evidence}> {confidence} ?c }} }} "
        f'INSERT {{ GRAPH <{graph}> {{ <{evidence}> {confidence} "2"^^<http://www.w3.org/2001/XMLSchema#decimal> }} }} '
        f"WHERE {{ GRAPH <{graph}> {{ <{evidence}> {confidence} ?c }} }}"
    )
    assert run("query", "--update", edit, store=store).exit_code == 0
    assert run("validate", store=store).exit_code == 0  # nothing that spans articles changed
    full = run("validate", "--full", store=store)
    assert full.exit_code == 1 and "AnnotationShape" in full.output and "between 0 and 1" in full.output


def test_validate_sees_a_hand_edit_of_a_node_articles_share(tmp_path):
    store = seeded(tmp_path)
    graph = run(
        "query", f"SELECT ?g WHERE {{ GRAPH ?g {{ {JUDGEMENT} ?p ?o }} }} LIMIT 1", "--format", "csv", store=store
    ).output.splitlines()[1]
    grade = "<https://w3id.org/peelgraph/ontology#grade>"
    edit = (  # a judgement, which several articles can describe, given a grade its round did not use
        f"DELETE {{ GRAPH <{graph}> {{ {JUDGEMENT} {grade} ?g }} }} "
        f"INSERT {{ GRAPH <{graph}> {{ {JUDGEMENT} {grade} <https://w3id.org/peelgraph/grade/adequate> }} }} "
        f"WHERE {{ GRAPH <{graph}> {{ {JUDGEMENT} {grade} ?g }} }}"
    )
    assert run("query", "--update", edit, store=store).exit_code == 0
    result = run("validate", store=store)
    assert result.exit_code == 1 and "GradeScaleShape" in result.output and "adequate" in result.output


@pytest.mark.parametrize("jobs, batch", [("1", "1"), ("2", "5")])
def test_ctrl_c_stops_ingest_with_130_and_keeps_what_was_stored(tmp_path, jobs, batch):
    store = tmp_path / "store"
    command = [sys.executable, "-m", "peelgraph.cli", "--store", str(store), "ingest", str(DEV), "-v"]
    process = subprocess.Popen(
        [*command, "--jobs", jobs, "--batch", batch], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    for line in process.stdout:
        if line.startswith("[2/"):
            workers = _children_of(process.pid)
            process.send_signal(signal.SIGINT)
            break
    else:
        pytest.fail("ingest ended before it could be interrupted")
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    total = len(list(DEV.iterdir()))
    message = re.fullmatch(rf"interrupted: (\d+) of {total} articles stored\n", stderr)
    assert message, stderr
    stored = json.loads(run("stats", "--json", store=store).output)["articles"]
    assert stored == int(message[1]) and 2 <= stored < total
    assert len(workers) == (2 if jobs == "2" else 0)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # the workers ended too
    assert run("validate", store=store).exit_code == 0


def _children_of(pid: int) -> list[str]:
    """The processes (e.g. extraction workers) still running whose parent was pid."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            if f"PPid:\t{pid}\n" in status.read_text():
                found.append(status.parent.name)
    return found


def test_workers_end_when_ingest_is_killed(tmp_path):
    command = [sys.executable, "-m", "peelgraph.cli", "--store", str(tmp_path / "store"), "ingest", str(DEV), "-v"]
    process = subprocess.Popen([*command, "--jobs", "2", "--batch", "1"], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("[1/")
    workers = _children_of(process.pid)
    assert len(workers) == 2
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def test_a_bug_is_one_line_and_exit_70_and_v_shows_the_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("peelgraph.store.querying.counts", broken)
    store = tmp_path / "store"
    assert run("ingest", str(SAMPLES / "2017-kent-legitimacy.md"), "-j", "1", store=store).exit_code == 0
    result = run("stats", store=store)
    assert result.exit_code == 70
    assert result.output == (
        "Error: internal error (ZeroDivisionError: division by zero); "
        "run with -v (peelgraph -v ...) for the traceback\n"
    )
    shown = CliRunner().invoke(main, ["-v", "--store", str(store), "stats"])
    assert isinstance(shown.exception, ZeroDivisionError)


def test_values_that_are_not_an_iri_and_one_line_updates(tmp_path):
    store = tmp_path / "store"
    assert run("ingest", str(SAMPLES / "2017-kent-legitimacy.md"), "-j", "1", store=store).exit_code == 0
    bad = run("query", "judgements", "--values", "force=<>", store=store)
    assert bad.exit_code == 2 and bad.output.startswith("Error: --values: <> is not an IRI")
    update = "PREFIX ex: <urn:ex:> INSERT DATA { GRAPH ex:g { ex:a ex:b ex:c } }"
    assert run("query", update, store=store).exit_code == 2
    assert run("query", update, "--update", store=store).output == "Update applied.\n"


def test_ctrl_c_stops_a_running_query(tmp_path):
    store = tmp_path / "store"
    assert run("ingest", str(SAMPLES / "2017-kent-legitimacy.md"), "-j", "1", store=store).exit_code == 0
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    command = [sys.executable, "-m", "peelgraph.cli", "--store", str(store), "query", endless]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _children_of(process.pid):
        time.sleep(0.1)
    query = _children_of(process.pid)
    assert query, "the query did not start in a process of its own"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 130 and stderr == "interrupted: the query was stopped\n"
    assert not [pid for pid in query if Path(f"/proc/{pid}").exists()]
