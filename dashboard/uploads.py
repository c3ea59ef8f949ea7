"""What the Upload page shows: grids of the preview, the issues and the upload history.

Plain functions from reports and uploads to ``dash-ag-grid`` column definitions and rows, so the
page's callbacks stay thin and these can be tested on their own.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc

from bsc.errors import InvalidInput
from bsc.i18n import N_, format_number, format_timestamp, label, t
from bsc.models import Job, JobStatus, Upload
from bsc.services.jobs import JobView
from bsc.services.results import IngestReport
from kpi.feeds import FeedOptions

__all__ = [
    "MAPPED_FIELDS",
    "decode_contents",
    "feed_options",
    "preview_columns",
    "issue_columns",
    "issue_rows",
    "history_columns",
    "history_rows",
    "summary_text",
    "job_outcome",
]

_STATUSES = {"applied": N_("applied"), "rejected": N_("rejected"), "dry_run": N_("dry run")}

#: The fields whose column the user can choose on the page.
MAPPED_FIELDS = ("member", "kpi", "period", "value")


def decode_contents(contents: str) -> bytes:
    """The bytes of a ``dcc.Upload`` ``contents`` value (``data:…;base64,…``)."""
    _, _, payload = contents.partition(",")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(N_("The file could not be received; choose it again.")) from None


def feed_options(
    *,
    mapping: dict[str, str | None],
    encoding: str | None,
    header_row: int | float | None,
    period_format: str | None,
    scale: int | float | None,
    ignore_unknown: bool,
) -> FeedOptions:
    """The reading options from the page's form; empty inputs mean "guess"."""
    if scale is not None and scale <= 0:
        raise InvalidInput(N_("The scale must be greater than 0."))
    return FeedOptions(
        mapping={field: column for field, column in mapping.items() if column},
        encoding=(encoding or "").strip() or None,
        header_row=int(header_row) if header_row else None,
        period_format=(period_format or "").strip() or None,
        scale=float(scale) if scale else 1.0,
        ignore_unknown_members=bool(ignore_unknown),
    )


def _error_class(field: str) -> dict[str, str]:
    return {"bsc-cell-error": f"params.data.problems && params.data.problems.includes('{field}')"}


def preview_columns() -> list[dict[str, Any]]:
    """The preview grid: values as understood, offending cells highlighted."""
    return [
        {"field": "line", "headerName": t("Line"), "width": 80},
        {"field": "member", "headerName": t("Member"), "cellClassRules": _error_class("member")},
        {"field": "kpi", "headerName": t("KPI"), "cellClassRules": _error_class("kpi")},
        {"field": "period", "headerName": t("Period"), "cellClassRules": _error_class("period")},
        {"field": "value", "headerName": t("Value"), "cellClassRules": _error_class("value")},
        {"field": "value_raw", "headerName": t("As written")},
    ]


def issue_columns() -> list[dict[str, Any]]:
    return [
        {"field": "line", "headerName": t("Line"), "width": 80},
        {"field": "column", "headerName": t("Column")},
        {"field": "value", "headerName": t("Value")},
        {"field": "reason_label", "headerName": t("Reason")},
        {
            "field": "message",
            "headerName": t("Message"),
            "flex": 3,
            "wrapText": True,
            "autoHeight": True,
        },
        {"field": "severity_label", "headerName": t("Severity"), "width": 110},
    ]


def issue_rows(report: IngestReport) -> list[dict[str, Any]]:
    """The report's issues in the current language: messages translated, and the reason and
    severity codes shown by their names (``reason`` and ``severity`` keep the codes)."""
    rows = []
    for issue in report.issues:
        row = issue.to_dict(t)
        row["reason_label"] = label(row["reason"])
        row["severity_label"] = label(row["severity"])
        rows.append(row)
    return rows


def history_columns() -> list[dict[str, Any]]:
    return [
        {"field": "when", "headerName": t("When"), "width": 170},
        {"field": "member", "headerName": t("Member"), "width": 100},
        {"field": "who", "headerName": t("Who"), "width": 110},
        {"field": "source", "headerName": t("Through"), "width": 100},
        {"field": "file", "headerName": t("File"), "cellRenderer": "markdown", "flex": 2},
        {"field": "status", "headerName": t("Status"), "width": 110},
        *(
            {"field": name, "headerName": title, "width": 105, "type": "rightAligned"}
            for name, title in (
                ("read", t("Read")),
                ("applied", t("Applied")),
                ("unchanged", t("Unchanged")),
                ("empty", t("Empty")),
                ("ignored", t("Ignored")),
            )
        ),
    ]


def history_rows(uploads: Sequence[Upload], codes: dict[int, str]) -> list[dict[str, Any]]:
    """One row per upload, its file name linking to the original bytes."""
    return [
        {
            "when": format_timestamp(upload.created_at),
            "member": codes.get(upload.member_id or 0, "—"),
            "who": upload.actor,
            "source": upload.source,
            "file": f"[{_markdown_text(upload.filename)}](/uploads/{upload.id}/file)",
            "status": t(_STATUSES.get(upload.status, upload.status)),
            "read": upload.rows_read,
            "applied": upload.rows_applied,
            "unchanged": upload.rows_unchanged,
            "empty": upload.rows_empty,
            "ignored": upload.rows_ignored,
        }
        for upload in uploads
    ]


def _markdown_text(text: str) -> str:
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]()#+-.!|<>" else ch for ch in text)


def summary_text(report: IngestReport) -> str:
    """One sentence on what the file holds and what applying it does (or did)."""
    counts = {
        "read": format_number(report.read, 0),
        "applied": format_number(report.applied, 0),
        "unchanged": format_number(report.unchanged, 0),
        "empty": format_number(report.empty, 0),
        "ignored": format_number(report.ignored, 0),
    }
    if report.status == "rejected":
        errors = sum(1 for issue in report.issues if issue.severity == "error")
        return t(
            "Rejected: {errors} problems to fix; nothing was stored.",
            errors=format_number(errors, 0),
        )
    if report.status == "dry_run":
        return t(
            "{read} rows read: {applied} to apply, {unchanged} unchanged, {empty} empty, "
            "{ignored} ignored. Check the preview, then apply.",
            **counts,
        )
    return t(
        "Applied as upload {upload}: {applied} values stored, {unchanged} unchanged, "
        "{empty} empty, {ignored} ignored.",
        upload=report.upload_id,
        **counts,
    )


def job_outcome(job: Job, view: JobView) -> dbc.Alert:
    """What a background upload did: its report's summary, or why it did not finish."""
    if view.status is JobStatus.DONE and job.result is not None:
        report = IngestReport.from_dict(job.result)
        color = "danger" if report.rejected else "success"
        return dbc.Alert(summary_text(report), color=color, id="upload-result-text")
    if view.status is JobStatus.CANCELLED:
        return dbc.Alert(
            t("Cancelled; nothing was stored."), color="warning", id="upload-result-text"
        )
    if view.status is JobStatus.FAILED:
        message = t(view.message) if view.message else t("The job failed.")
        return dbc.Alert(message, color="danger", id="upload-result-text")
    return dbc.Alert(t("Still running."), color="info", id="upload-result-text")
