"""peelgraph: reporting about PEEL police inspections as a validated, queryable knowledge graph.

The library in a few functions (the command line is a thin layer over them)::

    >>> import peelgraph
    >>> facts = peelgraph.extract("In PEEL 2016 Kent Police was rated good at investigating crime.")
    >>> [(j.force, j.round, j.area, j.grade) for j in facts.judgements]
    [('kent-police', '2016', '2016/investigating-crime-and-reducing-re-offending', 'good')]
    >>> store = peelgraph.open_store()            # in memory; give a directory or a URL to keep it
    >>> articles = [peelgraph.Article("PEEL 2016: Kent Police was rated good at legitimacy.", "k.txt")]
    >>> peelgraph.ingest(store, articles).stored[0].judgements
    1
    >>> peelgraph.query(store, "timeline")
    [{'force': 'Kent Police', 'area': 'legitimacy', 'round': '2016', 'grade': 'good'}]
    >>> peelgraph.validate(store).conforms
    True
    >>> peelgraph.export(store, "nquads").count(b"\\n") > 50
    True

Stages, each usable alone: read.read_path -> extract.extract -> resolve.resolve -> to_rdf.to_rdf ->
validation.validate -> store.Store.
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
    from peelgraph.store import open_store as opened

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


def validate(target, engine: str = "sparql", full: bool = False):
    """The SHACL report (report.conforms, report.violations) of a store, over every article (full:
    each article graph checked on its own again too), or of an rdflib Graph; engine "sparql" or
    "pyshacl"."""
    from peelgraph.rdf.validation import validate as check

    return check(target, engine, full=full)


def export(store, format: str | None = None, output: str | Path | None = None) -> bytes | Path:
    """The graph as turtle, trig, nt, nquads, jsonld or rdfxml: returned (Turtle unless the format
    is given), or written to the file output (in the format its suffix names unless given)."""
    from peelgraph.store import exporting

    if output is not None:
        return exporting.export_file(store, output, format)
    return exporting.export(store, exporting.chosen_format(format))


def draw(store, view: str, output: str | Path, focus: tuple[str, ...] = (), depth: int = 1) -> Path:
    """Draw a view (overview, focus, provenance, timeline) to a file; the format is the suffix."""
    from peelgraph.errors import InputError
    from peelgraph.views import drawing

    if view not in drawing.VIEWS:
        raise InputError(f"no view called {view!r}; the views are {', '.join(drawing.VIEWS)}")
    made = drawing.VIEWS[view](store, tuple(focus), depth)
    return drawing.write(made, output, title=f"peelgraph {view}")


def build(
    sources,
    out: str | Path,
    exports: tuple[str, ...] = ("graph.ttl", "graph.trig"),
    overviews: tuple[str, ...] = ("overview.html", "overview.png", "overview.graphml"),
    timelines: bool = True,
    site: bool = True,
    **options,
):
    """The main job: ingest into OUT/store, validate, and write in OUT the SHACL report
    (validation.txt), each file of `exports` (the graph, in the format its suffix names), each file
    of `overviews` (the overview drawing, likewise), with `timelines` a chart of each force's
    grades by round in OUT/timelines/ (past grades, reported in later articles, included), and
    with `site` the static site in OUT/site/. Options are ingest's (jobs, min_confidence, metadata,
    progress...). Returns the ingest summary and the validation report."""
    from peelgraph.errors import InputError
    from peelgraph.rdf.to_rdf import slugify
    from peelgraph.store.exporting import export_file
    from peelgraph.views import drawing

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open_store(out / "store") as store:
        summary = ingest(store, sources, **options)
        report = validate(store)
        (out / "validation.txt").write_text(report.text(), encoding="utf-8")
        for name in exports:
            export_file(store, out / name)
        overview = drawing.overview(store) if overviews else None
        try:
            chart = drawing.timeline(store) if timelines else None
        except InputError:  # no judgements: nothing to chart
            chart = None
        if site:
            from peelgraph.views.site import write_site

            write_site(store, out / "site")
    for name in overviews:
        drawing.write(overview, out / name, title="peelgraph overview")
    for force in chart.forces if chart else ():
        drawing.write(
            chart.of(force), out / "timelines" / f"{slugify(force)}.png", title=f"{force}: PEEL grades by round"
        )
    return summary, report
