"""The interactive HTML page: what it embeds (no browser), and how it behaves in real headless
Chromium (the system's `chromium`, driven by playwright; CI installs it, and without it these
tests fail rather than skip)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from importlib.resources import files
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from peelgraph.views import style
from peelgraph.views.html_view import KINDS, write_html

BASE = "https://w3id.org/peelgraph/id/"
FORCE = BASE + "force/cambridgeshire-constabulary"
INSPECTION = BASE + "inspection/cambridgeshire-2022"
PERSON = BASE + "person/roy-wilsher"
ARTICLE = BASE + "article/cambs-peel-2022"
JUDGEMENTS = [BASE + f"judgement/cambridgeshire-2022-{n}" for n in range(3)]
AREAS = ["Preventing crime", "Responding to the public", "Investigating crime"]
MALICIOUS = "</script><img src=x onerror=alert(1)>"
SENTENCE = f"Inspectors rated the force good at preventing crime {MALICIOUS} and at responding to the public."
STATIC = files("peelgraph.views") / "static"
LIBRARY = (STATIC / "cytoscape.min.js").read_text(encoding="utf-8")


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


FORCE_COLOUR = rgb(style.KINDS["force"]["colour"])
GOOD_COLOUR = rgb(style.GRADES["good"])
DATA_BLOCK = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.DOTALL)
STYLE_BLOCK = re.compile(r'<script type="application/json" id="style-table">(.*?)</script>', re.DOTALL)
LIBRARY_BLOCK = re.compile(r'<script id="cytoscape">(.*?)</script>', re.DOTALL)


def small_graph(layout: bool = False) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node(
        FORCE, label="Cambridgeshire Constabulary", kind="force", properties={"type": "territorial police force"}
    )
    graph.add_node(
        INSPECTION,
        label="PEEL 2021/22 inspection of Cambridgeshire Constabulary",
        kind="inspection",
        properties={"year": "2022", "inspectorate": "HMICFRS"},
    )
    graph.add_edge(INSPECTION, FORCE, label="inspected force")
    for iri, area in zip(JUDGEMENTS, AREAS, strict=True):
        graph.add_node(
            iri,
            label=f"{area}: good",
            kind="judgement",
            properties={"grade": "good", "area": area},
            evidence=[{"article": ARTICLE, "sentence": SENTENCE, "rule": "judgement.grade-sentence"}],
        )
        graph.add_edge(iri, INSPECTION, label="inspection")
    graph.add_node(PERSON, label="Roy Wilsher", kind="person", properties={"post": "HM Inspector of Constabulary"})
    graph.add_edge(PERSON, FORCE, label="post")
    graph.add_node(
        ARTICLE, label="Cambridgeshire police rated good", kind="article", properties={"source": "cambs.txt"}
    )
    graph.add_edge(ARTICLE, FORCE, label="mentions")
    if layout:
        for index, node in enumerate(graph):
            graph.nodes[node]["x"], graph.nodes[node]["y"] = float(index * 3), float(index % 2) * 1000.0
    return graph


def large_graph(size: int = 300) -> nx.DiGraph:
    """A few hundred nodes of every kind, with a precomputed layout as networkx gives it."""
    random = nx.gnm_random_graph(size, int(size * 1.4), seed=11, directed=True)
    positions = nx.spring_layout(random, seed=3)
    graph = nx.DiGraph()
    for n in random:
        kind = KINDS[n % len(KINDS)]
        graph.add_node(
            f"{BASE}node/{n}", label=f"{kind} {n}", kind=kind, x=float(positions[n][0]), y=float(positions[n][1])
        )
    for a, b in random.edges:
        graph.add_edge(f"{BASE}node/{a}", f"{BASE}node/{b}", label="related to")
    return graph


def embedded(text: str) -> dict:
    blocks = DATA_BLOCK.findall(text)
    assert len(blocks) == 1, "expected exactly one graph-data block"
    return json.loads(blocks[0])


@pytest.fixture
def page_file(tmp_path) -> Path:
    path = tmp_path / "graph.html"
    write_html(small_graph(), path, "Cambridgeshire PEEL 2021/22")
    return path


# ---- content, no browser ---------------------------------------------------------------------


def test_embedded_json_describes_the_graph(page_file):
    data = embedded(page_file.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 7 and len(data["edges"]) == 6
    nodes = {node["id"]: node for node in data["nodes"]}
    assert nodes[FORCE]["label"] == "Cambridgeshire Constabulary"
    assert nodes[FORCE]["kind"] == "force"
    assert [nodes[iri]["properties"]["grade"] for iri in JUDGEMENTS] == ["good", "good", "good"]
    assert nodes[JUDGEMENTS[0]]["evidence"] == [
        {"article": ARTICLE, "sentence": SENTENCE, "rule": "judgement.grade-sentence"}
    ]
    assert {(e["source"], e["target"], e["label"]) for e in data["edges"]} >= {
        (INSPECTION, FORCE, "inspected force"),
        (PERSON, FORCE, "post"),
    }
    assert all("x" not in node for node in data["nodes"])


def test_page_loads_nothing_from_outside(page_file):
    text = page_file.read_text(encoding="utf-8")
    assert LIBRARY_BLOCK.findall(text) == [LIBRARY]
    # the library's only addresses are in its licence comments
    assert not re.search(r"https?://", re.sub(r"/\*.*?\*/", "", LIBRARY, flags=re.DOTALL))
    outside = LIBRARY_BLOCK.sub("", DATA_BLOCK.sub("", text))
    assert not re.search(r"https?://", outside), re.findall(r".{30}https?://.{30}", outside)
    assert not re.search(r"<script[^>]*\bsrc\s*=", text, re.IGNORECASE)
    assert "<link" not in text.lower()
    assert "@import" not in outside
    assert not re.search(r"url\((?!#)", outside), "only in-document url(#...) references are allowed"
    assert not re.search(r"<(img|iframe|object|embed|audio|video|source)\b", outside, re.IGNORECASE)
    assert "default-src 'none'" in outside.replace("&#x27;", "'")


def test_untrusted_text_cannot_become_markup(page_file):
    text = page_file.read_text(encoding="utf-8")
    assert MALICIOUS not in text
    assert "<img" not in text.lower()
    assert text.lower().count("</script") == 4  # the graph's and style table's blocks, cytoscape.js, the page's script
    assert embedded(text)["nodes"][2]["evidence"][0]["sentence"] == SENTENCE


def test_title_is_escaped(tmp_path):
    path = tmp_path / "page.html"
    write_html(small_graph(), path, "PEEL <b>bold</b> & co")
    text = path.read_text(encoding="utf-8")
    assert "<title>PEEL &lt;b&gt;bold&lt;/b&gt; &amp; co</title>" in text
    assert "<b>" not in text


def test_kinds_layout_and_odd_attributes(tmp_path):
    graph = nx.DiGraph()
    graph.add_node("urn:a", label="A", kind="Force", x=1, y=2.5)
    graph.add_node(
        "urn:b", kind="spaceship", x=float("nan"), y=1.0, properties={"n": 3}, evidence=[{"sentence": "s"}, "junk"]
    )
    graph.add_edge("urn:a", "urn:b")
    path = tmp_path / "nested" / "page.html"
    write_html(graph, path, "odd")
    nodes = {node["id"]: node for node in embedded(path.read_text(encoding="utf-8"))["nodes"]}
    assert nodes["urn:a"]["kind"] == "force" and (nodes["urn:a"]["x"], nodes["urn:a"]["y"]) == (1.0, 2.5)
    assert nodes["urn:b"]["kind"] == "other" and nodes["urn:b"]["label"] == "urn:b" and "x" not in nodes["urn:b"]
    assert nodes["urn:b"]["properties"] == {"n": "3"}
    assert nodes["urn:b"]["evidence"] == [{"article": "", "sentence": "s", "rule": ""}]


def test_empty_graph(tmp_path):
    path = tmp_path / "empty.html"
    write_html(nx.DiGraph(), path, "nothing")
    assert embedded(path.read_text(encoding="utf-8"))["nodes"] == []


def test_page_embeds_the_style_table_and_its_files(page_file):
    text = page_file.read_text(encoding="utf-8")
    assert json.loads(STYLE_BLOCK.search(text).group(1)) == style.TABLE
    for name in ("view.css", "view.js"):
        assert (STATIC / name).read_text(encoding="utf-8") in text
    assert '<style id="__________cytoscape_stylesheet">' in text  # so cytoscape.js adds no stylesheet of its own


def test_vendored_library_is_the_one_recorded():
    readme = (STATIC / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"\| sha256 \| `([0-9a-f]{64})` \|", readme).group(1)
    assert hashlib.sha256((STATIC / "cytoscape.min.js").read_bytes()).hexdigest() == recorded
    assert "Permission is hereby granted" in (STATIC / "cytoscape.LICENSE").read_text(encoding="utf-8")


# ---- real headless Chromium (the `browser` fixture is in tests/conftest.py) -----------------


class Visit:
    """A page opened from disk, with every request, console message, page error and dialog it caused.

    The graph is drawn on a canvas by cytoscape.js, which the page leaves as ``window.cy``: the tests
    read nodes, positions and the view (zoom and pan) from it, and point the mouse at nodes by their
    place on the screen."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        try:
            self.page.wait_for_selector("#graph[data-ready]", state="attached", timeout=10_000)
        except Exception as error:  # report what the page said rather than a bare time-out
            raise AssertionError(f"the page never got ready: errors={self.errors} console={self.console}") from error

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check_clean(self):
        outside = [url for url in self.requests if not url.startswith(("file://", "data:"))]
        assert not outside, f"the page requested {outside}"
        errors = [text for kind, text in self.console if kind == "error"]
        assert not errors, f"console errors: {errors}"
        assert not self.errors, f"page errors: {self.errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"

    def ids(self, selector: str = "node") -> list[str]:
        """The ids of the graph's elements that a cytoscape selector picks, e.g. "node.match"."""
        return self.page.evaluate("(selector) => cy.$(selector).map((e) => e.id())", selector)

    def view(self) -> tuple[float, float, float]:
        return tuple(self.page.evaluate("() => [cy.zoom(), cy.pan().x, cy.pan().y]"))

    def positions(self) -> dict[str, tuple[float, float]]:
        return {
            id: tuple(xy)
            for id, xy in self.page.evaluate("() => cy.nodes().map((n) => [n.id(), [n.position().x, n.position().y]])")
        }

    def on_screen(self, node: str) -> tuple[float, float]:
        """Where the node is drawn, in the page's pixels."""
        return tuple(
            self.page.evaluate(
                """(id) => { const p = cy.getElementById(id).renderedPosition();
                const box = document.getElementById("graph").getBoundingClientRect();
                return [box.left + p.x, box.top + p.y]; }""",
                node,
            )
        )

    def click_node(self, node: str):
        self.page.mouse.click(*self.on_screen(node))

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser):
    visits = []

    def open_page(path: Path) -> Visit:
        visits.append(Visit(browser, path))
        return visits[-1]

    yield open_page
    for v in visits:
        v.close()


