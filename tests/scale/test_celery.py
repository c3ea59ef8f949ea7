"""A real ``bsc worker`` (Celery on Redis) runs upload jobs handed over the way Dash hands them:
progress while it runs, the result at the end, cancelling stops it, and it keeps serving; and it
makes briefing books."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.models import Job, JobFileRole, JobStatus, Measurement, Role
from bsc.services.briefing_jobs import submit_briefing
from bsc.services.ingest_jobs import submit_ingest
from bsc.services.jobs import cancel_job, job_file, ticket_for
from bsc.services.users import principal_for
from bsc.settings import Settings
from tests import factories
from tests.conftest import REDIS_URL, SAMPLES
from tests.scale.conftest import SHARED_SECRET as SECRET

pytestmark = pytest.mark.postgres

FEED = (SAMPLES / "feeds" / "M001_big5_roc.csv").read_bytes()


@pytest.fixture
def deployment(empty_postgres_url, redis_prefix, tmp_path, celery_worker):  # type: ignore[no-untyped-def]
    """A migrated database with the sample catalogue, and one running ``bsc worker``."""
    engine = make_engine(empty_postgres_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        factories.standard_programme(session)
        factories.sample_catalogue(session)
    engine.dispose()
    celery_worker(empty_postgres_url, redis_url=REDIS_URL, redis_prefix=redis_prefix)
    return Settings(
        home=tmp_path / "home",
        database_url=empty_postgres_url,
        secret_key=SECRET,
        redis_url=REDIS_URL,
        redis_prefix=redis_prefix,
    )


def _wait_for(
    condition: Callable[[], Any], what: str, state: Callable[[], Any] = lambda: None
) -> Any:
    timeout = 60
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}: {state()}")


def _job(engine, job_id: str) -> Job:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_worker_runs_jobs_with_progress_and_stops_a_cancelled_one(deployment, redis_prefix):
    from dashboard import create_app
    from dashboard.background import celery_of

    app = create_app(deployment)
    manager = app._background_manager
    assert celery_of(app.server) is manager.handle
    # The key Dash registered the jobs panel's background callback under, as the page uses it.
    key = next(k for k, fn, _ in manager.functions if fn.__name__ == "run_in_background")
    engine = make_engine(deployment.sqlalchemy_url)
    with session_scope(engine) as session:
        m001 = principal_for(session, session.exec(select(factories.User)).all()[2])
    assert m001.username == "m001" and m001.role is Role.MEMBER

    def start(result_key: str) -> tuple[str, str]:
        with session_scope(engine) as session:
            job = submit_ingest(
                session, actor=m001, data=FEED, filename="feed.csv", member_code="M001"
            )
        ticket = {"job": job.id, "ticket": ticket_for(job.id, secret=SECRET)}
        task = manager.call_job_fn(result_key, manager.func_registry[key], [ticket], {})
        return job.id, task

    with engine.connect() as blocker:
        # Hold the measurements table so the job stops half-way, where we can watch it.
        blocker.execute(text("LOCK TABLE measurement IN SHARE ROW EXCLUSIVE MODE"))
        first, task = start(f"{redis_prefix}-first")
        progress = _wait_for(lambda: manager.get_progress(f"{redis_prefix}-first"), "progress")
        assert progress[0] in (5, 50) and "%" in progress[1]
        storing = _wait_for(
            lambda: _job(engine, first).message == "Storing the values", "the storing step"
        )
        assert storing and _job(engine, first).status == JobStatus.RUNNING
        assert _job(engine, first).progress == 0.5
        blocker.rollback()
    _wait_for(lambda: manager.result_ready(f"{redis_prefix}-first"), "the first result")
    assert manager.get_result(f"{redis_prefix}-first", task) == {"job": first, "status": "done"}
    done = _job(engine, first)
    assert done.status == JobStatus.DONE and done.result["rows"]["applied"] == 35
    with session_scope(engine, write=False) as session:
        done_total = session.exec(select(func.sum(Measurement.value))).one()

    def change_stored_values() -> None:  # so that the next job has values to write
        with session_scope(engine) as session:
            session.execute(text("UPDATE measurement SET value = value + 1"))

    change_stored_values()
    with engine.connect() as blocker:
        blocker.execute(text("LOCK TABLE measurement IN SHARE ROW EXCLUSIVE MODE"))
        second, task = start(f"{redis_prefix}-second")
        _wait_for(
            lambda: _job(engine, second).progress == 0.5,
            "the second job half-way",
            lambda: _job(engine, second),
        )
        # What the page's Cancel does: mark the row, and let Dash stop the Celery task.
        with session_scope(engine) as session:
            assert cancel_job(session, actor=m001, job_id=second)
        manager.terminate_job(task)
        blocker.rollback()
    assert _job(engine, second).status == JobStatus.CANCELLED

    # Nothing of the cancelled job was stored, and the worker carries on with the next one.
    with session_scope(engine, write=False) as session:
        assert session.exec(select(func.sum(Measurement.value))).one() == pytest.approx(
            done_total + 35
        )
    third, task = start(f"{redis_prefix}-third")
    _wait_for(lambda: _job(engine, third).status == JobStatus.DONE, "the third job")
    assert _job(engine, third).result["rows"]["applied"] == 35
    with session_scope(engine, write=False) as session:
        assert session.exec(select(func.count()).select_from(Measurement)).one() == 35
    engine.dispose()


def test_a_worker_makes_a_briefing_book(deployment, redis_prefix):
    from dashboard import create_app

    app = create_app(deployment)
    manager = app._background_manager
    key = next(k for k, fn, _ in manager.functions if fn.__name__ == "run_in_background")
    engine = make_engine(deployment.sqlalchemy_url)
    with session_scope(engine) as session:
        m001 = principal_for(session, session.exec(select(factories.User)).all()[2])
        job = submit_briefing(session, actor=m001, member_code="M001", language="zh-TW")
        job_id, period = job.id, job.params["period"]
    ticket = {"job": job_id, "ticket": ticket_for(job_id, secret=SECRET)}
    manager.call_job_fn(f"{redis_prefix}-book", manager.func_registry[key], [ticket], {})
    _wait_for(
        lambda: _job(engine, job_id).status == JobStatus.DONE,
        "the book",
        lambda: _job(engine, job_id),
    )
    with session_scope(engine, write=False) as session:
        book = job_file(session, job_id=job_id, role=JobFileRole.OUTPUT)
    assert book.filename == f"briefing-M001-{period}.pdf" and book.content.startswith(b"%PDF-")
    assert _job(engine, job_id).result["pages"] >= 6
    engine.dispose()
