"""The shapes compiled to SPARQL: which checks must run over the whole store."""

from rdflib import URIRef

from peelgraph.rdf.shacl_sparql import compile_shapes
from peelgraph.rdf.to_rdf import ARTICLE_SCOPED
from peelgraph.rdf.validation import shapes

SHAPES = "https://w3id.org/peelgraph/shapes#"


def test_nodes_of_article_scoped_classes_are_described_by_one_article_graph_only(seed_store):
    classes = " ".join(f"<{c}>" for c in ARTICLE_SCOPED)
    rows = list(
        seed_store.query(
            f"SELECT ?node (COUNT(DISTINCT ?g) AS ?graphs) WHERE {{ VALUES ?class {{ {classes} }} "
            f"GRAPH ?typed {{ ?node a ?class }} GRAPH ?g {{ ?node ?p ?o }} }} GROUP BY ?node"
        )
    )
    assert len(rows) > 500  # evidence of every fact of the seeds and samples
    assert all(int(row["graphs"].value) == 1 for row in rows)


def test_shared_nodes_are_described_by_several_article_graphs(seed_store):
    """The contrast that makes the test above mean something: forces and people do meet."""
    rows = list(
        seed_store.query(
            "SELECT ?node WHERE { GRAPH ?g { ?node a <https://w3id.org/peelgraph/ontology#PoliceForce> } } "
            "GROUP BY ?node HAVING (COUNT(DISTINCT ?g) > 1)"
        )
    )
    assert rows


def test_only_constraints_on_shared_nodes_are_checked_across_articles():
    spanning = {check.shape for check in compile_shapes(shapes()) if check.spans_articles}
    local = {check.shape for check in compile_shapes(shapes()) if not check.spans_articles}
    assert URIRef(SHAPES + "JudgementShape") in spanning and URIRef(SHAPES + "ForceShape") in spanning
    assert not spanning & {
        URIRef(SHAPES + s)
        for s in (
            "AnnotationShape",
            "TargetShape",
            "QuoteSelectorShape",
            "PositionSelectorShape",
            "QuoteShape",
            "ArticleShape",
        )
    }
    assert URIRef(SHAPES + "AnnotationShape") in local
