"""The SHACL shapes as SPARQL queries, run by Oxigraph: the same violations as pyshacl, in a
fraction of the time, and over a whole store without loading it into memory.

Only the constructs shapes/peel.shacl.ttl uses are compiled: sh:targetClass; property shapes with
an IRI or inverse path and sh:minCount, sh:maxCount, sh:datatype, sh:class, sh:pattern,
sh:minLength, sh:minInclusive, sh:maxInclusive, sh:lessThan, and sh:qualifiedValueShape with
sh:class and sh:qualifiedMinCount; and SPARQL-based constraints. Anything else fails loudly, so a
new shape cannot be silently skipped. tests/shapes checks that both engines agree on every fixture.

Which checks must run over the whole store follows from the shapes' targets (Check.spans_articles):
each article graph is checked on its own before it is stored, and a node of a class whose nodes are
minted inside one article (to_rdf.ARTICLE_SCOPED: its evidence, quotes, findings...) is described
by that article's graph alone, so what a property shape says of it cannot change when the graphs
are merged. Every other node (a force, a person, a post, an inspection, a judgement) can be
described by several articles, and every constraint on it, of whatever kind, can fail on their
union while each article passes. A SPARQL constraint can read any node, so it is run over the
whole store whatever it targets (Check.from_sparql; validation runs those over a deduplicated copy
of what the articles say about shared nodes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from peelgraph.errors import ResourceError
from peelgraph.rdf.to_rdf import ARTICLE_SCOPED
from peelgraph.rdf.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH


@dataclass(frozen=True)
class Check:
    """One SPARQL query that selects ?this (and ?value) for every violation of one constraint."""

    shape: URIRef
    message: str
    query: str
    spans_articles: bool = False  # can fail on the union of article graphs that each pass alone
    from_sparql: bool = False  # a SPARQL-based constraint: its query may read any node


def _term(node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ResourceError(f"shapes: cannot compile {node!r}")


RDF_TYPE = _term(RDF.type)
REFERENCE = f"{_term(ONTOLOGY_GRAPH)}, {_term(GAZETTEER_GRAPH)}"


def _path(shapes: Graph, path) -> str:
    if isinstance(path, URIRef):
        return _term(path)
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return f"^{_term(inverse)}"
    raise ResourceError(f"shapes: unsupported sh:path {path!r}")


def _subclasses(cls) -> tuple[URIRef, ...]:
    """The class and its subclasses in the ontology, so instance checks need no path search over the
    data (rdf:type/rdfs:subClassOf* is slow over thousands of graphs)."""
    from peelgraph.gazetteer import ontology

    return tuple(sorted(set(ontology().transitive_subjects(RDFS.subClassOf, cls)) | {cls}))


def _one_of(classes) -> str:
    return " ".join(_term(c) for c in classes)


def _instances(target: URIRef) -> str:
    """Focus nodes: instances typed in an article graph, each once (a node several articles describe
    is typed in each of their graphs). The queries run over the union of all graphs (one index
    lookup a pattern, however many articles), so the reference graphs, which describe every force,
    are left out here."""
    return (
        f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?targetClass {{ {_one_of(_subclasses(target))} }} "
        f"GRAPH ?focusGraph {{ ?this {RDF_TYPE} ?targetClass }} FILTER(?focusGraph NOT IN ({REFERENCE})) }} }}"
    )


def _of_class(variable: str, cls) -> str:
    return f"EXISTS {{ VALUES ?class_ {{ {_one_of(_subclasses(cls))} }} {variable} {RDF_TYPE} ?class_ }}"


def can_be_shared(target: URIRef) -> bool:
    """Whether several articles can describe the same focus node of this target class: unless the
    class and each of its subclasses are minted inside one article (to_rdf.ARTICLE_SCOPED)."""
    return not set(_subclasses(target)) <= set(ARTICLE_SCOPED)


@dataclass(frozen=True)
class _PropertyShape:
    """What the queries of one property shape, on one target class, are made from."""

    shapes: Graph
    node: object  # the property shape
    focus: str  # the pattern binding ?this to each focus node
    path: str

    @property
    def values(self) -> str:
        """The pattern binding ?this and each ?value on the path."""
        return f"{self.focus} ?this {self.path} ?value ."

    def values_where(self, breaks: str) -> str:
        return f"SELECT DISTINCT ?this ?value WHERE {{ {self.values} FILTER({breaks}) }}"

    def counted_below(self, least: int, value_filter: str = "") -> str:
        return (
            f"SELECT ?this WHERE {{ {self.focus} OPTIONAL {{ ?this {self.path} ?value {value_filter} }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {least})"
        )


def _min_count(shape: _PropertyShape, count) -> str | None:
    least = int(count)
    if least == 1:
        return f"SELECT DISTINCT ?this WHERE {{ {shape.focus} FILTER NOT EXISTS {{ ?this {shape.path} ?value }} }}"
    return shape.counted_below(least) if least > 1 else None


def _max_count(shape: _PropertyShape, count) -> str:
    return f"SELECT ?this WHERE {{ {shape.values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(count)})"


def _less_than(shape: _PropertyShape, other) -> str:
    return (
        f"SELECT DISTINCT ?this ?value WHERE {{ {shape.values} ?this {_term(other)} ?other "
        f"FILTER(!(?value < ?other)) }}"
    )


def _qualified_min_count(shape: _PropertyShape, qualified) -> str:
    cls = shape.shapes.value(qualified, SH["class"])
    if cls is None or set(shape.shapes.predicates(qualified)) - {SH["class"]}:
        raise ResourceError(f"shapes: {shape.node}: only sh:class is supported inside sh:qualifiedValueShape")
    least = int(shape.shapes.value(shape.node, SH.qualifiedMinCount) or 0)
    return shape.counted_below(least, f"FILTER({_of_class('?value', cls)})")


# Each constraint parameter of a property shape -> the query selecting the focus nodes (and values)
# that break it, from the property shape and the parameter's value (None: nothing can break it).
CONSTRAINTS: dict[URIRef, Callable[[_PropertyShape, object], str | None]] = {
    SH.datatype: lambda shape, d: shape.values_where(f"!isLiteral(?value) || datatype(?value) != {_term(d)}"),
    SH["class"]: lambda shape, c: shape.values_where(f"!{_of_class('?value', c)}"),
    SH.pattern: lambda shape, p: shape.values_where(
        f"isBlank(?value) || !regex(str(?value), {_term(Literal(str(p)))})"
    ),
    SH.minLength: lambda shape, n: shape.values_where(f"isBlank(?value) || strlen(str(?value)) < {int(n)}"),
    SH.minInclusive: lambda shape, n: shape.values_where(f"!(?value >= {_term(n)})"),
    SH.maxInclusive: lambda shape, n: shape.values_where(f"!(?value <= {_term(n)})"),
    SH.lessThan: _less_than,
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH.qualifiedValueShape: _qualified_min_count,
}
# What else a property shape may say: read by the constraints above, or not a constraint.
SUPPORTED = set(CONSTRAINTS) | {SH.path, SH.qualifiedMinCount, SH.message}


def _property_checks(shapes: Graph, node_shape: URIRef, target: URIRef, property_shape) -> list[Check]:
    unsupported = set(shapes.predicates(property_shape)) - SUPPORTED
    if unsupported:
        raise ResourceError(
            f"shapes: {node_shape} uses {sorted(map(str, unsupported))}, which the SPARQL engine cannot check"
        )
    shape = _PropertyShape(
        shapes, property_shape, _instances(target), _path(shapes, shapes.value(property_shape, SH.path))
    )
    message = str(shapes.value(property_shape, SH.message) or f"{node_shape} violated")
    queries = (
        build(shape, value)
        for parameter, build in CONSTRAINTS.items()
        for value in shapes.objects(property_shape, parameter)
    )
    spans = can_be_shared(target)
    return [Check(node_shape, message, query, spans) for query in queries if query is not None]


def _sparql_checks(shapes: Graph, node_shape: URIRef, target: URIRef, constraint) -> list[Check]:
    select = str(shapes.value(constraint, SH.select))
    prefixes = "".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for holder in shapes.objects(constraint, SH.prefixes)
        for d in shapes.objects(holder, SH.declare)
    )
    body = select.replace("$this", "?this")
    where = body.index("{")
    query = body[: where + 1] + f" {_instances(target)} " + body[where + 1 :]
    message = str(shapes.value(constraint, SH.message))
    return [Check(node_shape, message, prefixes + query, spans_articles=True, from_sparql=True)]


@cache
def compile_shapes(shapes: Graph) -> tuple[Check, ...]:
    """Every constraint of every node shape as a SPARQL query (a shapes graph is compiled once:
    do not change it afterwards)."""
    checks: list[Check] = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        for target in sorted(shapes.objects(node_shape, SH.targetClass)):
            for property_shape in shapes.objects(node_shape, SH.property):
                checks += _property_checks(shapes, node_shape, target, property_shape)
            for constraint in shapes.objects(node_shape, SH.sparql):
                checks += _sparql_checks(shapes, node_shape, target, constraint)
    return tuple(checks)


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def message_for(check: Check, row) -> str:
    """The check's message with its {?var} placeholders filled from the result row (empty when the
    variable is not bound), as pyshacl fills them."""

    def bound(match: re.Match) -> str:
        try:
            value = row[match[1]]
        except KeyError:
            value = None
        return value.value if value is not None else ""

    return _PLACEHOLDER.sub(bound, check.message)
