"""The SHACL shapes, checked against small hand-made Turtle fixtures.

For every node shape declared in shapes/peel.shacl.ttl, tests/shapes/fixtures/ holds
``<ShapeId>-valid.ttl`` (a graph that conforms to all the shapes and contains a node the shape
targets) and ``<ShapeId>-invalid-NN.ttl`` (a graph whose first line is a comment saying what is
wrong with it, and which fails that shape and no other). The fixtures never contain ontology
triples: validation.validate adds the ontology itself.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from peelgraph import gazetteer
from peelgraph.rdf.validation import Report, validate
from peelgraph.rdf.vocab import SHAPES

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SHAPES_FILE = HERE.parents[1] / "shapes" / "peel.shacl.ttl"
FIXTURE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+Shape)-(?P<kind>valid|invalid-\d{2})\.ttl$")

# Parameters of a node shape that are not constraints of the node itself, so need no message there.
NON_CONSTRAINT = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.property,
    SH.sparql,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.declare,
    SH.prefixes,
    SH.order,
    SH.group,
}


@cache
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def shape_id(node) -> str:
    return str(node).removeprefix(str(SHAPES))


def shape_node(shape: str) -> URIRef:
    return SHAPES[shape]


@cache
def declared_shapes() -> tuple[str, ...]:
    graph = shapes_graph()
    return tuple(sorted(shape_id(s) for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)))


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.ttl"))


def valid_fixtures() -> list[Path]:
    return [p for p in fixture_files() if p.name.endswith("-valid.ttl")]


def invalid_fixtures() -> list[Path]:
    return [p for p in fixture_files() if "-invalid-" in p.name]


def expected_shape(path: Path) -> str:
    match = FIXTURE_NAME.match(path.name)
    assert match, f"{path.name}: fixture names are <ShapeId>-valid.ttl or <ShapeId>-invalid-NN.ttl"
    return match["shape"]


@cache
def load(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def report(path: Path, engine: str = "sparql") -> Report:
    return validate(load(path), engine)


@pytest.fixture(params=["sparql", "pyshacl"])
def engine(request):
    """Every check runs with both engines: the shapes compiled to SPARQL, and pyshacl."""
    return request.param


def failing(result: Report) -> set[str]:
    return {v.shape for v in result.violations}


def explain(result: Report) -> str:
    return "\n".join(f"  [{v.shape}] {v.message} focus={v.focus} value={v.value}" for v in result.violations)


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def message_patterns(shape: str) -> list[re.Pattern]:
    """The messages a shape can report; {?var} placeholders of SPARQL messages match any text."""
    graph = shapes_graph()
    node = shape_node(shape)
    constraints = [node, *graph.objects(node, SH.property), *graph.objects(node, SH.sparql)]
    patterns = []
    for constraint in constraints:
        for message in graph.objects(constraint, SH.message):
            parts = re.split(r"\{[?$]\w+\}", str(message))
            patterns.append(re.compile("^" + ".+".join(re.escape(part) for part in parts) + "$", re.S))
    return patterns


# ----------------------------------------------------------------------------- the fixture set


def test_the_shapes_file_declares_node_shapes():
    assert declared_shapes(), f"no sh:NodeShape found in {SHAPES_FILE}"


@pytest.mark.parametrize("shape", declared_shapes())
def test_every_shape_has_a_valid_and_an_invalid_fixture(shape):
    assert (FIXTURES / f"{shape}-valid.ttl").is_file(), f"missing {shape}-valid.ttl"
    assert sorted(FIXTURES.glob(f"{shape}-invalid-*.ttl")), f"missing {shape}-invalid-01.ttl"


@pytest.mark.parametrize("path", fixture_files(), ids=ids(fixture_files()))
def test_fixture_is_named_after_a_declared_shape(path):
    assert expected_shape(path) in declared_shapes(), (
        f"{path.name}: no shape {expected_shape(path)} in {SHAPES_FILE.name}"
    )


@pytest.mark.parametrize("path", fixture_files(), ids=ids(fixture_files()))
def test_fixture_holds_no_ontology_triples(path):
    ontology_subjects = set(gazetteer.ontology().subjects())
    repeated = sorted(str(s) for s in set(load(path).subjects()) & ontology_subjects)
    assert not repeated, f"{path.name} describes ontology terms, which validation adds itself: {repeated}"


# ----------------------------------------------------------------------------- valid fixtures


@pytest.mark.parametrize("path", valid_fixtures(), ids=ids(valid_fixtures()))
def test_valid_fixture_conforms(path, engine):
    result = report(path, engine)
    assert result.conforms and not result.violations, f"{path.name} should conform:\n{explain(result)}"


@pytest.mark.parametrize("path", valid_fixtures(), ids=ids(valid_fixtures()))
def test_valid_fixture_exercises_its_shape(path):
    """The fixture contains at least one node of a class the shape targets."""
    shape = expected_shape(path)
    classes = set(shapes_graph().objects(shape_node(shape), SH.targetClass))
    assert classes, f"{shape} has no sh:targetClass"
    data = load(path) + gazetteer.ontology()
    focus = {
        node
        for cls in classes
        for sub in data.transitive_subjects(RDFS.subClassOf, cls)
        for node in data.subjects(RDF.type, sub)
    }
    assert focus, f"{path.name} has no node of the classes {shape} targets: {sorted(map(str, classes))}"


# ----------------------------------------------------------------------------- invalid fixtures


@pytest.mark.parametrize("path", invalid_fixtures(), ids=ids(invalid_fixtures()))
def test_invalid_fixture_starts_with_its_reason(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and len(first.lstrip("# ").strip()) > 10, (
        f"{path.name}: the first line must be a comment saying why the graph is invalid"
    )


@pytest.mark.parametrize("path", invalid_fixtures(), ids=ids(invalid_fixtures()))
def test_invalid_fixture_fails_only_its_shape(path, engine):
    shape = expected_shape(path)
    result = report(path, engine)
    assert not result.conforms, f"{path.name} should not conform"
    assert failing(result) == {shape}, f"{path.name} should fail only {shape}:\n{explain(result)}"


@pytest.mark.parametrize("path", invalid_fixtures(), ids=ids(invalid_fixtures()))
def test_invalid_fixture_reports_the_shapes_own_message(path, engine):
    """Each violation carries one of the shape's sh:message texts, placeholders filled in."""
    shape = expected_shape(path)
    patterns = message_patterns(shape)
    for violation in report(path, engine).violations:
        assert any(p.match(violation.message) for p in patterns), (
            f"{path.name}: {violation.message!r} is not a message of {shape}"
        )
        assert "{?" not in violation.message and "{$" not in violation.message


