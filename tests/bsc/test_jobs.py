"""Background jobs on both databases: tickets, rights, one run per job, progress, cancelling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from bsc import jobs
from bsc.db import session_scope
from bsc.errors import Forbidden, NotFound
from bsc.models import (
    AuditLog,
    Job,
    JobFileRole,
    JobStatus,
    Measurement,
    Member,
    Role,
    Upload,
    User,
)
from bsc.services.ingest_jobs import INGEST, submit_ingest
from bsc.services.jobs import (
    cancel_job,
    get_job,
    job_file,
    job_id_from_ticket,
    latest_active_job,
    list_jobs,
    ticket_for,
)
from bsc.services.users import principal_for
from tests import factories
from tests.conftest import SAMPLES

FEED = (SAMPLES / "feeds" / "M001_big5_roc.csv").read_bytes()
STALE = timedelta(minutes=30)


@pytest.fixture
def people(engine):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
        members = {m.code: m for m in session.exec(select(Member)).all()}
        users = {
            "exec": factories.user(session, "exec", Role.EXECUTIVE),
            "office": factories.user(session, "office", Role.PROGRAM_OFFICE),
            "m001": factories.user(session, "m001", Role.MEMBER, members["M001"]),
            "m002": factories.user(session, "m002", Role.MEMBER, members["M002"]),
        }
        return {name: principal_for(session, user) for name, user in users.items()}


def _submit(engine, actor, member_code="M001", data=FEED):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return submit_ingest(
            session, actor=actor, data=data, filename="M001_big5_roc.csv", member_code=member_code
        ).id


def _count(engine, model) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _job(engine, job_id: str) -> Job:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_submitting_checks_rights_now_and_queues_the_file(engine, people):
    with pytest.raises(Forbidden):
        _submit(engine, people["m001"], "M002")
    with pytest.raises(Forbidden):
        _submit(engine, people["exec"])
    with pytest.raises(NotFound):
        _submit(engine, people["office"], "NOPE")
    assert _count(engine, Job) == 0
    job_id = _submit(engine, people["m001"])
    with session_scope(engine, write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == JobStatus.QUEUED and job.kind == INGEST
        assert job.params["member_code"] == "M001" and job.member_id is not None
        assert job_file(session, job_id=job_id, role=JobFileRole.INPUT).content == FEED
        entry = session.exec(select(AuditLog).where(AuditLog.entity == "job")).one()
        assert (entry.action, entry.actor, entry.entity_id) == ("submit", "m001", job_id)


def test_a_job_runs_once_as_its_user_and_reports_progress(engine, people, settings):
    job_id = _submit(engine, people["m001"])
    heard: list[tuple[float, str]] = []
    ticket = ticket_for(job_id, secret=settings.session_secret)
    status = jobs.run_job(
        settings, ticket, listener=lambda share, step: heard.append((share, step))
    )
    assert status is JobStatus.DONE
    shares = [share for share, _ in heard]
    assert shares == sorted(shares) and shares[0] > 0 and shares[-1] < 1 and len(shares) == 3
    assert heard[0][1] == "Reading and checking the file"
    job = _job(engine, job_id)
    assert job.status == JobStatus.DONE and job.progress == 1.0 and job.message == "Applied."
    assert job.result is not None and job.result["rows"]["applied"] == 35
    assert job.started_at is not None and job.finished_at is not None
    assert _count(engine, Measurement) == 35
    with session_scope(engine, write=False) as session:
        upload = session.exec(select(Upload)).one()
        assert upload.actor == "m001" and upload.source == "web"
    # A replayed ticket finds the job done and runs nothing again.
    assert jobs.run_job(settings, ticket) is JobStatus.DONE
    assert _count(engine, Upload) == 1


def test_a_ticket_not_signed_by_this_server_is_refused(engine, people, settings):
    job_id = _submit(engine, people["m001"])
    with pytest.raises(Forbidden):
        jobs.run_job(settings, ticket_for(job_id, secret="someone-elses-secret"))
    with pytest.raises(Forbidden):
        job_id_from_ticket(job_id, secret=settings.session_secret)
    assert _job(engine, job_id).status == JobStatus.QUEUED


def test_a_rejected_file_finishes_the_job_with_its_problems(engine, people, settings):
    bad = (SAMPLES / "bad" / "bad_period.csv").read_bytes()
    job_id = _submit(engine, people["office"], None, bad)
    assert jobs.run_job(settings, ticket_for(job_id, secret=settings.session_secret)) == "done"
    job = _job(engine, job_id)
    assert job.message == "Rejected; nothing was stored." and job.result is not None
    assert job.result["status"] == "rejected" and job.result["issues"]
    assert _count(engine, Measurement) == 0


def test_a_job_fails_with_a_reason_when_its_user_was_deactivated(engine, people, settings):
    job_id = _submit(engine, people["m001"])
    with session_scope(engine) as session:
        user = session.get(User, people["m001"].user_id)
        user.active = False
        session.add(user)
    assert jobs.run_job(settings, ticket_for(job_id, secret=settings.session_secret)) == "failed"
    job = _job(engine, job_id)
    assert job.status == JobStatus.FAILED and "no longer active" in (job.message or "")
    assert _count(engine, Measurement) == 0


def test_a_job_cancelled_before_it_starts_never_runs(engine, people, settings):
    job_id = _submit(engine, people["m001"])
    with session_scope(engine) as session:
        assert cancel_job(session, actor=people["m001"], job_id=job_id) is True
    with session_scope(engine) as session:
        assert cancel_job(session, actor=people["m001"], job_id=job_id) is False
    status = jobs.run_job(settings, ticket_for(job_id, secret=settings.session_secret))
    assert status is JobStatus.CANCELLED and _count(engine, Upload) == 0


@pytest.mark.postgres
def test_a_job_cancelled_while_it_runs_stores_nothing(postgres_url, settings):
    from bsc.db import make_engine

    engine = make_engine(postgres_url)
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
        member = session.exec(select(Member).where(Member.code == "M001")).one()
        actor = principal_for(session, factories.user(session, "m001", Role.MEMBER, member))
    job_id = _submit(engine, actor)
    pg_settings = settings.model_copy(update={"database_url": postgres_url})

    def cancel_when_storing(share: float, step: str) -> None:
        if step == "Storing the values":
            with session_scope(engine) as session:
                assert cancel_job(session, actor=actor, job_id=job_id)

    ticket = ticket_for(job_id, secret=pg_settings.session_secret)
    assert jobs.run_job(pg_settings, ticket, listener=cancel_when_storing) is JobStatus.CANCELLED
    assert _job(engine, job_id).status == JobStatus.CANCELLED
    assert _count(engine, Measurement) == 0 and _count(engine, Upload) == 0
    engine.dispose()


def test_users_see_and_cancel_only_their_own_jobs(engine, people):
    mine = _submit(engine, people["m001"])
    office = _submit(engine, people["office"])
    with session_scope(engine) as session:
        assert [j.id for j in list_jobs(session, principal=people["m001"])] == [mine]
        assert [j.id for j in list_jobs(session, principal=people["office"])] == [office]
        assert list_jobs(session, principal=people["m002"]) == []
        with pytest.raises(NotFound):
            get_job(session, principal=people["m002"], job_id=mine)
        with pytest.raises(NotFound):
            get_job(session, principal=people["office"], job_id=mine)
        with pytest.raises(NotFound):
            cancel_job(session, actor=people["office"], job_id=mine)
        found = latest_active_job(
            session, principal=people["m001"], kinds=[INGEST], stale_after=STALE
        )
        assert found is not None and found.id == mine
        assert (
            latest_active_job(session, principal=people["m001"], kinds=["book"], stale_after=STALE)
            is None
        )
    assert _job(engine, mine).status == JobStatus.QUEUED
