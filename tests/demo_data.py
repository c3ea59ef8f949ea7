"""The whole demo dataset for scorecard pages and browser tests.

Members, the KPI catalogue and every measurements file go through the product's own demo loader
(``bsc.services.demo.load_demo``: the importers and the ingest service, with their uploads).
The loader publishes the programme template and the pilot members' strategy maps too (through
``bsc.services.maps``). What it does not cover yet is written straight into the tables: the
rollout stages and PEST ratings from their CSVs, so the overview's tiles have something to count.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bsc.db import session_scope
from bsc.models import (
    Member,
    PestFactor,
    PestRating,
    RolloutStage,
    RolloutWave,
)
from bsc.services.demo import load_demo
from bsc.versioning import PROGRAMME, bump

DEMO = Path(__file__).parents[1] / "data" / "demo"


def _programme(session: Session, members: dict[str, int]) -> None:
    waves = {w.code: w.id for w in session.exec(select(RolloutWave)).all()}
    rollout = pd.read_csv(DEMO / "rollout.csv", dtype=str, keep_default_na=False)
    for row in rollout.to_dict("records"):
        session.add(
            RolloutStage(
                member_id=members[row["member"]],
                wave_id=waves[row["wave"]],  # type: ignore[arg-type]
                stage=row["stage"],
                planned_start=_day(row["planned_start"]),
                planned_end=_day(row["planned_end"]),
                actual_start=_day(row["actual_start"]),
                actual_end=_day(row["actual_end"]),
                percent_complete=float(row["percent_complete"]),
            )
        )
    factors = pd.read_csv(DEMO / "pest_factors.csv", dtype=str)
    ids = {}
    for row in factors.to_dict("records"):
        factor = PestFactor(
            code=row["code"], category=row["category"], name=row["name"], name_zh=row["name_zh"]
        )
        session.add(factor)
        session.flush()
        ids[row["code"]] = factor.id
    ratings = pd.read_csv(DEMO / "pest_ratings.csv", dtype={"quarter": str})
    for row in ratings.to_dict("records"):
        year, quarter = row["quarter"].split("-Q")
        session.add(
            PestRating(
                factor_id=ids[row["factor"]],  # type: ignore[arg-type]
                quarter_start=date(int(year), 3 * int(quarter) - 2, 1),
                impact=int(row["impact"]),
                likelihood=int(row["likelihood"]),
                rater=row["rater"],
            )
        )


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def load_demo_data(engine: Engine) -> None:
    """The demo through the product's loader, then its rollout and PEST ratings."""
    load_demo(engine, DEMO)
    with session_scope(engine) as session:
        members = {m.code: m.id for m in session.exec(select(Member)).all()}
        _programme(session, members)  # type: ignore[arg-type]
        bump(session, PROGRAMME)
