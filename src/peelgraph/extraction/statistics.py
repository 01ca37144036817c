"""Numbers with a unit that an article reports: "13 minutes", "over three hours", "50 officers",
"402 calls per 1,000 population", "one of only four forces".

Each statistic has its value (a decimal), its unit, a short measure (the few words saying what is
counted) and, when the sentence names one, the force it is about. Rules, tried in this order on
each sentence, each with its own rule id:

* rates: "N calls per 1,000 population", "N in every 1,000 calls for service"; a bare number the
  sentence compares with a rate ("compared with 350 as the national average") takes its unit;
* counts of forces: "N forces", "one of only N", "among just N nationally", "the third force to";
* a number before a unit: "13 minutes", "6,700 crimes", "within an hour", "£3m".

Not statistics: the phone numbers 999, 101 and 111 ("999 calls"), and time idioms ("24 hours a
day", "seven days a week").
"""

from __future__ import annotations

import re

from peelgraph.extraction.context import Context, entities
from peelgraph.model import Statistic
from peelgraph.nlp import entity_kind

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10,
}
# unit as written -> unit as stored
UNITS = {
    "minutes": "minutes", "minute": "minutes", "hours": "hours", "hour": "hours", "days": "days",
    "weeks": "weeks", "months": "months", "years": "years", "seconds": "seconds",
    "officers": "officers", "police officers": "officers", "pcsos": "PCSOs", "sergeants": "sergeants",
    "constables": "constables", "detectives": "detectives", "staff": "staff", "people": "people",
    "per cent": "per cent", "percent": "per cent", "%": "per cent",
    "crimes": "crimes", "calls": "calls", "victims": "victims", "arrests": "arrests", "cases": "cases",
    "offences": "offences", "reports": "reports", "incidents": "incidents", "complaints": "complaints",
    "allegations": "allegations", "investigations": "investigations", "applications": "applications",
    "recommendations": "recommendations", "million": "million", "square miles": "square miles",
    "miles": "miles", "forces": "forces", "police forces": "forces", "police services": "forces",
    "constabularies": "forces",
}
PHONE_NUMBERS = {"999", "101", "111"}
TIME_UNITS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years"}

_WORD_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER = r"(?P<number>\d[\d,]*(?:\.\d+)?|%s)" % _WORD_NUMBER
_UNIT = r"(?P<unit>%s)" % "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
# "approximately", "nearly", "more than": a qualifier, not part of the value
_BEFORE = r"(?<![\w£/.,])"
# A single hyphenated modifier may stand between a number and its unit: "65,000 Covid-related incidents".
_MODIFIER = r"(?:[A-Za-z]+-[A-Za-z-]+\s+)?"
PATTERNS = {
    # "402 calls per 1,000 population", "20 crimes per 1,000 people"
    "statistic.rate": re.compile(
        _BEFORE + _NUMBER + r"\s?(?P<unit>[a-z]+(?:\s[a-z]+)?)?\s+per\s+(?P<base>\d[\d,]*)\s+(?P<of>[A-Za-z][\w-]*(?:\s(?:for|of)\s[A-Za-z]+)?)",
        re.I,
    ),
    # "20.1 in every 1,000 'calls for service'"
    "statistic.in-every": re.compile(
        _BEFORE + _NUMBER + r"\s+(?:in|out of)\s+every\s+(?P<base>\d[\d,]*)\s+[‘'“\"]?(?P<of>[A-Za-z][\w-]*(?:\s(?:for|of)\s[A-Za-z]+)?)",
        re.I,
    ),
    # "one of only four forces", "among just 24 nationally", "one of two (X is the other)"
    "statistic.forces-among": re.compile(
        r"\b(?:one\s+of|among)\s+(?:only\s+|just\s+|the\s+)?" + _NUMBER
        + r"(?=\s*(?:\(|,|nationally|in\s+(?:the|England|Wales|the\s+UK)|to\s+be|(?:rated|graded|judged|found)\b))",
        re.I,
    ),
    # "only the third force to be graded"
    "statistic.ordinal-force": re.compile(r"\bthe\s+(?P<ordinal>%s)\s+(?:police\s+)?force\s+to\b" % "|".join(ORDINALS), re.I),
    # "within an hour"
    "statistic.an-hour": re.compile(r"\b(?:within|in|under|inside|over|than|for)\s+(?P<number>an?|one)\s+(?P<unit>hour|minute)\b", re.I),
    "statistic.number-unit": re.compile(_BEFORE + _NUMBER + r"\s?" + _MODIFIER + _UNIT + r"(?!\w)", re.I),
}
MONEY = re.compile(r"£(?P<number>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>m|bn|k|million|billion)?\b", re.I)
MONEY_UNITS = {None: "£", "m": "£m", "million": "£m", "bn": "£bn", "billion": "£bn", "k": "£k"}
# A bare number a sentence compares with a rate: "compared with 350 as the national average".
COMPARED = re.compile(
    r"\b(?:compared\s+(?:with|to)|against|versus|than|average\s+of)\s+(?:an?\s+)?(?:[\w ]{0,40}?average\s+of\s+)?"
    r"(?:only\s+|just\s+)?(?P<number>\d[\d,]*(?:\.\d+)?)(?!\s*(?:%|per\b|percent))",
    re.I,
)
# "24 hours a day", "seven days a week": how long something is available, not a measurement.
TIME_IDIOM = re.compile(r"\s+(?:a|per|each)\s+(?:day|week|year|month)\b", re.I)
# Periods that say when something happened or is due, not what was measured.
PERIOD_UNITS = {"days", "weeks", "months", "years"}
PERIOD_BEFORE = re.compile(
    r"\b(?:within|in|the|last|past|next|first|over|after|for|every|during|since|of)\s+(?:(?:the|last|past|next|first|six|and|nine)\s+)*$",
    re.I,
)
YEAR = re.compile(r"(?:19|20)\d\d")
# Where a measure's words stop.
MEASURE_END = re.compile(r"[,;:.()]|\s[–—-]\s|\b(?:compared|versus|while|which|whereas|but|and\s+(?:a|an|the)\s+\d)\b", re.I)
CONFIDENCE = {
    "statistic.rate": 0.8, "statistic.in-every": 0.8, "statistic.compared": 0.7, "statistic.forces-among": 0.7,
    "statistic.ordinal-force": 0.7, "statistic.an-hour": 0.7, "statistic.number-unit": 0.8, "statistic.money": 0.8,
}


