"""``/rollout``: waves, each member's five stages, what slipped, and the gate for the next wave.

Everyone signed in opens it; a member sees only its own rows, executives read everything, and the
program office edits the plan, the waves and their gates, and who is in which wave, in grids.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html

from bsc.authz import Principal, can_read_programme, can_run_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_, label, t
from bsc.services import rollout as service
from dashboard import ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components.cards import CardRef, card_outputs, redraw
from dashboard.components.dropdown import dropdown
from dashboard.components.exportable import chart_card, table_card, table_ids
from dashboard.components.uploads import run_upload, upload_box, upload_ids
from dashboard.figures.rollout import PLAN_FIELDS, WAVE_FIELDS, gate_verdict
from dashboard.layout import page_title, protected
from dashboard.registry import ExportContext
from dashboard.state import read_session, write_session
from kpi.numbers import is_no_value
from kpi.vocabulary import STAGE_ORDER

dash.register_page(
    __name__, path="/rollout", name=N_("Rollout"), nav_order=55, access=Access.SIGNED_IN
)

PAGE = "rollout"
FILTERED = [
    CardRef("chart", "rollout_scurve"),
    CardRef("chart", "rollout_positions"),
    CardRef("chart", "rollout_gantt"),
    CardRef("table", "rollout_slipped"),
    CardRef("table", "rollout_plan"),
]
SETTINGS = [CardRef("table", "rollout_waves"), CardRef("table", "rollout_assignments")]
GATE = [CardRef("chart", "rollout_gate"), CardRef("table", "rollout_gate_checks")]
_DATE_EDITOR = {"editable": True, "cellEditor": "agDateStringCellEditor"}


def _wave_options() -> list[dict[str, str]]:
    with read_session() as session:
        waves = service.waves_frame(session)
    return [{"label": t("All waves"), "value": ""}] + [
        {"label": str(name), "value": str(code)}
        for code, name in zip(waves["code"], waves["name"], strict=True)
    ]


@protected(Access.SIGNED_IN)
def layout(principal: Principal, wave: str | None = None, **_query: str) -> html.Div:
    options = _wave_options()
    chosen = wave if wave in {o["value"] for o in options} else ""
    editor = can_run_programme(principal)
    body: list[Any] = [
        page_title(t("Rollout")),
        dcc.Store(id=ids.ROLLOUT_VERSION, data=0),
        dbc.Row(
            dbc.Col(
                [
                    dbc.Label(t("Wave"), html_for=ids.ROLLOUT_WAVE),
                    dropdown(id=ids.ROLLOUT_WAVE, options=options, value=chosen, clearable=False),
                ],
                md=3,
            ),
            className="mb-3",
        ),
        dbc.Row(
            [
                dbc.Col(chart_card("rollout_scurve", wave=chosen, height=380), lg=6),
                dbc.Col(chart_card("rollout_positions", wave=chosen, height=380), lg=6),
            ]
        ),
        chart_card("rollout_gantt", wave=chosen),
        table_card("rollout_slipped", wave=chosen, height=320),
        table_card(
            "rollout_plan",
            wave=chosen,
            height=460,
            column_options=_plan_options() if editor else None,
            footer=_save_footer(ids.ROLLOUT_PLAN_SAVE, ids.ROLLOUT_PLAN_RESULT) if editor else None,
        ),
    ]
    if can_read_programme(principal):
        body.insert(2, _gate_card(principal))
        body.append(
            dbc.Row(
                [
                    dbc.Col(
                        table_card(
                            "rollout_waves",
                            height=220,
                            column_options=_wave_grid_options() if editor else None,
                            footer=_save_footer(ids.ROLLOUT_WAVES_SAVE, ids.ROLLOUT_WAVES_RESULT)
                            if editor
                            else None,
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        table_card(
                            "rollout_assignments",
                            height=220,
                            column_options=_assignment_options(options) if editor else None,
                            footer=_save_footer(ids.ROLLOUT_ASSIGN_SAVE, ids.ROLLOUT_ASSIGN_RESULT)
                            if editor
                            else None,
                        ),
                        lg=5,
                    ),
                ]
            )
        )
    if editor:
        body.append(
            dbc.Card(
                [
                    dbc.CardHeader(t("Program office: import"), className="fw-semibold"),
                    dbc.CardBody(
                        dbc.Row(
                            [
                                dbc.Col(
                                    upload_box(PAGE, "waves"),
                                    md=6,
                                ),
                                dbc.Col(
                                    upload_box(PAGE, "rollout"),
                                    md=6,
                                ),
                            ]
                        )
                    ),
                ],
                className="mb-3 shadow-sm",
            )
        )
    return html.Div(body)


def _gate_card(principal: Principal) -> dbc.Card:
    """The gate for the next wave: may it start, and why."""
    with read_session() as session:
        report = service.gate_report(session, principal=principal)
        waves = service.waves_frame(session)
    names = dict(zip(waves["code"], waves["name"], strict=True))
    chosen = report.gate.wave if report.gate else None
    return dbc.Card(
        [
            dbc.CardHeader(t("Gate for the next wave"), className="fw-semibold"),
            dbc.CardBody(
                [
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label(
                                        t("Wave about to start"), html_for=ids.ROLLOUT_GATE_WAVE
                                    ),
                                    dropdown(
                                        id=ids.ROLLOUT_GATE_WAVE,
                                        options=[
                                            {"label": names.get(w, w), "value": w}
                                            for w in report.gated_waves
                                        ],
                                        value=chosen,
                                        clearable=False,
                                    ),
                                ],
                                md=3,
                            ),
                            dbc.Col(
                                html.Div(verdict(gate=chosen), id=ids.ROLLOUT_GATE_VERDICT), md=9
                            ),
                        ],
                        className="mb-2",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(chart_card("rollout_gate", gate=chosen, height=260), lg=7),
                            dbc.Col(
                                table_card("rollout_gate_checks", gate=chosen, height=200), lg=5
                            ),
                        ]
                    ),
                ]
            ),
        ],
        className="mb-3 shadow-sm",
        id="rollout-gate",
    )


def verdict(**params: Any) -> list[Any]:
    """The gate's headline (may the wave start?) and the reasons, as the page shows them."""
    principal = require_principal()
    with read_session() as session:
        may_start, headline, reasons = gate_verdict(
            ExportContext(session=session, principal=principal, params=params)
        )
    color = "secondary" if may_start is None else ("success" if may_start else "danger")
    return [
        dbc.Alert(headline, color=color, className="py-2 mb-2 fw-semibold"),
        html.Ul([html.Li(reason) for reason in reasons], className="small mb-0"),
    ]


