"""Killing ingest at any moment (SIGKILL) leaves a store that opens, validates and holds every article
that finished; running the same ingest again completes it, with the same result as a clean run.
Both ways of storing are killed: a transaction per article, and bulk loads of a few at a time."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from peelgraph.rdf.validation import validate
from peelgraph.store import EmbeddedStore
from peelgraph.store.exporting import export
from tests.conftest import DEV, SAMPLES

CORPUS = sorted(SAMPLES.glob("*.md")) + sorted(DEV.glob("*"))[:8]


def _ingest_command(store, batch=1):
    return [
        sys.executable,
        "-m",
        "peelgraph",
        "--store",
        str(store),
        "ingest",
        "-v",
        "-j",
        "1",
        "--batch",
        str(batch),
        *map(str, CORPUS),
    ]


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory):
    store = tmp_path_factory.mktemp("clean") / "store"
    subprocess.run(_ingest_command(store), check=True, capture_output=True)
    with EmbeddedStore(store, read_only=True) as opened:
        return export(opened, "nquads")


def _stored_files(store) -> set[str]:
    with EmbeddedStore(store, read_only=True) as opened:
        rows = opened.query("SELECT ?f WHERE { GRAPH ?g { ?a <https://w3id.org/peelgraph/ontology#sourceFile> ?f } }")
        return {r["f"].value for r in rows}


# (articles per store write, kill after this many articles were reported stored; None: at a random
# moment of the run).
KILL_POINTS = [(1, 1), (1, 6), (1, 11), (1, None), (3, 1), (3, 6), (3, None), (3, None)]


@pytest.mark.parametrize(
    "batch, after",
    KILL_POINTS,
    ids=[f"batch-{b}-" + (f"after-{k}" if k else f"random-{i}") for i, (b, k) in enumerate(KILL_POINTS)],
)
def test_kill_then_resume(tmp_path, clean_export, batch, after):
    store = tmp_path / "store"
    process = subprocess.Popen(_ingest_command(store, batch), stdout=subprocess.PIPE, text=True)
    reported = []
    if after is None:
        time.sleep(random.Random(len(str(tmp_path))).uniform(0.5, 3.0))
    else:
        while len(reported) < after:
            line = process.stdout.readline()
            assert line, "ingest ended before the kill point"
            if "] stored" in line:
                reported.append(line.rsplit(": ", 1)[1].strip())
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    if not store.exists():
        return  # killed before the store was created: nothing to lose
    present = _stored_files(store)
    assert set(reported) <= present
    with EmbeddedStore(store, read_only=True) as opened:
        assert validate(opened).conforms
    resumed = subprocess.run(_ingest_command(store, batch), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    with EmbeddedStore(store, read_only=True) as opened:
        assert export(opened, "nquads") == clean_export
