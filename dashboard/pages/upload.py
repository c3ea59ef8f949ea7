"""``/upload``: drop a KPI feed, see it as the product understood it, fix or apply it.

Members upload for themselves; the program office chooses the member (or lets the file name its
members). Every check runs the real ingest service as a dry run; Apply runs it for real: at once
for a small file, as a background job with a progress bar for a large one
(``BSC_BACKGROUND_INGEST_BYTES``). The validation report and the upload history are registered
tables (:mod:`dashboard.figures.uploads`): they export as CSV and XLSX like any other.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from bsc.authz import Principal, can_run_programme, require
from bsc.db import STORAGE_ERRORS, storage_problem
from bsc.errors import BscError, Forbidden, NotFound
from bsc.i18n import N_, t
from bsc.repo import visible_members
from bsc.services.ingest import ingest_feed, upload_scope
from bsc.services.ingest_jobs import INGEST, submit_ingest
from bsc.services.jobs import job_view
from bsc.services.results import IngestReport
from bsc.services.uploads import list_mapping_templates, save_mapping_template
from dashboard import ids
from dashboard import uploads as view
from dashboard.access import Access
from dashboard.auth import require_principal
from dashboard.components.dropdown import dropdown
from dashboard.components.exportable import export_params, grid, table_card, table_ids
from dashboard.components.jobs import JOB_STARTED_OUTPUTS, job_of, job_panel, job_started
from dashboard.figures.uploads import keep_check, report_frame
from dashboard.layout import page_title, protected
from dashboard.names import member_label
from dashboard.registry import ExportContext, build_table
from dashboard.state import app_state, read_session, write_session
from kpi.feeds import FeedOptions

dash.register_page(
    __name__, path="/upload", name=N_("Upload"), nav_order=40, access=Access.UPLOADER
)

_GRID_DEFAULTS = {"resizable": True, "sortable": True, "flex": 1, "minWidth": 80}
_HISTORY = table_ids("upload_history")
_REPORT = table_ids("upload_report")


def _map_id(field: str) -> dict[str, str]:
    return {"type": ids.UPLOAD_MAP_TYPE, "field": field}


@protected(Access.UPLOADER)
def layout(principal: Principal, **_query: str) -> html.Div:
    with read_session() as session:
        members = visible_members(session, principal=principal)
    office = can_run_programme(principal)
    member_choice = dropdown(
        id=ids.UPLOAD_MEMBER,
        options=[{"label": member_label(m), "value": m.code} for m in members],
        value=None if office else principal.member_code,
        disabled=not office,
        clearable=office,
        placeholder=t("Members named in the file"),
    )
    return html.Div(
        [
            page_title(t("Upload")),
            dbc.Row(
                [
                    dbc.Col([dbc.Label(t("Member")), member_choice], md=4),
                    dbc.Col(
                        [
                            dbc.Label(t("Mapping template")),
                            dropdown(id=ids.UPLOAD_TEMPLATE, placeholder=t("None")),
                        ],
                        md=4,
                    ),
                ],
                className="mb-3",
            ),
            dcc.Upload(
                html.Div(
                    [
                        html.Strong(t("Drag and drop a KPI file here, or click to choose one")),
                        html.Div(t("CSV, TSV, TXT, XLSX or XLS; long or wide"), className="small"),
                    ]
                ),
                id=ids.UPLOAD_FILE,
                className="bsc-dropzone mb-2",
                max_size=app_state().settings.max_upload_bytes,
            ),
            html.Div(id=ids.UPLOAD_FILENAME, className="text-muted small mb-2"),
            _options_panel(),
            html.Div(id=ids.UPLOAD_SUMMARY, className="mb-2"),
            html.H3(t("Preview"), className="h6 mt-3"),
            grid(
                ids.UPLOAD_PREVIEW,
                row_data=[],
                column_defs=view.preview_columns(),
                height=280,
                defaultColDef=_GRID_DEFAULTS,
            ),
            html.Div(
                table_card(
                    "upload_report",
                    height=240,
                    column_defs=view.issue_columns(),
                    grid_props={
                        "defaultColDef": _GRID_DEFAULTS,
                        "rowClassRules": view.issue_row_classes(),
                    },
                ),
                id=ids.UPLOAD_ISSUES,
                className="mt-3",
            ),
            dbc.Button(
                t("Apply"), id=ids.UPLOAD_APPLY, color="primary", disabled=True, className="mt-3"
            ),
            html.Div(id=ids.UPLOAD_RESULT, className="mt-2"),
            job_panel(principal, kinds=[INGEST]),
            html.Div(
                table_card(
                    "upload_history",
                    height=320,
                    column_defs=view.history_columns(),
                    grid_props={"defaultColDef": {"resizable": True, "sortable": True}},
                    row_data=[],  # filled for the chosen member as the page opens
                ),
                id=ids.UPLOAD_HISTORY,
                className="mt-4",
            ),
        ]
    )


def _options_panel() -> dbc.Card:
    mapping = [
        dbc.Col(
            [
                dbc.Label(t(label), size="sm"),
                dropdown(id=_map_id(field), placeholder=t("detect")),
            ],
            md=3,
        )
        for field, label in zip(
            view.MAPPED_FIELDS,
            (N_("Member column"), N_("KPI column"), N_("Period column"), N_("Value column")),
            strict=True,
        )
    ]
    reading = [
        (ids.UPLOAD_ENCODING, N_("Encoding"), "text", t("detect")),
        (ids.UPLOAD_HEADER_ROW, N_("Header line"), "number", t("detect")),
        (ids.UPLOAD_PERIOD_FORMAT, N_("Period format"), "text", "%R%m, %d/%m/%Y …"),
        (ids.UPLOAD_SCALE, N_("Scale"), "number", "1"),
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(mapping, className="mb-2"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(t(label), size="sm"),
                                dbc.Input(id=key, type=kind, placeholder=hint, size="sm"),
                            ],
                            md=3,
                        )
                        for key, label, kind, hint in reading
                    ],
                    className="mb-2",
                ),
                dbc.Checkbox(
                    id=ids.UPLOAD_IGNORE_UNKNOWN,
                    label=t("Ignore rows of organisations outside the programme"),
                    value=False,
                ),
                dbc.Row(
                    [
                        dbc.Col(dbc.Button(t("Check again"), id=ids.UPLOAD_CHECK, size="sm")),
                        dbc.Col(
                            dbc.InputGroup(
                                [
                                    dbc.Input(
                                        id=ids.UPLOAD_TEMPLATE_NAME,
                                        placeholder=t("Template name"),
                                        size="sm",
                                    ),
                                    dbc.Button(
                                        t("Save mapping"),
                                        id=ids.UPLOAD_TEMPLATE_SAVE,
                                        size="sm",
                                        outline=True,
                                    ),
                                ],
                                size="sm",
                            ),
                            md=5,
                        ),
                        dbc.Col(html.Span(id=ids.UPLOAD_TEMPLATE_RESULT, className="small")),
                    ],
                    className="mt-2",
                ),
            ]
        ),
        className="mb-3",
    )


_FORM = [
    State(ids.UPLOAD_ENCODING, "value"),
    State(ids.UPLOAD_HEADER_ROW, "value"),
    State(ids.UPLOAD_PERIOD_FORMAT, "value"),
    State(ids.UPLOAD_SCALE, "value"),
    State(ids.UPLOAD_IGNORE_UNKNOWN, "value"),
    State({"type": ids.UPLOAD_MAP_TYPE, "field": ALL}, "value"),
]


def require_uploader(member: str | None) -> Principal:
    """The signed-in user, if they may upload for ``member`` (else Forbidden, answered 403):
    checked before a callback decides there is nothing to do, so a refusal never looks empty."""
    principal = require_principal()
    with read_session() as session:
        try:
            upload_scope(session, actor=principal, member_code=member or None)
        except NotFound:
            # A member learns nothing about other codes; the program office sees the message
            # when the upload itself runs.
            require(
                not principal.is_member,
                N_("uploading KPI feeds for member {member}"),
                member=member,
            )
    return principal


def _options(form: tuple[Any, ...], *, use_mapping: bool) -> FeedOptions:
    encoding, header_row, period_format, scale, ignore, columns = form
    mapping = dict(zip(view.MAPPED_FIELDS, columns, strict=True)) if use_mapping else {}
    return view.feed_options(
        mapping=mapping,
        encoding=encoding,
        header_row=header_row,
        period_format=period_format,
        scale=scale,
        ignore_unknown=ignore,
    )


def _run(
    *,
    data: bytes,
    filename: str | None,
    member: str | None,
    template: str | None,
    form: tuple[Any, ...],
    use_mapping: bool,
    dry_run: bool,
) -> IngestReport:
    """Run the ingest service on the page's file and form for the signed-in user."""
    principal = require_principal()
    options = _options(form, use_mapping=use_mapping)
    settings = app_state().settings
    # A dry run only reads: it must not hold SQLite's write lock while a file is checked.
    with read_session() if dry_run else write_session() as session:
        return ingest_feed(
            session,
            data=data,
            filename=filename or "upload",
            actor=principal,
            source="web",
            member_code=member or None,
            options=options,
            template=template or None,
            dry_run=dry_run,
            limits=settings.limits,
        )


