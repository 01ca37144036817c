"""The command line: parse options, call the library, format the output, map errors to exit codes.

Exit codes: 0 success (or the graph conforms); 1 validation ran and the graph does not conform;
2 could not run (bad usage, unreadable input, broken shapes or query); 3 some input files were
skipped (each named on stderr) but the rest were stored; 70 internal error (a bug; -v shows the
traceback); 130 stopped by Ctrl-C.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import sys
from pathlib import Path

import click

import peelgraph
from peelgraph.errors import EXIT_NOT_CONFORMING, InternalError, Interrupted, PeelgraphError, StoreError
from peelgraph.rdf import validation
from peelgraph.reading import read
from peelgraph.store import BATCH, Store, exporting, open_store, querying
from peelgraph.store.base import is_remote
from peelgraph.views import drawing

EXIT_SOME_INPUTS_SKIPPED = 3
DEFAULT_STORE = "peelgraph-store"


class Fail(click.ClickException):
    """A PeelgraphError on its way out: "Error: ..." on stderr and the error's exit code."""

    def __init__(self, error: PeelgraphError):
        super().__init__(str(error))
        self.exit_code = error.exit_code


class Stopped(Fail):
    """Ctrl-C: what was done by then, without calling it an error."""

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


def _guarded(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Interrupted as error:
            raise Stopped(error) from None
        except KeyboardInterrupt:
            raise Stopped(Interrupted("interrupted")) from None
        except PeelgraphError as error:
            raise Fail(error) from error
        except (click.exceptions.Exit, click.ClickException, click.Abort):  # click's own way out
            raise
        except Exception as error:  # a bug: one line, and the traceback for whoever asks
            context = click.get_current_context(silent=True)
            if context and context.find_root().params.get("verbose"):
                raise
            detail = f"{type(error).__name__}: {error}".splitlines()[0]
            message = f"internal error ({detail}); run with -v (peelgraph -v ...) for the traceback"
            raise Fail(InternalError(message)) from None

    return wrapper


def _open(ctx: click.Context, read_only: bool, must_exist: bool | None = None) -> Store:
    """The store to use; one that must exist (by default, one opened to read) is never created."""
    location = ctx.obj["store"]
    if is_remote(location):
        return open_store(location, read_only, timeout=ctx.obj.get("remote_timeout"))
    if (read_only if must_exist is None else must_exist) and not Path(location).exists():
        raise StoreError(f"{location}: no store here yet; run `peelgraph ingest PATH...` first")
    return open_store(Path(location), read_only=read_only)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="PEELGRAPH_STORE",
    default=DEFAULT_STORE,
    show_default=True,
    help="Directory of the graph store, or the URL of a SPARQL 1.1 server (or set PEELGRAPH_STORE).",
)
@click.option(
    "--remote-timeout",
    envvar="PEELGRAPH_REMOTE_TIMEOUT",
    type=click.FloatRange(min=0, min_open=True),
    default=120,
    show_default=True,
    help="Seconds each request to a SPARQL server may take (or set PEELGRAPH_REMOTE_TIMEOUT).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of an internal error.")
@click.version_option(package_name="peelgraph")
@click.pass_context
def main(ctx: click.Context, store: str, remote_timeout: float, verbose: bool) -> None:
    """Turn reporting about PEEL police inspections into a validated, queryable knowledge graph.

    \b
    Exit codes: 0 done (the graph conforms), 1 the graph does not conform, 2 could not run,
    3 some input files were skipped (each named), 70 internal error (a bug: run with -v for the
    traceback), 130 stopped by Ctrl-C."""
    ctx.ensure_object(dict)
    ctx.obj["store"] = store
    ctx.obj["remote_timeout"] = remote_timeout


def _metadata(title, url, outlet, published) -> read.Metadata:
    return read.Metadata(title=title, url=url, outlet=outlet, published=published.date() if published else None)


metadata_options = [
    click.option("--title", help="Headline of the article (overrides front matter)."),
    click.option("--url", help="Where the article was published."),
    click.option("--outlet", help="Who published it."),
    click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), help="Publication date, YYYY-MM-DD."),
]


