"""A generated programme database for benchmarks: members, a KPI catalogue of every polarity and
aggregation, a published strategy map per member and monthly measurements, written straight into
the tables in one transaction (this is benchmark set-up, not a product write path)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bsc import migrate
from bsc.db import make_engine
from bsc.models import (
    DataVersion,
    KpiDefinition,
    Measurement,
    Member,
    Objective,
    ObjectiveKpi,
    StrategyMap,
    Upload,
    User,
)
from bsc.security import hash_password

__all__ = ["build_database", "PASSWORD", "LAST_MONTH"]

PASSWORD = "benchmark-password-1"
LAST_MONTH = date(2026, 10, 1)
_PERSPECTIVES = ["financial", "customer", "process", "learning"]
_AGGREGATIONS = ["sum", "mean", "last", "min", "max"]


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _kpis(count: int) -> list[dict]:
    rows = []
    for number in range(count):
        polarity = ["higher_is_better", "lower_is_better", "in_band"][number % 3]
        thresholds = dict.fromkeys(
            ("target", "amber", "floor", "band_low", "band_high", "band_tolerance")
        )
        thresholds.update(
            {
                "higher_is_better": {"target": 100.0, "amber": 80.0, "floor": 40.0},
                "lower_is_better": {"target": 20.0, "amber": 40.0, "floor": 80.0},
                "in_band": {"band_low": 40.0, "band_high": 60.0, "band_tolerance": 10.0},
            }[polarity]
        )
        rows.append(
            {
                "code": f"K{number:03d}",
                "name": f"KPI {number}",
                "unit": "",
                "polarity": polarity,
                "frequency": "monthly",
                "aggregation": _AGGREGATIONS[number % 5],
                "perspective": _PERSPECTIVES[number % 4],
                "weight": 1.0 + number % 3,
                **thresholds,
            }
        )
    return rows


def build_database(
    path: Path, *, members: int, kpis: int, months: int, seed: int = 5
) -> tuple[Engine, int]:
    """Create ``path`` (SQLite) with the generated programme; returns the engine and the number
    of measurements. Users: ``exec`` (executive) and ``m0001`` (member of the first member)."""
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    rng = np.random.default_rng(seed)
    last = LAST_MONTH.year * 12 + LAST_MONTH.month - 1
    first = last - months + 1
    with engine.begin() as connection:
        connection.execute(
            insert(Member),
            [
                {
                    "code": f"M{n:04d}",
                    "name": f"Member {n}",
                    "segment": ["broker", "bank", "futures"][n % 3],
                    "region": "north",
                    "capital_structure": "private",
                }
                for n in range(1, members + 1)
            ],
        )
        connection.execute(insert(KpiDefinition), _kpis(kpis))
        count = members * kpis * months
        member = np.repeat(np.arange(1, members + 1), kpis * months)
        kpi = np.tile(np.repeat(np.arange(1, kpis + 1), months), members)
        month = np.tile(np.arange(first, last + 1), members * kpis)
        level = rng.uniform(20, 110, size=(members, kpis))[member - 1, kpi - 1]
        drift = (month - first) / max(months - 1, 1) * 20
        value = np.round(level + drift + rng.normal(0, 5, count), 2)
        starts = [_month(index) for index in range(first, last + 1)]
        connection.execute(
            insert(Measurement),
            [
                {
                    "member_id": int(m),
                    "kpi_id": int(k),
                    "period_start": starts[int(i) - first],
                    "granularity": "month",
                    "value": float(v),
                }
                for m, k, i, v in zip(member, kpi, month, value, strict=True)
            ],
        )
        _maps(connection, members, kpis)
        connection.execute(
            insert(Upload),
            [
                {
                    "member_id": n,
                    "actor": "benchmark",
                    "source": "cli",
                    "filename": "feed.csv",
                    "sha256": "0" * 64,
                    "size_bytes": 0,
                    "status": "applied",
                }
                for n in range(1, members + 1)
            ],
        )
        digest = hash_password(PASSWORD)
        connection.execute(
            insert(User),
            [
                {
                    "username": "exec",
                    "password_hash": digest,
                    "role": "executive",
                    "member_id": None,
                },
                {"username": "m0001", "password_hash": digest, "role": "member", "member_id": 1},
            ],
        )
        connection.execute(
            insert(DataVersion), [{"scope": s, "version": 1} for s in ("measurements", "maps")]
        )
    return engine, count


def _maps(connection, members: int, kpis: int) -> None:  # type: ignore[no-untyped-def]
    """Each member's published map: three objectives per perspective, KPIs dealt round them;
    every sixth KPI stays off the map and rolls up into its perspective directly."""
    objective_id = 0
    objectives, links = [], []
    connection.execute(
        insert(StrategyMap),
        [
            {"member_id": n, "name": "Map", "version": 1, "status": "published"}
            for n in range(1, members + 1)
        ],
    )
    for member in range(1, members + 1):
        keys = {}
        for lane, perspective in enumerate(_PERSPECTIVES):
            for slot in range(3):
                objective_id += 1
                keys[(perspective, slot)] = objective_id
                objectives.append(
                    {
                        "id": objective_id,
                        "map_id": member,
                        "key": f"{perspective[0].upper()}{slot + 1}",
                        "perspective": perspective,
                        "title": f"Objective {perspective} {slot + 1}",
                        "position": lane * 3 + slot,
                    }
                )
        for number in range(kpis):
            if number % 6 == 5:
                continue
            target = keys[(_PERSPECTIVES[number % 4], number // 4 % 3)]
            links.append({"objective_id": target, "kpi_id": number + 1, "weight": 1.0})
    connection.execute(insert(Objective), objectives)
    connection.execute(insert(ObjectiveKpi), links)
