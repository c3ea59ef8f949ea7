"""Making a briefing book as a background job: the ``briefing`` job kind.

:func:`submit_briefing` runs in the web process: it checks that the user may have the book and
queues the job. :func:`run_briefing` runs in a worker, as that user, and composes the book with
:func:`dashboard.briefing.make_briefing` — the same charts and tables as the pages, so it lives
with them and is imported only when a book is made (as ``bsc export`` imports the registry) —
which checks the rights again. The PDF is the job's output file.
"""

from __future__ import annotations

from sqlmodel import Session

from bsc.authz import Principal
from bsc.i18n import N_, current_language, use_language
from bsc.models import Job
from bsc.services.briefing import briefing_period, briefing_scope
from bsc.services.jobs import JobContext, Outcome, create_job

__all__ = ["BRIEFING", "submit_briefing", "run_briefing"]

BRIEFING = "briefing"


def submit_briefing(
    session: Session,
    *,
    actor: Principal,
    member_code: str | None,
    period: str | None = None,
    language: str | None = None,
    source: str = "web",
) -> Job:
    """Queue the briefing book of ``member_code`` (None: the whole programme) for ``period``
    (default: the latest month with data) in ``language`` (default: the current one).

    Raises
    ------
    Forbidden
        When ``actor`` may not have that book.
    NotFound, InvalidInput
        For an unknown member or a period that is not one.
    """
    member = briefing_scope(session, actor=actor, member_code=member_code)
    params = {
        "member_code": member_code,
        "period": briefing_period(session, period),
        "language": language or current_language(),
    }
    return create_job(
        session,
        actor=actor,
        kind=BRIEFING,
        params=params,
        member_id=member.id if member else None,
        source=source,
    )


def run_briefing(context: JobContext) -> Outcome:
    """Compose the book, reporting progress per section (where a cancelled job stops)."""
    from dashboard.briefing import make_briefing

    params = context.job.params
    with use_language(params["language"]):
        book = make_briefing(
            context.session,
            actor=context.actor,
            member_code=params["member_code"],
            period=params["period"],
            progress=context.progress,
        )
    result = {
        "member_code": params["member_code"],
        "period": params["period"],
        "pages": book.pages,
        "bytes": len(book.content),
    }
    return Outcome(
        result=result, message=N_("Briefing book ready."), output=(book.filename, book.content)
    )