def decode_png(data: bytes) -> np.ndarray:
    import matplotlib.image

    image = matplotlib.image.imread(io.BytesIO(data), format="png")
    if image.dtype != np.uint8:
        image = np.round(image * 255).astype(np.uint8)
    return image[..., :3]


def pixels_of(pixels: np.ndarray, colour: tuple[int, int, int]) -> int:
    return int((np.abs(pixels.astype(int) - colour).max(axis=1) <= 2).sum())


def test_page_in_chromium(visit, page_file):
    v = visit(page_file)
    page = v.page
    assert sorted(v.ids()) == sorted([FORCE, INSPECTION, PERSON, ARTICLE, *JUDGEMENTS])
    assert page.inner_text("#counts") == "7 nodes, 6 edges"
    assert page.locator("#legend-items li").count() == 5  # force, inspection, judgement, person, article
    assert page.inner_text("#legend-grades") == "good (3)"  # judgements are coloured by grade

    # click a node: the side panel shows its label, kind, properties and evidence, as text
    assert page.is_hidden("#panel")
    v.click_node(JUDGEMENTS[0])
    assert page.is_visible("#panel")
    assert page.inner_text("#panel-label") == "Preventing crime: good"
    assert page.inner_text("#panel-kind") == "judgement"
    assert "good" in page.inner_text("#panel-properties")
    evidence = page.inner_text("#panel-evidence")
    assert MALICIOUS in evidence and ARTICLE in evidence and "judgement.grade-sentence" in evidence
    assert page.locator("img").count() == 0
    assert v.ids("node.selected") == [JUDGEMENTS[0]] and v.ids("node.neighbour") == [INSPECTION]
    v.click_node(FORCE)
    assert page.inner_text("#panel-label") == "Cambridgeshire Constabulary"
    assert "\u2190 inspected force PEEL 2021/22 inspection" in page.inner_text("#panel-links")

    # search by label, case-insensitively: the match is highlighted and centred
    before = v.view()
    page.fill("#search", "WILSHER")
    assert v.ids("node.match") == [PERSON]
    assert page.inner_text("#search-result") == "1 match"
    assert v.view() != before
    page.fill("#search", "good")
    assert len(v.ids("node.match")) == 4  # three judgements and the article
    page.fill("#search", "")
    assert v.ids("node.match") == []

    # Enter in the search box shows the matches' details in turn
    page.fill("#search", "crime")
    page.press("#search", "Enter")
    assert page.inner_text("#panel-label") == "Preventing crime: good"
    assert page.inner_text("#search-result") == "1 of 2"
    page.press("#search", "Enter")
    assert page.inner_text("#panel-label") == "Investigating crime: good"
    page.keyboard.press("Escape")  # clears the search
    assert v.ids("node.match") == []

    # zoom buttons change the scale
    before = v.view()
    page.click("#zoom-in")
    assert v.view()[0] > before[0]

    page.keyboard.press("Escape")  # closes the panel
    assert page.is_hidden("#panel")
    page.click("#zoom-fit")
    page.wait_for_timeout(100)  # the canvas is painted on the next frame
    image = decode_png(page.locator("#graph").screenshot())
    pixels = image.reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    assert len(colours) > 1, "the screenshot is one flat colour"
    background = colours[counts.argmax()]
    share = float((pixels != background).any(axis=1).mean())
    assert share > 0.005, f"only {share:.2%} of the drawing differs from the background"
    assert pixels_of(pixels, FORCE_COLOUR) > 100, "no force square in the picture"
    assert pixels_of(pixels, GOOD_COLOUR) > 100, "no judgement in the colour of its grade"
    v.check_clean()


