"""``/pest``: the external factors (political, economic, social, technological) and their ratings.

Everyone signed in reads it; the program office also rates factors, edits their descriptions and
objective links, and imports factor and rating files.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, can_run_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_, t
from bsc.services import pest as service
from dashboard import ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components.cards import CardRef, card_outputs, redraw
from dashboard.components.dropdown import dropdown
from dashboard.components.exportable import chart_card, table_card
from dashboard.components.uploads import run_upload, upload_box, upload_ids
from dashboard.layout import page_title, protected
from dashboard.names import localised_names
from dashboard.state import read_session, write_session
from kpi.programme.pest_files import IMPACT_RANGE, LIKELIHOOD_RANGE
from kpi.programme.rows import quarter_label

dash.register_page(__name__, path="/pest", name=N_("PEST"), nav_order=50, access=Access.SIGNED_IN)

PAGE = "pest"
CARDS = [
    CardRef("chart", "pest_heatmap"),
    CardRef("chart", "pest_bubbles"),
    CardRef("chart", "pest_radar"),
    CardRef("chart", "pest_trend"),
    CardRef("table", "pest_exposed"),
    CardRef("table", "pest_directions"),
    CardRef("table", "pest_factors"),
    CardRef("table", "pest_ratings"),
]


def _quarters() -> list[str]:
    with read_session() as session:
        ratings = service.ratings_frame(session)
    return sorted(ratings["quarter"].unique(), reverse=True)


@protected(Access.SIGNED_IN)
def layout(principal: Principal, quarter: str | None = None, **_query: str) -> html.Div:
    quarters = _quarters()
    chosen = quarter if quarter in quarters else (quarters[0] if quarters else None)
    controls = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("Quarter"), html_for=ids.PEST_QUARTER),
                    dropdown(
                        id=ids.PEST_QUARTER,
                        options=quarters,
                        value=chosen,
                        clearable=False,
                    ),
                ],
                md=3,
            ),
            dbc.Col(
                html.P(
                    t(
                        "Impact runs from −2 (very harmful) to +2 (very helpful), likelihood "
                        "from 1 (rare) to 5 (almost certain); exposure is impact × likelihood, "
                        "the mean of the raters. A threat is a harmful factor with likelihood "
                        "4 or more."
                    ),
                    className="text-muted small mb-0",
                ),
                md=9,
                className="d-flex align-items-end",
            ),
        ],
        className="mb-3",
    )
    body: list[Any] = [
        page_title(t("PEST analysis")),
        controls,
        dcc.Store(id=ids.PEST_VERSION, data=0),
        chart_card("pest_heatmap", height=520),
        dbc.Row(
            [
                dbc.Col(chart_card("pest_bubbles", quarter=chosen, height=440), lg=6),
                dbc.Col(chart_card("pest_radar", quarter=chosen, height=440), lg=6),
            ]
        ),
        chart_card("pest_trend", height=580),
        dbc.Row(
            [
                dbc.Col(table_card("pest_exposed", quarter=chosen, height=360), lg=7),
                dbc.Col(table_card("pest_directions", height=360), lg=5),
            ]
        ),
        table_card("pest_factors", height=380),
        table_card("pest_ratings", quarter=chosen, height=360),
    ]
    if can_run_programme(principal):
        body.append(_editor(principal, chosen))
    return html.Div(body)


def _editor(principal: Principal, quarter: str | None) -> dbc.Card:
    with read_session() as session:
        factors = service.factors_frame(session, principal=principal)
    names = localised_names(factors, "code", "name", "name_zh")
    options = [{"label": f"{code} · {name}", "value": code} for code, name in names.items()]
    rate = dbc.Form(
        [
            html.H3(t("Rate a factor"), className="h6"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("Factor")),
                            dropdown(id=ids.PEST_RATE_FACTOR, options=options),
                        ],
                        md=6,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("Quarter")),
                            dbc.Input(
                                id=ids.PEST_RATE_QUARTER,
                                value=quarter_label(date.today()),
                                placeholder="2025-Q1",
                            ),
                        ],
                        md=2,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("Impact")),
                            dbc.Select(
                                id=ids.PEST_RATE_IMPACT,
                                options=[
                                    {"label": f"{v:+d}", "value": str(v)}
                                    for v in range(IMPACT_RANGE[0], IMPACT_RANGE[1] + 1)
                                ],
                                value="0",
                            ),
                        ],
                        md=2,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("Likelihood")),
                            dbc.Select(
                                id=ids.PEST_RATE_LIKELIHOOD,
                                options=[
                                    str(v)
                                    for v in range(LIKELIHOOD_RANGE[0], LIKELIHOOD_RANGE[1] + 1)
                                ],
                                value="3",
                            ),
                        ],
                        md=2,
                    ),
                ],
                className="g-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("Rater")),
                            dbc.Input(id=ids.PEST_RATE_RATER, value=principal.username),
                        ],
                        md=4,
                    ),
                    dbc.Col([dbc.Label(t("Note")), dbc.Input(id=ids.PEST_RATE_NOTE)], md=8),
                ],
                className="g-2 mt-1",
            ),
            dbc.Button(t("Save rating"), id=ids.PEST_RATE_SAVE, color="primary", className="mt-2"),
            html.Div(id=ids.PEST_RATE_RESULT, className="mt-2"),
        ]
    )
    factor = dbc.Form(
        [
            html.H3(t("Describe a factor and link it to objectives"), className="h6"),
            dbc.Label(t("Factor")),
            dropdown(id=ids.PEST_FACTOR_CODE, options=options),
            dbc.Label(t("Description"), className="mt-2"),
            dbc.Textarea(id=ids.PEST_FACTOR_DESCRIPTION, rows=3),
            dbc.Label(
                t("Objectives (keys such as C1; P2, or M001:C1 for one member's)"), className="mt-2"
            ),
            dbc.Input(id=ids.PEST_FACTOR_OBJECTIVES),
            dbc.Button(
                t("Save factor"), id=ids.PEST_FACTOR_SAVE, color="primary", className="mt-2"
            ),
            html.Div(id=ids.PEST_FACTOR_RESULT, className="mt-2"),
        ]
    )
    uploads = [
        upload_box(PAGE, "pest_factors"),
        upload_box(PAGE, "pest_ratings"),
    ]
    return dbc.Card(
        [
            dbc.CardHeader(t("Program office: rate, describe and import"), className="fw-semibold"),
            dbc.CardBody(
                dbc.Row(
                    [dbc.Col(rate, lg=5), dbc.Col(factor, lg=4), dbc.Col(uploads, lg=3)],
                    className="g-4",
                )
            ),
        ],
        className="mb-3 shadow-sm",
        id="pest-editor",
    )


def _alert(message: str, color: str) -> dbc.Alert:
    return dbc.Alert(message, color=color, className="py-2 mb-0")


@callback(
    [Output(ids.PEST_QUARTER, "options"), *card_outputs(CARDS)],
    Input(ids.PEST_QUARTER, "value"),
    Input(ids.PEST_VERSION, "data"),
    Input(upload_ids(PAGE, ALL)["done"], "data"),
    prevent_initial_call=True,
)
def redraw_cards(quarter: str | None, _version: int, _uploads: list[int]) -> list[Any]:
    """Redraw every card for the chosen quarter, after a change of quarter or a saved edit."""
    require_principal()
    return [_quarters(), *redraw(CARDS, quarter=quarter)]


@callback(
    Output(ids.PEST_RATE_RESULT, "children"),
    Output(ids.PEST_VERSION, "data", allow_duplicate=True),
    Input(ids.PEST_RATE_SAVE, "n_clicks"),
    State(ids.PEST_RATE_FACTOR, "value"),
    State(ids.PEST_RATE_QUARTER, "value"),
    State(ids.PEST_RATE_IMPACT, "value"),
    State(ids.PEST_RATE_LIKELIHOOD, "value"),
    State(ids.PEST_RATE_RATER, "value"),
    State(ids.PEST_RATE_NOTE, "value"),
    State(ids.PEST_VERSION, "data"),
    prevent_initial_call=True,
)
def save_rating(
    _clicks: int | None,
    factor: str | None,
    quarter: str | None,
    impact: str | None,
    likelihood: str | None,
    rater: str | None,
    note: str | None,
    version: int,
) -> tuple[dbc.Alert, int]:
    """Store the rating typed in the form (the same checks as a file row)."""
    principal = require_principal()
    require(can_run_programme(principal), N_("rating PEST factors"))
    values = {
        "factor": factor,
        "quarter": quarter,
        "impact": impact,
        "likelihood": likelihood,
        "rater": rater,
        "note": note,
    }
    try:
        with write_session() as session:
            result = service.save_rating(session, actor=principal, source="web", values=values)
    except InvalidInput as exc:
        return _alert(str(exc), "danger"), version
    word = t("Rating saved.") if result.created or result.updated else t("Nothing changed.")
    return _alert(word, "success"), version + 1


@callback(
    Output(ids.PEST_FACTOR_DESCRIPTION, "value"),
    Output(ids.PEST_FACTOR_OBJECTIVES, "value"),
    Input(ids.PEST_FACTOR_CODE, "value"),
    prevent_initial_call=True,
)
def fill_factor(code: str | None) -> tuple[str, str]:
    """Show the chosen factor's description and links, ready to edit."""
    principal = require_principal()
    require(can_run_programme(principal), N_("editing PEST factors"))
    if not code:
        raise PreventUpdate
    with read_session() as session:
        factors = service.factors_frame(session, principal=principal)
    row = factors[factors["code"] == code]
    if row.empty:
        raise PreventUpdate
    description = row["description"].iloc[0]
    return (description if isinstance(description, str) else ""), str(row["objectives"].iloc[0])


