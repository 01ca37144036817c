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

Under load, and under attack, it holds:
- Each query has `timeout` seconds (serve --timeout, 30 by default), waiting for its turn included.
  Oxigraph cannot stop a query once begun, so queries run in processes of their own (Workers), forked
  from this one and kept for the next query: one out of time is killed and its client answered 503
  with the reason in a line; one whose client closes the connection is killed too. As many run at
  once as there are processors, and at least 4; the kernel stops one that outlives the server.
- A connection costs no thread until its request's head has arrived whole (Gate); at most 64
  requests are handled at once, each by a thread, and one waiting longer than `idle` seconds for its
  turn is answered 503. A request must arrive whole within `idle` seconds (10) of the connection:
  one that does not is closed, or answered 408 if its body was cut short; beyond 256 connections
  waiting, the oldest is closed.
- A POST needs a Content-Length (400 without one, or with one that is not a number of bytes) of at
  most 1 MB (413 above, the body unread).
- SERVICE, which would make this server send requests elsewhere, is refused (403) unless allowed.
- Whatever goes wrong is a line to the client (a 500 for a bug) and a line on stderr, with the
  traceback only when verbose (peelgraph -v).
"""

from __future__ import annotations

import collections
import contextlib
import gc
import json
import os
import re
import select
import signal
import socket
import stat
import struct
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.resources import files
from string import Template
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

from peelgraph.errors import QueryError, StoreError
from peelgraph.store.base import Store
from peelgraph.store.embedded import EmbeddedStore, first_line
from peelgraph.store.named import named_queries
from peelgraph.store.querying import is_update, refuse_service, sparql_text

try:
    import resource
except ImportError:  # not on Windows, where serve cannot fork its query processes either
    resource = None

# Python 3.12 and later warn at every fork of a process that has threads; Workers says why these
# forks are safe.
warnings.filterwarnings(
    "ignore", r"This process .* is multi-threaded, use of fork\(\)", DeprecationWarning, re.escape(__name__)
)

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
        self._generation = 0
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

    def using(self, work: Callable[[Store, int], object], renew: bool = False):
        """work(store, generation) on the open to query now (made again first if the store has
        changed, or renew asks), with the lock held: no open is made or dropped meanwhile, which is
        what makes forking a query process from this one safe (Workers). The generation counts the
        opens made: a process forked with an older one answers as the store was before."""
        with self._lock:
            return work(self._fresh(renew), self._generation)

    def close(self) -> None:
        with self._lock:
            self._store = None

    def _current(self, renew: bool = False) -> EmbeddedStore:
        with self._lock:
            return self._fresh(renew)

    def _fresh(self, renew: bool) -> EmbeddedStore:
        """The open to query (with the lock held): made again if the store has changed (or renew
        asks), unless it cannot be now, when the last one answers on, as the store was then, and the
        next query looks again."""
        try:
            if renew or self._stale():
                self._store, self._signature = self._open()
                self._generation += 1
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
        self._lock = threading.Lock()

    def run(self, work: Callable[[Store], object]):
        return work(self.store)

    def using(self, work: Callable[[Store, int], object], renew: bool = False):
        with self._lock:
            return work(self.store, 0)


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


# ---- queries in processes of their own --------------------------------------------------------


class Stopped(Exception):
    """A query not answered: out of time or of room (the reason, for a 503), or its client gone (None)."""

    def __init__(self, reason: str | None = None):
        super().__init__(reason or "the client went away")
        self.reason = reason


class _Ended(Exception):
    """A query process ended before it answered."""


def _frame(message: dict) -> bytes:
    data = json.dumps(message).encode("utf-8")
    return struct.pack(">I", len(data)) + data


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _read_exact(descriptor: int, size: int) -> bytes:
    """size bytes from a pipe, or fewer if it closed first."""
    data = b""
    while len(data) < size:
        chunk = os.read(descriptor, size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _close_inherited(keep: set[int]) -> None:
    """In a forked process: close the sockets (the server's, its clients') and pipes (the other
    query processes') it has copies of, so that a connection or a pipe ends when the server ends
    it. The store's files stay open: the open it queries uses them."""
    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    for name in os.listdir(folder):
        descriptor = int(name)
        if descriptor <= 2 or descriptor in keep:
            continue
        try:
            mode = os.fstat(descriptor).st_mode
        except OSError:  # the listing's own descriptor, closed by now
            continue
        if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode):
            os.close(descriptor)


