"""peelgraph: reporting about PEEL police inspections as a validated, queryable knowledge graph.

The stages, each usable on its own::

    read.read_path -> extract.extract -> resolve.resolve -> to_rdf.to_rdf -> validate -> store

and the whole pipeline as ``pipeline.ingest(store, paths)``.
"""

__version__ = "0.1.0"