_CHECK_OUTPUTS = [
    Output(ids.UPLOAD_SUMMARY, "children"),
    Output(ids.UPLOAD_PREVIEW, "rowData"),
    Output(_REPORT["grid"], "rowData"),
    Output(_REPORT["params"], "data"),
    Output(ids.UPLOAD_APPLY, "disabled"),
    Output({"type": ids.UPLOAD_MAP_TYPE, "field": ALL}, "options"),
    Output({"type": ids.UPLOAD_MAP_TYPE, "field": ALL}, "value"),
    Output(ids.UPLOAD_FILENAME, "children"),
    Output(ids.UPLOAD_RESULT, "children"),
]


@callback(
    *_CHECK_OUTPUTS,
    Input(ids.UPLOAD_FILE, "contents"),
    Input(ids.UPLOAD_MEMBER, "value"),
    Input(ids.UPLOAD_TEMPLATE, "value"),
    State(ids.UPLOAD_FILE, "filename"),
    *_FORM,
    prevent_initial_call=True,
)
def check_file(
    contents: str | None,
    member: str | None,
    template: str | None,
    filename: str | None,
    *form: Any,
) -> tuple[Any, ...]:
    """Validate a newly dropped file as a dry run, guessing its columns afresh."""
    return _check(contents, member, template, filename, form, use_mapping=False)


