"""Graded judgements: which force got which grade in which PEEL area.

A grade word is a judgement only in a rating context ("rated good", "judged inadequate",
"requires improvement in", "Effectiveness: good"), never as an ordinary adjective ("good progress").
Its areas are the PEEL areas that follow it in the same clause ("good at preventing crime",
"good for efficiency and legitimacy") or, failing that, precede it ("its effectiveness was rated
good"). Each step is a small function over the sentence's tokens and entities; the word lists are
tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Span

from peelgraph.extraction.context import Context, entities, span_text, text_of
from peelgraph.model import Judgement
from peelgraph.reading.nlp import AREA, FORCE, GRADE, INSPECTORATE, clause_head, entity_kind, grammar

QUOTES = {"'", "‘", "’", '"', "“", "”", "`"}
# A grade word followed by one of these is a grade; followed by a noun it is an adjective.
FOLLOWERS = {
    "at",
    "in",
    "for",
    "across",
    "on",
    "overall",
    "when",
    "with",
    "by",
    "from",
    "and",
    "or",
    "but",
    ",",
    ".",
    ";",
    ":",
    ")",
    "(",
    "-",
    "–",
    "—",
    "rating",
    "ratings",
    "grade",
    "grades",
    "grading",
    "gradings",
    "judgement",
    "judgements",
    "judgment",
    "score",
    "as",
    "after",
    "following",
    "compared",
    "up",
    "down",
    "while",
    "whilst",
    "whereas",
    "although",
    "last",
    "this",
    "again",
    "once",
    "under",
    "since",
    "was",
    "were",
    "is",
    "are",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "area",
    "areas",
    "both",
}
PAST_TENSE = {"required improvement"}
NEGATIONS = {"not", "n't", "never", "no", "nor"}
HYPOTHETICAL = {
    "aim",
    "aims",
    "aiming",
    "hope",
    "hopes",
    "hoping",
    "want",
    "wants",
    "ambition",
    "strive",
    "striving",
    "target",
    "would",
    "could",
    "might",
    "if",
    "become",
    "becoming",
    "aspire",
    "aspires",
    "until",
    "unless",
}
CLAUSE_BREAKS = {
    ";",
    "but",
    "however",
    "although",
    "though",
    "while",
    "whilst",
    "whereas",
    "yet",
    ".",
    "apart",
    "except",
    "excluding",
}
HISTORY_WORDS = {"previously", "previous", "last", "earlier", "former", "formerly", "prior", "before"}
FIRE = re.compile(r"\bfire\b", re.I)
# "good across all three pillars", "good in all three areas" (but "outstanding in three areas" is a count)
ALL_PILLARS = re.compile(
    r"^\W*(?:across|in|for|on)\s+"
    r"(?:(?:all|each of)\s+(?:the\s+|its\s+)?(?:three|3)\s+(?:pillars|categories|strands|headings|areas)"
    r"|(?:the\s+|its\s+)?(?:three|3)\s+(?:pillars|categories|strands|headings)"
    r"|all\s+three(?=\s*(?:[,.;)]|and\b|but\b|$)))",  # "good on all three", the pillars named before
    re.I,
)
PILLARS = ("effectiveness", "efficiency", "legitimacy")
YEAR = re.compile(r"\b(20[12]\d)(?:\s*[/–-]\s*(\d{2}))?\b")
LIST_JOINERS = {",", "and", "as", "well", "or", "in", "at", "for", "its", "the", "on", "&", "to"}
RATING_VERBS = {"rated", "graded", "judged", "found", "assessed", "deemed", "considered"}
JUDGING_VERBS = RATING_VERBS | {"concluded", "decided", "told"}
CONJUNCTIONS = {"and", "but", "while", "whilst", "which", "who", "although"}
# A grade that is also a plain word ("adequate") is a grade only quoted, capitalised or judged.
PLAIN_WORD_GRADES = {"adequate"}
COPULAS = {"was", "were", "is", "are", "be", "been", "being", "only", "merely", "just", "barely"}
PLURAL_SUBJECT = re.compile(r"\b(?:forces|constabularies)\b|\bthey\s+(?:were|are|have been)?\s*$", re.I)
# "In 2016", "in the integrated 2018/19 assessment": the round a sentence opens with, unless a later
# year follows (dates masked first: "published in May 2019" names no round).
YEAR_BEFORE = re.compile(
    r"\b(?:in|at|during|for)\s+(?:(?:the|its|their)\s+(?:[a-z]+\s+){0,2}?)?(?:PEEL\s+)?"
    r"(20[12]\d(?:\s*[/–-]\s*\d{2})?)\b(?!.*\b20[12]\d)",
    re.I,
)
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
DATED = re.compile(rf"\b(?:\d{{1,2}}\s+)?(?:{MONTHS})\s+(?:\d{{1,2}},?\s+)?20[12]\d\b", re.I)
AGO = re.compile(
    r"\b(?P<years>a|one|two|three|four|five|\d+) years? (?:ago|earlier|before)\b|\blast year\b"
    r"|\bthe (?:year|inspection) before\b",
    re.I,
)
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# "good, the same grade it was given last year": an earlier result as well as this one.
SAME_AS_BEFORE = re.compile(
    r"\b(?:the same|an identical|unchanged)\b(?:\s+(?:grade|rating|judgement|judgment|verdict))?[^.;]{0,40}?"
    r"\b(?:(?P<years>a|one|two|three|four|\d+) years? (?:ago|earlier|before)|last year|in (?P<year>20[12]\d)"
    r"|(?:the |its )?(?:previous|last|earlier|prior) (?:inspection|assessment|report|time|year))\b",
    re.I,
)
# "The inspection, carried out last autumn, found ...": when the reported inspection took place, not
# an earlier result.
# "published earlier this month", "last month, its efficiency was rated good": this round's news.
WHEN_INSPECTED = re.compile(
    r"\b(?:carried out|conducted|inspected|visited|took place|fieldwork|inspection)\b[^.;]{0,60}?"
    r"\blast (?:year|month|spring|summer|autumn|winter|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\b(?:earlier|later) (?:this|that) (?:month|week|year)\b|\blast (?:week|month)\b",
    re.I,
)
# "the force's previous PEEL report, published in August 2022, which rated it adequate": the grades
# of a relative clause on an earlier report are that report's.
EARLIER_REPORT_WHICH = re.compile(
    r"\b(?:previous|last|earlier|prior)\s+(?:[\w-]+\s+){0,2}(?:report|inspection|assessment)\b[^.;]{0,60}?"
    r"\b(?:which|that)\b[^.;]*$",
    re.I,
)
# The part of a clause before its grade: "two years ago, inspectors rated it outstanding" dates it.
CLAUSE_BEFORE = re.compile(r"[^;:.]*$")
OPENS_WITH_HISTORY = re.compile(
    r"^\W*(?:(?:In|At|When|During|Since)\b[^,]{0,60}\b(?:previous|last|earlier|prior)\b"
    r"|(?:The|Its|Their) (?:previous|last|earlier|prior) (?:report|inspection|assessment|round|PEEL))",
    re.I,
)
# "In five more areas it was told it required improvement", "It was also rated good for ...": a
# sentence that adds to the one before without a time of its own speaks of the same time.
ADDITIVE = re.compile(
    r"\b(?:also|too|as well|likewise|similarly|in addition|additionally|only"
    r"|(?:\w+ )?(?:more|further|other) (?:areas?|ones?|categories|aspects|respects)|another (?:area|one))\b",
    re.I,
)
NOW = re.compile(r"\b(?:now|this (?:time|year|round)|latest|newest|today|current(?:ly)?|but|however)\b", re.I)
# From 2015 to 2017 the effectiveness and the efficiency question were both worded "how ... is the
# force at keeping people safe and reducing crime?". Such a wording names the pillar that more of
# the article's other areas come under (understanding demand: efficiency), effectiveness if even.
EITHER_PILLAR = ("effectiveness", "efficiency")
PEEL_SPELT_OUT = re.compile(r"\beffectiveness,? efficiency,? (?:and|&) legitimacy\b", re.I)
MAX_GAP = 8  # tokens between a grade and the first area it governs
# Words that may stand between two areas of one list ("in A; B, and the way it does C").
LIST_GLUE = LIST_JOINERS | {
    ";",
    ":",
    "-",
    "–",
    "—",
    "•",
    "including",
    "among",
    "them",
    "such",
    "namely",
    "plus",
    "with",
    "way",
    "how",
    "well",
    "it",
    "both",
    "also",
    "when",
    "comes",
    "their",
    "of",
    "regard",
    "respect",
    "terms",
    "all",
}
# A force named after one of these is not the subject ("Like Norfolk, Suffolk was rated good").
NOT_SUBJECT = {"like", "unlike", "than", "with", "alongside", "including", "from", "as", "beside", "besides", "behind"}
COORDINATION = {",", "and", "&", "as", "well", "both"}
# "Durham, Cleveland and Northumbria police forces": forces named by their places, in a list.
PLACE_LIST = re.compile(
    r"(?P<names>[A-Z][\w'-]*(?: [A-Z][\w'-]*)*"
    r"(?:,? (?:and|&) |, )[A-Z][\w'-]*(?: [A-Z][\w'-]*)*"
    r"(?:(?:,? (?:and|&) |, )[A-Z][\w'-]*(?: [A-Z][\w'-]*)*)*)"
    r" (?:police )?(?:forces|constabularies|police)\b"
)


@dataclass(frozen=True)
class _Grade:
    span: Span
    slug: str


def judgements(ctx: Context) -> tuple[Judgement, ...]:
    found: list[Judgement] = []
    last_grade: str | None = None
    earlier_in: dict[int, tuple[tuple[str, ...], int]] = {}  # sentences giving earlier results: when
    earlier_lists: set[int] = set()  # of those, the introductions and items of lists of earlier results
    before = -1  # the last sentence with words in it
    for number, sentence in enumerate(ctx.sentences):
        before, previous = (number if any(t.is_alpha for t in sentence) else before), before
        words = [_Grade(e, entity_kind(e)[1]) for e in entities(sentence) if e.label_ == GRADE]
        if not words and (intro := _earlier_list_intro(sentence)):
            earlier_in[number] = intro  # "Its previous inspection graded it as follows:" and a list
            earlier_lists.add(number)
        if not words and last_grade:
            found += _judgements_of_anaphor(ctx, sentence, last_grade)
        if not words and SAME_GRADES.search(span_text(sentence)):
            found += _same_grades_as_before(ctx, sentence, found)
        grades = [grade for grade in words if _is_rating(grade)]
        previous_areas: tuple[tuple[str, ...], ...] = ()
        for index, grade in enumerate(grades):
            last_grade = grade.slug
            limit_after = grades[index + 1].span.start if index + 1 < len(grades) else sentence.end
            limit_before = grades[index - 1].span.end if index > 0 else sentence.start
            history_rounds, history, years_before = _history(sentence, grade, limit_after)
            item = previous in earlier_lists and _starts_line(sentence) and _is_list_item(sentence)
            if (
                not (history or history_rounds)
                and previous in earlier_in
                and (item or _adds_to_before(sentence, grade))
            ):
                (history_rounds, years_before), history = earlier_in[previous], True
                if item:
                    earlier_lists.add(number)
            areas, rule = _areas_after(sentence, grade, limit_after), "judgement.grade-then-area"
            announced = _areas_announced(sentence, grade, limit_after)
            if len(announced) > len(areas):
                areas, rule = announced, "judgement.grade-then-list"
            end = sentence.end_char
            if not areas:
                areas, rule = _all_pillars(sentence, grade), "judgement.all-three-pillars"
            if not areas and index + 1 == len(grades):
                areas, end = _areas_of_list_below(ctx, number, grade)
                rule = "judgement.grade-then-list"
            if not areas:
                areas, rule = _areas_before(sentence, grade, limit_before), "judgement.area-then-grade"
            if not areas and SAME_AREA.match(text_of(sentence.doc)[grade.span.end_char : sentence.end_char]):
                areas, rule = _last_area_before(sentence, grade), "judgement.grade-in-that-area"
            if (
                not areas
                and number
                and COLLECTIVE.match(text_of(sentence.doc)[sentence.start_char : grade.span.start_char])
            ):
                areas, rule = (
                    _areas_in(e for e in entities(ctx.sentences[number - 1]) if e.label_ == AREA),
                    "judgement.grade-of-areas-before",
                )
            if not areas and (topic := _area_as_topic(sentence)):
                areas, rule = topic, "judgement.area-as-topic"
            if not areas and number and _answers_question(ctx, number, grade):
                areas, rule = _areas_asked(ctx, ctx.sentences[number - 1]), "judgement.grade-after-question"
            if not areas and history and previous_areas:
                areas, rule = previous_areas, "judgement.history-of-previous-area"
            previous_areas = areas
            if not areas:
                continue
            forces = _forces_of(ctx, sentence, grade)
            if forces is False:
                continue
            if history:
                rule = "judgement.history"
                earlier_in[number] = history_rounds, years_before
            evidence = ctx.evidence(sentence.start_char, end, rule, CONFIDENCE.get(rule, 0.8))
            for history_round in history_rounds or (None,):  # "in 2015 and in 2016": one judgement each
                found += _judgements_for(ctx, forces, areas, grade.slug, evidence, history, history_round, years_before)
            limit_char = sentence.end_char if limit_after >= sentence.end else ctx.doc[limit_after].idx
            again = None if history else SAME_AS_BEFORE.search(text_of(ctx.doc), grade.span.end_char, limit_char)
            if again:
                before_evidence = ctx.evidence(sentence.start_char, end, "judgement.same-grade-before", 0.8)
                found += _judgements_for(
                    ctx, forces, areas, grade.slug, before_evidence, True, again.group("year"), _years_ago(again)
                )
    return tuple(_one_pillar(ctx, found))


CONFIDENCE = {"judgement.grade-then-area": 0.95, "judgement.area-then-grade": 0.85}


PRESENT_TENSE = {"VBZ", "VBP"}
EARLIER = re.compile(r"\b(?:previous|last|earlier|prior|former)\b", re.I)


def _earlier_list_intro(sentence: Span) -> tuple[tuple[str, ...], int] | None:
    """A sentence ending in a colon that introduces an earlier round's grades ("The force's previous
    inspection, for 2021/22, graded it as follows:"): the rounds it names and how long ago."""
    text = span_text(sentence).rstrip()
    if not text.endswith(":") or NOW.search(text) or not (EARLIER.search(text) or AGO.search(text)):
        return None
    undated = DATED.sub(lambda m: " " * len(m.group(0)), text)
    rounds = tuple(_as_written(m) for m in YEAR.finditer(undated))
    return rounds, 0 if rounds else _years_ago(AGO.search(text))


