"""Cards that show a registered chart or table with its export buttons, and the grid every table
of the app is drawn in.

A card carries its parameters in a ``dcc.Store``; the export callback (registered once per app by
:func:`register_export_callbacks`) rebuilds the figure or table on the server from those
parameters — checking the user's rights again — and sends the file, named after the chart or
table and its member, period and parameters (:func:`export_filename`). Callbacks that redraw a
card for new filters update the store too, so the export always matches what is shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, MATCH, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from bsc.exports import images
from bsc.exports import tables as table_files
from bsc.i18n import t
from dashboard.auth import require_principal
from dashboard.language import grid_locale_text, plotly_config
from dashboard.registry import (
    ExportContext,
    build_chart,
    build_table,
    charts,
    require_access,
    tables,
)
from dashboard.state import read_session

__all__ = [
    "chart_card",
    "table_card",
    "export_params",
    "chart_ids",
    "table_ids",
    "register_export_callbacks",
    "grid",
    "grid_columns",
    "export_chart_file",
    "export_table_file",
    "export_filename",
]


def chart_ids(instance: str) -> dict[str, dict[str, str]]:
    """The ids of a chart card's graph and parameter store, for callbacks that redraw it."""
    return {
        "graph": {"type": "chart-graph", "chart": instance},
        "params": {"type": "chart-params", "chart": instance},
    }


def table_ids(instance: str) -> dict[str, dict[str, str]]:
    return {
        "grid": {"type": "table-grid", "table": instance},
        "params": {"type": "table-params", "table": instance},
    }


def export_params(
    name: str, member_code: str | None = None, period: str | None = None, **params: Any
) -> dict[str, Any]:
    """What a card's store holds: the registered name and the parameters to rebuild it."""
    return {"name": name, "member_code": member_code, "period": period, "params": params}


def _context(session: Any, data: dict[str, Any]) -> ExportContext:
    return ExportContext(
        session=session,
        principal=require_principal(),
        member_code=data.get("member_code"),
        period=data.get("period"),
        params=data.get("params") or {},
    )


def chart_card(
    name: str,
    *,
    instance: str | None = None,
    member_code: str | None = None,
    period: str | None = None,
    height: int | None = None,
    **params: Any,
) -> dbc.Card:
    """A card with registered chart ``name`` drawn for the signed-in user, and export buttons."""
    instance = instance or name
    data = export_params(name, member_code, period, **params)
    with read_session() as session:
        figure = build_chart(name, _context(session, data))
    ids = chart_ids(instance)
    config: Any = plotly_config(export_filename(data))  # dcc's ``Config`` TypedDict
    graph = dcc.Graph(
        id=ids["graph"],
        figure=figure,
        config=config,
        style={"height": f"{height}px"} if height else None,
    )
    return _export_card("chart", instance, t(charts()[name].title), images.FORMATS, graph, data)


def _export_card(
    kind: str,
    instance: str,
    title: str,
    formats: tuple[str, ...],
    body: Any,
    data: dict[str, Any],
    footer: Any = None,
) -> dbc.Card:
    """The card around a chart or table: title, export menu, the body (and a footer below it),
    its parameters, download."""
    buttons = [
        dbc.DropdownMenuItem(
            fmt.upper(), id={"type": f"{kind}-export", kind: instance, "format": fmt}
        )
        for fmt in formats
    ]
    menu = dbc.DropdownMenu(
        buttons,
        label=t("Export"),
        size="sm",
        color="light",
        align_end=True,
        className="ms-auto",
        id={"type": f"{kind}-export-menu", kind: instance},
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.Span(title, className="fw-semibold"), menu],
                className="d-flex align-items-center",
            ),
            dbc.CardBody(body),
            *([dbc.CardFooter(footer)] if footer is not None else []),
            dcc.Store(id={"type": f"{kind}-params", kind: instance}, data=data),
            dcc.Download(id={"type": f"{kind}-download", kind: instance}),
        ],
        className="mb-3 shadow-sm",
    )


#: How a grid formats a number column for display: grouped in the page's language.
NUMBER_FORMAT = {"function": "bscGrouped(params.value)"}


def grid(
    grid_id: Any,
    *,
    row_data: list[dict[Any, Any]],
    column_defs: list[dict[str, Any]],
    height: int,
    **props: Any,
) -> dag.AgGrid:
    """An ag-grid in the reader's language (its menus, filters and empty-grid text).

    ``props`` adds or overrides ag-grid properties; ``dashGridOptions`` given there are merged
    with the language's.
    """
    options = {"animateRows": False, **props.pop("dashGridOptions", {})}
    locale = grid_locale_text()
    if locale:
        options["localeText"] = locale
    return dag.AgGrid(
        id=grid_id,
        rowData=row_data,
        columnDefs=column_defs,
        defaultColDef=props.pop(
            "defaultColDef", {"sortable": True, "filter": True, "resizable": True}
        ),
        style=props.pop("style", {"height": f"{height}px"}),
        dashGridOptions=options,
        **props,
    )


