"""Applying a large KPI feed as a background job: the ``ingest`` job kind.

:func:`submit_ingest` runs in the web process: it checks that the user may upload for the member
and queues the file. :func:`run_ingest` runs in a worker, as that user, through the same
:func:`~bsc.services.ingest.ingest_feed` as every other upload, so the same rights, validation,
all-or-nothing transaction and audit apply.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlmodel import Session

from bsc.authz import Principal
from bsc.i18n import N_
from bsc.models import Job, JobFileRole
from bsc.services.ingest import ingest_feed, template_mapping, upload_scope
from bsc.services.jobs import JobContext, Outcome, create_job, job_file
from kpi.feeds import FeedOptions

__all__ = ["INGEST", "submit_ingest", "run_ingest"]

INGEST = "ingest"


def submit_ingest(
    session: Session,
    *,
    actor: Principal,
    data: bytes,
    filename: str,
    member_code: str | None = None,
    options: FeedOptions | None = None,
    template: str | None = None,
    source: str = "web",
) -> Job:
    """Queue ``data`` to be applied as ``actor`` would apply it now.

    Raises
    ------
    Forbidden
        When ``actor`` may not upload, or not for ``member_code``.
    NotFound
        For an unknown ``member_code`` or ``template``.
    """
    scope = upload_scope(session, actor=actor, member_code=member_code)
    if template is not None:
        template_mapping(session, member=scope, name=template)
    params: dict[str, Any] = {
        "filename": filename,
        "member_code": member_code,
        "template": template,
        "source": source,
        "options": dataclasses.asdict(options or FeedOptions()),
    }
    return create_job(
        session,
        actor=actor,
        kind=INGEST,
        params=params,
        member_id=scope.id if scope else None,
        input_file=(filename, data),
        source=source,
    )


def run_ingest(context: JobContext) -> Outcome:
    """Apply the job's file; a rejected file is a finished job whose result lists the problems."""
    params = context.job.params
    report = ingest_feed(
        context.session,
        data=job_file(context.session, job_id=context.job.id, role=JobFileRole.INPUT).content,
        filename=params["filename"],
        actor=context.actor,
        source=params["source"],
        member_code=params["member_code"],
        options=FeedOptions(**params["options"]),
        template=params["template"],
        limits=context.settings.limits,
        progress=context.progress,
    )
    message = N_("Rejected; nothing was stored.") if report.rejected else N_("Applied.")
    return Outcome(result=report.to_record(), message=message)
