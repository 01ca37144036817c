"""Cues to the inspection round an article reports: explicit names, telling phrases, dates.

Each cue allows a set of rounds with a weight; resolve adds them up. The phrase table is data:
add a row to teach a new cue.
"""

from __future__ import annotations

import re

from peelgraph.extract.context import Context
from peelgraph.model import RoundCue

_ROUND_NAME = r"(20\d\d)(?:\s*[/–—-]\s*(\d{2,4}))?"
EXPLICIT = (
    re.compile(r"\bPEEL(?:\s+(?:assessment|inspection|report))?\s+(?:of\s+|for\s+|in\s+)?" + _ROUND_NAME, re.I),
    re.compile(_ROUND_NAME + r"\s+PEEL\b", re.I),
    re.compile(r"peel-assessments/peel-(20\d\d)(?:-(\d{2}))?", re.I),
)

# (pattern, rounds it points to, weight, rule id)
PHRASES: tuple[tuple[re.Pattern, tuple[str, ...], float, str], ...] = (
    (re.compile(r"first (?:time|year)\b[^.]{0,80}\blegitimacy|legitimacy\b[^.]{0,80}\bfirst time", re.I), ("2015",), 3.0, "round.cue.first-legitimacy"),
    (re.compile(r"(?:combined|brought) the three pillars|three pillars into (?:a )?(?:single|one)|single,? integrated|integrated (?:PEEL )?(?:assessment|inspection)|(?:all )?three pillars (?:in|into) (?:a )?(?:single|one) (?:inspection|assessment|report)", re.I), ("2018/19",), 3.0, "round.cue.integrated"),
    (re.compile(r"five-point (?:grading )?scale|new (?:grading )?scale|graded on a five", re.I), ("2021/22", "2023-25", "2025-27"), 1.0, "round.cue.five-point-scale"),
)


def _notation(ctx: Context, first: str, second: str | None) -> str | None:
    rounds = ctx.gazetteer.rounds
    if not second:
        found = rounds.get(first)
        return found.notation if found else None
    last = second[-2:]
    for notation in (f"{first}/{last}", f"{first}-{last}"):
        if notation in rounds:
            return notation
    return None


def cues(ctx: Context) -> tuple[RoundCue, ...]:
    found: list[RoundCue] = []
    text = ctx.article.text
    for pattern in EXPLICIT:
        for match in pattern.finditer(text):
            notation = _notation(ctx, match.group(1), match.group(2))
            if notation:
                found.append(RoundCue(frozenset({notation}), 4.0, _sentence_evidence(ctx, match, "round.explicit")))
    for pattern, rounds, weight, rule in PHRASES:
        for match in pattern.finditer(text):
            found.append(RoundCue(frozenset(rounds), weight, _sentence_evidence(ctx, match, rule)))
    return tuple(found)


def _sentence_evidence(ctx: Context, match: re.Match, rule: str):
    sentence = ctx.sentence_at(match.start())
    if sentence is None:
        return ctx.evidence(match.start(), match.end(), rule)
    return ctx.sentence_evidence(sentence, rule)
