"""What a scorecard is made of, and the periods scorecards are read for.

:class:`Scorecard` (one member) and :class:`ProgrammeScores` (several members) with the JSON of
DESIGN.md §4; the canonical period label check, the latest complete month and the choices of a
period selector; the wording of explanations in the request's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session, col

from bsc.errors import InvalidInput
from bsc.i18n import N_, format_number, format_percent_value, label, t
from bsc.models import Measurement
from kpi.scoring import InvalidPeriod, Period, PeriodKind, Wording, parse_period
from kpi.scoring.calendar import month_index, unit_label
from kpi.scoring.explain import plain_number

__all__ = [
    "Scorecard",
    "ProgrammeScores",
    "parse_scorecard_period",
    "reach_back",
    "wording",
    "json_value",
    "latest_period",
    "period_choices",
    "as_date",
]


def parse_scorecard_period(period: str) -> Period:
    """A canonical period label, or :class:`InvalidInput` saying which forms are accepted."""
    try:
        return parse_period(period)
    except InvalidPeriod as exc:
        raise InvalidInput(exc.text) from exc


def reach_back(period: Period, years: int = 1) -> int:
    """The first month to read for ``period``: January ``years`` years back, because the last
    finished year's value stands in for a shorter period (and trends look back ``years`` units).

    Examples
    --------
    >>> from kpi.scoring.calendar import unit_label
    >>> unit_label(reach_back(parse_period("2026-10")), 1)
    '2025-01'
    """
    return (period.first // 12 - years) * 12


def _number(value: float) -> str:
    text = plain_number(value)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return format_number(value, decimals)


def wording() -> Wording:
    """Explanations in the current request's language."""
    return Wording(
        translate=t,
        number=_number,
        percent=lambda share: format_percent_value(share),
        status=label,
    )


def json_value(value: Any) -> Any:
    """JSON-ready: NaN and missing become ``None`` (a missing score is null, never 0)."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if value is pd.NA:
        return None
    return value


def _rounded(value: Any, digits: int) -> Any:
    value = json_value(value)
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Scorecard:
    """One member's balanced scorecard for one period.

    ``perspectives`` (perspective, score, status, coverage, explanation, …), ``objectives``
    (key, perspective, title, title_zh, score, status, coverage, explanation, …) and ``kpis``
    (code, name, unit, perspective, objective_key, period, value, target, score, status,
    coverage, trend, slope, forecast_period, forecast, forecast_low, forecast_high,
    forecast_target, will_meet, explanation, programme_wide, history, …). ``links`` says which
    KPI measures which objective (objective_key, code, weight); ``history`` of a KPI row holds its
    last reported values for a sparkline.
    """

    member: str
    name: str
    period: str
    score: float | None
    status: str
    coverage: float
    explanation: str
    perspectives: pd.DataFrame
    objectives: pd.DataFrame
    kpis: pd.DataFrame
    links: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as DESIGN.md §4's JSON (plus an ``explanation`` on every entry)."""
        return {
            "member": self.member,
            "period": self.period,
            "score": _rounded(self.score, 1),
            "status": self.status,
            "coverage": _rounded(self.coverage, 3),
            "explanation": self.explanation,
            "perspectives": [
                {
                    "perspective": row["perspective"],
                    "score": _rounded(row["score"], 1),
                    "status": row["status"],
                    "coverage": _rounded(row["coverage"], 3),
                    "explanation": row["explanation"],
                }
                for row in self.perspectives.to_dict("records")
            ],
            "objectives": [
                {
                    "key": row["key"],
                    "perspective": row["perspective"],
                    "score": _rounded(row["score"], 1),
                    "status": row["status"],
                    "coverage": _rounded(row["coverage"], 3),
                    "explanation": row["explanation"],
                }
                for row in self.objectives.to_dict("records")
            ],
            "kpis": [
                {
                    "code": row["code"],
                    "period": row["period"],
                    "value": json_value(row["value"]),
                    "target": json_value(row["target"]),
                    "score": _rounded(row["score"], 1),
                    "status": row["status"],
                    "trend": json_value(row["trend"]),
                    "explanation": row["explanation"],
                }
                for row in self.kpis.to_dict("records")
            ],
        }


@dataclass(frozen=True)
class ProgrammeScores:
    """Scores of several members for one period, named by member code.

    ``members``: code, name, name_zh, segment, region, wave_code, wave_name, score, status,
    coverage, explanation. ``perspectives``: member_code, perspective, score, status, coverage,
    explanation. ``kpis``: member_code, kpi_code, perspective, objective_key, period,
    value_period, value, target, score, status, coverage, programme_wide (and explanation when
    asked for).
    """

    period: str
    members: pd.DataFrame
    perspectives: pd.DataFrame
    kpis: pd.DataFrame


def latest_period(session: Session, *, today: date | None = None) -> str:
    """The latest month that has ended and has monthly data (else the month before today)."""
    today = today or date.today()
    this_month = date(today.year, today.month, 1)
    latest = session.execute(
        select(func.max(col(Measurement.period_start))).where(
            col(Measurement.granularity) == "month", col(Measurement.period_start) < this_month
        )
    ).scalar()
    if latest is None:
        return unit_label(month_index(this_month) - 1, 1)
    return unit_label(month_index(as_date(latest)), 1)


def period_choices(session: Session, *, kind: str, today: date | None = None) -> list[str]:
    """Labels of the periods of ``kind`` (month, quarter, ytd, year) from the first month with
    data through :func:`latest_period`, newest first; the latest quarter and year may be
    incomplete."""
    try:
        chosen = PeriodKind(kind)
    except ValueError as exc:
        raise InvalidInput(
            N_("{kind!r} is not a kind of period; choose month, quarter, ytd or year"), kind=kind
        ) from exc
    last = parse_period(latest_period(session, today=today)).last
    first = session.execute(
        select(func.min(col(Measurement.period_start))).where(
            col(Measurement.granularity) == "month"
        )
    ).scalar()
    first_index = last if first is None else month_index(as_date(first))
    months = range(last, first_index - 1, -1)
    if chosen is PeriodKind.MONTH:
        return [unit_label(index, 1) for index in months]
    if chosen is PeriodKind.YTD:
        return [f"{unit_label(index, 1)}-YTD" for index in months]
    size = 3 if chosen is PeriodKind.QUARTER else 12
    starts = dict.fromkeys(index - index % size for index in months)
    return [unit_label(start, size) for start in starts]


def as_date(value: object) -> date:
    """A date column's value as a date: SQLite may hand back ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
