"""What is kept with each article graph so that a large store answers fast: the graph's N-Quads and
its rows of the listing queries and of `timeline`.

These queries match one article graph at a time, with the ontology and gazetteer. Their answer over
a whole store therefore follows from every article's own answer: the listing queries (findings,
judgements, people, quotes, statistics) order by article first, so it is the articles' answers one
after another; `timeline` is the distinct rows of them all, sorted. The extraction worker works the
answers out while the article's graph is in memory, the on-disk store keeps them beside its files,
and `query` merges them instead of joining through Oxigraph's indexes on disk (about 15 µs a row
and join step, so seconds at 10,000 articles). Whatever leaves them in doubt falls back to SPARQL:
an update, a changed query, ontology or gazetteer, a missing file, or two articles with the same
source name.

`conflicts` spans articles, but its answer follows from the judgements of them all: the force,
round and area of every judgement named with more than one grade, each grade and article once.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import pyoxigraph as ox

from peelgraph import resources
from peelgraph.errors import StoreError
from peelgraph.rdf import workspace
from peelgraph.rdf.workspace import reference_nquads
from peelgraph.store.embedded import NQUADS, REFERENCE_GRAPHS, Store, graph_nquads

# How each query's answers over a store follow from every article's own answer: "article", the
# articles' answers one after another in order of article (the query orders by article first);
# "distinct", their rows once each, ordered by the query's ORDER BY columns, all text.
MERGES = {
    "findings": "article",
    "judgements": "article",
    "people": "article",
    "quotes": "article",
    "statistics": "article",
    "timeline": "distinct",
}
PER_ARTICLE = tuple(MERGES)
ANSWERS = ox.QueryResultsFormat.TSV


@cache
def _text(query: str) -> str:
    return (resources.directory("queries") / f"{query}.rq").read_text(encoding="utf-8")


@cache
def kind(query: str, reference: bytes) -> str:
    """The kept-file kind of one query's answers, given the reference graphs they were found with."""
    digest = hashlib.sha256(_text(query).encode("utf-8") + b"\0" + reference).hexdigest()[:16]
    return f"answers-{query}-{digest}"


def of_held(store: ox.Store, name: str) -> dict[str, bytes]:
    """The files to keep with an article graph held in a workspace (workspace.holding): its N-Quads
    and its answer to each per-article query."""
    files = {NQUADS: graph_nquads(store, name)}
    for query in PER_ARTICLE:
        answer = store.query(_text(query), use_default_graph_as_union=True)
        files[kind(query, reference_nquads())] = answer.serialize(format=ANSWERS)
    return files


def keep(name: str, ntriples: str) -> dict[str, bytes]:
    """The files to keep with an article graph given as N-Triples."""
    with workspace.holding(name, ntriples) as store:
        return of_held(store, name)


def refresh(store: Store) -> int:
    """Work out again what an on-disk store keeps with every article graph, from the graphs as
    stored: after `query --update`, or after an upgrade changed a query, the ontology or the
    gazetteer. Returns the number of article graphs."""
    if not store.keeps_files:
        raise StoreError(f"{store.location or 'memory store'}: only an on-disk store keeps files beside its graphs")
    store.ensure_reference()
    names = store.article_graphs()
    for name in names:
        store.keep(name, keep(name, store.ntriples(name)))
    store.changed()
    return len(names)


def order_by(query: str) -> list[str]:
    """The variables of the query's ORDER BY clause (a list of plain variables)."""
    clause = re.search(r"^ORDER BY (.*)$", _text(query), re.M)
    return [v.lstrip("?") for v in clause.group(1).split()] if clause else []


def merged(store: Store, query: str) -> tuple[list[str], list[ox.QuerySolution]] | None:
    """A query's columns and rows over the whole store from the answers kept with each article, or
    None when they cannot be trusted to equal what SPARQL would give. The merged answers are filed
    with the store's generation token and used again until the graphs change."""
    if query not in MERGES and query not in DERIVED:
        return None
    reference = [store.kept(NQUADS, name) for name in REFERENCE_GRAPHS]
    if None in reference:
        return None
    answers_kind = kind(query, b"".join(reference))
    token = store.generation()
    filed = store.merged(answers_kind, token) if token else None
    if filed is not None:
        columns, rows, _ = _parsed(filed)
        return columns, rows
    table = _derived(store, query) if query in DERIVED else _merged(store, query, answers_kind)
    if table is None:
        return None
    if token and store.generation() == token:  # nothing changed while merging
        store.keep_merged(answers_kind, token, table)
    columns, rows, _ = _parsed(table)
    return columns, rows


