"""``/members/<code>/map``: the member's published strategy map, coloured by objective status.

Click an objective for its KPIs, their values and trends and why it has its colour; pick the
period; read the evidence for each link; export the map as an image (the report rendering through
the chart registry, or the canvas exactly as shown).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, can_write_member, require
from bsc.i18n import N_, t
from bsc.repo import find_member
from bsc.services import map_store
from dashboard import cache, ids
from dashboard.access import Access, can_read_member_code
from dashboard.auth import require_principal
from dashboard.components import map_panel
from dashboard.components.exportable import chart_ids, export_params, table_card, table_ids
from dashboard.components.map_graph import map_component, map_elements
from dashboard.components.period_picker import period_picker, picker_ids
from dashboard.figures.maps import map_objectives_table, member_map, objective_states, verdicts
from dashboard.layout import page_title, protected
from dashboard.names import member_label
from dashboard.registry import ExportContext
from dashboard.state import read_session
from strategy_maps.model import to_graph

dash.register_page(
    __name__,
    path_template="/members/<code>/map",
    name=N_("Strategy map"),
    nav_order=20,
    access=Access.MEMBER,
    # Before "/members/<code>": Dash's template matching lets <code> span slashes.
    order=2,
)

_PICKER = "map"
_PERIOD = picker_ids(_PICKER)["period"]
_CHART = chart_ids("strategy_map")


def _reader(code: str) -> Principal:
    """The signed-in user, if they may see the map of ``code`` (else Forbidden, answered 403)."""
    principal = require_principal()
    require(
        can_read_member_code(principal, code),
        N_("the strategy map of member {member}"),
        member=code,
    )
    return principal


def _context(session: Any, principal: Principal, code: str, period: str | None) -> ExportContext:
    return ExportContext(session=session, principal=principal, member_code=code, period=period)


@protected(Access.MEMBER)
def layout(principal: Principal, code: str = "", period: str | None = None, **_query: str) -> Any:
    with read_session() as session:
        member = find_member(session, code=code)
        if member is None or member.id is None:
            return dbc.Alert(t("No member with code {code}.", code=code), color="warning")
        period = period or cache.latest_period(session)
        found = member_map(_context(session, principal, code, period))
        latest = map_store.latest_version(session, member_id=member.id)
        editable = can_write_member(principal, member.id)
    heading = page_title(t("Strategy map: {member}", member=member_label(member)))
    edit = (
        dbc.Button(t("Edit map"), href=f"/members/{code}/map/edit", color="primary", size="sm")
        if editable
        else None
    )
    if found.stored is None:
        message = t("{member} has no published strategy map yet.", member=member.code)
        return html.Div([heading, dbc.Alert([message, " ", edit or ""], color="info")])
    notes = []
    if latest is not None and latest.version != found.stored.version:
        notes.append(
            t(
                "A newer version ({version}) is saved as a draft and not yet published.",
                version=latest.version,
            )
        )
    scores = found.scores
    summary = map_panel.member_summary(scores) if scores is not None else html.Div()
    elements = map_elements(
        to_graph(found.stored.document), objective_states(scores), evidence=verdicts(found.evidence)
    )
    return html.Div(
        [
            dcc.Store(id=ids.MAP_MEMBER, data=code),
            dbc.Row(
                [
                    dbc.Col(heading, width=True),
                    dbc.Col(edit, width="auto") if edit else None,
                ],
                className="align-items-center",
            ),
            html.P(
                [
                    t(
                        "{name}, version {version}, published {date}.",
                        name=found.stored.name,
                        version=found.stored.version,
                        date=map_panel.day(found.stored.published_at),
                    ),
                    *(f" {note}" for note in notes),
                ],
                className="text-muted small",
            ),
            dbc.Row(
                [
                    dbc.Col(period_picker(_PICKER, found.period), width="auto"),
                    dbc.Col(map_panel.legend(), width=True),
                ],
                className="align-items-center mb-2 g-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader(
                                    map_panel.export_header(
                                        "strategy_map",
                                        t("Strategy map"),
                                        (ids.MAP_IMAGE_PNG, ids.MAP_IMAGE_SVG),
                                    ),
                                    className="d-flex align-items-center",
                                ),
                                dbc.CardBody(
                                    map_component(ids.MAP_GRAPH, elements, height=660),
                                    className="p-1",
                                ),
                                dcc.Store(
                                    id=_CHART["params"],
                                    data=export_params("strategy_map", code, found.period),
                                ),
                                dcc.Download(
                                    id={"type": "chart-download", "chart": "strategy_map"}
                                ),
                            ],
                            className="mb-3 shadow-sm",
                        ),
                        lg=8,
                    ),
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody([summary, html.Div(map_panel.hint(), id=ids.MAP_PANEL)]),
                            className="mb-3 shadow-sm bsc-map-panel",
                        ),
                        lg=4,
                    ),
                ]
            ),
            html.H3(
                t("Do the links hold? Evidence from the scores"),
                className="h5 mt-2",
                id=ids.MAP_EVIDENCE,
            ),
            map_panel.evidence_caution(),
            table_card("link_evidence", member_code=code, height=360),
            table_card("map_objectives", member_code=code, period=found.period, height=380),
        ]
    )


@callback(
    Output(ids.MAP_GRAPH, "elements"),
    Output(_CHART["params"], "data"),
    Output(table_ids("map_objectives")["grid"], "rowData"),
    Output(table_ids("map_objectives")["params"], "data"),
    Input(_PERIOD, "value"),
    State(ids.MAP_MEMBER, "data"),
    prevent_initial_call=True,
)
def _on_period(period: str | None, code: str) -> tuple[Any, ...]:
    """Recolour the map and its objectives table for another period."""
    principal = _reader(code)
    if not period:
        raise PreventUpdate
    with read_session() as session:
        context = _context(session, principal, code, period)
        found = member_map(context)
        if found.stored is None:
            raise PreventUpdate
        rows = map_objectives_table(context).to_dict("records")
    elements = map_elements(
        to_graph(found.stored.document),
        objective_states(found.scores),
        evidence=verdicts(found.evidence),
    )
    return (
        elements,
        export_params("strategy_map", code, period),
        rows,
        export_params("map_objectives", code, period),
    )


@callback(
    Output(ids.MAP_PANEL, "children"),
    Input(ids.MAP_GRAPH, "tapNodeData"),
    Input(_PERIOD, "value"),
    State(ids.MAP_MEMBER, "data"),
    prevent_initial_call=True,
)
def _on_objective(node: dict[str, Any] | None, period: str | None, code: str) -> Any:
    """The side panel of the clicked objective: KPIs, values, trends, links and why."""
    principal = _reader(code)
    key = (node or {}).get("key")
    if not key:
        return map_panel.hint()
    with read_session() as session:
        found = member_map(_context(session, principal, code, period))
    if found.stored is None or found.stored.document.objective(key) is None:
        raise PreventUpdate
    return map_panel.objective_panel(found, key)


@callback(
    Output(ids.MAP_GRAPH, "generateImage"),
    Input(ids.MAP_IMAGE_PNG, "n_clicks"),
    Input(ids.MAP_IMAGE_SVG, "n_clicks"),
    State(ids.MAP_MEMBER, "data"),
    prevent_initial_call=True,
)
def _on_image(_png: int | None, _svg: int | None, code: str) -> dict[str, Any]:
    """The canvas exactly as shown, drawn by the browser (the report image is server-side)."""
    _reader(code)
    kind = "svg" if dash.ctx.triggered_id == ids.MAP_IMAGE_SVG else "png"
    options = (
        {"full": True, "bg": "#ffffff", "scale": 2}
        if kind == "png"
        else {"full": True, "bg": "#ffffff"}
    )
    return {
        "type": kind,
        "action": "download",
        "filename": f"strategy-map-{code}",
        "options": options,
    }
