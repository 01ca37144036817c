"""Domain knowledge as data: forces, inspectorates and organisations from data/gazetteer, and the
concept schemes (grades, areas, rounds, finding kinds, posts) from the ontology.

Rules look words up here; nothing about the domain is hard-coded in the extractors.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from peelgraph import resources
from peelgraph.errors import ResourceError
from peelgraph.rdf.vocab import AREA, GRADE, KIND, PEEL, ROLE, ROUND


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    short_name: str
    nation: str
    region: str  # the police region of England and Wales ("North West", "Wales"); "National" for the others
    kind: str
    ons_pfa_code: str
    police_uk_id: str
    wikidata_qid: str
    welsh_name: str
    aliases: tuple[str, ...]

    @property
    def inspected_by_hmicfrs(self) -> bool:
        """PEEL covers the forces of England and Wales; Scotland and Northern Ireland have their own."""
        return self.nation not in ("Scotland", "Northern Ireland")


@dataclass(frozen=True)
class Organisation:
    """An inspectorate or another organisation that appears in reporting (charity, union...)."""

    slug: str
    name: str
    short_name: str
    kind: str
    aliases: tuple[str, ...]
    founded: str = ""
    dissolved: str = ""
    successor: str = ""


@dataclass(frozen=True)
class Concept:
    """A SKOS concept of one of the ontology's schemes."""

    slug: str
    iri: URIRef
    label: str
    match_labels: tuple[str, ...]


@dataclass(frozen=True)
class Round(Concept):
    notation: str = ""
    sequence: int = 0
    five_point: bool = False
    reports_from: date | None = None
    reports_until: date | None = None


@dataclass(frozen=True)
class Area(Concept):
    """A round's own area ("investigating offending", graded in 2014), or a cross-round theme that
    such areas are narrower than ("investigating crime")."""

    broader: str | None = None
    rounds: frozenset[str] = frozenset()  # notations of the rounds that graded it (a theme's: its areas')
    theme: str | None = None  # a round's own area: the theme it lines up with; a theme: None
    covers: frozenset[str] = frozenset()  # themes other rounds graded apart that this round's area took in


