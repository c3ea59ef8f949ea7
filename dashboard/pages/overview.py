"""The overview ``/``: the members the user may see."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from bsc.authz import Principal
from bsc.i18n import N_, label, t
from bsc.repo import list_waves, visible_members
from dashboard import ids
from dashboard.access import Access
from dashboard.layout import page_title, protected
from dashboard.state import read_session

dash.register_page(__name__, path="/", name=N_("Overview"), nav_order=0, access=Access.SIGNED_IN)


@protected(Access.SIGNED_IN)
def layout(principal: Principal, **_query: str) -> html.Div:
    with read_session() as session:
        members = visible_members(session, principal=principal)
        waves = {wave.id: wave.name for wave in list_waves(session)}
    rows = [
        html.Tr(
            [
                html.Td(dcc.Link(member.code, href=f"/members/{member.code}")),
                html.Td(member.name),
                html.Td(member.name_zh or ""),
                html.Td(label(member.segment)),
                html.Td(label(member.region)),
                html.Td(waves.get(member.wave_id, "–")),
            ]
        )
        for member in members
    ]
    header = html.Thead(
        html.Tr(
            [
                html.Th(text)
                for text in (
                    t("Code"),
                    t("Member"),
                    t("Chinese name"),
                    t("Segment"),
                    t("Region"),
                    t("Wave"),
                )
            ]
        )
    )
    return html.Div(
        [
            page_title(t("Overview")),
            html.P(t("{count} members", count=len(members)), className="text-muted"),
            dbc.Table(
                [header, html.Tbody(rows)],
                id=ids.OVERVIEW_MEMBERS,
                hover=True,
                size="sm",
                responsive=True,
            ),
        ]
    )
