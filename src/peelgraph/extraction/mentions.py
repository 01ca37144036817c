"""Forces and inspectorates named in the article, from the domain entity ruler."""

from __future__ import annotations

from peelgraph.extraction.context import Context
from peelgraph.model import ForceMention, InspectorateMention
from peelgraph.nlp import entity_kind


def forces(ctx: Context) -> tuple[ForceMention, ...]:
    return tuple(
        ForceMention(force=slug, evidence=ctx.evidence(e.start_char, e.end_char, "force.gazetteer"))
        for e in ctx.doc.ents
        for kind, slug in [entity_kind(e)]
        if kind == "force"
    )


def inspectorates(ctx: Context) -> tuple[InspectorateMention, ...]:
    return tuple(
        InspectorateMention(inspectorate=slug, evidence=ctx.evidence(e.start_char, e.end_char, "inspectorate.gazetteer"))
        for e in ctx.doc.ents
        for kind, slug in [entity_kind(e)]
        if kind == "inspectorate"
    )
