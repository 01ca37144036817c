"""The one family of errors peelgraph raises, and the exit code each maps to.

Exit codes: 0 success (or the graph conforms), 1 validation ran and the graph does not
conform, 2 could not run (bad usage, unreadable input, broken shapes or query), 70 internal error
(a bug in peelgraph), 130 stopped by Ctrl-C (what was stored by then stays stored).
"""

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE in sysexits.h
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class PeelgraphError(Exception):
    """A user-facing failure: one clear line, no traceback."""

    exit_code = EXIT_CANNOT_RUN


class InputError(PeelgraphError):
    """An input file or option cannot be read or understood."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path if path is not None else message.split(": ", 1)[0]


class QueryError(PeelgraphError):
    """A SPARQL query is unknown, malformed, or failed to run."""


class StoreError(PeelgraphError):
    """The graph store cannot be opened, read or written."""


class ResourceError(PeelgraphError):
    """A packaged resource (ontology, shapes, gazetteer, query) is missing or broken."""


class Interrupted(PeelgraphError):
    """The user pressed Ctrl-C; the message says what was done by then."""

    exit_code = EXIT_INTERRUPTED


class InternalError(PeelgraphError):
    """A bug in peelgraph, not the user's doing: reported in one line unless a traceback is asked for."""

    exit_code = EXIT_INTERNAL_ERROR
