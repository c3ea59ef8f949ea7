"""File imports on a page: a drop zone per kind of file and the report of what happened.

A page places :func:`upload_box` for each kind it accepts and registers one callback for them
(its ids carry the page, so pages never share a callback) that calls :func:`run_upload`. The
import runs through the same service as ``bsc … import``: all or nothing, audited, and a rejected
file comes back with every problem by line, column and reason.
"""

from __future__ import annotations

import base64
import binascii
import importlib
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from bsc.authz import can_run_programme, require
from bsc.errors import BscError, Forbidden
from bsc.i18n import N_, label, t
from bsc.services.results import ImportResult
from dashboard.auth import require_principal
from dashboard.state import app_state, write_session

__all__ = ["IMPORTERS", "upload_ids", "upload_box", "run_upload", "import_report"]

#: Each kind of file: its title, the service that imports it ("module.function") and its columns.
IMPORTERS: dict[str, tuple[str, str, str]] = {
    "pest_factors": (
        N_("PEST factors"),
        "bsc.services.pest.import_factors",
        "code, category, name, name_zh, description, objectives (C1;P2)",
    ),
    "pest_ratings": (
        N_("PEST ratings"),
        "bsc.services.pest.import_ratings",
        "factor, quarter, impact, likelihood, rater, note",
    ),
    "waves": (
        N_("Rollout waves"),
        "bsc.services.rollout.import_waves",
        "code, name, sequence, planned_start, gate_green_share, gate_live_share",
    ),
    "rollout": (
        N_("Rollout plan"),
        "bsc.services.rollout.import_stages",
        "member, wave, stage, planned_start, planned_end, actual_start, actual_end, "
        "percent_complete, note",
    ),
    "survey_items": (
        N_("Survey items"),
        "bsc.services.survey.import_items",
        "code, text, text_zh, category",
    ),
    "survey_responses": (
        N_("Survey responses"),
        "bsc.services.survey.import_responses",
        "member, item, demand, willingness, comment",
    ),
    "vendor_criteria": (
        N_("Vendor criteria"),
        "bsc.services.vendors.import_criteria",
        "code, name, name_zh, weight",
    ),
    "vendor_scores": (
        N_("Vendor scores"),
        "bsc.services.vendors.import_scores",
        "vendor, vendor_name, criterion, expert, score",
    ),
    "vendor_decision": (
        N_("Vendor decision"),
        "bsc.services.vendors.import_decision",
        "vendor, reason",
    ),
}


def upload_ids(page: str, kind: Any) -> dict[str, dict[str, Any]]:
    """Ids of one drop zone (``kind`` may be ``MATCH`` in a callback)."""
    return {
        part: {"type": f"programme-upload-{part}", "page": page, "kind": kind}
        for part in ("upload", "result", "done")
    }


def upload_box(page: str, kind: str) -> html.Div:
    """A drop zone for one kind of file (CSV or Excel), with the place its report appears."""
    ids = upload_ids(page, kind)
    title, _service, columns = IMPORTERS[kind]
    hint = html.Small(
        [t("Drop or click to choose a CSV or Excel file with columns:"), " ", html.Code(columns)],
        className="text-muted",
    )
    return html.Div(
        [
            dcc.Upload(
                html.Div([html.Strong(t(title)), html.Br(), hint]),
                id=ids["upload"],
                accept=".csv,.tsv,.txt,.xlsx,.xls",
                className="bsc-upload border rounded p-2 text-center",
                style={"borderStyle": "dashed", "cursor": "pointer"},
            ),
            html.Div(id=ids["result"], className="mt-2"),
            dcc.Store(id=ids["done"], data=0),
        ],
        className="mb-3",
    )


def import_report(result: ImportResult, filename: str) -> dbc.Alert:
    """What an import did, or every problem of a rejected file."""
    if not result.rejected:
        return dbc.Alert(
            t(
                "{file}: {created} created, {updated} updated, {unchanged} unchanged.",
                file=filename,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            ),
            color="success",
            className="py-2 mb-0",
        )
    header = html.Thead(
        html.Tr(
            [
                html.Th(t(text))
                for text in (N_("Line"), N_("Column"), N_("Value"), N_("Reason"), N_("Problem"))
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td("" if issue.line is None else str(issue.line)),
                html.Td(issue.column or ""),
                html.Td(issue.value or ""),
                html.Td(label(issue.reason)),
                html.Td(t(issue.message)),
            ]
        )
        for issue in result.issues
    ]
    return dbc.Alert(
        [
            html.Div(
                t("{file} was rejected; nothing was stored.", file=filename),
                className="fw-semibold",
            ),
            dbc.Table([header, html.Tbody(rows)], size="sm", className="mb-0 mt-2 bsc-issues"),
        ],
        color="danger",
        className="py-2 mb-0",
    )


def run_upload(
    kind: str, contents: str | None, filename: str | None, done: int | None
) -> tuple[Any, int]:
    """Import an uploaded file of ``kind`` as the signed-in user: (report, new ``done`` count).

    The ``done`` count rises only when something was stored, so pages redraw just then.
    """
    principal = require_principal()
    require(can_run_programme(principal), N_("importing programme files"))
    if kind not in IMPORTERS or not contents or not filename:
        return dbc.Alert(
            t("Choose a file to import."), color="warning", className="py-2 mb-0"
        ), done or 0
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        return dbc.Alert(
            t("The file could not be read."), color="danger", className="py-2 mb-0"
        ), done or 0
    module, function = IMPORTERS[kind][1].rsplit(".", 1)
    importer = getattr(importlib.import_module(module), function)
    try:
        with write_session() as session:
            result: ImportResult = importer(
                session,
                data,
                filename,
                actor=principal,
                source="web",
                limits=app_state().settings.limits,
            )
            if result.rejected:
                session.rollback()
    except Forbidden:
        raise
    except BscError as exc:
        return dbc.Alert(str(exc), color="danger", className="py-2 mb-0"), done or 0
    changed = not result.rejected and (result.created or result.updated)
    return import_report(result, filename), (done or 0) + (1 if changed else 0)
