"""Tables of the Upload page: the upload history and a file's validation report.

The report is that of a stored upload (``params["upload"]``: its id, as the history lists it), or
of the check the Upload page just made of a file not stored yet (``params["check"]``: the token
under which the page keeps that check's issues for an hour, for the user who made it).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any

import pandas as pd
from flask import has_app_context
from redis import RedisError
from sqlmodel import select

from bsc.authz import Principal, can_read_member, can_read_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_, format_timestamp, label, t
from bsc.models import Member, Upload
from bsc.services.results import IngestReport
from bsc.services.uploads import list_uploads
from dashboard import cache
from dashboard.access import Access
from dashboard.registry import ExportContext, table
from kpi.issues import Issue

__all__ = [
    "HISTORY_FIELDS",
    "REPORT_FIELDS",
    "SOURCE_LABELS",
    "STATUS_LABELS",
    "SEVERITY_LABELS",
    "upload_history",
    "upload_report",
    "report_frame",
    "keep_check",
]

#: How an upload reached the product, by its source code.
SOURCE_LABELS = {
    "web": N_("Web page"),
    "cli": N_("Command line"),
    "api": N_("REST API"),
    "demo": N_("Demo data"),
}
STATUS_LABELS = {"applied": N_("applied"), "rejected": N_("rejected"), "dry_run": N_("dry run")}
SEVERITY_LABELS = {"error": N_("Error"), "warning": N_("Warning")}
#: Column headers of the history by field (the page's file link reads the upload column).
HISTORY_FIELDS = {
    "upload": N_("Upload"),
    "when": N_("When"),
    "member": N_("Member"),
    "who": N_("Who"),
    "source": N_("Through"),
    "file": N_("File"),
    "status": N_("Status"),
    "read": N_("Read"),
    "applied": N_("Applied"),
    "unchanged": N_("Unchanged"),
    "empty": N_("Empty"),
    "ignored": N_("Ignored"),
}
REPORT_FIELDS = {
    "line": N_("Line"),
    "column": N_("Column"),
    "value": N_("Value"),
    "reason": N_("Reason"),
    "message": N_("Message"),
    "severity": N_("Severity"),
}
_CHECK_SECONDS = 3600
log = logging.getLogger(__name__)


def _headers(fields: dict[str, str]) -> dict[str, str]:
    return {field: t(text) for field, text in fields.items()}


@table("upload_history", title=N_("Upload history"), access=Access.SIGNED_IN)
def upload_history(context: ExportContext) -> pd.DataFrame:
    """The latest uploads the user may see (a member user its own, the programme roles all):
    of ``params["member"]``, else all of them."""
    member = context.params.get("member") or None
    uploads = list_uploads(context.session, principal=context.principal, member_code=member)
    codes = {m.id: m.code for m in context.session.exec(select(Member)).all()}
    rows = [
        {
            "upload": upload.id,
            "when": format_timestamp(upload.created_at),
            "member": codes.get(upload.member_id, "–"),
            "who": upload.actor,
            "source": t(SOURCE_LABELS[upload.source]) if upload.source in SOURCE_LABELS else "",
            "file": upload.filename,
            "status": t(STATUS_LABELS.get(upload.status, upload.status)),
            "read": upload.rows_read,
            "applied": upload.rows_applied,
            "unchanged": upload.rows_unchanged,
            "empty": upload.rows_empty,
            "ignored": upload.rows_ignored,
        }
        for upload in uploads
    ]
    return pd.DataFrame(rows, columns=list(HISTORY_FIELDS)).rename(columns=_headers(HISTORY_FIELDS))


def _stored_issues(context: ExportContext, upload_id: Any) -> list[Issue]:
    try:
        upload = context.session.get(Upload, int(upload_id))
    except (TypeError, ValueError):
        raise InvalidInput(N_("Give the upload as its number (--param upload=12).")) from None
    if upload is None:
        raise NotFound(N_("There is no upload {upload}."), upload=upload_id)
    principal = context.principal
    allowed = (
        can_read_programme(principal)
        if upload.member_id is None
        else can_read_member(principal, upload.member_id)
    )
    require(allowed, N_("the report of upload {upload}"), upload=upload_id)
    return IngestReport.from_dict(upload.report).issues if upload.report else []


def _check_key(principal: Principal, token: str) -> str:
    return f"bsc:upload-check:{principal.user_id}:{token}"


def keep_check(principal: Principal, issues: Sequence[Issue]) -> str:
    """Keep the issues of a check just made (not stored as an upload) for ``principal`` for an
    hour, with their messages' templates (the export may be in another language); the token
    names them in a :func:`upload_report` request."""
    token = secrets.token_urlsafe(12)
    rows = [issue.to_record() for issue in issues]
    try:
        cache.cache.set(_check_key(principal, token), rows, timeout=_CHECK_SECONDS)
    except RedisError as error:  # the page still shows the report; only its export is lost
        log.warning("cache unavailable, the check's report cannot be exported: %s", error)
    return token


def _checked_issues(context: ExportContext, token: Any) -> list[Issue]:
    if not has_app_context():
        raise InvalidInput(N_("A check is only at hand on the Upload page; name a stored upload."))
    try:
        rows = cache.cache.get(_check_key(context.principal, str(token)))
    except RedisError:
        rows = None
    if rows is None:
        raise NotFound(N_("That check is no longer at hand: check the file again."))
    return [Issue.from_record(row) for row in rows]


@table("upload_report", title=N_("Validation report"), access=Access.SIGNED_IN)
def upload_report(context: ExportContext) -> pd.DataFrame:
    """Every problem found in a file: line, column, value, reason, message and severity; for
    who may see the upload's member (as its file), or the user who made the check."""
    if context.params.get("upload"):
        issues = _stored_issues(context, context.params["upload"])
    elif context.params.get("check"):
        issues = _checked_issues(context, context.params["check"])
    else:
        issues = []
    return report_frame(issues)


def report_frame(issues: Sequence[Issue]) -> pd.DataFrame:
    """The issues under the translated headers, in the current language: their messages, and
    their reasons and severities by name."""
    frame = pd.DataFrame([issue.to_dict(t) for issue in issues], columns=list(REPORT_FIELDS))
    frame["reason"] = frame["reason"].map(label)
    frame["severity"] = frame["severity"].map(
        lambda severity: t(SEVERITY_LABELS[severity]) if severity in SEVERITY_LABELS else severity
    )
    frame = frame.rename(columns=_headers(REPORT_FIELDS))
    return frame.astype(object).where(frame.notna(), None)