def test_graph_with_precomputed_layout(visit, tmp_path):
    graph = small_graph(layout=True)
    path = tmp_path / "laid-out.html"
    write_html(graph, path, "laid out")
    v = visit(path)
    positions = v.positions()
    assert len(positions) == 7
    first, second = list(graph)[:2]  # x grows with the index, and y is up in the data but down on the page
    assert positions[first][0] < positions[second][0] and positions[first][1] > positions[second][1]
    v.check_clean()


def test_few_hundred_nodes_pan_zoom_drag(visit, tmp_path):
    graph = large_graph()
    path = tmp_path / "large.html"
    write_html(graph, path, "large")
    v = visit(path)
    page = v.page
    assert len(v.ids()) == graph.number_of_nodes()
    assert page.inner_text("#counts") == f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    assert page.locator("#legend-items li").count() == len(KINDS)

    # wheel zoom
    before = v.view()
    page.mouse.move(700, 400)
    page.mouse.wheel(0, -400)
    page.wait_for_function("(zoom) => cy.zoom() > zoom", arg=before[0])

    # pan by dragging the background (top right corner of the drawing is empty in a fitted disc of nodes)
    page.click("#zoom-fit")
    before = v.view()
    box = page.locator("#graph").bounding_box()
    start = (box["x"] + box["width"] - 5, box["y"] + 5)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] - 60, start[1] + 40, steps=4)
    page.mouse.up()
    zoom, x, y = v.view()
    assert zoom == before[0] and (round(x - before[1]), round(y - before[2])) == (-60, 40)
    assert page.is_hidden("#panel")

    # drag a node: the one under the pointer moves with it, and no other
    before = v.positions()
    centre = v.on_screen(f"{BASE}node/0")
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] + 50, centre[1] + 30, steps=5)
    page.mouse.up()
    after = v.positions()
    moved = [node for node in before if before[node] != after[node]]
    assert len(moved) == 1
    (x0, y0), (x1, y1) = before[moved[0]], after[moved[0]]
    assert (round((x1 - x0) * zoom), round((y1 - y0) * zoom)) == (50, 30)
    assert page.is_hidden("#panel"), "a drag is not a click"

    # hide a kind from the legend, relax the layout
    statistics = v.ids('node[kind = "statistic"]')
    page.click('#legend-items li[data-kind="statistic"]')
    assert statistics
    # cytoscape.js settles which elements are visible by the next frame
    page.wait_for_function("(kind) => cy.nodes(`[kind = '${kind}']:visible`).empty()", arg="statistic")
    before = v.positions()
    page.click("#relax")
    after = v.positions()
    assert len(after) == graph.number_of_nodes()
    assert all(after[node] == before[node] for node in statistics), "hidden nodes stay where they were"
    assert sum(after[node] != before[node] for node in after) > 100
    v.check_clean()


def test_empty_graph_in_chromium(visit, tmp_path):
    path = tmp_path / "empty.html"
    write_html(nx.DiGraph(), path, "nothing")
    v = visit(path)
    assert v.ids() == []
    assert v.page.inner_text("#counts") == "0 nodes, 0 edges"
    assert v.page.is_visible("#empty")
    v.check_clean()
