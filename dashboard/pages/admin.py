"""``/admin``: users, API tokens and the audit log, for admins."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate
from sqlmodel import col, select

from bsc.authz import Principal, can_administer, require
from bsc.errors import BscError
from bsc.i18n import N_, label, t
from bsc.models import AuditLog, Member, Role, TokenScope, User
from bsc.services import users as user_service
from dashboard import ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components.exportable import export_params, table_card, table_ids
from dashboard.figures.admin import AUDIT_ENTITIES, audit_word
from dashboard.layout import page_title, protected
from dashboard.names import member_label
from dashboard.registry import ExportContext, build_table
from dashboard.state import read_session, write_session

dash.register_page(__name__, path="/admin", name=N_("Admin"), nav_order=90, access=Access.ADMIN)


@protected(Access.ADMIN)
def layout(principal: Principal, **_query: str) -> html.Div:
    with read_session() as session:
        members = session.exec(select(Member).order_by(col(Member.code))).all()
        usernames = [
            u.username for u in session.exec(select(User).order_by(col(User.username))).all()
        ]
        entities = sorted(session.exec(select(AuditLog.entity).distinct()).all())
    return html.Div(
        [
            page_title(t("Admin")),
            dbc.Tabs(
                [
                    dbc.Tab(_users_tab(members, usernames), label=t("Users"), tab_id="users"),
                    dbc.Tab(_tokens_tab(usernames), label=t("API tokens"), tab_id="tokens"),
                    dbc.Tab(_audit_tab(entities), label=t("Audit log"), tab_id="audit"),
                ],
                id=ids.ADMIN_TABS,
                active_tab="users",
                className="mb-3",
            ),
        ]
    )


def _users_tab(members: Any, usernames: list[str]) -> html.Div:
    form = dbc.Card(
        dbc.CardBody(
            [
                html.H3(t("Add a user"), className="h6"),
                dbc.Row(
                    [
                        dbc.Col(
                            dbc.Input(id=ids.ADMIN_NEW_USERNAME, placeholder=t("Username")), md=3
                        ),
                        dbc.Col(
                            dbc.Select(
                                id=ids.ADMIN_NEW_ROLE,
                                options=[{"label": label(r.value), "value": r.value} for r in Role],
                                value=Role.MEMBER.value,
                            ),
                            md=2,
                        ),
                        dbc.Col(
                            dbc.Select(
                                id=ids.ADMIN_NEW_MEMBER,
                                options=[
                                    {"label": member_label(m), "value": m.code} for m in members
                                ],
                                placeholder=t("Member (for role member)"),
                            ),
                            md=3,
                        ),
                        dbc.Col(
                            dbc.Input(
                                id=ids.ADMIN_NEW_PASSWORD,
                                type="password",
                                placeholder=t("Password"),
                            ),
                            md=2,
                        ),
                        dbc.Col(dbc.Checkbox(id=ids.ADMIN_NEW_IS_ADMIN, label=t("Admin")), md=1),
                        dbc.Col(dbc.Button(t("Add"), id=ids.ADMIN_ADD_USER, color="primary"), md=1),
                    ],
                    className="g-2",
                ),
                html.H3(t("Change a user"), className="h6 mt-3"),
                dbc.Row(
                    [
                        dbc.Col(
                            dbc.Select(id=ids.ADMIN_USER, options=usernames, placeholder=t("User")),
                            md=3,
                        ),
                        dbc.Col(
                            dbc.ButtonGroup(
                                [
                                    dbc.Button(
                                        t("Deactivate"), id=ids.ADMIN_DEACTIVATE, color="secondary"
                                    ),
                                    dbc.Button(
                                        t("Activate"), id=ids.ADMIN_ACTIVATE, color="secondary"
                                    ),
                                    dbc.Button(t("Unlock"), id=ids.ADMIN_UNLOCK, color="secondary"),
                                ]
                            ),
                            md="auto",
                        ),
                    ],
                    className="g-2",
                ),
                html.Div(id=ids.ADMIN_USERS_ALERT, className="mt-3"),
            ]
        ),
        className="mb-3",
    )
    return html.Div([form, table_card("users", height=360)])


def _tokens_tab(usernames: list[str]) -> html.Div:
    form = dbc.Card(
        dbc.CardBody(
            [
                html.H3(t("Create an API token"), className="h6"),
                dbc.Row(
                    [
                        dbc.Col(
                            dbc.Select(
                                id=ids.ADMIN_TOKEN_USER, options=usernames, placeholder=t("User")
                            ),
                            md=3,
                        ),
                        dbc.Col(
                            dbc.Checklist(
                                id=ids.ADMIN_TOKEN_SCOPES,
                                options=[
                                    {"label": t("read"), "value": TokenScope.READ.value},
                                    {"label": t("upload"), "value": TokenScope.UPLOAD.value},
                                ],
                                value=[TokenScope.UPLOAD.value],
                                inline=True,
                            ),
                            md=2,
                        ),
                        dbc.Col(
                            dbc.InputGroup(
                                [
                                    dbc.Input(
                                        id=ids.ADMIN_TOKEN_DAYS,
                                        type="number",
                                        min=1,
                                        max=3650,
                                        value=365,
                                    ),
                                    dbc.InputGroupText(t("days")),
                                ]
                            ),
                            md=2,
                        ),
                        dbc.Col(dbc.Input(id=ids.ADMIN_TOKEN_LABEL, placeholder=t("Label")), md=3),
                        dbc.Col(
                            dbc.Button(t("Create"), id=ids.ADMIN_CREATE_TOKEN, color="primary"),
                            md=1,
                        ),
                    ],
                    className="g-2",
                ),
                html.H3(t("Revoke a token"), className="h6 mt-3"),
                dbc.Row(
                    [
                        dbc.Col(
                            dbc.Input(
                                id=ids.ADMIN_REVOKE_ID, type="number", min=1, placeholder="ID"
                            ),
                            md=2,
                        ),
                        dbc.Col(
                            dbc.Button(t("Revoke"), id=ids.ADMIN_REVOKE, color="danger"), md="auto"
                        ),
                    ],
                    className="g-2",
                ),
                html.Div(id=ids.ADMIN_TOKENS_ALERT, className="mt-3"),
            ]
        ),
        className="mb-3",
    )
    return html.Div(
        [form, table_card("api_tokens", height=320), table_card("api_token_uses", height=320)]
    )


def _audit_tab(entities: list[str]) -> html.Div:
    filters = dbc.Row(
        [
            dbc.Col(
                dbc.Select(
                    id=ids.ADMIN_AUDIT_ENTITY,
                    options=[
                        {"label": audit_word(AUDIT_ENTITIES, entity), "value": entity}
                        for entity in entities
                    ],
                    placeholder=t("Any record"),
                ),
                md=3,
            ),
            dbc.Col(dbc.Input(id=ids.ADMIN_AUDIT_ACTOR, placeholder=t("Who")), md=3),
            dbc.Col(dcc.DatePickerSingle(id=ids.ADMIN_AUDIT_SINCE, placeholder=t("Since")), md=3),
        ],
        className="g-2 mb-2",
    )
    return html.Div([filters, table_card("audit_log", height=520)])


def _refreshed(name: str, **params: Any) -> tuple[list[dict[Any, Any]], dict[str, Any]]:
    data = export_params(name, **params)
    with read_session() as session:
        frame = build_table(name, ExportContext(session, require_principal(), params=params))
    return frame.to_dict("records"), data


def _alert(message: str, ok: bool) -> dbc.Alert:
    return dbc.Alert(message, color="success" if ok else "danger", dismissable=True)


def add_user(
    username: str | None, role: str, member: str | None, password: str | None, is_admin: bool
) -> dbc.Alert:
    """Create a user from the form; the message says what happened."""
    principal = require_principal()
    require(can_administer(principal), N_("adding users"))
    try:
        with write_session() as session:
            user_service.add_user(
                session,
                username=username or "",
                role=Role(role),
                password=password or "",
                actor=principal,
                source="web",
                member_code=member if role == Role.MEMBER else None,
                is_admin=bool(is_admin),
            )
    except BscError as exc:
        return _alert(str(exc), ok=False)
    return _alert(t("User {name} added.", name=username), ok=True)


def change_user(action: str, username: str | None) -> dbc.Alert:
    principal = require_principal()
    require(can_administer(principal), N_("changing users"))
    if not username:
        return _alert(t("Choose a user first."), ok=False)
    try:
        with write_session() as session:
            if action == "unlock":
                user_service.unlock(session, username=username, actor=principal, source="web")
            else:
                user_service.set_active(
                    session,
                    username=username,
                    active=action == "activate",
                    actor=principal,
                    source="web",
                )
    except BscError as exc:
        return _alert(str(exc), ok=False)
    return _alert(t("User {name} updated.", name=username), ok=True)


def create_token(
    username: str | None, scopes: list[str] | None, days: int | None, name: str | None
) -> dbc.Alert:
    from datetime import timedelta

    principal = require_principal()
    require(can_administer(principal), N_("creating API tokens"))
    if not username or not scopes:
        return _alert(t("Choose a user and at least one scope."), ok=False)
    try:
        with write_session() as session:
            token = user_service.issue_token(
                session,
                username=username,
                actor=principal,
                source="web",
                scopes=tuple(TokenScope(s) for s in scopes),
                expires_in=timedelta(days=int(days or 365)),
                name=name or "",
            )
    except BscError as exc:
        return _alert(str(exc), ok=False)
    return dbc.Alert(
        [
            html.P(t("Copy the token now: it is not shown again."), className="mb-1"),
            html.Code(token, id=ids.ADMIN_NEW_TOKEN, className="user-select-all"),
        ],
        color="warning",
    )


def revoke(token_id: int | None) -> dbc.Alert:
    principal = require_principal()
    require(can_administer(principal), N_("revoking API tokens"))
    if not token_id:
        return _alert(t("Give the ID of the token to revoke."), ok=False)
    try:
        with write_session() as session:
            row = user_service.revoke_token(
                session, token_id=int(token_id), actor=principal, source="web"
            )
            prefix = row.prefix
    except BscError as exc:
        return _alert(str(exc), ok=False)
    return _alert(t("Token {prefix}… revoked.", prefix=prefix), ok=True)


users_grid, users_params = table_ids("users")["grid"], table_ids("users")["params"]
tokens_grid, tokens_params = table_ids("api_tokens")["grid"], table_ids("api_tokens")["params"]
audit_grid, audit_params = table_ids("audit_log")["grid"], table_ids("audit_log")["params"]


@callback(
    Output(ids.ADMIN_USERS_ALERT, "children"),
    Output(users_grid, "rowData"),
    Output(users_params, "data"),
    Input(ids.ADMIN_ADD_USER, "n_clicks"),
    Input(ids.ADMIN_DEACTIVATE, "n_clicks"),
    Input(ids.ADMIN_ACTIVATE, "n_clicks"),
    Input(ids.ADMIN_UNLOCK, "n_clicks"),
    State(ids.ADMIN_NEW_USERNAME, "value"),
    State(ids.ADMIN_NEW_ROLE, "value"),
    State(ids.ADMIN_NEW_MEMBER, "value"),
    State(ids.ADMIN_NEW_PASSWORD, "value"),
    State(ids.ADMIN_NEW_IS_ADMIN, "value"),
    State(ids.ADMIN_USER, "value"),
    prevent_initial_call=True,
)
def _on_user_action(*values: Any) -> tuple[Any, ...]:
    username, role, member, password, is_admin, chosen = values[4:]
    trigger = dash.ctx.triggered_id
    if trigger == ids.ADMIN_ADD_USER:
        alert = add_user(username, role, member, password, is_admin)
    elif trigger in (ids.ADMIN_DEACTIVATE, ids.ADMIN_ACTIVATE, ids.ADMIN_UNLOCK):
        action = {ids.ADMIN_DEACTIVATE: "deactivate", ids.ADMIN_ACTIVATE: "activate"}.get(
            trigger, "unlock"
        )
        alert = change_user(action, chosen)
    else:
        raise PreventUpdate
    return (alert, *_refreshed("users"))


@callback(
    Output(ids.ADMIN_TOKENS_ALERT, "children"),
    Output(tokens_grid, "rowData"),
    Output(tokens_params, "data"),
    Input(ids.ADMIN_CREATE_TOKEN, "n_clicks"),
    Input(ids.ADMIN_REVOKE, "n_clicks"),
    State(ids.ADMIN_TOKEN_USER, "value"),
    State(ids.ADMIN_TOKEN_SCOPES, "value"),
    State(ids.ADMIN_TOKEN_DAYS, "value"),
    State(ids.ADMIN_TOKEN_LABEL, "value"),
    State(ids.ADMIN_REVOKE_ID, "value"),
    prevent_initial_call=True,
)
def _on_token_action(*values: Any) -> tuple[Any, ...]:
    username, scopes, days, name, token_id = values[2:]
    if dash.ctx.triggered_id == ids.ADMIN_CREATE_TOKEN:
        alert = create_token(username, scopes, days, name)
    else:
        alert = revoke(token_id)
    return (alert, *_refreshed("api_tokens"))


@callback(
    Output(audit_grid, "rowData"),
    Output(audit_params, "data"),
    Input(ids.ADMIN_AUDIT_ENTITY, "value"),
    Input(ids.ADMIN_AUDIT_ACTOR, "value"),
    Input(ids.ADMIN_AUDIT_SINCE, "date"),
    Input(ids.ADMIN_TABS, "active_tab"),
    prevent_initial_call=True,
)
def _on_audit_filter(
    entity: str | None, actor: str | None, since: str | None, tab: str
) -> tuple[Any, ...]:
    require(can_administer(require_principal()), N_("reading the audit log"))
    if tab != "audit":
        raise PreventUpdate
    params = {
        key: value
        for key, value in {"entity": entity, "actor": actor, "since": since}.items()
        if value
    }
    return _refreshed("audit_log", **params)


__all__ = ["layout", "add_user", "change_user", "create_token", "revoke"]
