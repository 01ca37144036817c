"""Drawings of the graph, from the store.

Views: ``overview`` (forces, inspections, judgements, people, articles), ``focus`` (the
neighbourhood of one entity), ``provenance`` (a judgement or person with the articles and sentences
it comes from) and ``timeline`` (grades per area across rounds for one or more forces, past grades
reported in later articles included). Graph views are networkx graphs written as HTML (interactive,
offline), PNG/SVG (matplotlib), DOT or GraphML; the timeline is a chart (PNG, SVG). Pictures keep
every label inside the drawing and the legend beside it, leaving out labels that find no free place;
judgements folded into their inspection are drawn as a bar of their grades' colours under it, and
counted by grade in its label.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
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
INSPECTORATE = str(PEEL.inspectorate)
OVERVIEW_KINDS = ("force", "organisation", "inspection", "judgement", "person", "article")
# Folded away, in this order, when an overview has more nodes than can be read.
FOLD_ORDER = ("article", "judgement", "person", "organisation")
MAX_READABLE_NODES = 300
EDGE_LABELS = {
    str(PEEL.inspectedForce): "inspected force",
    str(PEEL.inspection): "inspection",
    INSPECTORATE: "inspectorate",
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
    """Grades per force, area and round, in round and area order. A past cell was reported only as an
    earlier grade, in an article about a later inspection; a cell any article reports as its current
    result is current. Conflicting grades for a cell are kept, as "a | b"."""

    forces: tuple[str, ...]
    rounds: tuple[str, ...]
    areas: dict[str, tuple[str, ...]]  # force -> areas it was graded in
    grades: dict[tuple[str, str, str], str]  # (force, area, round) -> grade
    past: frozenset[tuple[str, str, str]] = frozenset()  # (force, area, round) reported only as past

    def of(self, force: str) -> Timeline:
        """The chart of one force, with only the rounds it was graded in."""
        grades = {key: grade for key, grade in self.grades.items() if key[0] == force}
        return Timeline(
            forces=(force,),
            rounds=tuple(r for r in self.rounds if any(key[2] == r for key in grades)),
            areas={force: self.areas[force]},
            grades=grades,
            past=frozenset(key for key in self.past if key[0] == force),
        )


def timeline(store: Store, names: tuple[str, ...] = ()) -> Timeline:
    """Every grade the store holds for the forces (all forces without names), current and past,
    from the judgements query; each round's own areas lined up by the cross-round theme they are
    narrower than, as the timeline query lines them up."""
    themes = _themes()
    rows = [
        (r["force"], themes.get((r["area"], r["round"]), r["area"]), r["round"], r["grade"], r["current"] == "true")
        for r in run(store, "judgements").records()
    ]
    forces = tuple(sorted({row[0] for row in rows}))
    if names:
        forces = tuple(_force_named(name, forces) for name in names)
    rows = [row for row in rows if row[0] in forces]
    if not rows:
        raise InputError("no judgements to draw a timeline from")
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    current = set()
    for force, area, round_, grade, is_current in rows:
        found[force, area, round_].add(grade)
        if is_current:
            current.add((force, area, round_))
    rounds = load().rounds
    # Rows: the pillars and their questions (graded until 2018/19) first, then the areas graded only on
    # the five-point scale since; each group in pillar, then alphabetical, order.
    newer: dict[tuple[str, str], bool] = {}  # (force, area) -> graded on the five-point scale only
    for force, area, round_ in found:
        newer[force, area] = newer.get((force, area), True) and rounds[round_].five_point
    rows_in_order = sorted(newer, key=lambda key: (newer[key], *_area_order(key[1])))
    order = {r.notation: r.sequence for r in rounds.values()}
    return Timeline(
        forces=forces,
        rounds=tuple(sorted({key[2] for key in found}, key=order.get)),
        areas={f: tuple(area for force, area in rows_in_order if force == f) for f in forces},
        grades={key: " | ".join(sorted(grades)) for key, grades in found.items()},
        past=frozenset(found.keys() - current),
    )


def _themes() -> dict[tuple[str, str], str]:
    """(a round's own area label, round notation) -> the label of the theme it lines up with."""
    gazetteer = load()
    return {
        (area.label, notation): gazetteer.areas[area.theme].label
        for area in gazetteer.areas.values()
        if area.theme
        for notation in area.rounds
    }


def _area_order(area: str) -> tuple:
    pillars = ("effectiveness", "efficiency", "legitimacy")
    return (pillars.index(area) if area in pillars else len(pillars), area)


def _force_named(name: str, forces: tuple[str, ...]) -> str:
    wanted = folded(load().label_for(name) or name)
    for force in forces:
        if folded(force) == wanted:
            return force
    raise InputError(_unmatched(name, forces, "force"))


# writing ---------------------------------------------------------------------------------------


def _layout(graph: nx.DiGraph) -> dict:
    """Each connected part laid out on its own, in a square as wide as the root of its node count,
    and the squares packed in rows, largest first, into a rectangle about 4:3: a spring layout of
    the whole pushes small parts (a force and its inspections) to the rim and leaves the middle
    empty. Links to an inspectorate are left out of the parts (not of the drawing): every inspection
    has one, and they would join every force's part into one tangle."""
    linked = nx.DiGraph()
    linked.add_nodes_from(graph)
    linked.add_edges_from((s, o) for s, o, label in graph.edges(data="label") if label != EDGE_LABELS[INSPECTORATE])
    parts = sorted(nx.weakly_connected_components(linked), key=lambda part: (-len(part), min(part)))
    sides = [max(1.0, len(part) ** 0.5) for part in parts]
    gap = 0.6
    area = sum((side + gap) ** 2 for side in sides)
    row_width = max([*sides, (area * 4 / 3) ** 0.5])
    positions: dict = {}
    x = y = row_height = 0.0
    for part, side in zip(parts, sides, strict=True):
        if x and x + side > row_width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        for node, (px, py) in _spring(linked.subgraph(part)).items():
            positions[node] = (x + (px + 1) / 2 * side, y - (1 - py) / 2 * side)
        x, row_height = x + side + gap, max(row_height, side)
    return positions


def _spring(graph: nx.DiGraph) -> dict:
    """A spring layout scaled to fill the square from -1 to 1."""
    if len(graph) == 1:
        return dict.fromkeys(graph, (0.0, 0.0))
    laid_out = nx.spring_layout(graph, seed=7, k=2.0 / len(graph) ** 0.5, iterations=60)
    low = [min(p[i] for p in laid_out.values()) for i in (0, 1)]
    span = max(max(p[i] for p in laid_out.values()) - low[i] for i in (0, 1)) or 1.0
    return {node: tuple(2 * (p[i] - low[i]) / span - 1 for i in (0, 1)) for node, p in laid_out.items()}


# Where a node's label may go, tried in turn until one fits: (x, y) offset in points from the node and
# the alignment that keeps the label on that side of it.
LABEL_PLACES = (
    ((5, 3), "left", "bottom"),
    ((-5, 3), "right", "bottom"),
    ((5, -3), "left", "top"),
    ((-5, -3), "right", "top"),
    ((0, 7), "center", "bottom"),
    ((0, -7), "center", "top"),
)
SMALL_GRAPH = 40  # nodes; in a small graph every node is labelled, and labels may be longer
MAX_LABELS = 400  # labels tried; most large drawings have fewer places free of overlap
UNKNOWN_GRADE = "#bbbbbb"  # conflicting grades ("good | requires improvement"), or none
CONFLICTING = "conflicting"  # how grades not on the scale are counted in labels
# The bar under a node the judgements were folded into (in points): a cell per judgement, in its
# grade's colour, best grade first; past the widest bar, the cells are narrowed to fit.
GRADE_BAR = {"cell": 3.0, "narrowest": 6.0, "widest": 30.0, "height": 4.5, "gap": 1.0}


def _graph_figure(graph: nx.DiGraph, title: str):
    """The graph as a matplotlib figure: nodes shaped and coloured by kind (judgements by grade, and
    judgements folded into an inspection by the bar of grades under it), the labels that fit without
    overlapping or leaving the drawing, and the legend beside it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    size = min(22, 8 + len(graph) ** 0.5)
    figure = plt.figure(figsize=(size + 3, size * 0.75), layout="constrained")
    axes = figure.add_subplot()
    positions = _layout(graph)
    kinds = {
        node: data.get("kind") if data.get("kind") in style.KINDS else style.OTHER
        for node, data in graph.nodes(data=True)
    }
    node_size = 220 if len(graph) <= 100 else 120
    for kind in style.KINDS:
        nodes = [node for node, drawn_as in kinds.items() if drawn_as == kind]
        if nodes:
            nx.draw_networkx_nodes(
                graph,
                positions,
                nodelist=nodes,
                node_color=[_node_colour(graph.nodes[node], kind) for node in nodes],
                node_shape=style.marker(kind),
                node_size=node_size,
                ax=axes,
            )
    for faint, alpha in ((False, 0.3), (True, 0.1)):  # links to an inspectorate reach across the drawing
        edges = [(s, o) for s, o, label in graph.edges(data="label") if (label == EDGE_LABELS[INSPECTORATE]) == faint]
        nx.draw_networkx_edges(graph, positions, edgelist=edges, alpha=alpha, arrowsize=7, node_size=node_size, ax=axes)
    figure.legend(
        handles=_legend_keys(graph, kinds),
        loc="outside right upper",
        fontsize=9,
        frameon=False,
    )
    axes.set_title(title + _folded_note(graph), fontsize=12)
    axes.set_axis_off()
    axes.margins(0.03)
    figure.canvas.draw()  # lays the figure out, so the labels below are placed against its final frame
    figure.set_layout_engine("none")
    bars = _grade_bars(axes, graph, positions, node_size)
    free = _place_labels(axes, graph, positions, node_size, bars)
    if graph.number_of_edges() <= 60:
        texts = nx.draw_networkx_edge_labels(
            graph, positions, edge_labels=nx.get_edge_attributes(graph, "label"), font_size=6, alpha=0.7, ax=axes
        )
        for text in texts.values():
            if not free.take(text):
                text.remove()
    return figure


def _caption(data: dict) -> str:
    return data.get("caption") or data["label"]


def _folded_grades(data: dict) -> list[str]:
    """The grades of the judgements folded into a node ("area: grade; area: grade"), in order."""
    summaries = data.get("properties", {}).get("grades", "")
    return [summary.rsplit(": ", 1)[-1] for summary in summaries.split("; ") if summary]


def _grade_counts(grades: list[str]) -> list[tuple[str, int]]:
    """How many of each grade, best first; grades not on the scale counted last, as conflicting."""
    counts = Counter(grade if grade in style.GRADES else CONFLICTING for grade in grades)
    return [(grade, counts[grade]) for grade in [*reversed(style.GRADES), CONFLICTING] if counts[grade]]


def _label_texts(data: dict, length: int) -> list[str]:
    """A node's label, the longest form first; the next is tried where the longer finds no place. An
    inspection ("Kent Police, PEEL 2017") is linked to its force, so its round says the rest, with
    how its folded judgements were graded ("PEEL 2017 · 3 good, 1 inadequate")."""
    if data["kind"] != "inspection":
        return [_short(_caption(data), length)]
    round_ = _short(data["label"].rsplit(", ", 1)[-1], length)
    counts = ", ".join(f"{n} {grade}" for grade, n in _grade_counts(_folded_grades(data)))
    if not counts:
        return [round_]
    return [f"{round_} · {counts}", f"{round_} ·\n{counts}", round_]


def _grade_bars(axes, graph: nx.DiGraph, positions: dict, node_size: float) -> list:
    """Under each node judgements were folded into, a bar of their grades' colours (GRADE_BAR);
    returns the bars' extents, for the labels to keep clear of."""
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox

    points = axes.figure.dpi / 72
    to_data = axes.transData.inverted()
    extents = []
    for node, data in graph.nodes(data=True):
        counts = _grade_counts(_folded_grades(data))
        total = sum(n for _, n in counts)
        if not total:
            continue
        x, y = axes.transData.transform(positions[node])
        width = min(max(total * GRADE_BAR["cell"], GRADE_BAR["narrowest"]), GRADE_BAR["widest"]) * points
        top = y - node_size**0.5 / 2 * points - GRADE_BAR["gap"] * points
        bottom = top - GRADE_BAR["height"] * points
        left = x - width / 2
        for grade, n in counts:
            right = left + width * n / total
            (x0, y0), (x1, y1) = to_data.transform([(left, bottom), (right, top)])
            colour = style.GRADES.get(grade, UNKNOWN_GRADE)
            cell = Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=colour, linewidth=0)
            cell.set_gid(f"grade-bar-{len(extents)}-{grade.replace(' ', '-')}")
            axes.add_patch(cell)
            left = right
        (x0, y0), (x1, y1) = to_data.transform([(x - width / 2, bottom), (x + width / 2, top)])
        axes.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#555555", linewidth=0.4))
        extents.append(Bbox([[x - width / 2, bottom], [x + width / 2, top]]))
    return extents


