"""The remote store: a SPARQL 1.1 server. The Graph Store Protocol writes article graphs (one PUT
per article, which the server applies whole or not at all); the SPARQL Protocol runs queries and
updates.

Endpoints default to Oxigraph server's (BASE/query, BASE/update, BASE/store); set
PEELGRAPH_SPARQL_QUERY, PEELGRAPH_SPARQL_UPDATE and PEELGRAPH_SPARQL_GSP for other servers (Fuseki:
BASE/DATASET/query, /update, /data). Named queries expect the server's default graph to be the union
of its named graphs (Oxigraph: --union-default-graph; Fuseki: unionDefaultGraph). A server keeps no
answers beside the graphs: every named query runs as SPARQL there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
from rdflib import Graph

from peelgraph.errors import StoreError
from peelgraph.rdf.graphs import REFERENCE_GRAPHS, reference_ntriples, sorted_lines
from peelgraph.store.base import Listing

SPARQL_RESULTS = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


class RemoteStore(Listing):
    """A SPARQL 1.1 server holding article graphs; the same methods as EmbeddedStore."""

    keeps_answers = False
    bulk_loads = False
    legacy_files = None
    TIMEOUT = 120  # seconds a request may take (--remote-timeout)

    def __init__(self, location: str, read_only: bool = False, timeout: float | None = None):
        base = location.rstrip("/")
        self.location = location
        self.read_only = read_only
        self.timeout = timeout or self.TIMEOUT
        self.query_url = os.environ.get("PEELGRAPH_SPARQL_QUERY", base + "/query")
        self.update_url = os.environ.get("PEELGRAPH_SPARQL_UPDATE", base + "/update")
        self.gsp_url = os.environ.get("PEELGRAPH_SPARQL_GSP", base + "/store")
        self._sparql("ASK {}")

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def remove_legacy_files(self) -> None:
        pass

    # the protocols -------------------------------------------------------------------------------
    def _request(self, method: str, url: str, data: bytes | None = None, content_type: str | None = None,
                 accept: str | None = None) -> bytes:  # fmt: skip
        request = Request(url, data=data, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        try:
            with urlopen(request, timeout=self.timeout) as response:
                body = response.read()
                if method == "PUT":
                    self._check_stored(response.status, body, url)
                return body
        except HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip().splitlines()
            answered = f"{error.code} {error.reason}: {detail[0] if detail else ''}"
            raise StoreError(f"{self.location}: the SPARQL server answered {answered}") from error
        except TimeoutError as error:
            raise StoreError(f"{self.location}: no answer from the SPARQL server in {self.timeout:g} s") from error
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"{self.location}: cannot reach the SPARQL server: {reason}") from error
        except HTTPException as error:
            kind = type(error).__name__
            raise StoreError(f"{self.location}: the SPARQL server's answer is not HTTP ({kind})") from error

    def _check_stored(self, status: int, body: bytes, url: str) -> None:
        """A Graph Store PUT is applied when the server says so: 201 Created or 204 No Content, or
        200 with no body or a JSON one (Fuseki's counts). Anything else is not a graph store."""
        if status in (201, 204) or (status == 200 and _empty_or_json(body)):
            return
        raise StoreError(
            f"{self.location}: the server answered {status} to a Graph Store PUT at {url} with "
            f"{'a body that is not the protocol' if body.strip() else 'no body'}; nothing is counted as stored"
        )

    def _sparql(self, sparql: str):
        body = self._request("POST", self.query_url, urlencode({"query": sparql}).encode(), FORM, SPARQL_RESULTS)
        try:
            data = json.loads(body)
            return data["boolean"] if "boolean" in data else Solutions(data)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise StoreError(f"{self.location}: the SPARQL server's answer is not SPARQL JSON results") from error

    def _graph_url(self, name: str) -> str:
        return self.gsp_url + "?" + urlencode({"graph": name})

    # writing ---------------------------------------------------------------------------------
    def replace_graph(self, name: str, graph: Graph, answers: dict[str, str] | None = None) -> None:
        self.replace_graph_data(name, graph.serialize(format="nt"))

    def replace_graph_data(self, name: str, ntriples: str, answers: dict[str, str] | None = None) -> None:
        self._request("PUT", self._graph_url(name), ntriples.encode("utf-8"), "application/n-triples")

    def add_graphs(self, graphs: dict[str, tuple[str, dict[str, str] | None]]) -> None:
        for name, (ntriples, _) in graphs.items():
            self.replace_graph_data(name, ntriples)

    def remove_graph(self, name: str) -> None:
        self.update(f"DROP SILENT GRAPH <{name}>")

    def has_graph(self, name: str) -> bool:
        return bool(self._sparql(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"))

    def ensure_reference(self) -> None:
        for name, ntriples in reference_ntriples().items():
            self.replace_graph_data(name, ntriples)

    def update(self, sparql: str) -> None:
        self._request("POST", self.update_url, urlencode({"update": sparql}).encode(), FORM)

    # reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, substitutions: dict | None = None):
        """A query; a server cannot be asked to bind variables, so substitutions are left to the
        caller, which filters the rows (querying.run)."""
        return self._sparql(sparql)

    def article_graphs(self) -> list[str]:
        rows = self._sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"].value for r in rows if r["g"].value not in REFERENCE_GRAPHS)

    def triple_count(self) -> int:
        reference = ", ".join(f"<{g}>" for g in REFERENCE_GRAPHS)
        rows = self._sparql(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({reference})) }}"
        )
        return int(next(iter(rows))["n"].value)

    def ntriples(self, name: str) -> str:
        return self._request("GET", self._graph_url(name), accept="application/n-triples").decode("utf-8")

    def graph(self, name: str) -> Graph:
        return Graph().parse(data=self.ntriples(name), format="nt")

    def _graph_quads(self, name: str) -> list[ox.Quad]:
        try:
            triples = ox.parse(self.ntriples(name).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
            return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name)) for t in triples]
        except SyntaxError as error:
            raise StoreError(f"{self.location}: graph {name} as the server sent it is not N-Triples") from error

    def quads(self, include_reference: bool = False) -> Iterator[ox.Quad]:
        for name in self.graph_names(include_reference):
            yield from sorted(self._graph_quads(name), key=str)

    def nquads(self, include_reference: bool = False) -> Iterator[bytes]:
        for name in self.graph_names(include_reference):
            yield sorted_lines(ox.serialize(self._graph_quads(name), format=ox.RdfFormat.N_QUADS))

    # kept answers: a server keeps none -----------------------------------------------------------
    def kept_answers(self, query: str) -> dict[str, str]:
        return {}

    def answers_digest(self) -> str | None:
        return None

    def keep_answers(self, name: str, answers: dict[str, str]) -> None:
        pass

    def keep_answers_digest(self, digest: str | None) -> None:
        pass

    def merged_answers(self, query: str) -> str | None:
        return None

    def keep_merged_answers(self, tables: dict[str, str]) -> None:
        pass