metadata_options.append(
    click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=5_000_000,
        show_default=True,
        help="Skip (and name) article files larger than this.",
    )
)
metadata_options.append(
    click.option(
        "--executor",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="Where extraction runs: worker processes here, or a Dask cluster (--scheduler).",
    )
)
metadata_options.append(click.option("--scheduler", help="The Dask scheduler, tcp://HOST:PORT."))
metadata_options.append(
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 256),
        default=None,
        help="Worker processes for extraction (default: one per core).",
    )
)
metadata_options.append(
    click.option(
        "--min-confidence",
        type=click.FloatRange(0, 1),
        default=0.0,
        show_default=True,
        help="Leave out facts whose rule confidence is below this; each is listed in the summary.",
    )
)


def with_metadata(function):
    for option in reversed(metadata_options):
        function = option(function)
    return function


def _report_ingest(summary, quiet: bool) -> None:
    for failed in summary.failed:
        click.echo(f"Error: {failed.error}", err=True)
    for note in summary.notes:
        click.echo(f"Note: {note}", err=True)
    for result in summary.stored:
        for warning in result.warnings:
            click.echo(f"Warning: {warning}", err=True)
    if not quiet:
        click.echo(
            "\n".join(
                line
                for line in summary.text().splitlines()
                if not line.startswith(("  failed:", "  warning:", "  note:"))
            )
        )


@contextlib.contextmanager
def _progress(quiet: bool, verbose: bool):
    """Feedback while articles are ingested: a line per article with -v, a progress bar on a
    terminal, nothing with -q or when the output is not a terminal."""
    if verbose:

        def report(result, done, total):
            state = f"stored ({result.triples} triples, {result.judgements} judgements)" if result.stored else "failed"
            click.echo(f"[{done}/{total}] {state}: {result.source}")
            sys.stdout.flush()

        yield report
    elif not quiet and sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
        ) as bar:
            task = bar.add_task("ingest", total=None)
            yield lambda result, done, total: bar.update(task, completed=done, total=total)
    else:
        yield None


def _ingest(store, paths, options: dict, quiet: bool, verbose: bool):
    from peelgraph.pipeline.compose import ingest  # spaCy loads only for the commands that read articles

    metadata, runner = _reading(options)
    with _progress(quiet, verbose) as progress:
        return ingest(store, paths, metadata, progress=progress, runner=runner, **options)


def _reading(options: dict):
    """The metadata and executor named by the options (removed from them)."""
    from peelgraph.pipeline.executors import executor

    metadata = _metadata(*(options.pop(k) for k in ("title", "url", "outlet", "published")))
    return metadata, executor(options.pop("executor"), options.pop("jobs"), options.pop("scheduler"))


batch_option = click.option(
    "--batch",
    type=click.IntRange(1),
    default=BATCH,
    show_default=True,
    help="New articles an on-disk store takes at a time, in one bulk load; 1: each in a transaction of its own.",
)
feedback_options = [
    click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
    click.option("-v", "--verbose", is_flag=True, help="Print a line for each article as it is stored."),
]


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@with_metadata
@batch_option
@feedback_options[0]
@feedback_options[1]
@click.pass_context
@_guarded
def ingest_command(ctx, paths, quiet, verbose, **options):
    """Extract facts from articles (.txt, .md, directories, - for stdin), validate and store them."""
    with _open(ctx, read_only=False) as store:
        summary = _ingest(store, paths, options, quiet, verbose)
    _report_ingest(summary, quiet)
    if summary.failed:
        ctx.exit(EXIT_SOME_INPUTS_SKIPPED)


@main.command("query")
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", *querying.FORMATS]), default="table", show_default=True)
@click.option("--update", "allow_update", is_flag=True, help="Allow a SPARQL Update, which changes the store.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Stop the query after this many seconds.")
@click.option(
    "--values",
    "value_pairs",
    multiple=True,
    metavar="VAR=VALUE",
    help="Only rows whose VAR is VALUE (text, or an IRI in <...>), as a SPARQL VALUES clause; repeatable.",
)
@click.option("--show", is_flag=True, help="Print the query's SPARQL (a named query's with its prefixes) and stop.")
@click.option(
    "--allow-service", is_flag=True, help="Let SERVICE clauses send requests to other endpoints (refused otherwise)."
)
@click.pass_context
@_guarded
def query_command(ctx, query, fmt, allow_update, timeout, value_pairs, show, allow_service):
    """Run a named query (judgements, people, quotes, findings, statistics, timeline, conflicts),
    a .rq file, or SPARQL text over all articles. Read-only unless --update is given.
    Example: peelgraph query timeline --values force='Kent Police'"""
    if show:
        click.echo(querying.sparql_text(query), nl=False)
        return
    values = querying.parse_values(value_pairs)
    if allow_update:
        with _open(ctx, read_only=False) as store:
            querying.update(store, query, allow_service)
        click.echo("Update applied.")
        return
    render = _print_table_text if fmt == "table" else querying.FORMATS[fmt]
    _open(ctx, read_only=True).close()  # fail fast, in this process, on a missing store
    # in a child process, which a --timeout or Ctrl-C can stop (Oxigraph cannot stop a query itself)
    text, note = querying.run_apart(
        ctx.obj["store"], query, render, values, allow_service, timeout, ctx.obj.get("remote_timeout")
    )
    if note:
        click.echo(f"Note: {note}", err=True)
    click.echo(text, nl=False)