AREA_TOPIC_OPENING = re.compile(
    r"\W*(?:for|on|in|as for|as regards|regarding|when it comes to)\s+(?:the\s+|its\s+|their\s+)?", re.I
)


def _area_as_topic(sentence: Span) -> tuple[tuple[str, ...], ...]:
    """ "For efficiency, Kent and Essex were rated good, while Surrey was told it requires
    improvement": an area the sentence opens with, set off by a comma, is every grade's in it."""
    areas = [e for e in entities(sentence) if e.label_ == AREA]
    if not areas:
        return ()
    text = text_of(sentence.doc)
    opening = text[sentence.start_char : areas[0].start_char]
    if AREA_TOPIC_OPENING.fullmatch(opening) and text[areas[0].end_char : areas[0].end_char + 1] == ",":
        return _areas_in(areas[:1])
    return ()


# "rated good in four of them: A; B; C; and D", "good in two areas - A, which ..., and B"
ANNOUNCED_LIST = re.compile(
    r"^\W*(?:\w+\s+){0,3}?(?:in|for|at|on)\s+(?:\w+\s+){0,2}(?:areas|of them|ones|categories|respects)\s*[:–—-]",
    re.I,
)


def _areas_announced(sentence: Span, grade: _Grade, limit: int) -> tuple[tuple[str, ...], ...]:
    """Every area of a list a grade announces with a count and a colon or dash, whatever stands
    between the items."""
    text = text_of(sentence.doc)
    end = sentence.end_char if limit >= sentence.end else sentence.doc[limit].idx
    announced = ANNOUNCED_LIST.match(text[grade.span.end_char : end])
    if not announced:
        return ()
    start = grade.span.end_char + announced.end()
    return _areas_in(e for e in entities(sentence) if e.label_ == AREA and start <= e.start_char and e.end_char <= end)


