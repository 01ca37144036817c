"""Drawings of the graph, from the store.

Views: ``overview`` (forces, inspections, judgements, people, articles), ``focus`` (the
neighbourhood of one entity), ``provenance`` (a judgement or person with the articles and sentences
it comes from) and ``timeline`` (grades per area across rounds for one or more forces). Graph views
are networkx graphs written as HTML (interactive, offline), PNG/SVG (matplotlib), DOT or GraphML;
the timeline is a chart (PNG, SVG).
"""

from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from peelgraph.errors import InputError
from peelgraph.files import replacing
from peelgraph.gazetteer import folded, load
from peelgraph.rdf import vocab
from peelgraph.rdf.vocab import ORG, PEEL, PROV, SCHEMA
from peelgraph.store.base import Store
from peelgraph.store.querying import run
from peelgraph.views import style

PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in vocab.PREFIXES.items())
ARTICLE_GRAPHS = f"FILTER(?g NOT IN (<{vocab.ONTOLOGY_GRAPH}>, <{vocab.GAZETTEER_GRAPH}>))"
# class IRI -> kind shown in drawings
KINDS = {
    str(PEEL.PoliceForce): "force",
    str(PEEL.Inspectorate): "organisation",
    str(ORG.Organization): "organisation",
    str(PEEL.Inspection): "inspection",
    str(PEEL.Judgement): "judgement",
    str(SCHEMA.Person): "person",
    str(PEEL.Article): "article",
    str(PEEL.Quote): "quote",
    str(PEEL.Finding): "finding",
    str(PEEL.Statistic): "statistic",
    str(ORG.Membership): "membership",
}
PROV_DERIVED = str(PROV.wasDerivedFrom)
OVERVIEW_KINDS = ("force", "organisation", "inspection", "judgement", "person", "article")
# Folded away, in this order, when an overview has more nodes than can be read.
FOLD_ORDER = ("article", "judgement", "person", "organisation")
MAX_READABLE_NODES = 300
EDGE_LABELS = {
    str(PEEL.inspectedForce): "inspected force",
    str(PEEL.inspection): "inspection",
    str(PEEL.inspectorate): "inspectorate",
    str(PEEL.speaker): "speaker",
    str(PEEL.aboutForce): "about force",
    str(SCHEMA.mentions): "mentions",
    PROV_DERIVED: "derived from",
}


def _kind(node_classes: set[str]) -> str:
    for cls, kind in KINDS.items():
        if cls in node_classes:
            return kind
    return "other"


def full_graph(store: Store, with_derivation: bool = False) -> nx.DiGraph:
    """Every extracted entity with its label, kind, properties and evidence; edges by property.

    Memberships become person -> organisation edges labelled with the post.
    """
    graph = nx.DiGraph()
    classes: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for row in store.query(
        PREFIXES
        + "SELECT DISTINCT ?n ?c ?l WHERE { GRAPH ?g { ?n a ?c . OPTIONAL { ?n rdfs:label ?l } } "
        + ARTICLE_GRAPHS
        + " }"
    ):
        classes[row["n"].value].add(row["c"].value)
        if row["l"] is not None:
            labels.setdefault(row["n"].value, row["l"].value)
    for node, node_classes in classes.items():
        kind = _kind(node_classes)
        if kind in ("other", "membership"):
            continue
        graph.add_node(node, label=labels.get(node, node.rsplit("/", 1)[-1]), kind=kind, properties={}, evidence=[])
    for row in store.query(
        PREFIXES
        + "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o . FILTER(isIRI(?o) && ?p != rdf:type) } "
        + ARTICLE_GRAPHS
        + " }"
    ):
        s, p, o = row["s"].value, row["p"].value, row["o"].value
        if s in graph and o in graph and p in EDGE_LABELS and (with_derivation or p != PROV_DERIVED):
            graph.add_edge(s, o, label=EDGE_LABELS[p])
    _memberships(store, graph)
    _judgement_properties(store, graph)
    _article_properties(store, graph)
    _evidence(store, graph)
    return graph


