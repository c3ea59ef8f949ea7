"""Small pieces that show scores: status badges, score tiles, the overview's count tiles and the
summary of a KPI, each saying why it has its colour."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from bsc.i18n import format_number, format_percent_value, label, localised, t
from bsc.services.overview import Overview
from bsc.services.scorecard import Scorecard
from dashboard.figures.scorecard import OUTLOOK_LABELS, TREND_LABELS
from kpi.vocabulary import Status

__all__ = ["status_badge", "score_tile", "scorecard_summary", "overview_tiles", "kpi_summary"]


_BADGE_COLOURS = {
    Status.GREEN.value: "success",
    Status.AMBER.value: "warning",
    Status.RED.value: "danger",
    Status.GREY.value: "secondary",
}


def status_badge(status: str) -> dbc.Badge:
    return dbc.Badge(
        label(status),
        color=_BADGE_COLOURS.get(status, "secondary"),
        text_color="dark" if status == Status.AMBER.value else None,
        className=f"bsc-badge-{status} me-1",
    )


def _score_text(score: Any) -> str:
    return "–" if score is None or score != score else format_number(score, 0)


def score_tile(title: str, row: Mapping[Any, Any], *, tile_id: str | None = None) -> html.Div:
    """A tile with a score, its status colour, its coverage and why (also its tooltip)."""
    card = dbc.Card(
        dbc.CardBody(
            [
                html.Div(title, className="small text-muted"),
                html.Div(
                    [
                        html.Span(_score_text(row["score"]), className="bsc-tile-score me-2"),
                        status_badge(row["status"]),
                    ]
                ),
                html.Div(
                    t("Coverage {share}", share=format_percent_value(row["coverage"])),
                    className="small",
                ),
                html.Div(row["explanation"], className="bsc-why"),
            ]
        ),
        className=f"bsc-tile bsc-tile-{row['status']} h-100 shadow-sm",
    )
    return html.Div(card, title=row["explanation"], id=tile_id or "", className="h-100")


def scorecard_summary(card: Scorecard) -> dbc.Row:
    """The member's overall score and one tile per perspective."""
    overall = {
        "score": card.score,
        "status": card.status,
        "coverage": card.coverage,
        "explanation": card.explanation,
    }
    tiles = [dbc.Col(score_tile(t("Member score"), overall, tile_id="tile-member"), md=4, lg=True)]
    tiles += [
        dbc.Col(
            score_tile(label(row["perspective"]), row, tile_id=f"tile-{row['perspective']}"),
            md=4,
            lg=True,
        )
        for row in card.perspectives.to_dict("records")
    ]
    return dbc.Row(tiles, className="g-2 mb-3")


def _count_tile(title: str, counts: Mapping[str, int], tile_id: str) -> dbc.Card:
    badges = [
        html.Span(
            [status_badge(status.value), html.Strong(str(counts.get(status.value, 0)))],
            className="me-3 text-nowrap",
        )
        for status in Status
    ]
    return dbc.Card(
        dbc.CardBody([html.Div(title, className="small text-muted mb-1"), html.Div(badges)]),
        className="h-100 shadow-sm",
        id=tile_id,
    )


def _link_tile(title: str, lines: list[str], href: str, tile_id: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(title, className="small text-muted mb-1"),
                *(html.Div(line, className="small") for line in lines),
                dcc.Link(t("Open"), href=href, className="small"),
            ]
        ),
        className="h-100 shadow-sm",
        id=tile_id,
    )


def overview_tiles(view: Overview) -> dbc.Row:
    """Status counts of members and KPIs, and the rollout and PEST tiles."""
    columns = []
    if view.rollout is not None:
        columns.append(dbc.Col(_count_tile(t("Members"), view.member_status, "tile-members")))
    columns.append(dbc.Col(_count_tile(t("KPIs"), view.kpi_status, "tile-kpis")))
    if view.rollout is not None:
        rollout = view.rollout
        lines = (
            [
                t("{live} of {members} members live", **rollout),
                t("{in_progress} in progress, {not_started} not started", **rollout),
                t("{slipped} stages behind plan", **rollout),
            ]
            if rollout["members"]
            else [t("No rollout plan yet")]
        )
        columns.append(dbc.Col(_link_tile(t("Rollout"), lines, "/rollout", "tile-rollout")))
    if view.pest is not None:
        pest = view.pest
        lines = (
            [t("No ratings yet")]
            if pest["quarter"] is None
            else [
                t("{factors} factors rated in {quarter}", **pest),
                t("{negative} with a negative impact", **pest),
            ]
        )
        columns.append(dbc.Col(_link_tile(t("PEST"), lines, "/pest", "tile-pest")))
    return dbc.Row(columns, className="g-2 mb-3")


def kpi_summary(card: Scorecard, code: str | None) -> html.Div:
    """The chosen KPI in words: value against target, why, trend and forecast."""
    rows = card.kpis[card.kpis["code"] == code] if code else card.kpis.iloc[0:0]
    if rows.empty:
        return html.Div(t("Choose a KPI to see its history."), className="text-muted")
    row = rows.iloc[0]
    unit = row["unit"] or ""
    if row["forecast"] != row["forecast"]:
        forecast = t("no forecast: too little history")
    elif row["forecast_projected"] == 0:
        forecast = t(
            "{value} {unit}, all reported", value=format_number(row["forecast"], 1), unit=unit
        )
    else:
        forecast = t(
            "{value} {unit} (80 %: {low}–{high})",
            value=format_number(row["forecast"], 1),
            unit=unit,
            low=format_number(row["forecast_low"], 1),
            high=format_number(row["forecast_high"], 1),
        )
    trend = t(TREND_LABELS[row["trend"]]) if row["trend"] else t("too few points for a trend")
    return html.Div(
        [
            html.H4(
                [
                    f"{row['code']} · {localised(row['name'], row['name_zh'])} ",
                    status_badge(row["status"]),
                ],
                className="h6",
            ),
            html.P(row["explanation"], className="mb-1"),
            html.P(
                [
                    html.Strong(t("Trend") + ": "),
                    trend,
                    " · ",
                    html.Strong(t("Forecast for {period}", period=row["forecast_period"]) + ": "),
                    forecast,
                    " · ",
                    html.Strong(t("Will meet target") + ": "),
                    t(OUTLOOK_LABELS[row["will_meet"]]),
                ],
                className="mb-0 small",
            ),
        ],
        id="kpi-summary-text",
    )
