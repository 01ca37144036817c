"""Numbers with a unit that an article reports: "13 minutes", "over three hours", "50 officers",
"402 calls per 1,000 population", "one of only four forces".

Each statistic has its value (a decimal), its unit, a short measure (the few words saying what is
counted) and, when the sentence names one, the force it is about. Rules, tried in this order on
each sentence, each with its own rule id:

* rates: "N calls per 1,000 population", "N in every 1,000 calls for service"; a bare number the
  sentence compares with a rate ("compared with 350 as the national average") takes its unit;
* counts of forces: "N forces", "one of only N", "among just N nationally", "the third force to";
* counts of forces by grade: "five were outstanding, 35 were good" in a sentence about forces;
* durations in two units: "one minute 22 seconds" (82 seconds);
* a number before a unit: "13 minutes", "6,700 crimes", "within an hour", "£3m" (stored in pounds,
  its words turned into digits: 3000000 £);
* a bare number standing for a unit the sentence has just counted: "37 forces were rated good and
  five were not", "only 65 of 93 cases", "between 80 and 170 crimes", "against the 61 that ...".

Not statistics: the phone numbers 999, 101 and 111 ("999 calls"), time idioms ("24 hours a
day", "seven days a week") and times that say when ("two years ago", "five years into the cuts").
"""

from __future__ import annotations

import re
from decimal import Decimal

from peelgraph.extraction.context import Context, entities, span_text
from peelgraph.model import Statistic
from peelgraph.reading.nlp import entity_kind

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
# unit as written -> unit as stored
UNITS = {
    "minutes": "minutes",
    "minute": "minutes",
    "hours": "hours",
    "hour": "hours",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
    "years": "years",
    "seconds": "seconds",
    "officers": "officers",
    "police officers": "officers",
    "pcsos": "PCSOs",
    "sergeants": "sergeants",
    "police community support officers": "PCSOs",
    "officers and staff": "officers and staff",
    "stop and searches": "stop and searches",
    "police constables": "constables",
    "constables": "constables",
    "detectives": "detectives",
    "staff": "staff",
    "people": "people",
    "per cent": "per cent",
    "percent": "per cent",
    "%": "per cent",
    "crimes": "crimes",
    "calls": "calls",
    "victims": "victims",
    "arrests": "arrests",
    "cases": "cases",
    "offences": "offences",
    "reports": "reports",
    "incidents": "incidents",
    "complaints": "complaints",
    "allegations": "allegations",
    "investigations": "investigations",
    "applications": "applications",
    "recommendations": "recommendations",
    "million": "million",
    "square miles": "square miles",
    "miles": "miles",
    "forces": "forces",
    "police forces": "forces",
    "police services": "forces",
    "constabularies": "forces",
}
PHONE_NUMBERS = {"999", "101", "111"}
TIME_UNITS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years"}