def _limit_cpu(seconds: float) -> None:
    """A backstop for the server's own time limit, kept by the kernel: should the server be killed
    before it can stop this process, the query still stops using the processor soon after its time."""
    if resource is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 2
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _answer_queries(store: Store, requests: int, answers: int, verbose: bool) -> None:
    """A query process: answers each query the server sends, serialized, until the server closes the
    pipe. Runs in a forked copy of the server, on the store's open as it was copied (never closed)."""
    gc.freeze()  # objects copied from the server are never collected here (none is closed twice)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # Ctrl-C is the server's: it ends this one
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    _close_inherited({requests, answers})
    if resource is not None:  # the backstop ends a process without a core file
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    while True:
        size = _read_exact(requests, 4)
        if len(size) < 4:
            return  # the server has gone
        request = json.loads(_read_exact(requests, struct.unpack(">I", size)[0]))
        _limit_cpu(request["seconds"])
        body = b""
        try:
            media, body = answer(store, request["query"], request["accept"])
            head = {"media": media, "length": len(body)}
        except QueryError as error:
            head = {"error": str(error), "storage": _storage_failure(error)}
        except Exception as error:  # a bug: told to the server, which logs it in a line
            head = {"bug": f"{type(error).__name__}: {error}".splitlines()[0] if str(error) else type(error).__name__}
            if verbose:
                head["trace"] = traceback.format_exc()
        _write_all(answers, _frame(head))
        _write_all(answers, body)


class _Worker:
    """A query process, forked from the server with the store's open of one generation."""

    def __init__(self, pid: int, requests: int, answers: int, generation: int):
        self.pid, self.requests, self.answers, self.generation = pid, requests, answers, generation
        self.answered = 0
        self._status: int | None = None  # its wait status, once reaped (its pid may then be reused)
        self._closed = False
        self._lock = threading.Lock()

    @classmethod
    def start(cls, store: Store, generation: int, verbose: bool) -> _Worker:
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for descriptor in (requests_read, requests_write, answers_read, answers_write):
                os.close(descriptor)
            raise
        if pid == 0:  # the query process: it never returns into the server's code
            try:
                _answer_queries(store, requests_read, answers_write, verbose)
            finally:
                os._exit(0)
        os.close(requests_read)
        os.close(answers_write)
        return cls(pid, requests_write, answers_read, generation)

    def alive(self) -> bool:
        with self._lock:
            if self._status is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:
                    pid, status = self.pid, 0
                if pid:
                    self._status = status
            return self._status is None

    def kill(self) -> None:
        """Kill the process, unless it has been reaped already."""
        with self._lock:
            if self._status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)

    def end(self) -> int:
        """Kill the process (at once: its open is read-only, so stopping it harms nothing), reap it
        and close its pipes; its wait status."""
        with self._lock:
            if self._status is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                try:
                    self._status = os.waitpid(self.pid, 0)[1]
                except ChildProcessError:
                    self._status = 0
            if not self._closed:
                self._closed = True
                os.close(self.requests)
                os.close(self.answers)
            return self._status

    def ending(self) -> str:
        """How the process ended, once its pipe has closed."""
        status = self.end()
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            return "the query's process was killed (out of memory?)"
        return "the query's process ended before answering"

    def ask(self, request: bytes) -> None:
        try:
            _write_all(self.requests, request)
        except OSError as error:  # the process had ended
            raise _Ended from error

    def receive(self, size: int, deadline: float, seconds: float, client: socket.socket | None) -> bytes:
        """size bytes of the answer, once the process has written them: the query is stopped (and
        the process killed) when the deadline passes or the client closes its connection."""
        poller = select.poll()
        poller.register(self.answers, select.POLLIN)
        if client is not None:
            poller.register(client, select.POLLIN | CLIENT_GONE)
        data = b""
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.end()
                raise Stopped(f"query stopped after {seconds:g} s (serve --timeout)")
            for descriptor, events in poller.poll(max(1, int(remaining * 1000))):
                if descriptor == self.answers:
                    chunk = os.read(self.answers, size - len(data))
                    if not chunk:
                        raise _Ended
                    data += chunk
                elif _gone(client, events):
                    self.end()
                    raise Stopped()
                else:  # it sent more than its request: its going can no longer be seen
                    poller.unregister(client)
        return data


CLIENT_GONE = getattr(select, "POLLRDHUP", 0)  # Linux: the client closed its side


