"""The app shell: navigation bar built from the page registry, the 403 page, page guards."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import request
from flask_wtf.csrf import generate_csrf

from bsc import i18n
from bsc.authz import Principal
from bsc.i18n import label, t
from dashboard import ids
from dashboard.access import Access, allows
from dashboard.auth import current_principal

__all__ = ["shell", "forbidden", "protected", "page_title"]


def shell() -> Any:
    """The layout around every page; built per request so the navigation fits the user."""
    principal = current_principal()
    return html.Div(
        [
            _navbar(principal) if principal else html.Div(),
            dbc.Container(dash.page_container, fluid=True, className="bsc-page"),
        ]
    )


def _navbar(principal: Principal) -> dbc.Navbar:
    links = []
    for page in sorted(dash.page_registry.values(), key=lambda p: p.get("nav_order", 999)):
        if page.get("nav_order") is None:
            continue
        path = page.get("path_template") or page["path"]
        variables = {}
        if "<code>" in path:
            if not principal.member_code:
                continue
            variables = {"code": principal.member_code}
            path = path.replace("<code>", principal.member_code)
        if allows(page.get("access", Access.SIGNED_IN), principal, variables):
            links.append(dbc.NavItem(dbc.NavLink(t(page["name"]), href=path, active="exact")))
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Pilot Scorecard", href="/"),
                dbc.Nav(links, navbar=True, className="me-auto"),
                _language_form(principal),
                html.Span(
                    f"{principal.username} · {label(principal.role.value)}",
                    className="navbar-text small me-3",
                    id="navbar-user",
                ),
                html.Form(
                    [
                        dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                        dbc.Button(
                            t("Sign out"),
                            type="submit",
                            size="sm",
                            color="light",
                            outline=True,
                            id="logout-button",
                        ),
                    ],
                    method="POST",
                    action="/logout",
                    className="d-flex mb-0",
                ),
            ],
            fluid=True,
        ),
        id=ids.NAVBAR,
        color="dark",
        dark=True,
        className="mb-2",
    )


def _page_path() -> str:
    """The page being shown. The shell is built for the ``/_dash-layout`` request the page makes,
    so the page itself is the referrer of that request."""
    if request.path.startswith("/_dash-") and request.referrer:
        parts = urlsplit(request.referrer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


def _language_form(principal: Principal) -> html.Form:
    current = principal.language
    buttons = [
        html.Button(
            label,
            name="language",
            value=code,
            type="submit",
            className="btn btn-sm " + ("btn-light" if code == current else "btn-outline-light"),
            id=f"language-{code}",
        )
        for code, label in i18n.LANGUAGES.items()
    ]
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
            dcc.Input(type="hidden", name="next", value=_page_path()),
            dbc.ButtonGroup(buttons, size="sm"),
        ],
        method="POST",
        action="/language",
        className="d-flex mb-0 me-3",
    )


def forbidden(message: str | None = None) -> html.Div:
    return html.Div(
        [
            html.H1("403", className="display-4"),
            html.P(t("You do not have access to this page."), className="lead"),
            html.P(message or t("Ask the program office if you need it."), className="text-muted"),
            dcc.Link(t("Back to the overview"), href="/"),
        ],
        className="bsc-forbidden",
        id="forbidden",
    )


def page_title(text: str) -> html.H2:
    return html.H2(text, className="h4 mb-3")


def protected(access: Access) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a page's ``layout`` so it renders only for users the page's rule allows.

    The wrapped function receives the principal as its first argument.
    """

    def decorate(render: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(render)
        def layout(**variables: Any) -> Any:
            principal = current_principal()
            if principal is None or not allows(access, principal, variables):
                return forbidden()
            return render(principal, **variables)

        return layout

    return decorate
