"""Write the store out as RDF: Turtle, N-Triples, JSON-LD and RDF/XML (the merged graph of facts) or
TriG and N-Quads (one named graph per article, with provenance). Output is sorted, so exports diff
cleanly. A file's format is the one its suffix names (FORMATS), unless one is given.

What of the ontology and gazetteer goes with the facts (REFERENCE): by default the labels of the
forces, organisations, grades, areas and rounds the merged graph mentions, so it reads on its own;
"all" adds both graphs whole; "none" writes the facts alone. TriG and N-Quads copy the article
graphs as stored, with the two reference graphs only for "all".
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDFS, SKOS

from peelgraph.errors import InputError
from peelgraph.files import replacing
from peelgraph.rdf.graphs import reference_nquads
from peelgraph.rdf.vocab import PREFIXES
from peelgraph.store import answers
from peelgraph.store.base import Store


@dataclass(frozen=True)
class ExportFormat:
    name: str
    rdf_format: ox.RdfFormat
    suffixes: tuple[str, ...]  # of the files written in it, the usual one first
    write: Callable[[Store, ExportFormat, str, object], bytes | None]  # how the store is written in it
    keeps_graphs: bool = False  # one named graph per article, else the merged graph
    prefixed: bool = False  # written with peelgraph's prefixes
    aliases: tuple[str, ...] = ()  # other names it answers to


REFERENCE = ("labels", "all", "none")
LABEL_PREDICATES = {ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.prefLabel))}


def _copied_nquads(store: Store, export_format: ExportFormat, reference: str, output) -> bytes | None:
    """Line-based: each graph's N-Quads written as they come, graphs in name order."""
    include_reference = reference == "all"
    kept = answers.nquads(store)
    if kept is None:
        return _write_chunks(store.nquads(include_reference=include_reference), output)
    reference = [reference_nquads()] if include_reference else []
    return _write_chunks(itertools.chain((graph.encode("utf-8") for graph in kept), reference), output)


def _graph_per_article(store: Store, export_format: ExportFormat, reference: str, output) -> bytes | None:
    """Streamed: one named graph per article, in a stable order."""
    quads = store.quads(include_reference=reference == "all")
    return _write(ox.serialize(quads, output, format=export_format.rdf_format, **_options(export_format)), output)


def _merged(store: Store, export_format: ExportFormat, reference: str, output) -> bytes | None:
    """The merged graph: a triple stated by several articles appears once."""
    triples = _merged_triples(store, reference)
    return _write(ox.serialize(triples, format=export_format.rdf_format, **_options(export_format)) or b"", output)


def _compacted_jsonld(store: Store, export_format: ExportFormat, reference: str, output) -> bytes | None:
    """The merged graph as compact JSON-LD (compact_jsonld)."""
    return _write(compact_jsonld(_merged_triples(store, reference)), output)


# Every format peelgraph writes, by name: the one table that --format, file suffixes and diff read.
FORMATS = {
    export_format.name: export_format
    for export_format in (
        ExportFormat("turtle", ox.RdfFormat.TURTLE, (".ttl",), _merged, prefixed=True, aliases=("ttl",)),
        ExportFormat("trig", ox.RdfFormat.TRIG, (".trig",), _graph_per_article, keeps_graphs=True, prefixed=True),
        ExportFormat("nt", ox.RdfFormat.N_TRIPLES, (".nt",), _merged, aliases=("ntriples",)),
        ExportFormat("nquads", ox.RdfFormat.N_QUADS, (".nq", ".nquads"), _copied_nquads, keeps_graphs=True),
        ExportFormat("jsonld", ox.RdfFormat.JSON_LD, (".jsonld", ".json"), _compacted_jsonld),
        ExportFormat("rdfxml", ox.RdfFormat.RDF_XML, (".rdf", ".xml", ".owl"), _merged, prefixed=True),
    )
}
_BY_NAME = {name: f for f in FORMATS.values() for name in (f.name, *f.aliases)}
_BY_SUFFIX = {suffix: f for f in FORMATS.values() for suffix in f.suffixes}
NAMES = tuple(sorted(_BY_NAME))  # every name a format answers to


def format_named(name: str) -> ExportFormat:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise InputError(f"unknown export format {name!r}; choose from {', '.join(FORMATS)}") from None


