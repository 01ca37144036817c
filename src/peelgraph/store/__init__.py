"""The store: stage 7 and what reads it. One named graph per article, the ontology and gazetteer in
graphs of their own (`embedded`: Oxigraph on disk or in memory; `remote`: a SPARQL 1.1 server);
each article's answers to the named queries kept beside its graph (`answers`); SPARQL over it
(`querying`), exports (`exporting`), differences between exports or stores (`diff`) and a local
SPARQL endpoint (`serve`).
"""

from peelgraph.store.embedded import BATCH, Store, open_store

__all__ = ["BATCH", "Store", "open_store"]
