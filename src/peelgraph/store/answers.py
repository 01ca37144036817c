"""Each article's answers to the named queries, kept with its graph so that a large store answers
fast.

The listing queries (findings, judgements, people, quotes, statistics) and `timeline` match one
article graph at a time, with the ontology and gazetteer, so their answer over a whole store follows
from every article's own answer: the listing queries order by article first, so it is the articles'
answers one after another; `timeline` is the distinct rows of them all, sorted. `conflicts` spans
articles, but follows from the judgements of them all. The extraction worker works each article's
answers out while its graph is in memory (of_held); the store writes them in the same transaction
as the graph; `query` merges them instead of joining through Oxigraph's indexes on disk (about
15 µs a row and join step, so seconds at 10,000 articles).

The answers hold for the named queries, ontology and gazetteer they were worked out with: the store
keeps the digest of those (digest()). A writable store whose digest differs works every article's
answers out again (bring_up_to_date, on ingest, load and refresh); a store read as it is answers
with SPARQL and says why (merged). So does one whose answers are in doubt for another reason: two
articles with the same source name, or a graph without answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from peelgraph.errors import StoreError
from peelgraph.rdf import workspace
from peelgraph.rdf.graphs import graph_nquads, reference_nquads
from peelgraph.store import named
from peelgraph.store.base import Store

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
NQUADS = "nquads"  # the kind under which each graph's sorted N-Quads are kept
ANSWERS = ox.QueryResultsFormat.TSV
FORMAT = b"peelgraph answers 3"  # changes when the way answers are kept changes
STALE = "the named queries, ontology or gazetteer changed since the store's answers were worked out"
REFRESH = "run `peelgraph refresh` to make it fast again"


@cache
def digest() -> str:
    """What every kept answer depends on: the per-article queries, the ontology and gazetteer."""
    texts = [FORMAT, reference_nquads(), *(named.text(q).encode("utf-8") for q in PER_ARTICLE)]
    return hashlib.sha256(b"\0".join(texts)).hexdigest()


def of_held(held: ox.Store, name: str) -> dict[str, str]:
    """An article graph's answer to each per-article query, found in a workspace holding it
    (workspace.holding), as TSV; and under NQUADS the graph as export writes it (Oxigraph decodes
    about 100,000 quads a second from disk, so exporting 2,000 articles from the indexes takes 14 s
    where reading these takes half a second)."""
    found = {
        query: held.query(named.text(query), use_default_graph_as_union=True).serialize(format=ANSWERS).decode("utf-8")
        for query in PER_ARTICLE
    }
    return found | {NQUADS: graph_nquads(held, name).decode("utf-8")}


def of_graph(name: str, ntriples: str) -> dict[str, str]:
    """An article graph's answers, the graph given as N-Triples."""
    with workspace.holding(name, ntriples) as held:
        return of_held(held, name)


def refresh(store: Store) -> int:
    """Work every article graph's answers out again from the graphs as stored, and mark them as
    current; an older store's files beside it are removed. Returns the number of article graphs."""
    if not store.keeps_answers:
        raise StoreError(f"{store.location}: a SPARQL server keeps no answers; its named queries always run as SPARQL")
    store.ensure_reference()
    store.keep_answers_digest(None)  # first: were this cut short, the answers must not look current
    names = store.article_graphs()
    for name in names:
        store.keep_answers(name, of_graph(name, store.ntriples(name)))
    store.keep_answers_digest(digest())
    store.remove_legacy_files()
    keep_merged(store)
    return len(names)


def bring_up_to_date(store: Store) -> str | None:
    """Make a writable store's answers hold for this version's queries, ontology and gazetteer,
    working them out again if they do not; what was done, in a line, if anything."""
    if not store.keeps_answers or store.answers_digest() == digest():
        store.ensure_reference()
        return None
    upgrading = store.legacy_files is not None
    count = refresh(store)
    if not count:
        return None
    why = "the store was written by an older peelgraph" if upgrading else STALE
    return f"worked out again the answers kept with {count} article graph(s): {why}"


@dataclass(frozen=True)
class Merged:
    """A named query's answer over the whole store from the kept answers (columns and rows), or
    why there is none (note is None when the store keeps no answers: a SPARQL server)."""

    columns: tuple[str, ...] = ()
    rows: tuple = ()
    note: str | None = None
    found: bool = False


