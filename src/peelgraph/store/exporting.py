"""Write the store out as RDF: Turtle, N-Triples and JSON-LD (the merged graph of facts) or TriG and
N-Quads (one named graph per article, with provenance). Output is sorted, so exports diff cleanly.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from peelgraph.errors import InputError
from peelgraph.rdf.vocab import PREFIXES
from peelgraph.store.embedded import Store

# format name -> (Oxigraph format, keeps named graphs)
FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ttl": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
}
SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".jsonld": "jsonld", ".rdf": "rdfxml", ".trig": "trig", ".nq": "nquads"}


def export(store: Store, format: str = "turtle", include_reference: bool = False, output=None) -> bytes | None:
    """The store's article graphs (and the ontology and gazetteer when asked) in one RDF format;
    written to output (a path or binary file) as it is produced when given, else returned.

    >>> from peelgraph.store.embedded import Store
    >>> with Store() as store:
    ...     export(store, "nt")
    b''
    """
    try:
        rdf_format, keeps_graphs = FORMATS[format]
    except KeyError:
        raise InputError(f"unknown export format {format!r}; choose from {', '.join(FORMATS)}") from None
    if rdf_format == ox.RdfFormat.N_QUADS:  # line-based: each graph's N-Quads written as they are
        return _write_chunks(store.nquads(include_reference=include_reference), output)
    quads = store.quads(include_reference=include_reference)
    options = _prefix_option(rdf_format, {k: str(v) for k, v in PREFIXES.items()})
    if rdf_format == ox.RdfFormat.JSON_LD:
        data = compact_jsonld(sorted({q.triple for q in quads}, key=str))
    elif keeps_graphs:  # streamed: one named graph per article, in a stable order
        return _write(ox.serialize(quads, output, format=rdf_format, **options), output)
    else:  # the merged graph: a triple stated by several articles appears once
        data = ox.serialize(sorted({q.triple for q in quads}, key=str), format=rdf_format, **options) or b""
    return _write(data, output)


def _write(data: bytes | None, output) -> bytes | None:
    """data, returned or written to output; None data means it was already written there."""
    if output is None:
        return data or b""
    if data is not None:
        _write_chunks([data], output)
    return None


def _write_chunks(chunks, output) -> bytes | None:
    if output is None:
        return b"".join(chunks)
    if hasattr(output, "write"):
        for chunk in chunks:
            output.write(chunk)
        return None
    with open(output, "wb") as handle:
        return _write_chunks(chunks, handle)


def _prefix_option(rdf_format, prefixes) -> dict:
    return (
        {"prefixes": prefixes} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else {}
    )


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
