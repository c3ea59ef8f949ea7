"""``/survey``: what members want most, who is keen, and who needs winning over (with the
program office's remediation notes).

For the programme roles: responses name members. The program office annotates and imports.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html

from bsc.authz import Principal, can_run_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_, t
from bsc.services import survey as service
from dashboard import ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components.cards import CardRef, card_outputs, redraw
from dashboard.components.exportable import chart_card, table_card, table_ids
from dashboard.components.uploads import run_upload, upload_box, upload_ids
from dashboard.figures.survey import DEFAULT_COUNT, REMEDIATION_FIELDS
from dashboard.layout import page_title, protected
from dashboard.state import write_session

dash.register_page(
    __name__, path="/survey", name=N_("Survey"), nav_order=65, access=Access.PROGRAMME
)

PAGE = "survey"
CARDS = [
    CardRef("chart", "survey_demand"),
    CardRef("chart", "survey_willingness"),
    CardRef("table", "survey_items"),
    CardRef("table", "survey_members"),
    CardRef("table", "survey_remediation"),
    CardRef("chart", "survey_matrix"),
]


@protected(Access.PROGRAMME)
def layout(principal: Principal, **_query: str) -> html.Div:
    editor = can_run_programme(principal)
    note_header = t(REMEDIATION_FIELDS["note"])
    body: list[Any] = [
        page_title(t("Demand and willingness survey")),
        dcc.Store(id=ids.SURVEY_VERSION, data=0),
        dbc.Row(
            dbc.Col(
                [
                    dbc.Label(
                        t("Most and least willing: how many members"), html_for=ids.SURVEY_COUNT
                    ),
                    dbc.Input(
                        id=ids.SURVEY_COUNT,
                        type="number",
                        min=1,
                        max=20,
                        step=1,
                        value=DEFAULT_COUNT,
                    ),
                ],
                md=3,
            ),
            className="mb-3",
        ),
        dbc.Row(
            [
                dbc.Col(chart_card("survey_demand", height=380), lg=6),
                dbc.Col(chart_card("survey_willingness", count=DEFAULT_COUNT, height=380), lg=6),
            ]
        ),
        dbc.Row(
            [
                dbc.Col(table_card("survey_items", height=330), lg=6),
                dbc.Col(table_card("survey_members", height=330), lg=6),
            ]
        ),
        table_card(
            "survey_remediation",
            count=DEFAULT_COUNT,
            height=260,
            column_options={
                note_header: {
                    "editable": True,
                    "cellEditor": "agLargeTextCellEditor",
                    "cellEditorPopup": True,
                    "flex": 2,
                }
            }
            if editor
            else None,
            footer=html.Div(
                [
                    dbc.Button(
                        t("Save notes"), id=ids.SURVEY_NOTES_SAVE, color="primary", size="sm"
                    ),
                    html.Span(
                        t("Double-click a note to edit it."), className="text-muted small ms-3"
                    ),
                    html.Div(id=ids.SURVEY_NOTES_RESULT, className="mt-2"),
                ]
            )
            if editor
            else None,
        ),
        chart_card("survey_matrix", height=520),
    ]
    if editor:
        body.append(
            dbc.Card(
                [
                    dbc.CardHeader(t("Program office: import"), className="fw-semibold"),
                    dbc.CardBody(
                        dbc.Row(
                            [
                                dbc.Col(upload_box(PAGE, "survey_items"), md=6),
                                dbc.Col(upload_box(PAGE, "survey_responses"), md=6),
                            ]
                        )
                    ),
                ],
                className="mb-3 shadow-sm",
            )
        )
    return html.Div(body)


@callback(
    card_outputs(CARDS),
    Input(ids.SURVEY_COUNT, "value"),
    Input(ids.SURVEY_VERSION, "data"),
    Input(upload_ids(PAGE, ALL)["done"], "data"),
    prevent_initial_call=True,
)
def redraw_cards(count: int | None, _version: int, _uploads: list[int]) -> list[Any]:
    """Redraw the cards for a new count, after saved notes or an import."""
    require_principal()
    return redraw(CARDS, count=max(1, min(int(count or DEFAULT_COUNT), 20)))


@callback(
    Output(ids.SURVEY_NOTES_RESULT, "children"),
    Output(ids.SURVEY_VERSION, "data", allow_duplicate=True),
    Input(ids.SURVEY_NOTES_SAVE, "n_clicks"),
    State(table_ids("survey_remediation")["grid"], "rowData"),
    State(ids.SURVEY_VERSION, "data"),
    prevent_initial_call=True,
)
def save_notes(
    _clicks: int | None, rows: list[dict[str, Any]], version: int
) -> tuple[dbc.Alert, int]:
    """Store the remediation notes as edited in the grid."""
    principal = require_principal()
    require(can_run_programme(principal), N_("annotating the remediation list"))
    code, note = t(REMEDIATION_FIELDS["member_code"]), t(REMEDIATION_FIELDS["note"])
    edited = [{"member_code": row.get(code), "note": row.get(note)} for row in rows]
    try:
        with write_session() as session:
            result = service.save_remediations(session, actor=principal, source="web", rows=edited)
    except (InvalidInput, NotFound) as exc:
        return dbc.Alert(str(exc), color="danger", className="py-2 mb-0"), version
    changed = result.created + result.updated
    message = t("Notes saved: {changed} changed.", changed=changed)
    return dbc.Alert(message, color="success", className="py-2 mb-0"), version + (
        1 if changed else 0
    )


@callback(
    Output(upload_ids(PAGE, MATCH)["result"], "children"),
    Output(upload_ids(PAGE, MATCH)["done"], "data"),
    Input(upload_ids(PAGE, MATCH)["upload"], "contents"),
    State(upload_ids(PAGE, MATCH)["upload"], "filename"),
    State(upload_ids(PAGE, MATCH)["done"], "data"),
    prevent_initial_call=True,
)
def import_file(contents: str | None, filename: str | None, done: int) -> tuple[Any, int]:
    """Import a dropped item or response file; a rejected file lists every problem."""
    kind = ctx.triggered_id["kind"] if isinstance(ctx.triggered_id, dict) else ""
    return run_upload(kind, contents, filename, done)
