"""The stages composed: read -> nlp -> extract -> resolve -> to_rdf -> validate -> store."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from peelgraph.errors import InputError, Interrupted, PeelgraphError
from peelgraph.extraction import extract
from peelgraph.extraction.resolve import keep_confident, resolve
from peelgraph.model import Article
from peelgraph.pipeline.executors import LocalExecutor, NotDone
from peelgraph.rdf import workspace
from peelgraph.rdf.graphs import graph_ntriples
from peelgraph.rdf.to_rdf import article_iri, to_quads, to_rdf, triples
from peelgraph.rdf.validation import Report, validate
from peelgraph.rdf.vocab import PEEL
from peelgraph.reading import read
from peelgraph.store import BATCH, Store, Writer, answers


@dataclass(frozen=True)
class ArticleResult:
    source: str
    article_id: str | None
    triples: int = 0
    judgements: int = 0
    judgement_iris: frozenset[str] = frozenset()  # shared by every article that reports the same judgement
    error: str | None = None
    report: Report | None = None
    left_out: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def stored(self) -> bool:
        return self.error is None


@dataclass
class IngestSummary:
    results: list[ArticleResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was done to the store besides storing articles

    @property
    def stored(self) -> list[ArticleResult]:
        return [r for r in self.results if r.stored]

    @property
    def failed(self) -> list[ArticleResult]:
        return [r for r in self.results if not r.stored]

    @property
    def articles(self) -> dict[str, ArticleResult]:
        """The articles stored, by id: a text given twice is one article, as the store holds it."""
        return {r.article_id: r for r in self.stored}

    @property
    def triples(self) -> int:
        return sum(r.triples for r in self.articles.values())

    @property
    def judgements(self) -> int:
        """Distinct judgements: two articles reporting the same grade report one judgement."""
        return len(frozenset().union(*(r.judgement_iris for r in self.stored)))

    def text(self) -> str:
        lines = [
            f"Ingested {len(self.articles)} article(s), {self.triples} triples, "
            f"{self.judgements} judgement(s); {len(self.failed)} failed."
        ]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  warning: {w}" for r in self.stored for w in r.warnings]
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


_TYPED_JUDGEMENT = (RDF.type, PEEL.Judgement)


@dataclass(frozen=True)
class Prepared:
    """An article's graph made ready to store (or its failure), as a worker hands it back."""

    result: ArticleResult
    graph_name: str | None = None
    ntriples: str | None = None
    answers: dict[str, str] | None = None  # answers.of_held: kept with the graph in the store


def prepare(
    source: Path | str | Article,
    metadata: read.Metadata = read.Metadata(),
    min_confidence: float = 0.0,
    max_bytes: int | None = None,
) -> Prepared:
    """Read, extract, resolve, build and validate one article: a pure function of its input, so any
    map engine can run it; only storing the result needs the store."""
    try:
        article = source if isinstance(source, Article) else read.read_path(source, metadata, max_bytes)
    except PeelgraphError as error:
        return Prepared(ArticleResult(str(source), None, error=str(error)))
    name = str(article_iri(article))
    try:
        resolved, left_out = keep_confident(resolve(extract(article)), min_confidence)
        article_triples = triples(resolved)
        with workspace.holding(name, to_quads(article_triples, name)) as held:
            report = validate(held, graph=name)
            ntriples = graph_ntriples(held, name) if report.conforms else None
            kept_answers = answers.of_held(held, name) if report.conforms else None
    except Exception as error:  # a bug on one article must not stop a run of thousands: name it
        detail = f"{type(error).__name__}: {error}".splitlines()[0]
        return Prepared(
            ArticleResult(
                article.source, article.id, error=f"{article.source}: internal error in extraction ({detail})"
            )
        )
    if not report.conforms:
        error = f"{article.source}: extracted graph does not conform: {report.violations[0].message}"
        return Prepared(ArticleResult(article.source, article.id, error=error, report=report))
    judgements = frozenset(str(triple[0]) for triple in article_triples if triple[1:] == _TYPED_JUDGEMENT)
    result = ArticleResult(
        article.source,
        article.id,
        triples=len(article_triples),
        judgements=len(judgements),
        judgement_iris=judgements,
        report=report,
        left_out=left_out,
        warnings=article.warnings,
    )
    return Prepared(result, name, ntriples, kept_answers)


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    metadata: read.Metadata = read.Metadata(),
    progress: Callable[[ArticleResult, int, int], None] | None = None,
    min_confidence: float = 0.0,
    jobs: int | None = None,
    max_bytes: int | None = None,
    runner=None,
    batch: int = BATCH,
) -> IngestSummary:
    """Read, extract, validate and store every article; a bad file is reported and skipped.

    Extraction runs on an executor (default: ``jobs`` worker processes, one per core); this process
    alone writes the store, in input order, so the result does not depend on the executor. An
    on-disk store takes new articles ``batch`` at a time (store.Writer); progress is reported for
    each article once it is stored.
    """
    summary = IngestSummary(notes=[note] if (note := answers.bring_up_to_date(store)) else [])
    runner = runner or LocalExecutor(jobs)
    writer, reported, total = Writer(store, batch), 0, 0

    def stored(results: list[ArticleResult]) -> None:
        nonlocal reported
        for result in results:
            reported += 1
            summary.results.append(result)
            if progress:
                progress(result, reported, total)

    try:
        for _, total, prepared in prepared_articles(paths, summary, metadata, min_confidence, max_bytes, runner):  # noqa: B007
            with interrupts_deferred():
                stored(writer.write(prepared.result, prepared.graph_name, prepared.ntriples, prepared.answers))
        with interrupts_deferred():
            stored(writer.flush())
            answers.keep_merged(store)
    except KeyboardInterrupt:
        with interrupts_deferred():  # what was read before Ctrl-C is stored, so the count below is true
            stored(writer.flush())
            answers.keep_merged(store)
        of_total = f" of {total}" if total else ""
        raise Interrupted(f"interrupted: {len(summary.articles)}{of_total} articles stored") from None
    summary.notes += _same_texts(summary.stored)
    return summary


