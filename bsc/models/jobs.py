"""Background jobs: what was asked, by whom, how far it got and what came out.

A job row lives in the database, not in a worker's memory, so any web process on any host can
show its progress and result, and the user finds it again after reloading the page. The bytes a
job reads and writes are kept apart in ``job_file`` so listing jobs stays light.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from bsc.models.base import check_in, utcnow

__all__ = ["Job", "JobFile", "JobStatus", "JobFileRole", "ACTIVE_STATUSES"]


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: A job in one of these may still change; the others are final.
ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobFileRole(StrEnum):
    INPUT = "input"
    OUTPUT = "output"


def _new_job_id() -> str:
    # Random, not sequential: ids are handed to browsers and queues, and must not collide
    # between databases sharing one Redis.
    return uuid.uuid4().hex


class Job(SQLModel, table=True):
    """One unit of slow work (a large ingest, a briefing book) run by a background worker."""

    __tablename__ = "job"
    __table_args__ = (
        check_in("status", JobStatus, "status"),
        Index("ix_job_user_id_created_at", "user_id", "created_at"),
    )

    id: str = Field(default_factory=_new_job_id, primary_key=True, max_length=32)
    kind: str = Field(max_length=32)
    user_id: int = Field(foreign_key="user_account.id")
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    status: str = Field(default=JobStatus.QUEUED, max_length=16)
    progress: float = 0.0
    #: The current step or the outcome, as an English message id translated when shown.
    message: str | None = Field(default=None, max_length=255)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class JobFile(SQLModel, table=True):
    """A file a job reads (the uploaded feed) or writes (a briefing book)."""

    __tablename__ = "job_file"
    __table_args__ = (check_in("role", JobFileRole, "role"),)

    job_id: str = Field(foreign_key="job.id", primary_key=True, ondelete="CASCADE", max_length=32)
    role: str = Field(primary_key=True, max_length=8)
    filename: str = Field(max_length=255)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