# ----------------------------------------------------------------------------- messages in the shapes


@pytest.mark.parametrize("shape", declared_shapes())
def test_every_shape_and_property_shape_has_a_message(shape):
    """Every way a shape can fail says what is wrong in its own words.

    The node shapes put their messages on their constraints: each property shape and each SPARQL
    constraint needs an sh:message, and a node shape with constraints of its own (sh:class,
    sh:datatype, sh:not and so on directly on the node) needs an sh:message itself.
    """
    graph = shapes_graph()
    node = shape_node(shape)
    missing = []
    own_constraints = {p for p in graph.predicates(node, None) if p.startswith(str(SH)) and p not in NON_CONSTRAINT}
    if own_constraints and graph.value(node, SH.message) is None:
        missing.append(f"{shape} itself (it has {sorted(map(str, own_constraints))})")
    properties = list(graph.objects(node, SH.property))
    sparqls = list(graph.objects(node, SH.sparql))
    for prop in properties:
        if graph.value(prop, SH.message) is None:
            missing.append(f"{shape} property shape on {graph.value(prop, SH.path)}")
    for sparql in sparqls:
        if graph.value(sparql, SH.message) is None:
            missing.append(f"{shape} SPARQL constraint")
    assert own_constraints or properties or sparqls, f"{shape} checks nothing"
    assert not missing, f"no sh:message on: {missing}"


def test_every_property_shape_in_the_file_has_a_message():
    """Property shapes are found by their sh:path, wherever they sit in the file."""
    graph = shapes_graph()
    missing = [
        f"{shape_id(next(graph.subjects(SH.property, prop), prop))} on {path}"
        for prop, path in graph.subject_objects(SH.path)
        if graph.value(prop, SH.message) is None
    ]
    assert not missing, f"property shapes without sh:message: {missing}"
    # and every node shape is declared with an IRI, so its id appears in reports
    assert not [s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, BNode)]


@pytest.mark.parametrize("path", fixture_files(), ids=ids(fixture_files()))
def test_both_engines_find_the_same_violations(path):
    def found(engine):
        return {(v.shape, v.focus) for v in report(path, engine).violations}

    assert found("sparql") == found("pyshacl")
