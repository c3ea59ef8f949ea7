"""The whole demo dataset for scorecard pages and browser tests.

Members, the KPI catalogue and every measurements file go through the product's own demo loader
(``bsc.services.demo.load_demo``: the importers and the ingest service, with their uploads).
What that loader does not cover yet is written straight into the tables: the pilot members'
strategy maps from ``data/demo/maps`` (published). The rollout plan and PEST ratings come
through the loader with the other programme files.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bsc.db import session_scope
from bsc.models import (
    KpiDefinition,
    Member,
    Objective,
    ObjectiveKpi,
    StrategyMap,
)
from bsc.services.demo import load_demo
from bsc.versioning import MAPS, bump

DEMO = Path(__file__).parents[1] / "data" / "demo"


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


def load_demo_data(engine: Engine) -> None:
    """The demo through the product's loader (programme files included), then its maps."""
    load_demo(engine, DEMO)
    with session_scope(engine) as session:
        members = {m.code: m.id for m in session.exec(select(Member)).all()}
        kpis = {k.code: k.id for k in session.exec(select(KpiDefinition)).all()}
        _maps(session, members, kpis)  # type: ignore[arg-type]
        bump(session, MAPS)
