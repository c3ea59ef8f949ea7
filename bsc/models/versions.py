"""A counter per kind of data, bumped by every write, so caches know when they are stale."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

__all__ = ["DataVersion"]


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    scope: str = Field(primary_key=True, max_length=32)
    version: int = 0