@callback(
    *[Output(o.component_id, o.component_property, allow_duplicate=True) for o in _CHECK_OUTPUTS],
    Input(ids.UPLOAD_CHECK, "n_clicks"),
    State(ids.UPLOAD_FILE, "contents"),
    State(ids.UPLOAD_MEMBER, "value"),
    State(ids.UPLOAD_TEMPLATE, "value"),
    State(ids.UPLOAD_FILE, "filename"),
    *_FORM,
    prevent_initial_call=True,
)
def check_again(
    clicks: int | None,
    contents: str | None,
    member: str | None,
    template: str | None,
    filename: str | None,
    *form: Any,
) -> tuple[Any, ...]:
    """Validate the file again with the columns and options the user chose."""
    require_uploader(member)
    if not clicks:
        raise PreventUpdate
    return _check(contents, member, template, filename, form, use_mapping=True)


def _check(
    contents: str | None,
    member: str | None,
    template: str | None,
    filename: str | None,
    form: tuple[Any, ...],
    *,
    use_mapping: bool,
) -> tuple[Any, ...]:
    require_uploader(member)
    if not contents:
        raise PreventUpdate
    try:
        report = _run(
            data=view.decode_contents(contents),
            filename=filename,
            member=member,
            template=template,
            form=form,
            use_mapping=use_mapping,
            dry_run=True,
        )
    except Forbidden:
        raise
    except BscError as exc:
        alert = dbc.Alert(str(exc), color="danger")
        empty: list[list[dict[str, str]]] = [[] for _ in view.MAPPED_FIELDS]
        none = [None for _ in view.MAPPED_FIELDS]
        return alert, [], [], export_params("upload_report"), True, empty, none, filename, None
    color = "danger" if report.rejected else "info"
    choices = [{"label": text, "value": text} for text in report.header if text]
    # The report stays at hand (for this user, an hour) so that it exports like any table.
    check = keep_check(require_principal(), report.issues)
    return (
        dbc.Alert(view.summary_text(report), color=color, id="upload-summary-text"),
        report.preview,
        report_frame(report.issues).to_dict("records"),
        export_params("upload_report", check=check),
        report.rejected,
        [choices for _ in view.MAPPED_FIELDS],
        [report.columns.get(field) for field in view.MAPPED_FIELDS],
        filename,
        None,  # the outcome of the previous Apply no longer applies
    )


