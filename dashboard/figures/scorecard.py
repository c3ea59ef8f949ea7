"""Charts and tables of a member's scorecard: the perspective → objective → KPI table, the
score history by perspective and the anonymised peer benchmark."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bsc.errors import InvalidInput
from bsc.i18n import N_, label, localised, t
from bsc.services.scorecard import Scorecard
from bsc.services.scoring_data import scoring_rules
from dashboard import cache
from dashboard.access import Access
from dashboard.figures.overview import STATUS_COLOURS
from dashboard.names import kpi_names
from dashboard.registry import ExportContext, chart, table
from kpi.vocabulary import PERSPECTIVE_ORDER

__all__ = [
    "LEVELS",
    "TREND_LABELS",
    "OUTLOOK_LABELS",
    "BAND_LABELS",
    "member_of",
    "member_scorecard",
    "scorecard_table",
    "perspective_history",
    "peer_benchmark",
]

LEVELS = {"perspective": N_("Perspective"), "objective": N_("Objective"), "kpi": N_("KPI")}
TREND_LABELS = {"improving": N_("Improving"), "steady": N_("Steady"), "worsening": N_("Worsening")}
OUTLOOK_LABELS = {"yes": N_("Yes"), "no": N_("No"), "unclear": N_("Unclear")}
BAND_LABELS = {
    "top_quartile": N_("Top quartile"),
    "second_quartile": N_("Second quartile"),
    "third_quartile": N_("Third quartile"),
    "bottom_quartile": N_("Bottom quartile"),
}


def member_of(context: ExportContext) -> str:
    """The member a scorecard chart or table is about; it needs one."""
    if not context.member_code:
        raise InvalidInput(N_("this chart or table is about one member: give its code (--member)"))
    return context.member_code


def member_scorecard(context: ExportContext) -> Scorecard:
    """The (cached) scorecard of the context's member and period."""
    period = context.period or cache.latest_period(context.session)
    return cache.scorecard(
        context.session,
        principal=context.principal,
        member_code=member_of(context),
        period=period,
    )


def _rollup_row(level: str, name: str, row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "level": level,
        "name": name,
        "score": row["score"],
        "status": row["status"],
        "coverage": row["coverage"],
        "explanation": row["explanation"],
    }


def _kpi_row(row: Mapping[Any, Any]) -> dict[str, Any]:
    history = " ".join(f"{value:.15g}" for value in row["history"])
    return {
        "level": "kpi",
        "name": localised(row["name"], row["name_zh"]),
        "code": row["code"],
        "period": row["period"],
        "value": row["value"],
        "target": row["target"],
        "unit": row["unit"],
        "score": row["score"],
        "status": row["status"],
        "coverage": row["coverage"],
        "trend": row["trend"],
        "history": history,
        "forecast": row["forecast"],
        "will_meet": row["will_meet"],
        "forecast_period": row["forecast_period"],
        "explanation": row["explanation"],
    }


def scorecard_rows(card: Scorecard) -> pd.DataFrame:
    """The scorecard as the rows of its table, perspective by perspective, each followed by
    its objectives with their KPIs, then the KPIs on no objective."""
    kpis = {row["code"]: row for row in card.kpis.to_dict("records")}
    on_objective = card.links.groupby("objective_key")["code"].agg(list).to_dict()
    linked = set(card.links["code"])
    rows: list[dict[str, Any]] = []
    for perspective in card.perspectives.to_dict("records"):
        lane = perspective["perspective"]
        rows.append(_rollup_row("perspective", label(lane), perspective))
        for objective in card.objectives[card.objectives["perspective"] == lane].to_dict("records"):
            title = localised(objective.get("title"), objective.get("title_zh"))
            rows.append(_rollup_row("objective", f"{objective['key']} {title}", objective))
            rows.extend(
                _kpi_row(kpis[code])
                for code in sorted(on_objective.get(objective["key"], []))
                if code in kpis
            )
        rows.extend(
            _kpi_row(row)
            for code, row in kpis.items()
            if row["perspective"] == lane and code not in linked
        )
    return pd.DataFrame(rows)


