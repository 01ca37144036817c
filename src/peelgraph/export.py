"""Write the store out as RDF: Turtle, N-Triples and JSON-LD (the merged graph of facts) or TriG and
N-Quads (one named graph per article, with provenance). Output is sorted, so exports diff cleanly.
"""

from __future__ import annotations

import pyoxigraph as ox

from peelgraph.errors import InputError
from peelgraph.store import Store
from peelgraph.vocab import PREFIXES

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


def export(store: Store, format: str = "turtle", include_reference: bool = False) -> bytes:
    """The store's article graphs (and the ontology and gazetteer when asked) in one RDF format.

    >>> from peelgraph.store import Store
    >>> with Store() as store:
    ...     export(store, "nt")
    b''
    """
    try:
        rdf_format, keeps_graphs = FORMATS[format]
    except KeyError:
        raise InputError(f"unknown export format {format!r}; choose from {', '.join(FORMATS)}") from None
    quads = list(store.quads(include_reference=include_reference))
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if keeps_graphs:
        return ox.serialize(quads, format=rdf_format, **_prefix_option(rdf_format, prefixes)) or b""
    triples = sorted({q.triple for q in quads}, key=str)
    return ox.serialize(triples, format=rdf_format, **_prefix_option(rdf_format, prefixes)) or b""


def _prefix_option(rdf_format, prefixes) -> dict:
    return {"prefixes": prefixes} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else {}