def _answers_question(ctx: Context, number: int, grade: _Grade) -> bool:
    """ "How effective is the force at investigating crime? - Good": a grade alone after a question
    on the same line answers it."""
    question = ctx.sentences[number - 1]
    between = text_of(ctx.doc)[question.end_char : grade.span.start_char]
    after = text_of(ctx.doc)[grade.span.end_char : ctx.sentences[number].end_char]
    return (
        re.search(r"\?[ \t]*[-–—:]?[ \t]*$", span_text(question)) is not None
        and re.fullmatch(r"[ \t]*[-–—:]?[ \t]*['‘\"“]?", between) is not None
        and re.fullmatch(r"\W*", after) is not None
    )


def _areas_asked(ctx: Context, question: Span) -> tuple[tuple[str, ...], ...]:
    """The areas a question asks about: "How effective is the force at preventing crime, and keeping
    people safe?" asks about preventing crime; the pillar words around it only frame it."""
    asked = [e for e in entities(question) if e.label_ == AREA]
    specific = [e for e in asked if not set(_area_slugs(e)) <= set(PILLARS)]
    return _areas_in(specific or asked)


def _is_list_item(sentence: Span) -> bool:
    """An item of a list: a bulleted line, or a few words on their own."""
    text = span_text(sentence)
    return bool(BULLET.match(text)) or len(text.split()) <= LIST_ITEM_WORDS


