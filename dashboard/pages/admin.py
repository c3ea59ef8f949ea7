"""``/admin``: users and their roles, for admins."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from sqlmodel import select

from bsc.authz import Principal
from bsc.i18n import N_, format_timestamp, label, t
from bsc.models import Member, User
from dashboard.access import Access
from dashboard.layout import page_title, protected
from dashboard.state import read_session

dash.register_page(__name__, path="/admin", name=N_("Admin"), nav_order=90, access=Access.ADMIN)


@protected(Access.ADMIN)
def layout(principal: Principal, **_query: str) -> html.Div:
    with read_session() as session:
        codes = {m.id: m.code for m in session.exec(select(Member)).all()}
        users = session.exec(select(User).order_by(User.username)).all()
    header = html.Thead(
        html.Tr(
            [
                html.Th(text)
                for text in (
                    t("User"),
                    t("Role"),
                    t("Member"),
                    t("Admin"),
                    t("Active"),
                    t("Last sign-in"),
                )
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(user.username),
                html.Td(label(user.role)),
                html.Td(codes.get(user.member_id, "")),
                html.Td("✓" if user.is_admin else ""),
                html.Td("✓" if user.active else ""),
                html.Td(format_timestamp(user.last_login_at)),
            ]
        )
        for user in users
    ]
    return html.Div(
        [
            page_title(t("Admin")),
            html.H3(t("Users"), className="h5"),
            dbc.Table([header, html.Tbody(rows)], id="admin-users", size="sm", hover=True),
        ]
    )
