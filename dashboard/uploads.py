"""What the Upload page shows: the preview grid, how the validation report and the upload
history are drawn, the summary of a check and the outcome of a background upload.

Plain functions from reports to ``dash-ag-grid`` column definitions, rows and texts, so the
page's callbacks stay thin and these can be tested on their own. The report and the history
themselves are registered tables (:mod:`dashboard.figures.uploads`).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import dash_bootstrap_components as dbc

from bsc.errors import InvalidInput
from bsc.i18n import N_, format_number, t
from bsc.models import Job, JobStatus
from bsc.services.jobs import JobView
from bsc.services.results import IngestReport
from dashboard.components.exportable import NUMBER_FORMAT
from dashboard.figures.uploads import HISTORY_FIELDS, REPORT_FIELDS, SEVERITY_LABELS
from kpi.feeds import FeedOptions

__all__ = [
    "MAPPED_FIELDS",
    "decode_contents",
    "feed_options",
    "preview_columns",
    "issue_columns",
    "issue_row_classes",
    "history_columns",
    "summary_text",
    "job_outcome",
]

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
    """The validation report's grid: the message wraps."""
    widths: dict[str, dict[str, Any]] = {
        "line": {"width": 80, "type": "rightAligned"},
        "message": {"flex": 3, "wrapText": True, "autoHeight": True},
        "severity": {"width": 110},
    }
    return [
        {"field": t(text), "headerName": t(text), **widths.get(field, {})}
        for field, text in REPORT_FIELDS.items()
    ]


def issue_row_classes() -> dict[str, str]:
    """Errors red, warnings yellow (the severity column holds the translated word)."""
    severity = json.dumps(t(REPORT_FIELDS["severity"]))
    return {
        f"bsc-row-{key}": f"params.data[{severity}] === {json.dumps(t(text))}"
        for key, text in SEVERITY_LABELS.items()
    }


def history_columns() -> list[dict[str, Any]]:
    """The upload history's grid: each file name links to the file as it was uploaded."""
    upload = t(HISTORY_FIELDS["upload"])
    widths: dict[str, dict[str, Any]] = {
        "upload": {"width": 90, "type": "rightAligned"},
        "when": {"width": 170},
        "member": {"width": 100},
        "who": {"width": 110},
        "source": {"width": 120},
        "file": {
            "flex": 2,
            "minWidth": 180,
            "cellRenderer": "UploadFile",
            "cellRendererParams": {"uploadField": upload},
        },
        "status": {"width": 110},
    }
    number = {"width": 105, "type": "rightAligned", "valueFormatter": NUMBER_FORMAT}
    return [
        {"field": t(text), "headerName": t(text), **widths.get(field, number)}
        for field, text in HISTORY_FIELDS.items()
    ]


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
