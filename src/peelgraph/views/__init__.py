"""Views: what people look at. Drawings of the graph from the store (`drawing`: overview, focus,
provenance and timeline, as PNG, SVG or an offline interactive HTML page made by `html_view`), and
the ontology's documentation (`docs`).
"""