def _gone(client: socket.socket, events: int) -> bool:
    """Whether a client whose socket polled readable while its query ran has closed the connection."""
    if events & (select.POLLHUP | select.POLLERR | select.POLLNVAL | CLIENT_GONE):
        return True
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


class Reply:
    """A query's answer as its process has it: media type and length; relay() sends the body on."""

    def __init__(self, worker: _Worker, media: str, length: int):
        self.worker, self.media, self.length = worker, media, length
        self.sent = False

    def relay(self, write: Callable[[bytes], object]) -> None:
        left = self.length
        while left:
            chunk = os.read(self.worker.answers, min(left, 1 << 16))
            if not chunk:
                raise _Ended
            write(chunk)
            left -= len(chunk)
        self.sent = True


ANSWERS_PER_PROCESS = 1000  # then a process is replaced, lest what its queries left behind add up


class Workers:
    """Query processes: each a fork of the server made while it holds the store's current open, and
    answering queries on its copy of that open, one at a time, until it is killed. At most `size`
    run at once; one that has answered waits for the next query.

    Oxigraph cannot stop a query once begun, but a process can be killed at any moment, and as the
    open is read-only nothing is harmed. Forking keeps what LiveStore decides: a process answers as
    the store was at the open it was forked with, and is replaced once LiveStore makes a new one.
    A fork copies only the thread that made it, so it is made holding LiveStore's lock, which every
    open and close of the store in the server takes, and the server itself never queries the store:
    no other thread is in Oxigraph or RocksDB then, and none of their locks is held in the copy (the
    store's own background threads, not copied, do no work on a read-only open). The copy closes the
    server's sockets and the other processes' pipes, blocks Ctrl-C, queries, and never closes the
    open or returns into the server's code."""

    def __init__(self, source: LiveStore | Pinned, size: int, verbose: bool = False):
        self.source, self.size, self.verbose = source, size, verbose
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    @contextlib.contextmanager
    def query(self, sparql: str, accept: str, seconds: float, client: socket.socket | None = None):
        """The reply to a query, answered within `seconds` (waiting for a free process included);
        raises Stopped (out of time, no process free, the client gone), StoreError or QueryError."""
        deadline = time.monotonic() + seconds
        if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise Stopped(f"busy: {self.size} queries are running; ask again shortly")
        worker = None
        try:
            request = _frame({"query": sparql, "accept": accept, "seconds": seconds})
            worker, head = self._ask(request, deadline, seconds, client, renew=False)
            if head.get("storage"):  # the open failed (a writer merged away a table): once more on a fresh one
                self._drop(worker)
                worker, head = self._ask(request, deadline, seconds, client, renew=True)
            if "bug" in head:
                raise QueryBug(head["bug"], head.get("trace"))
            if head.get("storage"):
                raise StoreError(head["error"])
            if "error" in head:  # the query's fault: the process answers the next one
                self._keep(worker)
                worker = None
                raise QueryError(head["error"])
            reply = Reply(worker, head["media"], head["length"])
            yield reply
            if reply.sent:
                self._keep(worker)
                worker = None
        finally:
            if worker is not None:
                self._drop(worker)
            self._slots.release()

    def _ask(self, request: bytes, deadline: float, seconds: float, client, renew: bool) -> tuple[_Worker, dict]:
        worker = self._take(renew)
        try:
            try:
                worker.ask(request)
            except _Ended:  # it had died waiting (killed from outside): another one
                self._drop(worker)
                worker = self._take(renew=False)
                worker.ask(request)
            size = struct.unpack(">I", worker.receive(4, deadline, seconds, client))[0]
            return worker, json.loads(worker.receive(size, deadline, seconds, client))
        except _Ended:
            with self._lock:
                self._all.discard(worker)
            raise Stopped(worker.ending()) from None
        except BaseException:
            self._drop(worker)
            raise

    def _take(self, renew: bool) -> _Worker:
        """A process with the store's current open: one waiting, or a new one forked now."""
        try:
            worker, old = self.source.using(self._fitting, renew)
        except OSError as error:  # no process can be made now (EAGAIN, ENOMEM)
            raise Stopped(f"cannot start a process for the query: {error.strerror}") from error
        for each in old:
            self._drop(each)
        return worker

    def _fitting(self, store: Store, generation: int) -> tuple[_Worker, list[_Worker]]:
        """(With the source's lock held.) A waiting process of this generation, or a new one; and
        the waiting processes that are not, to be ended."""
        with self._lock:
            if self._closed:
                raise Stopped("the server is stopping")
            old = [worker for worker in self._idle if worker.generation != generation or not worker.alive()]
            self._idle = [worker for worker in self._idle if worker not in old]
            if self._idle:
                return self._idle.pop(), old
        worker = _Worker.start(store, generation, self.verbose)
        with self._lock:
            self._all.add(worker)
        return worker, old

    def _keep(self, worker: _Worker) -> None:
        worker.answered += 1
        with self._lock:
            if not self._closed and worker.answered < ANSWERS_PER_PROCESS:
                self._idle.append(worker)
                return
        self._drop(worker)

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.end()

    def close(self) -> None:
        """Kill every query process: those waiting are ended here, those running are killed and
        ended by the thread that asked them (which then finds their pipe closed)."""
        with self._lock:
            self._closed = True
            idle, running = self._idle, [worker for worker in self._all if worker not in self._idle]
            self._idle, self._all = [], set()
        for worker in idle:
            worker.end()
        for worker in running:
            worker.kill()


