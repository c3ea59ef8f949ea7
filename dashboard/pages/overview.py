"""The overview ``/``: the members the user may see."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from bsc.authz import Principal
from bsc.i18n import N_, t
from dashboard.access import Access
from dashboard.components.exportable import chart_card, table_card
from dashboard.layout import page_title, protected

dash.register_page(__name__, path="/", name=N_("Overview"), nav_order=0, access=Access.SIGNED_IN)


@protected(Access.SIGNED_IN)
def layout(principal: Principal, **_query: str) -> html.Div:
    return html.Div(
        [
            page_title(t("Overview")),
            dbc.Row(
                [
                    dbc.Col(table_card("members", height=480), lg=8),
                    dbc.Col(chart_card("members_by_wave", height=440), lg=4),
                ]
            ),
        ]
    )
