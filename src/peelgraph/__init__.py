"""peelgraph: reporting about PEEL police inspections as a validated, queryable knowledge graph.

The library in a few functions (the command line is a thin layer over them)::

    >>> import peelgraph
    >>> facts = peelgraph.extract("In PEEL 2016 Kent Police was rated good at investigating crime.")
    >>> [(j.force, j.round, j.area, j.grade) for j in facts.judgements]
    [('kent-police', '2016', '2016/investigating-crime-and-reducing-re-offending', 'good')]
    >>> store = peelgraph.open_store()            # in memory; give a directory or a URL to keep it
    >>> peelgraph.ingest(store, [peelgraph.Article("PEEL 2016: Kent Police was rated good at legitimacy.", "k.txt")]).stored[0].judgements
    1
    >>> peelgraph.query(store, "timeline")
    [{'force': 'Kent Police', 'area': 'legitimacy', 'round': '2016', 'grade': 'good'}]
    >>> peelgraph.validate(store).conforms
    True
    >>> peelgraph.export(store, "nquads").count(b"\\n") > 50
    True

Stages, each usable alone: read.read_path -> extract.extract -> resolve.resolve -> to_rdf.to_rdf ->
validate.validate_graph -> store.Store.
"""

from __future__ import annotations

from pathlib import Path

from peelgraph.model import Article

__version__ = "0.1.0"
__all__ = ["Article", "build", "draw", "export", "extract", "ingest", "open_store", "query", "validate"]


def extract(article: str | Path | Article, **metadata):
    """The resolved facts of one article: text, a file path or an Article (metadata: title, url,
    outlet, published)."""
    from peelgraph.extraction import extract as extract_facts
    from peelgraph.extraction.resolve import resolve
    from peelgraph.reading.read import Metadata, read_path

    if isinstance(article, Path):
        article = read_path(article, Metadata(**metadata))
    elif isinstance(article, str):
        article = Article(text=article, source="-", **metadata)
    return resolve(extract_facts(article))


def open_store(location: str | Path | None = None, read_only: bool = False):
    """A store: in memory (None), an Oxigraph directory, or a SPARQL server URL."""
    from peelgraph.store.embedded import open_store as opened

    return opened(location, read_only)


def ingest(store, sources, **options):
    """Extract, validate and store articles (paths, directories or Article objects).

    Options: jobs, min_confidence, max_bytes, metadata (a read.Metadata), progress.
    """
    from peelgraph.pipeline.compose import ingest as run_ingest

    return run_ingest(store, list(sources), **options)


def query(store, name_or_sparql: str) -> list[dict[str, str]]:
    """Rows of a named query (judgements, people, quotes, findings, statistics, timeline,
    conflicts), a .rq file or SPARQL text, as dictionaries of text."""
    from peelgraph.store.querying import run

    return run(store, name_or_sparql).records()


def validate(store, engine: str = "sparql"):
    """The SHACL report over every article in the store (report.conforms, report.violations)."""
    from peelgraph.rdf.validation import validate_store

    return validate_store(store, engine)


def export(store, format: str = "turtle") -> bytes:
    """The graph as turtle, trig, nt, nquads, jsonld or rdfxml."""
    from peelgraph.store.exporting import export as serialise

    return serialise(store, format)


def draw(store, view: str, output: str | Path, focus: tuple[str, ...] = (), depth: int = 1) -> Path:
    """Draw a view (overview, focus, provenance, timeline) to a file; the format is the suffix."""
    from peelgraph.views import drawing

    made = {
        "overview": lambda: drawing.overview(store),
        "focus": lambda: drawing.focus(store, focus[0], depth),
        "provenance": lambda: drawing.provenance(store, focus[0]),
        "timeline": lambda: drawing.timeline(store, tuple(focus)),
    }[view]()
    return drawing.write(made, output, title=f"peelgraph {view}")


def build(sources, out: str | Path, **options):
    """The main job as a function: ingest into OUT/store, then write OUT/graph.ttl and
    OUT/overview.html; returns the ingest summary and the validation report."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open_store(out / "store") as store:
        summary = ingest(store, sources, **options)
        report = validate(store)
        (out / "graph.ttl").write_bytes(export(store, "turtle"))
        draw(store, "overview", out / "overview.html")
    return summary, report
