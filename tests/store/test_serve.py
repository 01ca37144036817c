"""The local SPARQL endpoint, over plain HTTP: the protocol, CORS, the query page's files, and
answers that follow what another process writes to the store (the page in a browser is tested in
test_serve_page.py)."""

import contextlib
import csv
import io
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from importlib.resources import files
from pathlib import Path

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
    assert "--timeout SECONDS" in text and "[default: 30; x>0]" in text and "--allow-service" in text
    assert "killed when its --timeout runs out (503, one line) or when its client disconnects" in text
    assert "within 10 s" in text and "at most 64" in text and "at most 1 MB (413 above)" in text


# ---- under load: time limits, connections, requests that lie, bugs -------------------------------

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # a cross product


def children() -> dict[int, str]:
    """The processes this one started that are still there (not reaped), by pid: their state
    (R running, S sleeping...)."""
    found = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            state, parent = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):  # ended meanwhile
            continue
        if int(parent) == os.getpid() and state != "Z":
            found[int(name)] = state
    return found


def new_child(before: set[int], seconds: float = 10) -> int:
    """The pid of the process started since `before` was taken (a query's), once it runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        running = [pid for pid, state in children().items() if pid not in before and state == "R"]
        if running:
            return running[0]
        time.sleep(0.02)
    raise AssertionError("no query process was started")


def gone(pid: int, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while pid in children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def exchange(base: str, data: bytes, wait: float = 10) -> tuple[int | None, str, float]:
    """Send raw bytes to the server and read its answer: (status or None, body, seconds taken)."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=wait) as connection:
        connection.sendall(data)
        answer = b""
        with contextlib.suppress(ConnectionResetError):  # closed with what was sent unread
            while chunk := connection.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split()[1]) if head else None
    return status, body.decode(), time.monotonic() - started


def filled_store(location) -> None:
    """A store on disk of 1,000 triples: a cross product of four patterns over it never ends."""
    triples = " ".join(f"<urn:example:s{i}> <urn:example:p> {i} ." for i in range(1000))
    with EmbeddedStore(location) as store:
        store.update(f"INSERT DATA {{ GRAPH <urn:example:g> {{ {triples} }} }}")


def test_a_query_out_of_time_is_stopped_and_its_process_ended(tmp_path, monkeypatch):
    """`peelgraph serve --timeout 1` (in a thread here): a query that would never end is answered
    503 within seconds, and the process that ran it is gone: not left using the processor."""
    location = tmp_path / "store"
    filled_store(location)
    started, results = queue.Queue(), []
    monkeypatch.setattr(serve, "server", _keeping(serve.server, started))
    command = ["--store", str(location), "serve", "--port", "0", "--timeout", "1", "--allow-service"]
    before = set(children())
    thread = threading.Thread(target=lambda: results.append(CliRunner().invoke(main, command)))
    thread.start()
    httpd = started.get(timeout=60)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        answers = queue.Queue()
        asking = threading.Thread(target=lambda: answers.put(exchange(base, get_request(ENDLESS))))
        asking.start()
        query_process = new_child(before)
        status, body, seconds = answers.get(timeout=10)
        assert status == 503 and body == "query stopped after 1 s (serve --timeout)\n"
        assert seconds < 4
        assert gone(query_process, 1)
        assert not [pid for pid, state in children().items() if pid not in before and state == "R"]

        # the server answers on, and SERVICE is allowed with --allow-service
        assert rows(base, FOUND) == []
        service = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        assert rows(base, service) == [{}]
    finally:
        httpd.shutdown()
        thread.join(60)
    assert results[0].exit_code == 0, results[0].output
    assert set(children()) <= before  # its query processes ended with it


def get_request(sparql: str) -> bytes:
    return f"GET /query?{urllib.parse.urlencode({'query': sparql})} HTTP/1.1\r\nHost: x\r\n\r\n".encode()


def test_a_client_that_goes_away_stops_its_query(serving, serve_store):
    base = serving(serve_store, timeout=60)
    before = set(children())
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    with socket.create_connection((host, port)) as connection:
        connection.sendall(get_request(ENDLESS))
        query_process = new_child(before)
    assert gone(query_process, 3)
    assert request(base + "/query?" + urllib.parse.urlencode({"query": COUNT}))[0] == 200