def _node_colour(data: dict, kind: str) -> str:
    if kind == "judgement":
        return style.GRADES.get(data.get("properties", {}).get("grade", ""), UNKNOWN_GRADE)
    return style.KINDS[kind]["colour"]


def _legend_keys(graph: nx.DiGraph, kinds: dict[str, str]) -> list:
    """A key per kind drawn, with its count; judgements' key (drawn, or folded into the bars under
    the inspections) is followed by one per grade drawn."""
    from matplotlib.lines import Line2D

    def key(shape: str, colour: str, label: str) -> Line2D:
        return Line2D([], [], marker=shape, linestyle="", color=colour, markersize=9, label=label)

    counts = Counter(kinds.values())
    grades = Counter(d["properties"].get("grade", "") for d in graph.nodes.values() if d.get("kind") == "judgement")
    grades += Counter(grade for data in graph.nodes.values() for grade in _folded_grades(data))
    keys = []
    for kind in style.KINDS:
        if kind != "judgement":
            if counts[kind]:
                keys.append(key(style.marker(kind), style.KINDS[kind]["colour"], f"{kind} ({counts[kind]})"))
            continue
        if not grades:
            continue
        if counts[kind]:
            shape, heading = style.marker(kind), f"judgement ({counts[kind]}), by grade:"
        else:  # drawn only as the cells of the bars under the nodes they were folded into
            shape, heading = "s", f"judgement ({grades.total()}), by grade,\nin the bars under inspections:"
        keys.append(key(shape, "white", heading))
        keys[-1].set_markeredgecolor("#555555")
        for grade, colour in [*reversed(style.GRADES.items()), ("", UNKNOWN_GRADE)]:
            drawn = grades[grade] if grade else sum(n for g, n in grades.items() if g not in style.GRADES)
            if drawn:
                keys.append(key(shape, colour, f"    {grade or 'conflicting grades'} ({drawn})"))
    return keys


