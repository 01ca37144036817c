"""HTML documentation of the ontology (pyLODE) and of its SKOS schemes: grades, areas, rounds,
finding kinds and posts."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from rdflib.namespace import SKOS

from peelgraph import resources
from peelgraph.gazetteer import load, ontology


def write_docs(directory: str | Path) -> list[Path]:
    """Write ontology.html (classes and properties) and schemes.html (the SKOS schemes)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "ontology.html", directory / "schemes.html"]
    written[0].write_text(_ontology_page(), encoding="utf-8")
    written[1].write_text(_schemes_page(), encoding="utf-8")
    return written


def _ontology_page() -> str:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    from pylode import OntPub  # its import sets up logging at DEBUG for the whole process

    root.handlers[:] = handlers
    root.setLevel(level)
    return OntPub(ontology=str(resources.ontology_path())).make_html()


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"


def _table(title: str, headers: tuple[str, ...], rows: list[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    return (
        f"<h2>{html.escape(title)}</h2>\n<table><thead><tr>{head}</tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _definition(concept) -> str:
    return str(ontology().value(concept.iri, SKOS.definition) or "")


def _schemes_page() -> str:
    g = load()
    rounds = sorted(g.rounds.values(), key=lambda r: r.sequence)
    sections = [
        _table(
            "Rounds",
            ("round", "grading scale", "reports published", "definition"),
            [
                _row(
                    r.notation,
                    "five-point" if r.five_point else "four-point",
                    f"{r.reports_from} to {r.reports_until}",
                    _definition(r),
                )
                for r in rounds
            ],
        ),
        _table(
            "Grades",
            ("grade", "rank", "scales", "definition"),
            [
                _row(
                    x.label, x.rank, "five-point" if x.five_point_only else "four-point and five-point", _definition(x)
                )
                for x in sorted(g.grades.values(), key=lambda x: -x.rank)
            ],
        ),
        _table(
            "Areas",
            ("area", "pillar", "graded in", "other wordings", "definition"),
            [
                _row(
                    a.label,
                    a.broader or "",
                    ", ".join(r.notation for r in rounds if r.notation in a.rounds),
                    "; ".join(a.match_labels),
                    _definition(a),
                )
                for a in sorted(g.areas.values(), key=lambda a: (a.broader or a.slug, a.broader is not None, a.label))
            ],
        ),
        _table(
            "Finding kinds", ("kind", "definition"), [_row(k.label, _definition(k)) for k in g.finding_kinds.values()]
        ),
        _table(
            "Posts",
            ("post", "other wordings", "definition"),
            [_row(p.label, "; ".join(p.match_labels), _definition(p)) for p in g.posts.values()],
        ),
    ]
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>peelgraph concept schemes</title>'
        f"<style>{style}</style></head><body><h1>peelgraph concept schemes</h1>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )
