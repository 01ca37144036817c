"""The one place that finds packaged files: ontology, shapes, gazetteer, rules' measured precision
and named queries.

An installed wheel carries them under peelgraph/_resources; a source checkout keeps them at the
top of the repository.
"""

from functools import cache
from pathlib import Path

from peelgraph.errors import ResourceError

_PACKAGE = Path(__file__).resolve().parent
_CANDIDATES = {
    "ontology": (_PACKAGE / "_resources" / "ontology", _PACKAGE.parents[1] / "ontology"),
    "shapes": (_PACKAGE / "_resources" / "shapes", _PACKAGE.parents[1] / "shapes"),
    "gazetteer": (_PACKAGE / "_resources" / "gazetteer", _PACKAGE.parents[1] / "data" / "gazetteer"),
    "rules": (_PACKAGE / "_resources" / "rules", _PACKAGE.parents[1] / "data" / "rules"),
    "queries": (_PACKAGE / "queries",),
}


@cache
def directory(kind: str) -> Path:
    """The directory holding one kind of resource."""
    try:
        candidates = _CANDIDATES[kind]
    except KeyError:
        raise ResourceError(f"unknown resource kind {kind!r}; known: {', '.join(_CANDIDATES)}") from None
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise ResourceError(f"cannot find the {kind} resources (looked in {', '.join(map(str, candidates))})")


def path(kind: str, name: str) -> Path:
    """One resource file, e.g. path("ontology", "peel.ttl")."""
    found = directory(kind) / name
    if not found.is_file():
        raise ResourceError(f"{found}: missing packaged resource")
    return found


def ontology_path() -> Path:
    return path("ontology", "peel.ttl")


def shapes_path() -> Path:
    return path("shapes", "peel.shacl.ttl")
