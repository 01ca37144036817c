"""The remote store against a real Oxigraph SPARQL server on 127.0.0.1 through the command line, and
against servers that fail or answer garbage (the contract both stores keep is in test_contract.py)."""

import http.server
import re
import threading
import time

import pytest
from click.testing import CliRunner

from peelgraph.cli import main
from tests.conftest import SAMPLES, free_port


@pytest.fixture(scope="module")
def server(oxigraph_server):
    return oxigraph_server


def run(*args, store):
    return CliRunner().invoke(main, ["--store", str(store), *args])


@pytest.fixture(scope="module")
def loaded(server, tmp_path_factory):
    local = tmp_path_factory.mktemp("local") / "store"
    for store in (server, local):
        result = run("ingest", str(SAMPLES), "-j", "1", store=store)
        assert result.exit_code == 0, result.output
    return server, local


@pytest.mark.parametrize("name", ["judgements", "people", "quotes", "timeline", "statistics"])
def test_named_queries_match_the_local_store(loaded, name):
    remote, local = loaded
    remote_rows = run("query", name, "--format", "csv", store=remote).output
    assert remote_rows == run("query", name, "--format", "csv", store=local).output
    assert len(remote_rows.splitlines()) > 2


def test_export_matches_the_local_store(loaded):
    remote, local = loaded
    remote_lines = run("export", "--format", "nquads", store=remote).output.splitlines()
    assert sorted(remote_lines) == sorted(run("export", "--format", "nquads", store=local).output.splitlines())
    assert len(remote_lines) > 1000


def test_validate_conforms_and_stats(loaded):
    remote, _ = loaded
    assert run("validate", store=remote).exit_code == 0
    stats = dict(line.split() for line in run("stats", store=remote).output.splitlines())
    assert stats["articles"] == str(len(list(SAMPLES.glob("*.md"))))


def test_reingest_replaces_and_conflicts_are_found(server, tmp_path):
    (tmp_path / "a.txt").write_text("PEEL 2016: Essex Police was rated good at investigating crime.")
    (tmp_path / "b.txt").write_text("In PEEL 2016, Essex Police was rated inadequate at investigating crime.")
    before = run("stats", store=server).output
    assert run("ingest", str(tmp_path / "a.txt"), store=server).exit_code == 0
    assert run("ingest", str(tmp_path / "a.txt"), store=server).exit_code == 0  # replaced, not doubled
    assert run("ingest", str(tmp_path / "b.txt"), store=server).exit_code == 0
    result = run("validate", store=server)
    assert result.exit_code == 1 and "OneGradeShape" in result.output
    conflicts = run("query", "conflicts", "--format", "csv", store=server).output
    assert "Essex Police,2016,investigating crime and reducing re-offending" in conflicts
    assert before != run("stats", store=server).output


def test_server_down_is_one_clear_line(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    result = run("ingest", str(SAMPLES), store=url)
    assert result.exit_code == 2
    assert result.output.strip().endswith("cannot reach the SPARQL server: [Errno 111] Connection refused")


class _Failing(http.server.BaseHTTPRequestHandler):
    def _fail(self):
        self.send_response(503, "Service Unavailable")
        self.end_headers()
        self.wfile.write(b"store is read-only for maintenance\n")

    do_GET = do_POST = do_PUT = _fail

    def log_message(self, *args):
        pass


def test_server_error_is_reported_and_nothing_is_half_written():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        result = run("ingest", str(SAMPLES), store=f"http://127.0.0.1:{httpd.server_address[1]}")
    finally:
        httpd.shutdown()
    assert result.exit_code == 2
    assert "the SPARQL server answered 503 Service Unavailable: store is read-only for maintenance" in result.output


ASK_TRUE = b'{"head": {}, "boolean": true}'
EMPTY_SELECT = b'{"head": {"vars": ["g"]}, "results": {"bindings": []}}'


class _Garbage(http.server.BaseHTTPRequestHandler):
    """A server that answers ASK {} as a SPARQL server would and then answers garbage the way
    `answers` says: by the request's method, a status and body, or raw bytes instead of HTTP."""

    answers: dict = {}

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if b"ASK+%7B%7D" in body:
            return self._send(200, ASK_TRUE)
        answer = self.answers.get(self.command, (200, EMPTY_SELECT))
        if isinstance(answer, bytes):
            self.wfile.write(answer)  # not even an HTTP status line
            return
        if isinstance(answer, float):
            time.sleep(answer)
            answer = (200, EMPTY_SELECT)
        self._send(*answer)

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    "answers, command, message",
    [
        (
            {"PUT": (200, b"<html>welcome to my blog</html>")},
            ("ingest", str(SAMPLES / "2017-kent-legitimacy.md"), "-j", "1"),
            "the server answered 200 to a Graph Store PUT at .* with a body that is not the protocol",
        ),
        ({"PUT": (202, b"")}, ("ingest", str(SAMPLES / "2017-kent-legitimacy.md"), "-j", "1"), "answered 202"),
        ({"POST": (200, b"{not json")}, ("query", "judgements"), "answer is not SPARQL JSON results"),
        ({"POST": (200, b'{"head": {"vars": ["x"]}, "results": {"bindings": [[1]]}}')}, ("stats",), "not SPARQL JSON"),
        ({"POST": (200, b'{"head": {"vars": ["x"]}}')}, ("query", "timeline"), "not SPARQL JSON results"),
        ({"POST": b"garbage\r\n\r\n"}, ("query", "timeline"), r"answer is not HTTP \(BadStatusLine\)"),
        ({"POST": 3.0}, ("--remote-timeout", "0.5", "query", "timeline"), "no answer from the SPARQL server in 0.5 s"),
    ],
)
def test_garbage_from_a_server_is_one_line_and_exit_2(answers, command, message):
    handler = type("Handler", (_Garbage,), {"answers": answers})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        options, arguments = (command[:2], command[2:]) if command[0].startswith("--") else ((), command)
        result = CliRunner().invoke(main, [*options, "--store", url, *arguments])
    finally:
        httpd.shutdown()
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and re.search(message, result.output), result.output
    assert "Ingested" not in result.output
