"""The pieces of the strategy-map editor's screen: forms, the issue list and the version table.

Plain component builders; the editor page wires them with its callbacks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from bsc.i18n import format_timestamp, label, t
from dashboard import ids
from dashboard.components.dropdown import dropdown
from kpi.vocabulary import PERSPECTIVE_ORDER
from strategy_maps.issues import MapIssue

__all__ = [
    "perspective_options",
    "issue_text",
    "issues_list",
    "toolbar",
    "add_form",
    "objective_form",
    "save_card",
    "start_card",
    "versions_table",
]


def perspective_options() -> list[dict[str, str]]:
    return [{"label": label(p.value), "value": p.value} for p in PERSPECTIVE_ORDER]


def issue_text(issue: MapIssue) -> str:
    """An issue's message in the current language, perspective codes shown by their names."""
    return t(issue.message)


def issues_list(issues: Sequence[MapIssue]) -> html.Div:
    """Errors (which block saving) and warnings, each naming its objectives."""
    if not issues:
        return html.Div(
            dbc.Alert(t("No problems: the map is valid."), color="success", className="py-2 mb-0"),
            id=ids.EDITOR_ISSUES,
        )
    items = [
        dbc.ListGroupItem(
            [
                dbc.Badge(
                    t("Error") if issue.is_error else t("Warning"),
                    color="danger" if issue.is_error else "warning",
                    className="me-2",
                ),
                html.Span(issue_text(issue)),
            ],
            className="py-1 small",
        )
        for issue in issues
    ]
    return html.Div(dbc.ListGroup(items, flush=True), id=ids.EDITOR_ISSUES)


def toolbar() -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                dbc.Switch(
                    id=ids.EDITOR_LINK_MODE,
                    label=t("Link mode: click a cause, then its effect"),
                    value=False,
                ),
                width="auto",
            ),
            dbc.Col(html.Span(id=ids.EDITOR_LINK_HINT, className="text-muted small"), width=True),
            dbc.Col(
                dbc.Button(
                    t("Remove selected link"),
                    id=ids.EDITOR_REMOVE_LINK,
                    color="outline-danger",
                    size="sm",
                    disabled=True,
                ),
                width="auto",
            ),
        ],
        className="align-items-center g-2 mb-2",
    )


def add_form() -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(t("Add an objective"), className="h6"),
                dbc.Select(
                    id=ids.EDITOR_NEW_PERSPECTIVE,
                    options=perspective_options(),
                    value=PERSPECTIVE_ORDER[0].value,
                    className="mb-2",
                ),
                dbc.InputGroup(
                    [
                        dbc.Input(id=ids.EDITOR_NEW_TITLE, placeholder=t("Title"), maxLength=300),
                        dbc.Button(t("Add"), id=ids.EDITOR_ADD, color="primary"),
                    ]
                ),
            ]
        ),
        className="mb-3",
    )