@dataclass(frozen=True)
class Grade(Concept):
    rank: int = 0
    five_point_only: bool = False


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per process
class Gazetteer:
    forces: dict[str, Force]
    inspectorates: dict[str, Organisation]
    organisations: dict[str, Organisation]
    rounds: dict[str, Round]  # by notation, "2018/19"
    areas: dict[str, Area]  # by slug
    grades: dict[str, Grade]  # by slug
    finding_kinds: dict[str, Concept]
    posts: dict[str, Concept]

    def round_by_sequence(self, sequence: int) -> Round | None:
        return next((r for r in self.rounds.values() if r.sequence == sequence), None)

    def round_for_date(self, day: date) -> Round | None:
        """The round whose force reports were being published on that day."""
        return next(
            (r for r in self.rounds.values() if r.reports_from and r.reports_from <= day <= r.reports_until),
            None,
        )

    def round_written(self, written: str) -> Round | None:
        """The round a notation names however its years are joined: "2021/22", "2021-22", "2025/27"."""
        for notation in (written, written.replace("/", "-"), written.replace("-", "/")):
            if notation in self.rounds:
                return self.rounds[notation]
        return None

    def rounds_reporting_in(self, year: int) -> list[Round]:
        """The rounds whose force reports were coming out in a year (2023: PEEL 2021/22's last, 2023-25's first)."""
        return [
            r for r in self.rounds.values() if r.reports_from and r.reports_from.year <= year <= r.reports_until.year
        ]

    def round_for_year(self, year: int) -> Round | None:
        """The round named after a year ("2017") or running through it ("2022" -> 2021/22)."""
        exact = self.rounds.get(str(year))
        if exact:
            return exact
        return next((r for r in self.rounds.values() if _years(r.notation)[0] <= year <= _years(r.notation)[1]), None)

    def areas_in_round(self, candidates: tuple[str, ...], notation: str) -> tuple[Area, ...]:
        """The round's own areas that a wording names, one per theme among the candidates: a
        candidate the round graded, else the round's area under the candidate's theme
        ("investigating crime" in 2014 is "investigating offending"). A wording that joins two
        areas ("preventing and investigating crime") names one of each."""
        found: list[Area] = []
        for theme in dict.fromkeys(self.areas[c].theme or c for c in candidates if c in self.areas):
            own = [
                self.areas[c]
                for c in candidates
                if c in self.areas and self.areas[c].theme == theme and notation in self.areas[c].rounds
            ]
            narrower = own or self.round_areas.get((theme, notation), ())
            if narrower and narrower[0] not in found:
                found.append(narrower[0])
        return tuple(found)

    def area_in_round(self, candidates: tuple[str, ...], notation: str) -> Area | None:
        found = self.areas_in_round(candidates, notation)
        return found[0] if found else None

    @cached_property
    def forces_by_place(self) -> dict[str, str]:
        """Forces PEEL inspects by the place they police ("Kent", "North Yorkshire"), as reporters
        shorten their names."""
        return {f.short_name: f.slug for f in self.forces.values() if f.short_name and f.inspected_by_hmicfrs}

    @cached_property
    def place_names(self) -> str:
        """The places of forces_by_place as a regular-expression alternation, longest first."""
        return "|".join(re.escape(name) for name in sorted(self.forces_by_place, key=len, reverse=True))

    @cached_property
    def round_areas(self) -> dict[tuple[str, str], tuple[Area, ...]]:
        """(theme, round notation) -> that round's own areas under the theme."""
        found: dict[tuple[str, str], list[Area]] = {}
        for area in self.areas.values():
            for notation in sorted(area.rounds) if area.theme else ():
                for theme in (area.theme, *sorted(area.covers)):
                    found.setdefault((theme, notation), []).append(area)
        return {key: tuple(areas) for key, areas in found.items()}

    @cached_property
    def labels_by_name(self) -> dict[str, str]:
        """Every name a user may type for a force, inspectorate, organisation, round, area or grade
        ("gmp", "the met", "cambs police", "2021-22"), folded by `folded`, mapped to the label the
        store's answers give it. Forces come first, so a place name means its force."""
        found: dict[str, str] = {}
        named = [*self.forces.values(), *self.inspectorates.values(), *self.organisations.values()]
        for item in named:
            for name in (item.name, item.short_name, getattr(item, "welsh_name", ""), *item.aliases):
                found.setdefault(folded(name), item.name)
        for round_ in self.rounds.values():
            for name in (round_.notation, round_.label, *round_.match_labels):
                found.setdefault(folded(name), round_.notation)
        for concept in (*self.areas.values(), *self.grades.values()):
            for name in (concept.label, *concept.match_labels):
                found.setdefault(folded(name), concept.label)
        found.pop("", None)
        return found

    def label_for(self, name: str) -> str | None:
        """The label the store gives what this name means, in any case or spelling the gazetteer
        knows ("kent" -> "Kent Police"); None for a name it does not know."""
        return self.labels_by_name.get(folded(name))

    def organisation(self, slug: str) -> Force | Organisation | None:
        return self.forces.get(slug) or self.inspectorates.get(slug) or self.organisations.get(slug)

    def name_of(self, slug: str) -> str:
        found = self.organisation(slug)
        return found.name if found else slug


