"""A local, read-only SPARQL 1.1 Protocol endpoint over the store, at http://127.0.0.1:PORT/query,
with a page to query it from a browser at http://127.0.0.1:PORT/.

GET ?query=… or POST (form-encoded `query=…` or an `application/sparql-query` body). Results are
negotiated by the Accept header: SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE
give N-Triples or Turtle. Updates are refused: the store is opened read-only.

Answers are live: a store on disk is read through a read-only open, which takes no lock, so
`peelgraph ingest` can write meanwhile, and which is made again once a write has changed the
store's files and the writer has finished (LiveStore): what an ingest stored is in the first answer
after it ends.

Browsers: the page at / (views/static/endpoint.*) needs nothing but this server. A page served from
elsewhere may query the endpoint only from the origins given (cors), which are sent the CORS headers
and answered on OPTIONS (the preflight); without any, no CORS header is sent and browsers keep other
origins out.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from string import Template
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

from peelgraph.errors import QueryError, StoreError
from peelgraph.store.base import Store
from peelgraph.store.embedded import EmbeddedStore, first_line
from peelgraph.store.named import named_queries
from peelgraph.store.querying import is_update, sparql_text

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

PAGE_FILES = {  # path -> the page's file (in peelgraph.views' static folder) and its media type
    "/": ("endpoint.html", "text/html; charset=utf-8"),
    "/endpoint.css": ("endpoint.css", "text/css; charset=utf-8"),
    "/endpoint.js": ("endpoint.js", "text/javascript; charset=utf-8"),
}
# The page may run its own script and style sheet and ask this server, nothing else.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
METHODS = "GET, POST, OPTIONS"
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": METHODS,
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "600",
}

# The files a write appends to without adding or removing any: Oxigraph's (RocksDB's) write-ahead
# logs, which every transaction goes to, and the manifest and its pointer.
GROWING = (".log", "MANIFEST-", "CURRENT")
# A process with the store open to write holds a POSIX lock on its LOCK file. It is looked for with
# F_GETLK, which takes no lock, so a writer starting meanwhile is never refused. The layout of
# struct flock (l_type first) is known here for Linux; elsewhere a writer is always assumed, so the
# store is not opened again and answers stay as it was when serve started.
FLOCK = {"linux": "hhqqi4x"}.get(sys.platform)


def store_signature(location: str) -> tuple:
    """What a write to an on-disk store changes: the names of its files (flushes, bulk loads and
    merges add and remove tables) and the size and time of the files written in place. About 0.1 ms."""
    with os.scandir(location) as entries:
        return tuple(sorted((entry.name, *_stamp(entry)) for entry in entries))


def _stamp(entry: os.DirEntry) -> tuple[int, ...]:
    if not (entry.name.endswith(GROWING[0]) or entry.name.startswith(GROWING[1:])):
        return ()
    status = entry.stat()
    return status.st_size, status.st_mtime_ns


def writer_present(location: str) -> bool:
    """Whether another process has the store open to write (an ingest, an update). About 2 µs.
    Closing the descriptor would drop a lock this process held on the file: serve never writes."""
    if FLOCK is None:
        return True
    import fcntl

    descriptor = os.open(os.path.join(location, "LOCK"), os.O_RDONLY)
    try:
        found = fcntl.fcntl(descriptor, fcntl.F_GETLK, struct.pack(FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0))
    finally:
        os.close(descriptor)
    return struct.unpack(FLOCK, found)[0] != fcntl.F_UNLCK


def _storage_failure(error: QueryError) -> bool:
    """Whether a query failed for the store's sake (a file gone, unreadable), not for its own."""
    return isinstance(error.__cause__, (OSError, RuntimeError))


class LiveStore:
    """An on-disk store read through a read-only open (which takes no lock, so another process can
    write meanwhile), opened again when a write has changed the store's files since.

    A read-only open sees the store as it was when made. It is made only while no process has the
    store open to write: Oxigraph leaves an open made during a write undefined, and queries on such
    opens were seen to take gigabytes of memory, while opens made before a write began answered
    throughout it. So while an ingest runs, answers are as the store was before it began, and the
    first query after it has finished sees all it stored. Checking costs about 0.1 ms a query,
    opening again about 10 ms, once after each write; a query keeps the open it started on."""

    def __init__(self, store: EmbeddedStore):
        self.location = store.location
        self._store = store
        self._signature = None  # unknown (it may have been opened during a write): opened again
        self._lock = threading.Lock()

    def run(self, work: Callable[[Store], object]):
        """work(store) on the store as it is now; once more on a fresh open if the store failed it
        (a writer merged away a table the open had not read yet)."""
        try:
            return work(self._current())
        except QueryError as error:
            if not _storage_failure(error):
                raise
        return work(self._current(renew=True))

    def close(self) -> None:
        self._store = None

    def _current(self, renew: bool = False) -> EmbeddedStore:
        """The open to query: made again if the store has changed (or renew asks), unless it cannot
        be now, when the last one answers on, as the store was then, and the next query looks again."""
        with self._lock:
            try:
                if renew or self._stale():
                    self._store, self._signature = self._open()
            except OSError as error:  # the store's folder gone or unreadable
                if renew:
                    raise StoreError(f"{self.location}: cannot read the store: {error}") from error
            except StoreError:
                if renew:
                    raise
            return self._store

    def _stale(self) -> bool:
        return not writer_present(self.location) and store_signature(self.location) != self._signature

    def _open(self) -> tuple[EmbeddedStore, tuple]:
        """A read-only open of the store and the store's signature then, if no writer was at work."""
        busy = StoreError(f"{self.location}: another process is writing to the store; ask again when it has finished")
        before = store_signature(self.location)
        if writer_present(self.location):
            raise busy
        try:
            store = EmbeddedStore(self.location, read_only=True)
        except RuntimeError as error:  # Oxigraph's word for a table the manifest names but is gone
            raise StoreError(f"{self.location}: cannot open the store: {first_line(error)}") from error
        if writer_present(self.location) or store_signature(self.location) != before:
            raise busy  # a writer began while it was being opened
        return store, before