def _starts_line(sentence: Span) -> bool:
    return sentence.start_char == 0 or "\n" in text_of(sentence.doc)[sentence.start_char - 1]


def _adds_to_before(sentence: Span, grade: _Grade) -> bool:
    """Whether the clause of a grade adds to the sentence before ("in five more areas", "also")
    without a time of its own: "now", "this time", a turn ("but") or the present tense ("it also
    requires improvement at ...")."""
    before = CLAUSE_BEFORE.search(text_of(sentence.doc)[sentence.start_char : grade.span.start_char]).group(0)
    if not ADDITIVE.search(before) or NOW.search(before):
        return False
    parsed = grammar(sentence)
    root = _root(parsed, sentence, grade.span)
    verbs = {root, clause_head(root)}
    verbs |= {child for verb in verbs for child in verb.children if child.dep_ in {"aux", "auxpass"}}
    return not any(verb.tag_ in PRESENT_TENSE for verb in verbs)


def _judgements_for(
    ctx, forces, areas, grade, evidence, history=False, history_round=None, years_before=0
) -> list[Judgement]:
    return [
        Judgement(
            force=force,
            area=_theme(ctx, candidates),
            grade=grade,
            current=not history,
            evidence=evidence,
            round=history_round,
            candidates=candidates,
            years_before=years_before if history and not history_round else 0,
        )
        for force in forces
        for candidates in areas
    ]


# "This is the grade the force was given for A and B": the grade of the sentence before.
ANAPHOR = re.compile(r"\b(?:this|that|the same|which|the) (?:grade|rating|judgement|judgment)\b", re.I)


def _judgements_of_anaphor(ctx: Context, sentence: Span, grade: str) -> list[Judgement]:
    match = ANAPHOR.search(span_text(sentence))
    if not match:
        return []
    span = sentence.char_span(match.start(), match.end(), alignment_mode="expand")
    anaphor = _Grade(span, grade)
    areas = _areas_after(sentence, anaphor, sentence.end)
    forces = _forces_of(ctx, sentence, anaphor) if areas else False
    if forces is False:
        return []
    evidence = ctx.sentence_evidence(sentence, "judgement.grade-of-sentence-before", 0.8)
    return _judgements_for(ctx, forces, areas, grade, evidence)


# "Essex Police received exactly the same three grades": the grades the force before was given.
SAME_GRADES = re.compile(r"\b(?:the same|identical)\b(?: \w+){0,2} (?:grades|ratings|judgements|judgments)\b", re.I)


def _same_grades_as_before(ctx: Context, sentence: Span, found: list[Judgement]) -> list[Judgement]:
    forces = [e for e in entities(sentence) if e.label_ == FORCE]
    current = [j for j in found if j.current]
    if not forces or not current:
        return []
    earlier = current[-1].force
    evidence = ctx.sentence_evidence(sentence, "judgement.same-grades-as-before", 0.7)
    return [
        replace(j, force=entity_kind(forces[0])[1], evidence=evidence)
        for j in current
        if j.force == earlier and entity_kind(forces[0])[1] != earlier
    ]


BULLET = re.compile(r"^\s*(?:[•·*▪◦‣-]|–|—|\d+[.)])\s*")


def _areas_of_list_below(ctx: Context, number: int, grade: _Grade) -> tuple[tuple[tuple[str, ...], ...], int]:
    """ "... was rated good for:" and a list of areas below, one an item, or a grade alone on its line
    heading the areas below it; and where the list ends."""
    sentence = ctx.sentences[number]
    rest = re.sub(r"\([^)]*\)", "", text_of(sentence.doc)[grade.span.end_char : sentence.end_char]).strip(" '’\"”\n")
    heading = not rest and _starts_line(sentence) and span_text(sentence).strip(" '’\"”‘“\n") == grade.span.text
    if not heading and (not rest.endswith(":") or len(rest.split()) > MAX_GAP):
        return (), sentence.end_char
    areas: list[tuple[str, ...]] = []
    end = sentence.end_char
    for item in ctx.sentences[number + 1 :]:
        found = [e for e in entities(item) if e.label_ in (AREA, GRADE)]
        if not _is_list_item(item) or any(e.label_ == GRADE for e in found):
            break
        areas += [_area_slugs(e) for e in found[:1]]
        end = item.end_char
    return tuple(dict.fromkeys(areas)), end


LIST_ITEM_WORDS = 12


def _one_pillar(ctx: Context, found: list[Judgement]) -> list[Judgement]:
    """Judgements of a wording that names either pillar, kept to one (see EITHER_PILLAR)."""
    either = [j for j in found if set(EITHER_PILLAR) <= _pillars(ctx, j.candidates)]
    if not either:
        return found
    spelt_out = [m.span() for m in PEEL_SPELT_OUT.finditer(ctx.article.text)]
    counts = dict.fromkeys(EITHER_PILLAR, 0)
    for entity in ctx.doc.ents:
        pillars = _pillars(ctx, _area_slugs(entity)) if entity.label_ == AREA else set()
        if len(pillars) == 1 and not any(s <= entity.start_char < e for s, e in spelt_out):
            counts[pillars.pop()] += 1
    pillar = max(EITHER_PILLAR, key=lambda p: counts[p])  # the first on a tie: effectiveness
    return [
        replace(
            j, candidates=(kept := _under(ctx, j.candidates, _pillar_said(ctx, j) or pillar)), area=_theme(ctx, kept)
        )
        if j in either
        else j
        for j in found
    ]


