"""Reading what scoring needs from the database into the frames of :mod:`kpi.scoring`.

Members and KPIs are named by their database ids inside the frames; :class:`ScoringInputs`
carries the lookup tables that turn them back into codes and names. A member is scored on the
programme-wide KPIs and its own; its current strategy map (its highest published version) says
which KPIs measure which objective.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from bsc.errors import InvalidInput
from bsc.i18n import N_
from bsc.models import (
    AppSetting,
    KpiDefinition,
    KpiTarget,
    Measurement,
    Member,
    Objective,
    ObjectiveKpi,
    RolloutWave,
    StrategyMap,
)
from kpi.scoring import RollupRules, ScoringData
from kpi.scoring.calendar import month_index

__all__ = [
    "ScoringInputs",
    "SCORING_SETTING",
    "load_inputs",
    "load_members",
    "read_measurements",
    "scoring_rules",
]

#: The ``app_setting`` key holding the roll-up rules as JSON: ``{"green": 80, "amber": 60,
#: "perspective_weights": {"financial": 40, …}, "weight_total": 100}`` (every key optional).
SCORING_SETTING = "scoring"

_KPI_COLUMNS = [
    "id",
    "code",
    "member_id",
    "name",
    "name_zh",
    "unit",
    "polarity",
    "target",
    "amber",
    "floor",
    "band_low",
    "band_high",
    "band_tolerance",
    "frequency",
    "aggregation",
    "perspective",
    "weight",
    "objective_key",
]


@dataclass(frozen=True)
class ScoringInputs:
    """Scoring frames plus the tables that name what their ids stand for."""

    data: ScoringData
    members: pd.DataFrame  #: id, code, name, name_zh, segment, region, wave_code, wave_name
    kpis: pd.DataFrame  #: the catalogue rows, indexed by id
    objectives: pd.DataFrame  #: member_id, key, perspective, title, title_zh, position


def load_members(session: Session, member_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Active members (all, or those of ``member_ids``) with their wave, in code order."""
    conditions = [col(Member.active).is_(True)]
    if member_ids is not None:
        conditions.append(col(Member.id).in_(list(member_ids)))
    query: Any = (
        select(
            col(Member.id),
            col(Member.code),
            col(Member.name),
            col(Member.name_zh),
            col(Member.segment),
            col(Member.region),
            col(RolloutWave.code).label("wave_code"),
            col(RolloutWave.name).label("wave_name"),
            col(RolloutWave.sequence).label("wave_sequence"),
        )
        .outerjoin(RolloutWave, col(Member.wave_id) == col(RolloutWave.id))
        .where(*conditions)
        .order_by(col(Member.code))
    )
    rows = session.execute(query).all()
    columns = [
        "id",
        "code",
        "name",
        "name_zh",
        "segment",
        "region",
        "wave_code",
        "wave_name",
        "wave_sequence",
    ]
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def read_measurements(
    session: Session, member_ids: Sequence[int] | None = None, *, first_month: int | None = None
) -> pd.DataFrame:
    """Measurements as ``member``, ``kpi`` (ids), ``start`` (month index), ``months``, ``value``.

    ``first_month`` leaves out periods starting before that month index.
    """
    period_start = col(Measurement.period_start)
    start = extract("year", period_start) * 12 + extract("month", period_start) - 1
    months = case(
        (col(Measurement.granularity) == "quarter", 3),
        (col(Measurement.granularity) == "year", 12),
        else_=1,
    )
    query = select(
        col(Measurement.member_id).label("member"),
        col(Measurement.kpi_id).label("kpi"),
        start.label("start"),
        months.label("months"),
        col(Measurement.value).label("value"),
    )
    if member_ids is not None:
        query = query.where(col(Measurement.member_id).in_(list(member_ids)))
    if first_month is not None:
        first = pd.Timestamp(year=first_month // 12, month=first_month % 12 + 1, day=1).date()
        query = query.where(col(Measurement.period_start) >= first)
    frame = pd.read_sql(query, session.connection())
    return frame.astype({"member": "int64", "kpi": "int64", "start": "int64", "months": "int64"})


def scoring_rules(session: Session) -> RollupRules:
    """The roll-up rules the program office configured (``app_setting`` ``scoring``), else the
    defaults: green from 80, amber from 60, perspectives weighing equally."""
    setting = session.get(AppSetting, SCORING_SETTING)
    if setting is None:
        return RollupRules()
    value = setting.value if not isinstance(setting.value, str) else json.loads(setting.value)
    try:
        return RollupRules(
            green=float(value.get("green", 80.0)),
            amber=float(value.get("amber", 60.0)),
            perspective_weights={
                str(k): float(v) for k, v in (value.get("perspective_weights") or {}).items()
            },
            weight_total=(
                None if value.get("weight_total") is None else float(value["weight_total"])
            ),
        )
    except (AttributeError, TypeError, ValueError) as exc:
        raise InvalidInput(
            N_(
                "the {setting!r} setting is not valid ({problem}); it takes green, amber, "
                "perspective_weights and weight_total"
            ),
            setting=SCORING_SETTING,
            problem=str(exc),
        ) from exc


def _catalogue(session: Session) -> pd.DataFrame:
    query = select(*(col(getattr(KpiDefinition, c)) for c in _KPI_COLUMNS)).where(
        col(KpiDefinition.active).is_(True)
    )
    rows = session.execute(query.order_by(col(KpiDefinition.code))).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=_KPI_COLUMNS).set_index("id", drop=False)


