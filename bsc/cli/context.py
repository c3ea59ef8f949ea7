"""What every ``bsc`` command shares: settings, the engine, the acting user, the language and
output helpers.

What a command prints is in the language of ``--language``, else of the ``--as`` user, else
``BSC_LANGUAGE``; reason, status and other codes of ``--format json`` never change.
"""

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
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import Engine

from bsc import i18n
from bsc.authz import OPERATOR, Principal
from bsc.i18n import N_, label, t
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
    "Language",
    "FileArgument",
    "FormatOption",
    "run_import",
]

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Language(StrEnum):
    EN = "en"
    ZH_TW = "zh-TW"


FileArgument = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX file.")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Report format.")]


@dataclass
class CliState:
    db: str | None = None
    home: Path | None = None
    acting_user: str | None = None
    #: ``--language``: overrides the acting user's language and ``BSC_LANGUAGE``.
    language: str | None = None
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
                    t(
                        "the database at {url} is not initialised or is out of date; run "
                        "`bsc init` first",
                        url=engine.url.render_as_string(hide_password=True),
                    )
                )
            self._engine = engine
        return self._engine

    def close(self) -> None:
        """Release pooled connections when the command ends."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def speak(self) -> None:
        """Print in ``--language``, else in ``BSC_LANGUAGE`` until the acting user is known."""
        i18n.activate(self.language or self.settings.language)

    def principal(self) -> Principal:
        """The acting user: ``--as USER``, else the operator at the server's shell.

        Without ``--language``, the command goes on in the ``--as`` user's language.
        """
        if not self.acting_user:
            return OPERATOR
        from bsc.db import session_scope
        from bsc.repo import find_user
        from bsc.services.users import principal_for

        with session_scope(self.engine(), write=False) as session:
            user = find_user(session, username=self.acting_user)
            if user is None or not user.active:
                fail(t("--as {user}: no active user of that name", user=self.acting_user))
            principal = principal_for(session, user)
        if not self.language:
            i18n.activate(principal.language)
        return principal

    def require_admin(self, what: str) -> Principal:
        """The acting user, if an admin (the operator is one); else exit 1 saying so.

        ``what`` is marked with ``N_``.
        """
        from bsc.authz import can_administer

        principal = self.principal()
        if not can_administer(principal):
            fail(t("not allowed: {what} needs an admin", what=t(what)))
        return principal


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` (in the reader's words already) as an error and exit with ``code``."""
    heading = t("error:")
    err_console.print(f"[bold red]{heading}[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_issues(issues: Iterable[Issue], *, title: str) -> None:
    """The issues as a table on stderr, in the current language."""
    table = Table(title=title, title_justify="left", show_lines=False)
    for heading in (N_("Line"), N_("Column"), N_("Value"), N_("Reason"), N_("Message")):
        table.add_column(t(heading), overflow="fold")
    for issue in issues:
        table.add_row(
            "" if issue.line is None else str(issue.line),
            escape(issue.column or ""),
            escape(issue.value or ""),
            f"[{'red' if issue.severity == 'error' else 'yellow'}]{label(issue.reason)}[/]",
            escape(t(issue.message)),
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
    exit 1 (storing nothing) when the file is rejected. ``what`` (marked with ``N_``) names the
    records ("members")."""
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
        print_issues(result.issues, title=t("{file}: rejected, nothing stored", file=file.name))
    else:
        console.print(
            t(
                "{file}: {what} created {created}, updated {updated}, unchanged {unchanged}",
                file=file.name,
                what=t(what),
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
            ),
            highlight=False,
            markup=False,
        )
    if result.rejected:
        raise typer.Exit(1)
