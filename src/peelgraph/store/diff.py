"""What changed between two exports (N-Quads or TriG) or two stores: facts added and removed per
article (articles are matched by their source file name)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from peelgraph.errors import InputError
from peelgraph.rdf.graphs import REFERENCE_GRAPHS
from peelgraph.rdf.vocab import PEEL
from peelgraph.store.base import is_remote, open_store
from peelgraph.store.exporting import FORMATS

SOURCE_FILE = ox.NamedNode(str(PEEL.sourceFile))
REFERENCE = {ox.NamedNode(name) for name in REFERENCE_GRAPHS}
# The exports that keep one named graph per article, by suffix.
DATASET_FORMATS = {
    suffix: export_format.rdf_format
    for export_format in FORMATS.values()
    if export_format.keeps_graphs
    for suffix in export_format.suffixes
}


@dataclass(frozen=True)
class ArticleChange:
    article: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


def load_facts(location: str | Path) -> dict[str, set[str]]:
    """Each article's triples (as N-Triples lines), by source file, from an export or a store."""
    graphs: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for quad in _quads(location):
        if isinstance(quad.graph_name, ox.DefaultGraph) or quad.graph_name in REFERENCE:
            continue
        graph = str(quad.graph_name)
        graphs[graph].add(str(quad.triple) + " .")
        if quad.predicate == SOURCE_FILE:
            names[graph] = quad.object.value
    facts: dict[str, set[str]] = defaultdict(set)
    for graph, triples in graphs.items():
        facts[names.get(graph, graph)] |= triples
    return facts


def _quads(location: str | Path) -> list[ox.Quad]:
    """The quads of a store (a directory or a server's URL), or of an export with named graphs."""
    path = Path(location)
    if is_remote(location) or path.is_dir():
        with open_store(location if is_remote(location) else path, read_only=True) as store:
            return list(store.quads())
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    rdf_format = DATASET_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(
            f"{path}: give a store directory or an export with named graphs ({', '.join(DATASET_FORMATS)})"
        )
    try:
        return list(ox.parse(path=str(path), format=rdf_format))
    except (SyntaxError, OSError) as error:
        raise InputError(f"{path}: cannot read as RDF: {str(error).splitlines()[0]}") from error


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