class Pinned:
    """A store answering as it is: in memory, where only this process writes."""

    def __init__(self, store: Store):
        self.store = store

    def run(self, work: Callable[[Store], object]):
        return work(self.store)


def _choose(accept: str, table: dict):
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media, table[media]
    media = next(iter(table))
    return media, table[media]


def answer(store: Store, sparql: str, accept: str) -> tuple[str, bytes]:
    """A query's results, serialized in the format the Accept header asks for: (media type, body)."""
    results = store.query(sparql)
    try:
        if isinstance(results, ox.QueryTriples):
            media, rdf_format = _choose(accept, GRAPH_FORMATS)
            return media, ox.serialize(results, format=rdf_format) or b""
        media, results_format = _choose(accept, RESULT_FORMATS)
        return media, results.serialize(format=results_format)
    except (OSError, ValueError, RuntimeError) as error:  # results are worked out as they are written
        raise QueryError(f"query failed: {first_line(error)}") from error


def page_files() -> dict[str, tuple[bytes, str]]:
    """The query page's files by path: body and media type. The page carries the named queries."""
    static = files("peelgraph.views") / "static"
    pages = {path: ((static / name).read_text(encoding="utf-8"), media) for path, (name, media) in PAGE_FILES.items()}
    examples = json.dumps({name: sparql_text(name) for name in named_queries()}, ensure_ascii=False)
    html, media = pages["/"]
    # Inside <script type="application/json">: no "</script" may appear, so "<" is written escaped.
    pages["/"] = (Template(html).substitute(examples=examples.replace("<", "\\u003c")), media)
    return {path: (text.encode("utf-8"), media) for path, (text, media) in pages.items()}


def make_handler(store: LiveStore | Pinned, cors: Iterable[str] = ()):
    origins = frozenset(cors)
    pages = page_files()

    class Handler(BaseHTTPRequestHandler):
        server_version = "peelgraph"

        def log_message(self, *args) -> None:  # quiet by default; errors still go back to the client
            pass

        def _cors(self) -> dict[str, str]:
            """The CORS headers for the request's origin: none unless it is one allowed."""
            origin = self.headers.get("Origin")
            if "*" in origins:
                return {"Access-Control-Allow-Origin": "*"}
            if origin in origins:
                return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
            return {}

        def _reply(self, status: HTTPStatus, body: bytes = b"", media: str | None = None, headers=None) -> None:
            self.send_response(status)
            for name, value in {**self._cors(), **(headers or {})}.items():
                self.send_header(name, value)
            if media:
                self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _text(self, status: HTTPStatus, message: str) -> None:
            self._reply(status, f"{message}\n".encode(), "text/plain; charset=utf-8")

        def _answer(self, sparql: str | None) -> None:
            if urlparse(self.path).path != "/query":
                return self._text(HTTPStatus.NOT_FOUND, "Not here: queries go to /query, the query page is /.")
            if not sparql:
                return self._text(HTTPStatus.BAD_REQUEST, "Give a SPARQL query as ?query= or in the request body.")
            if is_update(sparql):
                return self._text(HTTPStatus.FORBIDDEN, "This endpoint is read-only: SPARQL Update is refused.")
            accept = self.headers.get("Accept", "")
            try:
                media, body = store.run(lambda current: answer(current, sparql, accept))
            except StoreError as error:
                return self._text(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
            except QueryError as error:
                failed = HTTPStatus.SERVICE_UNAVAILABLE if _storage_failure(error) else HTTPStatus.BAD_REQUEST
                return self._text(failed, str(error))
            return self._reply(HTTPStatus.OK, body, media)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path in pages:
                body, media = pages[url.path]
                return self._reply(HTTPStatus.OK, body, media, PAGE_HEADERS)
            self._answer(parse_qs(url.query).get("query", [None])[0])

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_BYTES:
                return self._text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Query too large.")
            body = self.rfile.read(length).decode("utf-8", "replace")
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type == "application/sparql-query":
                return self._answer(body)
            self._answer(parse_qs(body).get("query", [None])[0])

        def do_OPTIONS(self) -> None:
            preflight = PREFLIGHT_HEADERS if self._cors() else {}
            self._reply(HTTPStatus.NO_CONTENT, headers={"Allow": METHODS, **preflight})

        def do_PUT(self) -> None:
            self._text(HTTPStatus.METHOD_NOT_ALLOWED, "This endpoint is read-only.")

        do_DELETE = do_PUT

    return Handler


def server(
    store: Store | LiveStore, port: int = 7878, host: str = "127.0.0.1", cors: Iterable[str] = ()
) -> ThreadingHTTPServer:
    """An HTTP server answering SPARQL queries over the store (a LiveStore for one on disk that
    another process may write to), with CORS headers for the given origins ("*": any); call
    serve_forever() on it."""
    live = store if isinstance(store, LiveStore) else Pinned(store)
    return ThreadingHTTPServer((host, port), make_handler(live, cors))
