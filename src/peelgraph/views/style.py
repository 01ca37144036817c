"""The one style table of every drawing, views/style.json: each kind of node's colour, shape and size,
each shape as matplotlib, Graphviz and the HTML page draw it, and the grades' colours, worst to best.

The matplotlib and Graphviz drawings read it here; the HTML page embeds it whole for its script.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

TABLE: dict[str, Any] = json.loads(files(__package__).joinpath("style.json").read_text(encoding="utf-8"))
KINDS: dict[str, dict[str, Any]] = TABLE["kinds"]
SHAPES: dict[str, dict[str, Any]] = TABLE["shapes"]
GRADES: dict[str, str] = TABLE["grades"]
OTHER = "other"


def kind_style(kind: str | None) -> dict[str, Any]:
    """How a node of this kind is drawn; an unknown kind is drawn as "other"."""
    return KINDS.get(kind or OTHER, KINDS[OTHER])


def marker(kind: str | None) -> str:
    """The matplotlib marker of a kind."""
    return SHAPES[kind_style(kind)["shape"]]["matplotlib"]


def graphviz_shape(kind: str | None) -> str:
    """The Graphviz node shape of a kind."""
    return SHAPES[kind_style(kind)["shape"]]["graphviz"]