class QueryBug(Exception):
    """A bug met in a query process: told to the client as a 500 and logged in one line."""

    def __init__(self, message: str, trace: str | None = None):
        super().__init__(message)
        self.trace = trace


# ---- connections ---------------------------------------------------------------------------------

MAX_HEAD_BYTES = 1 << 16  # a request line and headers longer than this are refused by the handler
# Linux: epoll, edge-triggered, wakes the gate again at each arrival of data, so a connection can
# wait until its head is whole. Elsewhere a connection is handed on once it has sent anything.
WHOLE_HEADS = hasattr(select, "epoll")
if WHOLE_HEADS:
    WAITING = select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLET
    CLOSED = select.EPOLLHUP | select.EPOLLERR | select.EPOLLRDHUP
else:
    WAITING, CLOSED = select.POLLIN, select.POLLHUP | select.POLLERR


class Gate:
    """Holds connections until they have sent their request's head, then hands each to a thread,
    at most `threads` at once: a connection that sends nothing, or its head a byte at a time, costs
    no thread. A connection must have sent its whole request (body included) within `seconds` of
    being accepted: one waiting longer is closed, and one whose body is still coming is cut off
    (its handler answers 408). Beyond `waiting` connections held, the oldest not yet ready is closed."""

    def __init__(self, start: Callable[[socket.socket, object], None], threads: int, seconds: float, waiting: int):
        self.start, self.seconds, self.waiting = start, seconds, waiting
        self.threads = threading.BoundedSemaphore(threads)
        self._lock = threading.Lock()
        self._incoming: list[tuple[socket.socket, object, float]] = []
        self._parked: dict[int, tuple[socket.socket, object, float]] = {}  # by descriptor, oldest first
        self._ready: collections.deque = collections.deque()  # whole heads waiting for a thread
        self._reading: dict[socket.socket, float] = {}  # handed to a thread, request not yet all read
        self._closed = False
        self._poller = select.epoll() if WHOLE_HEADS else select.poll()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)
        self._poller.register(self._wake_read.fileno(), select.POLLIN)
        self._thread = threading.Thread(target=self._run, name="peelgraph-serve-gate", daemon=True)
        self._thread.start()

    def admit(self, connection: socket.socket, address) -> None:
        with self._lock:
            self._incoming.append((connection, address, time.monotonic() + self.seconds))
        self.wake()

    def wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")

    def received(self, connection: socket.socket) -> None:
        """The handler has read the whole request: no deadline for it any more."""
        with self._lock:
            self._reading.pop(connection, None)

    def finished(self) -> None:
        self.threads.release()
        self.wake()

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.wake()
        self._thread.join(5)
        for connection, _, _ in [*self._incoming, *self._parked.values(), *self._ready]:
            connection.close()
        self._wake_read.close()
        self._wake_write.close()
        if WHOLE_HEADS:
            self._poller.close()

    def _run(self) -> None:
        while True:
            try:
                if not self._turn():
                    return
            except Exception as error:  # a bug: in a line, and the gate goes on
                _log(f"internal error admitting connections: {type(error).__name__}: {error}".splitlines()[0])
                time.sleep(0.1)

    def _turn(self) -> bool:
        """Take in new connections, hand on those ready, close those out of time, and wait for the
        next thing to do; False once closed."""
        with self._lock:
            if self._closed:
                return False
            incoming, self._incoming = self._incoming, []
        for entry in incoming:
            self._park(*entry)
        self._dispatch()
        now = time.monotonic()
        self._expire(now)
        deadlines = [entry[2] for entry in (*self._parked.values(), *self._ready)]
        with self._lock:
            deadlines += list(self._reading.values())
        wait = max(0.0, min(deadlines) - now) if deadlines else None
        for descriptor, mask in self._poll(wait):
            if descriptor == self._wake_read.fileno():
                with contextlib.suppress(OSError):
                    while self._wake_read.recv(4096):
                        pass
            elif descriptor in self._parked:
                self._look(descriptor, mask)
        return True

    def _poll(self, wait: float | None) -> list[tuple[int, int]]:
        if WHOLE_HEADS:  # epoll: seconds
            return self._poller.poll(-1 if wait is None else wait + 0.001)
        return self._poller.poll(None if wait is None else int(wait * 1000) + 1)

    def _park(self, connection: socket.socket, address, deadline: float) -> None:
        if len(self._parked) + len(self._ready) >= self.waiting:
            if not self._parked:
                connection.close()
                return
            oldest = next(iter(self._parked))
            self._unpark(oldest)[0].close()
        connection.setblocking(False)
        self._parked[connection.fileno()] = (connection, address, deadline)
        self._poller.register(connection.fileno(), WAITING)
        self._look(connection.fileno(), 0)  # what arrived before it was registered

    def _unpark(self, descriptor: int) -> tuple[socket.socket, object, float]:
        with contextlib.suppress(OSError, KeyError):
            self._poller.unregister(descriptor)
        return self._parked.pop(descriptor)

    def _look(self, descriptor: int, mask: int) -> None:
        """A parked connection has sent something (or closed): ready once its head is whole."""
        connection = self._parked[descriptor][0]
        try:
            sent = connection.recv(MAX_HEAD_BYTES, socket.MSG_PEEK)
        except BlockingIOError:
            sent = None
        except OSError:
            sent = b""
        if sent and (not WHOLE_HEADS or b"\r\n\r\n" in sent or b"\n\n" in sent or len(sent) >= MAX_HEAD_BYTES):
            self._ready.append(self._unpark(descriptor))
        elif sent == b"" or mask & CLOSED:  # closed, or will never finish its head
            self._unpark(descriptor)[0].close()

    def _dispatch(self) -> None:
        while self._ready and self.threads.acquire(blocking=False):
            connection, address, deadline = self._ready.popleft()
            connection.setblocking(True)
            with self._lock:
                self._reading[connection] = deadline
            try:
                self.start(connection, address)
            except RuntimeError:  # no thread can be started now
                self.received(connection)
                self.threads.release()
                _refuse(connection, "The server cannot take more connections now; ask again shortly.")

    def _expire(self, now: float) -> None:
        for descriptor in [d for d, entry in self._parked.items() if entry[2] <= now]:
            self._unpark(descriptor)[0].close()
        while self._ready and self._ready[0][2] <= now:
            _refuse(self._ready.popleft()[0], "Busy: every connection is taken; ask again shortly.")
        with self._lock:
            late = [connection for connection, deadline in self._reading.items() if deadline <= now]
            for connection in late:
                del self._reading[connection]
                with contextlib.suppress(OSError):  # the handler's read ends; it answers 408
                    connection.shutdown(socket.SHUT_RD)


