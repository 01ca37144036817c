"""SPARQL over the store: named competency queries, query files or query text, and the formats
results are written in.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import re
import signal
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from peelgraph.errors import Interrupted, QueryError
from peelgraph.gazetteer import folded, load
from peelgraph.rdf.vocab import with_prefixes
from peelgraph.store import answers, named
from peelgraph.store.base import Store
from peelgraph.store.named import named_queries


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    terms: tuple[tuple[ox.NamedNode | ox.Literal | ox.BlankNode | None, ...], ...] = ()
    note: str | None = None  # how the answer was found, when the user should know (answers.merged)

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def sparql_text(spec: str) -> str:
    """A query from a name ("judgements"), a .rq file, or SPARQL text."""
    names = named_queries()
    if spec in names:
        return named.text(spec)
    if spec.endswith(".rq") or (len(spec) < 200 and "\n" not in spec and Path(spec).is_file()):
        try:
            return Path(spec).read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"{spec}: cannot read query file: {error.strerror}") from error
    if not is_update(spec) and not any(word in spec.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        raise QueryError(f"{spec!r} is not a named query, a .rq file or SPARQL; named queries: {', '.join(names)}")
    return spec


UPDATE_KEYWORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.I,
)


def is_update(sparql: str) -> bool:
    """Whether the text is a SPARQL Update (which changes the store) rather than a query."""
    return bool(UPDATE_KEYWORDS.match(re.sub(r"#[^\n]*", "", sparql)))


# What in SPARQL text is not a keyword: comments, strings, IRIs, variables and prefixed names.
NOT_KEYWORDS = re.compile(
    r"#[^\n]*"  # a comment
    r"|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"  # a long string
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"  # a string
    r"|<[^<>\"{}|^`\\\s]*>"  # an IRI
    r"|[?$]\w+|[\w.-]*:[\w.-]*"  # a variable, a prefixed name
)
SERVICE = re.compile(r"\bSERVICE\b", re.I)


def uses_service(sparql: str) -> bool:
    """Whether the query or update calls out to another endpoint with SERVICE."""
    return bool(SERVICE.search(NOT_KEYWORDS.sub(" ", sparql)))


def refuse_service(sparql: str, allow_service: bool = False) -> None:
    if uses_service(sparql) and not allow_service:
        raise QueryError(
            "the query uses SERVICE, which sends requests to another endpoint over the network; "
            "pass --allow-service to let it"
        )


def update(store: Store, spec: str, allow_service: bool = False) -> None:
    """Run a SPARQL Update (only when the user asked for one with --update)."""
    text = sparql_text(spec)
    refuse_service(text, allow_service)
    store.update(text)


def run_apart(
    location: str,
    spec: str,
    render,
    values: dict[str, str] | None = None,
    allow_service: bool = False,
    seconds: float | None = None,
    remote_timeout: float | None = None,
) -> tuple[str, str | None]:
    """Run a query in a child process and return it rendered, with its note: stopped after the
    given seconds, or at once on Ctrl-C.

    Oxigraph cannot interrupt a query, but a process can be ended: the store is opened read-only in
    the child, so stopping it harms nothing.
    """
    import multiprocessing

    from peelgraph.store.base import open_store

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends this process
        try:
            with open_store(location, read_only=True, timeout=remote_timeout) as store:
                result = run(store, spec, values, allow_service)
                sender.send(("ok", (render(result), result.note)))
        except Exception as error:  # sent back and raised as the same error in the parent
            sender.send(("error", error))

    process = context.Process(target=child, daemon=True)
    process.start()
    try:
        ready = receiver.poll(seconds)
    except KeyboardInterrupt:
        process.kill()
        process.join()
        raise Interrupted("interrupted: the query was stopped") from None
    if not ready:
        process.kill()
        process.join()
        raise QueryError(f"query stopped after {seconds:g} s (--timeout)")
    status, value = receiver.recv()
    process.join()
    if status == "error":
        raise value
    return value


def _text(term) -> str:
    if term is None:
        return ""
    return str(term.value)


def run(store: Store, spec: str, values: dict[str, str] | None = None, allow_service: bool = False) -> Result:
    """Run a SELECT or ASK query and return its rows as text; values keeps only the rows whose
    column has that value (a plain literal, or an IRI written <...>), as a SPARQL VALUES clause
    would.

    >>> from peelgraph.store import open_store
    >>> with open_store() as store:
    ...     run(store, "SELECT (1 + 1 AS ?two) WHERE {}").rows
    (('2',),)
    """
    text = sparql_text(spec)
    if is_update(text):
        raise QueryError("this is a SPARQL Update, which changes the store; run it with --update")
    refuse_service(text, allow_service)
    values = values or {}
    terms = {name: _value_term(_label(value)) for name, value in values.items()}
    result = _run(store, spec, text, terms)
    if terms and not result.rows:
        return _explained(store, spec, text, values, terms, result)
    return result


def _label(value: str) -> str:
    """The label the store gives a name the gazetteer knows, in any case or alias ("kent" is
    "Kent Police"); any other value as given."""
    if value.startswith("<"):
        return value
    return load().label_for(value) or value


def _explained(store: Store, spec: str, text: str, values: dict[str, str], terms: dict, empty: Result) -> Result:
    """No rows for --values: a value that is another case of one the column holds ("nick dean") is
    read as that one; a value nobody knows is an error naming the closest values; a name that is
    known (in the store or the gazetteer) but has no rows here is an empty answer with a note."""
    everything = _run(store, spec, text, {})
    unknown = sorted(set(terms) - set(everything.columns))
    if unknown:
        raise QueryError(f"--values: no column {', '.join(unknown)}; the columns are {', '.join(everything.columns)}")
    corrected = dict(terms)
    for name, typed in values.items():
        column = everything.columns.index(name)
        held = {shown[column]: row[column] for shown, row in zip(everything.rows, everything.terms, strict=True)}
        if terms[name].value in held:
            if isinstance(held[terms[name].value], ox.Literal):  # the same text, typed: "true" is true
                corrected[name] = held[terms[name].value]
            continue
        same = [shown for shown in held if folded(shown) == folded(typed)]
        if same:
            corrected[name] = held[same[0]]
        elif load().label_for(typed) is None:
            names = {folded(shown): shown for shown in held} | load().labels_by_name
            close = difflib.get_close_matches(folded(typed), names, n=5, cutoff=0.6)
            hint = f"; closest: {', '.join(dict.fromkeys(names[c] for c in close))}" if close else ""
            raise QueryError(f"--values {name}={typed!r} matches nothing in the store or the gazetteer{hint}")
    if corrected != terms:
        found = _run(store, spec, text, corrected)
        if found.rows:
            return found
    named = ", ".join(f"{name}={term.value!r}" for name, term in corrected.items())
    return replace(empty, note=f"no rows for {named}: known, but the store holds no such facts")


def _run(store: Store, spec: str, text: str, terms: dict) -> Result:
    kept = answers.merged(store, spec)
    if kept.found:
        return _matching(_result(kept.columns, kept.rows), terms)
    results = store.query(text, {ox.Variable(name): term for name, term in terms.items()})
    if isinstance(results, (bool, ox.QueryBoolean)):
        if terms:
            raise QueryError("--values needs a SELECT query; this is an ASK query")
        return Result(("ask",), (("true" if results else "false",),), ((None,),))
    if not hasattr(results, "variables"):
        raise QueryError("only SELECT and ASK queries give rows; use export for graphs")
    result = _matching(_result(tuple(v.value for v in results.variables), results), terms)
    return replace(result, note=kept.note) if kept.note else result


def parse_values(pairs: tuple[str, ...]) -> dict[str, str]:
    """VARIABLE=VALUE pairs (as given to --values) by variable; a leading "?" is allowed."""
    values = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip().lstrip("?")
        if not equals or not re.fullmatch(r"\w+", name):
            raise QueryError(f"{pair!r}: give --values as VARIABLE=VALUE, e.g. force='Kent Police'")
        if name in values:
            raise QueryError(f"--values gives {name} twice; give each variable one value")
        values[name] = value
    return values


def _value_term(value: str) -> ox.NamedNode | ox.Literal:
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as error:
            raise QueryError(f"--values: {value} is not an IRI: {error}") from None
    return ox.Literal(value)


def _matching(result: Result, terms: dict) -> Result:
    """The rows whose columns hold these terms (all rows when there are none). Local stores
    already gave only those; kept answers and remote servers are filtered here."""
    if not terms:
        return result
    unknown = sorted(set(terms) - set(result.columns))
    if unknown:
        raise QueryError(f"--values: no column {', '.join(unknown)}; the columns are {', '.join(result.columns)}")
    where = [(result.columns.index(name), term) for name, term in terms.items()]
    kept = [i for i, row in enumerate(result.terms) if all(row[column] == term for column, term in where)]
    return Result(result.columns, tuple(result.rows[i] for i in kept), tuple(result.terms[i] for i in kept))


def _result(columns: tuple[str, ...], results) -> Result:
    try:  # Oxigraph works out solutions as they are read: a failing SERVICE call fails here
        terms = tuple(tuple(solution) for solution in results)  # values in column order; by name is slower
    except (OSError, RuntimeError) as error:
        raise QueryError(
            f"query failed: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
        ) from error
    rows = tuple(tuple(_text(t) for t in row) for row in terms)
    return Result(columns, rows, terms)


COUNTS = with_prefixes("""
SELECT
  (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?force) AS ?forces)
  (COUNT(DISTINCT ?judgement) AS ?judgements) (COUNT(DISTINCT ?person) AS ?people)
  (COUNT(DISTINCT ?quote) AS ?quotes) (COUNT(DISTINCT ?finding) AS ?findings)
  (COUNT(DISTINCT ?statistic) AS ?statistics)