def _empty_or_json(body: bytes) -> bool:
    if not body.strip():
        return True
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


class Solutions:
    """SPARQL JSON results as rows of Oxigraph terms, so remote and local results read alike."""

    def __init__(self, data: dict):
        self.variables = [ox.Variable(v) for v in data["head"]["vars"]]
        self._rows = [{k: _term(v) for k, v in binding.items()} for binding in data["results"]["bindings"]]

    def __iter__(self):
        names = [v.value for v in self.variables]
        return (Row(row, names) for row in self._rows)


class Row:
    """One solution: its values by variable name or in variable order, as Oxigraph's are."""

    def __init__(self, values: dict, names: list[str]):
        self._values, self._names = values, names

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._values.get(self._names[key])
        return self._values.get(key.value if isinstance(key, ox.Variable) else key)

    def __iter__(self):
        return (self._values.get(name) for name in self._names)

    def __len__(self) -> int:
        return len(self._names)


_TERMS = {
    "uri": lambda b: ox.NamedNode(b["value"]),
    "bnode": lambda b: ox.BlankNode(b["value"]),
    "literal": lambda b: (
        ox.Literal(b["value"], language=b["xml:lang"])
        if "xml:lang" in b
        else ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
        if "datatype" in b
        else ox.Literal(b["value"])
    ),
}
_TERMS["typed-literal"] = _TERMS["literal"]


def _term(binding: dict):
    return _TERMS[binding["type"]](binding)