def _folded_note(graph: nx.DiGraph) -> str:
    folded = {kind: n for kind, n in graph.graph.get("folded", {}).items() if n}
    if not folded:
        return ""
    counts = ", ".join(f"{n} {kind if kind == 'other' else kind + 's'}" for kind, n in folded.items())
    return f"\n(folded to stay readable, not drawn: {counts})"


def _place_labels(axes, graph: nx.DiGraph, positions: dict, node_size: float, taken: list) -> _Free:
    """Label the nodes people read first, each on the first side of its node where it covers no
    other label, node or taken extent (the grade bars) and stays inside the axes, in the longest of
    its forms that fits; a label that fits nowhere is left out."""
    free = _Free(axes, positions, node_size)
    free.placed.extend(taken)
    length = 60 if len(graph) <= SMALL_GRAPH else 40
    for node in _labelled(graph, MAX_LABELS):
        for text, (offset, ha, va) in product(_label_texts(graph.nodes[node], length), LABEL_PLACES):
            label = axes.annotate(
                text,
                positions[node],
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            )
            if free.take(label, node):
                break
            label.remove()
    return free


class _Free:
    """What is still free in a drawing's axes: the texts placed so far and the nodes' markers
    (in display units)."""

    def __init__(self, axes, positions: dict, node_size: float) -> None:
        import numpy as np

        self.renderer = axes.figure.canvas.get_renderer()
        self.frame = axes.get_window_extent(self.renderer)
        self.nodes = {node: i for i, node in enumerate(positions)}
        self.centres = axes.transData.transform(np.array(list(positions.values())).reshape(-1, 2))
        self.radius = node_size**0.5 / 2 * axes.figure.dpi / 72  # a marker's size is its area in points²
        self.placed = []

    def take(self, text, node: str | None = None) -> bool:
        """Whether the text fits (inside the axes, over no placed text and no node but its own);
        if so, it is placed."""
        extent = text.get_window_extent(self.renderer).padded(2)
        x, y, r = self.centres[:, 0], self.centres[:, 1], self.radius
        covered = (x > extent.x0 - r) & (x < extent.x1 + r) & (y > extent.y0 - r) & (y < extent.y1 + r)
        if node is not None:
            covered[self.nodes[node]] = False
        if not _inside(extent, self.frame) or covered.any() or any(extent.overlaps(o) for o in self.placed):
            return False
        self.placed.append(extent)
        return True


