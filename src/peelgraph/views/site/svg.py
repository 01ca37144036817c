"""A matplotlib SVG made fit to sit inside a page that allows no inline CSS.

The page's Content-Security-Policy blocks style attributes and style elements, so the drawing's CSS
becomes SVG presentation attributes, which draw the same. Its metadata (the time it was drawn) goes,
and its ids (some drawn at random) are numbered in document order, so the same chart gives the same
text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
HREFS = ("href", f"{{{XLINK}}}href")
DROPPED = (f"{{{SVG}}}metadata", f"{{{SVG}}}style")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
REFERENCE = re.compile(r"url\(#([^)]+)\)")

ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)


def _declarations(css: str) -> dict[str, str]:
    """'fill: #fff; stroke: none' -> {"fill": "#fff", "stroke": "none"}"""
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def inlined(text: str, title: str, prefix: str = "chart") -> str:
    """The drawing as an <svg> element to put in a page, with `title` as its accessible name."""
    root = ET.fromstring(text)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG}}}style":  # matplotlib's one rule, for every element: "*{...}"
                for selector, body in RULE.findall(child.text or ""):
                    if selector.strip() == "*":
                        root.attrib.update(_declarations(body))
            if child.tag in DROPPED:
                parent.remove(child)
    ids = {}
    for element in root.iter():
        if "style" in element.attrib:
            element.attrib.update(_declarations(element.attrib.pop("style")))
        if "id" in element.attrib:
            numbered = f"{prefix}-{len(ids) + 1}"
            ids[element.attrib["id"]] = numbered
            element.set("id", numbered)
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name in HREFS and value.startswith("#"):
                element.set(name, "#" + ids.get(value[1:], value[1:]))
            elif "url(#" in value:
                element.set(name, REFERENCE.sub(lambda m: f"url(#{ids.get(m[1], m[1])})", value))
    heading = ET.Element(f"{{{SVG}}}title", {"id": f"{prefix}-title"})
    heading.text = title
    root.insert(0, heading)
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title")
    root.set("class", prefix)
    return ET.tostring(root, encoding="unicode")
