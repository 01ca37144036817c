"""Stage 5: Resolved -> the article's RDF graph. The only module that mints IRIs and adds triples.

Entity IRIs are deterministic and readable (id/force/kent-police,
id/judgement/kent-police/2018-19/effectiveness), so two articles that report the same fact meet
on the same node. Every extracted node carries prov:wasDerivedFrom its article and a Web
Annotation whose target selects the sentence it was read from, by quote and by position.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from peelgraph.gazetteer import Gazetteer, load
from peelgraph.model import Article, Evidence, Resolved
from peelgraph.rdf.vocab import AREA, GRADE, ID, KIND, OA, PEEL, PREFIXES, ROLE, SCHEMA, WIKIDATA

# Classes whose nodes are minted inside one article's namespace (id/quote/<article>/..., the
# evidence of each fact): only that article's graph describes them, so no two articles can
# break a constraint on them together.
ARTICLE_SCOPED = (
    PEEL.Article,
    PEEL.Quote,
    PEEL.Finding,
    PEEL.Statistic,
    OA.Annotation,
    OA.SpecificResource,
    OA.TextQuoteSelector,
    OA.TextPositionSelector,
)


def slugify(text: str) -> str:
    """A readable IRI segment: "Zoë O'Neill" -> "zoe-oneill".

    >>> slugify("Devon & Cornwall Police")
    'devon-cornwall-police'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def article_iri(article: Article | str) -> URIRef:
    return ID[f"article/{article if isinstance(article, str) else article.id}"]


def force_iri(slug: str) -> URIRef:
    return ID[f"force/{slug}"]


def organisation_iri(gazetteer: Gazetteer, slug: str) -> URIRef:
    if slug in gazetteer.forces:
        return force_iri(slug)
    if slug in gazetteer.inspectorates:
        return ID[f"inspectorate/{slug}"]
    return ID[f"organisation/{slug}"]


def person_iri(name: str) -> URIRef:
    return ID[f"person/{slugify(name)}"]


def round_iri(gazetteer: Gazetteer, notation: str) -> URIRef:
    return gazetteer.rounds[notation].iri


def inspection_iri(gazetteer: Gazetteer, force: str, notation: str) -> URIRef:
    return ID[f"inspection/{force}/{gazetteer.rounds[notation].slug}"]


def judgement_iri(gazetteer: Gazetteer, force: str, notation: str, area: str) -> URIRef:
    """`id/judgement/kent-police/2016/effectiveness`: a round's own area's slug starts with its round."""
    own_area = area if "/" in area else f"{gazetteer.rounds[notation].slug}/{area}"
    return ID[f"judgement/{force}/{own_area}"]


def _classes(gazetteer: Gazetteer, slug: str) -> tuple[URIRef, ...]:
    if slug in gazetteer.forces:
        return (PEEL.PoliceForce, SCHEMA.GovernmentOrganization)
    if slug in gazetteer.inspectorates:
        return (PEEL.Inspectorate,)
    return (ORG.Organization,)


Triple = tuple[URIRef, URIRef, URIRef | Literal]


