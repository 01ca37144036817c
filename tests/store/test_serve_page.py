"""The query page `peelgraph serve` gives at / (views/static/endpoint.*), in real headless Chromium
(the system's `chromium` driven by playwright: the browser fixture in tests/conftest.py), and the
endpoint asked from a page of another origin, with and without CORS."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from peelgraph.store.named import named_queries
from peelgraph.store.querying import sparql_text

MALICIOUS = "<img src=x onerror=alert(1)>"
COLUMNS = ["force", "round", "area", "grade", "current", "article", "evidence"]
# A query from a page elsewhere, as a browser-based SPARQL client sends it: the body's type makes
# the browser ask first (the preflight).
FETCH = """async (url) => {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?t } }",
    });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { failed: String(error) };
  }
}"""


# The page has its answer: the Run button is back and the status line no longer says "running".
ANSWERED = """() => !document.getElementById("run").disabled
  && !document.getElementById("status").textContent.startsWith("running")"""


class Visit:
    """The query page opened in the browser, with every request, console message, page error and
    dialog it caused."""

    def __init__(self, browser, base: str):
        self.base = base
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(base + "/")
        try:
            self.page.wait_for_selector("body[data-ready]", state="attached", timeout=10_000)
        except Exception as error:  # report what the page said rather than a bare time-out
            raise AssertionError(f"the page never got ready: errors={self.errors} console={self.console}") from error

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def run(self, sparql: str | None = None, key: bool = False) -> str:
        """Run the query in the box (after writing this one in it), by the button or Ctrl+Enter;
        the status line once answered."""
        if sparql is not None:
            self.page.fill("#query", sparql)
        if key:
            self.page.press("#query", "Control+Enter")
        else:
            self.page.click("#run")
        self.page.wait_for_function(ANSWERED)
        return self.page.inner_text("#status")

    def check_clean(self, refused: tuple[str, ...] = ()):
        """Nothing asked of another host, and no error but the browser's note of each answer
        refused as expected (refused: "400 (Bad Request)" and the like)."""
        outside = [url for url in self.requests if not url.startswith(self.base + "/")]
        assert not outside, f"the page requested {outside}"
        notes = [f"Failed to load resource: the server responded with a status of {status}" for status in refused]
        errors = [text for kind, text in self.console if kind == "error" and text not in notes]
        assert not errors, f"console errors: {errors}"
        assert not self.errors, f"page errors: {self.errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"


@pytest.fixture
def visit(browser):
    visits = []

    def open_page(base: str) -> Visit:
        visits.append(Visit(browser, base))
        return visits[-1]

    yield open_page
    for v in visits:
        v.page.close()


@pytest.fixture
def other_origin():
    """The origin of another site (another port of 127.0.0.1), serving an empty page."""

    class Blank(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!DOCTYPE html><title>elsewhere</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_named_query_runs_into_a_table(visit, serving, serve_store):
    v = visit(serving(serve_store))
    page = v.page
    options = page.eval_on_selector_all("#example option", "options => options.map((o) => o.value)")
    assert options == ["", *named_queries()]

    page.select_option("#example", "judgements")
    assert page.input_value("#query") == sparql_text("judgements")  # with its PREFIX lines
    status = v.run()
    assert re.fullmatch(r"5 rows in \d+\.\d\d s", status), status
    assert page.eval_on_selector_all("#results th", "cells => cells.map((c) => c.textContent)") == COLUMNS
    assert page.locator("#results tbody tr").count() == 5
    table = page.inner_text("#results table")
    assert "Cumbria Constabulary" in table and "outstanding" in table and "Dorset Police" in table
    assert page.is_hidden("#error")

    page.select_option("#example", "people")
    assert re.fullmatch(r"\d+ rows? in \d+\.\d\d s", v.run())
    assert page.eval_on_selector_all("#results th", "cells => cells.map((c) => c.textContent)") == [
        "person",
        "role",
        "organisation",
        "article",
    ]
    v.check_clean()


def test_errors_answers_and_markup_in_the_results(visit, serving, serve_store):
    v = visit(serving(serve_store))
    page = v.page

    assert v.run("SELECT ?x WHERE { ?x }", key=True) == "failed"
    error = page.inner_text("#error")
    assert page.is_visible("#error") and error.startswith("400 Bad Request") and "syntax error" in error
    assert page.locator("#results *").count() == 0

    assert v.run("INSERT DATA { <urn:example:a> <urn:example:b> <urn:example:c> }") == "failed"
    assert page.inner_text("#error").startswith("403 Forbidden") and "read-only" in page.inner_text("#error")

    v.run("ASK { GRAPH ?g { ?s ?p ?o } }")
    assert page.is_hidden("#error") and page.inner_text("#results .boolean") == "yes (true)"

    status = v.run(f'SELECT ?text ?nothing WHERE {{ BIND("{MALICIOUS}" AS ?text) }}')
    assert status.startswith("1 row in ")
    assert page.inner_text("#results td") == MALICIOUS and page.locator("img").count() == 0
    assert page.locator("#results td.unbound").count() == 1

    status = v.run(
        "CONSTRUCT { ?f ?p ?o } WHERE { GRAPH <https://w3id.org/peelgraph/graph/gazetteer> { ?f ?p ?o } } LIMIT 3"
    )
    assert re.fullmatch(r"3 triples in \d+\.\d\d s", status)
    assert len(page.inner_text("#results pre").strip().splitlines()) == 3

    page.fill("#query", "")
    page.click("#run")
    assert page.inner_text("#error") == "Write a query first, or choose a named query."
    v.check_clean(refused=("400 (Bad Request)", "403 (Forbidden)"))


def test_a_page_elsewhere_may_ask_only_when_its_origin_is_allowed(browser, serving, serve_store, other_origin):
    page = browser.new_page()
    try:
        page.goto(other_origin + "/")
        allowed = page.evaluate(FETCH, serving(serve_store, cors=[other_origin]) + "/query")
        assert allowed["status"] == 200, allowed
        assert int(allowed["body"]["results"]["bindings"][0]["n"]["value"]) > 0
        assert "failed" in page.evaluate(FETCH, serving(serve_store, cors=["http://localhost:1"]) + "/query")
        assert "failed" in page.evaluate(FETCH, serving(serve_store) + "/query")
    finally:
        page.close()