def _print_table_text(result: querying.Result) -> str:
    import io

    from rich.console import Console
    from rich.table import Table

    table = Table(*result.columns, show_lines=False)
    for row in result.rows:
        table.add_row(*row)
    buffer = io.StringIO()
    Console(file=buffer, soft_wrap=False, width=max(80, shutil.get_terminal_size().columns)).print(table)
    return buffer.getvalue() + f"{len(result.rows)} row(s)\n"


@main.command("validate")
@click.option(
    "--engine",
    type=click.Choice(sorted(validation.ENGINES)),
    default="sparql",
    show_default=True,
    help="sparql: the shapes compiled to SPARQL, run inside the store; pyshacl: pyshacl over the merged graph.",
)
@click.option(
    "--full", is_flag=True, help="Also check every article graph again on its own (each was checked when stored)."
)
@click.pass_context
@_guarded
def validate_command(ctx, engine, full):
    """Check the stored articles against the SHACL shapes; exit 1 if they do not conform."""
    with _open(ctx, read_only=True) as store:
        report = validation.validate(store, engine, full=full)
    click.echo(report.text(), nl=False)
    if not report.conforms:
        ctx.exit(EXIT_NOT_CONFORMING)


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(exporting.NAMES),
    help="Format (default: the one the -o file's suffix names, e.g. .ttl, .trig, .nt, .nq, .jsonld, .rdf; "
    "Turtle on standard output).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@click.option(
    "--reference",
    type=click.Choice(exporting.REFERENCE),
    default="labels",
    show_default=True,
    help="What of the ontology and gazetteer to write with the facts: labels of the forces, grades, areas "
    "and rounds they mention (Turtle, N-Triples, JSON-LD, RDF/XML), both graphs whole (all), or none.",
)
@click.option("--with-reference", is_flag=True, hidden=True, help="The same as --reference all.")
@click.pass_context
@_guarded
def export_command(ctx, fmt, output, reference, with_reference):
    """Write the graph as Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML: the format --format
    names, else the one the output file's suffix names."""
    chosen = exporting.chosen_format(fmt, output)  # before the store is opened: a bad suffix is the one error
    reference = "all" if with_reference else reference
    with _open(ctx, read_only=True) as store:
        if output:
            exporting.export_file(store, output, chosen, reference=reference)
        else:
            exporting.export(store, chosen, reference=reference, output=sys.stdout.buffer)


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON object of counts (numbers), for scripts.")
@click.pass_context
@_guarded
def stats_command(ctx, as_json):
    """Count articles, forces, judgements, people, quotes, findings, statistics and triples."""
    with _open(ctx, read_only=True) as store:
        counts = querying.counts(store)
    if as_json:
        click.echo(json.dumps(counts))
        return
    width = max(map(len, counts))
    for name, value in counts.items():
        click.echo(f"{name:<{width}}  {value}")


@main.command("draw")
@click.argument("view", type=click.Choice(list(drawing.VIEWS)))
@click.option(
    "--focus",
    "names",
    multiple=True,
    help="The entity to draw (label, alias or IRI); for timeline, one or more forces.",
)
@click.option(
    "--depth", type=click.IntRange(1, 5), default=1, show_default=True, help="How far from the focus to draw."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(drawing.GRAPH_WRITERS)),
    help="Format (default: from the file's suffix).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write: .html, .svg, .png, .dot or .graphml.",
)
@click.pass_context
@_guarded
def draw_command(ctx, view, names, depth, fmt, output):
    """Draw the graph: overview, focus (--focus NAME --depth N), timeline (--focus FORCE ...) or
    provenance (--focus JUDGEMENT-OR-PERSON)."""
    with _open(ctx, read_only=True) as store:
        made = drawing.VIEWS[view](store, names, depth)
    title = f"peelgraph {view}" + (f": {', '.join(names)}" if names else "")
    written = drawing.write(made, output, fmt, title)
    if isinstance(made, drawing.Timeline):
        click.echo(f"Wrote {written} ({len(made.forces)} force(s), {len(made.rounds)} round(s))")
    else:
        click.echo(f"Wrote {written} ({len(made)} nodes, {made.number_of_edges()} edges)")