_HEADERS = {
    "level": N_("Level"),
    "name": N_("Name"),
    "code": N_("Code"),
    "period": N_("Period"),
    "value": N_("Value"),
    "target": N_("Target"),
    "unit": N_("Unit"),
    "status": N_("Status"),
    "score": N_("Score"),
    "coverage": N_("Coverage %"),
    "trend": N_("Trend"),
    "history": N_("Recent values"),
    "forecast": N_("Forecast"),
    "will_meet": N_("Will meet target"),
    "explanation": N_("Why"),
}


def header(key: str) -> str:
    """The translated header of scorecard column ``key``."""
    return t(_HEADERS[key])


@table("scorecard", title=N_("Scorecard"), access=Access.MEMBER)
def scorecard_table(context: ExportContext) -> pd.DataFrame:
    """Perspective → objective → KPI with value, target, status, score, trend and why."""
    rows = scorecard_rows(member_scorecard(context))
    frame = pd.DataFrame({key: rows.get(key) for key in _HEADERS})
    frame["level"] = frame["level"].map(lambda level: t(LEVELS[level]))
    frame["status"] = frame["status"].map(label)
    frame["trend"] = frame["trend"].map(lambda v: t(TREND_LABELS[v]), na_action="ignore")
    frame["will_meet"] = frame["will_meet"].map(lambda v: t(OUTLOOK_LABELS[v]), na_action="ignore")
    frame["score"] = frame["score"].astype(float).round(1)
    frame["coverage"] = (frame["coverage"].astype(float) * 100).round(0)
    for column in ("value", "target", "forecast"):
        frame[column] = frame[column].astype(float).round(2)
    frame = frame.rename(columns={key: header(key) for key in _HEADERS})
    return frame.astype(object).where(frame.notna(), None)


def _band_shapes(figure: go.Figure, green: float, amber: float) -> None:
    for low, high, status in ((green, 100, "green"), (amber, green, "amber"), (0, amber, "red")):
        figure.add_hrect(
            y0=low, y1=high, fillcolor=STATUS_COLOURS[status], opacity=0.12, line_width=0
        )


@chart("perspective_history", title=N_("Score history by perspective"), access=Access.MEMBER)
def perspective_history(context: ExportContext) -> go.Figure:
    """Monthly scores of the member and its perspectives over two years, on the status bands."""
    history = cache.perspective_history(
        context.session, principal=context.principal, member_code=member_of(context)
    )
    rules = scoring_rules(context.session)
    figure = go.Figure()
    _band_shapes(figure, rules.green, rules.amber)
    for perspective in [None, *(p.value for p in PERSPECTIVE_ORDER)]:
        rows = history[
            history["perspective"].isna()
            if perspective is None
            else history["perspective"] == perspective
        ]
        figure.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["score"].round(1),
                name=t("Member score") if perspective is None else label(perspective),
                mode="lines",
                line={"width": 4 if perspective is None else 1.5},
                connectgaps=False,
            )
        )
    figure.update_layout(
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        yaxis={"range": [0, 102], "title": t("Score")},
        xaxis={"type": "category"},
        legend={"orientation": "h", "y": -0.2},
        plot_bgcolor="white",
    )
    return figure


@table("peer_benchmark", title=N_("Peer benchmark (anonymised)"), access=Access.MEMBER)
def peer_benchmark(context: ExportContext) -> pd.DataFrame:
    """Where the member stands among all members on each programme-wide KPI, naming no peer."""
    period = context.period or cache.latest_period(context.session)
    bench = cache.peer_benchmark(
        context.session,
        principal=context.principal,
        member_code=member_of(context),
        period=period,
    )
    frame = pd.DataFrame(
        {
            t("KPI"): bench["kpi_code"],
            t("Name"): bench["kpi_code"].map(kpi_names(context.session)),
            t("Period"): bench["value_period"],
            t("Value"): bench["value"].round(2),
            t("Percentile"): bench["percentile"].round(0),
            t("Quartile"): bench["band"].map(lambda b: t(BAND_LABELS[b]), na_action="ignore"),
            t("Members with data"): bench["peers"],
            t("Peers' lower quartile"): bench["p25"].round(2),
            t("Peers' median"): bench["median"].round(2),
            t("Peers' upper quartile"): bench["p75"].round(2),
        }
    )
    return frame.astype(object).where(frame.notna(), None)
