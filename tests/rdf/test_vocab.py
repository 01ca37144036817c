"""Every term peelgraph writes exists in the ontology with a label and a definition."""

from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from peelgraph.gazetteer import ontology
from peelgraph.rdf.vocab import BASE, PEEL


def _defined(term):
    graph = ontology()
    return graph.value(term, RDFS.label) is not None and graph.value(term, SKOS.definition) is not None


def test_every_closed_namespace_term_is_in_the_ontology():
    missing = [name for name in PEEL.__annotations__ if not _defined(PEEL[name])]
    assert missing == []


def test_every_ontology_term_has_a_label_and_definition():
    graph = ontology()
    ours = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)}
    assert ours and [s for s in ours if not _defined(s)] == []


def test_graph_uses_only_defined_terms(seed_store):
    graph = seed_store.article_union()
    used = {
        t
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(BASE) and "/id/" not in str(t)
    }
    assert used and [t for t in used if not _defined(t)] == []


def test_misspelt_term_fails_loudly():
    import pytest

    with pytest.raises(AttributeError):
        PEEL.grades  # noqa: B018