@main.command("site")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory for the site: made, or replaced whole when it holds an earlier site.",
)
@click.pass_context
@_guarded
def site_command(ctx, out):
    """Write a static site of the store's facts to OUT, to open from disk (no server, no network)
    or send as a zip: the grade matrix of every force by area and round, a page per force with
    each grade's sentence and article, a page per round, and a CSV beside every table."""
    from peelgraph.views.site import write_site

    with _open(ctx, read_only=True) as store:
        summary = write_site(store, out)
    for note in summary.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(f"Wrote {summary.index} ({summary.force_pages} force pages, {summary.round_pages} round pages)")


@main.command("build")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Directory for the store and outputs."
)
@with_metadata
@batch_option
@feedback_options[0]
@feedback_options[1]
@click.pass_context
@_guarded
def build_command(ctx, paths, out, quiet, verbose, **options):
    """The main job: ingest articles into OUT/store, validate, and write OUT/graph.ttl,
    OUT/graph.trig, OUT/validation.txt, OUT/overview.html (+ .png, .graphml), a timeline chart
    per force in OUT/timelines/ and the static site in OUT/site/."""
    metadata, runner = _reading(options)
    with _progress(quiet, verbose) as progress:
        summary, report = peelgraph.build(paths, out, metadata=metadata, runner=runner, progress=progress, **options)
    _report_ingest(summary, quiet)
    if not quiet:
        out = Path(out)
        conformance = "conforms" if report.conforms else "does not conform"
        click.echo(f"Validation: {conformance} (see {out / 'validation.txt'})")
        click.echo(
            f"Wrote {out / 'graph.ttl'}, {out / 'graph.trig'}, {out / 'overview.html'}, {out / 'timelines'}/, "
            f"{out / 'site' / 'index.html'}"
        )
    if not report.conforms:
        ctx.exit(EXIT_NOT_CONFORMING)
    if summary.failed:
        ctx.exit(EXIT_SOME_INPUTS_SKIPPED)


