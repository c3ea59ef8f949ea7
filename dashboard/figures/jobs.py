"""The user's background jobs as a table: what each does, how far it got and how it ended.

``params["kinds"]`` narrows the list to some job kinds (the Upload page: ``["ingest"]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pandas as pd
from flask import has_app_context

from bsc.i18n import N_, format_percent_value, format_timestamp, t
from bsc.models import Job
from bsc.services.jobs import job_view, list_jobs
from bsc.settings import get_settings
from dashboard.access import Access
from dashboard.registry import ExportContext, table
from dashboard.state import app_state

__all__ = ["KIND_LABELS", "STATUS_LABELS", "JOB_FIELDS", "stale_after", "job_rows", "jobs_table"]

#: What each job kind is called on the page.
KIND_LABELS = {"ingest": N_("Apply a KPI file")}
STATUS_LABELS = {
    "queued": N_("waiting for a worker"),
    "running": N_("running"),
    "done": N_("done"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
}
#: Column headers of the jobs table by field.
JOB_FIELDS = {
    "when": N_("Started"),
    "what": N_("Job"),
    "status": N_("Status"),
    "progress": N_("Progress"),
    "message": N_("Outcome"),
    "finished": N_("Finished"),
}


def stale_after() -> timedelta:
    """How long a job may stay silent before it counts as lost (``BSC_JOB_STALE_MINUTES``)."""
    settings = app_state().settings if has_app_context() else get_settings()
    return timedelta(minutes=settings.job_stale_minutes)


def job_rows(jobs: Sequence[Job], *, stale_after: timedelta) -> list[dict[str, Any]]:
    """One row per job under the translated headers, with the job's ``id`` and whether it is
    ``active`` besides (for the panel, which follows and selects jobs by them)."""
    rows = []
    for job in jobs:
        view = job_view(job, stale_after=stale_after)
        what = t(KIND_LABELS.get(job.kind, job.kind))
        if job.params.get("filename"):
            what = f"{what}: {job.params['filename']}"
        values = {
            "when": format_timestamp(job.created_at),
            "what": what,
            "status": t(STATUS_LABELS[view.status.value]),
            "progress": format_percent_value(view.progress),
            "message": t(view.message) if view.message else "",
            "finished": format_timestamp(job.finished_at) if job.finished_at else "",
        }
        rows.append(
            {
                "id": job.id,
                "active": view.active,
                **{t(JOB_FIELDS[field]): value for field, value in values.items()},
            }
        )
    return rows


@table("background_jobs", title=N_("Background jobs"), access=Access.SIGNED_IN)
def jobs_table(context: ExportContext) -> pd.DataFrame:
    """The user's latest background jobs, newest first."""
    jobs = list_jobs(
        context.session, principal=context.principal, kinds=context.params.get("kinds") or ()
    )
    headers = [t(text) for text in JOB_FIELDS.values()]
    return pd.DataFrame(job_rows(jobs, stale_after=stale_after()), columns=headers)
