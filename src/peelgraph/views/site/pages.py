"""The site's pages, from the Site: each a template and its tables, every table given cell by cell
as both the page and its CSV show it (so the CSV has the page's columns). Site -> Pages.

Paths and links are relative to the site's folder; a page's own links are relative to the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from peelgraph.gazetteer import Area, load
from peelgraph.rdf.to_rdf import slugify
from peelgraph.views.site.gather import Article, ForceFacts, Judgement, RoundFacts, Site, area_order

DISPUTED = "⚠ sources disagree"
PAST = "† reported later"
REPORTED = {True: "current", False: "past"}  # is the article's current result -> what the page says


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    grades: tuple[str, ...] = ()  # one: the cell is in its colour; more: each is shown in its own
    marker: str = ""  # words after the text, in small type ("⚠ sources disagree", "2021/22")
    links: tuple[tuple[str, str], ...] = ()  # a cell of several (text, href) links

    @property
    def kind(self) -> str:
        """Its class on the page: a grade's, or "grades" for several."""
        if len(self.grades) == 1:
            return "grade grade-" + slugify(self.grades[0])
        return "grades" if self.grades else ""

    @property
    def words(self) -> str:
        """What the CSV holds: the words on the page."""
        text = "; ".join(text for text, _ in self.links) if self.links else self.text
        return f"{text} {self.marker}".strip()


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    id: str = ""  # an anchor other pages link to


@dataclass(frozen=True)
class Table:
    name: str  # its id on the page, and the end of its CSV file's name
    caption: str
    headers: tuple[str, ...]
    groups: tuple[tuple[str, tuple[Row, ...]], ...]  # (label, rows); labelled groups fill the first column
    csv: str = ""  # the CSV file beside the page (set by Page)
    row_headers: bool = False  # whether the first column names the row (as a force names a matrix row)
    kind: str = ""  # a class for the page's style: "matrix"
    columns: tuple[str, ...] = ()  # a class for each column's cells: "wide" (long text), "number"

    def column(self, index: int) -> str:
        """The class of the cells of the column at this index among the row's cells."""
        return self.columns[index] if index < len(self.columns) else ""

    @property
    def grouped(self) -> bool:
        return any(label for label, _ in self.groups)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for _, rows in self.groups for row in rows)

    def records(self) -> list[tuple[str, ...]]:
        """The CSV's rows under the headers: a group's label on each of its rows."""
        return [
            ((label,) if self.grouped else ()) + tuple(cell.words for cell in row.cells)
            for label, rows in self.groups
            for row in rows
        ]


@dataclass(frozen=True)
class Page:
    path: str  # in the site: "forces/kent-police.html"
    template: str
    title: str
    tables: dict[str, Table] = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # what else the template shows

    @property
    def root(self) -> str:
        """The way from the page to the site's folder."""
        return "../" * self.path.count("/")


def _page(path: str, template: str, title: str, tables: list[Table], **values) -> Page:
    stem = path.rsplit("/", 1)[-1].removesuffix(".html")
    named = {t.name: replace(t, csv=f"{stem}-{t.name}.csv") for t in tables}
    return Page(path, template, title, named, values)


def _table(name: str, caption: str, headers: tuple[str, ...], rows, **options) -> Table:
    return Table(name, caption, headers, (("", tuple(rows)),), **options)


def force_path(force: ForceFacts) -> str:
    return f"forces/{force.slug}.html"


def round_path(round_facts: RoundFacts) -> str:
    return f"rounds/{round_facts.round.slug}.html"


def anchor(judgement: Judgement) -> str:
    """The id of a judgement's first row on its force's page (an area's slug starts with its round's)."""
    return "j-" + slugify(judgement.area.slug)


def _article_cell(article: Article) -> Cell:
    return Cell(article.name, href=article.link)


def _grade_cell(judgements: list[Judgement], href: str, marker: str = "") -> Cell:
    """A matrix cell: the grades, worst first; marked where sources disagree or the grade is known
    only from a later article."""
    grades = tuple(sorted({g for j in judgements for g in j.grades}, key=lambda g: g.rank))
    labels = tuple(g.label for g in grades)
    markers = [marker] if marker else []
    markers += [DISPUTED] if any(j.disputed for j in judgements) else []
    markers += [PAST] if all(j.past for j in judgements) else []
    return Cell(" | ".join(labels), href=href, grades=labels, marker=" ".join(markers))