@callback(
    Output(ids.PEST_FACTOR_RESULT, "children"),
    Output(ids.PEST_VERSION, "data", allow_duplicate=True),
    Input(ids.PEST_FACTOR_SAVE, "n_clicks"),
    State(ids.PEST_FACTOR_CODE, "value"),
    State(ids.PEST_FACTOR_DESCRIPTION, "value"),
    State(ids.PEST_FACTOR_OBJECTIVES, "value"),
    State(ids.PEST_VERSION, "data"),
    prevent_initial_call=True,
)
def save_factor(
    _clicks: int | None,
    code: str | None,
    description: str | None,
    objectives: str | None,
    version: int,
) -> tuple[dbc.Alert, int]:
    """Store the factor's description and objective links."""
    principal = require_principal()
    require(can_run_programme(principal), N_("editing PEST factors"))
    if not code:
        return _alert(t("Choose a factor first."), "warning"), version
    try:
        with write_session() as session:
            result = service.update_factor(
                session,
                actor=principal,
                source="web",
                code=code,
                description=description,
                objectives=objectives,
            )
    except (InvalidInput, NotFound) as exc:
        return _alert(str(exc), "danger"), version
    if not result.updated:
        return _alert(t("Nothing changed."), "info"), version
    return _alert(t("Factor {code} saved.", code=code), "success"), version + 1


@callback(
    Output(upload_ids(PAGE, MATCH)["result"], "children"),
    Output(upload_ids(PAGE, MATCH)["done"], "data"),
    Input(upload_ids(PAGE, MATCH)["upload"], "contents"),
    State(upload_ids(PAGE, MATCH)["upload"], "filename"),
    State(upload_ids(PAGE, MATCH)["done"], "data"),
    prevent_initial_call=True,
)
def import_file(contents: str | None, filename: str | None, done: int) -> tuple[Any, int]:
    """Import a dropped factor or rating file; a rejected file lists every problem."""
    kind = ctx.triggered_id["kind"] if isinstance(ctx.triggered_id, dict) else ""
    return run_upload(kind, contents, filename, done)
