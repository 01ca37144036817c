"""RDF: stages 5 and 6. `vocab` holds the closed namespaces of every term peelgraph writes;
`to_rdf` is the one module that mints IRIs and adds triples; `validation` checks a graph against
the SHACL shapes, with pyshacl or with the shapes compiled to SPARQL (`shacl_sparql`); `workspace`
is the in-memory Oxigraph store in which each article's graph is checked before it is stored.
"""
