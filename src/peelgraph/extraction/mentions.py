"""Forces and inspectorates named in the article, from the domain entity ruler."""

from __future__ import annotations

from peelgraph.extraction.context import Context, entities
from peelgraph.model import ForceMention, InspectorateMention
from peelgraph.nlp import entity_kind


def _mentions(ctx: Context, kind: str, make):
    return tuple(
        make(slug, ctx.evidence(e.start_char, e.end_char, f"{kind}.gazetteer"))
        for e in ctx.doc.ents
        for found, slug in [entity_kind(e)]
        if found == kind
    )


# A force named after one of these is not what its sentence is about.
NOT_TOPIC = {"between", "and", "with", "like", "unlike", "than", "from", "of", "to", "alongside", "including", "&"}


def forces(ctx: Context) -> tuple[ForceMention, ...]:
    found = []
    for sentence in ctx.sentences:
        named = [e for e in entities(sentence) if entity_kind(e)[0] == "force"]
        for index, entity in enumerate(named):
            before = ctx.doc[entity.start - 1].lower_ if entity.start > sentence.start else ""
            topic = index == 0 and before not in NOT_TOPIC
            evidence = ctx.evidence(entity.start_char, entity.end_char, "force.gazetteer")
            found.append(ForceMention(entity_kind(entity)[1], evidence, topic))
    return tuple(found)


def inspectorates(ctx: Context) -> tuple[InspectorateMention, ...]:
    return _mentions(ctx, "inspectorate", InspectorateMention)
