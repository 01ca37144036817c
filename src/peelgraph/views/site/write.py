"""The site's files, from its pages: each page's HTML from its Jinja2 template (text from the articles
escaped), and beside it a CSV of each of its tables. Pages -> files.

Every page carries its stylesheet and script inline, with a Content-Security-Policy that allows those
two (by their hashes) and nothing else: no request leaves the page, and the pages work the same
opened from disk in any browser (which differ on what a file's "own origin" is).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from importlib.resources import files
from pathlib import Path

import jinja2
from jinja2.utils import htmlsafe_json_dumps

from peelgraph.rdf.to_rdf import slugify
from peelgraph.views import style
from peelgraph.views.site.pages import Page, Table

PACKAGE = files(__package__)
ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader(__package__, "templates"),
    autoescape=jinja2.select_autoescape(("html",)),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.filters["slug"] = slugify
BOM = "\ufeff"  # so that spreadsheet programs read the CSV as UTF-8 ("Zoë", "£")
# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)"), unless it is a number ("-5").
FORMULA = re.compile(r"^[=+\-@\t\r](?![\d.,]+%?$)")


def _static(name: str) -> str:
    return (PACKAGE / "static" / name).read_text(encoding="utf-8")


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ink(colour: str) -> str:
    """Black or white: whichever reads better on the colour (the larger WCAG contrast)."""
    light = _luminance(colour)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


def stylesheet() -> str:
    """site.css and a class per grade in the timeline's colours (style.json)."""
    grades = [{"name": slugify(label), "colour": colour, "ink": ink(colour)} for label, colour in style.GRADES.items()]
    return _static("site.css") + ENVIRONMENT.get_template("grades.css").render(grades=grades)


def _source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(css: str, script: str) -> str:
    """Nothing may load, connect or submit; only this stylesheet and script may apply and run."""
    allowed = f"script-src {_source(script)}; style-src {_source(css)}"
    return f"default-src 'none'; {allowed}; base-uri 'none'; form-action 'none'"


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows([("'" + cell if FORMULA.match(cell) else cell) for cell in row] for row in table.records())
    return BOM + buffer.getvalue()


def write(pages: list[Page], folder: Path, search: dict) -> int:
    """Write the pages and their tables' CSV files into the folder; the number of files written."""
    css, script = stylesheet(), _static("site.js")
    # the search index is the same on every page: made into JSON that cannot end its <script> once
    index = htmlsafe_json_dumps(search, dumps=json.dumps, sort_keys=True, separators=(",", ":"))
    shared = {"css": css, "js": script, "policy": policy(css, script), "search": index}
    written = 0
    for page in pages:
        target = folder / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        html = ENVIRONMENT.get_template(page.template).render(page=page, root=page.root, **page.values, **shared)
        target.write_bytes(html.encode("utf-8"))
        written += 1
        for table in page.tables.values():
            if table.rows:
                (target.parent / table.csv).write_bytes(csv_text(table).encode("utf-8"))
                written += 1
    return written
