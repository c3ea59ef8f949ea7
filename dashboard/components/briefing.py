"""The "Briefing book (PDF)" button: on the overview (the programme's book) and on a member's
scorecard (that member's book).

A click checks the user's rights and queues a ``briefing`` job for the period the page shows;
the jobs panel runs it with a progress bar and Cancel, and follows it across reloads; once it is
done the page links to the PDF (``/jobs/<id>/file``, only for the user who asked), and keeps
linking to the user's latest book when the page is opened again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from sqlmodel import Session

from bsc.authz import Principal
from bsc.i18n import current_language, t
from bsc.models import Job, JobStatus
from bsc.services.briefing import briefing_scope
from bsc.services.briefing_jobs import BRIEFING, submit_briefing
from bsc.services.jobs import job_view, list_jobs
from dashboard import ids
from dashboard.auth import require_principal
from dashboard.components.jobs import JOB_STARTED_OUTPUTS, job_of, job_panel, job_started
from dashboard.state import app_state, read_retrying, read_session, write_session

__all__ = [
    "briefing_panel",
    "register_briefing_callbacks",
    "start_briefing",
    "briefing_outcome",
    "file_url",
]


def file_url(job_id: str) -> str:
    """Where the output of one of the user's jobs downloads from."""
    return f"/jobs/{job_id}/file"


def _latest_book(principal: Principal, member_code: str | None) -> Job | None:
    """The user's newest finished book of this scope, if any."""

    def find(session: Session) -> Job | None:
        for job in list_jobs(session, principal=principal, kinds=[BRIEFING]):
            if job.params.get("member_code") == member_code and job.status == JobStatus.DONE:
                return job
        return None

    return read_retrying(find)


def briefing_panel(principal: Principal, *, member_code: str | None) -> html.Div:
    """The button, the user's latest book of this scope (so a reload keeps its link) and the
    jobs panel of briefing books."""
    latest = _latest_book(principal, member_code)
    return html.Div(
        [
            dcc.Store(id=ids.BRIEFING_SCOPE, data={"member": member_code}),
            html.H3(t("Briefing book"), className="h5 mt-4"),
            html.P(
                t(
                    "A PDF of the period shown: overview, scorecards, strategy maps, red and "
                    "amber KPIs with why, PEST and rollout."
                ),
                className="small text-muted mb-2",
            ),
            dbc.Button(
                t("Briefing book (PDF)"), id=ids.BRIEFING_START, color="primary", outline=True
            ),
            html.Div(
                briefing_outcome(latest) if latest else None,
                id=ids.BRIEFING_RESULT,
                className="mt-2",
            ),
            job_panel(principal, kinds=[BRIEFING]),
        ],
        className="bsc-briefing",
    )


def start_briefing(
    clicks: int | None, scope: dict[str, Any] | None, periods: list[str | None]
) -> tuple[Any, ...]:
    """Queue the book the page offers, for the period it shows; rights are checked first."""
    principal = require_principal()
    member = (scope or {}).get("member")
    with read_session() as session:
        briefing_scope(session, actor=principal, member_code=member)
    if not clicks:
        raise PreventUpdate
    period = next((p for p in periods if p), None)
    with write_session() as session:
        job = submit_briefing(
            session,
            actor=principal,
            member_code=member,
            period=period,
            language=current_language(),
        )
        started = job_started(job)
    alert = dbc.Alert(
        t("Making the briefing book in the background: follow it below, or come back later."),
        color="info",
        id="briefing-result-text",
    )
    return alert, *started


def briefing_outcome(job: Job) -> dbc.Alert:
    """What became of a briefing job: a link to its PDF, or why there is none."""
    if job.kind != BRIEFING:
        raise PreventUpdate
    stale_after = timedelta(minutes=app_state().settings.job_stale_minutes)
    view = job_view(job, stale_after=stale_after)
    if view.status is JobStatus.DONE:
        pages = (job.result or {}).get("pages", 0)
        return dbc.Alert(
            [
                t("Briefing book ready ({pages} pages): ", pages=pages),
                html.A(
                    t("download the PDF"),
                    href=file_url(job.id),
                    id="briefing-download",
                    target="_blank",
                ),
            ],
            color="success",
            id="briefing-result-text",
        )
    message = t(view.message) if view.message else ""
    colour = "danger" if view.status is JobStatus.FAILED else "secondary"
    return dbc.Alert(message, color=colour, id="briefing-result-text")


def register_briefing_callbacks(app: dash.Dash) -> None:
    """The button's callbacks, once per app (the overview and the scorecard share them)."""

    @app.callback(
        Output(ids.BRIEFING_RESULT, "children"),
        *JOB_STARTED_OUTPUTS,
        Input(ids.BRIEFING_START, "n_clicks"),
        State(ids.BRIEFING_SCOPE, "data"),
        State({"type": "period-value", "picker": ALL}, "value"),
        prevent_initial_call=True,
    )
    def start(
        clicks: int | None, scope: dict[str, Any] | None, periods: list[str | None]
    ) -> tuple[Any, ...]:
        """Queue the briefing book of the page's member (or the programme)."""
        return start_briefing(clicks, scope, periods)

    @app.callback(
        Output(ids.BRIEFING_RESULT, "children", allow_duplicate=True),
        Input(ids.JOB_DONE, "data"),
        prevent_initial_call=True,
    )
    def show(job_ref: dict[str, str] | None) -> dbc.Alert:
        """The finished book's link (also when it is chosen in the jobs list)."""
        return briefing_outcome(job_of(job_ref))
