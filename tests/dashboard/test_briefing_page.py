"""The briefing book button on the overview and the scorecard, its outcome, and the download
of the finished PDF, called as functions and through the server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlmodel import select

from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden
from bsc.models import Job, JobFile, JobFileRole, JobStatus, User
from bsc.services.jobs import job_id_from_ticket
from bsc.settings import Settings
from dashboard import ids
from tests.conftest import as_user, page_module, sign_in
from tests.security.rights import PERIOD


@pytest.fixture
def settings(two_member_demo: Path, tmp_path: Path) -> Settings:
    shutil.copy(two_member_demo, tmp_path / "demo.db")
    return Settings(
        home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'demo.db'}", secret_key="k"
    )


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    from dashboard import create_app

    return create_app(settings)


def _text(component) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(component.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def _jobs(settings: Settings) -> list[Job]:
    engine = make_engine(settings.sqlalchemy_url)
    with session_scope(engine, write=False) as session:
        found = list(session.exec(select(Job)).all())
    engine.dispose()
    return found


def test_the_overview_offers_the_programmes_book_to_the_programme_roles_only(app):
    with as_user(app, "exec"):
        assert ids.BRIEFING_START in _text(page_module("overview").layout())
    with as_user(app, "m001"):
        assert ids.BRIEFING_START not in _text(page_module("overview").layout())
        page = _text(page_module("member").layout(code="M001"))
        assert ids.BRIEFING_START in page and '"member": "M001"' in page


def test_a_click_queues_the_book_of_the_page_for_its_period(app, settings):
    from dashboard.components.briefing import start_briefing

    with as_user(app, "exec"):
        alert, ticket, current = start_briefing(1, {"member": None}, [PERIOD])
    assert "in the background" in _text(alert)
    assert current == {"job": ticket["job"]}
    assert job_id_from_ticket(ticket["ticket"], secret=settings.session_secret) == ticket["job"]
    (job,) = _jobs(settings)
    assert job.kind == "briefing" and job.status == JobStatus.QUEUED
    assert job.params == {"member_code": None, "period": PERIOD, "language": "en"}


@pytest.mark.parametrize("clicks", [1, None])
def test_a_member_user_is_refused_the_programmes_book_and_another_members(app, settings, clicks):
    from dashboard.components.briefing import start_briefing

    with as_user(app, "m001"):
        for scope in ({"member": None}, {"member": "M002"}):
            with pytest.raises(Forbidden):
                start_briefing(clicks, scope, [PERIOD])
    assert _jobs(settings) == []


def _finished_book(settings: Settings, username: str) -> str:
    """A done briefing job of ``username`` with a (tiny) PDF as its output."""
    engine = make_engine(settings.sqlalchemy_url)
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        assert user.id is not None
        job = Job(
            kind="briefing",
            user_id=user.id,
            status=JobStatus.DONE,
            progress=1.0,
            message="Briefing book ready.",
            params={"member_code": "M001", "period": PERIOD, "language": "en"},
            result={"pages": 7},
        )
        session.add(job)
        session.flush()
        session.add(
            JobFile(
                job_id=job.id,
                role=JobFileRole.OUTPUT,
                filename=f"briefing-M001-{PERIOD}.pdf",
                content=b"%PDF-1.7 a book",
            )
        )
        job_id = job.id
    engine.dispose()
    return job_id


def test_a_finished_book_links_to_its_pdf_for_the_user_who_asked_only(app, settings):
    from dashboard.components.briefing import briefing_outcome
    from dashboard.components.jobs import job_of

    job_id = _finished_book(settings, "m001")
    with as_user(app, "m001"):
        outcome = _text(briefing_outcome(job_of({"job": job_id})))
    assert "Briefing book ready (7 pages)" in outcome and f"/jobs/{job_id}/file" in outcome
    owner = app.server.test_client()
    sign_in(owner, "m001")
    response = owner.get(f"/jobs/{job_id}/file")
    assert response.status_code == 200 and response.data == b"%PDF-1.7 a book"
    assert response.mimetype == "application/pdf"
    assert f"briefing-M001-{PERIOD}.pdf" in response.headers["Content-Disposition"]
    other = app.server.test_client()
    sign_in(other, "exec")
    assert other.get(f"/jobs/{job_id}/file").status_code == 404
    anonymous = app.server.test_client().get(f"/jobs/{job_id}/file")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


def test_the_page_links_again_to_the_users_latest_book_of_its_scope(app, settings):
    job_id = _finished_book(settings, "m001")
    with as_user(app, "m001"):
        assert f"/jobs/{job_id}/file" in _text(page_module("member").layout(code="M001"))
    with as_user(app, "exec"):  # someone else's book, and another scope
        assert f"/jobs/{job_id}/file" not in _text(page_module("member").layout(code="M001"))
        assert f"/jobs/{job_id}/file" not in _text(page_module("overview").layout())
