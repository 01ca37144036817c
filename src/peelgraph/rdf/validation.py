"""Stage 6: SHACL validation, of one article's graph before it is stored and of the whole store.

Each violation is reported in plain English with the shape that failed and, where the failing
node has evidence, the article, the sentence and the rule that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from peelgraph import gazetteer, resources
from peelgraph.errors import ResourceError
from peelgraph.rdf import workspace
from peelgraph.rdf.shacl_sparql import compile_shapes, message_for
from peelgraph.rdf.vocab import OA, ONTOLOGY_GRAPH, PEEL
from peelgraph.store.embedded import Store, graph_ntriples

SHAPES_NS = "https://w3id.org/peelgraph/shapes#"


@dataclass(frozen=True)
class Violation:
    shape: str  # the shape's id without its namespace, e.g. "OneGradeShape"
    message: str
    focus: str
    value: str | None
    article: str | None  # source file of the focus node's evidence
    sentence: str | None
    rule: str | None

    def describe(self) -> str:
        where = f"{self.article}: " if self.article else ""
        said = f' in "{_short(self.sentence)}" (rule {self.rule})' if self.sentence else ""
        value = f" [{self.value}]" if self.value else ""
        return f"{where}{self.message}{value} — {self.focus}{said} [{self.shape}]"


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]
    checked_triples: int

    def text(self) -> str:
        if self.conforms:
            return f"Conforms: {self.checked_triples} triples checked, no violations.\n"
        lines = [f"Does not conform: {len(self.violations)} violation(s) in {self.checked_triples} triples."]
        lines += [f"- {v.describe()}" for v in self.violations]
        return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cache
def shapes() -> Graph:
    file = resources.shapes_path()
    try:
        return Graph().parse(file, format="turtle")
    except Exception as error:
        raise ResourceError(f"{file}: cannot parse the shapes: {error}") from error


def _shape_id(shapes_graph: Graph, shape) -> str:
    if isinstance(shape, BNode):
        parent = next(shapes_graph.subjects(SH.property, shape), None) or next(
            shapes_graph.subjects(SH.sparql, shape), None
        )
        if parent is not None:
            shape = parent
    return str(shape).removeprefix(SHAPES_NS)


def _evidence(data: Graph, focus) -> tuple[str | None, str | None, str | None]:
    annotation = next(data.subjects(OA.hasBody, focus), None)
    if annotation is None and (focus, RDF.type, OA.Annotation) in data:
        annotation = focus
    if annotation is None:
        return None, None, None
    target = data.value(annotation, OA.hasTarget)
    article = data.value(target, OA.hasSource) if target is not None else None
    source = data.value(article, PEEL.sourceFile) if article is not None else None
    sentence = (
        next(
            (
                data.value(s, OA.exact)
                for s in data.objects(target, OA.hasSelector)
                if data.value(s, OA.exact) is not None
            ),
            None,
        )
        if target is not None
        else None
    )
    rule = data.value(annotation, PEEL.rule)
    return (str(source) if source else None, str(sentence) if sentence else None, str(rule) if rule else None)


def validate_graph(data: Graph, engine: str = "sparql") -> Report:
    """Check a graph (one article's, or several merged) against the shapes.

    The default engine runs the shapes compiled to SPARQL on Oxigraph; "pyshacl" runs pyshacl.
    Both give the same violations (tests/shapes checks every fixture with both).

    >>> from rdflib import Graph
    >>> validate_graph(Graph()).conforms
    True
    """
    try:
        return ENGINES[engine](data)
    except KeyError:
        raise ResourceError(f"unknown validation engine {engine!r}; choose from {', '.join(ENGINES)}") from None


def validate_held(store: ox.Store, name: str) -> Report:
    """Check the graph `name` held in a workspace (workspace.holding), with the ontology, by the
    SPARQL engine: the form ingest uses, to load each article once for validation and answers."""
    graph = ox.NamedNode(name)
    found = [
        (check, row)
        for check in compile_shapes(shapes())
        for row in store.query(check.query, default_graph=[graph, _ONTOLOGY], named_graphs=[graph])
    ]
    checked = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
    if not found:
        return _report([], checked)
    data = Graph().parse(data=graph_ntriples(store, name), format="nt")  # for the evidence of each violation
    return _report(
        [_violation(check, row, _evidence(data, URIRef(row["this"].value))) for check, row in found], checked
    )


def validate_article(name: str, ntriples: str) -> Report:
    """Check one article graph given as N-Triples."""
    with workspace.holding(name, ntriples) as store:
        return validate_held(store, name)


def _with_pyshacl(data: Graph) -> Report:
    from pyshacl import validate as shacl_validate  # imported only when this engine is chosen

    shapes_graph = shapes()
    combined = Graph()
    for graph in (data, gazetteer.ontology()):
        for triple in graph:
            combined.add(triple)
    conforms, results, _ = shacl_validate(
        combined,
        shacl_graph=shapes_graph,
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        article, sentence, rule = _evidence(data, focus)
        violations.append(
            Violation(
                shape=_shape_id(shapes_graph, results.value(result, SH.sourceShape)),
                message=str(results.value(result, SH.resultMessage)),
                focus=str(focus),
                value=str(value) if value is not None else None,
                article=article,
                sentence=sentence,
                rule=rule,
            )
        )
    return _report(violations, len(data))


def _with_sparql(data: Graph) -> Report:
    return validate_article(_VALIDATED, data.serialize(format="nt"))


def _report(violations: list[Violation], triples: int) -> Report:
    unique = sorted(set(violations), key=lambda v: (v.article or "", v.shape, v.focus, v.value or ""))
    return Report(conforms=not unique, violations=tuple(unique), checked_triples=triples)


def _violation(check, row, evidence: tuple[str | None, str | None, str | None]) -> Violation:
    try:
        value = row["value"]
    except KeyError:
        value = None
    article, sentence, rule = evidence
    return Violation(
        shape=str(check.shape).removeprefix(SHAPES_NS),
        message=message_for(check, row),
        focus=row["this"].value,
        value=value.value if value is not None else None,
        article=article,
        sentence=sentence,
        rule=rule,
    )


ENGINES = {"sparql": _with_sparql, "pyshacl": _with_pyshacl}
_VALIDATED = "urn:peelgraph:validated"
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))


EVIDENCE_OF = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX peel: <https://w3id.org/peelgraph/ontology#>
SELECT ?node (SAMPLE(?f) AS ?file) (SAMPLE(?e) AS ?exact) (SAMPLE(?r) AS ?rule) WHERE {
  VALUES ?node { %s }
  ?annotation oa:hasBody ?node ; peel:rule ?r ; oa:hasTarget ?target .
  ?target oa:hasSource ?article ; oa:hasSelector ?selector .
  ?selector oa:exact ?e . ?article peel:sourceFile ?f .
} GROUP BY ?node
"""


def validate_store(store: Store, engine: str = "sparql", full: bool = False) -> Report:
    """Check the store against the shapes.

    Each article's graph was checked on its own before it was stored, so by default only the
    constraints that articles can break together (one grade per judgement, one name per force...)
    are checked, as SPARQL over the union of all graphs: the cost is a few queries, however many
    articles. full=True checks every article graph again too (after hand edits with
    `query --update`, say); engine="pyshacl" runs pyshacl over the merged graph.
    """
    if engine == "pyshacl":
        return validate_graph(store.article_union(), engine)
    if engine not in ENGINES:
        return validate_graph(Graph(), engine)
    found = [
        (check, row) for check in compile_shapes(shapes()) if check.spans_articles for row in store.query(check.query)
    ]
    evidence = _evidence_for(store, {row["this"] for _, row in found if isinstance(row["this"], ox.NamedNode)})
    violations = [_violation(check, row, evidence.get(row["this"].value, (None, None, None))) for check, row in found]
    if full:
        for name in store.article_graphs():
            violations += validate_article(name, store.ntriples(name)).violations
    return _report(violations, store.triple_count())


def _evidence_for(store: Store, nodes: set, batch: int = 200) -> dict[str, tuple[str, str, str]]:
    ordered = sorted(nodes, key=lambda n: n.value)
    found = {}
    for start in range(0, len(ordered), batch):
        values = " ".join(f"<{n.value}>" for n in ordered[start : start + batch])
        for row in store.query(EVIDENCE_OF % values):
            found[row["node"].value] = (row["file"].value, row["exact"].value, row["rule"].value)
    return found