class _Builder:
    """Collects one article's triples (a set: adding to an rdflib Graph costs about 25 µs a triple,
    most of an article's time outside spaCy); holds what every triple needs."""

    def __init__(self, resolved: Resolved, gazetteer: Gazetteer):
        self.resolved = resolved
        self.gazetteer = gazetteer
        self.triples: set[Triple] = set()
        self.annotated: set[URIRef] = set()
        self.article = article_iri(resolved.article)
        self.short_id = resolved.article.id[:16]

    def add(self, subject, predicate, obj) -> None:
        self.triples.add((subject, predicate, obj))

    def evidenced(self, node: URIRef, evidence: Evidence) -> None:
        """prov:wasDerivedFrom the article, and an annotation selecting the evidence text."""
        self.annotated.add(node)
        self.add(node, PROV.wasDerivedFrom, self.article)
        annotation = ID[f"evidence/{self.short_id}/{_digest(node, evidence.start, evidence.end, evidence.rule)}"]
        target = URIRef(annotation + "-target")
        quote = URIRef(annotation + "-quote")
        position = URIRef(annotation + "-position")
        self.add(annotation, RDF.type, OA.Annotation)
        self.add(annotation, OA.motivatedBy, OA.identifying)
        self.add(annotation, OA.hasBody, node)
        self.add(annotation, OA.hasTarget, target)
        self.add(annotation, PEEL.rule, Literal(evidence.rule))
        self.add(
            annotation, PEEL.confidence, Literal(Decimal(str(round(evidence.confidence, 3))), datatype=XSD.decimal)
        )
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, self.article)
        self.add(target, OA.hasSelector, quote)
        self.add(target, OA.hasSelector, position)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(evidence.text))
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(evidence.start, datatype=XSD.integer))
        self.add(position, OA.end, Literal(evidence.end, datatype=XSD.integer))

    def article_node(self) -> None:
        article = self.resolved.article
        node = self.article
        self.add(node, RDF.type, PEEL.Article)
        self.add(node, RDF.type, SCHEMA.NewsArticle)
        self.add(node, PEEL.contentHash, Literal(article.id))
        self.add(node, PEEL.sourceFile, Literal(article.source))
        self.add(node, RDFS.label, Literal(article.title or article.source))
        optional = (
            (SCHEMA.headline, article.title, None),
            (SCHEMA.url, article.url, XSD.anyURI),
            (PEEL.outlet, article.outlet, None),
            (SCHEMA.datePublished, article.published.isoformat() if article.published else None, XSD.date),
        )
        for predicate, value, datatype in optional:
            if value:
                self.add(node, predicate, Literal(value, datatype=datatype))
        if self.resolved.inspectorate:
            inspectorate = organisation_iri(self.gazetteer, self.resolved.inspectorate)
            self.add(node, PEEL.inspectorate, inspectorate)
            self.organisation(self.resolved.inspectorate)

    def organisation(self, slug: str, evidence: Evidence | None = None) -> URIRef:
        """An organisation node; a force named only through a fact gets that fact's evidence."""
        node = organisation_iri(self.gazetteer, slug)
        for cls in _classes(self.gazetteer, slug):
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(self.gazetteer.name_of(slug)))
        if evidence is not None and slug in self.gazetteer.forces and node not in self.annotated:
            self.evidenced(node, evidence)
        return node

    def forces(self) -> None:
        seen: set[str] = set()
        for mention in self.resolved.forces:
            if mention.force in seen:
                continue
            seen.add(mention.force)
            node = self.organisation(mention.force)
            self.add(self.article, SCHEMA.mentions, node)
            self.evidenced(node, mention.evidence)

    def judgements(self) -> None:
        g = self.gazetteer
        for judgement in self.resolved.judgements:
            force = self.organisation(judgement.force, judgement.evidence)
            inspection = inspection_iri(g, judgement.force, judgement.round)
            node = judgement_iri(g, judgement.force, judgement.round, judgement.area)
            self.add(inspection, RDF.type, PEEL.Inspection)
            self.add(inspection, PEEL.inspectedForce, force)
            self.add(inspection, PEEL.round, round_iri(g, judgement.round))
            self.add(
                inspection, RDFS.label, Literal(f"{g.forces[judgement.force].name}, {g.rounds[judgement.round].label}")
            )
            if judgement.round == self.resolved.round and self.resolved.inspectorate:
                self.add(inspection, PEEL.inspectorate, organisation_iri(g, self.resolved.inspectorate))
            self.evidenced(inspection, judgement.evidence)
            self.add(node, RDF.type, PEEL.Judgement)
            self.add(node, PEEL.inspection, inspection)
            self.add(node, PEEL.area, AREA[judgement.area])
            self.add(node, PEEL.grade, GRADE[judgement.grade])
            self.add(node, PEEL.current, Literal(judgement.current))
            label = (
                f"{g.forces[judgement.force].name}, {g.rounds[judgement.round].label}, {g.areas[judgement.area].label}"
            )
            self.add(node, RDFS.label, Literal(label))
            self.evidenced(node, judgement.evidence)

    def person(self, name: str) -> URIRef:
        node = person_iri(name)
        self.add(node, RDF.type, SCHEMA.Person)
        self.add(node, RDF.type, FOAF.Person)
        self.add(node, SCHEMA.name, Literal(name))
        self.add(node, RDFS.label, Literal(name))
        return node

    def posts(self) -> None:
        for post in self.resolved.posts:
            person = self.person(post.person)
            self.evidenced(person, post.evidence)
            organisation = self.organisation(post.organisation, post.evidence)
            membership = ID[f"membership/{slugify(post.person)}/{post.role}/{slugify(post.organisation)}"]
            self.add(membership, RDF.type, ORG.Membership)
            self.add(membership, ORG.member, person)
            self.add(membership, ORG.organization, organisation)
            self.add(membership, ORG.role, ROLE[post.role])
            role_label = self.gazetteer.posts[post.role].label
            self.add(
                membership,
                RDFS.label,
                Literal(f"{post.person}, {role_label}, {self.gazetteer.name_of(post.organisation)}"),
            )
            self.evidenced(membership, post.evidence)

    def speaker(self, speaker: str, evidence: Evidence) -> URIRef:
        kind, _, slug = speaker.partition(":")
        if slug and kind in ("organisation", "force", "inspectorate"):
            return self.organisation(slug, evidence)
        node = self.person(speaker)
        self.evidenced(node, evidence)
        return node

    def quotes(self) -> None:
        for quote in self.resolved.quotes:
            node = ID[f"quote/{self.short_id}/{quote.evidence.start}"]
            self.add(node, RDF.type, PEEL.Quote)
            self.add(node, SCHEMA.text, Literal(quote.text))
            self.add(node, PEEL.speaker, self.speaker(quote.speaker, quote.evidence))
            self.add(node, RDFS.label, Literal(_excerpt(quote.text)))
            self.evidenced(node, quote.evidence)

    def findings(self) -> None:
        for finding in self.resolved.findings:
            node = ID[f"finding/{self.short_id}/{finding.evidence.start}/{finding.kind}"]
            self.add(node, RDF.type, PEEL.Finding)
            self.add(node, PEEL.findingKind, KIND[finding.kind])
            self.add(node, SCHEMA.text, Literal(finding.text))
            self.add(
                node,
                RDFS.label,
                Literal(f"{self.gazetteer.finding_kinds[finding.kind].label}: {_excerpt(finding.text)}"),
            )
            if finding.force:
                self.add(node, PEEL.aboutForce, self.organisation(finding.force, finding.evidence))
                if self.resolved.round:
                    self.add(node, PEEL.inspection, inspection_iri(self.gazetteer, finding.force, self.resolved.round))
            self.evidenced(node, finding.evidence)

    def statistics(self) -> None:
        for statistic in self.resolved.statistics:
            node = ID[f"statistic/{self.short_id}/{_digest(statistic.evidence.start, statistic.value, statistic.unit)}"]
            self.add(node, RDF.type, PEEL.Statistic)
            self.add(node, PEEL.value, Literal(Decimal(statistic.value), datatype=XSD.decimal))
            self.add(node, PEEL.unit, Literal(statistic.unit))
            self.add(node, PEEL.measure, Literal(statistic.measure))
            self.add(node, RDFS.label, Literal(f"{statistic.value} {statistic.unit}"))
            force = statistic.force or self.resolved.main_force
            if force:
                self.add(node, PEEL.aboutForce, self.organisation(force, statistic.evidence))
            self.evidenced(node, statistic.evidence)


