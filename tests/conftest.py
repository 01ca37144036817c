from pathlib import Path

import pytest

from peelgraph.extraction import extract
from peelgraph.model import Article
from peelgraph.pipeline import ingest
from peelgraph.resolve import resolve
from peelgraph.store import Store

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


def facts(text: str, **metadata):
    """Extract and resolve one hand-written article."""
    return resolve(extract(Article(text=text, source="test.txt", **metadata)))


@pytest.fixture(scope="session")
def seed_store():
    assert SEEDS.is_dir(), f"the seed articles are expected in {SEEDS}"
    with Store() as store:
        summary = ingest(store, [SEEDS, SAMPLES])
        assert not summary.failed, summary.text()
        yield store
