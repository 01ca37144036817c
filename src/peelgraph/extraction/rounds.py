"""Cues to the inspection round an article reports: explicit names, telling phrases, dates.

Each cue allows a set of rounds with a weight; resolve adds them up. The phrase table is data:
add a row to teach a new cue.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from peelgraph.extraction.context import Context
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


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_MONTH = r"(?P<month>%s)" % "|".join(MONTHS)
INSPECTION_DATE = re.compile(
    r"\b(?:inspected|inspection|fieldwork|inspectors visited|visited)\b[^.]{0,40}?\b(?:in\s+)?(?:last\s+)?" + _MONTH
    + r"(?:\s+(?P<year>20\d\d)|\s+(?P<last_year>last year))?",
    re.I,
)
# Force reports come out some months after the fieldwork.
FIELDWORK_TO_REPORT = timedelta(days=180)
INSPECTION_DATE_WEIGHT = 2.5


def _inspection_date(match: re.Match, published: date | None) -> date | None:
    """"inspected last June", "took place in June last year", "fieldwork in March 2019"."""
    month = MONTHS.index(match.group("month").lower()) + 1
    if match.group("year"):
        return date(int(match.group("year")), month, 15)
    if published is None:
        return None
    year = published.year - 1 if match.group("last_year") or month >= published.month else published.year
    return date(year, month, 15)


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
    for match in INSPECTION_DATE.finditer(text):
        inspected = _inspection_date(match, ctx.article.published)
        reported = ctx.gazetteer.round_for_date(inspected + FIELDWORK_TO_REPORT) if inspected else None
        if reported:
            evidence = _sentence_evidence(ctx, match, "round.inspection-date")
            found.append(RoundCue(frozenset({reported.notation}), INSPECTION_DATE_WEIGHT, evidence))
    for pattern, rounds, weight, rule in PHRASES:
        for match in pattern.finditer(text):
            found.append(RoundCue(frozenset(rounds), weight, _sentence_evidence(ctx, match, rule)))
    return tuple(found)


def _sentence_evidence(ctx: Context, match: re.Match, rule: str):
    sentence = ctx.sentence_at(match.start())
    if sentence is None:
        return ctx.evidence(match.start(), match.end(), rule)
    return ctx.sentence_evidence(sentence, rule)
