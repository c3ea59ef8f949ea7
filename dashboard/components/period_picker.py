"""A period selector: the kind (month, quarter, year to date, year) and the period itself.

Switching the kind keeps the reader where they were: from ``2025-08`` to quarters selects
``2025-Q3``, to years ``2025``. Pages read the chosen label from :func:`picker_ids`'s
``"period"`` dropdown ``value``.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, html

from bsc.i18n import N_, t
from dashboard.auth import require_principal
from dashboard.cache import period_choices
from dashboard.components.dropdown import dropdown
from dashboard.state import read_session
from kpi.scoring import PeriodKind, parse_period

__all__ = [
    "KIND_LABELS",
    "picker_ids",
    "period_picker",
    "reframe",
    "change_kind",
    "register_period_callbacks",
]

KIND_LABELS = {
    PeriodKind.MONTH.value: N_("Month"),
    PeriodKind.QUARTER.value: N_("Quarter"),
    PeriodKind.YTD.value: N_("Year to date"),
    PeriodKind.YEAR.value: N_("Year"),
}


def picker_ids(name: Any) -> dict[str, dict[str, Any]]:
    """The ids of picker ``name``'s kind selector and period dropdown (``MATCH`` works too)."""
    return {
        "kind": {"type": "period-kind", "picker": name},
        "period": {"type": "period-value", "picker": name},
    }


def _options(choices: list[str]) -> list[dict[str, str]]:
    return [{"label": choice, "value": choice} for choice in choices]


def period_picker(name: str, period: str) -> html.Div:
    """The picker named ``name`` showing ``period`` (a canonical label)."""
    kind = parse_period(period).kind.value
    with read_session() as session:
        choices = period_choices(session, kind)
    ids = picker_ids(name)
    return html.Div(
        [
            dbc.RadioItems(
                id=ids["kind"],
                options=[{"label": t(text), "value": value} for value, text in KIND_LABELS.items()],
                value=kind,
                inline=True,
                className="btn-group bsc-period-kind",
                inputClassName="btn-check",
                labelClassName="btn btn-outline-secondary btn-sm",
                labelCheckedClassName="active",
            ),
            dropdown(
                id=ids["period"],
                options=_options(choices if period in choices else [period, *choices]),
                value=period,
                clearable=False,
                searchable=True,
                className="bsc-period-value",
            ),
        ],
        className="d-flex align-items-center gap-2 bsc-period-picker",
    )


def reframe(kind: str, current: str, choices: list[str]) -> str:
    """The period of ``kind`` that contains ``current``'s last month, if offered, else the
    newest choice."""
    wanted = parse_period(current).reframed(kind).label
    return wanted if wanted in choices or not choices else choices[0]


def register_period_callbacks(app: dash.Dash) -> None:
    """Wire every picker's kind selector to its period list, for ``app``.

    Registered per app (not with ``dash.callback`` at import): Dash hands module-level callbacks
    to the first app set up in a process only, and this module is imported once.
    """
    app.callback(
        Output(picker_ids(MATCH)["period"], "options"),
        Output(picker_ids(MATCH)["period"], "value"),
        Input(picker_ids(MATCH)["kind"], "value"),
        State(picker_ids(MATCH)["period"], "value"),
        prevent_initial_call=True,
    )(change_kind)


def change_kind(kind: str, current: str) -> tuple[list[dict[str, Any]], str]:
    """Offer the periods of the chosen kind, keeping the reader's place."""
    require_principal()
    with read_session() as session:
        choices = period_choices(session, kind)
    return _options(choices), reframe(kind, current, choices)