def triples(resolved: Resolved, gazetteer: Gazetteer | None = None) -> frozenset[Triple]:
    """The article's triples: every fact read from it, with evidence.

    >>> from peelgraph.model import Article, Resolved
    >>> len(triples(Resolved(Article("Text.", "a.txt"), None, None, None, None))) > 0
    True
    """
    builder = _Builder(resolved, gazetteer or load())
    for step in (
        builder.article_node,
        builder.forces,
        builder.judgements,
        builder.posts,
        builder.quotes,
        builder.findings,
        builder.statistics,
    ):
        step()
    return frozenset(builder.triples)


def to_rdf(resolved: Resolved, gazetteer: Gazetteer | None = None) -> Graph:
    """The article's graph: its triples() as an rdflib Graph, with the project's prefixes.

    >>> from peelgraph.model import Article, Resolved
    >>> graph = to_rdf(Resolved(Article("Text.", "a.txt"), None, None, None, None))
    >>> len(graph) > 0
    True
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples(resolved, gazetteer):
        graph.add(triple)
    return graph


def to_quads(article_triples: frozenset[Triple], graph_name: str) -> list[ox.Quad]:
    """The triples as Oxigraph quads in the named graph (each distinct term made once)."""
    graph, made = ox.NamedNode(graph_name), {}

    def term(node):
        found = made.get(node)
        if found is None:
            found = made[node] = _OXIGRAPH_TERMS[type(node)](node)
        return found

    return [ox.Quad(term(s), term(p), term(o), graph) for s, p, o in article_triples]


def _literal(literal: Literal) -> ox.Literal:
    if literal.language:
        return ox.Literal(str(literal), language=literal.language)
    if literal.datatype is not None:
        return ox.Literal(str(literal), datatype=ox.NamedNode(str(literal.datatype)))
    return ox.Literal(str(literal))


_OXIGRAPH_TERMS = {URIRef: lambda iri: ox.NamedNode(str(iri)), Literal: _literal}


def gazetteer_graph(gazetteer: Gazetteer | None = None) -> Graph:
    """Reference facts about every force and inspectorate: names, aliases, identifiers, owl:sameAs."""
    gazetteer = gazetteer or load()
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for force in gazetteer.forces.values():
        node = force_iri(force.slug)
        graph.add((node, RDF.type, PEEL.PoliceForce))
        graph.add((node, RDF.type, SCHEMA.GovernmentOrganization))
        graph.add((node, RDFS.label, Literal(force.name)))
        graph.add((node, SKOS.prefLabel, Literal(force.name, lang="en")))
        graph.add((node, PEEL.nation, Literal(force.nation)))
        for alias in force.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias, lang="en")))
        if force.welsh_name:
            graph.add((node, PEEL.welshName, Literal(force.welsh_name, lang="cy")))
        if force.ons_pfa_code:
            graph.add((node, PEEL.onsPoliceForceAreaCode, Literal(force.ons_pfa_code)))
        if force.police_uk_id:
            graph.add((node, PEEL.policeUkId, Literal(force.police_uk_id)))
        if force.wikidata_qid:
            graph.add((node, OWL.sameAs, WIKIDATA[force.wikidata_qid]))
    for body in gazetteer.inspectorates.values():
        node = organisation_iri(gazetteer, body.slug)
        graph.add((node, RDF.type, PEEL.Inspectorate))
        graph.add((node, RDFS.label, Literal(body.name)))
        graph.add((node, SKOS.prefLabel, Literal(body.name, lang="en")))
        graph.add((node, SKOS.altLabel, Literal(body.short_name, lang="en")))
        if body.successor:
            graph.add((node, PEEL.successor, organisation_iri(gazetteer, body.successor)))
        if body.founded:
            graph.add((node, SCHEMA.foundingDate, Literal(body.founded)))
        if body.dissolved:
            graph.add((node, SCHEMA.dissolutionDate, Literal(body.dissolved, datatype=XSD.date)))
    for body in gazetteer.organisations.values():
        node = organisation_iri(gazetteer, body.slug)
        graph.add((node, RDF.type, ORG.Organization))
        graph.add((node, RDFS.label, Literal(body.name)))
        for alias in body.aliases:
            graph.add((node, SKOS.altLabel, Literal(alias, lang="en")))
    return graph
