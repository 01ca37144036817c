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
    (
        re.compile(r"first (?:time|year)\b[^.]{0,80}\blegitimacy|legitimacy\b[^.]{0,80}\bfirst time", re.I),
        ("2015",),
        3.0,
        "round.cue.first-legitimacy",
    ),
    (
        re.compile(
            r"(?:combined|brought) (?:all )?(?:the )?three (?:pillars|strands|areas)"
            r"|three (?:pillars|strands) into (?:a )?(?:single|one)"
            r"|single,? integrated|integrated (?:PEEL )?(?:assessment|inspection)"
            r"|three (?:pillars|strands)\b[^.]{0,80}\b(?:together|combined|in|into) "
            r"(?:a single|one) (?:inspection|assessment|report)",
            re.I,
        ),
        ("2018/19",),
        3.0,
        "round.cue.integrated",
    ),
    (
        re.compile(r"five-point (?:grading )?scale|new (?:grading )?scale|graded on a five", re.I),
        ("2021/22", "2023-25", "2025-27"),
        1.0,
        "round.cue.five-point-scale",
    ),
    # The inspectorate's name dates the report: HMIC took on fire and rescue services in July 2017
    # (HMICFRS), and became His Majesty's in September 2022. Writers keep old names longer than
    # new names exist, so a new name weighs more than an old one.
    (
        re.compile(r"\bHMICFRS\b|Fire (?:and|&) Rescue Services?", re.I),
        ("2017", "2018/19", "2021/22", "2023-25", "2025-27"),
        1.5,
        "round.cue.hmicfrs",
    ),
    (
        re.compile(r"\bHMIC\b(?!FRS)|Inspectorate of Constabulary\b(?!\s*(?:and|&|in Scotland))"),
        ("2014", "2015", "2016", "2017"),
        1.0,
        "round.cue.hmic",
    ),
    # "His Majesty's" from September 2022: the last third of PEEL 2021/22's reports, and every later one
    (re.compile(r"\bHis Majesty['’]s Inspector"), ("2021/22", "2023-25", "2025-27"), 0.75, "round.cue.his-majesty"),
    (re.compile(r"\bHis Majesty['’]s Inspector"), ("2023-25", "2025-27"), 1.0, "round.cue.his-majesty"),
    (
        re.compile(r"\bHer Majesty['’]s Inspector"),
        ("2014", "2015", "2016", "2017", "2018/19", "2021/22"),
        0.5,
        "round.cue.her-majesty",
    ),
    # From 2021/22 forces are graded on eight to ten areas, on a scale with "adequate" in it.
    (
        re.compile(r"\b(?:eight|nine|ten|8|9|10) (?:areas|aspects|categories)\b", re.I),
        ("2021/22", "2023-25", "2025-27"),
        1.5,
        "round.cue.many-areas",
    ),
    (
        re.compile(
            r"[‘'\"“]adequate[’'\"”]|\badequate\b (?:in|at|for|across)\b"
            r"|\b(?:rated|graded|assessed|judged|deemed|considered)\s+(?:as\s+|to be\s+)?adequate\b",
            re.I,
        ),
        ("2021/22", "2023-25", "2025-27"),
        1.0,
        "round.cue.adequate",
    ),
    (
        re.compile(r"\bPEEL\s+(?:assessment\s+)?framework\s+2025|2025\s*[–-]\s*(?:20)?27\b", re.I),
        ("2025-27",),
        3.0,
        "round.cue.2025-27",
    ),
    (re.compile(r"\b2023\s*(?:[–-]|to)\s*(?:20)?25\b", re.I), ("2023-25",), 3.0, "round.cue.2023-25"),
)


MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?P<month>" + "|".join(MONTHS) + ")"
INSPECTION_DATE = re.compile(
    r"\b(?:inspected|inspection|fieldwork|inspectors visited|visited)\b[^.]{0,40}?\b(?:in\s+)?(?:last\s+)?"
    + _MONTH
    + r"(?:\s+(?P<year>20\d\d)|\s+(?P<last_year>last year))?",
    re.I,
)
# Force reports come out some months after the fieldwork.
FIELDWORK_TO_REPORT = timedelta(days=180)
INSPECTION_DATE_WEIGHT = 2.5


def _inspection_date(match: re.Match, published: date | None) -> date | None:
    """ "inspected last June", "took place in June last year", "fieldwork in March 2019"."""
    month = MONTHS.index(match.group("month").lower()) + 1
    if match.group("year"):
        return date(int(match.group("year")), month, 15)
    if published is None:
        return None
    year = published.year - 1 if match.group("last_year") or month >= published.month else published.year
    return date(year, month, 15)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + ")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# "Thursday, November 27" or "Thursday 3 November": a dateline. Without a year, the years in which
# that day fell on that weekday are few, and each points to the round reporting then.
WEEKDAY_DATE = re.compile(
    r"\b"
    + _WEEKDAY
    + r",?\s+(?:"
    + _DAY
    + r"\s+"
    + _MONTH
    + r"|"
    + _MONTH.replace("month", "month2")
    + r"\s+"
    + _DAY.replace("day", "day2")
    + r")\b(?:,?\s*(?P<year>20\d\d))?",
    re.I,
)
WEEKDAY_DATE_WEIGHT = 2.0
YEARS_OF_PEEL = range(2014, 2028)
MENTIONED_YEAR = re.compile(r"(?<![\d/–-])(20[12]\d)(?![\d/–-])")
FUTURE_YEAR = re.compile(r"\b(?:by|until|before|to|through|towards|beyond)\s+$", re.I)
LATEST_YEAR_WEIGHT = 0.75


def _weekday_dates(match: re.Match) -> list[date]:
    month = MONTHS.index((match.group("month") or match.group("month2")).lower()) + 1
    day = int(match.group("day") or match.group("day2"))
    weekday = WEEKDAYS.index(match.group("weekday").lower())
    found = []
    for year in (int(match.group("year")),) if match.group("year") else YEARS_OF_PEEL:
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == weekday:
            found.append(candidate)
    return found


def _notation(ctx: Context, first: str, second: str | None) -> str | None:
    found = ctx.gazetteer.round_written(f"{first}/{second[-2:]}" if second else first)
    return found.notation if found else None


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
            break  # a name said ten times is no more telling than said once
    for match in WEEKDAY_DATE.finditer(text):
        days = _weekday_dates(match)
        reported = {r.notation for d in days if (r := ctx.gazetteer.round_for_date(d))}
        if reported:
            weight = WEEKDAY_DATE_WEIGHT / len(reported)
            found.append(RoundCue(frozenset(reported), weight, _sentence_evidence(ctx, match, "round.weekday-date")))
    latest = _latest_year(text)
    if latest:
        later = {
            r.notation for r in ctx.gazetteer.rounds.values() if r.reports_until and r.reports_until.year >= latest
        }
        match = next(m for m in MENTIONED_YEAR.finditer(text) if int(m.group(1)) == latest)
        found.append(
            RoundCue(frozenset(later), LATEST_YEAR_WEIGHT, _sentence_evidence(ctx, match, "round.latest-year-named"))
        )
    return tuple(found)


def _latest_year(text: str) -> int | None:
    """The latest year the article names as past or present: it was written no earlier ("by 2025"
    names a plan, not a date)."""
    years = [
        int(m.group(1))
        for m in MENTIONED_YEAR.finditer(text)
        if not FUTURE_YEAR.search(text[max(0, m.start() - 12) : m.start()])
    ]
    return max(years, default=None)


def _sentence_evidence(ctx: Context, match: re.Match, rule: str):
    sentence = ctx.sentence_at(match.start())
    if sentence is None:
        return ctx.evidence(match.start(), match.end(), rule)
    return ctx.sentence_evidence(sentence, rule)
