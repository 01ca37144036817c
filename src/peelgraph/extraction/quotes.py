"""Direct quotes and who said them.

Quotations are found paragraph by paragraph from their marks: double quotation marks (straight or
curly; a mark opens or closes by the characters beside it, so a quotation nested in a quotation
does not end it) and, outside them, single quotation marks. One quotation is one entry, however
it is laid out (the conventions of news writing):

- it runs on across paragraphs when the paragraph before left it unclosed and the next paragraph
  opens with a quotation mark;
- it runs on past a mid-quote attribution ("...," he said. "...");
- a closed quotation followed by a new attribution ("He added: ...") starts a new entry.

A quotation's speaker comes from its attribution ("X said:", "..., said X", "..., she said", or
"X said:" standing on a line of its own before it). Speakers are resolved to a full name ("Ms
Billingham" -> "Zoe Billingham", "she" -> the last woman named), to an organisation ("an NSPCC
spokesman" -> NSPCC), to a post ("the chief constable", which resolve maps to its holder), or to
the inspectorate when the words are the report's or the inspectors' (resolve says which
inspectorate). Fragments under MIN_WORDS words are not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelgraph.extraction.context import TITLES, Context, clean_name, entities, is_full_name, title_of
from peelgraph.model import Post, Quote
from peelgraph.reading.nlp import FORCE, INSPECTORATE, ORGANISATION, POST, entity_kind

VERBS = (
    r"said|says|say|added|adds|told(?: [\w ]{1,30})?|explained|explains|commented|comments|stated|states|warned|warns|"
    r"continued|continues|concluded|concludes|found|insisted|insists|admitted|admits|acknowledged|"
    r"responded|replied|wrote|writes|went on|saying|declared|noted|notes|remarked|argued|argues|"
    r"described it|summed up|concedes|conceded|cautions|cautioned|observed|observes"
)
BEFORE = re.compile(r"(?P<who>[^.!?“”\"]{0,120}?)\s*,?\s*\b(?:" + VERBS + r")\b(?:[^“”\".!?]{0,60}?)[:,]?\s*$", re.I)
# "is characterised by inspectors as ...", "was described by the watchdog as ..."
BY_AGENT_AS = re.compile(r"\bby\s+(?P<who>[^.,;:!?“”\"]{2,60}?)\s+as\s*$", re.I)
AFTER_VERB_FIRST = re.compile(r"^\W{0,3}\s*(?:" + VERBS + r")\s+(?P<who>[^.,;:!?“”\"]{2,80})", re.I)
AFTER_WHO_FIRST = re.compile(r"^\W{0,3}\s*(?P<who>[^.,;:!?“”\"]{1,80}?)\s+(?:" + VERBS + r")\b", re.I)
SPEECH_VERB = re.compile(r"\b(?:" + VERBS + r")\b", re.I)
NOT_SPEAKERS = re.compile(r"\b(?:document|it|study|statement|data|figures)\b", re.I)
# The report's own words and the inspectors' are the inspectorate's; resolve names the inspectorate.
REPORT_VOICE = re.compile(r"\b(?:report|reports|inspectors|inspectorate|inspection|watchdog|review|findings)\b", re.I)
ARTICLE_INSPECTORATE = "inspectorate:"
# A clause that is not the subject of "said": "Responding to the report, X said", "X, who ..., added".
NOT_SUBJECT = re.compile(r"^(?:\w+ing|after|following|in|on|at|with|for|of|as|which|who|whose|when|speaking)\b", re.I)
PRONOUNS = {"she": "f", "he": "m"}
GROUP_PRONOUNS = {"they", "it"}
FEMALE_TITLES = {"Ms", "Mrs", "Miss", "Dame", "Lady", "Baroness"}
MALE_TITLES = {"Mr", "Sir", "Lord"}
# Ranks and posts written before a name, in full or abbreviated ("Acting Ch Con McCormick", "Insp Smith").
RANK_WORDS = {
    "acting",
    "temporary",
    "interim",
    "former",
    "deputy",
    "assistant",
    "chief",
    "ch",
    "con",
    "constable",
    "superintendent",
    "supt",
    "inspector",
    "insp",
    "detective",
    "det",
    "sergeant",
    "sgt",
    "pc",
    "commissioner",
    "councillor",
    "cllr",
    "commander",
    "cmdr",
}
MIN_WORDS = 8
FOLLOW_ON_PARAGRAPHS = 2
# Between an unclosed quotation and the paragraph that takes it up again, at most one paragraph
# without quotation marks (a stray line break, a caption).
RUN_ON_GAP = 2
MAX_ATTRIBUTION_WORDS = 20

DOUBLE_MARKS = {'"': None, "“": "open", "”": "close", "„": "open"}
SINGLE_MARKS = {"'", "‘", "’"}
OPENS_AFTER = set("([{—–-/:;") | set(DOUBLE_MARKS) | SINGLE_MARKS
CLOSES_BEFORE = set(".,;:!?)]}—–-…") | set(DOUBLE_MARKS) | SINGLE_MARKS


@dataclass
class _Segment:
    paragraph: int
    start: int  # first character inside the quotation marks
    end: int
    closed: bool
    opens_paragraph: bool
    single: bool
    before: str
    after: str


@dataclass
class _Run:
    """One quotation being read: its first segment's attribution and where it has got to."""

    start: int
    end: int
    speaker: str | None
    rule: str
    paragraph: int
    open_at_end: bool


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _side(paragraph: str, i: int) -> str | None:
    """Whether the mark at i opens or closes, by what stands beside it: an opening mark follows a
    space and comes before a word, a closing mark the other way round."""
    before = paragraph[i - 1] if i else " "
    after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
    opens = (before.isspace() or before in OPENS_AFTER) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in CLOSES_BEFORE)
    if opens != closes:
        return "open" if opens else "close"
    return None


