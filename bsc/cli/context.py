"""What every ``bsc`` command shares: settings, the engine, the acting user, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from bsc.authz import OPERATOR, Principal
from bsc.settings import Settings, get_settings
from kpi.issues import Issue

if TYPE_CHECKING:
    from sqlmodel import Session

    from bsc.services.results import ImportResult
    from kpi.reading import Limits

__all__ = [
    "CliState",
    "state",
    "fail",
    "print_issues",
    "print_json",
    "console",
    "err_console",
    "OutputFormat",
    "FileArgument",
    "FormatOption",
    "run_import",
]

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


FileArgument = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX file.")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Report format.")]


@dataclass
class CliState:
    db: str | None = None
    home: Path | None = None
    acting_user: str | None = None
    _engine: Engine | None = field(default=None, repr=False)

    @cached_property
    def settings(self) -> Settings:
        return get_settings(database_url=self.db, home=self.home)

    def engine(self, *, migrate: bool = False) -> Engine:
        """The engine; fails with advice when the database is not at the current schema."""
        if self._engine is None:
            from bsc import migrate as migrations
            from bsc.db import engine_for

            engine = engine_for(self.settings)
            if migrate:
                migrations.upgrade(engine)
            elif migrations.current_revision(engine) != migrations.head_revision():
                fail(
                    f"the database at {engine.url.render_as_string(hide_password=True)} is not "
                    "initialised or is out of date; run `bsc init` first"
                )
            self._engine = engine
        return self._engine

    def close(self) -> None:
        """Release pooled connections when the command ends."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def principal(self) -> Principal:
        """The acting user: ``--as USER``, else the operator at the server's shell."""
        if not self.acting_user:
            return OPERATOR
        from bsc.db import session_scope
        from bsc.repo import find_user
        from bsc.services.users import principal_for

        with session_scope(self.engine(), write=False) as session:
            user = find_user(session, username=self.acting_user)
            if user is None or not user.active:
                fail(f"--as {self.acting_user}: no active user of that name")
            return principal_for(session, user)

    def require_admin(self, what: str) -> Principal:
        """The acting user, if an admin (the operator is one); else exit 1 saying so."""
        from bsc.authz import can_administer

        principal = self.principal()
        if not can_administer(principal):
            fail(f"not allowed: {what} needs an admin")
        return principal


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_issues(issues: Iterable[Issue], *, title: str) -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    for heading in ("line", "column", "value", "reason", "message"):
        table.add_column(heading, overflow="fold")
    for issue in issues:
        table.add_row(
            "" if issue.line is None else str(issue.line),
            issue.column or "",
            issue.value or "",
            f"[{'red' if issue.severity == 'error' else 'yellow'}]{issue.reason}[/]",
            issue.message,
        )
    err_console.print(table)


def run_import(
    ctx: typer.Context,
    file: Path,
    fmt: OutputFormat,
    importer: Callable[[Session, bytes, Principal, Limits], ImportResult],
    *,
    what: str,
) -> None:
    """Run ``importer`` on FILE in one transaction as the acting user, print the report, and
    exit 1 (storing nothing) when the file is rejected."""
    from bsc.db import session_scope
    from bsc.errors import BscError

    cli = state(ctx)
    actor = cli.principal()
    data = file.read_bytes()
    try:
        with session_scope(cli.engine()) as session:
            result = importer(session, data, actor, cli.settings.limits)
            if result.rejected:
                session.rollback()
    except BscError as exc:
        fail(str(exc))
    if fmt is OutputFormat.JSON:
        print_json(result.to_dict())
    elif result.rejected:
        print_issues(result.issues, title=f"{file.name}: rejected, nothing stored")
    else:
        console.print(
            f"{file.name}: {what} created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}",
            highlight=False,
        )
    if result.rejected:
        raise typer.Exit(1)
