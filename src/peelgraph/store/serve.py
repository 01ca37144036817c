"""A local, read-only SPARQL 1.1 Protocol endpoint over the store, at http://127.0.0.1:PORT/query.

GET ?query=… or POST (form-encoded `query=…` or an `application/sparql-query` body). Results are
negotiated by the Accept header: SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE
give N-Triples or Turtle. Updates are refused: the store is opened read-only.
"""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

from peelgraph.errors import QueryError
from peelgraph.store.base import Store
from peelgraph.store.querying import is_update

RESULT_FORMATS = {  # media type -> Oxigraph results format
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
MAX_QUERY_BYTES = 1_000_000


def _choose(accept: str, table: dict):
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media, table[media]
    media = next(iter(table))
    return media, table[media]


def make_handler(store: Store):
    class Handler(BaseHTTPRequestHandler):
        server_version = "peelgraph"

        def log_message(self, *args) -> None:  # quiet by default; errors still go back to the client
            pass

        def _reply(self, status: HTTPStatus, body: bytes, media: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, sparql: str | None) -> None:
            if urlparse(self.path).path != "/query":
                return self._reply(HTTPStatus.NOT_FOUND, b"Only /query is served.\n")
            if not sparql:
                return self._reply(HTTPStatus.BAD_REQUEST, b"Give a SPARQL query as ?query= or in the request body.\n")
            if is_update(sparql):
                return self._reply(HTTPStatus.FORBIDDEN, b"This endpoint is read-only: SPARQL Update is refused.\n")
            try:
                results = store.query(sparql)
            except QueryError as error:
                return self._reply(HTTPStatus.BAD_REQUEST, f"{error}\n".encode())
            accept = self.headers.get("Accept", "")
            if isinstance(results, ox.QueryTriples):
                media, rdf_format = _choose(accept, GRAPH_FORMATS)
                return self._reply(HTTPStatus.OK, ox.serialize(results, format=rdf_format) or b"", media)
            media, results_format = _choose(accept, RESULT_FORMATS)
            return self._reply(HTTPStatus.OK, results.serialize(format=results_format), media)

        def do_GET(self) -> None:
            self._answer(parse_qs(urlparse(self.path).query).get("query", [None])[0])

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_BYTES:
                return self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"Query too large.\n")
            body = self.rfile.read(length).decode("utf-8", "replace")
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type == "application/sparql-query":
                return self._answer(body)
            self._answer(parse_qs(body).get("query", [None])[0])

        def do_PUT(self) -> None:
            self._reply(HTTPStatus.METHOD_NOT_ALLOWED, b"This endpoint is read-only.\n")

        do_DELETE = do_PUT

    return Handler


def server(store: Store, port: int = 7878, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """An HTTP server answering SPARQL queries over the store; call serve_forever() on it."""
    return ThreadingHTTPServer((host, port), make_handler(store))
