"""The demo dataset straight into the tables, for scorecard tests and pages.

Members and the KPI catalogue go through the product's importers (``bsc.services.demo``); the
measurements are the generator's own monthly series (``data.generate.simulate`` with the demo
seed: the very values the members' files in ``data/demo/measurements`` carry), the quarterly
workbook and yearly CSV read with plain pandas; the pilot members' strategy maps are published
from ``data/demo/maps``; rollout stages and PEST ratings come from their CSVs.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bsc.db import session_scope
from bsc.models import (
    KpiDefinition,
    Measurement,
    Member,
    Objective,
    ObjectiveKpi,
    PestFactor,
    PestRating,
    RolloutStage,
    RolloutWave,
    StrategyMap,
    Upload,
)
from bsc.services.demo import load_demo
from bsc.versioning import MAPS, MEASUREMENTS, PROGRAMME, bump
from data import generate

DEMO = Path(__file__).parents[1] / "data" / "demo"
_ROC_QUARTER = re.compile(r"(\d{2,3})年第([1-4])季")


def _monthly(session: Session, members: dict[str, int], kpis: dict[str, int]) -> pd.DataFrame:
    series = generate.simulate(np.random.default_rng(generate.SEED))
    monthly = set(generate.monthly_codes())
    rows = [
        (members[member], kpis[code], month, "month", float(value))
        for (member, code), values in series.items()
        if code in monthly
        for month, value in values.items()
        if value is not None
    ]
    return pd.DataFrame(
        rows, columns=["member_id", "kpi_id", "period_start", "granularity", "value"]
    )


def _quarterly(members: dict[str, int], kpis: dict[str, int]) -> pd.DataFrame:
    sheet = pd.read_excel(DEMO / "measurements" / "quarterly_all_members.xlsx", header=1, dtype=str)
    sheet = sheet[sheet["機構代號"].isin(list(members))]
    long = sheet.melt(
        id_vars=["機構代號", "資料季別"], value_vars=["CLIENT_SAT", "CLOUD_CERT", "TRAINING_HRS"]
    )
    long = long[pd.to_numeric(long["value"], errors="coerce").notna()]
    quarter = long["資料季別"].str.extract(_ROC_QUARTER).astype(int)
    return pd.DataFrame(
        {
            "member_id": long["機構代號"].map(members),
            "kpi_id": long["variable"].map(kpis),
            "period_start": [
                date(year + 1911, 3 * q - 2, 1)
                for year, q in zip(quarter[0], quarter[1], strict=True)
            ],
            "granularity": "quarter",
            "value": long["value"].astype(float),
        }
    )


def _yearly(members: dict[str, int], kpis: dict[str, int]) -> pd.DataFrame:
    table = pd.read_csv(DEMO / "measurements" / "yearly_all_members.csv", dtype={"period": str})
    return pd.DataFrame(
        {
            "member_id": table["member_code"].map(members),
            "kpi_id": table["kpi_code"].map(kpis),
            "period_start": [date(int(year), 1, 1) for year in table["period"]],
            "granularity": "year",
            "value": table["value"].astype(float),
        }
    )


def _maps(session: Session, members: dict[str, int], kpis: dict[str, int]) -> None:
    for path in sorted((DEMO / "maps").glob("M*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        strategy = StrategyMap(
            member_id=members[document["member"]],
            name=document["name"],
            version=1,
            status="published",
            published_at=datetime(2024, 3, 1, tzinfo=UTC),
        )
        session.add(strategy)
        session.flush()
        for position, item in enumerate(document["objectives"]):
            objective = Objective(
                map_id=strategy.id,  # type: ignore[arg-type]
                key=item["key"],
                perspective=item["perspective"],
                title=item["title"],
                title_zh=item.get("title_zh"),
                template_key=item.get("template_key"),
                position=position,
            )
            session.add(objective)
            session.flush()
            for code in item.get("kpis", []):
                session.add(ObjectiveKpi(objective_id=objective.id, kpi_id=kpis[code], weight=1.0))  # type: ignore[arg-type]


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


def _uploads(session: Session, frame: pd.DataFrame, members: dict[str, int]) -> None:
    """One applied upload per member, a few days after its last month: data freshness."""
    codes = {member_id: code for code, member_id in members.items()}
    last = frame[frame["granularity"] == "month"].groupby("member_id")["period_start"].max()
    for member_id, month in last.items():
        created = datetime(month.year + month.month // 12, month.month % 12 + 1, 6, tzinfo=UTC)
        session.add(
            Upload(
                member_id=int(member_id),
                actor="demo",
                source="demo",
                filename=f"{codes[int(member_id)]}_monthly.csv",
                sha256="0" * 64,
                size_bytes=0,
                status="applied",
                rows_applied=int((frame["member_id"] == member_id).sum()),
                created_at=created,
            )
        )


def load_demo_data(engine: Engine) -> None:
    """Members, catalogue, measurements, maps, rollout and PEST of the demo into an empty
    database."""
    load_demo(engine, DEMO)
    with session_scope(engine) as session:
        members = {m.code: m.id for m in session.exec(select(Member)).all()}
        kpis = {k.code: k.id for k in session.exec(select(KpiDefinition)).all()}
        frame = pd.concat(
            [
                _monthly(session, members, kpis),  # type: ignore[arg-type]
                _quarterly(members, kpis),  # type: ignore[arg-type]
                _yearly(members, kpis),  # type: ignore[arg-type]
            ],
            ignore_index=True,
        )
        session.execute(
            Measurement.__table__.insert(),  # type: ignore[attr-defined]
            frame.to_dict("records"),
        )
        _uploads(session, frame, members)  # type: ignore[arg-type]
        _maps(session, members, kpis)  # type: ignore[arg-type]
        _programme(session, members)  # type: ignore[arg-type]
        for scope in (MEASUREMENTS, MAPS, PROGRAMME):
            bump(session, scope)