def _inside(inner, outer) -> bool:
    return outer.x0 <= inner.x0 and inner.x1 <= outer.x1 and outer.y0 <= inner.y0 and inner.y1 <= outer.y1


def _picture(graph: nx.DiGraph, output: Path, title: str) -> None:
    import matplotlib.pyplot as plt

    figure = _graph_figure(graph, title)
    figure.savefig(output, dpi=100)
    plt.close(figure)


def _labelled(graph: nx.DiGraph, limit: int = 60) -> list[str]:
    """Nodes whose labels are drawn: the best connected of the kinds people read first, so labels
    do not pile up in a large drawing."""
    preferred = {"force": 0, "organisation": 1, "inspection": 2, "judgement": 3, "person": 4}
    ranked = sorted(
        (n for n, d in graph.nodes(data=True) if d.get("kind") in preferred or len(graph) <= SMALL_GRAPH),
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


# How a timeline cell is drawn, by whether it is current: filled, or outlined and hatched in the
# grade's colour, so the two differ in more than colour.
CELLS = {
    "current": lambda colour: {"facecolor": colour, "edgecolor": colour, "linewidth": 0},
    "past": lambda colour: {"facecolor": "white", "edgecolor": colour, "hatch": "///", "linewidth": 2},
}
CELL_LEGEND = {"current": "current", "past": "past: an earlier grade, reported later"}


def _timeline_figure(chart: Timeline, title: str):
    """The chart as a matplotlib figure: a grid of grades per force, rows by area and columns by round."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    heights = [max(1, len(chart.areas[f])) for f in chart.forces]
    longest = max((len(a) for f in chart.forces for a in chart.areas[f]), default=10)
    width = 3.7 + 0.07 * longest + 1.35 * len(chart.rounds)  # the areas' names, the rounds, the legend
    figure, axes_list = plt.subplots(
        len(chart.forces),
        1,
        figsize=(width, 2.4 + 0.5 * sum(heights) + 0.7 * len(chart.forces)),
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
        layout="constrained",
    )
    five_point = {r.notation for r in load().rounds.values() if r.five_point}
    boundary = next((i for i, r in enumerate(chart.rounds) if r in five_point), 0)  # 0: no line to draw
    cells = Counter()
    for axes, force in zip(axes_list[:, 0], chart.forces, strict=True):
        areas = chart.areas[force]
        for y, area in enumerate(areas):
            for x, round_ in enumerate(chart.rounds):
                key = (force, area, round_)
                if key not in chart.grades:
                    continue
                state = "past" if key in chart.past else "current"
                grades = chart.grades[key].split(" | ")
                stripe = 0.9 / len(grades)  # conflicting grades side by side, each in its colour
                for i, grade in enumerate(grades):
                    look = CELLS[state](style.GRADES.get(grade, UNKNOWN_GRADE))
                    cell = Rectangle((x - 0.45 + i * stripe, y - 0.4), stripe, 0.8, **look)
                    cell.set_gid(f"{state}-cell-{cells[state]}")
                    cells[state] += 1
                    axes.add_patch(cell)
                plain = state == "current" and len(grades) == 1  # else the text is boxed over hatches or stripes
                box = None if plain else {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}
                axes.text(x, y, _cell_text(grades), ha="center", va="center", fontsize=7, bbox=box)
        if boundary:
            axes.axvline(boundary - 0.5, color="black", linestyle="--", linewidth=1)
        axes.set_xlim(-0.5, len(chart.rounds) - 0.5)
        axes.set_ylim(len(areas) - 0.5, -0.5)
        axes.set_xticks(range(len(chart.rounds)), chart.rounds)
        axes.set_yticks(range(len(areas)), areas, fontsize=8)
        axes.set_title(force, fontsize=10, loc="left")
        axes.tick_params(length=0, labeltop=len(areas) > 8)  # a tall chart names its rounds above too
        for spine in axes.spines.values():
            spine.set_visible(False)
    ranks = {grade: i for i, grade in enumerate(style.GRADES)}
    grade_keys = [Patch(color=c, label=g) for g, c in sorted(style.GRADES.items(), key=lambda i: -ranks[i[0]])]
    other_keys = [Patch(**CELLS[state]("#808080"), label=label) for state, label in CELL_LEGEND.items()]
    if boundary:
        other_keys.append(Line2D([], [], color="black", linestyle="--", label="from here: the five-point scale"))
    figure.legend(handles=grade_keys + other_keys, loc="outside right center", fontsize=8, frameon=False)
    figure.suptitle(title, fontsize=11)
    return figure


def _cell_text(grades: list[str]) -> str:
    if len(grades) == 1:
        return grades[0].replace("requires improvement", "requires\nimprovement")
    return " |\n".join(grade.replace("requires improvement", "req. improvement") for grade in grades)


def _timeline_picture(chart: Timeline, output: Path, title: str) -> None:
    import matplotlib.pyplot as plt

    figure = _timeline_figure(chart, title)
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
