"""How far each extraction rule can be trusted: its precision measured against gold.

`data/rules/precision.csv` is written by `peelgraph eval ARTICLES GOLD --rules FILE` over the real
coverage in ../shared/real; a fact's confidence is its rule's measured precision (smoothed, so a rule
seen a few times is not called certain). A rule the table has not measured keeps the confidence
its module gives it.
"""

from __future__ import annotations

import csv
from functools import cache

from peelgraph import resources
from peelgraph.errors import ResourceError


@cache
def measured() -> dict[str, float]:
    """Rule id -> confidence, from the packaged table."""
    file = resources.path("rules", "precision.csv")
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            return {row["rule"]: float(row["confidence"]) for row in csv.DictReader(handle)}
    except (OSError, csv.Error, KeyError, ValueError) as error:
        raise ResourceError(f"{file}: cannot read the rules' measured precision: {error}") from error


def confidence(rule: str, default: float) -> float:
    """The measured confidence of a rule, or the default where it was never measured.

    >>> confidence("a.rule.nobody.wrote", 0.7)
    0.7
    """
    return measured().get(rule, default)
