"""Drawings from the seeds and the samples: content checked in each format, and the pictures'
layout (nothing cut off at the edge, no legend over the drawing)."""

import re
import xml.etree.ElementTree as ElementTree

import matplotlib.colors
import matplotlib.image
import matplotlib.pyplot as plt
import networkx as nx
import pytest
from click.testing import CliRunner

import peelgraph
from peelgraph.cli import main
from peelgraph.errors import InputError
from peelgraph.views import drawing as draw
from peelgraph.views import style


def _not_blank(path, min_size=(400, 300)):
    pixels = matplotlib.image.imread(path)
    height, width = pixels.shape[:2]
    colours = {tuple(p) for p in pixels.reshape(-1, pixels.shape[2])[::97].tolist()}
    return width >= min_size[0] and height >= min_size[1] and len(colours) > 5


@pytest.fixture(scope="module")
def overview(seed_store):
    return draw.overview(seed_store)


def test_overview_holds_forces_judgements_people_articles(overview):
    kinds = {d["kind"] for _, d in overview.nodes(data=True)}
    assert {"force", "inspection", "judgement", "person", "article"} <= kinds
    assert not kinds & {"evidence", "quote", "statistic"}  # evidence and literals are left out
    labels = {d["label"] for _, d in overview.nodes(data=True)}
    assert {"Cambridgeshire Constabulary", "Nick Dean"} <= labels
    assert overview.nodes["https://w3id.org/peelgraph/id/person/zoe-billingham"]["kind"] == "person"
    judgement = "https://w3id.org/peelgraph/id/judgement/cambridgeshire-constabulary/2018-19/effectiveness"
    assert overview.nodes[judgement]["properties"]["grade"] == "good"
    assert any(e["rule"] == "judgement.all-three-pillars" for e in overview.nodes[judgement]["evidence"])
    assert (
        overview.edges[judgement, "https://w3id.org/peelgraph/id/inspection/cambridgeshire-constabulary/2018-19"][
            "label"
        ]
        == "inspection"
    )


def test_graphml_and_dot_hold_every_node_and_edge(overview, tmp_path):
    draw.write(overview, tmp_path / "o.graphml")
    back = nx.read_graphml(tmp_path / "o.graphml")
    assert (len(back), back.number_of_edges()) == (len(overview), overview.number_of_edges())
    draw.write(overview, tmp_path / "o.dot")
    dot = (tmp_path / "o.dot").read_text()
    assert dot.startswith("digraph")
    assert len(re.findall(r"^  \"[^\"]+\" \[label=", dot, re.M)) == len(overview)
    assert dot.count(" -> ") == overview.number_of_edges()


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_pictures(overview, tmp_path, suffix):
    path = draw.write(overview, tmp_path / f"o.{suffix}", title="overview")
    if suffix == "png":
        assert _not_blank(path)
    else:
        svg = ElementTree.parse(path).getroot()
        assert svg.tag.endswith("svg") and "Cambridgeshire Constabulary" in path.read_text()


def test_focus_by_alias_and_depth(seed_store):
    near = draw.focus(seed_store, "Cambs police", depth=1)
    far = draw.focus(seed_store, "Cambs police", depth=2)
    assert near.graph["centre"].endswith("/force/cambridgeshire-constabulary")
    assert len(near) < len(far)
    assert any(d["kind"] == "judgement" for _, d in far.nodes(data=True))


def test_unknown_focus_suggests_close_names(seed_store):
    with pytest.raises(InputError, match="closest: Cambridgeshire Constabulary"):
        draw.focus(seed_store, "Cambrigeshire Constabulary")


def test_provenance_of_a_person(seed_store, tmp_path):
    view = draw.provenance(seed_store, "Nick Dean")
    sentences = [d["properties"]["sentence"] for _, d in view.nodes(data=True) if d["kind"] == "evidence"]
    assert any(s.startswith("Chief Constable Nick Dean said") for s in sentences)
    assert any(
        d["kind"] == "article" and d["properties"]["file"] == "000_5f446c495461b7a9.txt"
        for _, d in view.nodes(data=True)
    )
    assert _not_blank(draw.write(view, tmp_path / "p.png"))


