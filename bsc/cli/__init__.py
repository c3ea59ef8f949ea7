"""The ``bsc`` command: set-up, imports, users, serving the app and the demo.

Exit codes: 0 success, 1 rejected input (with a report), 2 usage.
"""

from __future__ import annotations

import contextvars
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from bsc.cli import (
    catalogue,
    exports,
    ingest,
    maintenance,
    maps,
    programme,
    scorecard,
    setup,
    users,
)
from bsc.cli.context import CliState, Language, fail


class _Commands(TyperGroup):
    """Every command: a database that cannot store anything more is a clear exit 1, not a
    traceback (the command's transaction has rolled back, so nothing is half-written); the
    language a command speaks ends with it."""

    def invoke(self, ctx: Any) -> Any:
        return contextvars.copy_context().run(self._invoke, ctx)

    def _invoke(self, ctx: Any) -> Any:
        from bsc.db import STORAGE_ERRORS, storage_problem

        try:
            return super().invoke(ctx)
        except STORAGE_ERRORS as error:
            message = storage_problem(error)
            if message is None:
                raise
            fail(message)


app = typer.Typer(
    name="bsc",
    cls=_Commands,
    help="Pilot Scorecard: balanced scorecards and strategy maps for a member rollout programme.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: DATABASE_URL, else SQLite in BSC_HOME)."),
    ] = None,
    home: Annotated[
        Path | None, typer.Option("--home", help="Data directory (default: BSC_HOME or ./.bsc).")
    ] = None,
    acting_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="BSC_AS",
            help="Act with this user's rights instead of the operator's (admin, program office).",
        ),
    ] = None,
    language: Annotated[
        Language | None,
        typer.Option(
            "--language",
            help="Language of reports, messages and labels (default: the --as user's, else "
            "BSC_LANGUAGE).",
        ),
    ] = None,
) -> None:
    ctx.obj = CliState(
        db=db, home=home, acting_user=acting_user, language=language.value if language else None
    )
    ctx.obj.speak()
    ctx.call_on_close(lambda: ctx.obj.close())


setup.register(app)
maintenance.register(app)
scorecard.register(app)
app.add_typer(catalogue.members_app, name="members")
app.add_typer(catalogue.kpis_app, name="kpis")
app.add_typer(users.app, name="users")
app.command("ingest")(ingest.ingest)
exports.app.command("data")(ingest.export_data)
app.add_typer(exports.app, name="export")
app.add_typer(maps.app, name="maps")
app.add_typer(programme.pest_app, name="pest")
app.add_typer(programme.rollout_app, name="rollout")
app.add_typer(programme.survey_app, name="survey")
app.add_typer(programme.vendors_app, name="vendors")


def main() -> None:
    app()
