"""The local SPARQL endpoint, over plain HTTP."""

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

import pytest

from peelgraph.store.serve import server

COUNT = "SELECT (COUNT(DISTINCT ?j) AS ?n) WHERE { GRAPH ?g { ?j a <https://w3id.org/peelgraph/ontology#Judgement> } }"


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
