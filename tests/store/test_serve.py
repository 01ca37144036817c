"""The local SPARQL endpoint, over plain HTTP: the protocol, CORS, the query page's files, and
answers that follow what another process writes to the store (the page in a browser is tested in
test_serve_page.py)."""

import csv
import io
import json
import queue
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from importlib.resources import files

import pytest
from click.testing import CliRunner

from peelgraph.cli import main
from peelgraph.errors import QueryError, StoreError
from peelgraph.store import EmbeddedStore, serve
from peelgraph.store.named import named_queries
from peelgraph.store.querying import sparql_text
from peelgraph.store.serve import LiveStore, server, writer_present

COUNT = "SELECT (COUNT(DISTINCT ?j) AS ?n) WHERE { GRAPH ?g { ?j a <https://w3id.org/peelgraph/ontology#Judgement> } }"
ORIGIN = "http://localhost:3000"
STATIC = files("peelgraph.views") / "static"
EXAMPLES = re.compile(r'<script type="application/json" id="examples">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def endpoint(seed_store):
    httpd = server(seed_store, port=0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/query"
    httpd.shutdown()
    httpd.server_close()


def _get(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Content-Type"], response.read().decode()


def test_get_json(endpoint):
    media, body = _get(endpoint + "?" + urllib.parse.urlencode({"query": COUNT}), "application/sparql-results+json")
    assert media == "application/sparql-results+json"
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) >= 30


def test_post_form_xml_csv_tsv(endpoint):
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    for accept, check in (
        ("application/sparql-results+xml", lambda b: ElementTree.fromstring(b).tag.endswith("sparql")),
        ("text/csv", lambda b: list(csv.reader(io.StringIO(b)))[0] == ["n"]),
        ("text/tab-separated-values", lambda b: b.splitlines()[0] == "?n"),
    ):
        request = urllib.request.Request(
            endpoint, data=form, headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Type"] == accept and check(response.read().decode())


def test_post_query_body_and_construct(endpoint):
    body = b"CONSTRUCT { ?f ?p ?o } WHERE { GRAPH <https://w3id.org/peelgraph/graph/gazetteer> { ?f ?p ?o } } LIMIT 5"
    request = urllib.request.Request(
        endpoint, data=body, headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"] == "application/n-triples" and response.read().count(b" .\n") == 5


@pytest.mark.parametrize(
    "method, data, status",
    [
        ("GET", None, 400),  # no query
        (
            "POST",
            b"update=INSERT%20DATA%20%7B%20%3Curn%3Aa%3E%20%3Curn%3Ab%3E%20%3Curn%3Ac%3E%20%7D&query=INSERT%20DATA%20%7B%7D",
            403,
        ),
        ("POST", b"query=SELECT%20%3Fx%20WHERE%20%7B%20%3Fx%20%3Fy%20%7D", 400),  # syntax error
        ("PUT", b"x", 405),
    ],
)
def test_refusals(endpoint, method, data, status):
    request = urllib.request.Request(
        endpoint, data=data, method=method, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == status


# ---- helpers -----------------------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
FOUND = "SELECT ?o WHERE { GRAPH ?g { <urn:example:a> <urn:example:b> ?o } }"
# Another process writing to the store: it stores one triple, says so, and keeps the store open
# until it reads a line.
WRITER = """
import sys
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.update("INSERT DATA { GRAPH <urn:example:new> { <urn:example:a> <urn:example:b> 'written' } }")
print("written", flush=True)
sys.stdin.readline()
"""


def request(url, method="GET", data=None, headers=None):
    """(status, headers, body) of one request, errors included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers or {}, method=method), timeout=60) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def rows(base: str, sparql: str) -> list[dict[str, str]]:
    """A query's rows as the endpoint answers it in SPARQL JSON: each a value by variable."""
    form = urllib.parse.urlencode({"query": sparql}).encode()
    status, _, body = request(base + "/query", "POST", form, {"Content-Type": FORM, "Accept": "application/json"})
    assert status == 200, body
    return [{name: term["value"] for name, term in row.items()} for row in json.loads(body)["results"]["bindings"]]


def cors_headers(headers) -> list[str]:
    return [name for name in headers if name.lower().startswith("access-control-")]


def new_store(location) -> None:
    with EmbeddedStore(location) as store:
        store.update("INSERT DATA { GRAPH <urn:example:old> { <urn:example:a> <urn:example:b> 'before' } }")


@pytest.fixture
def writer(tmp_path):
    """Start another process writing to a store: it has written when this returns, and it closes
    the store when the test ends or calls finish()."""
    processes = []

    def start(location):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(location)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        processes.append(process)
        assert process.stdout.readline() == "written\n"
        return lambda: process.communicate("\n", timeout=60)

    yield start
    for process in processes:
        if process.poll() is None:
            process.communicate("\n", timeout=60)


# ---- CORS --------------------------------------------------------------------------------------


def test_cors_headers_for_the_origins_given_only(serving, serve_store):
    base = serving(serve_store, cors=[ORIGIN, "http://127.0.0.1:8080"])
    count = base + "/query?" + urllib.parse.urlencode({"query": COUNT})
    status, headers, body = request(count, headers={"Origin": ORIGIN, "Accept": "text/csv"})
    assert status == 200 and body.split() == ["n", "5"]
    assert headers["Access-Control-Allow-Origin"] == ORIGIN and headers["Vary"] == "Origin"
    status, headers, _ = request(count, headers={"Origin": "http://elsewhere.test"})
    assert status == 200 and cors_headers(headers) == []

    # the preflight a browser sends before POSTing an application/sparql-query body
    preflight = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    status, headers, body = request(base + "/query", "OPTIONS", headers=preflight)
    assert status == 204 and body == ""
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert headers["Access-Control-Allow-Headers"] == "Content-Type, Accept"
    status, headers, _ = request(base + "/query", "OPTIONS", headers={**preflight, "Origin": "http://elsewhere.test"})
    assert status == 204 and cors_headers(headers) == []

    # an error is readable by the page that asked, too
    status, headers, body = request(base + "/query?query=SELECT", headers={"Origin": ORIGIN})
    assert status == 400 and "syntax error" in body and headers["Access-Control-Allow-Origin"] == ORIGIN


def test_cors_for_any_origin(serving, serve_store):
    base = serving(serve_store, cors=["*"])
    count = base + "/query?" + urllib.parse.urlencode({"query": COUNT})
    _, headers, _ = request(count, headers={"Origin": "http://anywhere.test:9999"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = request(base + "/query", "OPTIONS", headers={"Origin": "http://anywhere.test:9999"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"


def test_no_cors_headers_without_the_option(serving, serve_store):
    base = serving(serve_store)
    count = base + "/query?" + urllib.parse.urlencode({"query": COUNT})
    status, headers, _ = request(count, headers={"Origin": ORIGIN})
    assert status == 200 and cors_headers(headers) == []
    status, headers, _ = request(base + "/query", "OPTIONS", headers={"Origin": ORIGIN})
    assert status == 204 and cors_headers(headers) == [] and headers["Allow"] == "GET, POST, OPTIONS"


# ---- the query page's files ---------------------------------------------------------------------


def test_query_page_carries_the_named_queries_under_a_strict_policy(serving, serve_store):
    base = serving(serve_store)
    status, headers, html = request(base + "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == policy["connect-src"] == "'self'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"

    examples = json.loads(EXAMPLES.search(html).group(1))
    assert examples == {name: sparql_text(name) for name in named_queries()}
    assert set(examples) >= {"judgements", "people", "quotes", "timeline"}
    assert all(text.startswith("PREFIX ") for text in examples.values())

    # nothing but this server's own script and style sheet
    page = EXAMPLES.sub("", html)
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="endpoint.js">']
    assert re.findall(r"<link\b[^>]*>", page) == ['<link rel="stylesheet" href="endpoint.css">']
    assert not re.search(r"https?:|<(img|iframe|object|embed)\b", page)
    for path, media in (("/endpoint.js", "text/javascript"), ("/endpoint.css", "text/css")):
        status, headers, text = request(base + path)
        assert status == 200 and headers["Content-Type"] == f"{media}; charset=utf-8"
        assert text == (STATIC / path[1:]).read_text(encoding="utf-8") and not re.search(r"https?:", text)
    assert request(base + "/elsewhere")[0] == 404


def test_query_text_cannot_end_the_pages_data_block(monkeypatch):
    sneaky = "SELECT ?x WHERE { BIND('</script><img src=x>' AS ?x) }"
    monkeypatch.setattr(serve, "named_queries", lambda: {"sneaky": None})
    monkeypatch.setattr(serve, "sparql_text", lambda name: sneaky)
    html = serve.page_files()["/"][0].decode("utf-8")
    assert "</script><img" not in html and html.lower().count("</script") == 2
    assert json.loads(EXAMPLES.search(html).group(1)) == {"sneaky": sneaky}


# ---- live answers -------------------------------------------------------------------------------


def test_serve_answers_what_another_process_ingests(tmp_path, serve_articles, monkeypatch):
    """`peelgraph serve` over a store directory (in a thread here), and `peelgraph ingest` of a
    second article in another process meanwhile: it is not kept out, queries are answered while it
    runs, and the next answer after it has its judgements."""
    store = str(tmp_path / "store")
    first = CliRunner().invoke(main, ["--store", store, "ingest", str(serve_articles["dorset.md"]), "-j", "1"])
    assert first.exit_code == 0, first.output
    started, results = queue.Queue(), []
    monkeypatch.setattr(serve, "server", _keeping(serve.server, started))
    command = ["--store", store, "serve", "--port", "0", "--cors", ORIGIN]
    thread = threading.Thread(target=lambda: results.append(CliRunner().invoke(main, command)))
    thread.start()
    httpd = started.get(timeout=60)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        before = rows(base, sparql_text("judgements"))
        assert {(row["force"], row["article"]) for row in before} == {("Dorset Police", "dorset.md")}
        assert len(before) == 3

        statuses, done = [], threading.Event()

        def keep_asking():
            while not done.is_set():
                statuses.append(request(base + "/query?" + urllib.parse.urlencode({"query": COUNT}))[0])
                done.wait(0.05)

        asking = threading.Thread(target=keep_asking)
        asking.start()
        command = [sys.executable, "-m", "peelgraph", "--store", store, "ingest", str(serve_articles["cumbria.md"])]
        try:
            second = subprocess.run([*command, "-j", "1"], capture_output=True, text=True, timeout=600)
        finally:
            done.set()
            asking.join(60)
        assert second.returncode == 0, second.stderr
        assert len(statuses) >= 5 and set(statuses) == {200}

        after = rows(base, sparql_text("judgements"))
        assert {(row["force"], row["area"], row["grade"]) for row in after if row["article"] == "cumbria.md"} == {
            ("Cumbria Constabulary", "treatment of the public", "outstanding"),
            ("Cumbria Constabulary", "protecting vulnerable people", "adequate"),
        }
        assert len(after) == 5
        _, headers, _ = request(base + "/query?" + urllib.parse.urlencode({"query": COUNT}), headers={"Origin": ORIGIN})
        assert headers["Access-Control-Allow-Origin"] == ORIGIN
    finally:
        httpd.shutdown()
        thread.join(60)
    assert results[0].exit_code == 0, results[0].output
    assert f"SPARQL endpoint: {base}/query, query page: {base}/" in results[0].output


def _keeping(make_server, started: queue.Queue):
    """make_server, handing each server it makes to the test as well."""

    def keeping(*args, **kwargs):
        httpd = make_server(*args, **kwargs)
        started.put(httpd)
        return httpd

    return keeping


def test_answers_stay_as_they_were_while_a_writer_is_at_work(tmp_path, serving, writer):
    location = tmp_path / "store"
    new_store(location)
    base = serving(LiveStore(EmbeddedStore(location, read_only=True)))
    assert {row["o"] for row in rows(base, FOUND)} == {"before"}
    assert not writer_present(str(location))

    finish = writer(location)
    # Written, but the store is not opened again while the writer has it: an open made then is not
    # to be trusted.
    assert writer_present(str(location))
    assert {row["o"] for row in rows(base, FOUND)} == {"before"}
    finish()
    assert not writer_present(str(location))
    assert {row["o"] for row in rows(base, FOUND)} == {"before", "written"}


def test_a_query_the_store_failed_runs_again_on_a_fresh_open(tmp_path, writer):
    location = tmp_path / "store"
    new_store(location)
    live = LiveStore(EmbeddedStore(location, read_only=True))
    opens = []

    def failing_once(store):
        opens.append(store)
        if len(opens) == 1:
            raise QueryError("query failed: IO error: a table is gone") from FileNotFoundError("000042.sst")
        return [row["o"].value for row in store.query(FOUND)]

    assert live.run(failing_once) == ["before"]
    assert len(opens) == 2 and opens[0] is not opens[1]

    def bad_query(store):
        opens.append(store)
        raise QueryError("SPARQL syntax error") from SyntaxError("unexpected end")

    with pytest.raises(QueryError, match="syntax"):
        live.run(bad_query)
    assert len(opens) == 3  # not run again: the query was at fault, not the store

    writer(location)
    opens.clear()
    with pytest.raises(StoreError, match="another process is writing"):
        live.run(failing_once)  # failed, and the store cannot be opened again while it is written
    assert len(opens) == 1


def test_serve_refuses_a_sparql_server_as_its_store():
    result = CliRunner().invoke(main, ["--store", "http://127.0.0.1:9/", "serve"])
    assert result.exit_code == 2 and "is a SPARQL server already" in result.output


def test_serve_help():
    text = " ".join(CliRunner().invoke(main, ["serve", "--help"]).output.split())
    assert "--cors ORIGIN" in text and "'*'" in text and "Without it no CORS headers are sent" in text
    assert "with a page at http://HOST:PORT/" in text and "Answers are live" in text
