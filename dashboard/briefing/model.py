"""What a briefing book is made of: sections of text, charts and tables, before layout.

Every string here is plain text (names may come from users); the template escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import plotly.graph_objects as go

__all__ = ["Chart", "Table", "Paragraph", "Block", "Section", "Book"]


@dataclass
class Chart:
    """A chart of the registry, drawn ``height`` pixels tall at the book's chart width."""

    kind: ClassVar[str] = "chart"
    title: str
    figure: go.Figure
    height: int
    notes: list[str] = field(default_factory=list)  #: paragraphs under the chart
    image: str = ""  #: the drawn chart as a ``data:`` URL, filled in by the layout


@dataclass(frozen=True)
class Table:
    """A table of formatted cells; ``row_classes`` style rows (levels, statuses)."""

    kind: ClassVar[str] = "table"
    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  #: indexes of right-aligned columns
    row_classes: list[str] = field(default_factory=list)
    empty: str = ""  #: shown instead of a table without rows


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    emphasis: bool = False


Block = Chart | Table | Paragraph


@dataclass
class Section:
    """A heading (``level`` 1–3; the contents lists levels 1 and 2) and what follows it."""

    title: str
    level: int
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = False
    anchor: str = ""  #: assigned by the book, never taken from a name


@dataclass
class Book:
    title: str
    scope: str  #: "Whole programme" or the member's code and name
    period: str
    prepared: str  #: date and reader, as a line of the cover
    sections: list[Section] = field(default_factory=list)

    def charts(self) -> list[Chart]:
        return [block for s in self.sections for block in s.blocks if isinstance(block, Chart)]
