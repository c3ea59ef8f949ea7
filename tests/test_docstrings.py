"""The examples in the docstrings of the application core run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "bsc.db",
        "bsc.security",
        "bsc.i18n",
        "bsc.errors",
        "bsc.authz",
        "dashboard.access",
        "bsc.services.measurements",
        "bsc.exports.tables",
        "dashboard.names",
        "dashboard.components.exportable",
    ],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
