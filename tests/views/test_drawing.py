"""Drawings from the seeds and the samples: content checked in each format."""

import re
import xml.etree.ElementTree as ElementTree

import matplotlib.image
import networkx as nx
import pytest

from peelgraph.errors import InputError
from peelgraph.views import drawing as draw


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
    with pytest.raises(InputError, match="close matches: Cambridgeshire Constabulary"):
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
    assert chart.rounds == ("2015", "2018/19")
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
