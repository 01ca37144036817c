"""Drawings of the graph: the overview (forces, inspections, judgements, people, articles) as a
networkx graph, written as PNG or SVG (matplotlib) or GraphML (for Gephi and yEd).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from peelgraph.errors import InputError
from peelgraph.store import Store

OVERVIEW = """
PREFIX peel: <https://w3id.org/peelgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?source ?sourceLabel ?sourceKind ?edge ?target ?targetLabel ?targetKind WHERE {
  GRAPH ?g {
    {
      ?source a peel:Inspection ; peel:inspectedForce ?target .
      BIND("inspection" AS ?sourceKind) BIND("force" AS ?targetKind) BIND("inspected force" AS ?edge)
    } UNION {
      ?source a peel:Judgement ; peel:inspection ?target ; peel:grade ?grade .
      BIND("judgement" AS ?sourceKind) BIND("inspection" AS ?targetKind) BIND("inspection" AS ?edge)
    } UNION {
      ?m org:member ?source ; org:organization ?target ; org:role ?role .
      BIND("person" AS ?sourceKind) BIND("organisation" AS ?targetKind) BIND("post" AS ?edge)
    } UNION {
      ?source a peel:Article ; schema:mentions ?target .
      BIND("article" AS ?sourceKind) BIND("force" AS ?targetKind) BIND("mentions" AS ?edge)
    }
    ?source rdfs:label ?sourceLabel .
    ?target rdfs:label ?targetLabel .
  }
}
"""
STYLE = {  # kind -> (colour, marker)
    "force": ("#1f77b4", "s"),
    "organisation": ("#17becf", "s"),
    "inspection": ("#ff7f0e", "D"),
    "judgement": ("#2ca02c", "o"),
    "person": ("#d62728", "^"),
    "article": ("#7f7f7f", "v"),
}


def overview(store: Store) -> nx.DiGraph:
    """The overview graph: one node per entity, labelled and kinded, edges labelled by property."""
    graph = nx.DiGraph()
    for row in store.query(OVERVIEW):
        source, target = row["source"].value, row["target"].value
        graph.add_node(source, label=row["sourceLabel"].value, kind=row["sourceKind"].value)
        if target not in graph or graph.nodes[target].get("kind") != "force":
            graph.add_node(target, label=row["targetLabel"].value, kind=row["targetKind"].value)
        graph.add_edge(source, target, label=row["edge"].value)
    return graph


def write(graph: nx.DiGraph, output: str | Path, format: str | None = None) -> Path:
    output = Path(output)
    format = (format or output.suffix.lstrip(".")).lower()
    try:
        writer = WRITERS[format]
    except KeyError:
        raise InputError(f"{output}: unknown drawing format {format!r}; choose from {', '.join(WRITERS)}") from None
    output.parent.mkdir(parents=True, exist_ok=True)
    writer(graph, output)
    return output


def _graphml(graph: nx.DiGraph, output: Path) -> None:
    nx.write_graphml(graph, output)


def _picture(graph: nx.DiGraph, output: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    size = min(40, 8 + len(graph) ** 0.5 * 1.5)
    figure, axes = plt.subplots(figsize=(size, size * 0.75))
    positions = nx.spring_layout(graph, seed=7, k=1.5 / max(1, len(graph)) ** 0.5) if len(graph) else {}
    for kind, (colour, marker) in STYLE.items():
        nodes = [n for n, d in graph.nodes(data=True) if d.get("kind") == kind]
        if nodes:
            nx.draw_networkx_nodes(graph, positions, nodelist=nodes, node_color=colour, node_shape=marker, node_size=260, label=kind, ax=axes)
    nx.draw_networkx_edges(graph, positions, alpha=0.35, arrowsize=8, ax=axes)
    labels = {n: d["label"] for n, d in graph.nodes(data=True) if d.get("kind") in ("force", "person", "organisation")}
    nx.draw_networkx_labels(graph, positions, labels=labels, font_size=8, ax=axes)
    axes.legend(loc="upper left", fontsize=9, markerscale=0.8)
    axes.set_title(f"peelgraph overview: {len(graph)} nodes, {graph.number_of_edges()} edges")
    axes.set_axis_off()
    figure.tight_layout()
    figure.savefig(output, dpi=100)
    plt.close(figure)


WRITERS = {"png": _picture, "svg": _picture, "graphml": _graphml}
