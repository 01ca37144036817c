"""Forces and inspectorates named in the article, from the domain entity ruler."""

from __future__ import annotations

from peelgraph.extraction.context import Context
from peelgraph.model import ForceMention, InspectorateMention
from peelgraph.nlp import entity_kind


def _mentions(ctx: Context, kind: str, make):
    return tuple(
        make(slug, ctx.evidence(e.start_char, e.end_char, f"{kind}.gazetteer"))
        for e in ctx.doc.ents
        for found, slug in [entity_kind(e)]
        if found == kind
    )


def forces(ctx: Context) -> tuple[ForceMention, ...]:
    return _mentions(ctx, "force", ForceMention)


def inspectorates(ctx: Context) -> tuple[InspectorateMention, ...]:
    return _mentions(ctx, "inspectorate", InspectorateMention)