PILLAR_ADJECTIVES = {"effectiveness": re.compile(r"\beffective", re.I), "efficiency": re.compile(r"\befficient", re.I)}


def _pillar_said(ctx: Context, judgement: Judgement) -> str | None:
    """ "The force is efficient at keeping people safe and reducing crime": the one pillar its
    sentence speaks of, if it speaks of one."""
    text = PEEL_SPELT_OUT.sub("", ctx.article.text[judgement.evidence.start : judgement.evidence.end])
    said = [pillar for pillar, words in PILLAR_ADJECTIVES.items() if words.search(text)]
    return said[0] if len(said) == 1 else None


def _pillars(ctx: Context, candidates: tuple[str, ...]) -> set[str]:
    return {pillar for c in candidates if (pillar := _pillar(ctx, c)) in EITHER_PILLAR}


def _pillar(ctx: Context, slug: str) -> str:
    """The top of an area's broader chain: a pillar, or a later round's area of its own."""
    areas = ctx.gazetteer.areas
    while areas[slug].broader:
        slug = areas[slug].broader
    return slug


def _under(ctx: Context, candidates: tuple[str, ...], pillar: str) -> tuple[str, ...]:
    return tuple(c for c in candidates if _pillar(ctx, c) not in set(EITHER_PILLAR) - {pillar})


def _theme(ctx: Context, candidates: tuple[str, ...]) -> str:
    """The cross-round theme a wording names: the first candidate theme, else a candidate's theme."""
    areas = ctx.gazetteer.areas
    return next((c for c in candidates if not areas[c].theme), None) or areas[candidates[0]].theme


def _words_before(span: Span, count: int) -> list[str]:
    doc = span.doc
    start = max(span.sent.start, span.start - count)
    return [t.lower_ for t in doc[start : span.start] if t.text not in QUOTES]


def _next_word(span: Span) -> str | None:
    doc = span.doc
    for token in doc[span.end : span.sent.end]:
        if token.text not in QUOTES and not token.is_space:
            return token.lower_
    return None


def _is_rating(grade: _Grade) -> bool:
    if _in_parentheses(grade.span):
        return False  # "rated good (one rung below outstanding) for": an aside
    before = _words_before(grade.span, 6)
    if any(w in NEGATIONS for w in before[-2:]) or any(w in HYPOTHETICAL for w in before):
        return False
    if grade.span.text.lower() in PAST_TENSE and not _judged(grade.span):
        return False  # "we said the force required improvement": an earlier report's words
    if grade.slug in PLAIN_WORD_GRADES and before and before[-1] in COPULAS and not _quoted_or_judged(grade.span):
        return False  # "later investigations were adequate": a plain word, not a grade
    if grade.slug == "requires-improvement" or _in_quotes(grade.span):
        return True  # "the 'good' it was given a year ago": a grade named as such
    following = _next_word(grade.span)
    return following is None or following in FOLLOWERS


def _in_quotes(span: Span) -> bool:
    doc = span.doc
    return (
        0 < span.start and span.end < len(doc) and doc[span.start - 1].text in QUOTES and doc[span.end].text in QUOTES
    )


def _quoted_or_judged(span: Span) -> bool:
    doc = span.doc
    quoted = (span.start > 0 and doc[span.start - 1].text in QUOTES) or span.text[:1].isupper()
    return quoted or any(
        t.lower_ in JUDGING_VERBS | {"grade", "rating", "graded", "rated"} for t in doc[span.sent.start : span.start]
    )


def _judged(span: Span) -> bool:
    """ "Inspectors judged that the force required improvement": the past tense of a judgement made now."""
    return any(t.lower_ in JUDGING_VERBS for t in span.doc[span.sent.start : span.start]) or bool(
        YEAR.search(span_text(span.sent))
    )


def _in_parentheses(span: Span) -> bool:
    """Inside an aside in parentheses; "(good)" holding the grade alone is no aside but its grade."""
    doc = span.doc
    text = text_of(doc)[span.sent.start_char : span.start_char]
    alone = 0 < span.start and span.end < len(doc) and doc[span.start - 1].text == "(" and doc[span.end].text == ")"
    return text.count("(") > text.count(")") and not alone


def _area_slugs(entity: Span) -> tuple[str, ...]:
    return tuple(entity_kind(entity)[1].split("|"))


def _areas_in(entities) -> tuple[tuple[str, ...], ...]:
    """Each area wording's candidate concepts, once per wording."""
    return tuple(dict.fromkeys(_area_slugs(entity) for entity in entities))


def _areas_after(sentence: Span, grade: _Grade, limit: int) -> tuple[str, ...]:
    """Areas governed by the grade: the first within a few words, then any joined to it by lists."""
    doc = sentence.doc
    chosen = []
    cursor = grade.span.end
    for entity in (e for e in entities(sentence) if e.label_ == AREA and grade.span.end <= e.start < limit):
        between = [t.lower_ for t in doc[cursor : entity.start] if not t.is_space and t.text not in QUOTES]
        if chosen and _new_clause(between) and limit < sentence.end:
            break  # "..., and investigating crime ... were graded as requires improvement": the next grade's
        if chosen and _explains_pillar(chosen[-1], between):
            break  # "good for legitimacy, the way it treats the public and its workforce": what the pillar is
        if chosen and set(between) <= LIST_GLUE and not _new_subject(between):
            chosen.append(entity)
            cursor = entity.end
            continue
        if any(w in CLAUSE_BREAKS or w in RATING_VERBS for w in between) or (not chosen and _new_clause(between)):
            break
        if not chosen and len(between) > MAX_GAP:
            break
        if chosen:
            break
        chosen.append(entity)
        cursor = entity.end
    return _areas_in(chosen)


