"""``bsc backup`` and ``bsc restore``: whole-database snapshots, for SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bsc.cli.context import console, fail, state
from bsc.i18n import N_, t


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Zip file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a consistent snapshot of the whole database to FILE (restorable on either engine)."""
    from rich.progress import Progress

    from bsc import backup as backups
    from bsc.errors import BscError

    state(ctx).require_admin(N_("backing up or restoring the database"))
    if file.exists() and not force:
        fail(t("{file} exists; pass --force to overwrite it", file=file))
    engine = state(ctx).engine()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(t("backing up"), total=None)
        try:
            manifest = backups.backup(
                engine,
                file,
                progress=lambda table, rows: progress.update(
                    task, description=t("{table}: {rows:,} rows", table=table, rows=rows)
                ),
            )
        except (BscError, OSError) as exc:
            fail(t("backup failed: {problem}", problem=str(exc)))
    console.print(
        t(
            "wrote {file}: {rows:,} rows in {tables} tables, schema {revision}",
            file=file,
            rows=sum(manifest.rows.values()),
            tables=len(manifest.rows),
            revision=manifest.revision,
        ),
        highlight=False,
        markup=False,
    )


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Backup zip file.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete the database's current rows first.")
    ] = False,
) -> None:
    """Restore FILE into the database (new and empty, or --replace), then upgrade its schema."""
    from rich.progress import Progress

    from bsc import backup as backups
    from bsc.db import make_engine
    from bsc.errors import BscError

    state(ctx).require_admin(N_("backing up or restoring the database"))
    cli = state(ctx)
    engine = make_engine(
        cli.settings.sqlalchemy_url, busy_timeout_ms=cli.settings.sqlite_busy_timeout_ms
    )
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(t("restoring"), total=None)
            manifest = backups.restore(
                engine,
                file,
                replace=replace,
                progress=lambda table, rows: progress.update(
                    task, description=t("{table}: {rows:,} rows", table=table, rows=rows)
                ),
            )
    except BscError as exc:
        fail(t("restore failed, nothing changed: {problem}", problem=str(exc)))
    finally:
        engine.dispose()
    console.print(
        t(
            "restored {rows:,} rows from {file} (backup of {created})",
            rows=sum(manifest.rows.values()),
            file=file,
            created=manifest.created_at,
        ),
        highlight=False,
        markup=False,
    )