def _claims(judgement: Judgement) -> str:
    """“Article A” (Outlet, date) says good; “Article B” says requires improvement."""
    parts = []
    for grade, articles in judgement.claims:
        names = " and ".join(article.cited for article in articles)
        parts.append(f"{names} {'say' if len(articles) > 1 else 'says'} {grade.label}")
    return "; ".join(parts)


# the index ---------------------------------------------------------------------------------------


def _matrix(site: Site, round_facts: RoundFacts) -> Table:
    """Forces (by region) by the round's areas that any force was graded in."""
    notation = round_facts.round.notation
    cells = {(f.name, j.area.slug): j for f in site.forces for j in f.judgements if j.round.notation == notation}
    areas = [a for a in round_facts.areas if any(area == a.slug for _, area in cells)]
    groups = []
    for region, forces in _by_region(f for f in site.forces if any(name == f.name for name, _ in cells)):
        rows = []
        for force in forces:
            row = [Cell(force.name, href=force_path(force))]
            for area in areas:
                judgement = cells.get((force.name, area.slug))
                href = f"{force_path(force)}#{anchor(judgement)}" if judgement else ""
                row.append(_grade_cell([judgement], href) if judgement else Cell(""))
            rows.append(Row(tuple(row)))
        groups.append((region, tuple(rows)))
    return Table(
        name=f"round-{round_facts.round.slug}",
        caption=f"{round_facts.round.label}: the grade of each force graded, in each area",
        headers=("Region", "Force", *(a.label for a in areas)),
        groups=tuple(groups),
        row_headers=True,
        kind="matrix",
    )


def _latest(site: Site) -> Table:
    """Forces (by region) by cross-round theme: the grade of the latest round that graded each."""
    gazetteer = load()
    latest: dict[tuple[str, str], list[Judgement]] = {}
    for force in site.forces:
        for judgement in force.judgements:  # in round order: a later round's replace an earlier's
            key = (force.name, judgement.area.theme or judgement.area.slug)
            held = latest.get(key, [])
            latest[key] = held + [judgement] if held and held[0].round == judgement.round else [judgement]
    newest = defaultdict(int)
    for (_, theme), judgements in latest.items():
        newest[theme] = max(newest[theme], judgements[0].round.sequence)
    themes = sorted(newest, key=lambda t: (-newest[t], area_order(gazetteer.areas[t])))
    groups = []
    for region, forces in _by_region(f for f in site.forces if f.judgements):
        rows = []
        for force in forces:
            row = [Cell(force.name, href=force_path(force))]
            for theme in themes:
                found = latest.get((force.name, theme))
                if found:
                    row.append(_grade_cell(found, f"{force_path(force)}#{anchor(found[0])}", found[0].round.notation))
                else:
                    row.append(Cell(""))
            rows.append(Row(tuple(row)))
        groups.append((region, tuple(rows)))
    return Table(
        name="latest",
        caption="Latest grade of each force on each theme, and the round that gave it",
        headers=("Region", "Force", *(gazetteer.areas[t].label for t in themes)),
        groups=tuple(groups),
        row_headers=True,
        kind="matrix",
    )


def _by_region(forces) -> list[tuple[str, list[ForceFacts]]]:
    """Forces grouped by police region, regions in alphabetical order and "National" last."""
    found: dict[str, list[ForceFacts]] = defaultdict(list)
    for force in forces:
        found[force.region or "National"].append(force)
    order = sorted(found, key=lambda region: (region == "National", region))
    return [(region, sorted(found[region], key=lambda f: f.name)) for region in order]


def _disagreements(site: Site) -> Table:
    rows = [
        Row(
            (
                Cell(force.name, href=f"{force_path(force)}#conflicts"),
                Cell(j.round.notation),
                Cell(j.area.label),
                Cell(" | ".join(g.label for g in j.grades), grades=tuple(g.label for g in j.grades), marker=DISPUTED),
                Cell(_claims(j)),
            )
        )
        for force in site.forces
        for j in force.judgements
        if j.disputed
    ]
    headers = ("Force", "Round", "Area", "Grades", "What the sources say")
    return _table(
        "disagreements",
        "Where articles disagree about a grade",
        headers,
        rows,
        row_headers=True,
        columns=("", "", "", "", "wide"),
    )


