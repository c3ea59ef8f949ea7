"""The overview ``/``: the members × perspectives heat map, status counts, movers, data
freshness, rollout and PEST tiles; filters by period, wave and segment.

A member user sees only itself, next to anonymised peer statistics.
"""

from __future__ import annotations

import json
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, can_read_programme, require
from bsc.i18n import N_, label, t
from bsc.repo import list_waves
from dashboard import cache, ids
from dashboard.access import Access, can_read_member_code
from dashboard.auth import require_principal
from dashboard.components.briefing import briefing_panel
from dashboard.components.dropdown import dropdown
from dashboard.components.exportable import (
    chart_card,
    chart_ids,
    export_params,
    table_card,
    table_ids,
)
from dashboard.components.period_picker import period_picker, picker_ids
from dashboard.components.scores import overview_tiles
from dashboard.figures.overview import view_of
from dashboard.layout import page_title, protected
from dashboard.registry import ExportContext, build_chart, build_table
from dashboard.state import read_session
from kpi.scoring import InvalidPeriod, parse_period
from kpi.vocabulary import Segment

dash.register_page(__name__, path="/", name=N_("Overview"), nav_order=0, access=Access.SIGNED_IN)

_TABLES = ("overview_movers", "data_freshness")


def _code_column(header: str) -> dict[str, Any]:
    return {"field": header, "headerName": header, "cellRenderer": "MemberLink", "width": 100}


def _filters(principal: Principal, period: str) -> dbc.Row:
    programme = can_read_programme(principal)
    with read_session() as session:
        waves = [{"label": w.name, "value": w.code} for w in list_waves(session)]
    segments = [{"label": label(s.value), "value": s.value} for s in Segment]
    # A member user compares with anonymous peers only: no filters to choose (they stay in the
    # page, hidden and empty, so the callback has the same inputs for everyone).
    filters = [
        dbc.Col(
            dropdown(id=ids.OVERVIEW_WAVE, options=waves, placeholder=t("All waves")),
            md=2,
            class_name="" if programme else "d-none",
        ),
        dbc.Col(
            dropdown(id=ids.OVERVIEW_SEGMENT, options=segments, placeholder=t("All segments")),
            md=2,
            class_name="" if programme else "d-none",
        ),
    ]
    controls = [dbc.Col(period_picker(ids.OVERVIEW_PERIOD, period), width="auto"), *filters]
    return dbc.Row(controls, className="g-2 mb-3 align-items-center")


def _chosen_period(period: str | None) -> str:
    if period:
        try:
            return parse_period(period).label
        except InvalidPeriod:
            pass
    with read_session() as session:
        return cache.latest_period(session)


@protected(Access.SIGNED_IN)
def layout(principal: Principal, period: str | None = None, **_query: str) -> html.Div:
    chosen = _chosen_period(period)
    with read_session() as session:
        tiles = overview_tiles(view_of(ExportContext(session, principal, None, chosen)))
    return html.Div(
        [
            page_title(t("Overview")),
            _filters(principal, chosen),
            html.Div(tiles, id=ids.OVERVIEW_TILES),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            chart_card("overview_heatmap", period=chosen),
                            html.P(
                                t("* part of the weight below has no data (coverage under 100 %)."),
                                className="small text-muted mt-n2",
                            ),
                        ],
                        lg=8,
                    ),
                    dbc.Col(
                        table_card(
                            "overview_movers",
                            period=chosen,
                            height=300,
                            column_defs=_movers_columns(principal),
                        ),
                        lg=4,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        table_card(
                            "data_freshness",
                            period=chosen,
                            height=420,
                            column_defs=_freshness_columns(),
                        ),
                        lg=7,
                    ),
                    dbc.Col(table_card("members", height=420), lg=5),
                ]
            ),
            # The programme's book: a member user's own book is on its scorecard page.
            *(
                [briefing_panel(principal, member_code=None)]
                if can_read_programme(principal)
                else []
            ),
            dcc.Location(id=ids.OVERVIEW_NAVIGATE, refresh=True),
        ]
    )


def _programme_briefing(principal: Principal) -> list[html.Div]:
    """The programme's briefing book; a member user's own is on its scorecard page."""
    return [briefing_panel(principal, member_code=None)] if can_read_programme(principal) else []


def _movers_columns(principal: Principal) -> list[dict[str, Any]] | None:
    if not can_read_programme(principal):
        return None
    narrow = [t("Score"), t("Change"), t("Status"), t("Moved most"), t("Its change")]
    return [
        _code_column(t("Code")),
        {"field": t("Member"), "headerName": t("Member"), "minWidth": 170, "flex": 1},
        *({"field": h, "headerName": h, "width": 105} for h in narrow),
    ]


def _freshness_columns() -> list[dict[str, Any]]:
    headers = [t("Member"), t("Last upload"), t("Latest month"), t("Months behind")]
    state = t("Reporting")
    return [
        _code_column(t("Code")),
        *({"field": h, "headerName": h} for h in headers),
        {
            "field": state,
            "headerName": state,
            "cellClassRules": {
                "bsc-status-red": f"params.value === {json.dumps(t('Overdue'))}",
                "bsc-status-green": f"params.value === {json.dumps(t('Reported'))}",
            },
        },
    ]


@callback(
    Output(chart_ids("overview_heatmap")["graph"], "figure"),
    Output(chart_ids("overview_heatmap")["params"], "data"),
    *(Output(table_ids(name)["grid"], "rowData") for name in _TABLES),
    *(Output(table_ids(name)["params"], "data") for name in _TABLES),
    Output(ids.OVERVIEW_TILES, "children"),
    Input(picker_ids(ids.OVERVIEW_PERIOD)["period"], "value"),
    Input(ids.OVERVIEW_WAVE, "value"),
    Input(ids.OVERVIEW_SEGMENT, "value"),
    prevent_initial_call=True,
)
def update_overview(period: str, wave: str | None, segment: str | None) -> tuple[Any, ...]:
    """Redraw the overview for the chosen period and filters (kept per view and data version)."""
    principal = require_principal()
    require(
        can_read_programme(principal) or not (wave or segment), N_("filtering by wave or segment")
    )
    params = {"wave": wave, "segment": segment} if wave or segment else {}
    with read_session() as session:
        return cache.remembered(
            session,
            "overview_outputs",
            (cache.view_key(principal), period, wave, segment),
            lambda: _redraw(ExportContext(session, principal, None, period, params)),
        )


def _redraw(context: ExportContext) -> tuple[Any, ...]:
    """The overview callback's outputs: the heat map, the tables and their export parameters,
    the tiles."""
    frames = [build_table(name, context) for name in _TABLES]
    return (
        build_chart("overview_heatmap", context).to_dict(),
        export_params("overview_heatmap", None, context.period, **context.params),
        *(frame.to_dict("records") for frame in frames),
        *(export_params(name, None, context.period, **context.params) for name in _TABLES),
        overview_tiles(view_of(context)),
    )


@callback(
    Output(ids.OVERVIEW_NAVIGATE, "href"),
    Input(chart_ids("overview_heatmap")["graph"], "clickData"),
    prevent_initial_call=True,
)
def open_member(click: dict[str, Any] | None) -> str:
    """A click on a member's row of the heat map opens its scorecard."""
    principal = require_principal()
    points = (click or {}).get("points") or []
    code = points[0].get("customdata") if points else None
    if not code or code == "peers":
        raise PreventUpdate
    require(
        can_read_member_code(principal, code), N_("the scorecard of member {member}"), member=code
    )
    return f"/members/{code}"