def format_for(path: str | Path) -> ExportFormat:
    """The format a file's suffix names (case aside)."""
    try:
        return _BY_SUFFIX[Path(path).suffix.lower()]
    except KeyError:
        raise InputError(
            f"{path}: cannot tell the export format from the file's suffix; use {', '.join(_BY_SUFFIX)}, "
            f"or give the format ({', '.join(FORMATS)})"
        ) from None


def chosen_format(requested: str | None, path: str | Path | None = None) -> str:
    """The name of the format to write: the one requested; else the one the file's suffix names;
    else (on a stream) Turtle."""
    if requested:
        return format_named(requested).name
    return format_for(path).name if path is not None else "turtle"


def export(store: Store, format: str = "turtle", reference: str = "labels", output=None) -> bytes | None:
    """The store's article graphs, with what of the ontology and gazetteer `reference` names, in one
    RDF format; written to output (a path or binary file) as it is produced when given, else
    returned.

    >>> from peelgraph.store import open_store
    >>> with open_store() as store:
    ...     export(store, "nt")
    b''
    """
    export_format = format_named(format)
    if reference not in REFERENCE:
        raise InputError(f"reference {reference!r}: choose from {', '.join(REFERENCE)}")
    if isinstance(output, os.PathLike):
        output = os.fspath(output)
    return export_format.write(store, export_format, reference, output)


def export_file(store: Store, path: str | Path, format: str | None = None, reference: str = "labels") -> Path:
    """Write the export to a file, in the format given or else the one its suffix names; the file
    appears whole or not at all."""
    path = Path(path)
    chosen = chosen_format(format, path)
    with replacing(path) as partial:
        export(store, chosen, reference, output=partial)
    return path


def _merged_triples(store: Store, reference: str) -> list[ox.Triple]:
    triples = {quad.triple for quad in store.quads(include_reference=reference == "all")}
    if reference == "labels":
        labels = _reference_labels()
        triples |= {label for t in list(triples) for term in (t.subject, t.object) for label in labels.get(term, ())}
    return sorted(triples, key=str)


@cache
def _reference_labels() -> dict[ox.NamedNode, tuple[ox.Triple, ...]]:
    """The labels the ontology and gazetteer give each of their entities and concepts."""
    found: dict[ox.NamedNode, list[ox.Triple]] = {}
    for quad in ox.parse(reference_nquads(), format=ox.RdfFormat.N_QUADS):
        if quad.predicate in LABEL_PREDICATES:
            found.setdefault(quad.subject, []).append(quad.triple)
    return {subject: tuple(triples) for subject, triples in found.items()}


def _options(export_format: ExportFormat) -> dict:
    return {"prefixes": {k: str(v) for k, v in PREFIXES.items()}} if export_format.prefixed else {}


def _write(data: bytes | None, output) -> bytes | None:
    """data, returned or written to output; None data means it was already written there."""
    if output is None:
        return data or b""
    if data is not None:
        _write_chunks([data], output)
    return None


def _write_chunks(chunks: Iterable[bytes], output) -> bytes | None:
    if output is None:
        return b"".join(chunks)
    if hasattr(output, "write"):
        for chunk in chunks:
            output.write(chunk)
        return None
    with open(output, "wb") as handle:
        return _write_chunks(chunks, handle)


def jsonld_context() -> dict:
    """The JSON-LD context of peelgraph's prefixes (also shipped as ontology/context.jsonld)."""
    return {"@context": {k: str(v) for k, v in sorted(PREFIXES.items())}}


def compact_jsonld(triples: list) -> bytes:
    """JSON-LD with the prefixes' context inline and compact IRIs, in a stable order."""
    context = jsonld_context()["@context"]
    by_length = sorted(context.items(), key=lambda item: -len(item[1]))

    def compact(iri: str) -> str:
        for prefix, namespace in by_length:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local and all(c.isalnum() or c in "-_./" for c in local):
                return f"{prefix}:{local}"
        return iri

    def compact_value(item: dict) -> dict:
        if "@id" in item:
            return {"@id": compact(item["@id"])}
        if "@type" in item:
            return {**item, "@type": compact(item["@type"])}
        return item

    nodes = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]")
    graph = []
    for node in nodes:
        out = {"@id": compact(node["@id"])}
        for key, values in sorted(node.items()):
            if key == "@id":
                continue
            if key == "@type":
                out["@type"] = [compact(t) for t in values]
            else:
                out[compact(key)] = [compact_value(v) for v in values]
        graph.append(out)
    return (json.dumps({"@context": context, "@graph": graph}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