def _rounds_table(site: Site) -> Table:
    rows = []
    for round_facts in site.rounds:
        notation = round_facts.round.notation
        graded = [j for f in site.forces for j in f.judgements if j.round.notation == notation]
        rows.append(
            Row(
                (
                    Cell(round_facts.round.label, href=round_path(round_facts)),
                    Cell(", ".join(g.label for g in round_facts.grades)),
                    Cell(str(len({j.force for j in graded}))),
                    Cell(str(len(graded))),
                )
            )
        )
    headers = ("Round", "Grade scale, best first", "Forces graded", "Grades reported")
    return _table("rounds", "PEEL rounds", headers, rows, row_headers=True, columns=("", "", "number", "number"))


def _forces_table(site: Site) -> Table:
    groups = []
    for region, forces in _by_region(site.forces):
        rows = tuple(
            Row(
                (
                    Cell(force.name, href=force_path(force)),
                    *(
                        Cell(str(len(items)))
                        for items in (force.judgements, force.posts, force.quotes, force.findings, force.statistics)
                    ),
                    Cell(str(len(force.articles))),
                )
            )
            for force in forces
        )
        groups.append((region, rows))
    headers = ("Region", "Force", "Grades", "People", "Quotes", "Findings", "Statistics", "Articles")
    return Table(
        "forces",
        "Every force the articles report on",
        headers,
        tuple(groups),
        row_headers=True,
        columns=("", *("number",) * 6),
    )


def index_page(site: Site) -> Page:
    rounds = [r for r in site.rounds if any(j.round == r.round for f in site.forces for j in f.judgements)]
    matrices = [_matrix(site, r) for r in rounds]
    views = [("latest", "Latest grade per force and theme")] + [
        (m.name, r.round.label) for m, r in zip(matrices, rounds, strict=True)
    ]
    tables = [_latest(site), *matrices, _disagreements(site), _rounds_table(site), _forces_table(site)]
    judgements = sum(len(f.judgements) for f in site.forces)
    return _page(
        "index.html",
        "index.html",
        "PEEL grades of the police forces of England and Wales",
        tables,
        views=views,
        chosen=matrices[-1].name if matrices else "latest",
        counts={
            "articles": site.articles,
            "forces": len(site.forces),
            "grades": judgements,
            "disagreements": sum(j.disputed for f in site.forces for j in f.judgements),
        },
        grades=[g.label for g in sorted(load().grades.values(), key=lambda g: -g.rank)],
    )


# a force's page ----------------------------------------------------------------------------------


def _judgements_table(force: ForceFacts) -> Table:
    rows = []
    for judgement in force.judgements:
        for i, reading in enumerate(judgement.readings):
            rows.append(
                Row(
                    (
                        Cell(judgement.round.notation),
                        Cell(judgement.area.label),
                        Cell(
                            reading.grade.label,
                            grades=(reading.grade.label,),
                            marker=DISPUTED if judgement.disputed else "",
                        ),
                        Cell(REPORTED[reading.current]),
                        Cell(reading.sentence),
                        _article_cell(reading.article),
                        Cell(reading.article.outlet),
                        Cell(reading.article.published),
                        Cell(reading.rule),
                        Cell(reading.confidence),
                    ),
                    id=anchor(judgement) if i == 0 else "",
                )
            )
    headers = (
        "Round",
        "Area",
        "Grade",
        "Reported as",
        "Sentence",
        "Article",
        "Outlet",
        "Published",
        "Rule",
        "Confidence",
    )
    columns = ("", "", "", "", "wide", "", "", "", "", "number")
    return _table("judgements", f"Every grade the articles give {force.name}", headers, rows, columns=columns)


def _conflicts_table(force: ForceFacts) -> Table:
    rows = [
        Row(
            (
                Cell(j.round.notation),
                Cell(j.area.label),
                Cell(" | ".join(g.label for g in j.grades), grades=tuple(g.label for g in j.grades)),
                Cell(_claims(j)),
            )
        )
        for j in force.judgements
        if j.disputed
    ]
    headers = ("Round", "Area", "Grades", "What the sources say")
    return _table("conflicts", "Where the articles disagree", headers, rows, columns=("", "", "", "wide"))