def _memberships(store: Store, graph: nx.DiGraph) -> None:
    query = (
        PREFIXES
        + """SELECT DISTINCT ?person ?org ?role WHERE { GRAPH ?g {
        ?m org:member ?person ; org:organization ?org ; org:role ?r } ?r skos:prefLabel ?role }"""
    )
    for row in store.query(query):
        person, organisation = row["person"].value, row["org"].value
        if person in graph and organisation in graph:
            graph.add_edge(person, organisation, label=row["role"].value)
            posts = graph.nodes[person]["properties"].setdefault("post", "")
            role = f"{row['role'].value}, {graph.nodes[organisation]['label']}"
            if role not in posts:
                graph.nodes[person]["properties"]["post"] = "; ".join(filter(None, [posts, role]))


def _judgement_properties(store: Store, graph: nx.DiGraph) -> None:
    query = (
        PREFIXES
        + """SELECT DISTINCT ?j ?grade ?area ?round ?current WHERE { GRAPH ?g {
        ?j a peel:Judgement ; peel:grade ?gr ; peel:area ?a ; peel:inspection/peel:round ?r ; peel:current ?current }
        ?gr skos:prefLabel ?grade . ?a skos:prefLabel ?area . ?r skos:notation ?round }"""
    )
    for row in store.query(query):
        node = row["j"].value
        if node in graph:
            properties = graph.nodes[node]["properties"]
            grades = set(filter(None, properties.get("grade", "").split(" | "))) | {row["grade"].value}
            properties.update(grade=" | ".join(sorted(grades)), area=row["area"].value, round=row["round"].value)
            graph.nodes[node]["caption"] = f"{properties['area']}: {properties['grade']}"  # drawn by the node
            if row["current"].value == "true":
                properties["current"] = "true"
            properties.setdefault("current", "false")


def _article_properties(store: Store, graph: nx.DiGraph) -> None:
    query = (
        PREFIXES
        + """SELECT ?a ?file ?date ?outlet WHERE { GRAPH ?g { ?a a peel:Article ; peel:sourceFile ?file .
        OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a peel:outlet ?outlet } } }"""
    )
    for row in store.query(query):
        node = row["a"].value
        if node in graph:
            properties = graph.nodes[node]["properties"]
            properties["file"] = row["file"].value
            for key in ("date", "outlet"):
                if row[key] is not None:
                    properties[key] = row[key].value


def _evidence(store: Store, graph: nx.DiGraph) -> None:
    query = (
        PREFIXES
        + """SELECT ?node ?exact ?rule ?file ?start WHERE { GRAPH ?g {
        ?an oa:hasBody ?node ; peel:rule ?rule ; oa:hasTarget ?t . ?t oa:hasSource ?a ; oa:hasSelector ?q, ?p .
        ?q oa:exact ?exact . ?p oa:start ?start . ?a peel:sourceFile ?file } } ORDER BY ?file ?start"""
    )
    for row in store.query(query):
        node = row["node"].value
        if node in graph:
            item = {"article": row["file"].value, "sentence": row["exact"].value, "rule": row["rule"].value}
            if item not in graph.nodes[node]["evidence"]:
                graph.nodes[node]["evidence"].append(item)


