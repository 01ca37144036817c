"""Property-based tests: on arbitrary text and on mutated real articles, extraction never raises,
the article's graph always conforms to the shapes, and the output is deterministic."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelgraph.model import Article
from peelgraph.pipeline.compose import prepare
from tests.conftest import SAMPLES, SEEDS

REAL = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")) + sorted(SAMPLES.glob("*.md"))]
WORDS = sorted({w for text in REAL for w in text.split()})
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


def _check(text: str) -> None:
    article = Article(text=text, source="generated.txt")
    first, second = prepare(article), prepare(article)
    if not text.strip():
        return
    assert first.result.error is None, first.result.error
    assert first.ntriples == second.ntriples


@SETTINGS
@given(st.text(min_size=1, max_size=600))
def test_arbitrary_text(text):
    _check(text)


@SETTINGS
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=200), st.sampled_from(["\n", "\n\n", " ", ". "]))
def test_shuffled_real_words(words, separator):
    _check(separator.join(words))


@SETTINGS
@given(st.integers(0, len(REAL) - 1), st.integers(0, 10_000), st.sampled_from(["cut", "drop", "swap", "quote"]))
def test_mutated_real_articles(which, seed, mutation):
    text = REAL[which]
    paragraphs = text.split("\n\n")
    rng = random.Random(seed)
    if mutation == "cut":
        text = text[: rng.randrange(1, len(text))]
    elif mutation == "drop" and len(paragraphs) > 1:
        paragraphs.pop(rng.randrange(len(paragraphs)))
        text = "\n\n".join(paragraphs)
    elif mutation == "swap":
        rng.shuffle(paragraphs)
        text = "\n\n".join(paragraphs)
    else:
        position = rng.randrange(len(text))
        text = text[:position] + rng.choice(['"', "“", "”", "'", ":"]) + text[position:]
    _check(text)
