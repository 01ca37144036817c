"""Files and directories written whole or not at all: a reader never sees half a file, and a run
cut short leaves the old one as it was."""

from __future__ import annotations

import os
import shutil
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


@contextmanager
def replacing_directory(path: str | Path) -> Iterator[Path]:
    """A new, empty directory beside `path` to fill; it takes the place of `path` (whatever was there
    is removed) when the block ends without an error, and is removed when it raises.

    Two renames swap it in: the old directory is moved aside, then the new one moved to its place
    (a directory cannot replace a full one in one step); should the second fail, the old one goes
    back."""
    path = Path(path).absolute()
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    old = path.with_name(f".{path.name}.{os.getpid()}.old")
    shutil.rmtree(partial, ignore_errors=True)  # left by an earlier process of the same id, cut short
    partial.mkdir(parents=True)
    try:
        yield partial
        if path.exists():
            os.replace(path, old)
        try:
            os.replace(partial, path)
        except OSError:
            if old.exists():
                os.replace(old, path)
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