WHERE { GRAPH ?g {
  { ?article a peel:Article } UNION { ?article schema:mentions ?force } UNION { ?judgement a peel:Judgement }
  UNION { ?m org:member ?person } UNION { ?quote a peel:Quote } UNION { ?finding a peel:Finding }
  UNION { ?statistic a peel:Statistic }
} }
""")


def counts(store: Store) -> dict[str, int]:
    """How many articles, forces, judgements, people, quotes, findings, statistics and triples the
    store holds (the triples of the article graphs, as ingest counts them)."""
    found = {name: int(value) for name, value in run(store, COUNTS).records()[0].items()}
    return found | {"triples": len(store)}


def to_csv(result: Result, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return buffer.getvalue()


def to_tsv(result: Result) -> str:
    return to_csv(result, delimiter="\t")


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        value["datatype"] = term.datatype.value
    return value


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {c: _json_term(t) for c, t in zip(result.columns, row, strict=True) if t is not None}
        for row in (result.terms or tuple(tuple(ox.Literal(v) for v in r) for r in result.rows))
    ]
    return (
        json.dumps(
            {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}, indent=2, ensure_ascii=False
        )
        + "\n"
    )


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + name for name in ("integer", "int", "long", "short", "nonNegativeInteger", "decimal", "double", "float")
}


def _plain(term):
    """A term as the JSON value a script expects: numbers and booleans typed, IRIs and text as strings."""
    if not isinstance(term, ox.Literal):
        return None if term is None else term.value
    datatype = term.datatype.value if term.datatype else ""
    if datatype == XSD + "boolean":
        return term.value in ("true", "1")
    if datatype in NUMERIC:
        for number in (int, float):
            with contextlib.suppress(ValueError):
                return number(term.value)
    return term.value


def to_jsonl(result: Result) -> str:
    """JSON Lines: one object per row, column -> value (for jq, pandas.read_json(lines=True))."""
    rows = result.terms or tuple(tuple(ox.Literal(v) for v in r) for r in result.rows)
    return "".join(
        json.dumps(dict(zip(result.columns, map(_plain, row), strict=True)), ensure_ascii=False) + "\n" for row in rows
    )


def to_markdown(result: Result) -> str:
    def cell(value: str) -> str:
        return " ".join(value.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(result.columns) + " |", "|" + "---|" * len(result.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


FORMATS = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "jsonl": to_jsonl, "markdown": to_markdown}
