"""Redrawing registered chart and table cards from a callback (new filter, saved edit, import).

A page lists its cards as :class:`CardRef`; one callback outputs to :func:`card_outputs` and
returns :func:`redraw`, which rebuilds each card for the signed-in user — through the same
registered builder as the card and its export — and updates the card's export parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from dash import Output

from dashboard.auth import require_principal
from dashboard.components.exportable import chart_ids, export_params, table_ids
from dashboard.registry import ExportContext, build_chart, build_table
from dashboard.state import read_session

__all__ = ["CardRef", "card_outputs", "redraw"]


@dataclass(frozen=True)
class CardRef:
    """A card on a page: a registered chart or table, its instance id and fixed parameters."""

    kind: Literal["chart", "table"]
    name: str
    instance: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.instance or self.name

    def outputs(self) -> list[Output]:
        if self.kind == "chart":
            ids = chart_ids(self.key)
            return [Output(ids["graph"], "figure"), Output(ids["params"], "data")]
        ids = table_ids(self.key)
        return [Output(ids["grid"], "rowData"), Output(ids["params"], "data")]


def card_outputs(cards: Sequence[CardRef]) -> list[Output]:
    return [output for card in cards for output in card.outputs()]


def redraw(cards: Sequence[CardRef], **params: Any) -> list[Any]:
    """Each card's new content and export parameters, for ``params`` plus its own."""
    principal = require_principal()
    values: list[Any] = []
    with read_session() as session:
        for card in cards:
            merged = {**params, **card.params}
            context = ExportContext(session=session, principal=principal, params=merged)
            if card.kind == "chart":
                values.append(build_chart(card.name, context))
            else:
                values.append(build_table(card.name, context).to_dict("records"))
            values.append(export_params(card.name, **merged))
    return values
