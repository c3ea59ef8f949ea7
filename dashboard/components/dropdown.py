"""The app's dropdown: ``dcc.Dropdown`` with its own texts (search, "No options found", select
all) in the reader's language."""

from __future__ import annotations

from typing import Any

from dash import dcc

from dashboard.language import dropdown_labels

__all__ = ["dropdown"]


def dropdown(**props: Any) -> dcc.Dropdown:
    """A ``dcc.Dropdown`` with ``props``, speaking the reader's language."""
    labels: Any = dropdown_labels()  # dcc's ``Labels`` is a TypedDict of these keys
    return dcc.Dropdown(labels=labels, **props)
