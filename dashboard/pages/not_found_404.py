"""The page shown for an unknown address."""

from __future__ import annotations

import dash
from dash import dcc, html

from bsc.i18n import N_, t

dash.register_page(__name__, path="/404", name=N_("Page not found"), access="signed_in")


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("404", className="display-4"),
            html.P(t("There is no page at this address.")),
            dcc.Link(t("Back to the overview"), href="/"),
        ],
        className="bsc-forbidden",
    )