def grid_columns(
    frame: pd.DataFrame, options: Mapping[str, Mapping[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """ag-grid column definitions for a frame; numbers right-aligned and grouped in the page's
    language. ``options`` adds settings per column header (e.g. ``{"editable": True}`` where a
    page lets the user edit)."""
    columns = []
    for column in frame.columns:
        definition: dict[str, Any] = {"field": str(column), "headerName": str(column)}
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        ):
            definition.update(type="rightAligned", valueFormatter=NUMBER_FORMAT)
        definition.update((options or {}).get(str(column), {}))
        columns.append(definition)
    return columns


def table_card(
    name: str,
    *,
    instance: str | None = None,
    member_code: str | None = None,
    period: str | None = None,
    height: int = 420,
    column_options: Mapping[str, Mapping[str, Any]] | None = None,
    column_defs: list[dict[str, Any]] | None = None,
    grid_props: dict[str, Any] | None = None,
    footer: Any = None,
    row_data: list[dict[str, Any]] | None = None,
    **params: Any,
) -> dbc.Card:
    """A card with registered table ``name`` in an ag-grid, and CSV/XLSX buttons.

    ``column_options`` adds ag-grid settings per column header to the plain definitions
    (editing, editors); ``column_defs`` replaces the plain column definitions (renderers,
    formatters, tooltips; the fields are the frame's translated headers); ``grid_props`` adds or
    overrides ag-grid properties (``rowClassRules``, ``defaultColDef``, ``dashGridOptions``, …);
    ``footer`` goes below the grid (e.g. a save button for an editable grid); ``row_data``
    replaces the rows (a panel whose own callback fills them, with fields of its own).
    """
    instance = instance or name
    data = export_params(name, member_code, period, **params)
    with read_session() as session:
        frame = build_table(name, _context(session, data))
    body = grid(
        table_ids(instance)["grid"],
        row_data=frame.to_dict("records") if row_data is None else row_data,
        column_defs=column_defs or grid_columns(frame, column_options),
        height=height,
        **(grid_props or {}),
    )
    return _export_card(
        "table", instance, t(tables()[name].title), table_files.TABLE_FORMATS, body, data, footer
    )


def _file_part(value: Any) -> str:
    """One part of a file name: letters (any script), digits, ``-`` and ``.`` only."""
    text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.")[:40]


def export_filename(data: Mapping[str, Any], fmt: str | None = None) -> str:
    """The name of an exported file: the chart or table, then its member, period and other
    parameters, e.g. ``scorecard_M001_2025-09.xlsx`` — sanitised, since parameters come from
    the page.

    Examples
    --------
    >>> export_filename(export_params("kpi_history", "M001", "2025-09", kpi="OPEX_SAVING"), "png")
    'kpi_history_M001_2025-09_OPEX_SAVING.png'
    >>> export_filename(export_params("audit_log", actor="../../etc/passwd"), "csv")
    'audit_log_etc-passwd.csv'
    """
    values = [data.get("name"), data.get("member_code"), data.get("period")]
    values += [value for _key, value in sorted((data.get("params") or {}).items())]
    parts = [_file_part(value) for value in values if value not in (None, "", [])]
    stem = "_".join(part for part in parts if part) or "export"
    return f"{stem}.{fmt}" if fmt else stem


def export_chart_file(fmt: str, data: dict[str, Any]) -> dict[str, Any]:
    """The download for one chart export request (a plain function, for tests)."""
    with read_session() as session:
        figure = build_chart(data["name"], _context(session, data))
    content = images.render(figure, fmt)  # type: ignore[arg-type]
    return dcc.send_bytes(content, export_filename(data, fmt))


def export_table_file(fmt: str, data: dict[str, Any]) -> dict[str, Any]:
    """The download for one table export request: headers and names in the reader's language."""
    with read_session() as session:
        frame = build_table(data["name"], _context(session, data))
    if fmt == "csv":
        content = table_files.to_csv_bytes(frame)
    else:
        content = table_files.to_xlsx_bytes(frame, sheet=t(tables()[data["name"]].title))
    return dcc.send_bytes(content, export_filename(data, fmt))


def _require_export(kind: str, data: dict[str, Any] | None) -> None:
    """Rights first, so that a refused export is a 403 even before anything was clicked."""
    if not data:
        raise PreventUpdate
    with read_session() as session:
        require_access(kind, str(data.get("name")), _context(session, data))


def _triggered_format() -> str:
    triggered = dash.ctx.triggered_id
    if not isinstance(triggered, dict) or not dash.ctx.triggered[0].get("value"):
        raise PreventUpdate
    return str(triggered["format"])


def register_export_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output({"type": "chart-download", "chart": MATCH}, "data"),
        Input({"type": "chart-export", "chart": MATCH, "format": ALL}, "n_clicks"),
        State({"type": "chart-params", "chart": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def _export_chart(_clicks: list[int | None], data: dict[str, Any]) -> dict[str, Any]:
        _require_export("chart", data)
        return export_chart_file(_triggered_format(), data)

    @app.callback(
        Output({"type": "table-download", "table": MATCH}, "data"),
        Input({"type": "table-export", "table": MATCH, "format": ALL}, "n_clicks"),
        State({"type": "table-params", "table": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def _export_table(_clicks: list[int | None], data: dict[str, Any]) -> dict[str, Any]:
        _require_export("table", data)
        return export_table_file(_triggered_format(), data)