def _double_spans(paragraph: str) -> list[tuple[int, int, bool]]:
    spans: list[tuple[int, int, bool]] = []
    depth, open_at = 0, 0
    for i, ch in enumerate(paragraph):
        if ch not in DOUBLE_MARKS:
            continue
        side = _side(paragraph, i) or DOUBLE_MARKS[ch] or ("close" if depth else "open")
        if side == "open":
            if depth == 0:
                open_at = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((open_at + 1, i, True))
    if depth:
        spans.append((open_at + 1, len(paragraph), False))
    return spans


def _single_spans(paragraph: str, outside: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Single-quoted passages outside double quotation marks. An apostrophe inside a word is
    neither; an unclosed one is taken for an apostrophe."""
    inside = [(s - 1, e + 1) for s, e, _ in outside]
    spans, open_at = [], None
    for i, ch in enumerate(paragraph):
        if ch not in SINGLE_MARKS or any(s <= i < e for s, e in inside):
            continue
        side = _side(paragraph, i)
        if side == "open" and open_at is None and ch != "’":
            open_at = i
        elif side == "close" and open_at is not None and ch != "‘":
            spans.append((open_at + 1, i, True))
            open_at = None
    return spans


def _segments(text: str) -> list[_Segment]:
    found: list[_Segment] = []
    for number, (p_start, p_end) in enumerate(_paragraphs(text)):
        paragraph = text[p_start:p_end]
        doubles = _double_spans(paragraph)
        spans = sorted(
            [(s, e, c, False) for s, e, c in doubles]
            + [(s, e, c, True) for s, e, c in _single_spans(paragraph, doubles)]
        )
        for k, (s, e, closed, single) in enumerate(spans):
            previous_end = spans[k - 1][1] + 1 if k else 0
            next_start = spans[k + 1][0] - 1 if k + 1 < len(spans) else len(paragraph)
            found.append(
                _Segment(
                    paragraph=number,
                    start=p_start + s,
                    end=p_start + e,
                    closed=closed,
                    opens_paragraph=not paragraph[: s - 1].strip(),
                    single=single,
                    before=paragraph[previous_end : s - 1],
                    after=paragraph[e + 1 : next_start] if closed else "",
                )
            )
    return found


def _person_name(text: str) -> str:
    """A name without the ranks, titles and letters around it: "HMCICS Mrs Gill Imery QPM" -> "Gill
    Imery", "Acting Ch Con McCormick" -> "McCormick"."""
    words = clean_name(text).split()
    while words and (
        words[0].rstrip(".").lower() in RANK_WORDS or words[0].rstrip(".") in TITLES or _is_letters(words[0])
    ):
        words.pop(0)
    while words and _is_letters(words[-1]):
        words.pop()
    return clean_name(" ".join(words))


def _is_letters(word: str) -> bool:
    """Post-nominal or post letters: "QPM", "OBE", "HMI"."""
    return len(word) > 1 and word.isupper() and word.isalpha()


@dataclass(frozen=True)
class _Name:
    at: int
    name: str
    gender: str | None


def _names(ctx: Context, posts: tuple[Post, ...] = ()) -> list[_Name]:
    """Every full name in the article with where it is and, from a title, a gender; names the NER
    missed but the post rules found ("Deputy Chief Constable Gareth Morgan") are included."""
    names: list[_Name] = [_Name(p.evidence.start, p.person, None) for p in posts]
    for entity in ctx.doc.ents:
        if entity.label_ != "PERSON":
            continue
        raw = ctx.article.text[max(0, entity.start_char - 12) : entity.end_char]
        name = _person_name(entity.text)
        title = _title_in(entity.text) or _title_before(raw[: len(raw) - len(entity.text)])
        gender = "f" if title in FEMALE_TITLES else "m" if title in MALE_TITLES else None
        # the NER may cut a name short ("Julian Harrington" of "Ben-Julian Harrington"): the post's is whole
        name = next((n.name for n in names if n.name.endswith(("-" + name, " " + name))), name)
        if is_full_name(name):
            names.append(_Name(entity.start_char, name, gender))
        elif name:
            full = _by_surname(names, name)
            if full:
                names.append(_Name(entity.start_char, full.name, gender or full.gender))
    return _genders_from_titles(ctx.article.text, sorted(names, key=lambda n: n.at))


def _genders_from_titles(text: str, names: list[_Name]) -> list[_Name]:
    """ "Ms Blakeman" anywhere in the article tells that Amanda Blakeman is a woman."""
    titled = {}
    for match in re.finditer(
        r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady|Baroness)\.?\s+(?:[A-Z][\w'’-]+\s+)?([A-Z][\w'’-]+)", text
    ):
        title = match.group(1)
        titled.setdefault(match.group(2), "f" if title in FEMALE_TITLES else "m")
    return [n if n.gender else _Name(n.at, n.name, titled.get(n.name.split()[-1])) for n in names]