def overview(store: Store, max_nodes: int = MAX_READABLE_NODES) -> nx.DiGraph:
    """Forces, inspections, judgements, people and articles; past max_nodes, the least telling kinds
    are folded into counts on the nodes they hang from, so a large store stays readable."""
    graph = full_graph(store)
    graph.remove_nodes_from([n for n, d in list(graph.nodes(data=True)) if d["kind"] not in OVERVIEW_KINDS])
    folded: Counter[str] = Counter()
    for kind in FOLD_ORDER:
        if len(graph) <= max_nodes:
            break
        for node in [n for n, d in graph.nodes(data=True) if d["kind"] == kind]:
            for neighbour in set(graph.successors(node)) | set(graph.predecessors(node)):
                properties = graph.nodes[neighbour]["properties"]
                key = f"{kind}s"
                properties[key] = str(int(properties.get(key, "0")) + 1)
                if kind == "judgement":
                    judgement = graph.nodes[node]["properties"]
                    summary = f"{judgement.get('area')}: {judgement.get('grade')}"
                    properties["grades"] = "; ".join(filter(None, [properties.get("grades", ""), summary]))
            graph.remove_node(node)
            folded[kind] += 1
    if len(graph) > max_nodes:  # keep the forces with most inspections, then their inspections
        ranked = sorted(
            (n for n, d in graph.nodes(data=True) if d["kind"] == "force"), key=lambda n: -graph.in_degree(n)
        )
        keep = set(ranked[: max_nodes // 4])
        keep |= {n for n in graph if any(s in keep for s in graph.successors(n))}
        folded["other"] += len(graph) - len(keep)
        graph = graph.subgraph(keep).copy()
    graph.graph["folded"] = dict(folded)
    return graph


def find_node(graph: nx.DiGraph, name: str) -> str:
    """A node by IRI, or by a label or any name the gazetteer knows for it, in any case ("Cambs
    police", "nick dean"); a name that matches nothing fails with the closest labels."""
    if name in graph:
        return name
    by_label = {folded(d["label"]): n for n, d in graph.nodes(data=True)}
    wanted = folded(load().label_for(name) or name)
    if wanted in by_label:
        return by_label[wanted]
    raise InputError(_unmatched(name, [d["label"] for _, d in graph.nodes(data=True)], "entity"))


def _unmatched(name: str, labels, kind: str) -> str:
    """One line for a name nothing in the store is called: known but absent, or the closest names."""
    known = load().label_for(name)
    if known:
        return f"{known} is known, but the store holds no facts about it"
    candidates = {folded(label): label for label in labels}
    close = difflib.get_close_matches(folded(name), candidates, n=5, cutoff=0.5)
    hint = f"; closest: {', '.join(candidates[c] for c in close)}" if close else ""
    return f"no {kind} called {name!r} in the store{hint}"


def focus(store: Store, name: str, depth: int = 1) -> nx.DiGraph:
    """The neighbourhood of one entity, to the given depth."""
    graph = full_graph(store)
    centre = find_node(graph, name)
    nodes = nx.ego_graph(graph.to_undirected(as_view=True), centre, radius=depth).nodes
    view = graph.subgraph(nodes).copy()
    view.graph["centre"] = centre
    return view


def provenance(store: Store, name: str) -> nx.DiGraph:
    """A judgement or person, the articles it is derived from, and the sentences that say so."""
    graph = full_graph(store, with_derivation=True)
    centre = find_node(graph, name)
    kind = graph.nodes[centre]["kind"]
    if kind not in ("judgement", "person", "inspection", "force"):
        raise InputError(f"provenance is drawn for a judgement, person, inspection or force, not a {kind}")
    view = nx.DiGraph(centre=centre)
    view.add_node(centre, **graph.nodes[centre])
    articles = {d["properties"].get("file"): n for n, d in graph.nodes(data=True) if d["kind"] == "article"}
    for index, item in enumerate(graph.nodes[centre]["evidence"]):
        sentence = f"{centre}#evidence-{index}"
        text = item["sentence"]
        view.add_node(
            sentence,
            label=text if len(text) <= 80 else text[:79] + "…",
            kind="evidence",
            properties={"sentence": text, "rule": item["rule"]},
            evidence=[item],
        )
        view.add_edge(centre, sentence, label=f"read by {item['rule']}")
        article = articles.get(item["article"])
        if article:
            view.add_node(article, **graph.nodes[article])
            view.add_edge(sentence, article, label="in")
    return view


@dataclass(frozen=True)
class Timeline:
    """Grades per force, area and round, in round and area order."""

    forces: tuple[str, ...]
    rounds: tuple[str, ...]
    areas: dict[str, tuple[str, ...]]  # force -> areas it was graded in
    grades: dict[tuple[str, str, str], str]  # (force, area, round) -> grade


def timeline(store: Store, names: tuple[str, ...] = ()) -> Timeline:
    rows = run(store, "timeline").records()
    forces = tuple(dict.fromkeys(r["force"] for r in rows))
    if names:
        chosen = []
        for name in names:
            force = _force_named(name, forces)
            chosen.append(force)
        forces = tuple(chosen)
    rows = [r for r in rows if r["force"] in forces]
    if not rows:
        raise InputError("no current judgements to draw a timeline from")
    order = {r.notation: r.sequence for r in load().rounds.values()}
    rounds = tuple(sorted({r["round"] for r in rows}, key=order.get))
    areas = {
        f: tuple(dict.fromkeys(r["area"] for r in sorted(rows, key=_area_order) if r["force"] == f)) for f in forces
    }
    grades: dict[tuple[str, str, str], str] = {}
    for r in rows:
        key = (r["force"], r["area"], r["round"])
        grades[key] = r["grade"] if key not in grades or grades[key] == r["grade"] else f"{grades[key]} | {r['grade']}"
    return Timeline(forces=forces, rounds=rounds, areas=areas, grades=grades)


def _area_order(row: dict) -> tuple:
    pillars = ("effectiveness", "efficiency", "legitimacy")
    return (pillars.index(row["area"]) if row["area"] in pillars else len(pillars), row["area"])


def _force_named(name: str, forces: tuple[str, ...]) -> str:
    wanted = folded(load().label_for(name) or name)
    for force in forces:
        if folded(force) == wanted:
            return force
    raise InputError(_unmatched(name, forces, "force"))


# writing ---------------------------------------------------------------------------------------


def _layout(graph: nx.DiGraph) -> dict:
    if not len(graph):
        return {}
    return nx.spring_layout(graph, seed=7, k=2.0 / max(1, len(graph)) ** 0.5, iterations=60)


def _picture(graph: nx.DiGraph, output: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    size = min(30, 8 + len(graph) ** 0.5)
    figure, axes = plt.subplots(figsize=(size, size * 0.75))
    positions = _layout(graph)
    kinds = {
        node: data.get("kind") if data.get("kind") in style.KINDS else style.OTHER
        for node, data in graph.nodes(data=True)
    }
    for kind, look in style.KINDS.items():
        nodes = [node for node, drawn_as in kinds.items() if drawn_as == kind]
        if nodes:
            nx.draw_networkx_nodes(
                graph,
                positions,
                nodelist=nodes,
                node_color=look["colour"],
                node_shape=style.marker(kind),
                node_size=220,
                label=f"{kind} ({len(nodes)})",
                ax=axes,
            )
    nx.draw_networkx_edges(graph, positions, alpha=0.3, arrowsize=7, ax=axes)
    if graph.number_of_edges() <= 120:
        nx.draw_networkx_edge_labels(
            graph, positions, edge_labels=nx.get_edge_attributes(graph, "label"), font_size=6, alpha=0.7, ax=axes
        )
    for node in _labelled(graph):
        x, y = positions[node]
        axes.annotate(
            _short(graph.nodes[node]["label"], 40),
            (x, y),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=7,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    axes.legend(loc="upper left", fontsize=8, markerscale=0.7)
    axes.set_title(title)
    axes.set_axis_off()
    figure.tight_layout()
    figure.savefig(output, dpi=100)
    plt.close(figure)


def _labelled(graph: nx.DiGraph, limit: int = 60) -> list[str]:
    """Nodes whose labels are drawn: the best connected of the kinds people read first, so labels
    do not pile up in a large drawing."""
    preferred = {"force": 0, "person": 1, "organisation": 2, "inspection": 3, "judgement": 4}
    ranked = sorted(
        (n for n, d in graph.nodes(data=True) if d.get("kind") in preferred or len(graph) <= 40),
        key=lambda n: (preferred.get(graph.nodes[n]["kind"], 9), -graph.degree(n), graph.nodes[n]["label"]),
    )
    return ranked[:limit]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flat(graph: nx.DiGraph) -> nx.DiGraph:
    """Scalar attributes only, as GraphML and DOT need."""
    flat = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        attributes = {"label": data.get("label", ""), "kind": data.get("kind", "other")}
        attributes.update({k: str(v) for k, v in data.get("properties", {}).items()})
        if data.get("evidence"):
            attributes["evidence"] = json.dumps(data["evidence"], ensure_ascii=False)
        flat.add_node(node, **attributes)
    for s, o, data in graph.edges(data=True):
        flat.add_edge(s, o, label=data.get("label", ""))
    return flat


def _graphml(graph: nx.DiGraph, output: Path, title: str) -> None:
    nx.write_graphml(_flat(graph), output)


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot(graph: nx.DiGraph, output: Path, title: str) -> None:
    lines = ["digraph peelgraph {", f"  label={_dot_quote(title)};", "  node [style=filled, fontsize=10];"]
    for node, data in sorted(graph.nodes(data=True)):
        kind = data.get("kind", "")
        lines.append(
            f"  {_dot_quote(node)} [label={_dot_quote(_short(data.get('label', ''), 60))}, "
            f"shape={style.graphviz_shape(kind)}, fillcolor={_dot_quote(style.kind_style(kind)['colour'])}, "
            f"kind={_dot_quote(kind)}];"
        )
    for s, o, data in sorted(graph.edges(data=True)):
        lines.append(f"  {_dot_quote(s)} -> {_dot_quote(o)} [label={_dot_quote(data.get('label', ''))}];")
    lines.append("}")
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _html(graph: nx.DiGraph, output: Path, title: str) -> None:
    from peelgraph.views.html_view import write_html

    positions = _layout(graph)
    laid_out = graph.copy()
    for node, (x, y) in positions.items():
        laid_out.nodes[node]["x"], laid_out.nodes[node]["y"] = float(x), float(y)
    write_html(laid_out, output, title)


GRAPH_WRITERS = {"png": _picture, "svg": _picture, "graphml": _graphml, "dot": _dot, "html": _html}


def _timeline_picture(chart: Timeline, output: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    heights = [max(1, len(chart.areas[f])) for f in chart.forces]
    figure, axes_list = plt.subplots(
        len(chart.forces),
        1,
        figsize=(2.2 + 1.4 * len(chart.rounds), 1.2 + 0.42 * sum(heights) + 0.6 * len(chart.forces)),
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    ranks = {grade: i for i, grade in enumerate(style.GRADES)}
    five_point = {r.notation for r in load().rounds.values() if r.five_point}
    for axes, force in zip(axes_list[:, 0], chart.forces, strict=True):
        areas = chart.areas[force]
        for y, area in enumerate(areas):
            for x, round_ in enumerate(chart.rounds):
                grade = chart.grades.get((force, area, round_))
                if grade is None:
                    continue
                colour = style.GRADES.get(grade, "#bbbbbb")
                axes.add_patch(plt.Rectangle((x - 0.45, y - 0.4), 0.9, 0.8, color=colour))
                axes.text(
                    x,
                    y,
                    grade.replace("requires improvement", "requires\nimprovement"),
                    ha="center",
                    va="center",
                    fontsize=7,
                )
        boundary = [i for i, r in enumerate(chart.rounds) if r in five_point]
        if boundary and boundary[0] > 0:
            axes.axvline(boundary[0] - 0.5, color="black", linestyle="--", linewidth=1)
        axes.set_xlim(-0.5, len(chart.rounds) - 0.5)
        axes.set_ylim(len(areas) - 0.5, -0.5)
        axes.set_xticks(range(len(chart.rounds)), chart.rounds)
        axes.set_yticks(range(len(areas)), areas, fontsize=8)
        axes.set_title(force, fontsize=10, loc="left")
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
    legend = [Patch(color=c, label=g) for g, c in sorted(style.GRADES.items(), key=lambda i: -ranks[i[0]])]
    figure.legend(
        handles=legend,
        loc="lower center",
        ncol=5,
        fontsize=8,
        frameon=False,
        title="grade (adequate only on the five-point scale used from 2021/22, right of the dashed line)",
        title_fontsize=8,
    )
    figure.suptitle(title, fontsize=11)
    figure.tight_layout(rect=(0, 0.08, 1, 0.96))
    figure.savefig(output, dpi=110)
    plt.close(figure)


TIMELINE_WRITERS = {"png": _timeline_picture, "svg": _timeline_picture}


def write(
    drawing: nx.DiGraph | Timeline, output: str | Path, format: str | None = None, title: str = "peelgraph"
) -> Path:
    output = Path(output)
    format = (format or output.suffix.lstrip(".")).lower()
    writers = TIMELINE_WRITERS if isinstance(drawing, Timeline) else GRAPH_WRITERS
    if format not in writers:
        raise InputError(f"{output}: this view is written as {', '.join(writers)}, not {format!r}")
    output.parent.mkdir(parents=True, exist_ok=True)
    with replacing(output) as partial:
        writers[format](drawing, partial, title)
    return output


def _one(view: str, names: tuple[str, ...]) -> str:
    if len(names) != 1:
        raise InputError(
            f"the {view} view needs exactly one entity to focus on (a label, alias or IRI; --focus NAME on the "
            f"command line), not {len(names)}"
        )
    return names[0]


# view name -> the drawing made from a store, the focus names and the depth (for focus)
VIEWS: dict[str, Callable[[Store, tuple[str, ...], int], nx.DiGraph | Timeline]] = {
    "overview": lambda store, names, depth: overview(store),
    "focus": lambda store, names, depth: focus(store, _one("focus", names), depth),
    "timeline": lambda store, names, depth: timeline(store, tuple(names)),
    "provenance": lambda store, names, depth: provenance(store, _one("provenance", names)),
}