def _current_maps(session: Session, member_ids: Sequence[int]) -> list[int]:
    newer = aliased(StrategyMap)
    latest = (
        select(func.max(col(newer.version)))
        .where(
            and_(
                col(newer.member_id) == col(StrategyMap.member_id),
                col(newer.status) == "published",
            )
        )
        .scalar_subquery()
    )
    query = select(col(StrategyMap.id)).where(
        col(StrategyMap.member_id).in_(list(member_ids)),
        col(StrategyMap.status) == "published",
        col(StrategyMap.version) == latest,
    )
    return [int(row[0]) for row in session.execute(query).all()]


def _maps(session: Session, member_ids: Sequence[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    map_ids = _current_maps(session, member_ids)
    objective_columns = ["id", "member_id", "key", "perspective", "title", "title_zh", "position"]
    link_columns = ["member_id", "key", "kpi_id", "weight"]
    if not map_ids:
        return pd.DataFrame(columns=objective_columns), pd.DataFrame(columns=link_columns)
    objectives = session.execute(
        select(
            col(Objective.id),
            col(StrategyMap.member_id),
            col(Objective.key),
            col(Objective.perspective),
            col(Objective.title),
            col(Objective.title_zh),
            col(Objective.position),
        )
        .join(StrategyMap, col(StrategyMap.id) == col(Objective.map_id))
        .where(col(Objective.map_id).in_(map_ids))
        .order_by(col(StrategyMap.member_id), col(Objective.position), col(Objective.key))
    ).all()
    links = session.execute(
        select(
            col(StrategyMap.member_id),
            col(Objective.key),
            col(ObjectiveKpi.kpi_id),
            col(ObjectiveKpi.weight),
        )
        .join(Objective, col(Objective.id) == col(ObjectiveKpi.objective_id))
        .join(StrategyMap, col(StrategyMap.id) == col(Objective.map_id))
        .where(col(Objective.map_id).in_(map_ids))
    ).all()
    return (
        pd.DataFrame([tuple(r) for r in objectives], columns=objective_columns),
        pd.DataFrame([tuple(r) for r in links], columns=link_columns),
    )


def _targets(session: Session) -> pd.DataFrame:
    rows = session.execute(
        select(
            col(KpiTarget.kpi_id),
            col(KpiTarget.member_id),
            col(KpiTarget.period_start),
            col(KpiTarget.target),
        )
    ).all()
    return pd.DataFrame(
        {
            "kpi": [r[0] for r in rows],
            "member": pd.array([r[1] for r in rows], dtype="Int64"),
            "start": [month_index(r[2]) for r in rows],
            "target": [float(r[3]) for r in rows],
        },
        columns=["kpi", "member", "start", "target"],
    )


def load_inputs(
    session: Session, member_ids: Sequence[int], *, first_month: int | None = None
) -> ScoringInputs:
    """Everything needed to score ``member_ids`` (measurements from ``first_month`` on)."""
    members = load_members(session, member_ids)
    catalogue = _catalogue(session)
    programme = catalogue.loc[catalogue["member_id"].isna(), "id"]
    own = catalogue.loc[catalogue["member_id"].isin(members["id"]), ["member_id", "id"]]
    scope = pd.concat(
        [
            members[["id"]]
            .rename(columns={"id": "member"})
            .merge(programme.rename("kpi").to_frame(), how="cross"),
            own.rename(columns={"member_id": "member", "id": "kpi"}).astype("int64"),
        ],
        ignore_index=True,
    )
    objectives, links = _maps(session, list(members["id"]))
    data = ScoringData(
        kpis=catalogue.rename(columns={"id": "kpi"}).reset_index(drop=True),
        measurements=read_measurements(session, list(members["id"]), first_month=first_month),
        targets=_targets(session),
        scope=scope,
        objectives=pd.DataFrame(
            {
                "member": objectives["member_id"],
                "objective": objectives["key"],
                "perspective": objectives["perspective"],
                "weight": 1.0,
            }
        ),
        links=pd.DataFrame(
            {
                "member": links["member_id"],
                "objective": links["key"],
                "kpi": links["kpi_id"],
                "weight": links["weight"].astype("float64"),
            }
        ),
    )
    return ScoringInputs(data=data, members=members, kpis=catalogue, objectives=objectives)