def _explains_pillar(area: Span, words: list[str]) -> bool:
    return bool(words) and words[0] == "," and {"way", "how"} & set(words) and set(_area_slugs(area)) & set(PILLARS)


def _new_subject(words: list[str]) -> bool:
    """ ", it investigates crime well": "it" starts a clause of its own unless "how it", "the way it"."""
    return any(w == "it" and (i == 0 or words[i - 1] not in {"how", "way", "well"}) for i, w in enumerate(words))


def _new_clause(words: list[str], but_for: frozenset[str] = frozenset()) -> bool:
    """ ", and its effectiveness...": a comma followed by a conjunction starts another clause."""
    return any(a == "," and b in CONJUNCTIONS - but_for for a, b in zip(words, words[1:], strict=False))


RELATIVES = frozenset({"which", "who"})  # "investigating crime, which requires improvement": the area's own clause


def _areas_before(sentence: Span, grade: _Grade, limit: int) -> tuple[str, ...]:
    """Areas named before the grade in the same clause, nearest last ("Effectiveness: good")."""
    doc = sentence.doc
    candidates = [e for e in entities(sentence) if e.label_ == AREA and limit <= e.end <= grade.span.start]
    chosen = []
    cursor = grade.span.start
    for entity in reversed(candidates):
        between = [t.lower_ for t in doc[entity.end : cursor] if not t.is_space and t.text not in QUOTES]
        if any(w in CLAUSE_BREAKS for w in between) or (
            not chosen and (_new_clause(between, RELATIVES) or _colon_before_more(between))
        ):
            break
        if not chosen and _words_apart(doc[entity.end : cursor]) > MAX_GAP:
            chosen = list(_subject_area(sentence, entity, between))
            break
        if chosen and not set(between) <= LIST_JOINERS:
            break
        chosen.insert(0, entity)
        cursor = entity.start
    return _areas_in(chosen)


def _words_apart(span: Span) -> int:
    """Words between two phrases, a force's name counting as one ("Kent Police and Essex Police")."""
    words = [t for t in span if not t.is_space and t.text not in QUOTES]
    forces = [e for e in entities(span) if e.label_ == FORCE]
    return len(words) - sum(len(e) - 1 for e in forces)


# "... three areas: A, B and C. All three were rated as requiring improvement."
COLLECTIVE = re.compile(
    r"^\W*(?:All|Both|Each|Every one)(?: of)?(?: the)?"
    r"(?: two| three| four| five| six| them| these| those)?\b(?! forces)",
    re.I,
)
# "... for treating the public fairly has slipped: inspectors found it outstanding in that area"
SAME_AREA = re.compile(r"^\W*(?:in|for|at|on) (?:that|this|the same) (?:area|respect|category|question)\b", re.I)


def _last_area_before(sentence: Span, grade: _Grade) -> tuple[tuple[str, ...], ...]:
    before = [e for e in entities(sentence) if e.label_ == AREA and e.end <= grade.span.start]
    return _areas_in(before[-1:])


GRADE_NOUNS = {"rating", "ratings", "grade", "grades", "grading", "judgement", "judgment", "verdict", "result"}


def _colon_before_more(words: list[str]) -> bool:
    """ "Effectiveness: good" and "Overall effectiveness rating: good" read across the colon;
    "graded on efficiency: five were good" does not."""
    return ":" in words and [w for w in words if w not in QUOTES and w not in GRADE_NOUNS] != [":"]


# "The efficiency with which the force carries out its duties was rated good": the area heads the
# subject, however long the phrase after it, when a rating verb stands right before the grade.
SUBJECT_OPENERS = {"the", "its", "their", "his", "her", "our", "overall"}
MAX_SUBJECT_GAP = 16


def _subject_area(sentence: Span, area: Span, between: list[str]) -> tuple[Span, ...]:
    doc = sentence.doc
    opening = [t.lower_ for t in doc[sentence.start : area.start] if not t.is_space and t.text not in QUOTES]
    opening = opening[len(opening) - opening[::-1].index(",") :] if "," in opening else opening  # "In 2016, the ..."
    rated = [w for w in between if w not in QUOTES][-3:]
    if len(between) <= MAX_SUBJECT_GAP and set(opening) <= SUBJECT_OPENERS and RATING_VERBS & set(rated):
        return (area,)
    return ()


def _all_pillars(sentence: Span, grade: _Grade) -> tuple[tuple[str, ...], ...]:
    rest = text_of(sentence.doc)[grade.span.end_char : sentence.end_char].lstrip("'’\" ”")
    return tuple((pillar,) for pillar in PILLARS) if ALL_PILLARS.match(rest) else ()


