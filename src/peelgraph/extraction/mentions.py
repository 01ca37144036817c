"""Forces and inspectorates named in the article, from the domain entity ruler."""

from __future__ import annotations

import re
from functools import cache

from peelgraph.extraction.context import Context, entities, span_text
from peelgraph.model import ForceMention, InspectorateMention
from peelgraph.reading.nlp import entity_kind


def _mentions(ctx: Context, kind: str, make):
    return tuple(
        make(slug, ctx.evidence(e.start_char, e.end_char, f"{kind}.gazetteer"))
        for e in ctx.doc.ents
        for found, slug in [entity_kind(e)]
        if found == kind
    )


# A force named after one of these is not what its sentence is about.
NOT_TOPIC = {"between", "and", "with", "like", "unlike", "than", "from", "of", "to", "alongside", "including", "&"}


# "It joined Devon and Cornwall Police in Engage": a sentence about the force already in hand, whose
# subject points back to it, does not make the force it names the topic.
POINTS_BACK = re.compile(r"^\W*(?:it|its|they|their|the (?:force|constabulary|service))\b", re.I)


# "West Yorkshire had performed well": a force's place name as the subject of a verb.
PLACE_AS_SUBJECT = r"(?=\s+(?:has|had|have|was|is|were|are|will|would|did|does|\w+ed)\b)"


def forces(ctx: Context) -> tuple[ForceMention, ...]:
    found = []
    for sentence in ctx.sentences:
        named = [e for e in entities(sentence) if entity_kind(e)[0] == "force"]
        for index, entity in enumerate(named):
            before = ctx.doc[entity.start - 1].lower_ if entity.start > sentence.start else ""
            topic = index == 0 and before not in NOT_TOPIC and not POINTS_BACK.match(span_text(sentence))
            evidence = ctx.evidence(entity.start_char, entity.end_char, "force.gazetteer")
            found.append(ForceMention(entity_kind(entity)[1], evidence, topic))
        if not named:
            found += _places_as_subjects(ctx, sentence)
    return tuple(sorted(found, key=lambda m: m.evidence.start))


def _places_as_subjects(ctx: Context, sentence) -> list[ForceMention]:
    by_place, pattern = ctx.gazetteer.forces_by_place, _place_before_a_verb(ctx.gazetteer)
    text = span_text(sentence)
    match = next((m for m in pattern.finditer(text) if _opens_a_clause(text[: m.start()])), None)
    if not match:
        return []
    start = sentence.start_char + match.start()
    return [
        ForceMention(
            by_place[match.group(0)], ctx.evidence(start, start + len(match.group(0)), "force.place-as-subject"), True
        )
    ]


CLAUSE_OPENERS = ("said", "says", "that", "and", "but", "while", ",")


def _opens_a_clause(before: str) -> bool:
    """At the start of the sentence or of a clause, and not in parentheses ("(Kent is the other)")."""
    words = before.split()
    return before.count("(") <= before.count(")") and (
        not words or words[-1].lower() in CLAUSE_OPENERS or before.rstrip().endswith(",")
    )


@cache
def _place_before_a_verb(gazetteer) -> re.Pattern:
    return re.compile(r"\b(?:" + gazetteer.place_names + r")\b" + PLACE_AS_SUBJECT)


def inspectorates(ctx: Context) -> tuple[InspectorateMention, ...]:
    return _mentions(ctx, "inspectorate", InspectorateMention)
