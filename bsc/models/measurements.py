"""Measurements with their revision history, and the uploads that brought them in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from bsc.models.base import check_in, utcnow

__all__ = [
    "GRANULARITIES",
    "Measurement",
    "MeasurementRevision",
    "Upload",
    "UploadFile",
    "MappingTemplate",
    "UPLOAD_STATUSES",
    "UPLOAD_SOURCES",
]

GRANULARITIES = ("month", "quarter", "year")
UPLOAD_STATUSES = ("applied", "rejected", "dry_run")
UPLOAD_SOURCES = ("web", "cli", "api", "demo")


class Upload(SQLModel, table=True):
    """One file or API push, whether it was applied or rejected, with its validation report."""

    __tablename__ = "upload"
    __table_args__ = (
        check_in("status", UPLOAD_STATUSES, "status"),
        check_in("source", UPLOAD_SOURCES, "source"),
        Index("ix_upload_member_id_created_at", "member_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    actor: str = Field(max_length=120)
    source: str = Field(max_length=8)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    size_bytes: int
    encoding: str | None = Field(default=None, max_length=32)
    layout: str | None = Field(default=None, max_length=16)
    status: str = Field(max_length=16)
    rows_read: int = 0
    rows_applied: int = 0
    rows_unchanged: int = 0
    rows_empty: int = 0
    rows_ignored: int = 0
    report: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class UploadFile(SQLModel, table=True):
    """The raw bytes of an upload, kept apart so listing uploads stays light."""

    __tablename__ = "upload_file"

    upload_id: int = Field(foreign_key="upload.id", primary_key=True, ondelete="CASCADE")
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Measurement(SQLModel, table=True):
    """The value of one KPI for one member and one period (month, quarter or year)."""

    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("member_id", "kpi_id", "granularity", "period_start"),
        check_in("granularity", GRANULARITIES, "granularity"),
        Index("ix_measurement_kpi_id_period_start", "kpi_id", "period_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    kpi_id: int = Field(foreign_key="kpi_definition.id")
    period_start: date
    granularity: str = Field(max_length=8)
    value: float
    upload_id: int | None = Field(default=None, foreign_key="upload.id", index=True)
    recorded_at: datetime = Field(default_factory=utcnow)


class MeasurementRevision(SQLModel, table=True):
    """A change of a stored value: what it was, what it became, who changed it and through what."""

    __tablename__ = "measurement_revision"

    id: int | None = Field(default=None, primary_key=True)
    measurement_id: int = Field(foreign_key="measurement.id", index=True, ondelete="CASCADE")
    old_value: float | None
    new_value: float | None
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    upload_id: int | None = Field(default=None, foreign_key="upload.id")
    changed_at: datetime = Field(default_factory=utcnow)


class MappingTemplate(SQLModel, table=True):
    """A member's saved column mapping (field → column header), reused for its next uploads."""

    __tablename__ = "mapping_template"
    __table_args__ = (UniqueConstraint("member_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    name: str = Field(max_length=120)
    mapping: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow)