def _forces_of(ctx: Context, sentence: Span, grade: _Grade) -> tuple[str | None, ...] | bool:
    """The forces a grade is given to: the subject of its clause, every force of a coordinated
    subject ("Kent Police and Essex Police were rated good"); (None,): the article's force ("it",
    "the force"); False: not one police force's grade (a fire service's, or "18 forces")."""
    doc = sentence.doc
    text = text_of(doc)
    clause = _clause_start(sentence, grade)
    before = [
        e for e in entities(sentence) if clause <= e.start and e.end <= grade.span.start and e.label_ in (FORCE, "ORG")
    ]
    if any(FIRE.search(e.text) for e in before) or FIRE.search(_without_inspectorates(sentence, clause, grade)):
        return False
    listed = _forces_by_place(ctx, text[doc[clause].idx : grade.span.start_char])
    if listed:
        return listed
    subjects = [e for e in before if e.label_ == FORCE and (e.start == 0 or doc[e.start - 1].lower_ not in NOT_SUBJECT)]
    if len(subjects) > 1 and (parsed := _grammatical_subjects(sentence, grade, subjects)):
        return tuple(dict.fromkeys(entity_kind(e)[1] for e in parsed))
    if subjects:
        chosen = [subjects[0]]
        for entity in subjects[1:]:
            between = {t.lower_ for t in doc[chosen[-1].end : entity.start]}
            if not between <= COORDINATION:
                break
            chosen.append(entity)
        return tuple(dict.fromkeys(entity_kind(e)[1] for e in chosen))
    text_before = text[doc[clause].idx : grade.span.start_char]
    named = _force_by_place_as_subject(ctx, text_before) or _force_by_topic(ctx, sentence)
    if named:
        return named
    if clause > sentence.start and POINTS_BACK_TO_SUBJECT.match(text_before):
        # "Staffordshire was good at A, but it requires improvement in B": the sentence's own subject
        earlier = text[sentence.start_char : doc[clause].idx]
        subject = [e for e in entities(sentence) if e.label_ == FORCE and e.end <= clause][:1]
        named = tuple(entity_kind(e)[1] for e in subject) or _force_by_place_as_subject(ctx, earlier)
        if len(named) == 1:
            return named
    together = _forces_named_together(ctx, sentence, text_before)
    if together:
        return together
    if before and before[-1].label_ == "ORG":
        text_before = text[before[-1].start_char : grade.span.start_char]
    if PLURAL_SUBJECT.search(re.split(r"[,;:]", text_before)[-1]):
        return False  # "18 forces were told they require improvement": no one force's grade
    return (None,)


POINTS_BACK_TO_SUBJECT = re.compile(
    r"^\W*(?:(?:but|while|whilst|whereas|although)\s+)?(?:it|the force|the constabulary)\b", re.I
)
# "All three forces were rated good for legitimacy", "Both were judged good": the forces named together.
COUNTED_SUBJECT = re.compile(
    r"^\W*(?:(?:all|the) (?P<count>two|three|four|five|six)|(?P<both>both))(?: (?:forces|constabularies|of them))?\s"
    r"(?:were|are|have|had|was|received|got|earned)\b",
    re.I,
)
COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _forces_named_together(ctx: Context, sentence: Span, text_before: str) -> tuple[str, ...]:
    """The forces a counted subject ("all three forces", "both") takes up: the last ones named, that
    many, in one sentence before."""
    counted = COUNTED_SUBJECT.match(text_before)
    if not counted:
        return ()
    count = 2 if counted.group("both") else COUNTS[counted.group("count").lower()]
    for earlier in reversed([s for s in ctx.sentences if s.end <= sentence.start]):
        named = tuple(dict.fromkeys(entity_kind(e)[1] for e in entities(earlier) if e.label_ == FORCE))
        named = named or _force_by_place_as_subject(ctx, span_text(earlier))
        if len(named) == count:
            return named
    return ()


def _without_inspectorates(sentence: Span, clause: int, grade: _Grade) -> str:
    """The clause's words before the grade, the inspectorate's name left out ("... and Fire & Rescue
    Services rated the force good" is a police grade)."""
    doc = sentence.doc
    return " ".join(t.text for t in doc[clause : grade.span.start] if t.ent_type_ != INSPECTORATE)


# Before a force's place name, words that make it something other than the clause's subject.
NOT_SUBJECT_PLACE = NOT_SUBJECT | {
    "in",
    "across",
    "of",
    "for",
    "at",
    "to",
    "throughout",
    "around",
    "near",
    "outside",
    "the",
}


def _force_by_place_as_subject(ctx: Context, text: str) -> tuple[str, ...]:
    """ "Durham performed strongly - rated outstanding for ...": a force's place name as the subject,
    with the places coordinated with it ("Staffordshire and Derbyshire were both rated good")."""
    places = list(_place_names(ctx.gazetteer).finditer(text))
    for index, match in enumerate(places):
        before = text[: match.start()].split()
        if not before or before[-1].lower() not in NOT_SUBJECT_PLACE:
            chosen = [match]
            for following in places[index + 1 :]:
                if not re.fullmatch(r"\s*(?:,|,?\s*(?:and|&))\s*", text[chosen[-1].end() : following.start()]):
                    break
                chosen.append(following)
            return tuple(dict.fromkeys(ctx.gazetteer.forces_by_place[m.group(0)] for m in chosen))
    return ()


# "In Sussex, inspectors said the force ...": the sentence's topic.
TOPIC = re.compile(r"^\W*(?:In|For|At|Over in|Meanwhile,? in)\s+(?P<place>[A-Z][\w'-]*(?: (?:and )?[A-Z][\w'-]*)*),")


def _force_by_topic(ctx: Context, sentence: Span) -> tuple[str, ...]:
    match = TOPIC.match(span_text(sentence))
    slug = ctx.gazetteer.forces_by_place.get(match.group("place")) if match else None
    return (slug,) if slug else ()


@cache
def _place_names(gazetteer) -> re.Pattern:
    return re.compile(r"\b(?:" + gazetteer.place_names + r")\b(?!['’]s\b)")


def _clause_start(sentence: Span, grade: _Grade) -> int:
    """The token where the grade's clause begins: after the last semicolon or ", but/while..."."""
    doc = sentence.doc
    start = sentence.start
    for token in doc[sentence.start : grade.span.start]:
        if token.text == ";" or (
            token.text == ","
            and token.i + 1 < grade.span.start
            and doc[token.i + 1].lower_ in {"but", "while", "whilst", "whereas", "although"}
        ):
            start = token.i + 1
    return start


