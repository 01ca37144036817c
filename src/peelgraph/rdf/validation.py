"""Stage 6: SHACL validation, of one article's graph before it is stored and of the whole store.

One entry point, validate(), as pyshacl has one. It checks an rdflib Graph, an article graph held
in a workspace (the form ingest uses) or a store, by either engine: the shapes compiled to SPARQL
and run by Oxigraph (shacl_sparql), or pyshacl. Both give the same violations.

Each violation is reported in plain English with the shape that failed and, where the failing
node has evidence, the article, the sentence and the rule that produced it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, singledispatch
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from peelgraph import gazetteer, resources
from peelgraph.errors import ResourceError
from peelgraph.rdf import workspace
from peelgraph.rdf.graphs import graph_ntriples
from peelgraph.rdf.shacl_sparql import Check, compile_shapes, message_for
from peelgraph.rdf.to_rdf import ARTICLE_SCOPED
from peelgraph.rdf.vocab import ONTOLOGY_GRAPH, SHAPES, with_prefixes
from peelgraph.store.base import Store


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
    """peelgraph's shapes (shapes/peel.shacl.ttl)."""
    file = resources.shapes_path()
    try:
        return Graph().parse(file, format="turtle")
    except Exception as error:
        raise ResourceError(f"{file}: cannot parse the shapes: {error}") from error


def validate(
    target,
    engine: str = "sparql",
    *,
    graph: str | None = None,
    full: bool = False,
    shapes_graph: Graph | None = None,
) -> Report:
    """Check data against the SHACL shapes (shapes_graph; by default peelgraph's, shapes()).

    The target is
    - an rdflib Graph (one article's, or several merged), checked whole, with the ontology;
    - a store (store.base.Store): every article in it, or with `graph` only that article graph;
    - an Oxigraph store holding the graph named `graph` beside the reference graphs
      (rdf.workspace.holding): the form ingest uses, to load each article once for validation and
      for the answers kept with it.

    The "sparql" engine runs the shapes compiled to SPARQL on Oxigraph; "pyshacl" runs pyshacl.
    Both give the same violations (tests/shapes checks every fixture with both).

    Over a whole store, each article graph having been checked on its own before it was stored,
    the sparql engine runs only the checks that articles can break together (those on nodes several
    articles can describe, and SPARQL constraints: shacl_sparql.Check.spans_articles): property
    shapes as SPARQL over the union of all graphs, SPARQL constraints over a deduplicated copy of
    what the articles say about the nodes they can share (forces, people, posts, inspections,
    judgements), with the ontology. That copy leaves out the nodes one article describes alone
    (its evidence, quotes, findings...): a SPARQL constraint sees those when each article is checked
    on its own. (The union Oxigraph queries holds a triple once for each graph stating it, and each
    join of a SPARQL constraint would multiply those copies.) full=True checks every article graph
    on its own again too (after hand edits with `query --update`, say). pyshacl checks the merged
    article graphs whole.

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
    """
    try:
        check = ENGINES[engine]
    except KeyError:
        raise ResourceError(f"unknown validation engine {engine!r}; choose from {', '.join(ENGINES)}") from None
    return check(target, shapes() if shapes_graph is None else shapes_graph, graph, full)


# ---------------------------------------------------------------------------- the SPARQL engine


@singledispatch
def _by_sparql(store: Store, shapes_graph: Graph, graph: str | None, full: bool) -> Report:
    """A store: the checks that span articles over the union of its graphs (and, when full, every
    article graph on its own), or one article graph."""
    if not hasattr(store, "article_graphs"):
        raise TypeError(f"cannot validate a {type(store).__name__}: give a Graph, a store or an Oxigraph store")
    if graph is not None:
        return _article_by_sparql(store, graph, shapes_graph)
    spanning = [check for check in compile_shapes(shapes_graph) if check.spans_articles]
    found = _found([check for check in spanning if not check.from_sparql], store.query)
    if sparql_constraints := [check for check in spanning if check.from_sparql]:
        with workspace.holding(_SHARED, _shared_facts(store)) as held:
            found += _found(sparql_constraints, _graph_query(held, _SHARED))
    violations = _violations(found, store.query)
    if full:
        for name in store.article_graphs():
            violations += _article_by_sparql(store, name, shapes_graph).violations
    return _report(violations, _article_triples(store))


