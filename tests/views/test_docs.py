"""The examples in the public functions' docstrings run."""

import doctest
import importlib

import pytest

MODULES = [
    "peelgraph",
    "peelgraph.model",
    "peelgraph.extraction",
    "peelgraph.extraction.resolve",
    "peelgraph.extraction.rule_confidence",
    "peelgraph.rdf.to_rdf",
    "peelgraph.rdf.validation",
    "peelgraph.pipeline.compose",
    "peelgraph.store.querying",
    "peelgraph.store.exporting",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    results = doctest.testmod(importlib.import_module(name))
    assert results.attempted > 0 and results.failed == 0


def test_api_functions_are_not_shadowed_by_submodules():
    """Regression: a submodule named like an API function (validate, query...) replaced the function
    on the package once imported; the stage modules now have names of their own."""
    import inspect

    import peelgraph
    import peelgraph.cli  # noqa: F401  imports every stage module

    for name in ("extract", "build", "query", "validate", "export", "draw", "ingest", "open_store"):
        assert inspect.isfunction(getattr(peelgraph, name)), name
