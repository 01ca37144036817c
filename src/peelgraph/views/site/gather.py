"""The site's facts, from the store: every judgement as each article reports it (with the sentence it
was read from, the rule and the rule's confidence), and each force's people in post, quotes,
findings, statistics and timeline chart. Store -> Site; nothing here writes a file.

Judgements come from a query of this module's own, as the named `judgements` query gives neither
rule nor confidence; it names forces, rounds, areas and grades by IRI, looked up in the gazetteer,
which is faster than joining the reference graphs. People, quotes, findings and statistics come
from the named queries.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path

import matplotlib

from peelgraph.errors import InputError
from peelgraph.gazetteer import Area, Grade, Round, load
from peelgraph.pipeline.executors import default_jobs, worker_pool
from peelgraph.rdf.to_rdf import force_iri
from peelgraph.rdf.vocab import with_prefixes
from peelgraph.store.base import Store
from peelgraph.store.querying import run
from peelgraph.views import drawing
from peelgraph.views.site import svg

JUDGEMENTS = with_prefixes("""
SELECT ?g ?force ?round ?area ?grade ?current ?rule ?confidence ?sentence WHERE {
  GRAPH ?g {
    ?judgement peel:grade ?grade ; peel:current ?current ; peel:area ?area ; peel:inspection ?inspection .
    ?inspection peel:inspectedForce ?force ; peel:round ?round .
    ?annotation oa:hasBody ?judgement ; peel:rule ?rule ; peel:confidence ?confidence ; oa:hasTarget ?target .
    ?target oa:hasSelector ?selector .
    ?selector oa:exact ?sentence .
  }
}
""")

ARTICLES = with_prefixes("""
SELECT ?g ?file ?title ?outlet ?published ?url WHERE {
  GRAPH ?g {
    ?article a peel:Article ; peel:sourceFile ?file .
    OPTIONAL { ?article schema:headline ?title }
    OPTIONAL { ?article peel:outlet ?outlet }
    OPTIONAL { ?article schema:datePublished ?published }
    OPTIONAL { ?article schema:url ?url }
  }
}
""")

PILLARS = ("effectiveness", "efficiency", "legitimacy")
LINKED_SCHEMES = ("http://", "https://")  # addresses given as links; any other is shown as text


@dataclass(frozen=True, order=True)
class Article:
    published: str  # first, so that articles sort by date
    file: str
    title: str = ""
    outlet: str = ""
    url: str = ""

    @property
    def name(self) -> str:
        return self.title or self.file

    @property
    def link(self) -> str:
        return self.url if self.url.startswith(LINKED_SCHEMES) else ""

    @property
    def cited(self) -> str:
        """How a sentence names it: “Title” (Outlet, 2022-03-03)."""
        details = ", ".join(part for part in (self.outlet, self.published) if part)
        return f"“{self.name}”" + (f" ({details})" if details else "")


@dataclass(frozen=True)
class Reading:
    """One judgement as one article reports it, in one sentence, by one rule."""

    grade: Grade
    current: bool
    sentence: str
    article: Article
    rule: str
    confidence: str  # as text, two decimals


@dataclass(frozen=True)
class Judgement:
    """A force's grade in one area of one round, as every article that reports it gives it."""

    force: str  # the force's name
    round: Round
    area: Area
    readings: tuple[Reading, ...]

    @cached_property
    def grades(self) -> tuple[Grade, ...]:
        """The grades the articles give, worst first: more than one where they disagree."""
        return tuple(sorted({r.grade for r in self.readings}, key=lambda g: g.rank))

    @property
    def disputed(self) -> bool:
        return len(self.grades) > 1

    @property
    def past(self) -> bool:
        """Reported only as an earlier grade, in articles about a later inspection."""
        return not any(r.current for r in self.readings)

    @property
    def claims(self) -> tuple[tuple[Grade, tuple[Article, ...]], ...]:
        """Each grade with the articles that give it."""
        return tuple(
            (grade, tuple(sorted({r.article for r in self.readings if r.grade == grade}))) for grade in self.grades
        )


@dataclass(frozen=True)
class Post:
    person: str
    role: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Quote:
    article: Article
    speaker: str
    text: str


@dataclass(frozen=True)
class Finding:
    article: Article
    kind: str
    text: str


@dataclass(frozen=True)
class Statistic:
    article: Article
    value: str
    unit: str
    measure: str


