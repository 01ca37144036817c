"""An interactive drawing of a graph as one self-contained HTML page that works offline.

The page holds everything it needs: the graph as JSON in ``<script type="application/json"
id="graph-data">``, and the stylesheet and script that draw it as SVG, written inline. It loads
nothing (no script, stylesheet, font or image from anywhere, and a Content-Security-Policy that
forbids it), so it can be opened straight from disk or sent as a single file.

What it offers: nodes shaped and coloured by kind with a legend (click a kind to hide or show
it), edges with arrows and their labels (shown when zoomed in, or around the selected node),
pan by dragging the background, zoom with the mouse wheel or the +/- buttons, drag nodes,
click a node to read its label, kind, properties, links and evidence sentences in a side panel,
search by label, and counts of nodes and edges.

Input contract: a ``networkx.DiGraph`` whose nodes are IRIs (strings) with attributes ``label``,
``kind`` (see :data:`KINDS`; anything else is shown as ``other``), optional ``properties``
(mapping str -> str), optional ``evidence`` (list of mappings with ``article``, ``sentence`` and
``rule``) and optional ``x``/``y`` (a precomputed layout in any range and any unit, y pointing up
as in matplotlib); edges carry ``label`` (the property). Without a full layout the page lays the
nodes out itself, deterministically: on a circle for a few, on a grid grouped by kind for more.

Text from articles is untrusted: it is embedded only inside the JSON (with ``<``, ``>`` and ``&``
escaped, so it cannot close the script element) and put on the page only as text, never as HTML.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

#: The kinds of node the page knows, in legend order; any other kind is drawn as "other".
KINDS = (
    "force",
    "organisation",
    "inspection",
    "judgement",
    "person",
    "article",
    "round",
    "area",
    "grade",
    "quote",
    "finding",
    "statistic",
    "other",
)

# Kinds whose labels are drawn at the ordinary zoom; the others' only when zoomed in.
_LARGE_KINDS = ("force", "organisation", "inspection", "person", "round", "area")


def write_html(graph: nx.DiGraph, path: Path, title: str) -> None:
    """Write ``graph`` as one self-contained, offline HTML page at ``path`` titled ``title``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(graph, title), encoding="utf-8")


def render_html(graph: nx.DiGraph, title: str) -> str:
    """The page :func:`write_html` writes, as a string."""
    data = graph_data(graph, title)
    payload = _script_safe_json(data)
    style = _STYLE + _kind_css()
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src '{_sha256(_SCRIPT)}'",
            f"style-src '{_sha256(style)}'",
            "img-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    heading = html.escape(str(title))
    return _PAGE.format(
        policy=html.escape(policy, quote=True),
        title=heading,
        style=style,
        payload=payload,
        script=_SCRIPT,
    )


