"""The background-jobs panel: a progress bar with Cancel, and the user's recent jobs.

A page that starts slow work creates the job through its service (which checks rights) in a
normal callback and writes the job's signed ticket to :data:`ids.JOB_TICKET` with
:func:`job_started`. The background callback registered here by :func:`register_job_callbacks`
runs it (on a Celery worker or beside the server) with only that ticket. The panel follows the
job by reading its row, so a reloaded page, or a page served by another host, picks it up again;
when it ends, the panel writes :data:`ids.JOB_DONE` and the page shows the outcome.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from sqlmodel import Session

from bsc.authz import Principal
from bsc.errors import NotFound
from bsc.i18n import format_percent_value, t
from bsc.jobs import run_job
from bsc.models import Job, JobStatus
from bsc.services.jobs import (
    JobView,
    cancel_job,
    get_job,
    job_view,
    latest_active_job,
    list_jobs,
    ticket_for,
)
from bsc.settings import Settings
from dashboard import ids
from dashboard.auth import require_principal
from dashboard.components.exportable import table_card, table_ids
from dashboard.figures.jobs import JOB_FIELDS, STATUS_LABELS, job_rows, stale_after
from dashboard.state import app_state, read_retrying, read_session, write_session

__all__ = [
    "job_panel",
    "job_started",
    "JOB_STARTED_OUTPUTS",
    "register_job_callbacks",
    "follow_jobs",
    "cancel_followed_job",
    "job_of",
]

_POLL_MS = 1000
_GRID = table_ids("background_jobs")["grid"]
#: Column widths of the jobs list by field (the others share the rest).
_WIDTHS = {"when": 160, "status": 140, "progress": 100, "finished": 160}


def _column_options() -> dict[str, dict[str, Any]]:
    return {
        t(text): {"width": _WIDTHS[field]} if field in _WIDTHS else {"flex": 2, "minWidth": 120}
        for field, text in JOB_FIELDS.items()
    }


def job_panel(principal: Principal, *, kinds: list[str]) -> html.Div:
    """The panel for a page whose jobs are of ``kinds``; follows the user's job still running."""

    def find(session: Session) -> Job | None:
        return latest_active_job(
            session, principal=principal, kinds=kinds, stale_after=stale_after()
        )

    active = read_retrying(find)
    view = job_view(active, stale_after=stale_after()) if active else None
    progress = [
        dbc.Row(
            [
                dbc.Col(
                    dbc.Progress(
                        id=ids.JOB_PROGRESS,
                        value=_percent(view),
                        label=_progress_label(view),
                        striped=True,
                        animated=True,
                        style={"height": "1.4rem"},
                    ),
                ),
                dbc.Col(
                    dbc.Button(
                        t("Cancel"),
                        id=ids.JOB_CANCEL,
                        color="secondary",
                        outline=True,
                        size="sm",
                        disabled=active is None,
                    ),
                    width="auto",
                ),
            ],
            className="align-items-center mb-1",
        ),
        html.Div(id=ids.JOB_STATUS, className="small text-muted"),
    ]
    return html.Div(
        [
            dcc.Store(id=ids.JOB_TICKET),
            dcc.Store(id=ids.JOB_CURRENT, data={"job": active.id} if active else None),
            dcc.Store(id=ids.JOB_RESULT),
            dcc.Store(id=ids.JOB_DONE),
            dcc.Store(id=ids.JOB_KINDS, data=kinds),
            dcc.Interval(id=ids.JOB_POLL, interval=_POLL_MS, disabled=active is None),
            html.Div(
                table_card(
                    "background_jobs",
                    height=200,
                    column_options=_column_options(),
                    footer=progress,
                    grid_props={
                        "defaultColDef": {"resizable": True, "sortable": True},
                        "dashGridOptions": {
                            "rowSelection": {
                                "mode": "singleRow",
                                "checkboxes": False,
                                "enableClickSelection": True,
                            }
                        },
                        "getRowId": "params.data.id",
                    },
                    row_data=[],  # filled, with each job's id, by the panel's first poll
                    kinds=kinds,
                ),
                id=ids.JOB_LIST,
                className="mt-3",
            ),
        ],
        className="bsc-jobs",
    )


def _percent(view: JobView | None) -> int:
    return round(view.progress * 100) if view else 0


def _progress_label(view: JobView | None) -> str:
    if view is None:
        return ""
    return format_percent_value(view.progress)


#: The outputs a page's starting callback writes, after its own, through :func:`job_started`.
JOB_STARTED_OUTPUTS = [
    Output(ids.JOB_TICKET, "data", allow_duplicate=True),
    Output(ids.JOB_CURRENT, "data", allow_duplicate=True),
]


def job_started(job: Job) -> tuple[dict[str, str], dict[str, str]]:
    """The values of :data:`JOB_STARTED_OUTPUTS` for a job just created."""
    secret = app_state().settings.session_secret
    return {"job": job.id, "ticket": ticket_for(job.id, secret=secret)}, {"job": job.id}


def register_job_callbacks(app: dash.Dash, settings: Settings) -> None:
    """The panel's callbacks, once per app; the background one runs wherever jobs run."""

    @app.callback(
        Output(ids.JOB_RESULT, "data"),
        Input(ids.JOB_TICKET, "data"),
        background=True,
        progress=[Output(ids.JOB_PROGRESS, "value"), Output(ids.JOB_PROGRESS, "label")],
        running=[(Output(ids.JOB_CANCEL, "disabled"), False, True)],
        cancel=[Input(ids.JOB_CANCEL, "n_clicks")],
        interval=500,
        prevent_initial_call=True,
    )
    def run_in_background(set_progress: Any, ticket: dict[str, str] | None) -> dict[str, str]:
        # No request and no signed-in user here: the signed ticket is the only authority, and
        # the job runs with the rights of the user who asked for it.
        if not ticket:
            raise PreventUpdate

        def tell(share: float, step: str) -> None:
            set_progress((round(share * 100), f"{format_percent_value(share)} · {t(step)}"))

        status = run_job(settings, ticket.get("ticket"), listener=tell)
        return {"job": ticket.get("job", ""), "status": status.value}

    @app.callback(
        Output(_GRID, "rowData"),
        Output(ids.JOB_PROGRESS, "value", allow_duplicate=True),
        Output(ids.JOB_PROGRESS, "label", allow_duplicate=True),
        Output(ids.JOB_POLL, "disabled"),
        Output(ids.JOB_CANCEL, "disabled", allow_duplicate=True),
        Output(ids.JOB_DONE, "data", allow_duplicate=True),
        Input(ids.JOB_POLL, "n_intervals"),
        Input(ids.JOB_RESULT, "data"),
        Input(ids.JOB_CURRENT, "data"),
        State(ids.JOB_KINDS, "data"),
        State(ids.JOB_DONE, "data"),
        State(ids.JOB_TICKET, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def follow(
        _ticks: int | None,
        _result: dict[str, str] | None,
        current: dict[str, str] | None,
        kinds: list[str] | None,
        shown: dict[str, str] | None,
        ticket: dict[str, str] | None,
    ) -> tuple[Any, ...]:
        """The user's recent jobs, and the followed one's progress; polls while it is active."""
        return follow_jobs(current, kinds or [], shown, ticket)

    @app.callback(
        Output(ids.JOB_DONE, "data", allow_duplicate=True),
        Input(_GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def show_selected(rows: list[dict[str, Any]] | None) -> dict[str, str]:
        """Choosing a finished job in the list shows its outcome again."""
        if not rows or rows[0].get("active"):
            raise PreventUpdate
        return {"job": rows[0]["id"]}

    @app.callback(
        Output(ids.JOB_STATUS, "children"),
        Output(ids.JOB_RESULT, "data", allow_duplicate=True),
        Input(ids.JOB_CANCEL, "n_clicks"),
        State(ids.JOB_CURRENT, "data"),
        prevent_initial_call=True,
    )
    def cancel(clicks: int | None, current: dict[str, str] | None) -> tuple[str, dict[str, str]]:
        """Mark the followed job cancelled (Dash stops a run this page started, a worker stops
        others at their next step)."""
        return cancel_followed_job(clicks, current)


def follow_jobs(
    current: dict[str, str] | None,
    kinds: list[str],
    shown: dict[str, str] | None,
    ticket: dict[str, str] | None,
) -> tuple[Any, ...]:
    """The list of the user's jobs; progress, polling and Cancel for the followed one; and,
    once it has ended, the job whose outcome the page should show."""
    principal = require_principal()
    lost_after = stale_after()

    def read(session: Session) -> tuple[list[Job], Job | None]:
        jobs = list(list_jobs(session, principal=principal, kinds=kinds))
        followed = None
        if current and current.get("job"):
            try:
                followed = get_job(session, principal=principal, job_id=current["job"])
            except NotFound:
                followed = None
        return jobs, followed

    jobs, followed = read_retrying(read)
    rows = job_rows(jobs, stale_after=lost_after)
    if followed is None:
        return rows, dash.no_update, dash.no_update, True, True, dash.no_update
    view = job_view(followed, stale_after=lost_after)
    if view.active and ticket and ticket.get("job") == followed.id:
        # This page started it: its background run reports progress live; no polling needed.
        if view.status is JobStatus.QUEUED:
            return rows, 0, t(STATUS_LABELS["queued"]), True, False, dash.no_update
        return rows, dash.no_update, dash.no_update, True, False, dash.no_update
    label = format_percent_value(view.progress)
    if view.message:
        label = f"{label} · {t(view.message)}"
    finished = not view.active and (shown or {}).get("job") != followed.id
    done = {"job": followed.id} if finished else dash.no_update
    return rows, _percent(view), label, not view.active, not view.active, done


def cancel_followed_job(
    clicks: int | None, current: dict[str, str] | None
) -> tuple[str, dict[str, str]]:
    if not clicks or not current or not current.get("job"):
        raise PreventUpdate
    principal = require_principal()
    with write_session() as session:
        cancelled = cancel_job(session, actor=principal, job_id=current["job"])
    message = t("Cancelled.") if cancelled else t("The job had already ended.")
    return message, {"job": current["job"], "status": "cancelled"}


def job_of(job_ref: dict[str, str] | None) -> Job:
    """One of the signed-in user's jobs, named by a panel store."""
    if not job_ref or not job_ref.get("job"):
        raise PreventUpdate
    principal = require_principal()
    with read_session() as session:
        return get_job(session, principal=principal, job_id=job_ref["job"])