@dataclass(frozen=True)
class ForceFacts:
    slug: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    region: str
    nation: str
    judgements: tuple[Judgement, ...]  # in round, then area order
    posts: tuple[Post, ...]
    quotes: tuple[Quote, ...]
    findings: tuple[Finding, ...]
    statistics: tuple[Statistic, ...]
    chart: str  # the timeline as inline SVG; "" without judgements

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article the page cites."""
        found = {r.article for j in self.judgements for r in j.readings}
        found |= {a for p in self.posts for a in p.articles}
        found |= {item.article for item in (*self.quotes, *self.findings, *self.statistics)}
        return tuple(sorted(found))


@dataclass(frozen=True)
class RoundFacts:
    round: Round
    areas: tuple[Area, ...]  # the round's own areas, in pillar, then alphabetical, order
    grades: tuple[Grade, ...]  # its grade scale, best first


@dataclass(frozen=True)
class Site:
    forces: tuple[ForceFacts, ...]  # by name
    rounds: tuple[RoundFacts, ...]  # every round of the ontology, in order
    articles: int  # how many the store holds
    notes: tuple[str, ...] = ()  # what the user should know about how the facts were found


def area_order(area: Area) -> tuple:
    """Pillars first, each followed by its questions, then the areas of no pillar; alphabetical within."""
    gazetteer = load()
    theme = gazetteer.areas.get(area.theme or "", area)
    pillar = theme.slug if theme.slug in PILLARS else theme.broader
    return (PILLARS.index(pillar) if pillar in PILLARS else len(PILLARS), theme.slug != pillar, area.label)


def gather(store: Store) -> Site:
    """Every fact the site shows, from the store."""
    with _Charts(store) as charts:
        return _gathered(store, charts)


def _gathered(store: Store, charts: _Charts) -> Site:
    gazetteer = load()
    notes: list[str] = []
    articles = _articles(store)
    by_file = {article.file: article for _, article in sorted(articles.items(), key=lambda item: item[1])}
    judgements = _judgements(store, articles, notes)
    posts = _posts(_named(store, "people", notes), by_file)
    findings = _by_force(_named(store, "findings", notes), by_file, lambda r, a: Finding(a, r["kind"], r["text"]))
    statistics = _by_force(
        _named(store, "statistics", notes), by_file, lambda r, a: Statistic(a, r["value"], r["unit"], r["measure"])
    )
    names = sorted(set(judgements) | set(posts) | set(findings) | set(statistics))
    quotes = _quotes(_named(store, "quotes", notes), by_file, judgements, findings, posts)
    by_name = {force.name: force for force in gazetteer.forces.values()}
    forces = tuple(
        ForceFacts(
            slug=by_name[name].slug,
            name=name,
            short_name=by_name[name].short_name,
            aliases=by_name[name].aliases,
            region=by_name[name].region,
            nation=by_name[name].nation,
            judgements=judgements.get(name, ()),
            posts=posts.get(name, ()),
            quotes=quotes.get(name, ()),
            findings=findings.get(name, ()),
            statistics=statistics.get(name, ()),
            chart=charts.svg(name),
        )
        for name in names
        if name in by_name
    )
    return Site(forces=forces, rounds=_rounds(), articles=len(articles), notes=tuple(dict.fromkeys(notes)))


def _named(store: Store, query: str, notes: list[str]) -> list[dict[str, str]]:
    result = run(store, query)
    if result.note:
        notes.append(result.note)
    return result.records()


def _text(term) -> str:
    return "" if term is None else str(term.value)


def _articles(store: Store) -> dict[str, Article]:
    """Each article by the name of its graph."""
    found: dict[str, Article] = {}
    for graph, file, title, outlet, published, url in sorted(
        tuple(map(_text, row)) for row in run(store, ARTICLES).terms
    ):
        found.setdefault(graph, Article(published, file, title, outlet, url))
    return found


def _confidence(text: str) -> str:
    try:
        return f"{Decimal(text):.2f}"
    except InvalidOperation:
        return text


def _judgements(store: Store, articles: dict[str, Article], notes: list[str]) -> dict[str, tuple[Judgement, ...]]:
    """Each force's judgements, by its name."""
    gazetteer = load()
    forces = {str(force_iri(f.slug)): f.name for f in gazetteer.forces.values()}
    rounds = {str(r.iri): r for r in gazetteer.rounds.values()}
    areas = {str(a.iri): a for a in gazetteer.areas.values()}
    grades = {str(g.iri): g for g in gazetteer.grades.values()}
    readings: dict[tuple[str, str, str], set[Reading]] = defaultdict(set)
    unknown = 0
    for graph, force, round_, area, grade, current, rule, confidence, sentence in (
        tuple(map(_text, row)) for row in run(store, JUDGEMENTS).terms
    ):
        if not (force in forces and round_ in rounds and area in areas and grade in grades and graph in articles):
            unknown += 1
            continue
        reading = Reading(grades[grade], current == "true", sentence, articles[graph], rule, _confidence(confidence))
        readings[forces[force], round_, area].add(reading)
    if unknown:
        notes.append(
            f"{unknown} judgement reading(s) name a force, round, area or grade this version does not know; left out"
        )
    found: dict[str, list[Judgement]] = defaultdict(list)
    for (force, round_, area), held in readings.items():
        ordered = sorted(held, key=lambda r: (r.grade.rank, r.article, r.sentence, r.rule, r.current, r.confidence))
        found[force].append(Judgement(force, rounds[round_], areas[area], tuple(ordered)))
    return {
        force: tuple(sorted(items, key=lambda j: (j.round.sequence, area_order(j.area))))
        for force, items in found.items()
    }


