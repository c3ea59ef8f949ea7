"""Factories for scorecard tests: measurements by canonical label, strategy maps, and a small
programme whose scores are worked out by hand in ``tests/bsc/test_scorecard_service.py``."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bsc.models import (
    KpiDefinition,
    KpiTarget,
    Measurement,
    Member,
    Objective,
    ObjectiveKpi,
    StrategyMap,
)
from bsc.versioning import MAPS, MEASUREMENTS, bump
from kpi.scoring import parse_period
from tests import factories

_GRANULARITY = {1: "month", 3: "quarter", 12: "year"}


def measurement(
    session: Session, member: Member, kpi: KpiDefinition, label: str, value: float
) -> Measurement:
    period = parse_period(label)
    row = Measurement(
        member_id=member.id,  # type: ignore[arg-type]
        kpi_id=kpi.id,  # type: ignore[arg-type]
        period_start=period.start,
        granularity=_GRANULARITY[period.months],
        value=value,
    )
    session.add(row)
    return row


def monthly(
    session: Session,
    member: Member,
    kpi: KpiDefinition,
    first: str,
    values: list[float | None],
) -> None:
    start = parse_period(first).first
    for offset, value in enumerate(values):
        if value is not None:
            index = start + offset
            measurement(session, member, kpi, f"{index // 12}-{index % 12 + 1:02d}", value)


def strategy_map(
    session: Session,
    member: Member,
    objectives: dict[str, tuple[str, list[tuple[KpiDefinition, float]]]],
    *,
    version: int = 1,
    status: str = "published",
) -> StrategyMap:
    """A map of ``member``: objective key → (perspective, [(KPI, weight), …])."""
    row = StrategyMap(member_id=member.id, name=f"Map v{version}", version=version, status=status)
    session.add(row)
    session.flush()
    for position, (key, (perspective, kpis)) in enumerate(objectives.items()):
        objective = Objective(
            map_id=row.id,  # type: ignore[arg-type]
            key=key,
            perspective=perspective,
            title=f"Objective {key}",
            position=position,
        )
        session.add(objective)
        session.flush()
        for kpi, weight in kpis:
            session.add(ObjectiveKpi(objective_id=objective.id, kpi_id=kpi.id, weight=weight))  # type: ignore[arg-type]
    session.flush()
    return row


def target(session: Session, kpi: KpiDefinition, label: str, value: float, member=None) -> None:  # type: ignore[no-untyped-def]
    session.add(
        KpiTarget(
            kpi_id=kpi.id,  # type: ignore[arg-type]
            member_id=member.id if member else None,
            period_start=parse_period(label).start,
            target=value,
        )
    )


def worked_programme(session: Session) -> dict[str, Any]:
    """The standard programme (M001, M002, users) with eight KPIs, one of each polarity and
    aggregation, M001's values for 2025-Q3 and its published map (see the service tests)."""
    people = factories.standard_programme(session)
    m1, m2 = people["members"]
    kpis = {
        "RECON": factories.kpi(session, "RECON", weight=2.0),
        "OPEX": factories.kpi(
            session,
            "OPEX",
            unit="TWD",
            aggregation="sum",
            target=100.0,
            amber=50.0,
            floor=0.0,
            perspective="financial",
        ),
        "COST": factories.kpi(
            session,
            "COST",
            unit="TWD",
            polarity="lower_is_better",
            target=12.0,
            amber=15.0,
            floor=25.0,
            perspective="financial",
        ),
        "CPU": factories.kpi(
            session,
            "CPU",
            polarity="in_band",
            target=None,
            amber=None,
            floor=None,
            band_low=40.0,
            band_high=75.0,
            band_tolerance=10.0,
            perspective="process",
        ),
        "API": factories.kpi(
            session,
            "API",
            unit="clients",
            aggregation="last",
            target=400.0,
            amber=250.0,
            floor=0.0,
        ),
        "CERT": factories.kpi(
            session,
            "CERT",
            unit="people",
            frequency="quarterly",
            aggregation="last",
            target=20.0,
            amber=10.0,
            floor=0.0,
            perspective="learning",
        ),
        "IDEAS": factories.kpi(
            session,
            "IDEAS",
            unit="count",
            frequency="yearly",
            aggregation="sum",
            target=12.0,
            amber=6.0,
            floor=0.0,
            perspective="learning",
        ),
        "UPTIME": factories.kpi(
            session,
            "UPTIME",
            aggregation="min",
            target=99.9,
            amber=99.0,
            floor=95.0,
            perspective="process",
        ),
    }
    monthly(session, m1, kpis["RECON"], "2025-07", [93.1, 97.0, 99.2])
    monthly(session, m1, kpis["OPEX"], "2025-07", [30.0, 40.0, 50.0])
    monthly(session, m1, kpis["COST"], "2025-07", [14.0, 13.0, 12.0])
    monthly(session, m1, kpis["CPU"], "2025-07", [70.0, 80.0, 90.0])
    monthly(session, m1, kpis["API"], "2025-07", [300.0, 350.0, None])
    monthly(session, m1, kpis["UPTIME"], "2025-07", [99.95, 99.5, 99.99])
    measurement(session, m1, kpis["CERT"], "2025-Q3", 15.0)
    measurement(session, m1, kpis["IDEAS"], "2024", 9.0)
    monthly(session, m2, kpis["RECON"], "2025-07", [99.0, 99.5, 100.0])
    strategy_map(
        session, m1, {"F1": ("financial", [(kpis["OPEX"], 1.0)])}, version=1, status="archived"
    )
    strategy_map(
        session,
        m1,
        {
            "F1": ("financial", [(kpis["OPEX"], 1.0), (kpis["COST"], 1.0)]),
            "C1": ("customer", [(kpis["RECON"], 2.0), (kpis["API"], 1.0)]),
            "P1": ("process", [(kpis["CPU"], 1.0)]),
            "L1": ("learning", [(kpis["CERT"], 1.0)]),
        },
        version=2,
    )
    strategy_map(
        session, m1, {"X9": ("financial", [(kpis["OPEX"], 1.0)])}, version=3, status="draft"
    )
    bump(session, MEASUREMENTS)
    bump(session, MAPS)
    session.flush()
    return {**people, "kpis": kpis, "m1": m1, "m2": m2}