def _save_footer(button: str, result: str) -> html.Div:
    return html.Div(
        [
            dbc.Button(t("Save changes"), id=button, color="primary", size="sm"),
            html.Span(t("Double-click a cell to edit it."), className="text-muted small ms-3"),
            html.Div(id=result, className="mt-2"),
        ]
    )


def _plan_options() -> dict[str, dict[str, Any]]:
    options = {
        t(PLAN_FIELDS[f]): _DATE_EDITOR
        for f in ("planned_start", "planned_end", "actual_start", "actual_end")
    }
    options[t(PLAN_FIELDS["percent_complete"])] = {
        "editable": True,
        "cellEditor": "agNumberCellEditor",
        "cellEditorParams": {"min": 0, "max": 100},
    }
    options[t(PLAN_FIELDS["note"])] = {"editable": True}
    return options


def _wave_grid_options() -> dict[str, dict[str, Any]]:
    number = {
        "editable": True,
        "cellEditor": "agNumberCellEditor",
        "cellEditorParams": {"min": 0, "max": 100},
    }
    return {
        t(WAVE_FIELDS["name"]): {"editable": True},
        t(WAVE_FIELDS["sequence"]): {**number, "cellEditorParams": {"min": 1, "max": 99}},
        t(WAVE_FIELDS["planned_start"]): _DATE_EDITOR,
        t(WAVE_FIELDS["gate_green_share"]): number,
        t(WAVE_FIELDS["gate_live_share"]): number,
    }