def _article(row: dict[str, str], by_file: dict[str, Article]) -> Article:
    return by_file.get(row["article"]) or Article("", row["article"])


def _posts(rows: list[dict[str, str]], by_file: dict[str, Article]) -> dict[str, tuple[Post, ...]]:
    """The people in post at each force, each with the articles that name them in it."""
    named: dict[tuple[str, str, str], set[Article]] = defaultdict(set)
    for row in rows:
        named[row["organisation"], row["role"], row["person"]].add(_article(row, by_file))
    found: dict[str, list[Post]] = defaultdict(list)
    for (organisation, role, person), held in sorted(named.items()):
        found[organisation].append(Post(person, role, tuple(sorted(held))))
    return {name: tuple(posts) for name, posts in found.items()}


def _in_article_order(items) -> tuple:
    """Once each, article by article, each article's in the order the query gave them (the order
    the article states them)."""
    return tuple(sorted(dict.fromkeys(items), key=lambda item: item.article))


def _by_force(rows: list[dict[str, str]], by_file: dict[str, Article], make) -> dict[str, tuple]:
    """Findings or statistics about each force (those about none are on no force's page)."""
    found: dict[str, list] = defaultdict(list)
    for row in rows:
        if row["force"]:
            found[row["force"]].append(make(row, _article(row, by_file)))
    return {force: _in_article_order(items) for force, items in found.items()}


def _quotes(rows, by_file, judgements, findings, posts) -> dict[str, tuple[Quote, ...]]:
    """The quotes of the articles that report a force's grades or findings, and those of its own
    people wherever they were quoted."""
    about: dict[Article, set[str]] = defaultdict(set)
    for force, items in judgements.items():
        for article in {r.article for j in items for r in j.readings}:
            about[article].add(force)
    for force, items in findings.items():
        for item in items:
            about[item.article].add(force)
    staff: dict[str, set[str]] = defaultdict(set)
    for force, items in posts.items():
        for post in items:
            staff[post.person].add(force)
    found: dict[str, list[Quote]] = defaultdict(list)
    for row in rows:
        article = _article(row, by_file)
        for force in about.get(article, set()) | staff.get(row["speaker"], set()):
            found[force].append(Quote(article, row["speaker"], row["quote"]))
    return {force: _in_article_order(items) for force, items in found.items()}


def _drawn(job: tuple[drawing.Timeline, str]) -> str:
    """One force's timeline as the drawing module draws it, made fit to sit inside its page; its
    words as SVG text, not outlines: a reader can select them and find them with the browser, and the
    chart is half the size and drawn faster."""
    chart, title = job
    with tempfile.TemporaryDirectory() as folder, matplotlib.rc_context({"svg.fonttype": "none"}):
        written = drawing.write(chart, Path(folder) / "timeline.svg", "svg", title)
        return svg.inlined(written.read_text(encoding="utf-8"), title)


class _Charts:
    """Each force's timeline, drawn in worker processes while the rest is gathered (matplotlib takes
    most of a second a chart), a chart at a time and the largest first, so that they end together."""

    def __init__(self, store: Store):
        try:
            chart = drawing.timeline(store)
        except InputError:  # no judgements to chart
            chart = None
        names = sorted(chart.forces if chart else (), key=lambda name: -len(chart.of(name).grades))
        self.jobs = {name: (chart.of(name), f"{name}: PEEL grades by round") for name in names}
        workers = min(len(names), default_jobs())
        self.pool = None
        if workers > 1:
            matplotlib.use("Agg")
            from matplotlib import pyplot  # noqa: F401  (once here, before the workers fork, rather than in each)

            self.pool = worker_pool(workers)
        self.drawing = {name: self.pool.submit(_drawn, job) for name, job in self.jobs.items()} if self.pool else {}

    def __enter__(self) -> _Charts:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def svg(self, name: str) -> str:
        """The force's chart ("" without judgements), once drawn."""
        if name in self.drawing:
            return self.drawing[name].result()
        return _drawn(self.jobs[name]) if name in self.jobs else ""


def _rounds() -> tuple[RoundFacts, ...]:
    gazetteer = load()
    found = []
    for round_ in sorted(gazetteer.rounds.values(), key=lambda r: r.sequence):
        areas = [a for a in gazetteer.areas.values() if a.theme and round_.notation in a.rounds]
        grades = [g for g in gazetteer.grades.values() if round_.five_point or not g.five_point_only]
        found.append(
            RoundFacts(
                round=round_,
                areas=tuple(sorted(areas, key=area_order)),
                grades=tuple(sorted(grades, key=lambda g: -g.rank)),
            )
        )
    return tuple(found)
