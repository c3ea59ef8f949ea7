"""One KPI of one member in depth: its history against its thresholds, forecast and revisions.

This is what the scorecard's drill-down shows: every reported unit scored on its own, the
projection to the end of the forecast period, and each change of a stored value with who made
it and through which upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session, col

from bsc.authz import Principal, can_read_member, require
from bsc.errors import NotFound
from bsc.i18n import N_
from bsc.models import KpiDefinition, Measurement, MeasurementRevision, Upload, User
from bsc.services.scorecard import TREND_WINDOW, parse_scorecard_period, scored_member
from bsc.services.scoring_data import load_inputs, scoring_rules
from kpi.scoring import Period, PeriodKind, score_history
from kpi.scoring.calendar import month_start, unit_label, unit_labels
from kpi.scoring.data import ScoringData
from kpi.scoring.trend import projection
from kpi.vocabulary import Frequency

__all__ = ["KpiDetail", "kpi_detail"]

_KINDS = {1: PeriodKind.MONTH, 3: PeriodKind.QUARTER, 12: PeriodKind.YEAR}


@dataclass(frozen=True)
class KpiDetail:
    """A KPI of a member: its definition, scored history, projection and revisions.

    ``history``: period, start (date), value, target, amber, floor, band_low, band_high,
    band_tolerance, score, status — one row per reported unit up to the period's end.
    ``projection``: period, start, predicted, predicted_low, predicted_high — the units of the
    forecast period without a value. ``revisions``: period, old_value, new_value, changed_at,
    changed_by, upload.
    """

    member: str
    code: str
    name: str
    name_zh: str | None
    unit: str
    polarity: str
    frequency: str
    aggregation: str
    programme_wide: bool
    thresholds: dict[str, Any]
    history: pd.DataFrame
    projection: pd.DataFrame
    revisions: pd.DataFrame


def _only(data: ScoringData, kpi_id: int) -> ScoringData:
    return ScoringData(
        kpis=data.kpis,
        measurements=data.measurements[data.measurements["kpi"] == kpi_id],
        targets=data.targets,
        scope=data.scope[data.scope["kpi"] == kpi_id],
        objectives=data.objectives.iloc[0:0],
        links=data.links.iloc[0:0],
    )


def _revisions(session: Session, member_id: int, kpi_id: int) -> pd.DataFrame:
    rows = session.execute(
        select(
            col(Measurement.period_start),
            col(Measurement.granularity),
            col(MeasurementRevision.old_value),
            col(MeasurementRevision.new_value),
            col(MeasurementRevision.changed_at),
            col(User.username),
            col(Upload.filename),
        )
        .join(Measurement, col(Measurement.id) == col(MeasurementRevision.measurement_id))
        .outerjoin(User, col(User.id) == col(MeasurementRevision.user_id))
        .outerjoin(Upload, col(Upload.id) == col(MeasurementRevision.upload_id))
        .where(col(Measurement.member_id) == member_id, col(Measurement.kpi_id) == kpi_id)
        .order_by(col(MeasurementRevision.changed_at).desc())
    ).all()
    months = {"month": 1, "quarter": 3, "year": 12}
    return pd.DataFrame(
        [
            {
                "period": unit_label(r[0].year * 12 + r[0].month - 1, months[r[1]]),
                "old_value": r[2],
                "new_value": r[3],
                "changed_at": r[4],
                "changed_by": r[5],
                "upload": r[6],
            }
            for r in rows
        ],
        columns=["period", "old_value", "new_value", "changed_at", "changed_by", "upload"],
    )


def kpi_detail(
    session: Session, *, principal: Principal, member_code: str, kpi_code: str, period: str
) -> KpiDetail:
    """The drill-down of KPI ``kpi_code`` of ``member_code`` as of ``period``."""
    member = scored_member(session, code=member_code)
    assert member.id is not None
    require(
        can_read_member(principal, member.id),
        N_("the KPIs of member {member}"),
        member=member_code,
    )
    parsed = parse_scorecard_period(period)
    kpi = session.execute(
        select(KpiDefinition).where(col(KpiDefinition.code) == kpi_code)
    ).scalar_one_or_none()
    if kpi is None or kpi.member_id not in (None, member.id) or kpi.id is None:
        raise NotFound(
            N_("member {member} has no KPI {kpi_code!r}"),
            member=member_code,
            kpi_code=kpi_code,
        )
    inputs = load_inputs(session, [member.id])
    data = _only(inputs.data, kpi.id)
    months = Frequency(kpi.frequency).months
    native = data.native
    reported = native[native["start"] + months - 1 <= parsed.last]["start"]
    units = [Period(_KINDS[months], int(start) + months - 1) for start in reported]
    history = score_history(data, units, rules=scoring_rules(session)).kpis if units else None
    columns = ["period", "start", "value", "target", "amber", "floor", "band_low", "band_high"]
    columns += ["band_tolerance", "score", "status"]
    if history is None:
        frame = pd.DataFrame(columns=columns)
    else:
        frame = history.assign(
            start=[month_start(p.first) for p in units],
        )[columns]
    ahead = projection(data, parsed, window=TREND_WINDOW)
    ahead = ahead[ahead["value"].isna() & ahead["predicted"].notna()]
    ahead = ahead.assign(
        period=unit_labels(ahead["start"], ahead["unit_months"]),
        start=[month_start(int(s)) for s in ahead["start"]],
    )[["period", "start", "target", "predicted", "predicted_low", "predicted_high"]]
    return KpiDetail(
        member=member.code,
        code=kpi.code,
        name=kpi.name,
        name_zh=kpi.name_zh,
        unit=kpi.unit,
        polarity=kpi.polarity,
        frequency=kpi.frequency,
        aggregation=kpi.aggregation,
        programme_wide=kpi.member_id is None,
        thresholds={
            name: getattr(kpi, name)
            for name in ("target", "amber", "floor", "band_low", "band_high", "band_tolerance")
        },
        history=frame.reset_index(drop=True),
        projection=ahead.reset_index(drop=True),
        revisions=_revisions(session, member.id, kpi.id),
    )
