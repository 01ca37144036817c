"""Closed namespaces for every term peelgraph writes: a misspelt term fails at import time.

The project's own terms are defined in ontology/peel.ttl; a test checks that every term
listed here exists there with a label and a definition.
"""

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/peelgraph/"


class PEEL(DefinedNamespace):
    _NS = Namespace(BASE + "ontology#")
    _fail = True

    PoliceForce: URIRef
    Inspectorate: URIRef
    Inspection: URIRef
    Judgement: URIRef
    Finding: URIRef
    Quote: URIRef
    Statistic: URIRef
    Article: URIRef
    Round: URIRef
    Area: URIRef
    Grade: URIRef
    FindingKind: URIRef
    Post: URIRef

    inspectedForce: URIRef
    round: URIRef
    inspectorate: URIRef
    inspection: URIRef
    area: URIRef
    grade: URIRef
    current: URIRef
    findingKind: URIRef
    aboutForce: URIRef
    speaker: URIRef
    value: URIRef
    unit: URIRef
    measure: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    outlet: URIRef
    rule: URIRef
    confidence: URIRef
    gradeScale: URIRef
    rank: URIRef
    sequence: URIRef
    reportsFrom: URIRef
    reportsUntil: URIRef
    gradedIn: URIRef
    coversTheme: URIRef
    matchLabel: URIRef
    welshName: URIRef
    onsPoliceForceAreaCode: URIRef
    policeUkId: URIRef
    nation: URIRef
    successor: URIRef


class OA(DefinedNamespace):
    """The Web Annotation terms peelgraph uses for evidence."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    exact: URIRef
    start: URIRef
    end: URIRef
    motivatedBy: URIRef
    identifying: URIRef
    describing: URIRef


class SCHEMA(DefinedNamespace):
    """The schema.org terms peelgraph uses (rdflib's own SDO is open)."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    NewsArticle: URIRef
    Person: URIRef
    Organization: URIRef
    GovernmentOrganization: URIRef
    Quotation: URIRef
    name: URIRef
    headline: URIRef
    url: URIRef
    datePublished: URIRef
    mentions: URIRef
    text: URIRef
    creator: URIRef
    identifier: URIRef
    alternateName: URIRef
    foundingDate: URIRef
    dissolutionDate: URIRef


GRADE = Namespace(BASE + "grade/")
AREA = Namespace(BASE + "area/")
ROUND = Namespace(BASE + "round/")
KIND = Namespace(BASE + "finding-kind/")
ROLE = Namespace(BASE + "role/")
SCHEME = Namespace(BASE + "scheme/")
ID = Namespace(BASE + "id/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")

GAZETTEER_GRAPH = URIRef(BASE + "graph/gazetteer")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")

PREFIXES = {
    "peel": PEEL._NS,
    "grade": GRADE,
    "area": AREA,
    "round": ROUND,
    "kind": KIND,
    "role": ROLE,
    "scheme": SCHEME,
    "id": ID,
    "oa": OA._NS,
    "schema": SCHEMA._NS,
    "prov": PROV._NS,
    "org": ORG._NS,
    "skos": SKOS._NS,
    "foaf": FOAF._NS,
    "dcterms": DCTERMS._NS,
    "owl": OWL._NS,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "xsd": XSD._NS,
    "wd": WIKIDATA,
}


class KEPT(DefinedNamespace):
    """peelgraph's bookkeeping in a store's default graph, not facts: each article graph's answers to
    the named queries (one literal of rows per query) and what they were worked out with."""

    _NS = Namespace(BASE + "kept#")
    _fail = True

    answersDigest: URIRef
    nquads: URIRef
    conflicts: URIRef
    findings: URIRef
    judgements: URIRef
    people: URIRef
    quotes: URIRef
    statistics: URIRef
    timeline: URIRef


STORE_STATE = URIRef(BASE + "kept#store")
MERGED_ANSWERS = URIRef(BASE + "kept#merged")  # answers merged over the whole store, by query


GRAPH = Namespace(BASE + "graph/")
# Prefixes for SPARQL text peelgraph runs: those of its RDF, and graph: for the reference graphs.
SPARQL_PREFIXES = {**PREFIXES, "graph": GRAPH}


def with_prefixes(sparql: str) -> str:
    """SPARQL text with PREFIX declarations for every prefix of SPARQL_PREFIXES it uses."""
    used = [name for name in SPARQL_PREFIXES if re.search(rf"(?<![\w<#/.]){name}:", sparql)]
    return "".join(f"PREFIX {name}: <{SPARQL_PREFIXES[name]}>\n" for name in used) + sparql


# The shapes' own namespace (shapes/peel.shacl.ttl): a report names a shape by its id in it.
SHAPES = Namespace(BASE + "shapes#")
