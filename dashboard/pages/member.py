"""A member's scorecard ``/members/<code>``: perspective → objective → KPI for a period, the
drill-down of one KPI (history on its target zones, forecast, peers, revisions), the anonymised
peer benchmark and the score history."""

from __future__ import annotations

import json
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, require
from bsc.i18n import N_, label, localised, t
from bsc.repo import find_member
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
from dashboard.components.scores import kpi_summary, scorecard_summary
from dashboard.figures.scorecard import LEVELS, header
from dashboard.layout import page_title, protected
from dashboard.names import member_label
from dashboard.registry import ExportContext, build_chart, build_table
from dashboard.state import read_session
from kpi.scoring import InvalidPeriod, parse_period
from kpi.vocabulary import Status

dash.register_page(
    __name__,
    path_template="/members/<code>",
    name=N_("Scorecard"),
    nav_order=10,
    access=Access.MEMBER,
)

_DRILL_CHARTS = ("kpi_history", "kpi_peers")


def _number(field: str, decimals: int | None = None) -> dict[str, Any]:
    places = "" if decimals is None else f", {decimals}"
    return {
        "field": field,
        "headerName": field,
        "type": "rightAligned",
        "valueFormatter": {"function": f"bscNumber(params.value{places})"},
    }


def scorecard_columns() -> list[dict[str, Any]]:
    """ag-grid columns of the scorecard table: status colours, sparklines, why as tooltip."""
    why = header("explanation")
    statuses = {
        f"bsc-status-{s.value}": f"params.value === {json.dumps(label(s.value))}" for s in Status
    }

    def plain(key: str, **extra: Any) -> dict[str, Any]:
        return {"field": header(key), "headerName": header(key), **extra}

    return [
        plain("level", hide=True),
        plain("name", pinned="left", minWidth=280, cellClass="bsc-name", tooltipField=why),
        plain("code", width=150),
        plain("period", width=110),
        _number(header("value")),
        _number(header("target")),
        plain("unit", width=90),
        plain("status", width=110, cellClassRules=statuses, tooltipField=why),
        {**_number(header("score"), 0), "tooltipField": why, "width": 90},
        {**_number(header("coverage"), 0), "width": 110},
        plain("trend", width=120),
        plain("history", cellRenderer="Sparkline", width=120, tooltipField=header("history")),
        _number(header("forecast")),
        plain("will_meet", width=130),
        plain("explanation", minWidth=420, flex=1, tooltipField=why),
    ]


def _row_rules() -> dict[str, str]:
    level = json.dumps(header("level"))
    return {
        f"bsc-row-{key}": f"params.data[{level}] === {json.dumps(t(text))}"
        for key, text in LEVELS.items()
    }


def _grid_props() -> dict[str, Any]:
    return {
        "rowClassRules": _row_rules(),
        "defaultColDef": {"sortable": False, "filter": False, "resizable": True},
        "dashGridOptions": {
            "animateRows": False,
            "tooltipShowDelay": 300,
            "rowSelection": {
                "mode": "singleRow",
                "checkboxes": False,
                "enableClickSelection": True,
            },
        },
    }


def _period(period: str | None) -> str:
    if period:
        try:
            return parse_period(period).label
        except InvalidPeriod:
            pass
    with read_session() as session:
        return cache.latest_period(session)


def _kpi_options(card: Any) -> list[dict[str, str]]:
    return [
        {"label": f"{row['code']} · {localised(row['name'], row['name_zh'])}", "value": row["code"]}
        for row in card.kpis.to_dict("records")
    ]


def _missing(code: str | None) -> html.Div:
    return html.Div(
        [
            html.H1("404", className="display-4"),
            html.P(t("There is no member with code {code}.", code=code or "")),
            dcc.Link(t("Back to the overview"), href="/"),
        ],
        className="bsc-forbidden",
        id="member-not-found",
    )


