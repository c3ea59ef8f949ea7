"""Strategy maps in the database: versioned maps, their objectives, KPIs and cause→effect links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bsc.models.base import check_in, utcnow
from kpi.vocabulary import Perspective

__all__ = ["MAP_STATUSES", "StrategyMap", "Objective", "ObjectiveKpi", "ObjectiveLink"]

MAP_STATUSES = ("draft", "published", "archived")


class StrategyMap(SQLModel, table=True):
    """One version of a member's map (``member_id`` null: the programme template).

    Every save makes a new version; at most one version of a member's map is published.
    """

    __tablename__ = "strategy_map"
    __table_args__ = (
        UniqueConstraint("member_id", "version"),
        check_in("status", MAP_STATUSES, "status"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    name: str = Field(max_length=200)
    version: int = 1
    status: str = Field(default="draft", max_length=16)
    note: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class Objective(SQLModel, table=True):
    __tablename__ = "objective"
    __table_args__ = (
        UniqueConstraint("map_id", "key"),
        check_in("perspective", Perspective, "perspective"),
    )

    id: int | None = Field(default=None, primary_key=True)
    map_id: int = Field(foreign_key="strategy_map.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=64)
    perspective: str = Field(max_length=16)
    title: str = Field(max_length=300)
    title_zh: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, sa_type=Text)
    #: Key of the programme-template objective this one adopts (for the programme map).
    template_key: str | None = Field(default=None, max_length=64)
    position: int = 0


class ObjectiveKpi(SQLModel, table=True):
    """A KPI measuring an objective, with its weight in the objective's roll-up."""

    __tablename__ = "objective_kpi"

    objective_id: int = Field(foreign_key="objective.id", primary_key=True, ondelete="CASCADE")
    kpi_id: int = Field(foreign_key="kpi_definition.id", primary_key=True)
    weight: float = 1.0
    #: The KPI's place in the objective's list, so a map exports as it was written.
    position: int = 0


class ObjectiveLink(SQLModel, table=True):
    """A cause → effect arrow between two objectives of the same map version."""

    __tablename__ = "objective_link"
    __table_args__ = (
        UniqueConstraint("map_id", "cause_id", "effect_id"),
        CheckConstraint("cause_id <> effect_id", name="not_self"),
    )

    id: int | None = Field(default=None, primary_key=True)
    map_id: int = Field(foreign_key="strategy_map.id", index=True, ondelete="CASCADE")
    cause_id: int = Field(foreign_key="objective.id", ondelete="CASCADE")
    effect_id: int = Field(foreign_key="objective.id", ondelete="CASCADE")
