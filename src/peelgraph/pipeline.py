"""The stages composed: read -> nlp -> extract -> resolve -> to_rdf -> validate -> store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Graph
from rdflib.namespace import RDF

from peelgraph import read
from peelgraph.errors import PeelgraphError
from peelgraph.extract import extract
from peelgraph.model import Article
from peelgraph.resolve import keep_confident, resolve
from peelgraph.store import Store
from peelgraph.to_rdf import article_iri, to_rdf
from peelgraph.validate import Report, validate_graph
from peelgraph.vocab import PEEL


@dataclass(frozen=True)
class ArticleResult:
    source: str
    article_id: str | None
    triples: int = 0
    judgements: int = 0
    error: str | None = None
    report: Report | None = None
    left_out: tuple[str, ...] = ()

    @property
    def stored(self) -> bool:
        return self.error is None


@dataclass
class IngestSummary:
    results: list[ArticleResult] = field(default_factory=list)

    @property
    def stored(self) -> list[ArticleResult]:
        return [r for r in self.results if r.stored]

    @property
    def failed(self) -> list[ArticleResult]:
        return [r for r in self.results if not r.stored]

    def text(self) -> str:
        lines = [
            f"Ingested {len(self.stored)} article(s), {sum(r.triples for r in self.stored)} triples, "
            f"{sum(r.judgements for r in self.stored)} judgement(s); {len(self.failed)} failed."
        ]
        left_out = [line for r in self.stored for line in r.left_out]
        if left_out:
            lines.append(f"{len(left_out)} fact(s) below the confidence threshold were left out:")
            lines += [f"  {line}" for line in left_out]
        lines += [f"  failed: {r.error}" for r in self.failed]
        return "\n".join(lines) + "\n"


def article_graph(article: Article) -> Graph:
    """One article's graph: the pure function at the heart of ingest.

    >>> from peelgraph.model import Article
    >>> graph = article_graph(Article("Kent Police was rated good at investigating crime in PEEL 2016.", "k.txt"))
    >>> len(graph) > 20
    True
    """
    return to_rdf(resolve(extract(article)))


def ingest_article(store: Store, article: Article, min_confidence: float = 0.0) -> ArticleResult:
    resolved, left_out = keep_confident(resolve(extract(article)), min_confidence)
    graph = to_rdf(resolved)
    report = validate_graph(graph)
    if not report.conforms:
        first = report.violations[0]
        return ArticleResult(article.source, article.id, error=f"{article.source}: extracted graph does not conform: {first.message}", report=report)
    store.replace_graph(str(article_iri(article)), graph)
    judgements = sum(1 for _ in graph.subjects(RDF.type, PEEL.Judgement))
    return ArticleResult(article.source, article.id, triples=len(graph), judgements=judgements, report=report, left_out=left_out)


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    metadata: read.Metadata = read.Metadata(),
    progress: Callable[[ArticleResult], None] | None = None,
    min_confidence: float = 0.0,
) -> IngestSummary:
    """Read, extract, validate and store every article; a bad file is reported and skipped."""
    store.ensure_reference()
    summary = IngestSummary()
    for source in _sources(paths, summary):
        try:
            result = ingest_article(store, read.read_path(source, metadata), min_confidence)
        except PeelgraphError as error:
            result = ArticleResult(str(source), None, error=str(error))
        summary.results.append(result)
        if progress:
            progress(result)
    return summary


def _sources(paths: Iterable[str | Path], summary: IngestSummary):
    """Each article file; a path that cannot be listed is recorded as failed and the rest go on."""
    for path in paths:
        try:
            yield from list(read.article_files([path]))
        except PeelgraphError as error:
            summary.results.append(ArticleResult(str(path), None, error=str(error)))
