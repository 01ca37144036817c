import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from peelgraph.extraction import extract
from peelgraph.extraction.resolve import resolve
from peelgraph.model import Article
from peelgraph.pipeline.compose import ingest
from peelgraph.store import EmbeddedStore
from peelgraph.store.serve import server

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


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """The system's headless Chromium, driven by playwright; without one, the browser tests are
    skipped with the reason (and fail where everything must run). One per module: playwright's
    synchronous API runs one at a time."""
    executable = shutil.which("chromium")
    if not executable:
        unavailable(
            "chromium is not installed, so pages cannot be tested in a real browser: "
            "install Debian's package (apt-get install -y chromium); .ci/run does this"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ---- the SPARQL endpoint's tests (tests/store/test_serve*.py): two short articles of our own, a
# store holding them, and servers over a store, each on a free port of 127.0.0.1 in a thread ----

ARTICLES = {
    "dorset.md": """---
title: "Dorset Police rated good at preventing crime"
outlet: "Wessex Courier"
published: 2022-06-14
---
Dorset Police rated good at preventing crime

Dorset Police has been rated good at preventing crime and good at responding to the public in its latest PEEL
inspection, His Majesty's Inspectorate of Constabulary and Fire & Rescue Services said today.

Inspectors found the force requires improvement at investigating crime.
""",
    "cumbria.md": """---
title: "Cumbria Constabulary judged outstanding for treatment of the public"
outlet: "Lakeland Herald"
published: 2023-03-02
---
Cumbria Constabulary judged outstanding for treatment of the public

Cumbria Constabulary has been graded outstanding at treating the public fairly in the 2021/22 PEEL inspection by
HMICFRS.

The inspectorate rated the force adequate at protecting vulnerable people.
""",
}


@pytest.fixture(scope="session")
def serve_articles(tmp_path_factory):
    """Each article in a file of its own, by file name."""
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: folder / name for name in ARTICLES}


@pytest.fixture(scope="session")
def serve_store(serve_articles):
    """A store in memory holding both articles (five judgements) and the reference graphs."""
    with EmbeddedStore() as store:
        summary = ingest(store, list(serve_articles.values()), jobs=1)
        assert not summary.failed, summary.text()
        yield store


@pytest.fixture
def serving():
    """Start a server over a store: serving(store, cors=..., timeout=..., ...) (any option of
    serve.server) gives its base URL, http://127.0.0.1:PORT. Every server started is stopped, and
    its query processes ended, after the test."""
    with contextlib.ExitStack() as stack:

        def start(store, cors=(), **options) -> str:
            httpd = server(store, port=0, cors=cors, **options)
            threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
            stack.callback(httpd.server_close)
            stack.callback(httpd.shutdown)
            return f"http://127.0.0.1:{httpd.server_address[1]}"

        yield start
