"""Numbers with a unit that an article reports: "13 minutes", "over three hours", "50 officers"."""

from __future__ import annotations

import re

from peelgraph.extraction.context import Context
from peelgraph.model import Statistic

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "hundred": 100,
}
# unit as written -> unit as stored
UNITS = {
    "minutes": "minutes", "minute": "minutes", "hours": "hours", "hour": "hours", "days": "days",
    "weeks": "weeks", "officers": "officers", "police officers": "officers", "pcsos": "PCSOs",
    "staff": "staff", "detectives": "detectives", "per cent": "per cent", "percent": "per cent",
    "%": "per cent", "crimes": "crimes", "calls": "calls", "victims": "victims", "arrests": "arrests",
    "cases": "cases", "offences": "offences", "reports": "reports", "million": "million",
}
_NUMBER = r"(?P<number>\d[\d,]*(?:\.\d+)?|%s)" % "|".join(NUMBER_WORDS)
_UNIT = r"(?P<unit>%s)" % "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
PATTERN = re.compile(r"(?<![\w£/.])" + _NUMBER + r"\s?" + _UNIT + r"(?!\w)", re.I)
MONEY = re.compile(r"£(?P<number>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>m|bn|k|million|billion)?\b", re.I)
MONEY_UNITS = {None: "£", "m": "£m", "million": "£m", "bn": "£bn", "billion": "£bn", "k": "£k"}


def _value(number: str) -> str:
    number = number.lower().replace(",", "")
    return str(NUMBER_WORDS.get(number, number))


def statistics(ctx: Context) -> tuple[Statistic, ...]:
    found = []
    for sentence in ctx.sentences:
        text = sentence.text
        for match in PATTERN.finditer(text):
            unit = UNITS[match.group("unit").lower()]
            found.append(_statistic(ctx, sentence, _value(match.group("number")), unit))
        for match in MONEY.finditer(text):
            unit = MONEY_UNITS[(match.group("unit") or "").lower() or None]
            found.append(_statistic(ctx, sentence, _value(match.group("number")), unit))
    return tuple(found)


def _statistic(ctx, sentence, value, unit) -> Statistic:
    evidence = ctx.sentence_evidence(sentence, "statistic.number-unit", 0.8)
    return Statistic(value=value, unit=unit, measure=" ".join(sentence.text.split()), evidence=evidence)
