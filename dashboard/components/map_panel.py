"""The parts around the strategy map: the side panel of an objective, the legend, the export
menu and the caution about link evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from bsc.exports import images
from bsc.i18n import format_day, format_number, format_percent_value, label, localised, t
from bsc.services.map_views import MapScores
from dashboard.components.map_graph import STATUS_COLOURS, objective_title
from dashboard.components.scores import status_badge
from dashboard.figures.map_drawing import VERDICT_STYLES
from dashboard.figures.maps import MemberMap
from dashboard.figures.scorecard import TREND_LABELS
from strategy_maps.evidence import MAX_LAG, MIN_PAIRS

__all__ = [
    "hint",
    "day",
    "legend",
    "export_header",
    "screen_image",
    "member_summary",
    "evidence_caution",
    "objective_panel",
]

_TREND_ARROWS = {"improving": "↗", "steady": "→", "worsening": "↘"}


def hint() -> html.P:
    return html.P(
        t(
            "Click an objective to see its KPIs, their values and trends, "
            "and why it has its colour."
        ),
        className="text-muted small mb-0",
    )


def day(value: datetime | None) -> str:
    return format_day(None if value is None else value.date())


def _swatch(status: str) -> html.Span:
    fill, border = STATUS_COLOURS[status]
    return html.Span(
        [
            html.Span(
                style={
                    "display": "inline-block",
                    "width": "1.4em",
                    "height": "0.9em",
                    "marginRight": "0.3em",
                    "verticalAlign": "middle",
                    "borderRadius": "3px",
                    "background": fill,
                    "border": f"2px solid {border}",
                },
            ),
            label(status),
        ],
        className="me-3 small text-nowrap",
    )


def _line(verdict: str) -> html.Span:
    width, dash, colour = VERDICT_STYLES[verdict]
    style = {"solid": "solid", "dash": "dashed", "dot": "dotted"}[dash]
    return html.Span(
        [
            html.Span(
                style={
                    "display": "inline-block",
                    "width": "2.2em",
                    "marginRight": "0.3em",
                    "verticalAlign": "middle",
                    "borderTop": f"{max(width, 2):.0f}px {style} {colour}",
                },
            ),
            label(verdict),
        ],
        className="me-3 small text-nowrap",
    )


def legend() -> html.Div:
    """What the colours and the arrow styles mean."""
    return html.Div(
        [
            *(_swatch(status) for status in ("green", "amber", "red", "grey")),
            html.Span("·", className="me-3 text-muted"),
            *(_line(verdict) for verdict in ("supported", "not_supported", "too_little_data")),
        ],
        className="d-flex flex-wrap align-items-center",
    )


def export_header(chart: str, title: str, screen: tuple[str, str]) -> list[Any]:
    """A map card's title and its export menu: the report image of registered ``chart``,
    rendered on the server from the same layout (PNG, SVG, PDF), or the canvas exactly as shown
    (PNG, SVG: the items with ids ``screen``)."""
    report = [
        dbc.DropdownMenuItem(
            fmt.upper(), id={"type": "chart-export", "chart": chart, "format": fmt}
        )
        for fmt in images.FORMATS
    ]
    return [
        html.Span(title, className="fw-semibold"),
        dbc.DropdownMenu(
            [
                dbc.DropdownMenuItem(t("Report image"), header=True),
                *report,
                dbc.DropdownMenuItem(divider=True),
                dbc.DropdownMenuItem(t("As shown on screen"), header=True),
                dbc.DropdownMenuItem("PNG", id=screen[0]),
                dbc.DropdownMenuItem("SVG", id=screen[1]),
            ],
            label=t("Export"),
            size="sm",
            color="light",
            align_end=True,
            className="ms-auto",
            id={"type": "chart-export-menu", "chart": chart},
        ),
    ]


def screen_image(kind: str, filename: str) -> dict[str, Any]:
    """The ``generateImage`` request that makes the browser download the canvas as shown."""
    options: dict[str, Any] = {"full": True, "bg": "#ffffff"}
    if kind == "png":
        options["scale"] = 2
    return {"type": kind, "action": "download", "filename": filename, "options": options}


def _score(value: Any, digits: int = 0) -> str:
    return "–" if value is None or pd.isna(value) else format_number(float(value), digits)


def member_summary(scores: MapScores) -> html.Div:
    return html.Div(
        [
            html.Span(t("Member score"), className="small text-muted me-2"),
            html.Span(_score(scores.score), className="fw-bold me-2"),
            status_badge(scores.status),
            html.Hr(className="my-2"),
        ]
    )


def evidence_caution() -> dbc.Alert:
    return dbc.Alert(
        [
            html.Strong(t("Read with care. ")),
            t(
                "Each link is tested on the month-to-month changes of the two objectives' scores, "
                "with the effect 0 to {lags} months later; a link is supported when the best of "
                "these correlations is positive and significant after allowing for the lags tried "
                "(p < 0.05), and too little data below {pairs} pairs of months. With a pilot's few "
                "dozen months this is a screen, not proof: a common cause can move both scores, "
                "and a real effect may take longer to show.",
                lags=MAX_LAG,
                pairs=MIN_PAIRS,
            ),
        ],
        color="light",
        className="small border",
    )


def _kpi_rows(kpis: pd.DataFrame) -> list[html.Tr]:
    rows = []
    for kpi in kpis.to_dict("records"):
        unit = kpi.get("unit") or ""
        trend = kpi.get("trend")
        rows.append(
            html.Tr(
                [
                    html.Td(
                        [
                            html.Div(localised(kpi.get("name"), kpi.get("name_zh"))),
                            html.Div(kpi["code"], className="text-muted small"),
                        ]
                    ),
                    html.Td(f"{_score(kpi.get('value'), 1)} {unit}".strip(), className="text-end"),
                    html.Td(_score(kpi.get("target"), 1), className="text-end"),
                    html.Td(
                        [status_badge(str(kpi.get("status") or "grey")), _score(kpi.get("score"))]
                    ),
                    html.Td(
                        f"{_TREND_ARROWS.get(trend, '')} {t(TREND_LABELS[trend])}"
                        if trend in TREND_LABELS
                        else "–",
                        className="text-nowrap",
                    ),
                ],
                title=str(kpi.get("explanation") or ""),
            )
        )
        if kpi.get("explanation"):
            rows.append(
                html.Tr(
                    html.Td(
                        kpi["explanation"],
                        colSpan=5,
                        className="small text-muted border-top-0 pt-0",
                    )
                )
            )
    return rows


def _links(found: MemberMap, key: str) -> html.Div:
    verdicts = {}
    if not found.evidence.empty:
        verdicts = {(r["cause"], r["effect"]): r for r in found.evidence.to_dict("records")}
    assert found.stored is not None
    items = []
    for cause, effect in found.stored.document.links:
        if key not in (cause, effect):
            continue
        row = verdicts.get((cause, effect))
        text = label(row["verdict"]) if row is not None else "–"
        if row is not None and row["r"] is not None and not pd.isna(row["r"]):
            lag = t("lag {lag}", lag=row["lag"])
            text += f" (r = {format_number(row['r'], 2)}, {lag})"
        items.append(html.Li([html.Strong(f"{cause} → {effect}"), f": {text}"]))
    if not items:
        return html.Div()
    return html.Div(
        [html.H4(t("Links"), className="h6 mt-3"), html.Ul(items, className="small ps-3 mb-0")]
    )


def objective_panel(found: MemberMap, key: str) -> html.Div:
    """One objective: its status and score, why, its KPIs with values and trends, its links."""
    assert found.stored is not None
    objective = found.stored.document.objective(key)
    assert objective is not None
    row: dict[str, Any] = {}
    kpis = pd.DataFrame()
    if found.scores is not None:
        matches = found.scores.objectives[found.scores.objectives["key"] == key]
        if len(matches):
            row = {str(name): value for name, value in matches.iloc[0].items()}
        kpis = found.scores.kpis[found.scores.kpis["objective_key"] == key]
    status = str(row.get("status") or "grey")
    title = objective_title({"title": objective.title, "title_zh": objective.title_zh})
    header = html.Thead(
        html.Tr(
            [
                html.Th(t("KPI")),
                html.Th(t("Value")),
                html.Th(t("Target")),
                html.Th(t("Score")),
                html.Th(t("Trend")),
            ]
        )
    )
    table = (
        dbc.Table([header, html.Tbody(_kpi_rows(kpis))], size="sm", className="small mb-0")
        if len(kpis)
        else html.P(
            t("No KPI measures this objective yet; attach one in the editor."),
            className="small text-muted",
        )
    )
    return html.Div(
        [
            html.H3(f"{key} · {title}", className="h5"),
            html.Div(label(objective.perspective), className="small text-muted mb-2"),
            html.Div(
                [
                    status_badge(status),
                    html.Span(_score(row.get("score")), className="fw-bold fs-4 mx-2"),
                    html.Span(
                        t("coverage {share}", share=format_percent_value(row.get("coverage")))
                        if row
                        else "",
                        className="small text-muted",
                    ),
                ],
                className="d-flex align-items-center mb-2",
            ),
            html.P(
                row.get("explanation") or t("No data for this period."), className="small bsc-why"
            ),
            html.P(objective.description, className="small") if objective.description else None,
            html.H4(t("KPIs ({period})", period=found.period), className="h6 mt-3"),
            table,
            _links(found, key),
        ],
        id={"type": "map-objective", "key": key},
    )
