"""Exceptions of the strategy-map package."""

from __future__ import annotations

__all__ = ["MapError", "MapFormatError"]


class MapError(Exception):
    """Base of the errors raised by :mod:`strategy_maps`."""


class MapFormatError(MapError):
    """A map file that cannot be read at all (not YAML/JSON, or not shaped like a map).

    ``line`` is the 1-based line of the problem when the parser knows it.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line