@protected(Access.MEMBER)
def layout(
    principal: Principal,
    code: str | None = None,
    period: str | None = None,
    kpi: str | None = None,
    **_query: str,
) -> html.Div:
    chosen = _period(period)
    with read_session() as session:
        member = find_member(session, code=code or "")
        if member is None:
            return _missing(code)
        card = cache.scorecard(session, principal=principal, member_code=member.code, period=chosen)
    options = _kpi_options(card)
    selected = (
        kpi if kpi in card.kpis["code"].values else (options[0]["value"] if options else None)
    )
    drill: dict[str, Any] = {"member_code": member.code, "period": chosen, "kpi": selected}
    if selected is None:
        return html.Div(
            [
                page_title(member_label(member)),
                html.P(t("This member is not measured on any KPI yet."), id="no-kpis"),
            ]
        )
    return html.Div(
        [
            dcc.Store(id=ids.SCORECARD_MEMBER, data=member.code),
            page_title(member_label(member)),
            dbc.Row(
                dbc.Col(period_picker(ids.SCORECARD_PERIOD, chosen), width="auto"),
                className="mb-3",
            ),
            html.Div(scorecard_summary(card), id=ids.SCORECARD_SUMMARY),
            table_card(
                "scorecard",
                member_code=member.code,
                period=chosen,
                height=560,
                column_defs=scorecard_columns(),
                grid_props=_grid_props(),
            ),
            html.H3(t("KPI drill-down"), className="h5 mt-4"),
            dbc.Row(
                dbc.Col(
                    dropdown(
                        id=ids.SCORECARD_KPI, options=options, value=selected, clearable=False
                    ),
                    md=6,
                ),
                className="mb-2",
            ),
            html.Div(kpi_summary(card, selected), id=ids.SCORECARD_KPI_SUMMARY, className="mb-2"),
            dbc.Row(
                [
                    dbc.Col(chart_card("kpi_history", height=380, **drill), lg=8),
                    dbc.Col(
                        [
                            chart_card("kpi_peers", height=200, **drill),
                            table_card("kpi_revisions", height=150, **drill),
                        ],
                        lg=4,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        table_card(
                            "peer_benchmark", member_code=member.code, period=chosen, height=420
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        chart_card("perspective_history", member_code=member.code, height=380),
                        lg=5,
                    ),
                ]
            ),
            briefing_panel(principal, member_code=member.code),
        ]
    )


def _allowed(code: str | None) -> Principal:
    principal = require_principal()
    require(
        bool(code) and can_read_member_code(principal, code),
        N_("the scorecard of member {member}"),
        member=code,
    )
    return principal


@callback(
    Output(ids.SCORECARD_SUMMARY, "children"),
    Output(table_ids("scorecard")["grid"], "rowData"),
    Output(table_ids("scorecard")["params"], "data"),
    Output(table_ids("peer_benchmark")["grid"], "rowData"),
    Output(table_ids("peer_benchmark")["params"], "data"),
    Output(ids.SCORECARD_KPI, "options"),
    Input(picker_ids(ids.SCORECARD_PERIOD)["period"], "value"),
    State(ids.SCORECARD_MEMBER, "data"),
    prevent_initial_call=True,
)
def update_scorecard(period: str, code: str) -> tuple[Any, ...]:
    """Show the scorecard for the chosen period."""
    principal = _allowed(code)
    with read_session() as session:
        card = cache.scorecard(session, principal=principal, member_code=code, period=period)
        context = ExportContext(session, principal, code, period)
        rows = build_table("scorecard", context)
        bench = build_table("peer_benchmark", context)
    return (
        scorecard_summary(card),
        rows.to_dict("records"),
        export_params("scorecard", code, period),
        bench.to_dict("records"),
        export_params("peer_benchmark", code, period),
        _kpi_options(card),
    )


@callback(
    Output(ids.SCORECARD_KPI, "value"),
    Input(table_ids("scorecard")["grid"], "selectedRows"),
    State(ids.SCORECARD_MEMBER, "data"),
    prevent_initial_call=True,
)
def pick_kpi(selected: list[dict[str, Any]] | None, code: str) -> str:
    """Clicking a KPI's row in the scorecard opens its drill-down."""
    _allowed(code)
    kpi = (selected or [{}])[0].get(header("code"))
    if not kpi:
        raise PreventUpdate
    return str(kpi)


@callback(
    *(Output(chart_ids(name)["graph"], "figure") for name in _DRILL_CHARTS),
    *(Output(chart_ids(name)["params"], "data") for name in _DRILL_CHARTS),
    Output(table_ids("kpi_revisions")["grid"], "rowData"),
    Output(table_ids("kpi_revisions")["params"], "data"),
    Output(ids.SCORECARD_KPI_SUMMARY, "children"),
    Input(ids.SCORECARD_KPI, "value"),
    Input(picker_ids(ids.SCORECARD_PERIOD)["period"], "value"),
    State(ids.SCORECARD_MEMBER, "data"),
    prevent_initial_call=True,
)
def update_drilldown(kpi: str | None, period: str, code: str) -> tuple[Any, ...]:
    """Draw the chosen KPI's history, forecast, peer position and revisions."""
    principal = _allowed(code)
    if not kpi:
        raise PreventUpdate
    with read_session() as session:
        context = ExportContext(session, principal, code, period, {"kpi": kpi})
        figures = [build_chart(name, context) for name in _DRILL_CHARTS]
        revisions = build_table("kpi_revisions", context)
        card = cache.scorecard(session, principal=principal, member_code=code, period=period)
    return (
        *figures,
        *(export_params(name, code, period, kpi=kpi) for name in _DRILL_CHARTS),
        revisions.to_dict("records"),
        export_params("kpi_revisions", code, period, kpi=kpi),
        kpi_summary(card, kpi),
    )
