"""The article's triples: one set, as an rdflib Graph and as Oxigraph quads."""

import pyoxigraph as ox
import pytest
from conftest import SAMPLES
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from peelgraph.extraction import extract
from peelgraph.extraction.resolve import resolve
from peelgraph.rdf.to_rdf import article_iri, to_quads, to_rdf, triples
from peelgraph.reading.read import read_path


@pytest.fixture(scope="module")
def resolved():
    return resolve(extract(read_path(SAMPLES / "2018-19-cleveland-integrated.md")))


def test_the_graph_holds_exactly_the_triples(resolved):
    article_triples = triples(resolved)
    graph = to_rdf(resolved)
    assert set(graph) == set(article_triples) and len(graph) == len(article_triples) > 100
    assert dict(graph.namespaces())["peel"] == URIRef("https://w3id.org/peelgraph/ontology#")


def test_quads_are_the_triples_in_the_article_graph(resolved):
    article_triples = triples(resolved)
    name = str(article_iri(resolved.article))
    quads = to_quads(article_triples, name)
    assert len(quads) == len(article_triples) and {q.graph_name for q in quads} == {ox.NamedNode(name)}
    from_quads, from_graph = ox.Store(), ox.Store()  # both as Oxigraph holds them (canonical literals)
    from_quads.extend(quads)
    from_graph.load(
        to_rdf(resolved).serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name)
    )
    assert set(from_quads) == set(from_graph)


def test_every_kind_of_literal_keeps_its_datatype_or_language():
    name = "urn:g"
    subject, predicate = URIRef("urn:s"), URIRef("urn:p")
    literals = [
        Literal("plain"),
        Literal("Heddlu", lang="cy"),
        Literal(12, datatype=XSD.integer),
        Literal("0.85", datatype=XSD.decimal),
        Literal(True),
        Literal('say "hi"\nnext line'),
    ]
    quads = to_quads(frozenset((subject, predicate, o) for o in literals), name)
    objects = {q.object for q in quads}
    assert objects == {
        ox.Literal("plain"),
        ox.Literal("Heddlu", language="cy"),
        ox.Literal("12", datatype=ox.NamedNode(str(XSD.integer))),
        ox.Literal("0.85", datatype=ox.NamedNode(str(XSD.decimal))),
        ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean))),
        ox.Literal('say "hi"\nnext line'),
    }


def test_a_force_gets_the_evidence_of_its_first_mention_only(resolved):
    graph = to_rdf(resolved)
    force = URIRef("https://w3id.org/peelgraph/id/force/cleveland-police")
    annotations = list(graph.subjects(URIRef("http://www.w3.org/ns/oa#hasBody"), force))
    assert len(annotations) == 1
