"""Member organisations of the value chain and the rollout waves they join in."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from bsc.models.base import check_in, utcnow
from kpi.vocabulary import CapitalStructure, Segment

__all__ = ["Member", "RolloutWave", "Segment", "CapitalStructure"]


class RolloutWave(SQLModel, table=True):
    """A wave of the rollout: the pilot first, then wave 2, wave 3, …"""

    __tablename__ = "rollout_wave"
    __table_args__ = (UniqueConstraint("sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=120)
    sequence: int
    planned_start: date | None = None
    #: Share (0–1) of pilot KPIs that must be green before this wave may start.
    gate_green_share: float | None = None
    #: Share (0–1) of the previous wave's members that must be live before this wave may start.
    gate_live_share: float | None = None


class Member(SQLModel, table=True):
    """A firm of the value chain (broker, bank, investment trust, futures firm, …)."""

    __tablename__ = "member"
    __table_args__ = (
        check_in("segment", Segment, "segment"),
        check_in("capital_structure", CapitalStructure, "capital_structure"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    segment: str = Field(max_length=32)
    region: str = Field(max_length=64)
    revenue: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    investor_count: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    capital_structure: str = Field(max_length=32)
    is_industry_leader: bool = False
    is_cloud_leader: bool = False
    has_state_shareholding: bool = False
    prior_cooperation: bool = False
    wave_id: int | None = Field(default=None, foreign_key="rollout_wave.id", index=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