def folded(name: str) -> str:
    """A name as compared when a user types it: any case and accents, "&" as "and", "/" and dashes as "-",
    spaces collapsed and a leading "the" dropped ("The Met" and "the met" are "met")."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    text = re.sub(r"[/\u2010-\u2015]", "-", text.replace("&", " and "))
    text = " ".join(text.replace("'", "").replace('"', "").split())
    return text.removeprefix("the ")


def _years(notation: str) -> tuple[int, int]:
    first = int(notation[:4])
    if len(notation) == 4:
        return first, first
    last = int(notation[-2:]) + (first // 100) * 100
    return first, last


def _aliases(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


def _read_csv(name: str) -> list[dict[str, str]]:
    file = resources.path("gazetteer", name)
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, csv.Error, UnicodeDecodeError) as error:
        raise ResourceError(f"{file}: cannot read gazetteer table: {error}") from error


def _forces() -> dict[str, Force]:
    return {
        row["slug"]: Force(
            slug=row["slug"],
            name=row["official_name"],
            short_name=row["short_name"],
            nation=row["nation"],
            region=row["region"],
            kind=row["kind"],
            ons_pfa_code=row["ons_pfa_code"],
            police_uk_id=row["police_uk_id"],
            wikidata_qid=row["wikidata_qid"],
            welsh_name=row["welsh_name"],
            aliases=_aliases(row["aliases"]),
        )
        for row in _read_csv("forces.csv")
    }


def _inspectorates() -> dict[str, Organisation]:
    return {
        row["slug"]: Organisation(
            slug=row["slug"],
            name=row["name"],
            short_name=row["short_name"],
            kind="inspectorate",
            aliases=_aliases(row["aliases"]),
            founded=row["founded"],
            dissolved=row["dissolved"],
            successor=row["successor"],
        )
        for row in _read_csv("inspectorates.csv")
    }


def _organisations() -> dict[str, Organisation]:
    return {
        row["slug"]: Organisation(
            slug=row["slug"], name=row["name"], short_name="", kind=row["kind"], aliases=_aliases(row["aliases"])
        )
        for row in _read_csv("other_organisations.csv")
    }


def _labels(graph: Graph, concept: URIRef) -> tuple[str, tuple[str, ...]]:
    label = str(graph.value(concept, SKOS.prefLabel))
    others = [str(o) for p in (SKOS.altLabel, PEEL.matchLabel) for o in graph.objects(concept, p)]
    return label, tuple(sorted(set(others)))


def _slug(concept: URIRef, namespace) -> str:
    return str(concept)[len(str(namespace)) :]


def _concepts(graph: Graph, cls: URIRef, namespace, build) -> dict:
    found = {}
    for concept in sorted(graph.subjects(RDF.type, cls)):
        label, others = _labels(graph, concept)
        slug = _slug(concept, namespace)
        item = build(concept, slug, label, others)
        found[getattr(item, "notation", "") or slug] = item
    return found


@cache
def load() -> Gazetteer:
    """The gazetteer and concept schemes, read once per process."""
    graph = ontology()

    def round_(iri, slug, label, others):
        return Round(
            slug=slug,
            iri=iri,
            label=label,
            match_labels=others,
            notation=str(graph.value(iri, SKOS.notation)),
            sequence=int(graph.value(iri, PEEL.sequence)),
            five_point=str(graph.value(iri, PEEL.gradeScale)).endswith("grades-2021"),
            reports_from=graph.value(iri, PEEL.reportsFrom).toPython(),
            reports_until=graph.value(iri, PEEL.reportsUntil).toPython(),
        )

    rounds = _concepts(graph, PEEL.Round, ROUND, round_)
    notation_of = {r.iri: r.notation for r in rounds.values()}

    def area(iri, slug, label, others):
        broader = graph.value(iri, SKOS.broader)
        rounds = frozenset(notation_of[r] for r in graph.objects(iri, PEEL.gradedIn))
        own_rounds = frozenset(
            notation_of[r]
            for narrower in graph.subjects(SKOS.broader, iri)
            for r in graph.objects(narrower, PEEL.gradedIn)
        )
        return Area(
            slug=slug,
            iri=iri,
            label=label,
            match_labels=others,
            broader=_slug(broader, AREA) if broader else None,
            rounds=rounds or own_rounds,
            theme=_slug(broader, AREA) if rounds and broader else None,
            covers=frozenset(_slug(t, AREA) for t in graph.objects(iri, PEEL.coversTheme)),
        )

    def grade(iri, slug, label, others):
        schemes = {str(s) for s in graph.objects(iri, SKOS.inScheme)}
        return Grade(
            slug=slug,
            iri=iri,
            label=label,
            match_labels=others,
            rank=int(graph.value(iri, PEEL.rank)),
            five_point_only=not any(s.endswith("grades-2014") for s in schemes),
        )

    def concept(iri, slug, label, others):
        return Concept(slug=slug, iri=iri, label=label, match_labels=others)

    return Gazetteer(
        forces=_forces(),
        inspectorates=_inspectorates(),
        organisations=_organisations(),
        rounds=rounds,
        areas=_concepts(graph, PEEL.Area, AREA, area),
        grades=_concepts(graph, PEEL.Grade, GRADE, grade),
        finding_kinds=_concepts(graph, PEEL.FindingKind, KIND, concept),
        posts=_concepts(graph, PEEL.Post, ROLE, concept),
    )


@cache
def ontology() -> Graph:
    """The ontology as an rdflib graph (read once per process; do not modify)."""
    file = resources.ontology_path()
    try:
        return Graph().parse(file, format="turtle")
    except Exception as error:  # rdflib raises many kinds for a broken file
        raise ResourceError(f"{file}: cannot parse the ontology: {error}") from error