def _merged(store: Store, query: str, answers_kind: str) -> bytes | None:
    tables = [_parsed(store.kept(answers_kind, name)) for name in store.article_graphs()]
    if not tables or None in tables:
        return None
    return _MERGERS[MERGES[query]](query, tables)


def _derived(store: Store, query: str) -> bytes | None:
    source, derive = DERIVED[query]
    kept = merged(store, source)
    return derive(*kept) if kept is not None else None


def _parsed(table: bytes | None) -> tuple[list[str], list[ox.QuerySolution], list[bytes]] | None:
    """A TSV table's columns, rows and the line of each row (a row a line: TSV escapes line breaks)."""
    if table is None:
        return None
    solutions = ox.parse_query_results(table, ANSWERS)
    columns, rows = [v.value for v in solutions.variables], list(solutions)
    lines = table.split(b"\n")[1:]
    if lines and not lines[-1]:
        lines.pop()
    return (columns, rows, [line + b"\n" for line in lines]) if len(lines) == len(rows) else None


def _header(columns: list[str]) -> bytes:
    return ("\t".join(f"?{c}" for c in columns) + "\n").encode("utf-8")


def _by_article(query: str, tables: list) -> bytes | None:
    """The articles' tables one after another, in order of article."""
    columns = tables[0][0]
    tables = sorted((t for t in tables if t[1]), key=lambda t: t[1][0]["article"].value)
    if any(a[1][0]["article"] == b[1][0]["article"] for a, b in zip(tables, tables[1:])):
        return None  # SPARQL would interleave their rows
    return _header(columns) + b"".join(line for _, _, lines in tables for line in lines)


def _distinct(query: str, tables: list) -> bytes | None:
    """The rows of every table once each, ordered by the query's ORDER BY columns."""
    columns = tables[0][0]
    unique = {tuple(row): line for _, rows, lines in tables for row, line in zip(rows, lines)}
    order = [columns.index(c) for c in order_by(query)]
    keys = {}
    for values in unique:
        terms = [values[i] for i in order]
        if not all(map(_is_text, terms)):
            return None  # only text sorts the same in Python as in SPARQL
        keys[values] = tuple(t.value for t in terms)
    return _header(columns) + b"".join(unique[values] for values in sorted(unique, key=keys.__getitem__))


_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def _is_text(term) -> bool:
    """A plain string literal: what sorts the same in Python as in SPARQL."""
    return isinstance(term, ox.Literal) and term.datatype == _STRING


_MERGERS = {"article": _by_article, "distinct": _distinct}


def _disputed(columns: list[str], rows: list[ox.QuerySolution]) -> bytes | None:
    """`conflicts` from the rows of `judgements`: every force, round and area given more than one
    grade, with the grades and the articles each once, in alphabetical order, joined as GROUP_CONCAT
    joins them."""
    grades_and_articles: dict[tuple, tuple[dict, dict]] = {}
    for row in rows:
        grades, articles = grades_and_articles.setdefault((row["force"], row["round"], row["area"]), ({}, {}))
        grades[row["grade"].value] = None
        articles[row["article"].value] = None
    disputed = [
        (key, sorted(grades), sorted(articles))
        for key, (grades, articles) in grades_and_articles.items()
        if len(grades) > 1
    ]
    if not all(_is_text(t) for key, _, _ in disputed for t in key):
        return None  # only text sorts the same in Python as in SPARQL
    disputed.sort(key=lambda found: tuple(t.value for t in found[0]))
    lines = (
        "\t".join(str(term) for term in (*key, ox.Literal(" | ".join(grades)), ox.Literal(" | ".join(articles)))) + "\n"
        for key, grades, articles in disputed
    )
    return _header(["force", "round", "area", "grades", "articles"]) + "".join(lines).encode("utf-8")


# Queries over many articles whose answer follows from another query's merged answer.
DERIVED = {"conflicts": ("judgements", _disputed)}
