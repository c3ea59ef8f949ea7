"""``/members/<code>/map/edit``: the strategy-map editor (``code`` ``template``: the programme's).

The map being edited lives in the browser (a store holding the map-file form) until it is saved;
every change is validated at once and its problems shown beside the map. Saving writes a new
version through :mod:`bsc.services.maps`, which checks the user's rights again and audits each
change. Members edit their own map; the program office edits any, and the template.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, can_run_programme, can_write_member, require
from bsc.errors import BscError
from bsc.i18n import N_, localised, t
from bsc.repo import get_member, list_kpis
from bsc.services import maps as map_service
from dashboard import ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components import map_editor as parts
from dashboard.components.map_graph import ObjectiveState, map_component, map_elements
from dashboard.layout import page_title, protected
from dashboard.names import member_label
from dashboard.state import read_session, write_session
from strategy_maps import editing
from strategy_maps.io import document_to_dict, parse_document
from strategy_maps.model import MapDocument, to_graph

dash.register_page(
    __name__,
    path_template="/members/<code>/map/edit",
    name=N_("Edit strategy map"),
    access=Access.MEMBER_EDITOR,
    # Dash matches path templates with fnmatch, whose * spans slashes: "/members/<code>" would
    # take this path too, so the more specific templates go first in the registry.
    order=1,
)

_TEMPLATE = map_service.TEMPLATE


def _member_code(code: str) -> str | None:
    return None if code == _TEMPLATE else code


def require_editor(code: str) -> Principal:
    """The signed-in user, if they may edit the map of ``code`` (else Forbidden, answered 403)."""
    principal = require_principal()
    if code == _TEMPLATE:
        require(can_run_programme(principal), N_("editing the programme template"))
        return principal
    with read_session() as session:
        member = get_member(session, code=code)
        assert member.id is not None
        require(
            can_write_member(principal, member.id),
            N_("editing the map of member {member}"),
            member=code,
        )
    return principal


def _document(data: dict[str, Any] | None) -> MapDocument:
    if not data:
        raise PreventUpdate
    return parse_document(data)[0]


@protected(Access.MEMBER_EDITOR)
def layout(principal: Principal, code: str = "", **_query: str) -> html.Div:
    member_code = _member_code(code)
    with read_session() as session:
        member = None if member_code is None else get_member(session, code=member_code)
        stored = map_service.load_map(session, principal=principal, member_code=member_code)
        history = map_service.map_history(session, principal=principal, member_code=member_code)
        points = map_service.starting_points(session, principal=principal, member_code=member_code)
        catalogue = list_kpis(session, member_id=None if member is None else member.id)
        kpis = [(k.code, localised(k.name, k.name_zh)) for k in catalogue]
        notice = None
        if stored is not None:
            document, base = stored.document, stored.version
        elif points and member_code is not None:
            document = map_service.start_from(
                session, principal=principal, member_code=member_code, source=points[0][0]
            )
            base = 0
            notice = t(
                "No map is saved yet: this draft starts from {source}. Save it to keep it.",
                source=points[0][1],
            )
        else:
            document, base = MapDocument(name="", member=member_code), 0
    heading = t("Programme template") if member is None else member_label(member)
    content = document_to_dict(document)
    return html.Div(
        [
            page_title(t("Edit strategy map: {name}", name=heading)),
            dbc.Alert(notice, color="info", className="py-2") if notice else html.Div(),
            dcc.Store(id=ids.EDITOR_MEMBER, data=code),
            dcc.Store(id=ids.EDITOR_DOCUMENT, data=content),
            dcc.Store(id=ids.EDITOR_SAVED, data=content if stored is not None else None),
            dcc.Store(id=ids.EDITOR_BASE, data=base),
            dcc.Store(id=ids.EDITOR_SELECTED),
            dcc.Store(id=ids.EDITOR_LINK_SOURCE),
            dcc.Store(id=ids.EDITOR_SELECTED_LINK),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            parts.toolbar(),
                            map_component(ids.EDITOR_GRAPH, [], height=620),
                            html.H3(t("Validation"), className="h6 mt-3"),
                            parts.issues_list([]),
                            html.H3(t("Versions"), className="h6 mt-3"),
                            parts.versions_table(history),
                            dcc.Link(t("Back to the map"), href=f"/members/{code}/map")
                            if member is not None
                            else dcc.Link(t("Back to the programme map"), href="/programme/map"),
                        ],
                        lg=8,
                    ),
                    dbc.Col(
                        [
                            parts.add_form(),
                            parts.objective_form(kpis),
                            parts.save_card(document.name),
                            parts.start_card(points) if member is not None else html.Div(),
                        ],
                        lg=4,
                    ),
                ]
            ),
        ]
    )


@callback(
    Output(ids.EDITOR_GRAPH, "elements"),
    Output(ids.EDITOR_ISSUES, "children"),
    Output(ids.EDITOR_STATE, "children"),
    Output(ids.EDITOR_SAVE, "disabled"),
    Output(ids.EDITOR_PUBLISH, "disabled"),
    Input(ids.EDITOR_DOCUMENT, "data"),
    Input(ids.EDITOR_SELECTED, "data"),
    Input(ids.EDITOR_LINK_SOURCE, "data"),
    State(ids.EDITOR_SAVED, "data"),
    State(ids.EDITOR_MEMBER, "data"),
)
def _render(
    data: dict[str, Any], selected: str | None, source: str | None, saved: Any, code: str
) -> tuple[Any, ...]:
    """Redraw the map and validate it after every change."""
    require_editor(code)
    document = _document(data)
    with read_session() as session:
        issues = map_service.check_map(session, document, member_code=_member_code(code))
    problems: dict[str, str] = {}
    for issue in issues:
        for key in issue.objectives:
            if problems.get(key) != "error":
                problems[key] = "error" if issue.is_error else "warning"
    states = {key: ObjectiveState(problem=problem) for key, problem in problems.items()}
    elements = map_elements(to_graph(document), states, selected=selected, link_source=source)
    unsaved = data != saved
    state = dbc.Badge(t("Unsaved changes"), color="warning", text_color="dark") if unsaved else ""
    blocked = any(issue.is_error for issue in issues)
    return elements, parts.issues_list(issues).children, state, blocked, blocked


@callback(
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Output(ids.EDITOR_SELECTED, "data", allow_duplicate=True),
    Output(ids.EDITOR_LINK_SOURCE, "data"),
    Output(ids.EDITOR_LINK_HINT, "children"),
    Input(ids.EDITOR_GRAPH, "tapNodeData"),
    State(ids.EDITOR_LINK_MODE, "value"),
    State(ids.EDITOR_LINK_SOURCE, "data"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _on_objective_click(
    node: dict[str, Any] | None, link_mode: bool, source: str | None, data: Any, code: str
) -> tuple[Any, ...]:
    """Select an objective; in link mode the first click picks the cause, the second the effect."""
    require_editor(code)
    key = (node or {}).get("key")
    if not key:
        raise PreventUpdate
    if not link_mode:
        return dash.no_update, key, None, ""
    if source is None or source == key:
        hint = t("Cause: {key}. Now click its effect.", key=key) if source != key else ""
        return dash.no_update, dash.no_update, None if source == key else key, hint
    document = editing.add_link(_document(data), source, key)
    hint = t("Linked {cause} → {effect}.", cause=source, effect=key)
    return document_to_dict(document), dash.no_update, None, hint


@callback(
    Output(ids.EDITOR_SELECTED_LINK, "data"),
    Output(ids.EDITOR_REMOVE_LINK, "disabled"),
    Output(ids.EDITOR_REMOVE_LINK, "children"),
    Input(ids.EDITOR_GRAPH, "tapEdgeData"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _on_link_click(edge: dict[str, Any] | None, code: str) -> tuple[Any, ...]:
    require_editor(code)
    if not edge or not edge.get("source"):
        raise PreventUpdate
    cause, effect = edge["source"], edge["target"]
    return [cause, effect], False, t("Remove link {cause} → {effect}", cause=cause, effect=effect)


@callback(
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Output(ids.EDITOR_SELECTED_LINK, "data", allow_duplicate=True),
    Output(ids.EDITOR_REMOVE_LINK, "disabled", allow_duplicate=True),
    Output(ids.EDITOR_REMOVE_LINK, "children", allow_duplicate=True),
    Input(ids.EDITOR_REMOVE_LINK, "n_clicks"),
    State(ids.EDITOR_SELECTED_LINK, "data"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _remove_link(_clicks: int, link: list[str] | None, data: Any, code: str) -> tuple[Any, ...]:
    require_editor(code)
    if not link:
        raise PreventUpdate
    document = editing.remove_link(_document(data), link[0], link[1])
    return document_to_dict(document), None, True, t("Remove selected link")


@callback(
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Output(ids.EDITOR_SELECTED, "data", allow_duplicate=True),
    Output(ids.EDITOR_NEW_TITLE, "value"),
    Input(ids.EDITOR_ADD, "n_clicks"),
    Input(ids.EDITOR_NEW_TITLE, "n_submit"),
    State(ids.EDITOR_NEW_PERSPECTIVE, "value"),
    State(ids.EDITOR_NEW_TITLE, "value"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _add_objective(
    _clicks: int, _submit: int, perspective: str, title: str | None, data: Any, code: str
) -> tuple[Any, ...]:
    require_editor(code)
    if not title or not title.strip():
        raise PreventUpdate
    document = editing.add_objective(_document(data), perspective=perspective, title=title.strip())
    return document_to_dict(document), document.objectives[-1].key, ""


@callback(
    Output(ids.EDITOR_KEY, "children"),
    Output(ids.EDITOR_TITLE, "value"),
    Output(ids.EDITOR_TITLE_ZH, "value"),
    Output(ids.EDITOR_DESCRIPTION, "value"),
    Output(ids.EDITOR_PERSPECTIVE, "value"),
    Output(ids.EDITOR_KPIS, "value"),
    Output(ids.EDITOR_FORM, "disabled"),
    Input(ids.EDITOR_SELECTED, "data"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
)
def _fill_form(selected: str | None, data: Any, code: str) -> tuple[Any, ...]:
    require_editor(code)
    objective = _document(data).objective(selected) if selected else None
    if objective is None:
        return "", "", "", "", None, [], True
    return (
        objective.key,
        objective.title,
        objective.title_zh or "",
        objective.description or "",
        objective.perspective,
        list(objective.kpi_codes),
        False,
    )


@callback(
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Input(ids.EDITOR_APPLY, "n_clicks"),
    State(ids.EDITOR_SELECTED, "data"),
    State(ids.EDITOR_TITLE, "value"),
    State(ids.EDITOR_TITLE_ZH, "value"),
    State(ids.EDITOR_DESCRIPTION, "value"),
    State(ids.EDITOR_PERSPECTIVE, "value"),
    State(ids.EDITOR_KPIS, "value"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _apply(_clicks: int, key: str | None, *values: Any) -> Any:
    """Rename the selected objective, move it to another perspective, set its KPIs."""
    title, title_zh, description, perspective, kpis, data, code = values
    require_editor(code)
    document = _document(data)
    if not key or document.objective(key) is None:
        raise PreventUpdate
    document = editing.update_objective(
        document,
        key,
        title=(title or "").strip(),
        title_zh=(title_zh or "").strip() or None,
        description=(description or "").strip() or None,
        perspective=perspective,
    )
    return document_to_dict(editing.set_kpis(document, key, list(kpis or [])))


@callback(
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Output(ids.EDITOR_SELECTED, "data", allow_duplicate=True),
    Input(ids.EDITOR_DELETE, "n_clicks"),
    State(ids.EDITOR_SELECTED, "data"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _delete(_clicks: int, key: str | None, data: Any, code: str) -> tuple[Any, ...]:
    require_editor(code)
    if not key:
        raise PreventUpdate
    return document_to_dict(editing.delete_objective(_document(data), key)), None


@callback(
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Input(ids.EDITOR_NAME, "value"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _rename_map(name: str | None, data: Any, code: str) -> Any:
    require_editor(code)
    document = _document(data)
    if (name or "").strip() == document.name:
        raise PreventUpdate
    return document_to_dict(replace(document, name=(name or "").strip()))


@callback(
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Output(ids.EDITOR_SELECTED, "data", allow_duplicate=True),
    Input(ids.EDITOR_START, "n_clicks"),
    State(ids.EDITOR_START_SOURCE, "value"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _start_from(_clicks: int, source: str | None, data: Any, code: str) -> tuple[Any, ...]:
    principal = require_editor(code)
    if not source:
        raise PreventUpdate
    with read_session() as session:
        document = map_service.start_from(
            session, principal=principal, member_code=_member_code(code), source=source
        )
    current = _document(data)
    return document_to_dict(replace(document, name=current.name or document.name)), None


def _after_write(
    code: str, principal: Principal, result: map_service.MapResult
) -> tuple[dbc.Alert, Any]:
    """The message about a save, publish or restore, and the refreshed versions table."""
    if result.rejected:
        message = t("Not saved: the map has errors; fix those listed under the map.")
        return dbc.Alert(message, color="danger", className="py-2"), dash.no_update
    with read_session() as session:
        history = map_service.map_history(
            session, principal=principal, member_code=_member_code(code)
        )
    texts = {
        "saved": t("Saved as version {version} (draft).", version=result.version),
        "published": t("Version {version} is published.", version=result.version),
        "unchanged": t("Nothing changed since version {version}.", version=result.version),
    }
    alert = dbc.Alert(texts[result.status], color="success", className="py-2")
    return alert, parts.versions_table(history).children


@callback(
    Output(ids.EDITOR_ALERT, "children"),
    Output(ids.EDITOR_BASE, "data"),
    Output(ids.EDITOR_VERSIONS, "children"),
    Output(ids.EDITOR_SAVED, "data"),
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Input(ids.EDITOR_SAVE, "n_clicks"),
    Input(ids.EDITOR_PUBLISH, "n_clicks"),
    State(ids.EDITOR_NAME, "value"),
    State(ids.EDITOR_NOTE, "value"),
    State(ids.EDITOR_DOCUMENT, "data"),
    State(ids.EDITOR_BASE, "data"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _save(
    _save: int, _publish: int, name: str | None, note: str | None, data: Any, base: int, code: str
) -> tuple[Any, ...]:
    publish = dash.ctx.triggered_id == ids.EDITOR_PUBLISH
    return save(data, base, code, name=name, note=note, publish=publish)


def save(
    data: Any, base: int, code: str, *, name: str | None, note: str | None, publish: bool
) -> tuple[Any, ...]:
    """Save the map as a new version (and publish it), refusing to overwrite a newer version.

    Returns the alert, the new base version, the versions table, the saved and the edited map.
    """
    principal = require_editor(code)
    document = _document(data)
    if name and name.strip():
        document = replace(document, name=name.strip())
    try:
        with write_session() as session:
            result = map_service.save_map(
                session,
                document,
                actor=principal,
                source="web",
                member_code=_member_code(code),
                note=(note or "").strip() or None,
                publish=publish,
                base_version=base or None,
            )
    except BscError as error:
        return dbc.Alert(str(error), color="danger", className="py-2"), *(dash.no_update,) * 4
    alert, versions = _after_write(code, principal, result)
    if result.rejected:
        return alert, *(dash.no_update,) * 4
    content = document_to_dict(document)
    return alert, result.version, versions, content, content


@callback(
    Output(ids.EDITOR_ALERT, "children", allow_duplicate=True),
    Output(ids.EDITOR_BASE, "data", allow_duplicate=True),
    Output(ids.EDITOR_VERSIONS, "children", allow_duplicate=True),
    Output(ids.EDITOR_SAVED, "data", allow_duplicate=True),
    Output(ids.EDITOR_DOCUMENT, "data", allow_duplicate=True),
    Input({"type": ids.EDITOR_VERSION_ACTION, "action": ALL, "version": ALL}, "n_clicks"),
    State(ids.EDITOR_MEMBER, "data"),
    prevent_initial_call=True,
)
def _on_version(clicks: list[int | None], code: str) -> tuple[Any, ...]:
    require_editor(code)
    trigger = dash.ctx.triggered_id
    if not isinstance(trigger, dict) or not any(clicks):
        raise PreventUpdate
    return version_action(str(trigger["action"]), int(trigger["version"]), code)


def version_action(action: str, version: int, code: str) -> tuple[Any, ...]:
    """Open an earlier version in the editor, publish a version, or restore one as the newest.

    Returns the alert, the base version, the versions table, the saved and the edited map.
    """
    principal = require_editor(code)
    member_code = _member_code(code)
    unchanged = (dash.no_update,) * 3
    try:
        if action == "open":
            with read_session() as session:
                stored = map_service.load_map(
                    session, principal=principal, member_code=member_code, version=version
                )
            if stored is None:
                raise PreventUpdate
            message = t(
                "Version {version} opened: saving it makes it the newest version.",
                version=version,
            )
            alert = dbc.Alert(message, color="info", className="py-2")
            return alert, *unchanged, document_to_dict(stored.document)
        with write_session() as session:
            if action == "publish":
                result = map_service.publish_map(
                    session, actor=principal, source="web", member_code=member_code, version=version
                )
            else:
                result = map_service.restore_map(
                    session, actor=principal, source="web", member_code=member_code, version=version
                )
    except BscError as error:
        return dbc.Alert(str(error), color="danger", className="py-2"), *unchanged, dash.no_update
    alert, versions = _after_write(code, principal, result)
    if action == "publish" or result.rejected:
        return alert, dash.no_update, versions, dash.no_update, dash.no_update
    with read_session() as session:
        latest = map_service.load_map(session, principal=principal, member_code=member_code)
    assert latest is not None
    content = document_to_dict(latest.document)
    return alert, latest.version, versions, content, content
