"""Background job rows: creating them, following them, cancelling them, and the signed tickets
that hand them to a worker.

A worker runs without the web request that asked for the job, so it cannot check who asks. The
web process checks rights, creates the row, and gives the worker only the job's id signed with
the installation's secret (:func:`ticket_for`); the worker accepts nothing else
(:func:`job_id_from_ticket`) and runs the job as the user who asked, whose rights the services
check again. Users see and cancel only their own jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update
from sqlmodel import Session, col, select

from bsc import audit
from bsc.authz import Principal
from bsc.errors import Forbidden, NotFound
from bsc.i18n import N_
from bsc.models import Job, JobFile, JobFileRole, JobStatus
from bsc.models.base import utcnow
from bsc.models.jobs import ACTIVE_STATUSES
from bsc.settings import Settings

__all__ = [
    "JobContext",
    "Outcome",
    "Progress",
    "JobView",
    "create_job",
    "get_job",
    "list_jobs",
    "latest_active_job",
    "cancel_job",
    "job_file",
    "job_view",
    "ticket_for",
    "job_id_from_ticket",
    "LOST_MESSAGE",
]

_SALT = "bsc-background-job"

#: Told the share done (0–1) and the step now under way (a message id for ``t``).
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class JobContext:
    """What a job kind's runner gets: a session whose transaction commits only if the job
    completes, the job, the user it runs as, where to report progress, the settings."""

    session: Session
    job: Job
    actor: Principal
    progress: Progress
    settings: Settings


@dataclass(frozen=True)
class Outcome:
    """What a job produced: a JSON result, a message id to show, and optionally a file."""

    result: dict[str, Any]
    message: str
    output: tuple[str, bytes] | None = None


LOST_MESSAGE = N_("The background worker stopped answering; start the job again.")


def ticket_for(job_id: str, *, secret: str) -> str:
    """The job's id signed with the installation's secret: what a worker is handed.

    Examples
    --------
    >>> ticket = ticket_for("4f1c", secret="s3cret")
    >>> job_id_from_ticket(ticket, secret="s3cret")
    '4f1c'
    """
    return URLSafeSerializer(secret, salt=_SALT).dumps(job_id)


def job_id_from_ticket(ticket: object, *, secret: str) -> str:
    """The job id a ticket carries; :class:`Forbidden` unless this installation signed it."""
    try:
        job_id = URLSafeSerializer(secret, salt=_SALT).loads(str(ticket))
    except BadSignature:
        raise Forbidden(N_("not allowed: a job ticket this server did not sign")) from None
    if not isinstance(job_id, str):
        raise Forbidden(N_("not allowed: a malformed job ticket"))
    return job_id


def create_job(
    session: Session,
    *,
    actor: Principal,
    kind: str,
    params: dict[str, Any],
    member_id: int | None = None,
    input_file: tuple[str, bytes] | None = None,
    source: str = "web",
) -> Job:
    """A queued job of ``kind`` for ``actor``, with its input file. The caller has checked that
    ``actor`` may do what the job does; the job's runner checks again."""
    if actor.user_id is None:
        raise Forbidden(N_("not allowed: background jobs are for signed-in users"))
    job = Job(kind=kind, user_id=actor.user_id, member_id=member_id, params=params)
    session.add(job)
    session.flush()
    if input_file is not None:
        filename, content = input_file
        session.add(
            JobFile(job_id=job.id, role=JobFileRole.INPUT, filename=filename[:255], content=content)
        )
    audit.record(
        session,
        actor=actor,
        source=source,
        action="submit",
        entity="job",
        entity_id=job.id,
        member_id=member_id,
        after={"kind": kind, "params": params},
    )
    session.flush()
    return job


def get_job(session: Session, *, principal: Principal, job_id: str) -> Job:
    """One of ``principal``'s own jobs."""
    job = session.get(Job, job_id)
    if job is None or job.user_id != principal.user_id:
        # Someone else's job is reported as missing: its existence is not theirs to learn.
        raise NotFound(N_("no job {job_id} of yours"), job_id=job_id)
    return job


def list_jobs(
    session: Session, *, principal: Principal, kinds: Sequence[str] = (), limit: int = 20
) -> Sequence[Job]:
    """``principal``'s latest jobs, newest first (of ``kinds`` when given)."""
    query = select(Job).where(Job.user_id == principal.user_id)
    if kinds:
        query = query.where(col(Job.kind).in_(kinds))
    return session.exec(query.order_by(col(Job.created_at).desc()).limit(limit)).all()


def latest_active_job(
    session: Session, *, principal: Principal, kinds: Sequence[str], stale_after: timedelta
) -> Job | None:
    """``principal``'s newest job of ``kinds`` still queued or running (and not lost)."""
    for job in list_jobs(session, principal=principal, kinds=kinds):
        if job_view(job, stale_after=stale_after).active:
            return job
    return None


def cancel_job(session: Session, *, actor: Principal, job_id: str, source: str = "web") -> bool:
    """Mark one of ``actor``'s jobs cancelled; False when it had already finished.

    The worker notices at its next step and stops; a job that finishes meanwhile stores nothing,
    because it completes only while its row still says running.
    """
    job = get_job(session, principal=actor, job_id=job_id)
    now = utcnow()
    changed = session.execute(
        update(Job)
        .where(col(Job.id) == job.id, col(Job.status).in_(ACTIVE_STATUSES))
        .values(
            status=JobStatus.CANCELLED,
            message=N_("Cancelled."),
            finished_at=now,
            updated_at=now,
        )
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        return False
    audit.record(
        session,
        actor=actor,
        source=source,
        action="cancel",
        entity="job",
        entity_id=job.id,
        member_id=job.member_id,
    )
    return True


def job_file(session: Session, *, job_id: str, role: JobFileRole) -> JobFile:
    found = session.get(JobFile, (job_id, role.value))
    if found is None:
        raise NotFound(N_("job {job_id} has no {role} file"), job_id=job_id, role=role.value)
    return found


@dataclass(frozen=True)
class JobView:
    """A job as a user should see it now: a job whose worker went silent counts as failed."""

    status: JobStatus
    progress: float
    message: str | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def job_view(job: Job, *, stale_after: timedelta, now: datetime | None = None) -> JobView:
    """What to show for ``job``, judging a silent active job as lost.

    Examples
    --------
    >>> from datetime import UTC, datetime, timedelta
    >>> then = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    >>> job = Job(kind="ingest", user_id=1, status="running", updated_at=then)
    >>> job_view(job, stale_after=timedelta(minutes=30), now=then).status
    <JobStatus.RUNNING: 'running'>
    >>> job_view(job, stale_after=timedelta(minutes=30), now=then + timedelta(hours=1)).status
    <JobStatus.FAILED: 'failed'>
    """
    status = JobStatus(job.status)
    now = now or utcnow()
    updated = job.updated_at
    if updated.tzinfo is None:  # SQLite hands back naive UTC datetimes
        updated = updated.replace(tzinfo=now.tzinfo)
    if status in ACTIVE_STATUSES and now - updated > stale_after:
        return JobView(JobStatus.FAILED, job.progress, LOST_MESSAGE)
    return JobView(status, job.progress, job.message)
