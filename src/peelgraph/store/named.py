"""The named queries (src/peelgraph/queries/NAME.rq): written without PREFIX declarations, which
are added from vocab, so the namespaces are spelt in one place."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from peelgraph import resources
from peelgraph.rdf.vocab import with_prefixes


def named_queries() -> dict[str, Path]:
    """Each named query's file, by name."""
    return {p.stem: p for p in sorted(resources.directory("queries").glob("*.rq"))}


def source(name: str) -> str:
    """A named query's SPARQL as written, without PREFIX declarations."""
    return named_queries()[name].read_text(encoding="utf-8")


@cache
def text(name: str) -> str:
    """A named query's SPARQL, PREFIX declarations included."""
    return with_prefixes(source(name))
