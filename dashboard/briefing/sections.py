"""The sections of a briefing book, built from the registered charts and tables the pages show.

Each builder takes the :class:`~dashboard.registry.ExportContext` of the book's reader (the
actor for the programme's book, the member's own view for a member's book) and returns
sections whose charts are still figures; :mod:`dashboard.briefing.layout` draws them.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from bsc.i18n import format_number, format_percent_value, label, t
from bsc.models import Member
from bsc.services.maps import current_map
from bsc.services.overview import Overview
from dashboard.briefing.model import Block, Chart, Paragraph, Section, Table
from dashboard.components.scores import forecast_text, pest_lines, rollout_lines, trend_text
from dashboard.figures.overview import view_of
from dashboard.figures.scorecard import LEVELS, header, localised, member_scorecard
from dashboard.registry import ExportContext, build_chart, build_table, charts, tables
from kpi.vocabulary import Status

__all__ = [
    "overview_section",
    "members_section",
    "member_sections",
    "pest_section",
    "rollout_section",
    "frame_table",
    "cell_text",
]

#: Height in pixels, at the book's chart width, of charts whose figure sets none.
_DEFAULT_HEIGHT = 420
#: A strategy map has a page to itself.
_MAP_HEIGHT = 760
_SCORECARD_COLUMNS = ("name", "code", "value", "target", "unit", "status", "score", "trend")
_FLAGGED = (Status.RED.value, Status.AMBER.value)


def cell_text(value: Any) -> str:
    """A table cell as text: numbers with the language's grouping and at most two decimals.

    >>> cell_text(1234567.5), cell_text(None), cell_text(float("nan")), cell_text("M001")
    ('1,234,567.5', '–', '–', 'M001')
    """
    if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
        return "–"
    if isinstance(value, bool | np.bool_):
        return t("Yes") if value else t("No")
    if isinstance(value, int | np.integer):
        return format_number(int(value), 0)
    if isinstance(value, float | np.floating):
        decimals = len(f"{float(value):.2f}".rstrip("0").split(".")[1])
        return format_number(float(value), decimals)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def frame_table(
    title: str,
    frame: pd.DataFrame,
    *,
    empty: str = "",
    row_classes: list[str] | None = None,
) -> Table:
    """A registered table's frame as a book table, numbers right-aligned."""
    records = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    numeric = frozenset(
        index
        for index in range(len(frame.columns))
        if any(row[index] is not None for row in records)
        and all(row[index] is None or _is_number(row[index]) for row in records)
    )
    return Table(
        title=title,
        columns=[str(column) for column in frame.columns],
        rows=[[cell_text(value) for value in row] for row in records],
        numeric=numeric,
        row_classes=row_classes or [],
        empty=empty or t("Nothing to show."),
    )


def _chart(
    name: str,
    context: ExportContext,
    *,
    notes: list[str] | None = None,
    height: int | None = None,
    titled: bool = True,
) -> Chart:
    figure = build_chart(name, context)
    height = height or figure.layout.height or _DEFAULT_HEIGHT
    title = t(charts()[name].title) if titled else ""
    return Chart(title, figure, int(height), notes or [])


def _table(name: str, context: ExportContext) -> Table:
    return frame_table(t(tables()[name].title), build_table(name, context))


def _counts_table(view: Overview, *, programme: bool) -> Table:
    statuses = [status.value for status in Status]
    counted = [(t("KPIs"), view.kpi_status)]
    if programme:
        counted.insert(0, (t("Members"), view.member_status))
    return Table(
        title=t("Statuses in {period}", period=view.period),
        columns=["", *(label(status) for status in statuses)],
        rows=[[name, *(cell_text(counts.get(s, 0)) for s in statuses)] for name, counts in counted],
        numeric=frozenset(range(1, len(statuses) + 1)),
    )


def overview_section(context: ExportContext, *, programme: bool) -> Section:
    """Status counts, the members × perspectives heat map, movers (and, for the programme,
    data freshness, rollout and PEST in brief) — as the overview page shows them to the reader."""
    view = view_of(context)
    blocks: list[Block] = [_counts_table(view, programme=programme)]
    if view.rollout is not None and view.pest is not None:
        blocks += [
            Paragraph(f"{t('Rollout')}: " + "; ".join(rollout_lines(view.rollout))),
            Paragraph(f"{t('PEST')}: " + "; ".join(pest_lines(view.pest))),
        ]
    notes = [t("* part of the weight below has no data (coverage under 100 %).")]
    blocks += [_chart("overview_heatmap", context, notes=notes), _table("overview_movers", context)]
    if programme:
        blocks.append(_table("data_freshness", context))
    return Section(t("Overview"), 1, blocks, new_page=True)


