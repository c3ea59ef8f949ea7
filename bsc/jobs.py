"""Running a background job wherever a worker picks it up: a Celery worker on another host, or
a process beside the web server.

:func:`run_job` takes only a signed ticket, claims the job (so it runs once even if the ticket
is replayed), runs its kind as the user who asked, reports progress to the job row and to a
listener, and stores the outcome in the same transaction as the job's own writes (after the
reading, for a kind that only reads): a job that is cancelled meanwhile stores nothing. A new
kind of job is one runner in :data:`RUNNERS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bsc.db import engine_for, is_sqlite, make_engine, session_scope
from bsc.errors import BscError
from bsc.i18n import N_, use_language
from bsc.models import Job, JobFile, JobFileRole, JobStatus, User
from bsc.models.base import utcnow
from bsc.services.briefing_jobs import BRIEFING, run_briefing
from bsc.services.ingest_jobs import INGEST, run_ingest
from bsc.services.jobs import JobContext, Outcome, Progress, job_id_from_ticket
from bsc.services.users import principal_for
from bsc.settings import Settings

__all__ = ["RUNNERS", "READ_ONLY_KINDS", "JobCancelled", "run_job"]

log = logging.getLogger(__name__)

#: Job kind → the function that does the work.
RUNNERS: dict[str, Callable[[JobContext], Outcome]] = {
    INGEST: run_ingest,
    BRIEFING: run_briefing,
}


#: Kinds whose runners only read: they run in a read-only transaction (on SQLite one that never
#: holds the write lock, so uploads and Cancel are not kept waiting for a long book) and store
#: their outcome after it.
READ_ONLY_KINDS = frozenset({BRIEFING})


class JobCancelled(Exception):
    """The job's row no longer says running: someone cancelled it (or it was claimed twice)."""


def run_job(settings: Settings, ticket: object, *, listener: Progress | None = None) -> JobStatus:
    """Run the job ``ticket`` names and return the status it ended in.

    ``listener`` hears every progress step too (the page's progress bar). Errors a user can act
    on end the job as failed with their message; a job that is no longer queued is left alone.
    """
    job_id = job_id_from_ticket(ticket, secret=settings.session_secret)
    # A job gets connections of its own: it may run in a process forked from a web server
    # whose pooled connections belong to the parent.
    engine = engine_for(settings)
    try:
        return _run(engine, settings, job_id, listener)
    finally:
        engine.dispose()


def _run(engine: Engine, settings: Settings, job_id: str, listener: Progress | None) -> JobStatus:
    with session_scope(engine) as session:
        if not _claim(session, job_id):
            job = session.get(Job, job_id)
            return JobStatus(job.status) if job else JobStatus.FAILED
        kind = session.exec(select(Job.kind).where(Job.id == job_id)).one()
    writes = kind not in READ_ONLY_KINDS
    progress = _ProgressReporter(engine, job_id, listener)
    try:
        with session_scope(engine, write=writes) as session:
            job = session.get(Job, job_id)
            assert job is not None
            user = session.get(User, job.user_id)
            if user is None or not user.active:
                raise BscError(N_("The account that asked for this job is no longer active."))
            actor = principal_for(session, user)
            runner = RUNNERS.get(job.kind)
            if runner is None:
                raise BscError(N_("no worker knows jobs of kind {kind!r}"), kind=job.kind)
            with use_language(actor.language):
                outcome = runner(JobContext(session, job, actor, progress, settings))
            if writes:
                _complete(session, job_id, outcome)
        if not writes:
            with session_scope(engine) as session:
                _complete(session, job_id, outcome)
        return JobStatus.DONE
    except JobCancelled:
        return JobStatus.CANCELLED
    except BscError as error:
        # Stored in English (a message id when it has no parameters), shown translated.
        _fail(engine, job_id, error.text)
    except Exception:
        log.exception("background job %s failed", job_id)
        _fail(engine, job_id, N_("The job failed on the server. It has been logged."))
    finally:
        progress.close()
    return JobStatus.FAILED


def _claim(session: Session, job_id: str) -> bool:
    now = utcnow()
    claimed = session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, updated_at=now, message=N_("Started"))
    )
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _complete(session: Session, job_id: str, outcome: Outcome) -> None:
    now = utcnow()
    done = session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.status) == JobStatus.RUNNING)
        .values(
            status=JobStatus.DONE,
            progress=1.0,
            message=outcome.message,
            result=outcome.result,
            finished_at=now,
            updated_at=now,
        )
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        raise JobCancelled(job_id)  # the job's writes roll back with this transaction
    if outcome.output is not None:
        filename, content = outcome.output
        session.add(
            JobFile(job_id=job_id, role=JobFileRole.OUTPUT, filename=filename, content=content)
        )


def _fail(engine: Engine, job_id: str, message: str) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        session.execute(
            update(Job)
            .where(col(Job.id) == job_id, col(Job.status) == JobStatus.RUNNING)
            .values(status=JobStatus.FAILED, message=message[:255], finished_at=now, updated_at=now)
        )


class _ProgressReporter:
    """Writes each step to the job row in its own transaction, so that every web process sees
    it, and stops the job once the row says it was cancelled."""

    def __init__(self, engine: Engine, job_id: str, listener: Progress | None) -> None:
        self._job_id = job_id
        self._listener = listener
        self._job_engine = self._engine = engine
        if is_sqlite(engine):
            # SQLite has one writer: while a job holds it, a progress write would wait for the
            # job itself. It is skipped at once instead; the page still hears the listener.
            url = engine.url.render_as_string(hide_password=False)
            self._engine = make_engine(url, busy_timeout_ms=50)

    def close(self) -> None:
        if self._engine is not self._job_engine:
            self._engine.dispose()

    def __call__(self, share: float, message: str) -> None:
        with session_scope(self._engine, write=False) as session:
            status = session.exec(select(Job.status).where(Job.id == self._job_id)).first()
        if status != JobStatus.RUNNING:
            raise JobCancelled(self._job_id)
        if self._listener is not None:
            self._listener(share, message)
        try:
            with session_scope(self._engine) as session:
                session.execute(
                    update(Job)
                    .where(col(Job.id) == self._job_id, col(Job.status) == JobStatus.RUNNING)
                    .values(progress=share, message=message, updated_at=utcnow())
                )
        except OperationalError:
            if not is_sqlite(self._engine):
                raise
