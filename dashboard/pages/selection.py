"""``/selection``: is a chosen set of members (the pilot, a wave, the survey respondents, any
hand-picked set) representative of all members, and which pilot criteria does it meet?

For the programme roles: it names members.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, can_read_programme, require
from bsc.i18n import N_, label, t
from bsc.repo import list_waves
from bsc.services import selection as service
from dashboard import ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components.cards import CardRef, card_outputs, redraw
from dashboard.components.dropdown import dropdown
from dashboard.components.exportable import chart_card, table_card
from dashboard.layout import page_title, protected
from dashboard.names import member_names
from dashboard.state import read_session
from kpi.programme.selection import CRITERIA, criteria_flags

dash.register_page(
    __name__,
    path="/selection",
    name=N_("Pilot selection"),
    nav_order=60,
    access=Access.PROGRAMME,
)

CARDS = [
    CardRef("chart", "selection_proportions"),
    CardRef("table", "selection_tests"),
    CardRef("table", "selection_strata"),
    CardRef("table", "selection_criteria"),
]


def _sets(principal: Principal) -> tuple[dict[str, list[str]], list[dict[str, str]], Any]:
    with read_session() as session:
        sets = service.candidate_sets(session, principal=principal)
        members = service.members_frame(session, principal=principal)
        names = {str(w.code): str(w.name) for w in list_waves(session)}
    labels = {
        name: names.get(name.removeprefix("wave:"), name)
        if name.startswith("wave:")
        else t("Survey respondents")
        for name in sets
    }
    options = [{"label": labels[name], "value": name} for name in sets]
    return sets, options, members


def summary(principal: Principal, codes: list[str]) -> html.Div:
    """How many are chosen and which selection criteria the set covers."""
    with read_session() as session:
        members = service.members_frame(session, principal=principal)
    flags = criteria_flags(members, codes)
    covered = int((flags["selected"] > 0).sum())
    parts = [
        html.Span(t("{count} members chosen.", count=len(codes)), className="me-3"),
        html.Span(
            t(
                "Selection criteria met: {covered} of {total}.",
                covered=covered,
                total=len(CRITERIA),
            ),
            className="me-3 fw-semibold" + ("" if covered == len(CRITERIA) else " text-danger"),
        ),
    ]
    for row in flags.to_dict("records"):
        parts.append(
            dbc.Badge(
                f"{label(str(row['criterion']))}: {row['members'] or '–'}",
                color="success" if row["selected"] else "secondary",
                className="me-2",
            )
        )
    return html.Div(parts, id=ids.SELECTION_SUMMARY, className="mb-3")


@protected(Access.PROGRAMME)
def layout(principal: Principal, **_query: str) -> html.Div:
    sets, options, members = _sets(principal)
    first = next(iter(sets), None)
    chosen = sets.get(first, []) if first else []
    with read_session() as session:
        names = member_names(session)
    member_options = [
        {"label": f"{code} · {names.get(code, code)}", "value": code}
        for code in members["member_code"]
    ]
    return html.Div(
        [
            page_title(t("Pilot selection: representativeness")),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(t("Set to check"), html_for=ids.SELECTION_SET),
                            dropdown(
                                id=ids.SELECTION_SET, options=options, value=first, clearable=True
                            ),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label(t("Members in the set"), html_for=ids.SELECTION_MEMBERS),
                            dropdown(
                                id=ids.SELECTION_MEMBERS,
                                options=member_options,
                                value=chosen,
                                multi=True,
                            ),
                        ],
                        md=9,
                    ),
                ],
                className="mb-2",
            ),
            html.P(
                t(
                    "Each dimension is tested with a chi-square goodness-of-fit test against the "
                    "shares of all members (revenue and investor counts in thirds of all "
                    "members). With fewer than 5 expected members in a stratum — usual for a "
                    "pilot of a few members — the chi-square p-value is only approximate, so "
                    "the exact multinomial p-value is given as well. A stratum is under-"
                    "represented when the set has less than half the members its share calls for."
                ),
                className="text-muted small",
            ),
            summary(principal, chosen),
            chart_card("selection_proportions", members=chosen, height=620),
            table_card("selection_tests", members=chosen, height=250),
            dbc.Row(
                [
                    dbc.Col(table_card("selection_strata", members=chosen, height=420), lg=7),
                    dbc.Col(table_card("selection_criteria", members=chosen, height=420), lg=5),
                ]
            ),
        ]
    )


@callback(
    Output(ids.SELECTION_MEMBERS, "value"),
    Input(ids.SELECTION_SET, "value"),
    prevent_initial_call=True,
)
def choose_set(name: str | None) -> list[str]:
    """Fill the member list with a named set (a wave, the survey respondents)."""
    principal = require_principal()
    require(can_read_programme(principal), N_("comparing members"))
    if not name:
        raise PreventUpdate
    sets, _options, _members = _sets(principal)
    return sets.get(name, [])


@callback(
    [Output(ids.SELECTION_SUMMARY, "children"), *card_outputs(CARDS)],
    Input(ids.SELECTION_MEMBERS, "value"),
    prevent_initial_call=True,
)
def compare(codes: list[str] | None) -> list[Any]:
    """Compare the chosen members with all members."""
    principal = require_principal()
    require(can_read_programme(principal), N_("comparing members"))
    chosen = [str(code) for code in codes or []]
    return [summary(principal, chosen).children, *redraw(CARDS, members=chosen)]