def objective_form(kpis: Sequence[tuple[str, str]]) -> dbc.Card:
    """The selected objective: rename it, move it to another perspective, attach KPIs, delete it."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(
                    [t("Selected objective"), " ", dbc.Badge(id=ids.EDITOR_KEY, color="secondary")],
                    className="h6",
                ),
                html.Fieldset(
                    [
                        dbc.Label(t("Title"), html_for=ids.EDITOR_TITLE, className="small"),
                        dbc.Input(id=ids.EDITOR_TITLE, maxLength=300, className="mb-2"),
                        dbc.Label(
                            t("Chinese title"), html_for=ids.EDITOR_TITLE_ZH, className="small"
                        ),
                        dbc.Input(id=ids.EDITOR_TITLE_ZH, maxLength=300, className="mb-2"),
                        dbc.Label(
                            t("Description"), html_for=ids.EDITOR_DESCRIPTION, className="small"
                        ),
                        dbc.Textarea(id=ids.EDITOR_DESCRIPTION, rows=2, className="mb-2"),
                        dbc.Label(
                            t("Perspective"), html_for=ids.EDITOR_PERSPECTIVE, className="small"
                        ),
                        dbc.Select(
                            id=ids.EDITOR_PERSPECTIVE,
                            options=perspective_options(),
                            className="mb-2",
                        ),
                        dbc.Label(
                            t("KPIs from the catalogue"),
                            html_for=ids.EDITOR_KPIS,
                            className="small",
                        ),
                        dropdown(
                            id=ids.EDITOR_KPIS,
                            options=[
                                {"label": f"{code} · {name}", "value": code} for code, name in kpis
                            ],
                            multi=True,
                            className="mb-2",
                        ),
                        html.Div(
                            [
                                dbc.Button(
                                    t("Apply"), id=ids.EDITOR_APPLY, color="primary", size="sm"
                                ),
                                dbc.Button(
                                    t("Delete objective"),
                                    id=ids.EDITOR_DELETE,
                                    color="outline-danger",
                                    size="sm",
                                ),
                            ],
                            className="d-flex gap-2",
                        ),
                    ],
                    id=ids.EDITOR_FORM,
                    disabled=True,
                ),
            ]
        ),
        className="mb-3",
    )


def save_card(name: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3([t("Save"), " ", html.Span(id=ids.EDITOR_STATE)], className="h6"),
                dbc.Label(t("Name of the map"), html_for=ids.EDITOR_NAME, className="small"),
                dbc.Input(
                    id=ids.EDITOR_NAME, value=name, maxLength=200, debounce=True, className="mb-2"
                ),
                dbc.Input(
                    id=ids.EDITOR_NOTE,
                    placeholder=t("Note for this version (optional)"),
                    className="mb-2",
                ),
                html.Div(
                    [
                        dbc.Button(
                            t("Save draft"), id=ids.EDITOR_SAVE, color="secondary", size="sm"
                        ),
                        dbc.Button(
                            t("Save and publish"), id=ids.EDITOR_PUBLISH, color="success", size="sm"
                        ),
                    ],
                    className="d-flex gap-2 mb-2",
                ),
                html.Div(id=ids.EDITOR_ALERT),
            ]
        ),
        className="mb-3",
    )


def start_card(points: Sequence[tuple[str, str]]) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(t("Start from another map"), className="h6"),
                html.P(
                    t(
                        "Replaces the objectives and links being edited; "
                        "nothing is stored until you save."
                    ),
                    className="small text-muted mb-2",
                ),
                dbc.InputGroup(
                    [
                        dbc.Select(
                            id=ids.EDITOR_START_SOURCE,
                            options=[
                                {
                                    "label": t("Programme template")
                                    if value == "template"
                                    else name,
                                    "value": value,
                                }
                                for value, name in points
                            ],
                            value=points[0][0] if points else None,
                        ),
                        dbc.Button(
                            t("Start from it"),
                            id=ids.EDITOR_START,
                            color="outline-primary",
                            disabled=not points,
                        ),
                    ],
                    size="sm",
                ),
            ]
        ),
        className="mb-3",
    )


def _version_button(text: str, action: str, version: int, color: str) -> dbc.Button:
    return dbc.Button(
        text,
        id={"type": ids.EDITOR_VERSION_ACTION, "action": action, "version": version},
        color=color,
        size="sm",
        className="py-0 px-2",
    )


def versions_table(rows: Sequence[Mapping[str, Any]]) -> html.Div:
    """Every version, newest first, with buttons to open, publish or restore it."""
    if not rows:
        return html.Div(
            html.P(t("No version saved yet."), className="text-muted small"), id=ids.EDITOR_VERSIONS
        )
    colours = {"published": "success", "draft": "secondary", "archived": "light"}
    body = []
    for row in rows:
        version = int(row["version"])
        buttons = [_version_button(t("Open"), "open", version, "outline-primary")]
        if row["status"] != "published":
            buttons.append(_version_button(t("Publish"), "publish", version, "outline-success"))
        buttons.append(_version_button(t("Restore"), "restore", version, "outline-secondary"))
        body.append(
            html.Tr(
                [
                    html.Td(str(version)),
                    html.Td(
                        dbc.Badge(
                            label(row["status"]),
                            color=colours.get(row["status"], "light"),
                            text_color="dark" if row["status"] == "archived" else None,
                        )
                    ),
                    html.Td(row["created_by"] or "–", className="small"),
                    html.Td(format_timestamp(row["created_at"]), className="small"),
                    html.Td(row["note"] or "", className="small text-muted"),
                    html.Td(html.Div(buttons, className="d-flex gap-1")),
                ]
            )
        )
    header = html.Thead(
        html.Tr([html.Th(text) for text in ("#", t("Status"), t("By"), t("Saved"), t("Note"), "")])
    )
    return html.Div(
        dbc.Table([header, html.Tbody(body)], size="sm", hover=True, className="mb-0"),
        id=ids.EDITOR_VERSIONS,
    )
