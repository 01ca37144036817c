import os
from pathlib import Path

import pytest

from peelgraph.extraction import extract
from peelgraph.extraction.resolve import resolve
from peelgraph.model import Article
from peelgraph.pipeline.compose import ingest
from peelgraph.store.embedded import Store

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
    with Store() as store:
        summary = ingest(store, [SEEDS, SAMPLES])
        assert not summary.failed, summary.text()
        yield store
