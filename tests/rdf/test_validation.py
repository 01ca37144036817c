"""validation.validate over a store: which shapes run over the whole store, and which do not.

Each article graph is checked on its own before it is stored; over the store, the shapes that
articles can break together must run again, whatever kind of constraint they are (a SPARQL one
included), and the shapes on nodes only one article describes need not.
"""

import pytest
from rdflib import Graph

import peelgraph
from peelgraph.errors import ResourceError
from peelgraph.rdf import workspace
from peelgraph.rdf.shacl_sparql import compile_shapes
from peelgraph.rdf.to_rdf import force_iri, to_rdf
from peelgraph.rdf.validation import shapes, validate
from peelgraph.rdf.vocab import GRADE, OA, PEEL, ROUND, SHAPES

# Each article alone passes; together they rate one force both outstanding and inadequate in one
# round, which the test shape below forbids.
OUTSTANDING = peelgraph.Article("PEEL 2016: Kent Police was rated outstanding at legitimacy.", "outstanding.txt")
INADEQUATE = peelgraph.Article("PEEL 2016: Kent Police was rated inadequate at efficiency.", "inadequate.txt")

MIXED_GRADES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix peelsh: <{SHAPES}> .
@prefix peel: <{PEEL._NS}> .

peelsh:MixedGradesShape a sh:NodeShape ;
    sh:targetClass peel:PoliceForce ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:message "A force was rated both outstanding and inadequate in round {{?round}}." ;
        sh:prefixes peelsh: ;
        sh:select \"\"\"
            SELECT $this ?round WHERE {{
                ?inspection peel:inspectedForce $this ; peel:round ?round .
                ?high peel:inspection ?inspection ; peel:grade <{GRADE.outstanding}> .
                ?low peel:inspection ?inspection ; peel:grade <{GRADE.inadequate}> .
            }}\"\"\" ] .
"""

# Breaks every piece of evidence, each of which only its own article describes.
UNKNOWN_RULES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix peelsh: <{SHAPES}> .
@prefix peel: <{PEEL._NS}> .
@prefix oa: <{OA._NS}> .

peelsh:UnknownRuleShape a sh:NodeShape ;
    sh:targetClass oa:Annotation ;
    sh:property [ sh:path peel:rule ; sh:pattern "^no-such-rule$" ;
                  sh:message "Evidence names a rule this test does not know." ] .
"""


def with_test_shape(turtle: str) -> Graph:
    """peelgraph's shapes and one more (a new graph, so compiled on its own)."""
    return shapes() + Graph().parse(data=turtle, format="turtle")


@pytest.fixture(scope="module")
def store():
    with peelgraph.open_store() as opened:
        summary = peelgraph.ingest(opened, [OUTSTANDING, INADEQUATE], jobs=1)
        assert not summary.failed, summary.text()
        yield opened


def found(report) -> set[tuple[str, str]]:
    return {(v.shape, v.focus) for v in report.violations}


def test_the_store_conforms_to_peelgraphs_own_shapes(store):
    assert validate(store).conforms and validate(store, full=True).conforms


def test_a_cross_article_sparql_constraint_fires_over_the_store(store):
    mixed = with_test_shape(MIXED_GRADES)
    for name in store.article_graphs():  # each article passes alone
        assert validate(store, graph=name, shapes_graph=mixed).conforms, name
    report = validate(store, shapes_graph=mixed)
    assert found(report) == {("MixedGradesShape", str(force_iri("kent-police")))}
    (violation,) = report.violations
    assert violation.message == f"A force was rated both outstanding and inadequate in round {ROUND['2016']}."
    assert violation.article in {"outstanding.txt", "inadequate.txt"} and violation.rule
    assert found(validate(store, "pyshacl", shapes_graph=mixed)) == found(report)


def test_a_shape_on_nodes_of_one_article_is_not_run_again_over_the_store(store):
    unknown_rules = with_test_shape(UNKNOWN_RULES)
    checks = [c for c in compile_shapes(unknown_rules) if c.shape == SHAPES.UnknownRuleShape]
    assert checks and not any(c.spans_articles for c in checks)
    assert validate(store, shapes_graph=unknown_rules).conforms  # checked when each article was stored
    rechecked = validate(store, shapes_graph=unknown_rules, full=True)  # the data does break it
    assert {shape for shape, _ in found(rechecked)} == {"UnknownRuleShape"}
    assert {v.article for v in rechecked.violations} == {"outstanding.txt", "inadequate.txt"}


def test_sparql_constraints_run_over_the_store_whatever_they_target():
    """A SPARQL query can read nodes other articles describe, so its target does not make it local."""
    on_quotes = MIXED_GRADES.replace("peel:PoliceForce", "peel:Quote")
    checks = [c for c in compile_shapes(with_test_shape(on_quotes)) if c.shape == SHAPES.MixedGradesShape]
    assert checks and all(c.spans_articles for c in checks)


def test_a_workspace_is_checked_by_the_graph_it_names():
    name = "urn:test:article"
    with workspace.holding(name, to_rdf(peelgraph.extract(OUTSTANDING)).serialize(format="nt")) as held:
        assert validate(held, graph=name).conforms
        with pytest.raises(TypeError, match="graph="):
            validate(held)


def test_an_unknown_engine_is_one_clear_error(store):
    with pytest.raises(ResourceError, match="unknown validation engine 'jena'; choose from sparql, pyshacl"):
        validate(store, "jena")