_WORD_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_WORD = "one|two|three|four|five|six|seven|eight|nine"
# "thirty-seven" before "thirty": the longer reading first
_NUMBER = r"(?P<number>\d[\d,]*(?:\.\d+)?|(?:" + _TENS + r")[-\s](?:" + _UNITS_WORD + r")\b|" + _WORD_NUMBER + ")"
_UNIT = r"(?P<unit>" + "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True)) + ")"
# "approximately", "nearly", "more than": a qualifier, not part of the value
_BEFORE = r"(?<![\w£/.,])"
# A single hyphenated modifier may stand between a number and its unit: "65,000 Covid-related incidents".
# So may a word saying how the count compares: "96 more constables", "1,000 fewer officers", "2,037 other staff".
_MODIFIER = r"(?:[A-Za-z]+-[A-Za-z-]+\s+|(?:more|fewer|less|other|additional|extra|new|further)\s+)?"
# Words after "per 1,000" that start the rest of the sentence rather than name the base.
NOT_A_BASE = {
    "across",
    "in",
    "for",
    "of",
    "and",
    "or",
    "the",
    "a",
    "an",
    "at",
    "on",
    "to",
    "compared",
    "against",
    "nationally",
    "than",
    "while",
    "with",
    "among",
    "over",
    "during",
    "last",
    "this",
    "each",
}
# What a base is called in the gold's wording: "per 1,000 people" is "per 1,000 population".
BASE_NAMES = {"people": "population", "residents": "population", "inhabitants": "population", "head": "population"}
GRADE_WORDS = r"(?:outstanding|good|adequate|inadequate|requir(?:es|ed|ing)\s+improvement)"
PATTERNS = {
    # "402 calls per 1,000 population", "20 crimes per 1,000 people"
    # "31.3 domestic abuse incidents per 1,000 population"; "a rate of 19.1 per 1,000" (what is counted
    # and per what is then the sentence's earlier rate)
    "statistic.rate": re.compile(
        _BEFORE
        + _NUMBER
        + r"\s?(?P<unit>[a-z]+(?:\s[a-z]+){0,2})?\s+per\s+(?P<base>\d[\d,]*)"
        + r"(?:\s+(?!(?:"
        + "|".join(sorted(NOT_A_BASE))
        + r")\b)(?P<of>[A-Za-z][\w-]*(?:\s(?:for|of)\s[A-Za-z]+)?))?",
        re.I,
    ),
    # "20.1 in every 1,000 'calls for service'"
    "statistic.in-every": re.compile(
        _BEFORE
        + _NUMBER
        + r"\s+(?:in|out of)\s+every\s+(?P<base>\d[\d,]*)\s+[‘'“\"]?(?P<of>[A-Za-z][\w-]*(?:\s(?:for|of)\s[A-Za-z]+)?)",
        re.I,
    ),
    # "one of only four forces", "among just 24 nationally", "one of two (X is the other)"
    "statistic.forces-among": re.compile(
        r"\b(?:one\s+of|among)\s+(?:only\s+|just\s+|the\s+)?"
        + _NUMBER
        + r"(?=\s*(?:\(|,|nationally|in\s+(?:the|England|Wales|the\s+UK)|to\s+be|(?:rated|graded|judged|found)\b))",
        re.I,
    ),
    # "only the third force to be graded"
    "statistic.ordinal-force": re.compile(
        r"\bthe\s+(?P<ordinal>" + "|".join(ORDINALS) + r")\s+(?:police\s+)?force\s+to\b", re.I
    ),
    # "within an hour"
    # "five were outstanding, 35 were good" in a sentence about forces: counts of forces by grade
    "statistic.graded-forces": re.compile(
        _BEFORE + _NUMBER + r"\s+(?:(?:police\s+)?forces?\s+)?(?:were|was|are|is|had\s+been|have\s+been)\s+"
        r"(?:(?:rated|graded|judged|found|assessed|deemed)\s+(?:to\s+)?(?:be\s+)?(?:as\s+)?)?(?:an?\s+)?" + GRADE_WORDS,
        re.I,
    ),
    # "one minute 22 seconds": one duration in seconds
    "statistic.duration": re.compile(
        _BEFORE
        + _NUMBER
        + r"\s+minutes?\s+(?:and\s+)?"
        + _NUMBER.replace("?P<number>", "?P<seconds>")
        + r"\s+seconds?\b",
        re.I,
    ),
    "statistic.an-hour": re.compile(
        r"\b(?:within|in|under|inside|over|than|for)\s+(?P<number>an?|one)\s+(?P<unit>hour|minute)\b", re.I
    ),
    "statistic.number-unit": re.compile(_BEFORE + _NUMBER + r"\s?" + _MODIFIER + _UNIT + r"(?!\w)", re.I),
}
MONEY = re.compile(r"£(?P<number>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>m|bn|k|million|billion)?\b", re.I)
# Sums are kept in pounds, their words turned into digits: "£3.5m" is 3500000 £.
MONEY_SCALES = {
    None: 1,
    "k": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
# A bare number a sentence compares with a rate: "compared with 350 as the national average".
COMPARED = re.compile(
    r"\b(?:compared\s+(?:with|to)|against|versus|than|average\s+of)\s+(?:an?\s+)?(?:[\w ]{0,40}?average\s+of\s+)?"
    r"(?:only\s+|just\s+)?(?P<number>\d[\d,]*(?:\.\d+)?)(?!\s*(?:%|per\b|percent))",
    re.I,
)
# "24 hours a day", "seven days a week": how long something is available, not a measurement;
# "two years ago", "five years into the cuts": when, not how long.
TIME_IDIOM = re.compile(r"\s+(?:(?:a|per|each)\s+(?:day|week|year|month)|ago|into|earlier)\b", re.I)
# Periods that say when something happened or is due, not what was measured.
PERIOD_UNITS = {"days", "weeks", "months", "years"}
PERIOD_BEFORE = re.compile(
    r"\b(?:within|in|the|last|past|next|first|over|after|for|every|during|since|of|previous)\s+(?:(?:the|last|past|"
    r"next|first|previous|six|and|nine)\s+)*$",
    re.I,
)
YEAR = re.compile(r"(?:19|20)\d\d")
# A number with no unit of its own, standing where one would be: "five were not", "65 of 93 cases",
# "and a further 79,000.", "the 61 that inspectors saw", "between 80 and 170 crimes".
BARE_NUMBER = re.compile(
    _BEFORE
    + r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:"
    + _TENS
    + r")[-\s](?:"
    + _UNITS_WORD
    + r")\b|"
    + _WORD_NUMBER
    + r")(?![\d,]*\d)"
    + r"(?=\s*(?:$|[,.;:!?)]|[–—]|\s(?:were|was|are|is|had|have|has|of|required|requires?|that|who|which|including|"
    r"for|in|and|or|to|did|do|does|could|would|will|more|fewer|less)\b))",
    re.I,
)
# A range or pairing whose unit comes after its second number: "between 80 and 170 crimes".
# So does a part of a whole: "65 of 93 cases", "six of the 13 questions".
JOINED_TO_NEXT = re.compile(r"\s+(?:and|to|or|of(?:\s+(?:the|its|their))?)\s+", re.I)
# Words that make a number a date, a time, an age or a title, never a count.
NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:aged|age|tier|level|number|no\.?|section|article|page|chapter|phase|round|group|tranche|year|at)\s+|"
    r"[/£$€\-])$",
    re.I,
)
# Where a measure's words stop.
MEASURE_END = re.compile(
    r"[,;:.()]|\s[–—-]\s|\b(?:compared|versus|while|which|whereas|but|and\s+(?:a|an|the)\s+\d)\b", re.I
)
CONFIDENCE = {
    "statistic.rate": 0.8,
    "statistic.in-every": 0.8,
    "statistic.compared": 0.7,
    "statistic.forces-among": 0.7,
    "statistic.ordinal-force": 0.7,
    "statistic.an-hour": 0.7,
    "statistic.number-unit": 0.8,
    "statistic.money": 0.8,
    "statistic.graded-forces": 0.7,
    "statistic.duration": 0.8,
    "statistic.elided-unit": 0.6,
}