def members_section(context: ExportContext) -> Section:
    """The heading over the members' pages of the programme's book: each member's score."""
    members = view_of(context).scores.members
    rows = [
        [
            row["code"],
            localised(row["name"], row["name_zh"]),
            cell_text(row["wave_name"]),
            cell_text(None if pd.isna(row["score"]) else round(float(row["score"]), 1)),
            label(row["status"]),
            format_percent_value(row["coverage"]),
        ]
        for row in members.to_dict("records")
    ]
    table = Table(
        title=t("Scores in {period}", period=view_of(context).period),
        columns=[t("Code"), t("Member"), t("Wave"), t("Score"), t("Status"), t("Coverage")],
        rows=rows,
        numeric=frozenset({3, 5}),
        row_classes=[f"status-{row['status']}" for row in members.to_dict("records")],
    )
    return Section(t("Members"), 1, [table], new_page=True)


def _scorecard_table(context: ExportContext) -> Table:
    frame = build_table("scorecard", context)
    levels = {t(text): key for key, text in LEVELS.items()}
    statuses = {label(status.value): status.value for status in Status}
    classes = [
        f"level-{levels.get(level, 'kpi')} status-{statuses.get(status, 'grey')}"
        for level, status in zip(frame[header("level")], frame[header("status")], strict=True)
    ]
    shown = frame[[header(key) for key in _SCORECARD_COLUMNS]]
    return frame_table("", shown, row_classes=classes, empty=t("No KPIs yet."))


def _flagged_kpis(context: ExportContext, kpis: pd.DataFrame) -> list[Chart]:
    """The trend chart of each red, then amber, KPI (worst score first), with why."""
    flagged = kpis[kpis["status"].isin(_FLAGGED)].assign(
        order=lambda frame: frame["status"].map(_FLAGGED.index)
    )
    found = []
    for row in flagged.sort_values(["order", "score", "code"]).to_dict("records"):
        chart = _chart(
            "kpi_history",
            dataclasses.replace(context, params={"kpi": row["code"]}),
            notes=[
                row["explanation"],
                " · ".join(
                    [
                        f"{t('Trend')}: {trend_text(row)}",
                        f"{t('Forecast for {period}', period=row['forecast_period'])}: "
                        f"{forecast_text(row)}",
                    ]
                ),
            ],
        )
        name = localised(row["name"], row["name_zh"])
        chart.title = f"{row['code']} · {name} · {label(row['status'])}"
        found.append(chart)
    return found


def member_sections(context: ExportContext, member: Member, *, level: int) -> list[Section]:
    """One member: its score and why, the scorecard table, the strategy map, and the trend of
    every red or amber KPI with its explanation."""
    card = member_scorecard(context)
    summary = t(
        "Score {score} · {status} · coverage {coverage}",
        score=cell_text(None if card.score is None else round(card.score)),
        status=label(card.status),
        coverage=format_percent_value(card.coverage),
    )
    heading = Section(
        f"{member.code} · {localised(member.name, member.name_zh)}",
        level,
        [Paragraph(summary, emphasis=True), Paragraph(card.explanation)],
        new_page=True,
    )
    published = current_map(context.session, principal=context.principal, member_code=member.code)
    strategy_map: list[Block] = [
        _chart("strategy_map", context, height=_MAP_HEIGHT, titled=False)
        if published is not None
        else Paragraph(t("No published strategy map yet."))
    ]
    flagged: list[Block] = [*_flagged_kpis(context, card.kpis)] or [
        Paragraph(t("No KPI is red or amber in {period}.", period=card.period))
    ]
    return [
        heading,
        Section(t("Scorecard"), level + 1, [_scorecard_table(context)]),
        Section(t("Strategy map"), level + 1, strategy_map, new_page=True),
        Section(t("KPIs in red or amber"), level + 1, flagged),
    ]


def pest_section(context: ExportContext) -> Section:
    """External factors: exposure by factor and quarter, and the objectives exposed to threats
    (of the members the reader may see)."""
    blocks: list[Block] = [_chart("pest_heatmap", context), _table("pest_exposed", context)]
    return Section(t("PEST"), 1, blocks, new_page=True)


def rollout_section(context: ExportContext) -> Section:
    """The rollout the reader may see: plan against progress, the S-curve, slipped stages."""
    blocks: list[Block] = [
        _chart("rollout_gantt", context),
        _chart("rollout_scurve", context),
        _table("rollout_slipped", context),
    ]
    return Section(t("Rollout"), 1, blocks, new_page=True)