@pytest.mark.parametrize(
    "length, status, message",
    [
        (None, 400, "A POST needs a Content-Length header."),
        ("-1", 400, "Content-Length must be a number of bytes."),
        ("abc", 400, "Content-Length must be a number of bytes."),
        ("300000000", 413, "Query too large: at most 1,000,000 bytes."),
    ],
)
def test_content_length_is_checked(serving, serve_store, length, status, message):
    """Refused in a line, at once: the 300 MB announced are not waited for."""
    base = serving(serve_store)
    header = "" if length is None else f"Content-Length: {length}\r\n"
    head = f"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n{header}\r\n"
    assert exchange(base, head.encode(), wait=3)[:2] == (status, message + "\n")


def test_a_request_that_does_not_all_arrive_is_not_waited_for(serving, serve_store):
    base = serving(serve_store, idle=0.5)
    head = "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\n"
    status, body, seconds = exchange(base, head.encode() + b"ASK {}", wait=5)
    assert status == 408 and body == "The request's 100 bytes did not all arrive within 0.5 s.\n"
    assert seconds < 2
    # nothing sent at all, or a head never finished: closed without an answer
    for sent in (b"", b"GET /query?query=ASK%7B%7D HTTP/1.1\r\n"):
        assert exchange(base, sent, wait=5)[0] is None


def test_half_open_connections_take_no_threads(serving, serve_store):
    """300 connections that send nothing, or half a request, and keep still: no thread each (the
    ThreadingHTTPServer this replaced had one for each, up to any number), and queries are answered."""
    base = serving(serve_store)
    count = base + "/query?" + urllib.parse.urlencode({"query": COUNT})
    assert request(count)[0] == 200
    threads = threading.active_count()
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    connections = [socket.create_connection((host, port)) for _ in range(300)]
    try:
        for connection in connections[::2]:
            connection.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.3)
        assert threading.active_count() <= threads + 1
        started = time.monotonic()
        assert request(count)[0] == 200 and time.monotonic() - started < 2
        assert threading.active_count() <= threads + 1
    finally:
        for connection in connections:
            connection.close()


def test_requests_beyond_the_connections_allowed_wait_then_are_refused(serving, serve_store):
    base = serving(serve_store, connections=1, idle=0.5)
    threads = threading.active_count()
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    with socket.create_connection((host, port)) as first:
        first.sendall(get_request(ENDLESS))  # takes the one thread
        time.sleep(0.2)
        status, body, seconds = exchange(base, get_request(COUNT), wait=5)
        assert status == 503 and body == "Busy: every connection is taken; ask again shortly.\n"
        assert 0.2 < seconds < 2  # it waited its turn, as long as a request may take to arrive
        assert threading.active_count() <= threads + 1
    # the first client gone, its query is stopped and the thread free
    assert request(base + "/query?" + urllib.parse.urlencode({"query": COUNT}))[0] == 200


def test_service_is_refused_unless_allowed(serving, serve_store):
    service = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    url = serving(serve_store) + "/query?" + urllib.parse.urlencode({"query": service})
    status, _, body = request(url)
    assert status == 403 and body.startswith("Refused: the query uses SERVICE") and "--allow-service" in body
    assert rows(serving(serve_store, allow_service=True), service) == [{}]


def test_a_bug_is_a_line_to_the_client_and_a_line_on_stderr(serving, serve_store, monkeypatch, capfd):
    def injected(*args):
        raise RuntimeError("injected\nsecond line")

    count = "/query?" + urllib.parse.urlencode({"query": COUNT})
    capfd.readouterr()
    monkeypatch.setattr(serve, "answer", injected)  # in the query process (forked from this one)
    assert request(serving(serve_store) + count)[:3:2] == (500, "Internal error: the server could not answer.\n")
    monkeypatch.setattr(serve, "refuse_service", injected)  # in the server
    assert request(serving(serve_store) + count)[:3:2] == (500, "Internal error: the server could not answer.\n")
    assert capfd.readouterr().err.splitlines() == [
        "peelgraph serve: internal error answering GET /query: in a query process: RuntimeError: injected",
        "peelgraph serve: internal error answering GET /query: RuntimeError: injected",
    ]
    # with peelgraph -v, the traceback too
    assert request(serving(serve_store, verbose=True) + count)[0] == 500
    err = capfd.readouterr().err
    assert err.startswith("peelgraph serve: internal error answering GET /query: RuntimeError: injected\n")
    assert "Traceback (most recent call last)" in err and 'raise RuntimeError("injected' in err
