import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from peelgraph.extraction import extract
from peelgraph.extraction.resolve import resolve
from peelgraph.model import Article
from peelgraph.pipeline.compose import ingest
from peelgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEED_GOLD = SHARED / "gold"
SAMPLES = ROOT / "data" / "samples"
SAMPLE_GOLD = ROOT / "data" / "gold" / "samples"
DEV = ROOT / "data" / "dev"
DEV_GOLD = ROOT / "data" / "gold" / "dev"
HELDOUT = ROOT / "data" / "heldout"
HELDOUT_GOLD = ROOT / "data" / "gold" / "heldout"
REAL = SHARED / "real" / "articles"
REAL_GOLD = SHARED / "real" / "gold"


# CI sets this, so that a test missing what it needs (the shared articles, a browser) fails there
# instead of being skipped.
TEST_EVERYTHING = bool(os.environ.get("PEELGRAPH_TEST_EVERYTHING"))


def unavailable(reason: str) -> None:
    """Skip the test with a one-line reason, or fail it where everything must run."""
    if TEST_EVERYTHING:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def needs_shared() -> None:
    if not SHARED.is_dir():
        unavailable(f"needs {SHARED} (the seed, reference and real articles beside the checkout), absent here")


def facts(text: str, **metadata):
    """Extract and resolve one hand-written article."""
    return resolve(extract(Article(text=text, source="test.txt", **metadata)))


@pytest.fixture(scope="session")
def seed_store():
    needs_shared()
    with EmbeddedStore() as store:
        summary = ingest(store, [SEEDS, SAMPLES])
        assert not summary.failed, summary.text()
        yield store


@pytest.fixture(scope="session")
def sample_store():
    """The bundled sample articles in an in-memory store: needs nothing beside the checkout."""
    with EmbeddedStore() as store:
        summary = ingest(store, [SAMPLES])
        assert not summary.failed, summary.text()
        yield store


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """The URL of a real Oxigraph SPARQL server on 127.0.0.1 (pip package oxigraph), with the union
    of its named graphs as its default graph, as the README tells users to start it."""
    executable = shutil.which("oxigraph")
    assert executable, "the oxigraph server (pip package 'oxigraph') is needed for these tests"
    port = free_port()
    location = str(tmp_path_factory.mktemp("oxigraph"))
    command = [executable, "serve", "--location", location, "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)
