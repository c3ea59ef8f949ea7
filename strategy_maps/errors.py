"""Exceptions of the strategy-map package."""

from __future__ import annotations

from typing import Any

from kpi.messages import N_, Text, TextError

__all__ = ["MapError", "MapFormatError"]


class MapError(Exception):
    """Base of the errors raised by :mod:`strategy_maps`."""


class MapFormatError(MapError, TextError):
    """A map file that cannot be read at all (not YAML/JSON, or not shaped like a map).

    The message is a :class:`~kpi.messages.Text` made of ``template`` and ``params``; ``line``
    is the 1-based line of the problem when the parser knows it.

    Examples
    --------
    >>> str(MapFormatError(N_("not valid JSON: {problem}"), line=3, problem="Expecting value"))
    'line 3: not valid JSON: Expecting value'
    """

    def __init__(self, template: str, /, *, line: int | None = None, **params: Any) -> None:
        problem = Text(template, **params)
        super().__init__(
            problem
            if line is None
            else Text(N_("line {line}: {problem}"), line=line, problem=problem)
        )
        self.line = line
