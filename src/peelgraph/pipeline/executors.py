"""Where extraction runs: worker processes on this machine, or a Dask cluster.

An executor maps a pure function over items and hands back the results in input order; an item
whose work failed for a reason outside the function (a worker that died too often, a lost
scheduler) comes back as a NotDone naming the reason, never as a half result. The store is written
by the caller alone, so it stays consistent whatever happens to a worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from peelgraph.errors import InputError


@dataclass(frozen=True)
class NotDone:
    item: object
    reason: str


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class LocalExecutor:
    """``jobs`` worker processes on this machine (one: in this process)."""

    reads_files_itself = True

    def __init__(self, jobs: int | None = None):
        self.jobs = default_jobs() if jobs is None else jobs

    def map(self, function: Callable, items: list) -> Iterator:
        if self.jobs <= 1 or len(items) < 2:
            yield from map(function, items)
            return
        chunk = max(1, min(8, len(items) // (self.jobs * 4)))
        pool = worker_pool(self.jobs)
        try:
            yield from pool.map(function, items, chunksize=chunk)
        finally:  # on Ctrl-C or an error, articles not yet started are dropped, not waited for
            pool.shutdown(wait=True, cancel_futures=True)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes (forked where the system can: they start with what this process loaded)
    that leave Ctrl-C to their parent and end with it."""
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_starts)


def _worker_starts() -> None:
    """Ctrl-C is the parent's to handle: a worker finishes the article it has and leaves quietly.
    And a worker must not outlive its parent: killed (SIGKILL), the parent cannot end its workers,
    so on Linux each asks the kernel to end it when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def end_with_parent() -> None:
    """Have the kernel send this process SIGKILL when its parent dies (Linux; elsewhere, nothing)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


class DaskExecutor:
    """A Dask distributed cluster: articles are sent to the workers as text (workers need no access
    to the files), and a task whose worker dies is retried elsewhere before it is reported not done."""

    reads_files_itself = False
    RETRIES = 2

    def __init__(self, scheduler: str, timeout: float = 30):
        try:
            from distributed import Client
        except ImportError as error:
            raise InputError(
                "the dask executor needs the 'distributed' package: pip install 'peelgraph[dask]'"
            ) from error
        try:
            self.client = Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise InputError(f"{scheduler}: cannot reach the Dask scheduler: {error}") from error

    def map(self, function: Callable, items: list) -> Iterator:
        try:
            futures = self.client.map(function, items, retries=self.RETRIES, pure=False)
            for item, future in zip(items, futures, strict=True):
                try:
                    yield future.result()
                except Exception as error:  # a worker lost too often, a cancelled task, a lost scheduler
                    yield NotDone(item, f"{type(error).__name__}: {error}".strip().splitlines()[0])
        finally:
            self.client.close()


def executor(name: str = "local", jobs: int | None = None, scheduler: str | None = None):
    """An executor by name: "local" (jobs worker processes) or "dask" (a scheduler address)."""
    if name == "local":
        return LocalExecutor(jobs)
    if name == "dask":
        if not scheduler:
            raise InputError("the dask executor needs --scheduler tcp://HOST:PORT")
        return DaskExecutor(scheduler, float(os.environ.get("PEELGRAPH_DASK_TIMEOUT", "30")))
    raise InputError(f"unknown executor {name!r}; choose from local, dask")
