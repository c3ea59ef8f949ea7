"""``bsc members …`` and ``bsc kpis …``: the programme catalogue from CSV or XLSX files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bsc.cli.context import (
    FileArgument,
    FormatOption,
    OutputFormat,
    console,
    print_json,
    run_import,
    state,
)
from bsc.i18n import N_

if TYPE_CHECKING:
    from sqlmodel import Session

    from bsc.authz import Principal
    from bsc.services.results import ImportResult
    from kpi.reading import Limits

members_app = typer.Typer(help="Member organisations of the programme.", no_args_is_help=True)
kpis_app = typer.Typer(help="The KPI catalogue.", no_args_is_help=True)


@members_app.command("import")
def import_members(
    ctx: typer.Context, file: FileArgument, fmt: FormatOption = OutputFormat.TEXT
) -> None:
    """Create or update members from FILE (columns as samples/catalogue/members.csv), by code."""
    from bsc.services.catalogue import import_members as run

    def importer(session: Session, data: bytes, actor: Principal, limits: Limits) -> ImportResult:
        return run(session, data, file.name, actor=actor, source="cli", limits=limits)

    run_import(ctx, file, fmt, importer, what=N_("members"))


@kpis_app.command("import")
def import_kpis(
    ctx: typer.Context,
    file: FileArgument,
    member: Annotated[
        str | None, typer.Option("--member", help="Import as this member's own KPIs.")
    ] = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Create or update KPIs from FILE (columns as samples/catalogue/kpis.csv), by code."""
    from bsc.services.catalogue import import_kpis as run

    def importer(session: Session, data: bytes, actor: Principal, limits: Limits) -> ImportResult:
        return run(
            session, data, file.name, actor=actor, source="cli", member_code=member, limits=limits
        )

    run_import(ctx, file, fmt, importer, what=N_("KPIs"))


@members_app.command("list")
def list_members(ctx: typer.Context, fmt: FormatOption = OutputFormat.TEXT) -> None:
    """List the members you may see."""
    from bsc.db import session_scope
    from bsc.repo import visible_members

    cli = state(ctx)
    actor = cli.principal()
    with session_scope(cli.engine(), write=False) as session:
        rows = [
            {
                "code": m.code,
                "name": m.name,
                "name_zh": m.name_zh,
                "segment": m.segment,
                "region": m.region,
            }
            for m in visible_members(session, principal=actor)
        ]
    if fmt is OutputFormat.JSON:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['code']:<10} {row['name']}  {row['name_zh'] or ''}", highlight=False)


@kpis_app.command("list")
def list_kpis(ctx: typer.Context, fmt: FormatOption = OutputFormat.TEXT) -> None:
    """List the programme-wide KPI catalogue."""
    from bsc.db import session_scope
    from bsc.repo import list_kpis as query

    cli = state(ctx)
    cli.principal()  # --as must name an active user, as for every command
    with session_scope(cli.engine(), write=False) as session:
        rows = [
            {
                "code": k.code,
                "name": k.name,
                "perspective": k.perspective,
                "unit": k.unit,
                "polarity": k.polarity,
                "frequency": k.frequency,
            }
            for k in query(session)
        ]
    if fmt is OutputFormat.JSON:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['code']:<16} {row['perspective']:<10} {row['name']}", highlight=False)