def test_timeline_of_one_force(seed_store, tmp_path):
    chart = draw.timeline(seed_store, ("Cambridgeshire Constabulary",))
    assert chart.rounds[:2] == ("2015", "2018/19")
    assert chart.grades[("Cambridgeshire Constabulary", "effectiveness", "2015")] == "requires improvement"
    assert chart.grades[("Cambridgeshire Constabulary", "effectiveness", "2018/19")] == "good"
    assert chart.areas["Cambridgeshire Constabulary"][:3] == ("effectiveness", "efficiency", "legitimacy")
    assert _not_blank(draw.write(chart, tmp_path / "t.png"))
    with pytest.raises(InputError, match="png, svg"):
        draw.write(chart, tmp_path / "t.dot")


def test_timeline_of_several_forces_spans_both_scales(seed_store):
    chart = draw.timeline(seed_store, ("Cambridgeshire Constabulary", "Avon and Somerset Constabulary"))
    assert "2023-25" in chart.rounds and "2015" in chart.rounds
    assert "adequate" in {g for (f, _, _), g in chart.grades.items() if f == "Avon and Somerset Constabulary"}


def test_large_overview_is_folded_to_stay_readable(seed_store):
    small = draw.overview(seed_store, max_nodes=20)
    assert len(small) <= 20 and small.graph["folded"]
    forces = [d for _, d in small.nodes(data=True) if d["kind"] == "force"]
    assert forces


def test_html_embeds_the_graph_with_names_and_grades(overview, tmp_path):
    import json
    import re

    page = draw.write(overview, tmp_path / "o.html", title="overview").read_text()
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S).group(1))
    text = json.dumps(data)
    assert "Cambridgeshire Constabulary" in text and '"good"' in text and "requires improvement" in text
    # no address outside the data, but in cytoscape.js's licence comments (see test_html_view)
    assert "http://" not in re.sub(
        r'<script (type="application/json" |id="cytoscape").*?</script>', "", page, flags=re.S
    )


@pytest.mark.parametrize("view", ["overview", "focus", "provenance"])
@pytest.mark.parametrize("suffix", ["html", "svg", "png", "dot", "graphml"])
def test_every_graph_view_in_every_format(seed_store, tmp_path, view, suffix):
    import peelgraph

    focus = {"overview": (), "focus": ("Cambridgeshire Constabulary",), "provenance": ("Nick Dean",)}[view]
    path = peelgraph.draw(seed_store, view, tmp_path / f"{view}.{suffix}", focus=focus)
    text = path.read_bytes()
    checks = {
        "html": lambda: b"Cambridgeshire Constabulary" in text or b"Nick Dean" in text,
        "svg": lambda: text.lstrip().startswith(b"<?xml") and b"<svg" in text,
        "png": lambda: _not_blank(path, (300, 200)),
        "dot": lambda: text.startswith(b"digraph") and b" -> " in text,
        "graphml": lambda: len(nx.read_graphml(path)) > 1,
    }
    assert checks[suffix]()


def test_judgements_are_captioned_with_area_and_grade(overview):
    judgement = "https://w3id.org/peelgraph/id/judgement/cambridgeshire-constabulary/2018-19/effectiveness"
    assert overview.nodes[judgement]["caption"] == "effectiveness: good"


def test_one_style_table_for_every_drawing():
    from matplotlib.markers import MarkerStyle

    from peelgraph.views import style

    assert list(style.KINDS)[-1] == "other" and set(style.GRADES) >= {"inadequate", "good", "outstanding"}
    for kind, look in style.KINDS.items():
        assert re.fullmatch(r"#[0-9a-f]{6}", look["colour"]) and look["size"] > 0, kind
        shape = style.SHAPES[look["shape"]]
        MarkerStyle(shape["matplotlib"])  # a marker matplotlib knows
        assert shape["graphviz"]
        points = shape.get("points", [])
        assert len(points) % 2 == 0 and all(-1 <= p <= 1 for p in points)
    assert style.marker("force") == "s" and style.graphviz_shape("no such kind") == style.graphviz_shape("other")


def test_one_table_of_views_for_the_library_and_the_command_line(seed_store, tmp_path):
    import peelgraph

    assert list(draw.VIEWS) == ["overview", "focus", "timeline", "provenance"]
    with pytest.raises(InputError, match="the focus view needs exactly one entity"):
        peelgraph.draw(seed_store, "focus", tmp_path / "f.png")
    with pytest.raises(InputError, match="no view called 'map'"):
        peelgraph.draw(seed_store, "map", tmp_path / "m.png")


def test_views_write_no_ontology_iri_of_their_own():
    from pathlib import Path

    from peelgraph import views

    for path in Path(views.__file__).parent.rglob("*.py"):
        assert "w3id.org/peelgraph" not in path.read_text(encoding="utf-8"), f"{path}: use peelgraph.rdf.vocab"


