"""Briefing books as background jobs (in-process): rights when asked, the PDF as the job's
output, progress per section in the book's language, and a cancelled job leaves no book."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from bsc import jobs
from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden, InvalidInput, NotFound
from bsc.models import AuditLog, Job, JobFile, JobFileRole, JobStatus, User
from bsc.services.briefing_jobs import BRIEFING, submit_briefing
from bsc.services.jobs import cancel_job, job_file, ticket_for
from bsc.services.scorecard import latest_period
from bsc.services.users import principal_for
from bsc.settings import Settings
from tests.security.rights import PERIOD


@pytest.fixture
def settings(two_member_demo: Path, tmp_path: Path) -> Settings:
    shutil.copy(two_member_demo, tmp_path / "demo.db")
    return Settings(
        home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'demo.db'}", secret_key="s"
    )


@pytest.fixture
def engine(settings: Settings):  # type: ignore[no-untyped-def]
    engine = make_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


def _actor(engine, username: str):  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return principal_for(session, user)


def _submit(engine, username: str, member_code: str | None, **options: str) -> str:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        job = submit_briefing(
            session, actor=_actor(engine, username), member_code=member_code, **options
        )
        return job.id


def test_asking_checks_rights_and_the_period_and_queues_the_job(engine):
    for member_code in (None, "M002", "NOPE"):
        with pytest.raises(Forbidden):
            _submit(engine, "m001", member_code)
    with pytest.raises(NotFound):
        _submit(engine, "exec", "NOPE")
    with pytest.raises(InvalidInput):
        _submit(engine, "exec", None, period="2026-13")
    job_id = _submit(engine, "m001", "M001", language="zh-TW")
    programme = _submit(engine, "exec", None, period="2026-Q3")
    with session_scope(engine, write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.kind == BRIEFING and job.status == JobStatus.QUEUED
        assert job.params["member_code"] == "M001" and job.params["language"] == "zh-TW"
        # The latest month with data, when none is given.
        assert job.params["period"] == latest_period(session)
        other = session.get(Job, programme)
        assert other is not None and other.params["period"] == "2026-Q3"
        assert other.member_id is None
        actions = session.exec(select(AuditLog.actor).where(AuditLog.entity == "job")).all()
        assert sorted(actions) == ["exec", "m001"]


def test_a_job_makes_the_book_as_its_file_with_progress_in_the_books_language(engine, settings):
    job_id = _submit(engine, "m001", "M001", language="zh-TW", period=PERIOD)
    heard: list[tuple[float, str]] = []
    ticket = ticket_for(job_id, secret=settings.session_secret)
    status = jobs.run_job(
        settings, ticket, listener=lambda share, step: heard.append((share, step))
    )
    assert status is JobStatus.DONE
    assert [step for _share, step in heard] == [
        "總覽",
        "會員 M001",
        "PEST 分析",
        "推廣進度",
        "排版中",
    ]
    shares = [share for share, _step in heard]
    assert shares == sorted(shares) and shares[-1] < 1
    with session_scope(engine, write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == JobStatus.DONE
        assert job.message == "Briefing book ready." and job.result is not None
        output = job_file(session, job_id=job_id, role=JobFileRole.OUTPUT)
        assert output.filename == f"briefing-M001-{PERIOD}.pdf"
        assert output.content.startswith(b"%PDF-")
        assert job.result["pages"] >= 6 and job.result["bytes"] == len(output.content)


def test_a_book_cancelled_half_way_is_not_kept(engine, settings):
    job_id = _submit(engine, "m001", "M001", language="en", period=PERIOD)
    actor = _actor(engine, "m001")

    def cancel_at_pest(share: float, step: str) -> None:
        if step == "PEST":
            with session_scope(engine) as session:
                assert cancel_job(session, actor=actor, job_id=job_id)

    ticket = ticket_for(job_id, secret=settings.session_secret)
    assert jobs.run_job(settings, ticket, listener=cancel_at_pest) is JobStatus.CANCELLED
    with session_scope(engine, write=False) as session:
        assert session.get(Job, job_id).status == JobStatus.CANCELLED  # type: ignore[union-attr]
        assert session.exec(select(JobFile).where(JobFile.job_id == job_id)).first() is None
