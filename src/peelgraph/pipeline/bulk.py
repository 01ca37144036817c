"""The bulk path: extract articles to one N-Quads file each without a store (so any engine can run
extraction over shards), then load such files into a store.

Each file is named by the article's hash and holds the article's named graph; loading replaces the
graph, so loading twice changes nothing and a changed article replaces its old graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from peelgraph.errors import PeelgraphError
from peelgraph.files import write_atomically
from peelgraph.pipeline.compose import ArticleResult, IngestSummary, prepared_articles
from peelgraph.pipeline.executors import LocalExecutor
from peelgraph.rdf.graphs import canonical_nquads
from peelgraph.reading import read
from peelgraph.store import BATCH, Store, Writer, answers


def extract_to_directory(
    paths: Iterable,
    out: str | Path,
    runner=None,
    metadata=read.Metadata(),
    min_confidence: float = 0.0,
    max_bytes: int | None = None,
) -> IngestSummary:
    """Write OUT/<article hash>.nq for every article (validated, as ingest would store it)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = IngestSummary()
    for _, _, prepared in prepared_articles(
        paths, summary, metadata, min_confidence, max_bytes, runner or LocalExecutor()
    ):
        if prepared.ntriples is not None:
            nquads = canonical_nquads(prepared.graph_name, prepared.ntriples)  # a quad a line, sorted
            write_atomically(out / f"{prepared.result.article_id}.nq", nquads)
        summary.results.append(prepared.result)
    return summary


@dataclass
class LoadSummary:
    loaded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was done to the store besides loading


def load_directory(store: Store, directory: str | Path, batch: int = BATCH) -> LoadSummary:
    """Load every *.nq file of the directory, one article graph each, replacing what was there;
    new graphs go into an on-disk store ``batch`` at a time (store.Writer)."""
    note = answers.bring_up_to_date(store)
    summary, writer = LoadSummary(notes=[note] if note else []), Writer(store, batch)
    for file in sorted(Path(directory).glob("*.nq")):
        try:
            quads = list(ox.parse(path=str(file), format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, OSError) as error:
            summary.failed.append(f"{file}: not N-Quads: {str(error).splitlines()[0]}")
            continue
        graphs = {q.graph_name for q in quads}
        if len(graphs) != 1 or isinstance(next(iter(graphs)), ox.DefaultGraph):
            summary.failed.append(f"{file}: must hold exactly one named graph (an article), holds {len(graphs)}")
            continue
        name = next(iter(graphs)).value
        ntriples = (ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        try:
            summary.loaded += writer.write(file.name, name, ntriples, answers.of_graph(name, ntriples))
        except PeelgraphError as error:
            summary.failed.append(str(error))
            return summary  # the store itself failed: stop rather than report every file
    try:
        summary.loaded += writer.flush()
        answers.keep_merged(store)
    except PeelgraphError as error:
        summary.failed.append(str(error))
    return summary


__all__ = ["ArticleResult", "LoadSummary", "extract_to_directory", "load_directory"]