def force_page(site: Site, force: ForceFacts) -> Page:
    people = [
        Row(
            (
                Cell(post.person),
                Cell(post.role),
                Cell("", links=tuple((article.name, article.link) for article in post.articles)),
            )
        )
        for post in force.posts
    ]
    quotes = [Row((Cell(q.speaker), Cell(q.text), _article_cell(q.article))) for q in force.quotes]
    findings = [Row((Cell(f.kind), Cell(f.text), _article_cell(f.article))) for f in force.findings]
    statistics = [
        Row((Cell(s.value), Cell(s.unit), Cell(s.measure), _article_cell(s.article))) for s in force.statistics
    ]
    articles = [
        Row((Cell(a.name), Cell(a.outlet), Cell(a.published), Cell(a.url, href=a.link), Cell(a.file)))
        for a in force.articles
    ]
    tables = [
        _conflicts_table(force),
        _judgements_table(force),
        _table("people", f"People in post at {force.name}", ("Person", "Post", "Articles"), people, row_headers=True),
        _table("quotes", "Quotes", ("Speaker", "Quote", "Article"), quotes, columns=("", "wide")),
        _table("findings", "Findings", ("Kind", "Finding", "Article"), findings, columns=("", "wide")),
        _table("statistics", "Statistics", ("Value", "Unit", "Measure", "Article"), statistics, columns=("number",)),
        _table("articles", "The articles", ("Article", "Outlet", "Published", "Link", "File"), articles),
    ]
    return _page(force_path(force), "force.html", force.name, tables, force=force)


# a round's page ----------------------------------------------------------------------------------


def round_page(site: Site, round_facts: RoundFacts) -> Page:
    notation = round_facts.round.notation
    by_area: dict[str, list[Judgement]] = defaultdict(list)
    for force in site.forces:
        for judgement in force.judgements:
            if judgement.round.notation == notation:
                by_area[judgement.area.slug].append(judgement)
    rows = []
    for area in round_facts.areas:
        graded = by_area.get(area.slug, [])
        counts = [sum(not j.disputed and j.grades[0] == g for j in graded) for g in round_facts.grades]
        rows.append(
            Row(
                (
                    Cell(area.label),
                    Cell(_theme(area)),
                    *(Cell(str(n)) for n in counts),
                    Cell(str(sum(j.disputed for j in graded))),
                    Cell(str(len(graded))),
                )
            )
        )
    headers = ("Area", "Theme", *(g.label for g in round_facts.grades), "Sources disagree", "Forces graded")
    caption = f"How many forces the articles give each grade, area by area, in {round_facts.round.label}"
    columns = ("", "", *("number",) * (len(round_facts.grades) + 2))
    table = _table("areas", caption, headers, rows, row_headers=True, columns=columns)
    path = round_path(round_facts)
    return _page(path, "round.html", round_facts.round.label, [table], round=round_facts, graded=bool(by_area))


def _theme(area: Area) -> str:
    gazetteer = load()
    return gazetteer.areas[area.theme].label if area.theme else ""


def pages(site: Site) -> list[Page]:
    """Every page of the site: the index, a page per force and a page per round."""
    return [
        index_page(site),
        *(force_page(site, force) for force in site.forces),
        *(round_page(site, round_facts) for round_facts in site.rounds),
    ]


def search_index(site: Site) -> dict:
    """What the search box finds, in a form small enough to put in every page: forces (by any name
    the gazetteer knows), people in post at a force or quoted on its page, and areas (each round's
    and the themes across rounds). Forces, rounds and posts are listed once and named by their
    place in their list.

    {"forces": [[name, page, region, [aliases]]], "rounds": [[label, page]], "roles": [post],
     "people": [[name, [[force, role]], [force quoted on]]], "areas": [[name, [round]]]}
    """
    gazetteer = load()
    force_number = {force.name: i for i, force in enumerate(site.forces)}
    roles = sorted({post.role for force in site.forces for post in force.posts})
    posts: dict[str, set[tuple[int, int]]] = defaultdict(set)
    quoted: dict[str, set[int]] = defaultdict(set)
    for force in site.forces:
        for post in force.posts:
            posts[post.person].add((force_number[force.name], roles.index(post.role)))
        for quote in force.quotes:
            if gazetteer.label_for(quote.speaker) is None:  # a person, not an organisation
                quoted[quote.speaker].add(force_number[force.name])
    people = [
        [name, sorted(map(list, posts[name])), sorted(quoted[name] - {f for f, _ in posts[name]})]
        for name in sorted(posts.keys() | quoted.keys())
    ]
    areas: dict[str, set[int]] = defaultdict(set)
    for number, round_facts in enumerate(site.rounds):
        for area in round_facts.areas:
            for label in {area.label, _theme(area)} - {""}:
                areas[label].add(number)
    return {
        "forces": [
            [force.name, force_path(force), force.region, sorted({force.short_name, *force.aliases} - {""})]
            for force in site.forces
        ],
        "rounds": [[r.round.label, round_path(r)] for r in site.rounds],
        "roles": roles,
        "people": people,
        "areas": [[name, sorted(rounds)] for name, rounds in sorted(areas.items())],
    }