def _refuse(connection: socket.socket, message: str) -> None:
    """503 to a connection no thread handles, written without waiting; its request is read first,
    so that closing does not reset the connection under the answer."""
    body = f"{message}\n".encode()
    head = (
        "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    )
    with contextlib.suppress(OSError):
        connection.setblocking(False)
        while connection.recv(1 << 16):
            pass
    with contextlib.suppress(OSError):
        connection.send(head.encode() + body)
        connection.shutdown(socket.SHUT_WR)
    connection.close()


# ---- HTTP ----------------------------------------------------------------------------------------

QUERY_SECONDS = 30.0  # serve --timeout
IDLE_SECONDS = 10.0  # a connection's whole request must have arrived by then
MAX_CONNECTIONS = 64  # requests handled at once, each by a thread
MAX_WAITING = 256  # connections held before their request is whole
LENGTH = re.compile(r"[0-9]{1,15}")


def _log(message: str) -> None:
    with contextlib.suppress(Exception):
        sys.stderr.write(f"peelgraph serve: {message}\n")
        sys.stderr.flush()


def make_handler(
    workers: Workers,
    cors: Iterable[str] = (),
    timeout: float = QUERY_SECONDS,
    allow_service: bool = False,
    idle: float = IDLE_SECONDS,
    verbose: bool = False,
):
    origins = frozenset(cors)
    pages = page_files()

    class Handler(BaseHTTPRequestHandler):
        server_version = "peelgraph"
        timeout = idle  # seconds each read and write on the connection may take
        replied = False  # whether the status line has been sent

        def log_message(self, *args) -> None:  # quiet by default; errors still go back to the client
            pass

        def handle_one_request(self) -> None:
            """One request; whatever goes wrong is a 500 in a line to the client and in a line on
            stderr (the traceback too with peelgraph -v), never a traceback to either."""
            try:
                super().handle_one_request()
            except (ConnectionError, TimeoutError):  # the client went away, or stopped sending
                self.close_connection = True
            except Exception as error:
                self.close_connection = True
                trace = traceback.format_exc() if verbose else None
                self._failed(f"{type(error).__name__}: {error}".splitlines()[0], trace)

        def _failed(self, detail: str, trace: str | None) -> None:
            request = f"{self.command or '?'} {urlparse(self.path or '').path}"
            _log(f"internal error answering {request}: {detail}" + ("" if trace is None else f"\n{trace.rstrip()}"))
            if not self.replied:
                with contextlib.suppress(Exception):
                    self._text(HTTPStatus.INTERNAL_SERVER_ERROR, "Internal error: the server could not answer.")

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """http.server's own refusals (a bad request line, headers too long...), in a line of text."""
            self.close_connection = True
            self._text(HTTPStatus(code), message or HTTPStatus(code).phrase)

        def _cors(self) -> dict[str, str]:
            """The CORS headers for the request's origin: none unless it is one allowed."""
            headers = getattr(self, "headers", None)
            origin = headers.get("Origin") if headers else None
            if "*" in origins:
                return {"Access-Control-Allow-Origin": "*"}
            if origin in origins:
                return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
            return {}

        def _head(self, status: HTTPStatus, length: int, media: str | None = None, headers=None) -> None:
            self.replied = True
            self.send_response(status)
            for name, value in {**self._cors(), **(headers or {})}.items():
                self.send_header(name, value)
            if media:
                self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(length))
            self.end_headers()

        def _reply(self, status: HTTPStatus, body: bytes = b"", media: str | None = None, headers=None) -> None:
            self._head(status, len(body), media, headers)
            if self.command != "HEAD":
                self.wfile.write(body)

        def _text(self, status: HTTPStatus, message: str) -> None:
            self._reply(status, f"{message}\n".encode(), "text/plain; charset=utf-8")

        def _answer(self, sparql: str | None) -> None:
            self.server.gate.received(self.connection)
            if urlparse(self.path).path != "/query":
                return self._text(HTTPStatus.NOT_FOUND, "Not here: queries go to /query, the query page is /.")
            if not sparql:
                return self._text(HTTPStatus.BAD_REQUEST, "Give a SPARQL query as ?query= or in the request body.")
            if is_update(sparql):
                return self._text(HTTPStatus.FORBIDDEN, "This endpoint is read-only: SPARQL Update is refused.")
            try:
                refuse_service(sparql, allow_service)
            except QueryError as error:
                return self._text(HTTPStatus.FORBIDDEN, f"Refused: {error}.")
            accept = self.headers.get("Accept", "")
            try:
                with workers.query(sparql, accept, timeout, self.connection) as reply:
                    self._head(HTTPStatus.OK, reply.length, reply.media)
                    reply.relay(self.wfile.write)
            except Stopped as stop:
                if stop.reason is None:  # nobody to answer
                    self.close_connection = True
                    return None
                return self._text(HTTPStatus.SERVICE_UNAVAILABLE, stop.reason)
            except StoreError as error:
                return self._text(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
            except QueryError as error:
                return self._text(HTTPStatus.BAD_REQUEST, str(error))
            except QueryBug as error:
                self._failed(f"in a query process: {error}", error.trace)
            except _Ended:  # while its answer was being sent on: the client has part of it
                self.close_connection = True
                _log("a query process ended while its answer was being sent")
            return None

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path in pages:
                self.server.gate.received(self.connection)
                body, media = pages[url.path]
                return self._reply(HTTPStatus.OK, body, media, PAGE_HEADERS)
            self._answer(parse_qs(url.query).get("query", [None])[0])

        def do_POST(self) -> None:
            lengths = self.headers.get_all("Content-Length") or []
            if self.headers.get("Transfer-Encoding"):
                return self._refuse(HTTPStatus.BAD_REQUEST, "Send the query with a Content-Length, not chunked.")
            if not lengths:
                return self._refuse(HTTPStatus.BAD_REQUEST, "A POST needs a Content-Length header.")
            if len(set(lengths)) > 1 or not LENGTH.fullmatch(lengths[0].strip()):
                return self._refuse(HTTPStatus.BAD_REQUEST, "Content-Length must be a number of bytes.")
            length = int(lengths[0])
            if length > MAX_QUERY_BYTES:
                return self._refuse(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"Query too large: at most {MAX_QUERY_BYTES:,} bytes."
                )
            try:
                body = self.rfile.read(length)
            except TimeoutError:
                body = b""
            if len(body) < length:
                return self._refuse(
                    HTTPStatus.REQUEST_TIMEOUT, f"The request's {length:,} bytes did not all arrive within {idle:g} s."
                )
            text = body.decode("utf-8", "replace")
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type == "application/sparql-query":
                return self._answer(text)
            self._answer(parse_qs(text).get("query", [None])[0])

        def _refuse(self, status: HTTPStatus, message: str) -> None:
            """Refuse the request without reading on: the connection is closed after the answer."""
            self.server.gate.received(self.connection)
            self.close_connection = True
            self._text(status, message)

        def do_OPTIONS(self) -> None:
            self.server.gate.received(self.connection)
            preflight = PREFLIGHT_HEADERS if self._cors() else {}
            self._reply(HTTPStatus.NO_CONTENT, headers={"Allow": METHODS, **preflight})

        def do_PUT(self) -> None:
            self._refuse(HTTPStatus.METHOD_NOT_ALLOWED, "This endpoint is read-only.")

        do_DELETE = do_PUT

    return Handler


class Server(HTTPServer):
    """The HTTP server: connections admitted by a Gate, each request handled in a thread of its own
    (at most MAX_CONNECTIONS), queries answered by Workers."""

    request_queue_size = 256
    daemon_threads = True

    def __init__(self, address, handler, workers: Workers, idle: float, connections: int, verbose: bool):
        self.workers, self.verbose = workers, verbose
        super().__init__(address, handler)
        self.gate = Gate(self._start, connections, idle, MAX_WAITING)

    def process_request(self, request, client_address) -> None:
        self.gate.admit(request, client_address)

    def _start(self, request, client_address) -> None:
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request, client_address) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.gate.received(request)
            self.shutdown_request(request)
            self.gate.finished()

    def handle_error(self, request, client_address) -> None:
        """An error outside a request's handling: a line on stderr (the traceback with peelgraph -v)."""
        kind, error, _ = sys.exc_info()
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        _log(f"internal error: {kind.__name__}: {error}".splitlines()[0])
        if self.verbose:
            traceback.print_exc()

    def server_close(self) -> None:
        super().server_close()
        self.gate.close()
        self.workers.close()


def server(
    store: Store | LiveStore,
    port: int = 7878,
    host: str = "127.0.0.1",
    cors: Iterable[str] = (),
    timeout: float = QUERY_SECONDS,
    allow_service: bool = False,
    idle: float = IDLE_SECONDS,
    connections: int = MAX_CONNECTIONS,
    processes: int | None = None,
    verbose: bool = False,
) -> Server:
    """An HTTP server answering SPARQL queries over the store (a LiveStore for one on disk that
    another process may write to), with CORS headers for the given origins ("*": any); call
    serve_forever() on it, and server_close() to end it and its query processes.

    Each query gets `timeout` seconds; a query may call other endpoints with SERVICE only if
    allow_service; a connection must send its request within `idle` seconds; at most `connections`
    requests are handled at once and `processes` queries run at once (by default as many as there
    are processors, at least 4); verbose logs the traceback of an internal error."""
    live = store if isinstance(store, (LiveStore, Pinned)) else Pinned(store)
    workers = Workers(live, processes or max(4, os.cpu_count() or 1), verbose)
    handler = make_handler(workers, cors, timeout, allow_service, idle, verbose)
    return Server((host, port), handler, workers, idle, connections, verbose)
