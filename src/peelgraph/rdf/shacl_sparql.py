"""The SHACL shapes as SPARQL queries, run by Oxigraph: the same violations as pyshacl, in a
fraction of the time, and over a whole store without loading it into memory.

Only the constructs shapes/peel.shacl.ttl uses are compiled: sh:targetClass; property shapes with
an IRI or inverse path and sh:minCount, sh:maxCount, sh:datatype, sh:class, sh:pattern,
sh:minLength, sh:minInclusive, sh:maxInclusive, sh:lessThan, and sh:qualifiedValueShape with
sh:class and sh:qualifiedMinCount; and SPARQL-based constraints. Anything else fails loudly, so a
new shape cannot be silently skipped. tests/shapes checks that both engines agree on every fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from peelgraph.errors import ResourceError
from peelgraph.rdf.to_rdf import ARTICLE_SCOPED

SUPPORTED = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.pattern,
    SH.minLength,
    SH.minInclusive,
    SH.maxInclusive,
    SH.lessThan,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.message,
}
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


@dataclass(frozen=True)
class Check:
    """One SPARQL query that selects ?this (and ?value) for every violation of one constraint."""

    shape: URIRef
    message: str
    query: str
    spans_articles: bool = False  # can fail on the union of article graphs that each pass alone


def _term(node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ResourceError(f"shapes: cannot compile {node!r}")


def _path(shapes: Graph, path) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return f"^<{inverse}>"
    raise ResourceError(f"shapes: unsupported sh:path {path!r}")


def _subclasses(cls) -> list[str]:
    """The class and its subclasses in the ontology, so instance checks need no path search over the
    data (rdf:type/rdfs:subClassOf* is slow over thousands of graphs)."""
    from peelgraph.gazetteer import ontology

    found = set(ontology().transitive_subjects(RDFS.subClassOf, cls)) | {cls}
    return sorted(_term(c) for c in found)


REFERENCE = "<https://w3id.org/peelgraph/graph/ontology>, <https://w3id.org/peelgraph/graph/gazetteer>"


def _instances(target: URIRef) -> str:
    """Focus nodes: instances typed in an article graph. The queries run over the union of all
    graphs (one index lookup a pattern, however many articles), so the reference graphs, which
    describe every force, are left out here."""
    return (
        f"VALUES ?targetClass {{ {' '.join(_subclasses(target))} }} "
        f"GRAPH ?focusGraph {{ ?this {RDF_TYPE} ?targetClass }} FILTER(?focusGraph NOT IN ({REFERENCE}))"
    )


def _of_class(variable: str, cls) -> str:
    return f"EXISTS {{ VALUES ?class_ {{ {' '.join(_subclasses(cls))} }} {variable} {RDF_TYPE} ?class_ }}"


def _property_checks(shapes: Graph, node_shape: URIRef, target: URIRef, property_shape) -> list[Check]:
    unsupported = {p for p in shapes.predicates(property_shape)} - SUPPORTED
    if unsupported:
        raise ResourceError(
            f"shapes: {node_shape} uses {sorted(map(str, unsupported))}, which the SPARQL engine cannot check"
        )
    path = _path(shapes, shapes.value(property_shape, SH.path))
    message = str(shapes.value(property_shape, SH.message) or f"{node_shape} violated")
    target_pattern = _instances(target)
    value = f"{target_pattern} ?this {path} ?value ."
    filters = []
    value_of = shapes.value
    if (d := value_of(property_shape, SH.datatype)) is not None:
        filters.append(f"!isLiteral(?value) || datatype(?value) != {_term(d)}")
    if (c := value_of(property_shape, SH["class"])) is not None:
        filters.append(f"!{_of_class('?value', c)}")
    if (p := value_of(property_shape, SH.pattern)) is not None:
        filters.append(f"isBlank(?value) || !regex(str(?value), {Literal(str(p)).n3()})")
    if (n := value_of(property_shape, SH.minLength)) is not None:
        filters.append(f"isBlank(?value) || strlen(str(?value)) < {int(n)}")
    if (n := value_of(property_shape, SH.minInclusive)) is not None:
        filters.append(f"!(?value >= {_term(n)})")
    if (n := value_of(property_shape, SH.maxInclusive)) is not None:
        filters.append(f"!(?value <= {_term(n)})")
    checks = [
        Check(node_shape, message, f"SELECT DISTINCT ?this ?value WHERE {{ {value} FILTER({f}) }}") for f in filters
    ]
    if (other := value_of(property_shape, SH.lessThan)) is not None:
        checks.append(
            Check(
                node_shape,
                message,
                f"SELECT DISTINCT ?this ?value WHERE {{ {value} ?this {_term(other)} ?other FILTER(!(?value < ?other)) }}",
            )
        )
    if (n := value_of(property_shape, SH.minCount)) is not None and int(n) == 1:
        checks.append(
            Check(
                node_shape,
                message,
                f"SELECT DISTINCT ?this WHERE {{ {target_pattern} FILTER NOT EXISTS {{ ?this {path} ?value }} }}",
            )
        )
    elif n is not None:
        checks.append(
            Check(
                node_shape,
                message,
                f"SELECT ?this WHERE {{ {target_pattern} OPTIONAL {{ ?this {path} ?value }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(n)})",
            )
        )
    if (n := value_of(property_shape, SH.maxCount)) is not None:
        checks.append(
            Check(
                node_shape,
                message,
                f"SELECT ?this WHERE {{ {value} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(n)})",
                target not in ARTICLE_SCOPED,
            )
        )
    if (qualified := value_of(property_shape, SH.qualifiedValueShape)) is not None:
        cls = shapes.value(qualified, SH["class"])
        least = int(value_of(property_shape, SH.qualifiedMinCount) or 0)
        if cls is None or set(shapes.predicates(qualified)) - {SH["class"]}:
            raise ResourceError(f"shapes: {node_shape}: only sh:class is supported inside sh:qualifiedValueShape")
        checks.append(
            Check(
                node_shape,
                message,
                f"SELECT ?this WHERE {{ {target_pattern} OPTIONAL {{ ?this {path} ?value FILTER({_of_class('?value', cls)}) }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {least})",
            )
        )
    return checks


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
    return [Check(node_shape, str(shapes.value(constraint, SH.message)), prefixes + query)]


@cache
def compile_shapes(shapes: Graph) -> tuple[Check, ...]:
    """Every constraint of every node shape as a SPARQL query."""
    checks: list[Check] = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        targets = sorted(shapes.objects(node_shape, SH.targetClass))
        for target in targets:
            for property_shape in shapes.objects(node_shape, SH.property):
                checks += _property_checks(shapes, node_shape, target, property_shape)
            for constraint in shapes.objects(node_shape, SH.sparql):
                checks += _sparql_checks(shapes, node_shape, target, constraint)
    return tuple(checks)


def message_for(check: Check, row) -> str:
    """The check's message with {?var} placeholders filled from the result row."""
    message = check.message
    for variable in ("value", "grade", "round", "area"):
        placeholder = "{?" + variable + "}"
        if placeholder in message:
            try:
                bound = row[variable]
            except KeyError:
                bound = None
            message = message.replace(placeholder, bound.value if bound is not None else "")
    return message


def is_blank(node) -> bool:
    return isinstance(node, BNode)
