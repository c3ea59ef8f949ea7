"""``bsc ingest FILE``: upload a KPI feed from the shell, and ``bsc export data`` (registered
on the ``bsc export`` group).

Exit codes: 0 applied (or a clean dry run), 1 rejected (the report is printed), 2 usage.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bsc.cli.context import console, err_console, fail, print_issues, print_json, state
from bsc.i18n import t

if TYPE_CHECKING:
    from bsc.services.results import IngestReport


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class DataFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, separator, column = pair.partition("=")
        if not separator or not field.strip() or not column.strip():
            raise typer.BadParameter(
                t(
                    "{pair!r} is not FIELD=COLUMN (e.g. value=本月營收 or NEW_REVENUE=當月營收)",
                    pair=pair,
                ),
                param_hint="--map",
            )
        mapping[field.strip()] = column.strip()
    return mapping


def ingest(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="The feed: CSV, TSV, TXT, XLSX or XLS, long or wide.",
        ),
    ],
    member: Annotated[
        str | None,
        typer.Option(
            "--member",
            help="Upload as this member: rows of other members are rejected (member_not_allowed).",
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN: read a field (member, kpi, period, value, target, note) from a "
            "column, or a KPI code's values from a column. Repeatable.",
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option("--template", help="Use the member's saved mapping template of this name."),
    ] = None,
    save_template: Annotated[
        str | None,
        typer.Option(
            "--save-template",
            help="Save the mapping (--template and --map together) for the member under this "
            "name when the file is accepted.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Text encoding (utf-8, big5, gb18030, utf-16, …)."),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Workbook sheet (default: the first).")
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row", min=1, help="Line of the header, as a spreadsheet numbers it."
        ),
    ] = None,
    period_format: Annotated[
        str | None,
        typer.Option(
            "--period-format",
            help="How periods are written: %Y year, %R ROC year, %m month, %d day, %q quarter, "
            "%b month name (e.g. %R%m for 11407, %d/%m/%Y).",
        ),
    ] = None,
    scale: Annotated[
        float,
        typer.Option("--scale", help="Multiply every value (1000 for 千元); greater than 0."),
    ] = 1.0,
    ignore_unknown_members: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown-members",
            help="Count rows of organisations outside the programme (and total lines) as "
            "ignored warnings instead of errors.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; store nothing.")
    ] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = (
        ReportFormat.TEXT
    ),
) -> None:
    """Validate a KPI feed and store it all or nothing; print the report."""
    from bsc.db import session_scope
    from bsc.errors import BscError, Forbidden
    from bsc.services.ingest import ingest_feed
    from bsc.services.uploads import save_mapping_template
    from kpi.feeds import FeedOptions

    if scale <= 0:
        raise typer.BadParameter(t("the scale must be greater than 0"), param_hint="--scale")
    cli = state(ctx)
    actor = cli.principal()
    options = FeedOptions(
        mapping=_mapping(mapping or []),
        header_row=header_row,
        period_format=period_format,
        scale=scale,
        ignore_unknown_members=ignore_unknown_members,
        encoding=encoding,
        sheet=sheet,
    )
    data = file.read_bytes()
    try:
        with (
            err_console.status(t("reading, checking and storing {file}…", file=file.name)),
            session_scope(cli.engine()) as session,
        ):
            report = ingest_feed(
                session,
                data=data,
                filename=file.name,
                actor=actor,
                source="cli",
                member_code=member,
                options=options,
                template=template,
                dry_run=dry_run,
                limits=cli.settings.limits,
            )
            if save_template and not report.rejected:
                save_mapping_template(
                    session,
                    member_code=member or actor.member_code or "",
                    name=save_template,
                    mapping={**report.columns, **options.mapping},
                    actor=actor,
                    source="cli",
                )
    except Forbidden as exc:
        fail(str(exc))
    except BscError as exc:
        fail(str(exc), code=2)
    _print_report(report, file.name, fmt)
    if report.rejected:
        raise typer.Exit(1)


def _print_report(report: IngestReport, name: str, fmt: ReportFormat) -> None:
    if fmt is ReportFormat.JSON:
        print_json(report.to_dict())
        return
    if report.rejected:
        print_issues(report.issues, title=t("{file}: rejected, nothing stored", file=name))
        return
    counts = {
        "file": name,
        "layout": report.layout,
        "encoding": report.encoding or t("workbook"),
        "read": report.read,
        "applied": report.applied,
        "unchanged": report.unchanged,
        "empty": report.empty,
        "ignored": report.ignored,
    }
    if report.status == "dry_run":
        summary = t(
            "{file}: dry run ({layout}, {encoding}) — read {read}, would apply {applied}, "
            "unchanged {unchanged}, empty {empty}, ignored {ignored}",
            **counts,
        )
    else:
        summary = t(
            "{file}: applied (upload {upload}, {layout}, {encoding}) — read {read}, applied "
            "{applied}, unchanged {unchanged}, empty {empty}, ignored {ignored}",
            upload=report.upload_id,
            **counts,
        )
    console.print(summary, highlight=False, markup=False)
    if report.issues:
        print_issues(report.issues, title=t("{file}: warnings", file=name))


def export_data(
    ctx: typer.Context,
    member: Annotated[
        str | None,
        typer.Option("--member", help="Only this member (default: every member you may see)."),
    ] = None,
    fmt: Annotated[DataFormat, typer.Option("--format", help="Output format.")] = DataFormat.CSV,
) -> None:
    """Print the stored values: member_code, kpi_code, period, value."""
    import sys

    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.measurements import measurement_table

    cli = state(ctx)
    actor = cli.principal()
    try:
        with session_scope(cli.engine(), write=False) as session:
            table = measurement_table(session, principal=actor, member_code=member)
    except BscError as exc:
        fail(str(exc))
    if fmt is DataFormat.JSON:
        print_json(table.to_dict(orient="records"))
    else:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