def _forces_by_place(ctx: Context, text: str) -> tuple[str, ...]:
    match = PLACE_LIST.search(text)
    if not match:
        return ()
    by_place = {place.lower(): slug for place, slug in ctx.gazetteer.forces_by_place.items()}
    names = re.split(r",? (?:and|&) |, ", match.group("names"))
    found = tuple(by_place[n.lower()] for n in names if n.lower() in by_place)
    return found if len(found) == len(names) else ()


def _history_words(sentence: Span, grade: _Grade) -> list:
    """ "previously", "last", "former"... among the eight words before the grade, when they belong to
    its clause: with several grades in the sentence, the parse says whose clause a word is in
    ("good, a grade carried over from the previous year, but it requires improvement at ...")."""
    doc = sentence.doc
    masked = [m.span() for m in WHEN_INSPECTED.finditer(text_of(doc), sentence.start_char, grade.span.start_char)]
    words = [t for t in doc[sentence.start : grade.span.start] if t.is_alpha][-8:]
    found = [t for t in words if t.lower_ in HISTORY_WORDS and not any(s <= t.idx < e for s, e in masked)]
    if found and sum(e.label_ == GRADE for e in entities(sentence)) > 1:
        parsed = grammar(sentence)
        head = clause_head(_root(parsed, sentence, grade.span)).i
        found = [t for t in found if clause_head(parsed[t.i - sentence.start]).i == head]
    return found


def _root(parsed, sentence: Span, span: Span):
    """The token of a span that heads it in the sentence's parse (the document has no parse)."""
    tokens = parsed[span.start - sentence.start : span.end - sentence.start]
    return next((t for t in tokens if not (tokens.start <= t.head.i < tokens.end) or t.head is t), tokens[-1])


SUBJECT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr"}


def _grammatical_subjects(sentence: Span, grade: _Grade, forces: list[Span]) -> list[Span]:
    """Of several forces named before a grade, those its clause is about: its subject, or the object
    of "rated X good", with the forces coordinated with them ("The report on Kent Police said Essex
    Police was good": Essex Police)."""
    parsed = grammar(sentence)
    head = clause_head(_root(parsed, sentence, grade.span)).i
    chosen = []
    for force in forces:
        token = _root(parsed, sentence, force)
        while token.dep_ == "conj" and token.head is not token:
            token = token.head
        if token.dep_ in SUBJECT_DEPS and clause_head(token.head).i == head:
            chosen.append(force)
    return chosen


def _history(sentence: Span, grade: _Grade, limit: int) -> tuple[tuple[str, ...], bool, int]:
    """Whether the grade is an earlier round's, the names of the rounds the text gives it to by
    year ("in 2015 and in 2016": both), and how many years before the article it was given ("two
    years ago": 2; 0 when not said)."""
    doc = sentence.doc
    before = _words_before(grade.span, 3)
    after_text = (
        text_of(doc)[grade.span.end_char : doc[limit - 1].idx + len(doc[limit - 1].text)]
        if limit > grade.span.end
        else ""
    )
    after_text = SAME_AS_BEFORE.sub(lambda m: " " * len(m.group(0)), after_text)  # this grade and an earlier one
    near_after = after_text[:60]
    from_before = bool(before) and before[-1] == "from"
    text_before = WHEN_INSPECTED.sub(
        lambda m: " " * len(m.group(0)), text_of(doc)[sentence.start_char : grade.span.start_char]
    )
    marker = (
        from_before
        or bool(_history_words(sentence, grade))
        or bool(
            re.search(
                r"\b(?:previous|last|earlier|prior)\s+(?:inspection|assessment|report|round|time)", near_after, re.I
            )
        )
    )
    clause_before = CLAUSE_BEFORE.search(text_before).group(0)
    ago = AGO.search(near_after) or AGO.search(clause_before)
    marker = marker or bool(ago) or bool(OPENS_WITH_HISTORY.match(span_text(sentence)))
    marker = marker or bool(EARLIER_REPORT_WHICH.search(clause_before))
    year = YEAR.search(near_after)
    if not (marker or year):
        before_grade = text_of(doc)[sentence.start_char : grade.span.start_char]
        opening = YEAR_BEFORE.search(DATED.sub(lambda m: " " * len(m.group(0)), before_grade))
        if opening:  # "In 2018/19, inspectors rated it good...": the grade belongs to that round
            return (opening.group(1).replace(" ", "").replace("–", "/").replace("-", "/"),), False, 0
        return (), False, 0
    if year:  # "in 2016" dates an earlier result; "in PEEL 2016" names the round itself
        names_round = re.search(r"PEEL\s*$", near_after[: year.start()], re.I)
        return _coordinated_years(near_after, year), marker or not names_round, 0
    return (), marker, _years_ago(ago)


# A year joined to the one before it: "in 2015 and in 2016", "in 2015, 2016 and 2017".
NEXT_YEAR = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|or)\s+)(?:again\s+)?(?:in\s+)?" + YEAR.pattern)


def _coordinated_years(text: str, first: re.Match) -> tuple[str, ...]:
    """The round notations of a year and of the years coordinated with it."""
    years, match = [first], NEXT_YEAR.match(text, first.end())
    while match:
        years.append(match)
        match = NEXT_YEAR.match(text, match.end())
    return tuple(_as_written(year) for year in years)


def _as_written(year: re.Match) -> str:
    """A YEAR match as a round's notation would be written: "2015", "2021/22"."""
    return year.group(1) + ("/" + year.group(2) if year.group(2) else "")


def _years_ago(match: re.Match | None) -> int:
    """How many years back a time phrase puts a result: "two years ago" 2, "last year" 1; 0 for a
    phrase that counts no years ("its last inspection", "in 2015") or none at all."""
    if match is None:
        return 0
    number = (match.groupdict().get("years") or "").lower()
    if number:
        return NUMBER_WORDS.get(number) or (int(number) if number.isdigit() else 1)
    return 1 if re.search(r"\byear\b", match.group(0), re.I) and not match.groupdict().get("year") else 0
