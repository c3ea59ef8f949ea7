"""``bsc maps …``: map files (validate, import, export) and versions (list, publish, restore).

Without ``--member`` a command works on the acting member user's own map, or (for the programme
roles) on the programme template.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bsc.cli.context import CliState, console, err_console, fail, print_json, state
from bsc.i18n import N_, label, t

if TYPE_CHECKING:
    from bsc.services.maps import MapResult
    from strategy_maps.issues import MapIssue

app = typer.Typer(help="Strategy maps: files, versions, publishing.", no_args_is_help=True)


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class FileFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


#: What a save, publish or restore did (MapResult.status), as the CLI says it.
_STATUSES = {
    "saved": N_("saved"),
    "published": N_("published"),
    "unchanged": N_("unchanged"),
    "rejected": N_("rejected"),
}


MapFile = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="Map file, YAML or JSON."),
]
MemberOption = Annotated[
    str | None,
    typer.Option(
        "--member",
        help="Member code, or 'template' for the programme template (default: your own map as "
        "a member user, else the programme template).",
    ),
]
ReportOption = Annotated[ReportFormat, typer.Option("--format", help="Report format.")]
VersionOption = Annotated[int, typer.Option("--version", min=1, help="Version number.")]


def _target(cli: CliState, member: str | None) -> str | None:
    return member or cli.principal().member_code


def print_map_issues(issues: list[MapIssue], *, title: str) -> None:
    """The issues as a table on stderr, in the current language."""
    table = Table(title=title, title_justify="left")
    for heading in (N_("Severity"), N_("Rule"), N_("Objectives"), N_("Line"), N_("Message")):
        table.add_column(t(heading), overflow="fold")
    for issue in issues:
        colour = "red" if issue.is_error else "yellow"
        table.add_row(
            f"[{colour}]{label(issue.severity)}[/]",
            label(issue.rule),
            escape(", ".join(issue.objectives)),
            "" if issue.line is None else str(issue.line),
            escape(t(issue.message)),
        )
    err_console.print(table)


def _known_kpis(cli: CliState, member: str | None) -> set[str] | None:
    """KPI codes of the catalogue when an initialised database is at hand, else None."""
    from bsc import migrate
    from bsc.authz import can_read_member
    from bsc.db import make_engine, session_scope
    from bsc.repo import find_member
    from bsc.services.map_store import kpi_ids

    url = cli.settings.sqlalchemy_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    engine = make_engine(url)
    try:
        if migrate.current_revision(engine) != migrate.head_revision():
            return None
        with session_scope(engine, write=False) as session:
            found = find_member(session, code=member) if member else None
            if member and found is None:
                fail(t("no member with code {code!r}; `bsc members list` shows them", code=member))
            # A member's own KPI codes are its data: --as USER sees only what USER may.
            if cli.acting_user:
                principal = cli.principal()
                if found is not None and not can_read_member(principal, found.id or 0):
                    fail(t("not allowed: the KPI catalogue of member {member}", member=member))
            return set(kpi_ids(session, member_id=None if found is None else found.id))
    finally:
        engine.dispose()


@app.command("validate")
def validate(
    ctx: typer.Context,
    file: MapFile,
    member: MemberOption = None,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Do not check KPI codes against the database's catalogue."),
    ] = False,
    fmt: ReportOption = ReportFormat.TEXT,
) -> None:
    """Check FILE: errors (exit 1) and warnings (exit 0), each naming its objectives."""
    from strategy_maps.errors import MapFormatError
    from strategy_maps.io import read_map
    from strategy_maps.validation import validate as check

    cli = state(ctx)
    try:
        document, issues = read_map(file.read_bytes(), filename=file.name)
    except MapFormatError as exc:
        fail(t("{file}: {problem}", file=file.name, problem=t(exc.text)))
    known = None if offline else _known_kpis(cli, member or document.member)
    issues = [*issues, *check(document, known_kpis=known)]
    errors = [issue for issue in issues if issue.is_error]
    if fmt is ReportFormat.JSON:
        print_json(
            {
                "file": file.name,
                "valid": not errors,
                "kpis_checked": known is not None,
                "issues": [issue.to_dict(t) for issue in issues],
            }
        )
    else:
        if issues:
            print_map_issues(
                issues, title=t("{file}: {errors} errors", file=file.name, errors=len(errors))
            )
        if known is None and not offline:
            note = t(
                "KPI codes not checked: no initialised database (run `bsc init` and import the "
                "catalogue, or pass --offline)"
            )
            heading = t("note:")
            err_console.print(f"[yellow]{heading}[/] {escape(note)}", highlight=False)
        verdict = "[red]" + t("invalid") + "[/]" if errors else "[green]" + t("valid") + "[/]"
        summary = t(
            "{file}: {verdict}, {objectives} objectives, {links} links, {errors} errors, "
            "{warnings} warnings",
            file=escape(file.name),
            verdict=verdict,
            objectives=len(document.objectives),
            links=len(document.links),
            errors=len(errors),
            warnings=len(issues) - len(errors),
        )
        console.print(summary, highlight=False)
    if errors:
        raise typer.Exit(1)


def _report(result: MapResult, fmt: ReportFormat, what: str) -> None:
    if fmt is ReportFormat.JSON:
        print_json(result.to_dict())
    else:
        if result.issues:
            title = (
                t("{file}: rejected, nothing stored", file=what)
                if result.rejected
                else t("{file}: warnings", file=what)
            )
            print_map_issues(result.issues, title=title)
        if not result.rejected:
            console.print(
                t(
                    "{what}: {owner} version {version} {status} ({changes} changes)",
                    what=what,
                    owner=result.member or t("programme template"),
                    version=result.version,
                    status=t(_STATUSES.get(result.status, result.status)),
                    changes=len(result.changes),
                ),
                highlight=False,
                markup=False,
            )
    if result.rejected:
        raise typer.Exit(1)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: MapFile,
    member: MemberOption = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Publish the new version (scoring uses it).")
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="Why this version.")] = None,
    fmt: ReportOption = ReportFormat.TEXT,
) -> None:
    """Save FILE as a new version of a map (a draft unless --publish); all or nothing."""
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.maps import import_map

    cli = state(ctx)
    actor = cli.principal()
    try:
        with session_scope(cli.engine()) as session:
            result = import_map(
                session,
                file.read_bytes(),
                file.name,
                actor=actor,
                source="cli",
                member_code=member,
                publish=publish,
                note=note,
            )
            if result.rejected:
                session.rollback()
    except BscError as exc:
        fail(str(exc))
    _report(result, fmt, file.name)


@app.command("export")
def export(
    ctx: typer.Context,
    member: MemberOption = None,
    fmt: Annotated[FileFormat, typer.Option("--format", help="File format.")] = FileFormat.YAML,
    version: Annotated[
        int | None,
        typer.Option("--version", min=1, help="Version (default: the published, else the latest)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not to stdout.")
    ] = None,
) -> None:
    """Print a map as YAML or JSON, in the format `bsc maps import` reads."""
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.maps import current_map, load_map
    from strategy_maps.io import MapFormat, dump_map

    cli = state(ctx)
    actor = cli.principal()
    target = _target(cli, member)
    try:
        with session_scope(cli.engine(), write=False) as session:
            stored = None
            if version is None:
                stored = current_map(session, principal=actor, member_code=target)
            if stored is None:
                stored = load_map(session, principal=actor, member_code=target, version=version)
    except BscError as exc:
        fail(str(exc))
    if stored is None:
        fail(
            t(
                "{owner} has no such map version; see `bsc maps list`",
                owner=target or t("the programme template"),
            )
        )
    text = dump_map(stored.document, MapFormat(fmt.value))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(
            t("wrote {file} (version {version})", file=output, version=stored.version),
            highlight=False,
            markup=False,
        )


@app.command("list")
def list_versions(
    ctx: typer.Context, member: MemberOption = None, fmt: ReportOption = ReportFormat.TEXT
) -> None:
    """The versions of a map, newest first."""
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.maps import map_history

    cli = state(ctx)
    actor = cli.principal()
    try:
        with session_scope(cli.engine(), write=False) as session:
            rows = map_history(session, principal=actor, member_code=_target(cli, member))
    except BscError as exc:
        fail(str(exc))
    if fmt is ReportFormat.JSON:
        print_json(rows)
        return
    table = Table()
    for heading in (
        N_("Version"),
        N_("Status"),
        N_("Name"),
        N_("By"),
        N_("Saved"),
        N_("Published"),
        N_("Note"),
    ):
        table.add_column(t(heading))
    for row in rows:
        table.add_row(
            str(row["version"]),
            label(row["status"]),
            escape(row["name"]),
            escape(row["created_by"] or ""),
            f"{row['created_at']:%Y-%m-%d %H:%M}",
            "" if row["published_at"] is None else f"{row['published_at']:%Y-%m-%d %H:%M}",
            escape(row["note"] or ""),
        )
    console.print(table)


def _change_version(ctx: typer.Context, member: str | None, version: int, *, restore: bool) -> None:
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.maps import publish_map, restore_map

    cli = state(ctx)
    actor = cli.principal()
    target = _target(cli, member)
    action = restore_map if restore else publish_map
    try:
        with session_scope(cli.engine()) as session:
            result = action(session, actor=actor, source="cli", member_code=target, version=version)
            if result.rejected:
                session.rollback()
    except BscError as exc:
        fail(str(exc))
    _report(result, ReportFormat.TEXT, t("version {version}", version=version))


@app.command("publish")
def publish(ctx: typer.Context, version: VersionOption, member: MemberOption = None) -> None:
    """Publish a version: scoring uses it; the version published before is archived."""
    _change_version(ctx, member, version, restore=False)


@app.command("restore")
def restore(ctx: typer.Context, version: VersionOption, member: MemberOption = None) -> None:
    """Save a copy of an earlier version as the newest draft (nothing is lost)."""
    _change_version(ctx, member, version, restore=True)