def graph_data(graph: nx.DiGraph, title: str = "") -> dict[str, Any]:
    """The JSON-ready description of ``graph`` that the page embeds."""
    nodes = []
    for node, attributes in graph.nodes(data=True):
        item: dict[str, Any] = {
            "id": str(node),
            "label": _text(attributes.get("label", node)) or str(node),
            "kind": _kind(attributes.get("kind")),
            "properties": _properties(attributes.get("properties")),
            "evidence": _evidence(attributes.get("evidence")),
        }
        x, y = _number(attributes.get("x")), _number(attributes.get("y"))
        if x is not None and y is not None:
            item["x"], item["y"] = x, y
        nodes.append(item)
    edges = [
        {"source": str(source), "target": str(target), "label": _text(attributes.get("label", ""))}
        for source, target, attributes in graph.edges(data=True)
    ]
    return {"title": _text(title), "kinds": list(KINDS), "large": list(_LARGE_KINDS), "nodes": nodes, "edges": edges}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _kind(value: Any) -> str:
    kind = _text(value).strip().lower()
    return kind if kind in KINDS else "other"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _properties(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {_text(key): _text(item) for key, item in value.items()}


def _evidence(value: Any) -> list[dict[str, str]]:
    if value is None or isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return []
    return [
        {key: _text(item.get(key, "")) for key in ("article", "sentence", "rule")}
        for item in value
        if isinstance(item, Mapping)
    ]


def _script_safe_json(data: Any) -> str:
    """JSON that cannot end the script element it sits in nor open a comment there."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# kind -> (fill colour, shape drawn by the script); the first six match draw.STYLE.
_KIND_STYLE = {
    "force": ("#1f77b4", "square"),
    "organisation": ("#17becf", "hexagon"),
    "inspection": ("#ff7f0e", "diamond"),
    "judgement": ("#2ca02c", "circle"),
    "person": ("#d62728", "triangle"),
    "article": ("#7f7f7f", "triangle-down"),
    "round": ("#9467bd", "octagon"),
    "area": ("#8c564b", "pentagon"),
    "grade": ("#bcbd22", "star"),
    "quote": ("#e377c2", "pill"),
    "finding": ("#393b79", "triangle-right"),
    "statistic": ("#637939", "plus"),
    "other": ("#b0b0b0", "ring"),
}


def _kind_css() -> str:
    rules = []
    for kind, (colour, _shape) in _KIND_STYLE.items():
        rules.append(f".kind-{kind} .shape {{ fill: {colour}; }}")
        rules.append(
            f"#graph.hide-{kind} .node.kind-{kind}, #graph.hide-{kind} .edge.src-{kind}, "
            f"#graph.hide-{kind} .edge.tgt-{kind}, #graph.hide-{kind} .edge-label.src-{kind}, "
            f"#graph.hide-{kind} .edge-label.tgt-{kind} {{ display: none; }}"
        )
    return "\n".join(rules) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header id="toolbar">
  <h1 id="title">{title}</h1>
  <span id="counts" aria-live="polite"></span>
  <label class="search"><span class="visually-hidden">Find a node by label</span>
    <input id="search" type="search" placeholder="Find by label" autocomplete="off" spellcheck="false"></label>
  <span id="search-result" aria-live="polite"></span>
  <span class="buttons">
    <button type="button" id="zoom-in" title="Zoom in">+</button>
    <button type="button" id="zoom-out" title="Zoom out">&minus;</button>
    <button type="button" id="zoom-fit" title="Show the whole graph">Fit</button>
    <button type="button" id="relax" title="Spread the nodes apart (deterministic)">Relax layout</button>
  </span>
</header>
<main id="stage">
  <svg id="graph" aria-label="Graph drawing">
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" class="arrow-head"></path>
      </marker>
      <marker id="arrow-hot" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" class="arrow-head hot"></path>
      </marker>
    </defs>
    <g id="viewport">
      <g id="edges"></g>
      <g id="edge-labels"></g>
      <g id="nodes"></g>
    </g>
  </svg>
  <div id="empty" hidden>This graph has no nodes.</div>
  <aside id="legend" aria-label="Legend"><h2>Kinds</h2><ul id="legend-items"></ul>
    <p class="hint">Drag the background to pan, scroll to zoom, drag a node to move it, click it for details. Click a kind to hide or show it.</p></aside>
  <aside id="panel" hidden aria-live="polite">
    <button type="button" id="panel-close" title="Close">&times;</button>
    <h2 id="panel-label"></h2>
    <p id="panel-kind"></p>
    <p id="panel-id"></p>
    <section id="panel-properties-section"><h3>Properties</h3><dl id="panel-properties"></dl></section>
    <section id="panel-links-section"><h3>Links</h3><ul id="panel-links"></ul></section>
    <section id="panel-evidence-section"><h3>Evidence</h3><ol id="panel-evidence"></ol></section>
  </aside>
</main>
<script type="application/json" id="graph-data">{payload}</script>
<script>{script}</script>
</body>
</html>
"""

_STYLE = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1d1d1f; background: #ffffff; display: flex; flex-direction: column; overflow: hidden; }
#toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; padding: 8px 12px;
  border-bottom: 1px solid #d8d8dc; background: #f6f6f8; }
#toolbar h1 { font-size: 16px; margin: 0; font-weight: 600; }
#counts, #search-result { color: #555; font-size: 13px; }
#search { width: 16em; padding: 4px 8px; border: 1px solid #b8b8c0; border-radius: 4px; font: inherit; }
.buttons { display: flex; gap: 4px; margin-left: auto; }
button { font: inherit; padding: 2px 10px; border: 1px solid #b8b8c0; border-radius: 4px; background: #fff;
  cursor: pointer; }
button:hover { background: #ececf0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
#stage { position: relative; flex: 1; min-height: 0; }
#graph { display: block; width: 100%; height: 100%; cursor: grab; touch-action: none; user-select: none;
  background: #ffffff; }
#graph.panning { cursor: grabbing; }
#empty { position: absolute; top: 40%; width: 100%; text-align: center; color: #777; }
.edge { fill: none; stroke: #9a9aa6; stroke-width: 1.2; marker-end: url(#arrow); }
.arrow-head { fill: #9a9aa6; }
.arrow-head.hot { fill: #c2410c; }
.edge.hot { stroke: #c2410c; stroke-width: 2.2; marker-end: url(#arrow-hot); }
.edge-label { font-size: 9px; fill: #4a4a55; text-anchor: middle; dominant-baseline: central;
  paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; display: none;
  pointer-events: none; }
#graph.near .edge-label, .edge-label.hot { display: inline; }
.node { cursor: pointer; }
.node .shape { stroke: #ffffff; stroke-width: 1.5; }
.node.kind-other .shape { stroke: #6b6b6b; }
.node text { font-size: 11px; fill: #1d1d1f; paint-order: stroke; stroke: #ffffff; stroke-width: 3px;
  stroke-linejoin: round; display: none; pointer-events: none; }
.node.large text { display: inline; }
#graph.near .node text, .node.match text, .node.selected text, .node.neighbour text { display: inline; }
#graph.far .node.large text { display: none; }
#graph.far .node.match text, #graph.far .node.selected text { display: inline; }
.node.match .shape { stroke: #facc15; stroke-width: 5; }
.node.selected .shape { stroke: #111111; stroke-width: 3.5; }
#graph.searching .node:not(.match) { opacity: 0.35; }
#legend { position: absolute; left: 10px; bottom: 10px; max-width: 230px; background: rgba(255,255,255,0.93);
  border: 1px solid #d8d8dc; border-radius: 6px; padding: 6px 10px; font-size: 12px; }
#legend h2 { font-size: 13px; margin: 0 0 4px; }
#legend ul { list-style: none; margin: 0; padding: 0; }
#legend li { display: flex; align-items: center; gap: 6px; cursor: pointer; padding: 1px 0; }
#legend li.off { opacity: 0.35; text-decoration: line-through; }
#legend li svg { flex: none; }
#legend .hint { color: #666; margin: 6px 0 0; font-size: 11px; }
#panel { position: absolute; top: 0; right: 0; bottom: 0; width: min(420px, 45%); overflow-y: auto;
  background: #ffffff; border-left: 1px solid #d8d8dc; padding: 12px 16px; box-shadow: -2px 0 8px rgba(0,0,0,0.06); }
#panel[hidden], #empty[hidden] { display: none; }
#panel h2 { font-size: 17px; margin: 0 28px 4px 0; overflow-wrap: anywhere; }
#panel h3 { font-size: 13px; margin: 14px 0 4px; color: #444; text-transform: uppercase; letter-spacing: 0.04em; }
#panel-close { position: absolute; top: 8px; right: 8px; padding: 0 8px; font-size: 18px; line-height: 1.3; }
#panel-kind { margin: 0; color: #555; }
#panel-id { margin: 2px 0 0; color: #777; font-size: 12px; overflow-wrap: anywhere; }
#panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
#panel dt { color: #555; }
#panel dd { margin: 0; overflow-wrap: anywhere; }
#panel ul, #panel ol { margin: 0; padding-left: 18px; }
#panel li { margin: 3px 0; overflow-wrap: anywhere; }
#panel .link { background: none; border: none; padding: 0; color: #1d4ed8; text-decoration: underline; cursor: pointer; text-align: left; }
#panel blockquote { margin: 2px 0 2px; padding: 2px 0 2px 8px; border-left: 3px solid #d0d0d8; }
#panel .meta { color: #666; font-size: 12px; }
#panel .none { color: #888; font-style: italic; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var STYLE = {
    force: ["#1f77b4", "square", 16], organisation: ["#17becf", "hexagon", 14],
    inspection: ["#ff7f0e", "diamond", 13], judgement: ["#2ca02c", "circle", 9],
    person: ["#d62728", "triangle", 12], article: ["#7f7f7f", "triangle-down", 10],
    round: ["#9467bd", "octagon", 11], area: ["#8c564b", "pentagon", 12],
    grade: ["#bcbd22", "star", 10], quote: ["#e377c2", "pill", 8],
    finding: ["#393b79", "triangle-right", 9], statistic: ["#637939", "plus", 9],
    other: ["#b0b0b0", "ring", 8]
  };
  var NEAR = 1.4, FAR = 0.35, MIN_ZOOM = 0.03, MAX_ZOOM = 12, LABEL_MAX = 42;

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("graph");
  var NS = svg.namespaceURI;
  var viewport = document.getElementById("viewport");
  var edgeLayer = document.getElementById("edges");
  var edgeLabelLayer = document.getElementById("edge-labels");
  var nodeLayer = document.getElementById("nodes");
  var panel = document.getElementById("panel");
  var search = document.getElementById("search");
  var searchResult = document.getElementById("search-result");
  var kinds = data.kinds || Object.keys(STYLE);
  var large = {};
  (data.large || []).forEach(function (k) { large[k] = true; });

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var key in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, key)) e.setAttribute(key, attrs[key]); }
    if (parent) parent.appendChild(e);
    return e;
  }
  function h(name, text, parent, cls) {
    var e = document.createElement(name);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  function styleOf(kind) { return STYLE[kind] || STYLE.other; }
  function short(text) { return text.length > LABEL_MAX ? text.slice(0, LABEL_MAX - 1) + "\u2026" : text; }

  // ---- shapes -------------------------------------------------------------------------
  function polygon(sides, r, rotation) {
    var pts = [];
    for (var i = 0; i < sides; i++) {
      var a = rotation + (2 * Math.PI * i) / sides;
      pts.push((r * Math.cos(a)).toFixed(2) + "," + (r * Math.sin(a)).toFixed(2));
    }
    return pts.join(" ");
  }
  function star(r) {
    var pts = [];
    for (var i = 0; i < 10; i++) {
      var a = -Math.PI / 2 + (Math.PI * i) / 5, rr = i % 2 ? r * 0.45 : r;
      pts.push((rr * Math.cos(a)).toFixed(2) + "," + (rr * Math.sin(a)).toFixed(2));
    }
    return pts.join(" ");
  }
  function shape(kind, r, parent) {
    var name = styleOf(kind)[1], attrs = { "class": "shape" };
    switch (name) {
      case "square": attrs.x = -r * 0.85; attrs.y = -r * 0.85; attrs.width = r * 1.7; attrs.height = r * 1.7;
        return el("rect", attrs, parent);
      case "circle": attrs.r = r; return el("circle", attrs, parent);
      case "ring": attrs.r = r; attrs["stroke-dasharray"] = "3 2"; return el("circle", attrs, parent);
      case "pill": attrs.x = -r * 1.5; attrs.y = -r * 0.8; attrs.width = r * 3; attrs.height = r * 1.6;
        attrs.rx = r * 0.8; return el("rect", attrs, parent);
      case "diamond": attrs.points = polygon(4, r * 1.15, 0); break;
      case "triangle": attrs.points = polygon(3, r * 1.2, -Math.PI / 2); break;
      case "triangle-down": attrs.points = polygon(3, r * 1.2, Math.PI / 2); break;
      case "triangle-right": attrs.points = polygon(3, r * 1.2, 0); break;
      case "hexagon": attrs.points = polygon(6, r, 0); break;
      case "pentagon": attrs.points = polygon(5, r * 1.05, -Math.PI / 2); break;
      case "octagon": attrs.points = polygon(8, r, Math.PI / 8); break;
      case "star": attrs.points = star(r * 1.3); break;
      case "plus":
        var a = r, b = r * 0.38;
        attrs.points = [[-b, -a], [b, -a], [b, -b], [a, -b], [a, b], [b, b], [b, a], [-b, a], [-b, b], [-a, b], [-a, -b], [-b, -b]]
          .map(function (p) { return p[0].toFixed(2) + "," + p[1].toFixed(2); }).join(" ");
        break;
      default: attrs.r = r; return el("circle", attrs, parent);
    }
    return el("polygon", attrs, parent);
  }

  // ---- model --------------------------------------------------------------------------
  var nodes = data.nodes.map(function (n) {
    var kind = STYLE[n.kind] ? n.kind : "other";
    return { id: n.id, label: n.label, kind: kind, properties: n.properties || {}, evidence: n.evidence || [],
      x0: n.x, y0: n.y, x: 0, y: 0, r: styleOf(kind)[2], out: [], inn: [], el: null };
  });
  var byId = new Map();
  nodes.forEach(function (n) { byId.set(n.id, n); });
  var pairs = new Set();
  data.edges.forEach(function (e) { pairs.add(e.source + "\u0000" + e.target); });
  var edges = [];
  data.edges.forEach(function (e) {
    var s = byId.get(e.source), t = byId.get(e.target);
    if (!s || !t) return;
    var edge = { source: s, target: t, label: e.label || "",
      bend: s !== t && pairs.has(e.target + "\u0000" + e.source) ? 1 : 0, path: null, text: null };
    edges.push(edge);
    s.out.push(edge);
    t.inn.push(edge);
  });

  // ---- layout -------------------------------------------------------------------------
  function layout() {
    var n = nodes.length;
    if (!n) return;
    var size = Math.max(500, 70 * Math.sqrt(n));
    var placed = nodes.filter(function (d) { return typeof d.x0 === "number" && typeof d.y0 === "number"; });
    var missing = nodes.filter(function (d) { return !(typeof d.x0 === "number" && typeof d.y0 === "number"); });
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    placed.forEach(function (d) {
      minX = Math.min(minX, d.x0); maxX = Math.max(maxX, d.x0);
      minY = Math.min(minY, d.y0); maxY = Math.max(maxY, d.y0);
    });
    var span = Math.max(maxX - minX, maxY - minY);
    if (placed.length > 1 && span > 0) {
      var scale = size / span, cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
      placed.forEach(function (d) { d.x = (d.x0 - cx) * scale; d.y = -(d.y0 - cy) * scale; });
    } else {
      missing = nodes.slice();
      placed = [];
    }
    if (!missing.length) return;
    if (!placed.length && missing.length <= 40) {
      var radius = Math.max(140, (missing.length * 48) / (2 * Math.PI));
      missing.forEach(function (d, i) {
        var a = -Math.PI / 2 + (2 * Math.PI * i) / missing.length;
        d.x = radius * Math.cos(a); d.y = radius * Math.sin(a);
      });
      return;
    }
    var order = {};
    kinds.forEach(function (k, i) { order[k] = i; });
    var sorted = missing.slice().sort(function (a, b) {
      return (order[a.kind] - order[b.kind]) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var cols = Math.ceil(Math.sqrt(sorted.length)), step = 90;
    var top = placed.length ? size / 2 + 2 * step : -((Math.ceil(sorted.length / cols) - 1) * step) / 2;
    var left = -((cols - 1) * step) / 2;
    sorted.forEach(function (d, i) { d.x = left + (i % cols) * step; d.y = top + Math.floor(i / cols) * step; });
  }

  // Deterministic force relaxation from the current positions (no randomness).
  function relax(iterations) {
    var n = nodes.length;
    if (n < 2) return;
    var k = 50, temperature = 40, gravity = 1.5, index = new Map();
    nodes.forEach(function (d, i) { index.set(d, i); });
    for (var it = 0; it < iterations; it++) {
      var dx = new Float64Array(n), dy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var ox = nodes[i].x - nodes[j].x, oy = nodes[i].y - nodes[j].y;
          var d2 = ox * ox + oy * oy;
          if (d2 < 0.01) { ox = (i - j) * 0.1 + 0.1; oy = (j % 7 - 3) * 0.1 + 0.05; d2 = ox * ox + oy * oy; }
          var f = (k * k) / d2;
          dx[i] += ox * f; dy[i] += oy * f; dx[j] -= ox * f; dy[j] -= oy * f;
        }
      }
      edges.forEach(function (e) {
        if (e.source === e.target) return;
        var a = index.get(e.source), b = index.get(e.target);
        var ox = e.source.x - e.target.x, oy = e.source.y - e.target.y;
        var dist = Math.sqrt(ox * ox + oy * oy) || 0.01, f = dist / k;
        dx[a] -= ox * f; dy[a] -= oy * f; dx[b] += ox * f; dy[b] += oy * f;
      });
      for (var m = 0; m < n; m++) {
        dx[m] -= nodes[m].x * gravity; dy[m] -= nodes[m].y * gravity;  // keeps separate parts together
        var len = Math.sqrt(dx[m] * dx[m] + dy[m] * dy[m]);
        if (len > 0) {
          var step = Math.min(len, temperature);
          nodes[m].x += (dx[m] / len) * step; nodes[m].y += (dy[m] / len) * step;
        }
      }
      temperature = Math.max(1, temperature * 0.96);
    }
  }

  // ---- drawing ------------------------------------------------------------------------
  function build() {
    nodes.forEach(function (d) {
      var g = el("g", { "class": "node kind-" + d.kind + (large[d.kind] ? " large" : ""), tabindex: "0" }, nodeLayer);
      g.setAttribute("data-id", d.id);
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", d.kind + ": " + d.label);
      el("title", {}, g).textContent = d.label + " (" + d.kind + ")";
      shape(d.kind, d.r, g);
      var t = el("text", { x: d.r + 4, y: 4 }, g);
      t.textContent = short(d.label);
      d.el = g;
    });
    edges.forEach(function (e) {
      var cls = " src-" + e.source.kind + " tgt-" + e.target.kind;
      e.path = el("path", { "class": "edge" + cls }, edgeLayer);
      if (e.label) {
        e.text = el("text", { "class": "edge-label" + cls }, edgeLabelLayer);
        e.text.textContent = short(e.label);
      }
    });
  }

  function placeNode(d) { d.el.setAttribute("transform", "translate(" + d.x.toFixed(2) + "," + d.y.toFixed(2) + ")"); }

  function placeEdge(e) {
    var s = e.source, t = e.target, mx, my;
    if (s === t) {
      var r = s.r;
      e.path.setAttribute("d", "M" + (s.x + r * 0.6) + "," + (s.y - r * 0.8) + " C" + (s.x + r * 3) + "," + (s.y - r * 4) +
        " " + (s.x + r * 4) + "," + (s.y + r) + " " + (s.x + r) + "," + (s.y + r * 0.3));
      mx = s.x + r * 3; my = s.y - r * 1.2;
    } else {
      var dx = t.x - s.x, dy = t.y - s.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len;
      var bend = e.bend ? Math.min(30, len * 0.15) : 0;
      var cx = (s.x + t.x) / 2 - uy * bend, cy = (s.y + t.y) / 2 + ux * bend;
      var ax = s.x + ux * s.r, ay = s.y + uy * s.r, bx = t.x - ux * (t.r + 2), by = t.y - uy * (t.r + 2);
      if (bend) {
        e.path.setAttribute("d", "M" + ax.toFixed(2) + "," + ay.toFixed(2) + " Q" + cx.toFixed(2) + "," + cy.toFixed(2) +
          " " + bx.toFixed(2) + "," + by.toFixed(2));
        mx = (ax + 2 * cx + bx) / 4; my = (ay + 2 * cy + by) / 4;
      } else {
        e.path.setAttribute("d", "M" + ax.toFixed(2) + "," + ay.toFixed(2) + " L" + bx.toFixed(2) + "," + by.toFixed(2));
        mx = (ax + bx) / 2; my = (ay + by) / 2;
      }
    }
    if (e.text) { e.text.setAttribute("x", mx.toFixed(2)); e.text.setAttribute("y", my.toFixed(2)); }
  }

  function placeAll() { nodes.forEach(placeNode); edges.forEach(placeEdge); }

  // ---- view: pan and zoom ---------------------------------------------------------------
  var view = { x: 0, y: 0, k: 1 };
  function applyView() {
    viewport.setAttribute("transform", "translate(" + view.x.toFixed(2) + "," + view.y.toFixed(2) + ") scale(" + view.k.toFixed(4) + ")");
    svg.classList.toggle("near", view.k >= NEAR);
    svg.classList.toggle("far", view.k < FAR);
  }
  function size() { var r = svg.getBoundingClientRect(); return { w: r.width || 800, h: r.height || 600, left: r.left, top: r.top }; }
  function zoomAt(factor, sx, sy) {
    var k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.k * factor));
    view.x = sx - ((sx - view.x) * k) / view.k;
    view.y = sy - ((sy - view.y) * k) / view.k;
    view.k = k;
    applyView();
  }
  function zoomCentre(factor) { var s = size(); zoomAt(factor, s.w / 2, s.h / 2); }
  // The part of the drawing not covered by the legend or the side panel, in svg pixels.
  function free() {
    var s = size(), left = 0, right = s.w;
    var lg = document.getElementById("legend").getBoundingClientRect();
    if (lg.width && s.w - (lg.right - s.left) > s.w * 0.55) left = lg.right - s.left;
    if (!panel.hidden) {
      var pr = panel.getBoundingClientRect();
      if (pr.width && pr.left - s.left - left > s.w * 0.35) right = pr.left - s.left;
    }
    return { left: left, right: right, h: s.h };
  }
  function labelShown(d, k) {
    return k >= NEAR || (large[d.kind] && k >= FAR) || d.el.classList.contains("match") || d.el.classList.contains("selected");
  }
  function fit() {
    var room = free(), shown = nodes.filter(function (d) { return !svg.classList.contains("hide-" + d.kind); });
    if (!shown.length) shown = nodes;
    if (!shown.length) { view = { x: (room.left + room.right) / 2, y: room.h / 2, k: 1 }; applyView(); return; }
    var pad = 40, k = 1.6, box;
    for (var pass = 0; pass < 3; pass++) {
      box = { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity };
      shown.forEach(function (d) {
        var right = d.x + d.r + (pass && labelShown(d, k) ? 4 + 6.3 * Math.min(d.label.length, LABEL_MAX) : 0);
        box.minX = Math.min(box.minX, d.x - d.r); box.maxX = Math.max(box.maxX, right);
        box.minY = Math.min(box.minY, d.y - d.r); box.maxY = Math.max(box.maxY, d.y + d.r);
      });
      var w = Math.max(box.maxX - box.minX, 1), hgt = Math.max(box.maxY - box.minY, 1);
      k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.min((room.right - room.left - 2 * pad) / w, (room.h - 2 * pad) / hgt, 1.6)));
    }
    view.k = k;
    view.x = (room.left + room.right) / 2 - ((box.minX + box.maxX) / 2) * k;
    view.y = room.h / 2 - ((box.minY + box.maxY) / 2) * k;
    applyView();
  }
  function centreOn(d) {
    var room = free();
    if (view.k < 1) view.k = 1;
    view.x = (room.left + room.right) / 2 - d.x * view.k;
    view.y = room.h / 2 - d.y * view.k;
    applyView();
  }
  function toGraph(clientX, clientY) {
    var s = size();
    return { x: (clientX - s.left - view.x) / view.k, y: (clientY - s.top - view.y) / view.k };
  }

  // ---- interaction --------------------------------------------------------------------
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    var target = ev.target.closest ? ev.target.closest(".node") : null;
    var d = target ? byId.get(target.getAttribute("data-id")) : null;
    var p = toGraph(ev.clientX, ev.clientY);
    drag = d ? { node: d, dx: d.x - p.x, dy: d.y - p.y, sx: ev.clientX, sy: ev.clientY, moved: false }
      : { node: null, vx: view.x, vy: view.y, sx: ev.clientX, sy: ev.clientY, moved: false };
    if (!d) svg.classList.add("panning");
    try { svg.setPointerCapture(ev.pointerId); } catch (err) { /* capture is a nicety */ }
    ev.preventDefault();
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    if (Math.abs(ev.clientX - drag.sx) + Math.abs(ev.clientY - drag.sy) > 3) drag.moved = true;
    if (!drag.moved) return;
    if (drag.node) {
      var p = toGraph(ev.clientX, ev.clientY), d = drag.node;
      d.x = p.x + drag.dx; d.y = p.y + drag.dy;
      placeNode(d);
      d.out.forEach(placeEdge);
      d.inn.forEach(placeEdge);
    } else {
      view.x = drag.vx + ev.clientX - drag.sx;
      view.y = drag.vy + ev.clientY - drag.sy;
      applyView();
    }
  });
  function endDrag(ev) {
    if (!drag) return;
    var done = drag;
    drag = null;
    svg.classList.remove("panning");
    try { svg.releasePointerCapture(ev.pointerId); } catch (err) { /* not captured */ }
    if (ev.type === "pointerup" && !done.moved) {
      if (done.node) select(done.node); else select(null);
    }
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var s = size(), delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
    zoomAt(Math.exp(-delta * 0.0015), ev.clientX - s.left, ev.clientY - s.top);
  }, { passive: false });
  svg.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    var target = ev.target.closest ? ev.target.closest(".node") : null;
    if (target) { ev.preventDefault(); select(byId.get(target.getAttribute("data-id"))); }
  });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomCentre(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCentre(0.8); });
  document.getElementById("zoom-fit").addEventListener("click", fit);
  document.getElementById("relax").addEventListener("click", function () { relax(150); placeAll(); fit(); });
  document.getElementById("panel-close").addEventListener("click", function () { select(null); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { if (document.activeElement === search && search.value) { search.value = ""; runSearch(); } else select(null); }
  });

  // ---- selection and side panel ------------------------------------------------------------
  var selected = null;
  function mark(d, on) {
    d.el.classList.toggle("selected", on);
    d.out.concat(d.inn).forEach(function (e) {
      e.path.classList.toggle("hot", on);
      if (e.text) e.text.classList.toggle("hot", on);
      var other = e.source === d ? e.target : e.source;
      if (other !== d) other.el.classList.toggle("neighbour", on);
    });
  }
  function select(d) {
    if (selected) mark(selected, false);
    selected = d || null;
    if (!selected) { panel.hidden = true; return; }
    mark(selected, true);
    nodeLayer.appendChild(selected.el);  // draw on top
    fillPanel(selected);
    panel.hidden = false;
  }
  function fillPanel(d) {
    document.getElementById("panel-label").textContent = d.label;
    document.getElementById("panel-kind").textContent = d.kind;
    document.getElementById("panel-id").textContent = d.id;
    var props = document.getElementById("panel-properties");
    props.replaceChildren();
    var keys = Object.keys(d.properties).sort();
    keys.forEach(function (key) { h("dt", key, props); h("dd", d.properties[key], props); });
    if (!keys.length) h("dd", "none", props, "none");
    var links = document.getElementById("panel-links");
    links.replaceChildren();
    function link(prefix, e, other) {
      var li = h("li", null, links);
      h("span", prefix + (e.label || "link") + " ", li, "meta");
      var b = h("button", other.label, li, "link");
      b.type = "button";
      b.addEventListener("click", function () { centreOn(other); select(other); });
    }
    d.out.forEach(function (e) { link("\u2192 ", e, e.target); });
    d.inn.forEach(function (e) { link("\u2190 ", e, e.source); });
    if (!d.out.length && !d.inn.length) h("li", "none", links, "none");
    var list = document.getElementById("panel-evidence");
    list.replaceChildren();
    d.evidence.forEach(function (ev) {
      var li = h("li", null, list);
      h("blockquote", ev.sentence, li, "sentence");
      var meta = h("div", null, li, "meta");
      h("span", "article: ", meta);
      h("span", ev.article, meta, "article");
      h("br", null, meta);
      h("span", "rule: ", meta);
      h("span", ev.rule, meta, "rule");
    });
    if (!d.evidence.length) h("li", "none", list, "none");
  }

  // ---- search -------------------------------------------------------------------------
  var matches = [], current = 0;
  function runSearch() {
    matches.forEach(function (d) { d.el.classList.remove("match"); });
    var q = search.value.trim().toLowerCase();
    matches = q ? nodes.filter(function (d) { return d.label.toLowerCase().indexOf(q) !== -1; }) : [];
    current = 0;
    matches.forEach(function (d) { d.el.classList.add("match"); nodeLayer.appendChild(d.el); });
    svg.classList.toggle("searching", matches.length > 0);
    searchResult.textContent = !q ? "" : matches.length ? matches.length + (matches.length === 1 ? " match" : " matches") : "no match";
    if (matches.length) centreOn(matches[0]);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !matches.length) return;
    ev.preventDefault();
    current = (current + (ev.shiftKey ? matches.length - 1 : 1)) % matches.length;
    centreOn(matches[current]);
    searchResult.textContent = (current + 1) + " of " + matches.length;
  });

  // ---- legend and counts ------------------------------------------------------------------
  function legend() {
    var counts = {};
    nodes.forEach(function (d) { counts[d.kind] = (counts[d.kind] || 0) + 1; });
    var list = document.getElementById("legend-items");
    kinds.forEach(function (kind) {
      if (!counts[kind]) return;
      var li = h("li", null, list);
      li.setAttribute("data-kind", kind);
      li.setAttribute("role", "button");
      li.tabIndex = 0;
      var icon = el("svg", { width: 26, height: 22, viewBox: "-13 -11 26 22", "class": "kind-" + kind });
      li.appendChild(icon);
      shape(kind, 7, icon);
      h("span", kind + " (" + counts[kind] + ")", li);
      function toggle() { li.classList.toggle("off", svg.classList.toggle("hide-" + kind)); }
      li.addEventListener("click", toggle);
      li.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); toggle(); } });
    });
    document.getElementById("counts").textContent =
      nodes.length + (nodes.length === 1 ? " node, " : " nodes, ") + edges.length + (edges.length === 1 ? " edge" : " edges");
  }

  layout();
  build();
  placeAll();
  legend();
  fit();
  if (!nodes.length) document.getElementById("empty").hidden = false;
  window.addEventListener("resize", function () { applyView(); });
  svg.setAttribute("data-ready", "true");
})();
"""
