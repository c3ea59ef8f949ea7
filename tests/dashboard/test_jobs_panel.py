"""The background-jobs panel and the Upload page's background path, called as functions."""

from __future__ import annotations

import base64
import io
import json

import dash
import pytest
from dash.exceptions import PreventUpdate
from openpyxl import load_workbook
from plotly.utils import PlotlyJSONEncoder
from sqlmodel import select

from bsc import jobs
from bsc.db import make_engine, session_scope
from bsc.errors import NotFound
from bsc.models import Job, JobStatus
from bsc.services.jobs import job_id_from_ticket
from bsc.settings import Settings
from dashboard import ids
from dashboard.components.exportable import export_params, export_table_file
from tests import factories
from tests.conftest import SAMPLES, as_user
from tests.dashboard.test_upload_page import FORM, _contents


@pytest.fixture
def populated(web_settings: Settings) -> Settings:
    engine = make_engine(web_settings.sqlalchemy_url)
    with session_scope(engine) as db:
        factories.standard_programme(db)
        factories.sample_catalogue(db)
    engine.dispose()
    return web_settings.model_copy(update={"background_ingest_bytes": 1024})


def _jobs(settings: Settings) -> list[Job]:
    engine = make_engine(settings.sqlalchemy_url)
    with session_scope(engine, write=False) as db:
        found = list(db.exec(select(Job)).all())
    engine.dispose()
    return found


def _text(component) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(component.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_a_large_file_becomes_a_job_the_panel_follows_to_its_outcome(app, populated):
    from dashboard.components import jobs as panel
    from dashboard.pages import upload

    name = "M001_big5_roc.csv"
    assert (SAMPLES / "feeds" / name).stat().st_size >= 1024
    with as_user(app, "m001", "/upload"):
        alert, disabled, history, ticket, current = upload.apply_file(
            1, _contents(name), name, "M001", None, *FORM
        )
        assert "in the background" in _text(alert) and disabled is True
        assert history is dash.no_update and current == {"job": ticket["job"]}
        job_id = job_id_from_ticket(ticket["ticket"], secret=populated.session_secret)
        assert job_id == ticket["job"]
        # Queued, started from this page: the panel shows it waiting and polls nothing.
        rows, value, label, poll_off, cancel_off, done = panel.follow_jobs(
            current, ["ingest"], None, ticket
        )
        assert rows[0]["Status"] == "waiting for a worker" and name in rows[0]["Job"]
        assert (value, label, poll_off, cancel_off, done) == (
            0,
            "waiting for a worker",
            True,
            False,
            dash.no_update,
        )
    assert jobs.run_job(populated, ticket["ticket"]) is JobStatus.DONE
    with as_user(app, "m001", "/upload"):
        rows, value, label, poll_off, cancel_off, done = panel.follow_jobs(
            current, ["ingest"], None, ticket
        )
        assert rows[0]["Status"] == "done" and rows[0]["Outcome"] == "Applied."
        assert (value, poll_off, cancel_off, done) == (100, True, True, {"job": job_id})
        assert "100%" in label
        result, history = upload.show_job_outcome(done, "M001")
        assert "35 values stored" in _text(result) and history[0]["Applied"] == 35
        # Once shown, the panel does not ask the page to show it again.
        assert panel.follow_jobs(current, ["ingest"], done, ticket)[-1] is dash.no_update
        # The list exports like any table: the user's own jobs, without the panel's fields.
        sheet = _sheet(
            export_table_file("xlsx", export_params("background_jobs", kinds=["ingest"]))
        )
        assert [cell.value for cell in sheet[1]] == [
            "Started",
            "Job",
            "Status",
            "Progress",
            "Outcome",
            "Finished",
        ]
        assert sheet["C2"].value == "done" and name in sheet["B2"].value
    with as_user(app, "m002", "/upload"):
        sheet = _sheet(
            export_table_file("xlsx", export_params("background_jobs", kinds=["ingest"]))
        )
        assert sheet.max_row == 1


def _sheet(download):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active


def test_after_a_reload_the_panel_follows_the_job_still_running(app, populated):
    from dashboard.components import jobs as panel
    from dashboard.pages import upload

    name = "M001_big5_roc.csv"
    with as_user(app, "m001", "/upload"):
        *_, ticket, _current = upload.apply_file(1, _contents(name), name, "M001", None, *FORM)
        layout = upload.layout()
        assert _component(layout, ids.JOB_CURRENT).data == {"job": ticket["job"]}
        assert _component(layout, ids.JOB_POLL).disabled is False
        assert _component(layout, ids.JOB_CANCEL).disabled is False
        # Without this page's ticket (a reload), progress comes from the job row and polling.
        rows, value, label, poll_off, cancel_off, done = panel.follow_jobs(
            {"job": ticket["job"]}, ["ingest"], None, None
        )
        assert (value, poll_off, cancel_off, done) == (0, False, False, dash.no_update)
    with as_user(app, "m002", "/upload"):
        layout = upload.layout()
        assert _component(layout, ids.JOB_CURRENT).data is None
        assert _component(layout, ids.JOB_POLL).disabled is True
        rows, *_ = panel.follow_jobs({"job": ticket["job"]}, ["ingest"], None, None)
        assert rows == []


def _component(tree, component_id: str):  # type: ignore[no-untyped-def]
    """The component with ``component_id`` in a layout."""
    if getattr(tree, "id", None) == component_id:
        return tree
    children = getattr(tree, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _component(child, component_id)
            if found is not None:
                return found
    return None


def test_cancel_marks_only_the_users_own_job(app, populated):
    from dashboard.components import jobs as panel
    from dashboard.pages import upload

    name = "M001_big5_roc.csv"
    with as_user(app, "m001", "/upload"):
        *_, ticket, current = upload.apply_file(1, _contents(name), name, "M001", None, *FORM)
    with as_user(app, "office", "/upload"), pytest.raises(NotFound):
        panel.cancel_followed_job(1, current)
    assert _jobs(populated)[0].status == JobStatus.QUEUED
    with as_user(app, "m001", "/upload"):
        with pytest.raises(PreventUpdate):
            panel.cancel_followed_job(None, current)
        message, result = panel.cancel_followed_job(1, current)
        assert message == "Cancelled." and result["job"] == ticket["job"]
        assert panel.cancel_followed_job(1, current)[0] == "The job had already ended."
        outcome, _history = upload.show_job_outcome(current, "M001")
        assert "Cancelled; nothing was stored." in _text(outcome)
    assert jobs.run_job(populated, ticket["ticket"]) is JobStatus.CANCELLED
    with as_user(app, "m002", "/upload"), pytest.raises(NotFound):
        upload.show_job_outcome(current, "M002")