# Kent Police graded in four rounds, one grade of 2015 reported only later (past), one both current
# and past, one in conflict; Suffolk Constabulary graded only in passing, in an article about Essex.
HISTORY = {
    "a-2015.txt": "PEEL 2015: Kent Police was rated good for effectiveness.",
    "b-2016.txt": "PEEL 2016: Kent Police was rated requires improvement for efficiency. "
    "Kent was rated good for effectiveness in 2015.",
    "c-2018.txt": "In PEEL 2018/19 Kent Police was rated good for legitimacy.",
    "d-2018.txt": "PEEL 2018/19: Kent Police was rated requires improvement for legitimacy.",
    "e-2022.txt": "PEEL 2021/22: Kent Police was rated adequate at investigating crime. "
    "Kent was graded outstanding for legitimacy in 2015.",
    "f-2017.txt": "PEEL 2017: Essex Police was rated good for legitimacy. "
    "Suffolk Constabulary was rated inadequate for effectiveness in 2016.",
}
KENT = "Kent Police"


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """What `build` writes from the history articles: its store and a timeline per force."""
    articles = tmp_path_factory.mktemp("history-articles")
    for name, text in HISTORY.items():
        (articles / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("history")
    summary, _ = peelgraph.build([articles], out, exports=(), overviews=())
    assert not summary.failed, summary.text()
    return out


@pytest.fixture
def history_store(history):
    with peelgraph.open_store(history / "store", read_only=True) as store:
        yield store


def test_timeline_shows_every_round_a_force_was_graded_in(history_store):
    chart = draw.timeline(history_store, ("kent",))
    assert chart.forces == (KENT,)
    assert chart.rounds == ("2015", "2016", "2018/19", "2021/22")
    assert chart.areas[KENT] == ("effectiveness", "efficiency", "legitimacy", "investigating crime")
    assert chart.grades == {
        (KENT, "effectiveness", "2015"): "good",
        (KENT, "legitimacy", "2015"): "outstanding",
        (KENT, "efficiency", "2016"): "requires improvement",
        (KENT, "legitimacy", "2018/19"): "good | requires improvement",
        (KENT, "investigating crime", "2021/22"): "adequate",
    }
    # reported only in a later article: past; reported current anywhere: current
    assert chart.past == {(KENT, "legitimacy", "2015")}


def test_a_force_graded_only_in_the_past_gets_its_chart(history, history_store):
    chart = draw.timeline(history_store, ("Suffolk",))
    assert chart.rounds == ("2016",)
    assert chart.past == set(chart.grades) == {("Suffolk Constabulary", "effectiveness", "2016")}
    assert sorted(p.name for p in (history / "timelines").iterdir()) == [
        "essex-police.png",
        "kent-police.png",
        "suffolk-constabulary.png",
    ]
    assert _not_blank(history / "timelines" / "suffolk-constabulary.png")


def test_one_forces_chart_keeps_only_its_rounds(history_store):
    chart = draw.timeline(history_store)
    assert chart.forces == ("Essex Police", KENT, "Suffolk Constabulary")
    assert chart.rounds == ("2015", "2016", "2017", "2018/19", "2021/22")
    essex = chart.of("Essex Police")
    assert (essex.rounds, essex.past) == (("2017",), frozenset())
    assert chart.of(KENT).rounds == ("2015", "2016", "2018/19", "2021/22")


def test_timeline_svg_marks_past_and_current_cells_apart(history_store, tmp_path):
    chart = draw.timeline(history_store, (KENT,))
    svg = draw.write(chart, tmp_path / "t.svg").read_text(encoding="utf-8")
    cells = {state: re.findall(rf'<g id="{state}-cell-\d+">\s*<path [^>]*style="([^"]*)"', svg) for state in draw.CELLS}
    # one past cell; four current ones, the conflicting one in two stripes, one per grade
    assert (len(cells["past"]), len(cells["current"])) == (1, 5)
    assert all("fill: url(#" in look for look in cells["past"])  # hatched
    assert style.GRADES["outstanding"] in cells["past"][0]  # outlined in its grade's colour
    fills = {re.search(r"fill: (#[0-9a-f]{6})", look).group(1) for look in cells["current"]}
    assert fills == {style.GRADES[g] for g in ("good", "requires improvement", "adequate")}
    assert "past: an earlier grade, reported later" in svg and "good |" in svg  # legend, conflict


@pytest.mark.parametrize(
    ("names", "line"),
    [(["--focus", "kent"], "(1 force(s), 4 round(s))"), ([], "(3 force(s), 5 round(s))")],
)
def test_draw_timeline_command(history, tmp_path, names, line):
    output = tmp_path / "t.png"
    store = str(history / "store")
    result = CliRunner().invoke(main, ["--store", store, "draw", "timeline", *names, "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(line) and _not_blank(output)


def test_timeline_of_an_ungraded_force_says_so(history_store):
    with pytest.raises(InputError, match="Avon and Somerset Constabulary is known, but the store holds no facts"):
        draw.timeline(history_store, ("Avon and Somerset",))


# layout ------------------------------------------------------------------------------------------


def _extents(texts):
    return [t.get_window_extent() for t in texts if t.get_visible() and t.get_text().strip()]


def _inside(inner, outer):
    return (
        outer.x0 <= inner.x0 + 0.5
        and inner.x1 <= outer.x1 + 0.5
        and outer.y0 <= inner.y0 + 0.5
        and inner.y1 <= outer.y1 + 0.5
    )


def _check_graph_layout(figure):
    """Every text inside the figure, labels apart from each other, the legend beside the drawing."""
    figure.canvas.draw()
    (axes,) = figure.axes
    (legend,) = figure.legends
    texts = [*axes.texts, axes.title, legend.get_title(), *legend.get_texts()]
    for extent in _extents(texts):
        assert _inside(extent, figure.bbox), extent
    labels = _extents(axes.texts)
    nodes = [p for c in axes.collections for p in c.get_offset_transform().transform(c.get_offsets())]
    assert labels and nodes
    for i, one in enumerate(labels):
        assert _inside(one, axes.bbox)
        assert not any(one.overlaps(other) for other in labels[i + 1 :])
        assert not one.count_contains(nodes)  # no label hides a node
    box = legend.get_window_extent()
    assert not box.overlaps(axes.bbox)
    assert not box.count_contains(nodes)
    return axes


def test_overview_picture_is_laid_out_to_be_read(overview):
    figure = draw._graph_figure(overview, "overview")
    try:
        axes = _check_graph_layout(figure)
        shown = {t.get_text() for t in axes.texts}
        assert "Cambridgeshire Constabulary" in shown
        assert any(t.endswith(tuple(f": {grade}" for grade in style.GRADES)) for t in shown)  # judgements
        colours = {tuple(c) for collection in axes.collections for c in collection.get_facecolors()}
        grades = {g: tuple(matplotlib.colors.to_rgba(c)) for g, c in style.GRADES.items()}
        assert {grades["good"], grades["requires improvement"]} <= colours  # judgements coloured by grade
        assert style.KINDS["judgement"]["colour"] not in {matplotlib.colors.to_hex(c) for c in colours}
        legend = [t.get_text() for t in figure.legends[0].get_texts()]
        assert any(t.strip().startswith("good (") for t in legend)
    finally:
        plt.close(figure)


def test_folded_judgements_are_drawn_by_grade_under_their_inspections(history_store, tmp_path):
    graph = draw.overview(history_store, max_nodes=12)  # folds the articles, then the judgements
    assert graph.graph["folded"]["judgement"] == 7
    assert "judgement" not in {kind for _, kind in graph.nodes(data="kind")}
    figure = draw._graph_figure(graph, "overview")
    try:
        axes = _check_graph_layout(figure)
        shown = {t.get_text().replace(" ·\n", " · ") for t in axes.texts}
        assert {
            "PEEL 2015 · 1 outstanding, 1 good",
            "PEEL 2016 · 1 inadequate",
            "PEEL 2018/19 · 1 conflicting",
        } <= shown
        cells = [p for p in axes.patches if (p.get_gid() or "").startswith("grade-bar-")]
        fills = {matplotlib.colors.to_hex(p.get_facecolor()) for p in cells}
        assert fills == {*style.GRADES.values(), draw.UNKNOWN_GRADE}  # the timeline's grade colours
        bars = [p.get_window_extent() for p in cells]
        assert not any(label.overlaps(bar) for label in _extents(axes.texts) for bar in bars)
        legend = {t.get_text().strip() for t in figure.legends[0].get_texts()}
        assert {"good (2)", "inadequate (1)", "conflicting grades (1)"} <= legend
        assert any(t.startswith("judgement (7)") for t in legend)
    finally:
        plt.close(figure)
    svg = draw.write(graph, tmp_path / "o.svg").read_text(encoding="utf-8")
    drawn = re.findall(r'<g id="grade-bar-\d+-([a-z-]+)">\s*<path [^>]*style="fill: (#[0-9a-f]{6})', svg)
    assert len(drawn) == 7  # a cell per grade per inspection
    assert {grade.replace("-", " "): fill for grade, fill in drawn if grade != "conflicting"} == style.GRADES


def test_provenance_picture_is_laid_out_to_be_read(seed_store):
    figure = draw._graph_figure(draw.provenance(seed_store, "Zoë Billingham"), "provenance")
    try:
        _check_graph_layout(figure)
    finally:
        plt.close(figure)


def _crowded(forces=30, inspections=4, judgements=1):
    """A graph as an overview of thousands of articles folds to: many forces with long names."""
    graph = nx.DiGraph()
    grades = list(style.GRADES)
    for f in range(forces):
        force = f"force-{f}"
        graph.add_node(force, label=f"The Constabulary of Somewhere Rather Far {f}", kind="force", properties={})
        for i in range(inspections):
            inspection = f"{force}/{i}"
            graph.add_node(inspection, label=f"Constabulary {f}, PEEL round {i}", kind="inspection", properties={})
            graph.add_edge(inspection, force, label="inspected force")
            for j in range(judgements):
                grade = grades[(f + i + j) % len(grades)]
                judgement = f"{inspection}/{j}"
                properties = {"grade": grade, "area": f"area {j}"}
                graph.add_node(
                    judgement, label=judgement, caption=f"area {j}: {grade}", kind="judgement", properties=properties
                )
                graph.add_edge(judgement, inspection, label="inspection")
    graph.add_node("hmicfrs", label="The Inspectorate", kind="organisation", properties={})
    graph.add_edges_from(
        ((n, "hmicfrs") for n, kind in graph.nodes(data="kind") if kind == "inspection"), label="inspectorate"
    )
    graph.graph["folded"] = {"article": 2000, "person": 900}
    return graph


def test_each_forces_part_is_laid_out_apart():
    graph = _crowded()
    positions = draw._layout(graph)
    boxes = []
    for f in range(30):
        part = [positions[n] for n in graph if n == f"force-{f}" or n.startswith(f"force-{f}/")]
        xs, ys = zip(*part, strict=True)
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for i, (x0, x1, y0, y1) in enumerate(boxes):
        for u0, u1, v0, v1 in boxes[i + 1 :]:
            assert x1 < u0 or u1 < x0 or y1 < v0 or v1 < y0  # the inspectorate links do not tangle them


def test_a_crowded_overview_keeps_legible_labels_apart():
    graph = _crowded()
    assert 0.8 * draw.MAX_READABLE_NODES <= len(graph) <= draw.MAX_READABLE_NODES  # as many as an overview draws
    figure = draw._graph_figure(graph, "overview")
    try:
        axes = _check_graph_layout(figure)
        sizes = {t.get_fontsize() for t in axes.texts}
        assert min(sizes) >= 8
        assert 20 <= len(axes.texts) <= draw.MAX_LABELS
        assert "2000 articles" in axes.get_title()  # what was folded away is said
    finally:
        plt.close(figure)


@pytest.mark.parametrize("names", [(), ("Suffolk",)])
def test_timeline_picture_fits_its_labels_and_legend(history_store, names):
    chart = draw.timeline(history_store, names)
    figure = draw._timeline_figure(chart, "a timeline with a rather long title, of one or more forces")
    try:
        figure.canvas.draw()
        (legend,) = figure.legends
        box = legend.get_window_extent()
        texts = [figure._suptitle, legend.get_title(), *legend.get_texts()]
        for axes in figure.axes:
            texts += [axes.title, *axes.texts, *axes.get_xticklabels(), *axes.get_yticklabels()]
            assert not box.overlaps(axes.bbox)
        for extent in _extents(texts):
            assert _inside(extent, figure.bbox), extent
        assert not box.overlaps(figure._suptitle.get_window_extent())
    finally:
        plt.close(figure)


def test_a_part_of_more_than_500_nodes_is_laid_out():
    star = nx.DiGraph((f"judgement-{i}", "force") for i in range(600))  # networkx needs scipy at this size
    positions = draw._layout(star)
    assert len(positions) == 601 and len(set(positions.values())) == 601