@main.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--cors",
    "origins",
    multiple=True,
    metavar="ORIGIN",
    help="Let pages from this origin (e.g. http://localhost:3000) query the endpoint from a browser, "
    "or from any with '*'; repeatable. Without it no CORS headers are sent.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    metavar="SECONDS",
    help="Seconds a query may take, waiting included; one that runs out is stopped and answered 503.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let queries call other SPARQL endpoints with SERVICE (refused with 403 without it).",
)
@click.pass_context
@_guarded
def serve_command(ctx, port, host, origins, timeout, allow_service):
    """A local, read-only SPARQL 1.1 endpoint over the store at http://HOST:PORT/query, with a page
    at http://HOST:PORT/ to write and run queries (the named queries as examples) in a browser.

    Answers are live: what `peelgraph ingest` stores while this runs is in the first answer after
    the ingest has finished.

    \b
    Under load it holds:
    - each query runs in a process of its own, killed when its --timeout runs out (503, one line)
      or when its client disconnects; at most as many run at once as there are processors (min. 4)
    - a connection must send its whole request within 10 s (else closed, or 408); at most 64 are
      handled at once, the rest wait briefly (then 503) without taking a thread
    - a POST needs a Content-Length (400 without one) of at most 1 MB (413 above)
    - SERVICE is refused unless --allow-service
    - an internal error is a 500 to the client and one line on stderr (peelgraph -v: the traceback)"""
    from peelgraph.store.serve import LiveStore, server

    if is_remote(ctx.obj["store"]):
        raise StoreError(f"{ctx.obj['store']} is a SPARQL server already: query it there (serve needs a directory)")
    verbose = bool(ctx.find_root().params.get("verbose"))
    with _open(ctx, read_only=True) as opened:
        store = LiveStore(opened)
        try:
            httpd = server(store, port, host, origins, timeout=timeout, allow_service=allow_service, verbose=verbose)
        except OSError as error:
            raise StoreError(f"{host}:{port}: cannot listen: {error.strerror}") from error
        address = f"http://{host}:{httpd.server_address[1]}"
        click.echo(f"SPARQL endpoint: {address}/query, query page: {address}/ (read-only; Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
            store.close()


@main.command("docs")
@click.option(
    "-o",
    "--out",
    "out",
    default="docs/ontology",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory for ontology.html and schemes.html.",
)
@_guarded
def docs_command(out):
    """Write HTML documentation of the ontology and its SKOS schemes (grades, areas, rounds...)."""
    from peelgraph.views.docs import write_docs

    for path in write_docs(out):
        click.echo(f"Wrote {path}")


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--details", is_flag=True, help="List every added (+) and removed (-) triple.")
@click.option("--exit-code", "exit_code", is_flag=True, help="Exit 1 when there are differences.")
@click.pass_context
@_guarded
def diff_command(ctx, old, new, details, exit_code):
    """What changed between two exports (.nq, .trig) or two stores (directories or SPARQL server URLs):
    facts added and removed per article."""
    from peelgraph.store.diff import diff

    changes = diff(old, new)
    for change in changes:
        click.echo(f"{change.article}: +{len(change.added)} -{len(change.removed)}")
        if details:
            for line in change.added:
                click.echo(f"  + {line}")
            for line in change.removed:
                click.echo(f"  - {line}")
    click.echo(f"{len(changes)} article(s) changed")
    if changes and exit_code:
        ctx.exit(1)


@main.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out", "out", required=True, type=click.Path(file_okay=False), help="Directory for one .nq file per article."
)
@with_metadata
@feedback_options[0]
@click.pass_context
@_guarded
def extract_command(ctx, paths, out, quiet, **options):
    """Extract articles to OUT/<article hash>.nq without a store, for any engine to run over shards."""
    from peelgraph.pipeline.bulk import extract_to_directory

    metadata, runner = _reading(options)
    summary = extract_to_directory(paths, out, runner, metadata, **options)
    for failed in summary.failed:
        click.echo(f"Error: {failed.error}", err=True)
    if not quiet:
        click.echo(f"Extracted {len(summary.stored)} article(s) to {out}; {len(summary.failed)} failed.")
    if summary.failed:
        ctx.exit(EXIT_SOME_INPUTS_SKIPPED)


@main.command("load")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.pass_context
@_guarded
def load_command(ctx, directory):
    """Load the .nq files written by `peelgraph extract` into the store (an article already loaded is
    replaced, not doubled)."""
    from peelgraph.pipeline.bulk import load_directory

    with _open(ctx, read_only=False) as store:
        summary = load_directory(store, directory)
    for note in summary.notes:
        click.echo(f"Note: {note}", err=True)
    for failed in summary.failed:
        click.echo(f"Error: {failed}", err=True)
    click.echo(f"Loaded {len(summary.loaded)} article graph(s); {len(summary.failed)} failed.")
    if summary.failed:
        ctx.exit(EXIT_SOME_INPUTS_SKIPPED)


@main.command("refresh")
@click.pass_context
@_guarded
def refresh_command(ctx):
    """Work out again the answers to the named queries kept with each article graph, from the graphs
    as stored: after `query --update`, or after an upgrade changed a named query, the ontology or
    the gazetteer (ingest and load do it themselves). Until then those queries run as SPARQL, more
    slowly, and say so."""
    from peelgraph.store import answers

    with _open(ctx, read_only=False, must_exist=True) as store:
        count = answers.refresh(store)
    click.echo(f"Worked out again the answers kept with {count} article graph(s).")


@main.command("eval")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the figures as JSON here.")
@click.option("--details/--no-details", default=True, show_default=True, help="List each miss and false fact.")
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False),
    help="Also list each rule's precision, and write it as CSV here (data/rules/precision.csv sets facts' confidence).",
)
@_guarded
def eval_command(articles_dir, gold_dir, json_path, details, rules_path):
    """Precision, recall and F1 per fact kind against gold files."""
    from peelgraph.extraction.evaluate import evaluate

    evaluation = evaluate(articles_dir, gold_dir)
    click.echo(evaluation.table(), nl=False)
    if rules_path:
        click.echo(evaluation.rules_table(), nl=False)
        Path(rules_path).write_text(evaluation.rules_csv(), encoding="utf-8")
    if details:
        click.echo(evaluation.details(), nl=False)
    if json_path:
        Path(json_path).write_text(evaluation.to_json(), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    main()