def _title_in(text: str) -> str | None:
    match = re.search(r"\b(Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Baroness)\b\.?\s+[A-Z]", text)
    return match.group(1) if match else title_of(text)


def _title_before(text: str) -> str | None:
    match = re.search(r"\b(Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s*$", text)
    return match.group(1) if match else None


def _by_surname(names: list[_Name], surname: str) -> _Name | None:
    surname = clean_name(surname)
    if not surname:
        return None
    for known in reversed(names):
        if known.name.split()[-1] == surname.split()[-1]:
            return known
    return None


def _subject(who: str) -> tuple[int, str]:
    """The clause of an attribution that names the speaker, and where it starts in it: "Responding
    to the report, Chief Constable X" -> "Chief Constable X"; "An NSPCC spokesman, following the
    report" -> "An NSPCC spokesman"."""
    clauses, offset = [], 0
    for part in who.split(","):
        if part.strip() and not NOT_SUBJECT.match(part.strip()):
            clauses.append((offset + len(part) - len(part.lstrip()), part.strip()))
        offset += len(part) + 1
    return clauses[-1] if clauses else (0, who)


def _speaker(ctx: Context, who: str, where: int, names: list[_Name], last: str | None = None) -> str | None:
    """Who an attribution names, given its text, where it is in the article and the speaker of the
    quotation before (whom "they" may take up)."""
    stripped = who.strip().strip(",")
    if not stripped:
        return None
    where += who.index(stripped)
    leading = next((n.name for n in names if stripped.startswith(n.name + ",")), None)
    if leading:  # "Roger Hirst, the Police, Fire and Crime Commissioner for Essex, said": a name in apposition
        return leading
    offset, who = _subject(stripped)
    where += offset
    earlier = [n for n in names if n.at <= where + len(who)]
    words = who.split()
    last_word = words[-1].lower()
    if last_word in PRONOUNS and len(words) <= 3:
        gender = PRONOUNS[last_word]
        # the last person named who can be "he" or "she": of that gender, or of none known
        match = next((n for n in reversed(earlier) if n.gender in (gender, None)), None)
        return match.name if match else None
    if words[0].lower() in GROUP_PRONOUNS and len(words) <= 4:
        return last if last and ":" in last else None  # "they" are the organisation just quoted
    span = ctx.doc.char_span(where, where + len(who), alignment_mode="expand")
    named = entities(span) if span is not None else []
    known = next((n.name for n in reversed(names) if n.name in who), None)
    if known:
        return known
    for entity in named:
        if entity.label_ == "PERSON":
            name = _person_name(entity.text)
            if is_full_name(name):
                return name
            found = _by_surname(names, name)
            if found:
                return found.name
    titled = re.search(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)", who)
    if titled:
        name = _person_name(titled.group(1))
        if is_full_name(name) and len(name.split()) <= 3:
            return name
        surname = titled.group(1).split()[0]
        found = _by_surname(names, surname)
        return found.name if found else surname  # resolve looks the surname up among post holders
    if NOT_SPEAKERS.search(who) and not re.search(r"spokes", who, re.I):
        return None
    for label in (ORGANISATION, FORCE, INSPECTORATE):
        for entity in named:
            if entity.label_ == label:
                kind, slug = entity_kind(entity)
                return f"{kind}:{slug}"
    if REPORT_VOICE.search(who) and not any(e.label_ == POST for e in named):
        return ARTICLE_INSPECTORATE
    for entity in named:
        if entity.label_ == POST:
            return f"post:{entity_kind(entity)[1]}"
    plain = _person_name(who)
    if is_full_name(plain) and len(plain.split()) <= 4:
        return plain
    if plain and len(plain.split()) == 1 and plain[:1].isupper():
        found = _by_surname(earlier, plain)  # "Insp McCormick", "Acting Ch Con McCormick"
        return found.name if found else None
    return None