def _value(number: str) -> str:
    number = number.lower().replace(",", "")
    if number in ("a", "an"):
        return "1"
    compound = re.fullmatch(r"([a-z]+)[-\s]([a-z]+)", number)
    if compound and compound.group(1) in NUMBER_WORDS and compound.group(2) in NUMBER_WORDS:
        return str(NUMBER_WORDS[compound.group(1)] + NUMBER_WORDS[compound.group(2)])
    return str(NUMBER_WORDS.get(number, number))


def _pounds(number: str, scale: str | None) -> str:
    pounds = Decimal(number.replace(",", "")) * MONEY_SCALES[scale]
    return format(pounds.normalize(), "f")


def _base(base: str) -> str:
    return f"{int(base.replace(',', '')):,}"


# Every rule reads a digit, a number word, an ordinal or "an hour": sentences with none are skipped
# (nine in ten sentences of an article; the rules' patterns are most of extraction's cost).
MIGHT_COUNT = re.compile(r"\d|\b(?:" + "|".join([*NUMBER_WORDS, *ORDINALS]) + r"|an?\s+(?:hour|minute))\b", re.I)


def statistics(ctx: Context) -> tuple[Statistic, ...]:
    found = []
    for sentence in ctx.sentences:
        text = span_text(sentence)
        if not MIGHT_COUNT.search(text):
            continue
        taken: list[tuple[int, int]] = []
        counted: list[tuple[int, int, str]] = []  # (start, end, unit) of each count read so far
        rate_unit = None
        for rule, pattern in PATTERNS.items():
            if rule == "statistic.forces-among" and rate_unit:
                _compared(ctx, sentence, rate_unit, taken, found)
            for match in pattern.finditer(text):
                span = match.span("number") if "number" in pattern.groupindex else match.span()
                if any(s <= span[0] < e for s, e in taken):
                    continue
                read = _read(rule, match, text, rate_unit)
                if read is None:
                    continue
                value, unit = read
                if rule in ("statistic.rate", "statistic.in-every"):
                    rate_unit = unit
                taken.append((match.start(), match.end()))
                counted.append((span[0], match.end(), unit))
                found.append(_statistic(ctx, sentence, match.start(), match.end(), value, unit, rule))
        for match in MONEY.finditer(text):
            scale = (match.group("unit") or "").lower() or None
            taken.append(match.span())
            found.append(
                _statistic(
                    ctx,
                    sentence,
                    match.start(),
                    match.end(),
                    _pounds(match.group("number"), scale),
                    "£",
                    "statistic.money",
                )
            )
        _elided(ctx, sentence, taken, counted, found)
    return tuple(found)


