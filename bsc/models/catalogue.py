"""The KPI catalogue: programme-wide KPIs and members' own, with per-period target overrides."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bsc.models.base import check_in, utcnow
from kpi.vocabulary import Aggregation, Frequency, Perspective, Polarity

__all__ = ["KpiDefinition", "KpiTarget"]


class KpiDefinition(SQLModel, table=True):
    """One KPI. ``member_id`` is null for programme-wide KPIs that every member reports.

    Codes are unique across the whole catalogue so that a feed row names its KPI unambiguously.
    """

    __tablename__ = "kpi_definition"
    __table_args__ = (
        check_in("polarity", Polarity, "polarity"),
        check_in("frequency", Frequency, "frequency"),
        check_in("aggregation", Aggregation, "aggregation"),
        check_in("perspective", Perspective, "perspective"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint(
            "polarity <> 'in_band' OR (band_low IS NOT NULL AND band_high IS NOT NULL "
            "AND band_tolerance IS NOT NULL AND band_low <= band_high AND band_tolerance > 0)",
            name="band_complete",
        ),
        CheckConstraint(
            "polarity = 'in_band' OR (target IS NOT NULL AND amber IS NOT NULL "
            "AND floor IS NOT NULL)",
            name="thresholds_complete",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    unit: str = Field(default="", max_length=32)
    polarity: str = Field(max_length=32)
    target: float | None = None
    amber: float | None = None
    floor: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    band_tolerance: float | None = None
    frequency: str = Field(max_length=16)
    aggregation: str = Field(max_length=16)
    perspective: str = Field(max_length=16)
    weight: float = 1.0
    #: Key of the programme-template objective this KPI measures, when it has one.
    objective_key: str | None = Field(default=None, max_length=64)
    description: str | None = Field(default=None, sa_type=Text)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class KpiTarget(SQLModel, table=True):
    """A target that differs from the catalogue's for one period (optionally for one member)."""

    __tablename__ = "kpi_target"
    __table_args__ = (UniqueConstraint("kpi_id", "member_id", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = Field(foreign_key="kpi_definition.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    period_start: date
    target: float