def _assignment_options(options: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    codes = ["", *(o["value"] for o in options if o["value"])]
    return {
        t("Wave"): {
            "editable": True,
            "cellEditor": "agSelectCellEditor",
            "cellEditorParams": {"values": codes},
        }
    }


def _fields(rows: list[dict[str, Any]], headers: dict[str, str]) -> list[dict[str, Any]]:
    """Grid rows (keyed by translated headers) keyed by field names again."""
    by_header = {t(text): field for field, text in headers.items()}
    return [{by_header.get(key, key): value for key, value in row.items()} for row in rows]


def _alert(message: str, color: str) -> dbc.Alert:
    return dbc.Alert(message, color=color, className="py-2 mb-0")


def _saved(result: Any) -> str:
    return t(
        "Saved: {updated} changed, {created} added, {unchanged} unchanged.",
        updated=result.updated,
        created=result.created,
        unchanged=result.unchanged,
    )


@callback(
    [Output(ids.ROLLOUT_WAVE, "options"), *card_outputs(FILTERED), *card_outputs(SETTINGS)],
    Input(ids.ROLLOUT_WAVE, "value"),
    Input(ids.ROLLOUT_VERSION, "data"),
    Input(upload_ids(PAGE, ALL)["done"], "data"),
    prevent_initial_call=True,
)
def redraw_cards(wave: str | None, _version: int, _uploads: list[int]) -> list[Any]:
    """Redraw the cards for the chosen wave, after a change of wave, a save or an import."""
    principal = require_principal()
    settings = redraw(SETTINGS) if can_read_programme(principal) else [dash.no_update] * 4
    return [_wave_options(), *redraw(FILTERED, wave=wave or ""), *settings]


@callback(
    [Output(ids.ROLLOUT_GATE_VERDICT, "children"), *card_outputs(GATE)],
    Input(ids.ROLLOUT_GATE_WAVE, "value"),
    Input(ids.ROLLOUT_VERSION, "data"),
    Input(upload_ids(PAGE, ALL)["done"], "data"),
    prevent_initial_call=True,
)
def redraw_gate(wave: str | None, _version: int, _uploads: list[int]) -> list[Any]:
    """Judge the gate of the chosen wave again (after a change of wave or thresholds)."""
    principal = require_principal()
    require(can_read_programme(principal), N_("reading the rollout gate"))
    return [verdict(gate=wave), *redraw(GATE, gate=wave or "")]


@callback(
    Output(ids.ROLLOUT_PLAN_RESULT, "children"),
    Output(ids.ROLLOUT_VERSION, "data", allow_duplicate=True),
    Input(ids.ROLLOUT_PLAN_SAVE, "n_clicks"),
    State(table_ids("rollout_plan")["grid"], "rowData"),
    State(ids.ROLLOUT_VERSION, "data"),
    prevent_initial_call=True,
)
def save_plan(
    _clicks: int | None, rows: list[dict[str, Any]], version: int
) -> tuple[dbc.Alert, int]:
    """Store the plan as edited in the grid; every wrong cell is named by member and stage."""
    principal = require_principal()
    require(can_run_programme(principal), N_("editing the rollout plan"))
    stages = {label(stage.value): stage.value for stage in STAGE_ORDER}
    edited = [
        {**row, "stage": stages.get(str(row.get("stage")), row.get("stage"))}
        for row in _fields(rows, PLAN_FIELDS)
    ]
    try:
        with write_session() as session:
            result = service.save_stages(session, actor=principal, source="web", rows=edited)
    except InvalidInput as exc:
        return _alert(str(exc), "danger"), version
    return _alert(_saved(result), "success"), version + (
        1 if result.updated or result.created else 0
    )


@callback(
    Output(ids.ROLLOUT_WAVES_RESULT, "children"),
    Output(ids.ROLLOUT_VERSION, "data", allow_duplicate=True),
    Input(ids.ROLLOUT_WAVES_SAVE, "n_clicks"),
    State(table_ids("rollout_waves")["grid"], "rowData"),
    State(ids.ROLLOUT_VERSION, "data"),
    prevent_initial_call=True,
)
def save_waves(
    _clicks: int | None, rows: list[dict[str, Any]], version: int
) -> tuple[dbc.Alert, int]:
    """Store the waves, their order, planned start and gate thresholds (shares in %)."""
    principal = require_principal()
    require(can_run_programme(principal), N_("editing rollout waves"))
    edited = [
        {
            **row,
            **{
                share: None if is_no_value(row.get(share)) else f"{row[share]}%"
                for share in ("gate_green_share", "gate_live_share")
            },
        }
        for row in _fields(rows, WAVE_FIELDS)
    ]
    try:
        with write_session() as session:
            result = service.save_waves(session, actor=principal, source="web", rows=edited)
    except InvalidInput as exc:
        return _alert(str(exc), "danger"), version
    return _alert(_saved(result), "success"), version + (
        1 if result.updated or result.created else 0
    )


@callback(
    Output(ids.ROLLOUT_ASSIGN_RESULT, "children"),
    Output(ids.ROLLOUT_VERSION, "data", allow_duplicate=True),
    Input(ids.ROLLOUT_ASSIGN_SAVE, "n_clicks"),
    State(table_ids("rollout_assignments")["grid"], "rowData"),
    State(ids.ROLLOUT_VERSION, "data"),
    prevent_initial_call=True,
)
def save_assignments(
    _clicks: int | None, rows: list[dict[str, Any]], version: int
) -> tuple[dbc.Alert, int]:
    """Move members between waves as edited in the grid."""
    principal = require_principal()
    require(can_run_programme(principal), N_("assigning members to waves"))
    edited = _fields(
        rows, {"member_code": N_("Code"), "member_name": N_("Member"), "wave": N_("Wave")}
    )
    try:
        with write_session() as session:
            result = service.save_assignments(session, actor=principal, source="web", rows=edited)
    except (InvalidInput, NotFound) as exc:
        return _alert(str(exc), "danger"), version
    return _alert(_saved(result), "success"), version + (1 if result.updated else 0)


@callback(
    Output(upload_ids(PAGE, MATCH)["result"], "children"),
    Output(upload_ids(PAGE, MATCH)["done"], "data"),
    Input(upload_ids(PAGE, MATCH)["upload"], "contents"),
    State(upload_ids(PAGE, MATCH)["upload"], "filename"),
    State(upload_ids(PAGE, MATCH)["done"], "data"),
    prevent_initial_call=True,
)
def import_file(contents: str | None, filename: str | None, done: int) -> tuple[Any, int]:
    """Import a dropped wave or plan file; a rejected file lists every problem."""
    kind = ctx.triggered_id["kind"] if isinstance(ctx.triggered_id, dict) else ""
    return run_upload(kind, contents, filename, done)