def _elided(ctx: Context, sentence, taken: list, counted: list, found: list) -> None:
    """Bare numbers that stand for the unit of the count just before them ("37 forces were good and
    five were not"), or of the count they lead into ("between 80 and 170 crimes")."""
    text = span_text(sentence)
    counted = sorted(counted)
    for match in BARE_NUMBER.finditer(text):
        start, end = match.span("number")
        number = match.group("number").replace(",", "")
        if any(s <= start < e for s, e in taken) or YEAR.fullmatch(number) or number in PHONE_NUMBERS:
            continue
        if number.lower() == "one":  # "one of the 43 forces", "one, Kent, was outstanding": which, not how many
            continue
        if NOT_A_COUNT_BEFORE.search(text[max(0, start - 20) : start]) or text[end : end + 1] in "%":
            continue
        before = [unit for s, e, unit in counted if e <= start]
        joined = JOINED_TO_NEXT.match(text, end)
        after = [unit for s, e, unit in counted if joined and s == joined.end()]
        unit = after[0] if after else before[-1] if before else None
        if unit is None or unit.startswith("per ") or " per " in unit:
            continue
        taken.append((start, end))
        found.append(
            _statistic(ctx, sentence, start, end, _value(match.group("number")), unit, "statistic.elided-unit")
        )


def _compared(ctx: Context, sentence, rate_unit: str, taken: list, found: list) -> None:
    """Bare numbers the sentence compares with its rate take the rate's unit."""
    for match in COMPARED.finditer(span_text(sentence)):
        if any(s <= match.start("number") < e for s, e in taken):
            continue
        taken.append(match.span())
        value = _value(match.group("number"))
        found.append(
            _statistic(ctx, sentence, match.start("number"), match.end(), value, rate_unit, "statistic.compared")
        )


def _read(rule: str, match: re.Match, text: str, rate_unit: str | None = None) -> tuple[str, str] | None:
    """The value and unit a rule's match reads, or None when it is not a statistic."""
    if rule == "statistic.rate":
        counted = (match.group("unit") or "").strip()
        if not match.group("of") or not counted and rate_unit:
            # "an average of 245 per 1,000": counted as the sentence's earlier rate is
            return (_value(match.group("number")), rate_unit) if rate_unit else None
        of = BASE_NAMES.get(match.group("of").lower(), match.group("of"))
        unit = f"per {_base(match.group('base'))} {of}"
        return _value(match.group("number")), f"{counted} {unit}" if counted else unit
    if rule == "statistic.graded-forces":
        about_forces = re.search(r"\bforces?\b", text) and not re.search(
            r"\b(?:areas?|questions?|pillars?|categories)\b", text, re.I
        )
        return (_value(match.group("number")), "forces") if about_forces else None
    if rule == "statistic.duration":
        minutes, seconds = _value(match.group("number")), _value(match.group("seconds"))
        return str(int(Decimal(minutes) * 60 + Decimal(seconds))), "seconds"
    if rule == "statistic.in-every":
        return _value(match.group("number")), f"per {_base(match.group('base'))} {match.group('of')}"
    if rule == "statistic.forces-among":
        return _value(match.group("number")), "forces"
    if rule == "statistic.ordinal-force":
        return str(ORDINALS[match.group("ordinal").lower()]), "forces"
    value, unit = (
        _value(match.group("number")),
        UNITS.get(match.group("unit").lower(), match.group("unit").lower() + "s"),
    )
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
        value=value,
        unit=unit,
        measure=_measure(span_text(sentence), start, end, unit),
        evidence=evidence,
        force=_force(ctx, sentence, start),
    )


def _measure(text: str, start: int, end: int, unit: str) -> str:
    """A few words naming what is counted: the unit and the words after it up to a clause break;
    if none follow, the words just before the number."""
    after = re.sub(r"[‘’“”\"']", "", text[end:])
    stop = MEASURE_END.search(after)
    words = after[: stop.start() if stop else len(after)].split()[:6]
    if not words:
        before = text[:start]
        breaks = list(MEASURE_END.finditer(before))
        words = before[breaks[-1].end() if breaks else 0 :].split()[-6:]
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
