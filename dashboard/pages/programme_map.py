"""``/programme/map``: every member's published map aggregated by objective.

Objectives are matched by the programme-template key they adopt, else by title; each shows how
many members adopted it and their mean score for the period, and the links are drawn from those
members share. For the programme roles: it names members.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, can_read_programme, can_run_programme, require
from bsc.i18n import N_, t
from bsc.services.map_views import ProgrammeMap
from dashboard import cache, ids
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components import map_panel
from dashboard.components.exportable import chart_ids, export_params, table_card, table_ids
from dashboard.components.map_graph import map_component, map_elements
from dashboard.components.period_picker import period_picker, picker_ids
from dashboard.figures.maps import (
    programme_data,
    programme_labels,
    programme_objectives_table,
    programme_states,
)
from dashboard.layout import page_title, protected
from dashboard.registry import ExportContext
from dashboard.state import read_session

dash.register_page(
    __name__,
    path="/programme/map",
    name=N_("Programme map"),
    nav_order=30,
    access=Access.PROGRAMME,
)

_PICKER = "programme-map"
_PERIOD = picker_ids(_PICKER)["period"]


def _elements(context: ExportContext) -> tuple[list[dict[str, Any]], ProgrammeMap]:
    """The aggregate map; each objective says how many members adopted it."""
    data = programme_data(context)
    widths = {
        (cause, effect): 1.5 + 4.5 * count / max(data.members, 1)
        for cause, effect, count in data.graph.edges(data="count", default=1)
    }
    elements = map_elements(data.graph, programme_states(data), link_widths=widths)
    labels = programme_labels(data)
    for element in elements:
        key = element["data"].get("key")
        if key in labels:
            element["data"]["label"] = labels[key]
    return elements, data


@protected(Access.PROGRAMME)
def layout(principal: Principal, period: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        period = period or cache.latest_period(session)
        elements, data = _elements(
            ExportContext(session=session, principal=principal, period=period)
        )
    actions = (
        dbc.Button(
            t("Edit the programme template"),
            href="/members/template/map/edit",
            size="sm",
            color="primary",
        )
        if can_run_programme(principal)
        else None
    )
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(page_title(t("Programme map")), width=True),
                    dbc.Col(actions, width="auto"),
                ]
            ),
            html.P(
                t(
                    "All {count} published member maps, objective by objective: the number shows "
                    "how many members adopted it, the colour their mean score; arrows are the "
                    "links members share.",
                    count=data.members,
                ),
                className="text-muted small",
            ),
            dbc.Row(
                [
                    dbc.Col(period_picker(_PICKER, period), width="auto"),
                    dbc.Col(
                        [
                            html.Span(t("Member maps:"), className="small text-muted me-2"),
                            *(
                                dcc.Link(code, href=f"/members/{code}/map", className="me-2")
                                for code in data.member_codes
                            ),
                        ],
                        width=True,
                    ),
                ],
                className="mb-2 align-items-center",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader(
                                    map_panel.export_header(
                                        "programme_map",
                                        t("Programme map"),
                                        (ids.PROGRAMME_MAP_PNG, ids.PROGRAMME_MAP_SVG),
                                    ),
                                    className="d-flex align-items-center",
                                ),
                                dbc.CardBody(
                                    map_component(ids.PROGRAMME_MAP_GRAPH, elements, height=640),
                                    className="p-1",
                                ),
                                dcc.Store(
                                    id=chart_ids("programme_map")["params"],
                                    data=export_params("programme_map", None, period),
                                ),
                                dcc.Download(
                                    id={"type": "chart-download", "chart": "programme_map"}
                                ),
                            ],
                            className="mb-3 shadow-sm",
                        ),
                        lg=7,
                    ),
                    dbc.Col(table_card("programme_links", height=640), lg=5),
                ]
            ),
            table_card("programme_objectives", period=period, height=420),
        ]
    )


@callback(
    Output(ids.PROGRAMME_MAP_GRAPH, "elements"),
    Output(table_ids("programme_objectives")["grid"], "rowData"),
    Output(table_ids("programme_objectives")["params"], "data"),
    Output(chart_ids("programme_map")["params"], "data"),
    Input(_PERIOD, "value"),
    prevent_initial_call=True,
)
def _on_period(period: str | None) -> tuple[Any, ...]:
    principal = require_principal()
    require(can_read_programme(principal), N_("the programme map"))
    if not period:
        raise PreventUpdate
    with read_session() as session:
        context = ExportContext(session=session, principal=principal, period=period)
        elements, _data = _elements(context)
        rows = programme_objectives_table(context).to_dict("records")
    return (
        elements,
        rows,
        export_params("programme_objectives", None, period),
        export_params("programme_map", None, period),
    )


@callback(
    Output(ids.PROGRAMME_MAP_GRAPH, "generateImage"),
    Input(ids.PROGRAMME_MAP_PNG, "n_clicks"),
    Input(ids.PROGRAMME_MAP_SVG, "n_clicks"),
    prevent_initial_call=True,
)
def _on_image(_png: int | None, _svg: int | None) -> dict[str, Any]:
    principal = require_principal()
    require(can_read_programme(principal), N_("the programme map"))
    kind = "svg" if dash.ctx.triggered_id == ids.PROGRAMME_MAP_SVG else "png"
    return map_panel.screen_image(kind, "programme-map")
