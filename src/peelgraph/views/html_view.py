"""An interactive drawing of a graph as one self-contained HTML page that works offline.

The page holds everything it needs, inline: the graph as JSON in ``<script type="application/json"
id="graph-data">``, the style table (views/style.json) in another such block, and the files of
views/static/: the page (view.html), its stylesheet (view.css), cytoscape.js (vendored, see
static/README.md), which lays the graph out, pans, zooms and drags, and the script that draws the
graph with it (view.js). It loads nothing (no script, stylesheet, font or image from anywhere, and a
Content-Security-Policy that allows only these inline scripts and stylesheet), so it can be opened
straight from disk or sent as a single file.

What it offers: nodes shaped and coloured by kind (judgements by grade) with a legend (click a kind to
hide or show it), edges with arrows and their labels (shown when zoomed in, or around the selected
node), pan by dragging the background, zoom with the mouse wheel or the +/- buttons, drag nodes, click
a node to read its label, kind, properties, links and evidence sentences in a side panel, search by
label (Enter shows each match in turn), and counts of nodes and edges.

Input contract: a ``networkx.DiGraph`` whose nodes are IRIs (strings) with attributes ``label``,
``kind`` (see :data:`KINDS`; anything else is shown as ``other``), optional ``caption`` (the text
drawn by the node, the label by default), optional ``properties`` (mapping str -> str; a ``grade``
colours the node), optional ``evidence`` (list of mappings with ``article``, ``sentence`` and
``rule``) and optional ``x``/``y`` (a precomputed layout in any range and any unit, y pointing up
as in matplotlib); edges carry ``label`` (the property). Without a layout for every node the page
lays the nodes out itself, deterministically: on a circle for a few, on a grid grouped by kind for more.

Text from articles is untrusted: it is embedded only inside the JSON (with ``<``, ``>`` and ``&``
escaped, so it cannot close the script element) and put on the page only as text, never as HTML.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
from collections.abc import Iterable, Mapping
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx

from peelgraph.views import style

#: The kinds of node the page knows, in legend order; any other kind is drawn as "other".
KINDS = tuple(style.KINDS)


def write_html(graph: nx.DiGraph, path: Path, title: str) -> None:
    """Write ``graph`` as one self-contained, offline HTML page at ``path`` titled ``title``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(graph, title), encoding="utf-8")


def render_html(graph: nx.DiGraph, title: str) -> str:
    """The page :func:`write_html` writes, as a string."""
    library, script, stylesheet = _static("cytoscape.min.js"), _static("view.js"), _static("view.css")
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src '{_sha256(library)}' '{_sha256(script)}'",
            f"style-src '{_sha256(stylesheet)}'",
            "img-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return Template(_static("view.html")).substitute(
        policy=html.escape(policy, quote=True),
        title=html.escape(str(title)),
        style=stylesheet,
        style_table=_script_safe_json(style.TABLE),
        payload=_script_safe_json(graph_data(graph, title)),
        library=library,
        script=script,
    )


@functools.cache
def _static(name: str) -> str:
    return files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def graph_data(graph: nx.DiGraph, title: str = "") -> dict[str, Any]:
    """The JSON-ready description of ``graph`` that the page embeds."""
    nodes = []
    for node, attributes in graph.nodes(data=True):
        item: dict[str, Any] = {
            "id": str(node),
            "label": _text(attributes.get("label", node)) or str(node),
            "caption": _text(attributes.get("caption")),
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
    return {"title": _text(title), "nodes": nodes, "edges": edges}


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
