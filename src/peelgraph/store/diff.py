"""What changed between two exports (N-Quads or TriG) or two stores: facts added and removed per
article (articles are matched by their source file name)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from peelgraph.errors import InputError
from peelgraph.store.embedded import REFERENCE_GRAPHS, Store

SOURCE_FILE = "https://w3id.org/peelgraph/ontology#sourceFile"
DATASET_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}


@dataclass(frozen=True)
class ArticleChange:
    article: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


def load_facts(location: str | Path) -> dict[str, set[str]]:
    """Each article's triples (as N-Triples lines), by source file, from an export or a store."""
    path = Path(location)
    if path.is_dir():
        with Store(path, read_only=True) as store:
            quads = list(store.quads())
    elif path.suffix.lower() in DATASET_FORMATS:
        try:
            quads = list(ox.parse(path=str(path), format=DATASET_FORMATS[path.suffix.lower()]))
        except (SyntaxError, OSError) as error:
            raise InputError(f"{path}: cannot read as RDF: {str(error).splitlines()[0]}") from error
    else:
        raise InputError(
            f"{path}: give a store directory or an export with named graphs ({', '.join(DATASET_FORMATS)})"
        )
    graphs: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for quad in quads:
        graph = str(quad.graph_name)
        if quad.graph_name == ox.DefaultGraph() or graph.strip("<>") in REFERENCE_GRAPHS:
            continue
        graphs[graph].add(str(quad.triple) + " .")
        if quad.predicate.value == SOURCE_FILE:
            names[graph] = quad.object.value
    facts: dict[str, set[str]] = defaultdict(set)
    for graph, triples in graphs.items():
        facts[names.get(graph, graph)] |= triples
    return facts


def diff(old: str | Path, new: str | Path) -> list[ArticleChange]:
    """The articles whose facts differ, in name order.

    >>> diff.__name__
    'diff'
    """
    before, after = load_facts(old), load_facts(new)
    changes = []
    for article in sorted(before.keys() | after.keys()):
        added = tuple(sorted(after.get(article, set()) - before.get(article, set())))
        removed = tuple(sorted(before.get(article, set()) - after.get(article, set())))
        if added or removed:
            changes.append(ArticleChange(article, added, removed))
    return changes
