"""Fault injection: SIGKILL `ingest`, `load` and `refresh` at random moments on a store of generated
articles. After each kill the store opens, reports no violation a clean run would not, no process of
the killed command is left, and running the same command again gives an N-Quads export equal, byte
for byte, to a clean run's.

The suite kills load and refresh once each on a small corpus; `PEELGRAPH_FAULT_KILLS=50
PEELGRAPH_FAULT_ARTICLES=200` runs the full attack, the three commands in turn.
"""

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peelgraph.rdf.validation import validate
from peelgraph.store import EmbeddedStore
from peelgraph.store.exporting import export
from tests.conftest import ROOT

KILLS = int(os.environ.get("PEELGRAPH_FAULT_KILLS", "2"))
ARTICLES = int(os.environ.get("PEELGRAPH_FAULT_ARTICLES", "12"))
COMMANDS = ("load", "refresh", "ingest")  # in turn; test_faults.py kills ingest at set points too
USED = tuple(dict.fromkeys(COMMANDS[kill % len(COMMANDS)] for kill in range(KILLS)))


def _generate(count: int, directory: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    generator = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = generator  # its dataclasses look their module up there
    spec.loader.exec_module(generator)
    generator.generate(count, directory)


def peelgraph(store: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "peelgraph.cli", "--store", str(store), *arguments]


@pytest.fixture(scope="module")
def attack(tmp_path_factory):
    """The corpus, its shards, a clean store's export and violations, and how long each command
    takes on it: a kill lands at a random moment of that time."""
    root = tmp_path_factory.mktemp("faults")
    _generate(ARTICLES, root / "corpus")
    extract = ("extract", str(root / "corpus"), "--out", str(root / "shards"), "-q")
    subprocess.run(peelgraph(root / "unused", *extract), check=True)
    durations = {}
    for command in USED:
        store = root / f"clean-{command}"
        _prepare(command, root, store)
        started = time.monotonic()
        subprocess.run(peelgraph(store, *COMMAND_LINES[command](root)), check=True, capture_output=True)
        durations[command] = time.monotonic() - started
    with EmbeddedStore(root / "clean-load", read_only=True) as store:
        clean_export, clean_violations = export(store, "nquads"), _violations(store)
    for command in USED:  # every way of building the store gives the same store
        with EmbeddedStore(root / f"clean-{command}", read_only=True) as store:
            assert export(store, "nquads") == clean_export
    return root, clean_export, clean_violations, durations


def _prepare(command: str, root: Path, store: Path) -> None:
    """The store a command starts from: none for ingest and load; for refresh, a whole store whose
    answers are out of date (an update, even one that changes nothing, leaves them so)."""
    if command == "refresh":
        subprocess.run(peelgraph(store, "load", str(root / "shards")), check=True, capture_output=True)
        update = peelgraph(store, "query", "DELETE DATA { <urn:none> <urn:none> <urn:none> }", "--update")
        subprocess.run(update, check=True, capture_output=True)


def _violations(store) -> set[tuple[str, str]]:
    return {(v.shape, v.focus) for v in validate(store).violations}


COMMAND_LINES = {
    "ingest": lambda root: ("ingest", str(root / "corpus"), "-j", "2", "--batch", "5", "-q"),
    "load": lambda root: ("load", str(root / "shards")),
    "refresh": lambda root: ("refresh",),
}


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"PPid:\t{pid}\n" in status.read_text():
                found.append(int(status.parent.name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("kill", range(KILLS))
def test_kill_at_a_random_moment_then_run_again(attack, tmp_path, kill):
    root, clean_export, clean_violations, durations = attack
    rng = random.Random(kill)
    command = COMMANDS[kill % len(COMMANDS)]
    store = tmp_path / "store"
    _prepare(command, root, store)
    arguments = COMMAND_LINES[command](root)
    process = subprocess.Popen(peelgraph(store, *arguments), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + rng.uniform(0.2, durations[command])
    workers: set[int] = set()
    while time.monotonic() < deadline and process.poll() is None:
        workers |= set(_children(process.pid))
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and _alive(pid)], "a worker outlived ingest"
    if store.exists():
        with EmbeddedStore(store, read_only=True) as opened:
            assert _violations(opened) <= clean_violations
    again = subprocess.run(peelgraph(store, *arguments), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    with EmbeddedStore(store, read_only=True) as opened:
        assert export(opened, "nquads") == clean_export


def _alive(pid: int) -> bool:
    """A process that has not ended (a zombie waiting for its parent has)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"
