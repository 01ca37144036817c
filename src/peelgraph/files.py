"""Files written whole or not at all: a reader never sees half a file, and a run cut short leaves
the old file as it was."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; it replaces `path` when the block ends without
    an error, and is removed when it raises."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial{path.suffix}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write these bytes to `path`, replacing what was there in one step."""
    with replacing(path) as partial:
        partial.write_bytes(data)
