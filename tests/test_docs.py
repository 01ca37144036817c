"""The examples in the public functions' docstrings run."""

import doctest
import importlib

import pytest

MODULES = [
    "peelgraph.model",
    "peelgraph.extract",
    "peelgraph.resolve",
    "peelgraph.to_rdf",
    "peelgraph.validate",
    "peelgraph.pipeline",
    "peelgraph.query",
    "peelgraph.export",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    results = doctest.testmod(importlib.import_module(name))
    assert results.attempted > 0 and results.failed == 0