def _same_texts(results: list[ArticleResult]) -> list[str]:
    first: dict[str | None, str] = {}
    notes = []
    for result in results:
        if result.article_id in first:
            notes.append(f"{result.source}: the same text as {first[result.article_id]}; stored once")
        first.setdefault(result.article_id, result.source)
    return notes


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C during a write to the store takes effect once the write is done, never half way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = []
    previous = signal.signal(signal.SIGINT, lambda *_: pressed.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


def prepared_articles(paths, summary: IngestSummary, metadata, min_confidence, max_bytes, runner) -> Iterator:
    """(done, total, Prepared) for every article, extracted on the executor, in input order."""
    sources = _collect(paths, summary, metadata, max_bytes, read_here=not runner.reads_files_itself)
    if not sources and not summary.results:
        names = ", ".join(str(p) for p in paths)
        raise InputError(f"{names}: no articles here (looked for {', '.join(read.ARTICLE_SUFFIXES)} files)")
    work = partial(prepare, metadata=metadata, min_confidence=min_confidence, max_bytes=max_bytes)
    for done, prepared in enumerate(runner.map(work, sources), start=1):
        if isinstance(prepared, NotDone):
            source = prepared.item.source if isinstance(prepared.item, Article) else str(prepared.item)
            prepared = Prepared(ArticleResult(source, None, error=f"{source}: not done: {prepared.reason}"))
        yield done, len(sources), prepared


def _collect(paths, summary: IngestSummary, metadata, max_bytes, read_here: bool) -> list:
    """The work list. Standard input and JSON Lines are always read here (workers cannot share
    them); with read_here, every file is, so remote workers need no access to the files."""
    sources: list = []
    for source in _sources(paths, summary):
        if isinstance(source, Path) and source.suffix.lower() == ".jsonl":
            for item in read.read_jsonl(source, metadata, max_bytes):
                if isinstance(item, PeelgraphError):
                    summary.results.append(ArticleResult(str(item).split(": ")[0], None, error=str(item)))
                else:
                    sources.append(item)
            continue
        if source == "-" or (read_here and not isinstance(source, Article)):
            try:
                source = read.read_path(source, metadata, max_bytes)
            except PeelgraphError as error:
                summary.results.append(ArticleResult(str(source), None, error=str(error)))
                continue
        sources.append(source)
    return sources


def _sources(paths: Iterable[str | Path], summary: IngestSummary):
    """Each article file once; a path that cannot be listed is recorded as failed and the rest go on."""
    seen: set[str] = set()
    for item in read.article_files(list(paths)):
        if isinstance(item, PeelgraphError):
            summary.results.append(ArticleResult(item.path, None, error=str(item)))
        elif isinstance(item, Path) and (real := os.path.realpath(item)) in seen:  # realpath: loops too
            summary.notes.append(f"{item}: given more than once; read once")
        else:
            if isinstance(item, Path):
                seen.add(real)
            yield item
