"""Shared helpers for table definitions: the metadata naming convention and column builders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, MetaData
from sqlmodel import SQLModel

__all__ = ["utcnow", "check_in", "NAMING_CONVENTION"]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (how SQLModel stores and returns datetimes)."""
    return datetime.now(UTC)


def check_in(column: str, values: Iterable[str] | type[StrEnum], name: str) -> CheckConstraint:
    """A CHECK constraint that keeps ``column`` inside a closed vocabulary."""
    allowed = ", ".join(f"'{getattr(v, 'value', v)}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)