def _value(number: str) -> str:
    number = number.lower().replace(",", "")
    if number in ("a", "an"):
        return "1"
    return str(NUMBER_WORDS.get(number, number))


def _base(base: str) -> str:
    return f"{int(base.replace(',', '')):,}"


def statistics(ctx: Context) -> tuple[Statistic, ...]:
    found = []
    for sentence in ctx.sentences:
        text = sentence.text
        taken: list[tuple[int, int]] = []
        rate_unit = None
        for rule, pattern in PATTERNS.items():
            if rule == "statistic.forces-among" and rate_unit:
                _compared(ctx, sentence, rate_unit, taken, found)
            for match in pattern.finditer(text):
                span = match.span("number") if "number" in pattern.groupindex else match.span()
                if any(s <= span[0] < e for s, e in taken):
                    continue
                read = _read(rule, match, text)
                if read is None:
                    continue
                value, unit = read
                if rule in ("statistic.rate", "statistic.in-every"):
                    rate_unit = unit
                taken.append((match.start(), match.end()))
                found.append(_statistic(ctx, sentence, match.start(), match.end(), value, unit, rule))
        for match in MONEY.finditer(text):
            unit = MONEY_UNITS[(match.group("unit") or "").lower() or None]
            found.append(_statistic(ctx, sentence, match.start(), match.end(), _value(match.group("number")), unit, "statistic.money"))
    return tuple(found)


def _compared(ctx: Context, sentence, rate_unit: str, taken: list, found: list) -> None:
    """Bare numbers the sentence compares with its rate take the rate's unit."""
    for match in COMPARED.finditer(sentence.text):
        if any(s <= match.start("number") < e for s, e in taken):
            continue
        taken.append(match.span())
        value = _value(match.group("number"))
        found.append(_statistic(ctx, sentence, match.start("number"), match.end(), value, rate_unit, "statistic.compared"))


def _read(rule: str, match: re.Match, text: str) -> tuple[str, str] | None:
    """The value and unit a rule's match reads, or None when it is not a statistic."""
    if rule == "statistic.rate":
        counted = (match.group("unit") or "").strip()
        unit = f"per {_base(match.group('base'))} {match.group('of')}"
        return _value(match.group("number")), f"{counted} {unit}" if counted else unit
    if rule == "statistic.in-every":
        return _value(match.group("number")), f"per {_base(match.group('base'))} {match.group('of')}"
    if rule == "statistic.forces-among":
        return _value(match.group("number")), "forces"
    if rule == "statistic.ordinal-force":
        return str(ORDINALS[match.group("ordinal").lower()]), "forces"
    value, unit = _value(match.group("number")), UNITS.get(match.group("unit").lower(), match.group("unit").lower() + "s")
    if value in PHONE_NUMBERS and unit == "calls":
        return None  # "999 calls": a phone number
    if unit in TIME_UNITS and TIME_IDIOM.match(text, match.end()):
        return None
    if unit in PERIOD_UNITS and PERIOD_BEFORE.search(text, 0, match.start()):
        return None  # "over the past six months", "within three months": when, not how much
    if YEAR.fullmatch(match.group("number")):
        return None  # "its 2014 recommendations": a year
    if unit == "recommendations" and float(value) < 2:
        return None  # "one recommendation": the finding itself, not a count
    return value, unit


def _statistic(ctx: Context, sentence, start: int, end: int, value: str, unit: str, rule: str) -> Statistic:
    evidence = ctx.sentence_evidence(sentence, rule, CONFIDENCE[rule])
    return Statistic(
        value=value, unit=unit, measure=_measure(sentence.text, start, end, unit), evidence=evidence,
        force=_force(ctx, sentence, start),
    )


def _measure(text: str, start: int, end: int, unit: str) -> str:
    """A few words naming what is counted: the unit and the words after it up to a clause break;
    if none follow, the words just before the number."""
    after = re.sub(r"[‘’“”\"']", "", text[end:])
    stop = MEASURE_END.search(after)
    words = after[:stop.start() if stop else len(after)].split()[:6]
    if not words:
        before = text[:start]
        breaks = list(MEASURE_END.finditer(before))
        words = before[breaks[-1].end() if breaks else 0:].split()[-6:]
        return " ".join([*words, unit]).strip()
    return " ".join([unit, *words]).strip(" '‘’“”\"")


def _force(ctx: Context, sentence, start: int) -> str | None:
    """The force a sentence names, the nearest before the number (else the first after it)."""
    forces = [(e.start_char, slug) for e in entities(sentence) for kind, slug in [entity_kind(e)] if kind == "force"]
    if not forces:
        return None
    position = sentence.start_char + start
    before = [slug for at, slug in forces if at <= position]
    return before[-1] if before else forces[0][1]