@_by_sparql.register(Graph)
def _graph_by_sparql(data: Graph, shapes_graph: Graph, graph: str | None, full: bool) -> Report:
    with workspace.holding(_CHECKED, data.serialize(format="nt")) as held:
        return _held_by_sparql(held, _CHECKED, shapes_graph)


@_by_sparql.register(ox.Store)
def _workspace_by_sparql(held: ox.Store, shapes_graph: Graph, graph: str | None, full: bool) -> Report:
    return _held_by_sparql(held, _named(graph), shapes_graph)


def _article_by_sparql(store: Store, name: str, shapes_graph: Graph) -> Report:
    with workspace.holding(name, store.ntriples(name)) as held:
        return _held_by_sparql(held, name, shapes_graph)


def _held_by_sparql(held: ox.Store, name: str, shapes_graph: Graph) -> Report:
    """Every check over the graph `name` of a workspace, with the ontology."""
    query = _graph_query(held, name)
    violations = _violations(_found(compile_shapes(shapes_graph), query), query)
    return _report(violations, sum(1 for _ in held.quads_for_pattern(None, None, None, ox.NamedNode(name))))


def _graph_query(held: ox.Store, name: str) -> Callable:
    """SPARQL over the graph `name` of a workspace, with the ontology."""
    graph = ox.NamedNode(name)

    def query(sparql: str):
        return held.query(sparql, default_graph=[graph, _ONTOLOGY], named_graphs=[graph])

    return query


def _shared_facts(store: Store) -> list[ox.Quad]:
    """What the articles say about the nodes several of them can describe, each triple once, as
    quads of the graph _SHARED."""
    shared = ox.NamedNode(_SHARED)
    return [ox.Quad(row["s"], row["p"], row["o"], shared) for row in store.query(_SHARED_FACTS)]


def _found(checks: Iterable[Check], query: Callable) -> list[tuple[Check, object]]:
    """Each check with each row it selects."""
    return [(check, row) for check in checks for row in query(check.query)]


def _violations(found: list[tuple[Check, object]], evidence_query: Callable) -> list[Violation]:
    """The violations found, with the evidence of each focus node, looked up by evidence_query."""
    nodes = {row["this"].value for _, row in found if isinstance(row["this"], ox.NamedNode)}
    evidence = _evidence(evidence_query, nodes)
    return [
        Violation(
            shape=_shape_name(check.shape),
            message=message_for(check, row),
            focus=row["this"].value,
            value=_text(row, "value"),
            **evidence.get(row["this"].value, _NO_EVIDENCE)._asdict(),
        )
        for check, row in found
    ]


def _article_triples(store: Store) -> int:
    """Triples in the article graphs, counted per graph."""
    return int(next(iter(store.query(_ARTICLE_TRIPLES)))["triples"].value)


# ---------------------------------------------------------------------------- pyshacl


def _by_pyshacl(target, shapes_graph: Graph, graph: str | None, full: bool) -> Report:
    from pyshacl import validate as pyshacl_validate  # imported only when this engine is chosen

    data = _as_graph(target, graph)
    _, results, _ = pyshacl_validate(
        data + gazetteer.ontology(), shacl_graph=shapes_graph, advanced=True, inference="none", allow_warnings=True
    )
    found = [
        (result, results.value(result, SH.focusNode), results.value(result, SH.value))
        for result in results.subjects(RDF.type, SH.ValidationResult)
    ]
    evidence = (
        _evidence(_queried(data), {str(focus) for _, focus, _ in found if isinstance(focus, URIRef)}) if found else {}
    )
    violations = [
        Violation(
            shape=_shape_name(_shape_of(shapes_graph, results.value(result, SH.sourceShape))),
            message=str(results.value(result, SH.resultMessage)),
            focus=str(focus),
            value=str(value) if value is not None else None,
            **evidence.get(str(focus), _NO_EVIDENCE)._asdict(),
        )
        for result, focus, value in found
    ]
    return _report(violations, len(data))


@singledispatch
def _as_graph(store: Store, graph: str | None) -> Graph:
    """The article graph `graph` of a store, or all of them merged."""
    merged = Graph()
    for name in [graph] if graph is not None else store.article_graphs():
        merged += store.graph(name)
    return merged


@_as_graph.register(Graph)
def _graph_itself(data: Graph, graph: str | None) -> Graph:
    return data


@_as_graph.register(ox.Store)
def _held_graph(held: ox.Store, graph: str | None) -> Graph:
    return Graph().parse(data=graph_ntriples(held, _named(graph)), format="nt")