def _attribution(
    ctx: Context,
    text: str,
    segment: _Segment,
    names: list[_Name],
    last: str | None,
    previous_line: tuple[int, str] | None,
):
    """The speaker a segment's own attribution names, the rule, and whether it has one at all."""
    match = BEFORE.search(segment.before) or BY_AGENT_AS.search(segment.before)
    if match and match.group("who").strip():
        where = segment.start - 1 - len(segment.before) + match.start("who")
        return _speaker(ctx, match.group("who"), where, names, last), "quote.said-before", True
    if segment.after:
        after_start = segment.end + 1
        for pattern in (AFTER_VERB_FIRST, AFTER_WHO_FIRST):
            found = pattern.match(segment.after)
            if found:
                where = after_start + found.start("who")
                speaker = _speaker(ctx, found.group("who"), where, names, last)
                if speaker:
                    return speaker, "quote.said-after", True
    if segment.opens_paragraph and previous_line:
        line_start, line = previous_line
        found = BEFORE.search(line) if line.rstrip().endswith(":") else None
        if found and found.group("who").strip():
            return (
                _speaker(ctx, found.group("who"), line_start + found.start("who"), names, last),
                "quote.said-line-before",
                True,
            )
    return None, "", bool(match)


def _only_attribution(between: str) -> bool:
    """Whether the words between two quoted passages only say who spoke: ', he said. '."""
    if re.match(r"\s*[.!?]", between):
        return False  # the sentence ended with the quotation: what follows is a new one
    words = between.strip(" ,.;:—–-").strip()
    return (
        bool(SPEECH_VERB.search(words))
        and not re.search(r"[.!?]\s", words)
        and len(words.split()) <= MAX_ATTRIBUTION_WORDS
    )


def quotes(ctx: Context, posts: tuple[Post, ...] = ()) -> tuple[Quote, ...]:
    text = ctx.article.text
    names = _names(ctx, posts)
    paragraphs = _paragraphs(text)
    runs: list[_Run] = []
    previous: _Segment | None = None
    for segment in _segments(text):
        run = runs[-1] if runs else None
        last_speaker = run.speaker if run else None
        previous_line = None
        if segment.paragraph and (previous is None or previous.paragraph < segment.paragraph - 1):
            p_start, p_end = paragraphs[segment.paragraph - 1]
            previous_line = (p_start, text[p_start:p_end])
        speaker, rule, attributed = _attribution(ctx, text, segment, names, last_speaker, previous_line)
        follows_run = run is not None and previous is not None and previous.end == run.end
        runs_on = (
            follows_run
            and segment.opens_paragraph
            and run.open_at_end
            and 0 < segment.paragraph - run.paragraph <= RUN_ON_GAP
            and speaker in (None, run.speaker)
        )
        past_attribution = (
            follows_run
            and not segment.single
            and segment.paragraph == run.paragraph
            and _only_attribution(segment.before)
        )
        # the next paragraph opening a quotation with no attribution of its own, right after the
        # speaker's closed quotation and its "she said": the same quotation goes on
        goes_on = (
            follows_run
            and segment.opens_paragraph
            and segment.paragraph - run.paragraph == 1
            and speaker is None
            and not attributed
            and not segment.single
        )
        previous = segment
        if runs_on or past_attribution or goes_on:
            run.end, run.paragraph, run.open_at_end = segment.end, segment.paragraph, not segment.closed
            continue
        if speaker is None and not attributed and run is not None and not segment.single:
            if not segment.opens_paragraph and segment.paragraph == run.paragraph:
                speaker, rule = run.speaker, "quote.same-paragraph"
            elif segment.opens_paragraph and segment.paragraph - run.paragraph <= FOLLOW_ON_PARAGRAPHS:
                speaker, rule = run.speaker, "quote.follow-on-paragraph"
            elif run.speaker == ARTICLE_INSPECTORATE and segment.paragraph - run.paragraph <= 1:
                speaker, rule = run.speaker, "quote.report-voice-continued"
        if speaker is None and not attributed:
            continue  # scare quotes, titles, words no one is said to have spoken
        runs.append(_Run(segment.start, segment.end, speaker, rule, segment.paragraph, not segment.closed))
    found: list[Quote] = []
    for run in runs:
        if run.speaker and len(text[run.start : run.end].split()) >= MIN_WORDS:
            evidence = ctx.evidence(run.start, run.end, run.rule, 0.9 if run.rule.startswith("quote.said") else 0.75)
            found.append(Quote(text=evidence.text, speaker=run.speaker, evidence=evidence))
    return tuple(found)
