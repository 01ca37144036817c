"""The store: stage 7 and what reads it. One named graph per article, the ontology and gazetteer in
graphs of their own, behind one protocol (`base.Store`) with two implementations: `embedded`
(Oxigraph on disk or in memory) and `remote` (a SPARQL 1.1 server). Each article's answers to the
named queries are kept with its graph (`answers`); SPARQL over the store (`querying`, with the
named queries of `named`), exports (`exporting`), differences between exports or stores (`diff`)
and a local SPARQL endpoint (`serve`) read it.
"""

from peelgraph.store.base import Store, Writer, open_store
from peelgraph.store.embedded import BATCH, EmbeddedStore
from peelgraph.store.remote import RemoteStore

__all__ = ["BATCH", "EmbeddedStore", "RemoteStore", "Store", "Writer", "open_store"]