def _queried(data: Graph) -> Callable:
    """A SPARQL query function over the data, loaded into Oxigraph (for the evidence)."""
    held = ox.Store()
    held.load(data.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    return held.query


def _shape_of(shapes_graph: Graph, shape):
    """The node shape a result's source shape (a property shape or a SPARQL constraint) belongs to."""
    if isinstance(shape, BNode):
        parent = next(shapes_graph.subjects(SH.property, shape), None) or next(
            shapes_graph.subjects(SH.sparql, shape), None
        )
        if parent is not None:
            return parent
    return shape


ENGINES = {"sparql": _by_sparql, "pyshacl": _by_pyshacl}


# ---------------------------------------------------------------------------- both engines


class _Evidence(NamedTuple):
    article: str | None = None  # the article's source file
    sentence: str | None = None
    rule: str | None = None


_NO_EVIDENCE = _Evidence()
# What each node's evidence says: the annotations whose body it is (or the node itself, when it is
# an annotation), with each one's rule, article and sentence.
_EVIDENCE_OF = with_prefixes("""
SELECT ?node ?annotation ?article ?sentence ?rule WHERE {
  VALUES ?node { %s }
  { ?annotation oa:hasBody ?node } UNION { ?node a oa:Annotation . BIND(?node AS ?annotation) }
  OPTIONAL { ?annotation peel:rule ?rule }
  OPTIONAL {
    ?annotation oa:hasTarget ?target .
    OPTIONAL { ?target oa:hasSource ?source . ?source peel:sourceFile ?article }
    OPTIONAL { ?target oa:hasSelector ?selector . ?selector oa:exact ?sentence }
  }
}
""")
_ARTICLE_TRIPLES = with_prefixes(
    "SELECT (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g NOT IN (graph:ontology, graph:gazetteer)) }"
)
# The triples whose subject several articles can describe: typed in an article graph, and not as
# a class whose nodes are minted inside one article (to_rdf.ARTICLE_SCOPED).
_SCOPED_CLASSES = " ".join(f"<{c}>" for c in ARTICLE_SCOPED)
_SHARED_FACTS = with_prefixes(f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
      GRAPH ?g {{ ?s a ?class }} FILTER(?g NOT IN (graph:ontology, graph:gazetteer))
      FILTER NOT EXISTS {{ GRAPH ?g {{ ?s a ?scoped }} VALUES ?scoped {{ {_SCOPED_CLASSES} }} }}
  }} }}
  GRAPH ?h {{ ?s ?p ?o }} FILTER(?h NOT IN (graph:ontology, graph:gazetteer))
}}
""")
_CHECKED = "urn:peelgraph:validated"  # the name an rdflib Graph is held under while it is checked
_SHARED = "urn:peelgraph:shared"  # the name the shared facts are held under while they are checked
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))


def _evidence(query: Callable, nodes: set[str], batch: int = 200) -> dict[str, _Evidence]:
    """Each node's evidence: of its annotations, the one that says most (the first by IRI of those)."""
    ordered, chosen = sorted(nodes), {}
    for start in range(0, len(ordered), batch):
        values = " ".join(f"<{node}>" for node in ordered[start : start + batch])
        for row in query(_EVIDENCE_OF % values):
            evidence = _Evidence(_text(row, "article"), _text(row, "sentence"), _text(row, "rule"))
            rank = (evidence.count(None), _text(row, "annotation") or "", tuple(part or "" for part in evidence))
            node = row["node"].value
            if node not in chosen or rank < chosen[node][0]:
                chosen[node] = (rank, evidence)
    return {node: evidence for node, (_, evidence) in chosen.items()}


def _text(row, variable: str) -> str | None:
    try:
        term = row[variable]
    except KeyError:  # not a variable of the query
        return None
    return term.value if term is not None else None


def _named(graph: str | None) -> str:
    if graph is None:
        raise TypeError("validating an Oxigraph store needs graph=, the name of the graph to check")
    return graph


def _shape_name(shape) -> str:
    return str(shape).removeprefix(str(SHAPES))


def _report(violations: list[Violation], triples: int) -> Report:
    unique = sorted(set(violations), key=lambda v: (v.article or "", v.shape, v.focus, v.value or ""))
    return Report(conforms=not unique, violations=tuple(unique), checked_triples=triples)
