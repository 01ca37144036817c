"""Stage 3: Article + Doc -> Extraction. One module per fact kind; this one composes them."""

from __future__ import annotations

from spacy.tokens import Doc

from peelgraph import gazetteer
from peelgraph.extraction import findings, judgements, mentions, people, quotes, rounds, statistics
from peelgraph.extraction.context import Context
from peelgraph.model import Article, Extraction
from peelgraph.reading import nlp


def extract(article: Article, doc: Doc | None = None) -> Extraction:
    """Every fact the rules read from one article, each with its evidence.

    >>> from peelgraph.model import Article
    >>> found = extract(Article("Kent Police was rated good at investigating crime.", "k.txt"))
    >>> [(j.force, j.area, j.grade) for j in found.judgements]
    [('kent-police', 'investigating-crime', 'good')]
    """
    ctx = Context(article=article, doc=doc if doc is not None else nlp.parse(article.text), gazetteer=gazetteer.load())
    posts = people.posts(ctx)
    return Extraction(
        article=article,
        forces=mentions.forces(ctx),
        inspectorates=mentions.inspectorates(ctx),
        round_cues=rounds.cues(ctx),
        judgements=judgements.judgements(ctx),
        posts=posts,
        quotes=quotes.quotes(ctx, posts),
        findings=findings.findings(ctx),
        statistics=statistics.statistics(ctx),
    )