@callback(
    Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
    Output(ids.UPLOAD_APPLY, "disabled", allow_duplicate=True),
    Output(_HISTORY["grid"], "rowData", allow_duplicate=True),
    *JOB_STARTED_OUTPUTS,
    Input(ids.UPLOAD_APPLY, "n_clicks"),
    State(ids.UPLOAD_FILE, "contents"),
    State(ids.UPLOAD_FILE, "filename"),
    State(ids.UPLOAD_MEMBER, "value"),
    State(ids.UPLOAD_TEMPLATE, "value"),
    *_FORM,
    prevent_initial_call=True,
)
def apply_file(
    clicks: int | None,
    contents: str | None,
    filename: str | None,
    member: str | None,
    template: str | None,
    *form: Any,
) -> tuple[Any, ...]:
    """Store the checked file, all or nothing, and refresh the history; a large file goes to a
    background job that the jobs panel follows."""
    require_uploader(member)
    if not clicks or not contents:
        raise PreventUpdate
    data = view.decode_contents(contents)
    if len(data) >= app_state().settings.background_ingest_bytes:
        with write_session() as session:
            job = submit_ingest(
                session,
                actor=require_principal(),
                data=data,
                filename=filename or "upload",
                member_code=member or None,
                options=_options(form, use_mapping=True),
                template=template or None,
            )
        alert = dbc.Alert(
            t(
                "Applying {filename} in the background: follow it below, or come back later.",
                filename=filename or "upload",
            ),
            color="info",
            id="upload-result-text",
        )
        return alert, True, dash.no_update, *job_started(job)
    try:
        report = _run(
            data=data,
            filename=filename,
            member=member,
            template=template,
            form=form,
            use_mapping=True,
            dry_run=False,
        )
    except STORAGE_ERRORS as error:
        message = storage_problem(error)
        if message is None:
            raise
        alert = dbc.Alert(message, color="danger", id="upload-result-text")
        return alert, False, dash.no_update, dash.no_update, dash.no_update
    color = "danger" if report.rejected else "success"
    alert = dbc.Alert(view.summary_text(report), color=color, id="upload-result-text")
    return alert, True, upload_history(member), dash.no_update, dash.no_update


@callback(
    Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
    Output(_HISTORY["grid"], "rowData", allow_duplicate=True),
    Input(ids.JOB_DONE, "data"),
    State(ids.UPLOAD_MEMBER, "value"),
    prevent_initial_call=True,
)
def show_job_outcome(job_ref: dict[str, str] | None, member: str | None) -> tuple[Any, Any]:
    """What a background upload did, once it has ended (or when chosen in the jobs list)."""
    job = job_of(job_ref)
    stale_after = timedelta(minutes=app_state().settings.job_stale_minutes)
    return view.job_outcome(job, job_view(job, stale_after=stale_after)), upload_history(member)


@callback(
    Output(_HISTORY["grid"], "rowData"),
    Output(_HISTORY["params"], "data"),
    Output(ids.UPLOAD_TEMPLATE, "options"),
    Input(ids.UPLOAD_MEMBER, "value"),
)
def member_changed(member: str | None) -> tuple[Any, dict[str, Any], list[dict[str, str]]]:
    """The chosen member's upload history and saved mapping templates."""
    principal = require_principal()
    with read_session() as session:
        templates = (
            list_mapping_templates(session, principal=principal, member_code=member)
            if member
            else []
        )
    options = [{"label": x.name, "value": x.name} for x in templates]
    return upload_history(member), export_params("upload_history", member=member or None), options


def upload_history(member: str | None) -> list[dict[Any, Any]]:
    """The rows of the upload history (of ``member``, else all the user may see)."""
    with read_session() as session:
        context = ExportContext(session, require_principal(), params={"member": member or None})
        return build_table("upload_history", context).to_dict("records")


@callback(
    Output(ids.UPLOAD_TEMPLATE_RESULT, "children"),
    Output(ids.UPLOAD_TEMPLATE, "options", allow_duplicate=True),
    Input(ids.UPLOAD_TEMPLATE_SAVE, "n_clicks"),
    State(ids.UPLOAD_TEMPLATE_NAME, "value"),
    State(ids.UPLOAD_MEMBER, "value"),
    State({"type": ids.UPLOAD_MAP_TYPE, "field": ALL}, "value"),
    prevent_initial_call=True,
)
def save_template(
    clicks: int | None, name: str | None, member: str | None, columns: list[str | None]
) -> tuple[str, Any]:
    """Save the chosen columns as the member's mapping template."""
    principal = require_uploader(member)
    if not clicks:
        raise PreventUpdate
    mapping = {f: c for f, c in zip(view.MAPPED_FIELDS, columns, strict=True) if c}
    try:
        with write_session() as session:
            save_mapping_template(
                session,
                member_code=member or "",
                name=name or "",
                mapping=mapping,
                actor=principal,
                source="web",
            )
            templates = list_mapping_templates(
                session, principal=principal, member_code=member or ""
            )
    except Forbidden:
        raise
    except BscError as exc:
        return str(exc), dash.no_update
    options = [{"label": x.name, "value": x.name} for x in templates]
    return t("Saved mapping template {name}.", name=name), options
