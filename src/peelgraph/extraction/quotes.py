"""Direct quotes and who said them.

Quoted passages are found paragraph by paragraph (double quotation marks, straight or curly). A
passage's speaker comes from its attribution ("X said:", "..., said X", "..., she said"); a
paragraph that opens a quote without attribution continues the quote of the paragraph before
(news style for quotes running over several paragraphs). Speakers are resolved to a full name
("Ms Billingham" -> "Zoe Billingham", "she" -> the last woman named), to an organisation ("an
NSPCC spokesman" -> NSPCC) or to a post ("the chief constable"), which resolve maps to its holder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelgraph.extraction.context import Context, entities, clean_name, is_full_name, title_of
from peelgraph.model import Post, Quote
from peelgraph.nlp import FORCE, INSPECTORATE, ORGANISATION, POST, entity_kind

VERBS = (
    r"said|says|say|added|adds|told(?: [\w ]{1,30})?|explained|explains|commented|comments|stated|states|warned|warns|"
    r"continued|continues|concluded|concludes|found|insisted|insists|admitted|admits|acknowledged|"
    r"responded|replied|wrote|writes|went on|saying|declared|noted|notes|remarked|argued|argues|"
    r"described it|summed up"
)
BEFORE = re.compile(r"(?P<who>[^.!?“”\"]{0,120}?)\s*,?\s*\b(?:%s)\b(?:[^“”\".!?]{0,60}?)[:,]?\s*$" % VERBS, re.I)
AFTER_VERB_FIRST = re.compile(r"^\W{0,3}\s*(?:%s)\s+(?P<who>[^.,;:!?“”\"]{2,80})" % VERBS, re.I)
AFTER_WHO_FIRST = re.compile(r"^\W{0,3}\s*(?P<who>[^.,;:!?“”\"]{1,80}?)\s+(?:%s)\b" % VERBS, re.I)
NOT_SPEAKERS = re.compile(r"\b(?:report|reports|document|findings|it|study|review|statement|data|figures)\b", re.I)
PRONOUNS = {"she": "f", "he": "m"}
FEMALE_TITLES = {"Ms", "Mrs", "Miss", "Dame", "Lady", "Baroness"}
MALE_TITLES = {"Mr", "Sir", "Lord"}
MIN_WORDS = 4
FOLLOW_ON_PARAGRAPHS = 2


@dataclass
class _Segment:
    paragraph: int
    start: int  # first character inside the quotation marks
    end: int
    closed: bool
    opens_paragraph: bool
    before: str
    after: str


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _segments(text: str) -> list[_Segment]:
    found: list[_Segment] = []
    for number, (p_start, p_end) in enumerate(_paragraphs(text)):
        paragraph = text[p_start:p_end]
        marks = [(i, ch) for i, ch in enumerate(paragraph) if ch in "“”\""]
        spans: list[tuple[int, int, bool]] = []
        open_at = None
        for i, ch in marks:
            if open_at is None and (ch == "“" or ch == '"'):
                open_at = i
            elif open_at is not None and (ch == "”" or ch == '"'):
                spans.append((open_at + 1, i, True))
                open_at = None
        if open_at is not None:
            spans.append((open_at + 1, len(paragraph), False))
        for k, (s, e, closed) in enumerate(spans):
            previous_end = spans[k - 1][1] + 1 if k else 0
            next_start = spans[k + 1][0] - 1 if k + 1 < len(spans) else len(paragraph)
            found.append(
                _Segment(
                    paragraph=number,
                    start=p_start + s,
                    end=p_start + e,
                    closed=closed,
                    opens_paragraph=not paragraph[: s - 1].strip(),
                    before=paragraph[previous_end : s - 1],
                    after=paragraph[e + 1 : next_start] if closed else "",
                )
            )
    return found


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
        name = clean_name(entity.text)
        title = title_of(entity.text) or _title_before(raw[: len(raw) - len(entity.text)])
        gender = "f" if title in FEMALE_TITLES else "m" if title in MALE_TITLES else None
        if is_full_name(name):
            names.append(_Name(entity.start_char, name, gender))
        else:
            full = _by_surname(names, name)
            if full:
                names.append(_Name(entity.start_char, full.name, gender or full.gender))
    return _genders_from_titles(ctx.article.text, sorted(names, key=lambda n: n.at))


def _genders_from_titles(text: str, names: list[_Name]) -> list[_Name]:
    """"Ms Blakeman" anywhere in the article tells that Amanda Blakeman is a woman."""
    titled = {}
    for match in re.finditer(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady|Baroness)\.?\s+([A-Z][\w'’-]+)", text):
        title = match.group(1)
        titled[match.group(2)] = "f" if title in FEMALE_TITLES else "m"
    return [n if n.gender else _Name(n.at, n.name, titled.get(n.name.split()[-1])) for n in names]


def _title_before(text: str) -> str | None:
    match = re.search(r"\b(Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s*$", text)
    return match.group(1) if match else None


def _by_surname(names: list[_Name], surname: str) -> _Name | None:
    surname = clean_name(surname)
    for known in reversed(names):
        if known.name.split()[-1] == surname.split()[-1]:
            return known
    return None


def _speaker(ctx: Context, who: str, where: int, names: list[_Name]) -> str | None:
    """Who an attribution names, given its text and where it is in the article."""
    who = who.strip().strip(",")
    if not who:
        return None
    earlier = [n for n in names if n.at <= where + len(who)]
    last_word = who.split()[-1].lower()
    if last_word in PRONOUNS and len(who.split()) <= 3:
        gender = PRONOUNS[last_word]
        match = next((n for n in reversed(earlier) if n.gender == gender), None) or next(
            (n for n in reversed(earlier) if n.gender is None), None
        )
        return match.name if match else None
    span = ctx.doc.char_span(where, where + len(who), alignment_mode="expand")
    named = entities(span) if span is not None else []
    for entity in named:
        if entity.label_ == "PERSON":
            name = clean_name(entity.text)
            if is_full_name(name):
                return name
            known = _by_surname(names, name)
            if known:
                return known.name
    titled = re.search(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+([A-Z][\w'’-]+)", who)
    if titled:
        known = _by_surname(names, titled.group(1))
        return known.name if known else titled.group(1)  # resolve looks the surname up among post holders
    if NOT_SPEAKERS.search(who) and not re.search(r"spokes", who, re.I):
        return None
    for label in (ORGANISATION, FORCE, INSPECTORATE):
        for entity in named:
            if entity.label_ == label:
                kind, slug = entity_kind(entity)
                return f"{kind}:{slug}"
    for entity in named:
        if entity.label_ == POST:
            return f"post:{entity_kind(entity)[1]}"
    plain = clean_name(who)
    if is_full_name(plain) and len(plain.split()) <= 4:
        return plain
    return None


def quotes(ctx: Context, posts: tuple[Post, ...] = ()) -> tuple[Quote, ...]:
    text = ctx.article.text
    names = _names(ctx, posts)
    found: list[Quote] = []
    last_speaker: str | None = None
    last_paragraph = -10
    chain_open = False
    for segment in _segments(text):
        body = text[segment.start : segment.end]
        speaker, rule = None, ""
        match = BEFORE.search(segment.before)
        if match and match.group("who").strip():
            where = segment.start - 1 - len(segment.before) + match.start("who")
            speaker, rule = _speaker(ctx, match.group("who"), where, names), "quote.said-before"
        if speaker is None and segment.after:
            after_start = segment.end + 1
            for pattern in (AFTER_VERB_FIRST, AFTER_WHO_FIRST):
                found_after = pattern.match(segment.after)
                if found_after:
                    where = after_start + found_after.start("who")
                    speaker, rule = _speaker(ctx, found_after.group("who"), where, names), "quote.said-after"
                    if speaker:
                        break
        attributed = bool(match) or speaker is not None
        if speaker is None and not attributed and not segment.opens_paragraph and segment.paragraph == last_paragraph:
            speaker, rule = last_speaker, "quote.same-paragraph"
        if speaker is None and segment.opens_paragraph and not attributed:
            if chain_open and segment.paragraph == last_paragraph + 1:
                speaker, rule = last_speaker, "quote.continued-paragraph"
            elif segment.paragraph - last_paragraph <= FOLLOW_ON_PARAGRAPHS:
                speaker, rule = last_speaker, "quote.follow-on-paragraph"
        if speaker and len(body.split()) >= MIN_WORDS:
            evidence = ctx.evidence(segment.start, segment.end, rule, 0.9 if rule.startswith("quote.said") else 0.75)
            found.append(Quote(text=evidence.text, speaker=speaker, evidence=evidence))
            last_speaker, last_paragraph = speaker, segment.paragraph
            chain_open = not segment.closed
        elif attributed:
            last_speaker, chain_open = None, False
    return tuple(found)