def merged(store: Store, query: str) -> Merged:
    """A named query's columns and rows over the whole store from the kept answers, when they can
    be trusted to equal what SPARQL would give."""
    if query in MERGES or query in DERIVED:
        filed = store.merged_answers(query) if store.keeps_answers and store.answers_digest() == digest() else None
        if filed is not None:
            return _table(filed)
    if query in DERIVED:
        source, derive = DERIVED[query]
        kept = merged(store, source)
        return _table(derive(kept.columns, kept.rows)) if kept.found else kept
    if query not in MERGES or not store.keeps_answers:
        return Merged()
    if store.answers_digest() != digest():
        older = store.legacy_files is not None
        return Merged(
            note=f"answered with SPARQL: {'the store was written by an older peelgraph' if older else STALE}; {REFRESH}"
        )
    kept = store.kept_answers(query)
    if set(kept) != set(store.article_graphs()):
        return Merged(note=f"answered with SPARQL: some article graphs have no kept answers; {REFRESH}")
    table = MERGERS[MERGES[query]](query, list(kept.values()))
    return _table(table) if table is not None else Merged()


def keep_merged(store: Store) -> None:
    """Merge every query's answers over the whole store once and keep them in it, so that each
    query reads one literal until the next write (every write drops them in its transaction)."""
    if not store.keeps_answers or store.answers_digest() != digest():
        return
    tables = {}
    for query in (*MERGES, *DERIVED):
        found = merged(store, query)
        if found.found:
            tables[query] = _as_tsv(found)
    store.keep_merged_answers(tables)


def _as_tsv(found: Merged) -> str:
    header = "\t".join(f"?{c}" for c in found.columns) + "\n"
    return header + "".join("\t".join("" if t is None else str(t) for t in row) + "\n" for row in found.rows)


def nquads(store: Store) -> list[str] | None:
    """Every article graph's kept N-Quads in name order, when they hold for the graphs as stored."""
    if not store.keeps_answers or store.answers_digest() != digest():
        return None
    kept = store.kept_answers(NQUADS)
    names = store.article_graphs()
    return [kept[name] for name in names] if set(kept) == set(names) else None


def _table(table: str | None) -> Merged:
    if table is None:
        return Merged()
    solutions = ox.parse_query_results(table.encode("utf-8"), ANSWERS)
    return Merged(tuple(v.value for v in solutions.variables), tuple(solutions), found=True)


def _split(table: str) -> tuple[str, list[str]]:
    """A TSV table's header line and its row lines (a row a line: TSV escapes line breaks)."""
    header, _, body = table.partition("\n")
    return header + "\n", body.splitlines(keepends=True)


def _by_article(query: str, tables: list[str]) -> str | None:
    """The articles' tables one after another, in order of article."""
    if not tables:
        return None
    split = [_split(table) for table in tables]
    header = split[0][0]
    column = [c.lstrip("?") for c in header.rstrip("\n").split("\t")].index("article")
    keyed = []
    for head, lines in split:
        if lines:
            first = next(iter(ox.parse_query_results((head + lines[0]).encode("utf-8"), ANSWERS)))
            keyed.append((first[column].value, lines))
    keyed.sort(key=lambda pair: pair[0])
    if any(a[0] == b[0] for a, b in zip(keyed, keyed[1:], strict=False)):
        return None  # two articles with the same source name: SPARQL would interleave their rows
    return header + "".join(line for _, lines in keyed for line in lines)


def _distinct(query: str, tables: list[str]) -> str | None:
    """The rows of every table once each, ordered by the query's ORDER BY columns."""
    if not tables:
        return None
    header = _split(tables[0])[0]
    unique = dict.fromkeys(line for table in tables for line in _split(table)[1])
    solutions = list(ox.parse_query_results((header + "".join(unique)).encode("utf-8"), ANSWERS))
    columns = [c.lstrip("?") for c in header.rstrip("\n").split("\t")]
    order = [columns.index(c) for c in order_by(query)]
    keys = []
    for solution, line in zip(solutions, unique, strict=True):
        terms = [solution[i] for i in order]
        if not all(map(_is_text, terms)):
            return None  # only text sorts the same in Python as in SPARQL
        keys.append((tuple(t.value for t in terms), line))
    return header + "".join(line for _, line in sorted(keys))


def order_by(query: str) -> list[str]:
    """The variables of the query's ORDER BY clause (a list of plain variables)."""
    for line in named.text(query).splitlines():
        if line.startswith("ORDER BY "):
            return [v.lstrip("?") for v in line.removeprefix("ORDER BY ").split()]
    return []


_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def _is_text(term) -> bool:
    """A plain string literal: what sorts the same in Python as in SPARQL."""
    return isinstance(term, ox.Literal) and term.datatype == _STRING


MERGERS: dict[str, Callable[[str, list[str]], str | None]] = {"article": _by_article, "distinct": _distinct}


def _disputed(columns: tuple[str, ...], rows) -> str | None:
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
    return "?force\t?round\t?area\t?grades\t?articles\n" + "".join(lines)


# Queries over many articles whose answer follows from another query's merged answer.
DERIVED = {"conflicts": ("judgements", _disputed)}
