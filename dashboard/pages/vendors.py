"""``/vendors``: the vendor evaluation — weighted expert scores, their spread, how the ranking
holds when weights move, and the decision (with its reason when it is not the top scorer).

For the programme roles; the program office edits weights, records the decision and imports.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html

from bsc.authz import Principal, can_run_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_, format_timestamp, t
from bsc.services import vendors as service
from dashboard import ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components.cards import CardRef, card_outputs, redraw
from dashboard.components.dropdown import dropdown
from dashboard.components.exportable import chart_card, table_card, table_ids
from dashboard.components.uploads import run_upload, upload_box, upload_ids
from dashboard.figures.vendors import CRITERIA_FIELDS
from dashboard.layout import page_title, protected
from dashboard.state import read_session, write_session
from kpi.programme.vendors import ranking

dash.register_page(
    __name__, path="/vendors", name=N_("Vendors"), nav_order=70, access=Access.PROGRAMME
)

PAGE = "vendors"
CARDS = [
    CardRef("chart", "vendor_ranking"),
    CardRef("table", "vendor_ranking_table"),
    CardRef("chart", "vendor_spread"),
    CardRef("chart", "vendor_heatmap"),
    CardRef("chart", "vendor_stability"),
    CardRef("table", "vendor_stability_table"),
    CardRef("table", "vendor_criteria"),
]


def decision_panel(principal: Principal) -> list[Any]:
    """The decision on record, and a warning when it is not the top scorer."""
    with read_session() as session:
        decided = service.decision(session, principal=principal)
        ranked = ranking(
            service.scores_frame(session, principal=principal),
            service.criteria_frame(session, principal=principal),
        )
    if decided is None:
        return [html.P(t("No vendor has been chosen yet."), className="mb-0")]
    top = ranked.loc[ranked["rank"] == 1, "vendor"].tolist()
    lines: list[Any] = [
        html.P(
            [
                html.Strong(t("Chosen: {vendor}", vendor=decided["vendor"])),
                html.Span(
                    " · "
                    + t(
                        "recorded by {user} on {when}",
                        user=decided["decided_by"] or t("the operator"),
                        when=format_timestamp(decided["decided_at"]),
                    ),
                    className="text-muted",
                ),
            ],
            className="mb-1",
        ),
        html.P(t("Reason: {reason}", reason=decided["reason"] or "–"), className="mb-1"),
    ]
    if top and decided["vendor"] not in top:
        lines.append(
            dbc.Alert(
                t(
                    "The vendor chosen is not the top scorer ({top}); the reason says why.",
                    top=", ".join(top),
                ),
                color="warning",
                className="py-2 mb-0",
            )
        )
    return lines


@protected(Access.PROGRAMME)
def layout(principal: Principal, **_query: str) -> html.Div:
    editor = can_run_programme(principal)
    with read_session() as session:
        vendors = service.vendors_frame(session, principal=principal)
    decision: list[Any] = [html.Div(decision_panel(principal), id=ids.VENDOR_DECISION_CURRENT)]
    if editor:
        decision.append(
            dbc.Form(
                [
                    html.Hr(),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label(
                                        t("Vendor chosen"), html_for=ids.VENDOR_DECISION_VENDOR
                                    ),
                                    dropdown(
                                        id=ids.VENDOR_DECISION_VENDOR,
                                        options=[
                                            {"label": f"{code} · {name}", "value": code}
                                            for code, name in zip(
                                                vendors["vendor"], vendors["name"], strict=True
                                            )
                                        ],
                                    ),
                                ],
                                md=4,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(
                                        t("Reason (required when it is not the top scorer)"),
                                        html_for=ids.VENDOR_DECISION_REASON,
                                    ),
                                    dbc.Textarea(id=ids.VENDOR_DECISION_REASON, rows=2),
                                ],
                                md=8,
                            ),
                        ]
                    ),
                    dbc.Button(
                        t("Record decision"),
                        id=ids.VENDOR_DECISION_SAVE,
                        color="primary",
                        className="mt-2",
                    ),
                    html.Div(id=ids.VENDOR_DECISION_RESULT, className="mt-2"),
                ]
            )
        )
    weight_header = t(CRITERIA_FIELDS["weight"])
    body: list[Any] = [
        page_title(t("Vendor evaluation")),
        dcc.Store(id=ids.VENDOR_VERSION, data=0),
        dbc.Card(
            [dbc.CardHeader(t("Decision"), className="fw-semibold"), dbc.CardBody(decision)],
            className="mb-3 shadow-sm",
        ),
        dbc.Row(
            [
                dbc.Col(chart_card("vendor_ranking", height=380), lg=7),
                dbc.Col(table_card("vendor_ranking_table", height=380), lg=5),
            ]
        ),
        dbc.Row(
            [
                dbc.Col(chart_card("vendor_spread", height=380), lg=6),
                dbc.Col(chart_card("vendor_heatmap", height=380), lg=6),
            ]
        ),
        dbc.Row(
            [
                dbc.Col(chart_card("vendor_stability", height=420), lg=6),
                dbc.Col(table_card("vendor_stability_table", height=420), lg=6),
            ]
        ),
        table_card(
            "vendor_criteria",
            height=250,
            column_options={
                weight_header: {
                    "editable": True,
                    "cellEditor": "agNumberCellEditor",
                    "cellEditorParams": {"min": 0},
                }
            }
            if editor
            else None,
            footer=html.Div(
                [
                    dbc.Button(
                        t("Save weights"), id=ids.VENDOR_WEIGHTS_SAVE, color="primary", size="sm"
                    ),
                    html.Span(
                        t("Double-click a weight to edit it."), className="text-muted small ms-3"
                    ),
                    html.Div(id=ids.VENDOR_WEIGHTS_RESULT, className="mt-2"),
                ]
            )
            if editor
            else None,
        ),
    ]
    if editor:
        body.append(
            dbc.Card(
                [
                    dbc.CardHeader(t("Program office: import"), className="fw-semibold"),
                    dbc.CardBody(
                        dbc.Row(
                            [
                                dbc.Col(upload_box(PAGE, "vendor_criteria"), md=4),
                                dbc.Col(upload_box(PAGE, "vendor_scores"), md=4),
                                dbc.Col(upload_box(PAGE, "vendor_decision"), md=4),
                            ]
                        )
                    ),
                ],
                className="mb-3 shadow-sm",
            )
        )
    return html.Div(body)


@callback(
    [Output(ids.VENDOR_DECISION_CURRENT, "children"), *card_outputs(CARDS)],
    Input(ids.VENDOR_VERSION, "data"),
    Input(upload_ids(PAGE, ALL)["done"], "data"),
    prevent_initial_call=True,
)
def redraw_cards(_version: int, _uploads: list[int]) -> list[Any]:
    """Redraw the decision and every card after a save or an import."""
    principal = require_principal()
    return [decision_panel(principal), *redraw(CARDS)]


@callback(
    Output(ids.VENDOR_DECISION_RESULT, "children"),
    Output(ids.VENDOR_VERSION, "data", allow_duplicate=True),
    Input(ids.VENDOR_DECISION_SAVE, "n_clicks"),
    State(ids.VENDOR_DECISION_VENDOR, "value"),
    State(ids.VENDOR_DECISION_REASON, "value"),
    State(ids.VENDOR_VERSION, "data"),
    prevent_initial_call=True,
)
def record_decision(
    _clicks: int | None, vendor: str | None, reason: str | None, version: int
) -> tuple[dbc.Alert, int]:
    """Record the vendor chosen; refused without a reason when it is not the top scorer."""
    principal = require_principal()
    require(can_run_programme(principal), N_("recording the vendor decision"))
    if not vendor:
        return dbc.Alert(
            t("Choose a vendor first."), color="warning", className="py-2 mb-0"
        ), version
    try:
        with write_session() as session:
            result = service.decide(
                session, actor=principal, source="web", vendor_code=vendor, reason=reason
            )
    except (InvalidInput, NotFound) as exc:
        return dbc.Alert(str(exc), color="danger", className="py-2 mb-0"), version
    if not result.created:
        return dbc.Alert(
            t("That decision is already on record."), color="info", className="py-2 mb-0"
        ), version
    return dbc.Alert(t("Decision recorded."), color="success", className="py-2 mb-0"), version + 1


@callback(
    Output(ids.VENDOR_WEIGHTS_RESULT, "children"),
    Output(ids.VENDOR_VERSION, "data", allow_duplicate=True),
    Input(ids.VENDOR_WEIGHTS_SAVE, "n_clicks"),
    State(table_ids("vendor_criteria")["grid"], "rowData"),
    State(ids.VENDOR_VERSION, "data"),
    prevent_initial_call=True,
)
def save_weights(
    _clicks: int | None, rows: list[dict[str, Any]], version: int
) -> tuple[dbc.Alert, int]:
    """Store the criteria weights as edited in the grid."""
    principal = require_principal()
    require(can_run_programme(principal), N_("editing vendor criteria"))
    by_header = {t(text): field for field, text in CRITERIA_FIELDS.items()}
    weights = [{by_header.get(key, key): value for key, value in row.items()} for row in rows]
    try:
        with write_session() as session:
            # The grid shows each name in the reader's language only: both come from the store.
            stored = service.criteria_frame(session, principal=principal).set_index("criterion")
            edited = [
                {
                    "code": f.get("criterion"),
                    "name": stored["name"].get(f.get("criterion")),
                    "name_zh": stored["name_zh"].get(f.get("criterion")),
                    "weight": f.get("weight"),
                }
                for f in weights
            ]
            result = service.save_weights(session, actor=principal, source="web", rows=edited)
    except (InvalidInput, NotFound) as exc:
        return dbc.Alert(str(exc), color="danger", className="py-2 mb-0"), version
    message = t("Weights saved: {changed} changed.", changed=result.updated)
    return dbc.Alert(message, color="success", className="py-2 mb-0"), version + (
        1 if result.updated else 0
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
    """Import a dropped criteria, score or decision file; a rejected file lists every problem."""
    kind = ctx.triggered_id["kind"] if isinstance(ctx.triggered_id, dict) else ""
    return run_upload(kind, contents, filename, done)
