"""The shapes compiled to SPARQL: which checks must run over the whole store."""

from rdflib.namespace import SH

from peelgraph.rdf.shacl_sparql import can_be_shared, compile_shapes
from peelgraph.rdf.to_rdf import ARTICLE_SCOPED
from peelgraph.rdf.validation import shapes
from peelgraph.rdf.vocab import PEEL, SHAPES


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
            f"SELECT ?node WHERE {{ GRAPH ?g {{ ?node a <{PEEL.PoliceForce}> }} }} "
            "GROUP BY ?node HAVING (COUNT(DISTINCT ?g) > 1)"
        )
    )
    assert rows


def test_only_constraints_on_shared_nodes_are_checked_across_articles():
    spanning = {check.shape for check in compile_shapes(shapes()) if check.spans_articles}
    local = {check.shape for check in compile_shapes(shapes()) if not check.spans_articles}
    assert {SHAPES.JudgementShape, SHAPES.ForceShape, SHAPES.PersonShape, SHAPES.MembershipShape} <= spanning
    article_scoped = {
        SHAPES[s]
        for s in ("AnnotationShape", "TargetShape", "QuoteSelectorShape", "PositionSelectorShape", "QuoteShape")
    } | {SHAPES.ArticleShape}
    assert not spanning & article_scoped
    assert article_scoped <= local


def test_every_constraint_on_nodes_articles_share_spans_articles():
    """Whatever its kind (counts, classes, datatypes, SPARQL), a constraint whose focus nodes several
    articles can describe is checked over the whole store: decided by the shape's targets alone."""
    graph = shapes()
    for check in compile_shapes(graph):
        targets = set(graph.objects(check.shape, SH.targetClass))
        if all(can_be_shared(t) for t in targets):
            assert check.spans_articles, (check.shape, check.query)


def test_sparql_constraints_span_articles():
    """The SPARQL-based shapes (grades on their round's scale, areas graded in their round) are
    checked over the whole store: their queries read nodes several articles describe."""
    sparql_shapes = {shape for shape in shapes().subjects(SH.sparql, None)}
    assert {SHAPES.GradeScaleShape, SHAPES.AreaRoundShape} <= sparql_shapes
    checks = [check for check in compile_shapes(shapes()) if check.shape in sparql_shapes]
    assert checks and all(check.spans_articles for check in checks)


def test_which_targets_can_be_shared():
    assert all(can_be_shared(c) for c in (PEEL.PoliceForce, PEEL.Judgement, PEEL.Inspection))
    assert not any(can_be_shared(c) for c in ARTICLE_SCOPED)
