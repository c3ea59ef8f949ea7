"""``bsc backup`` and ``bsc restore``: whole-database snapshots, for SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bsc.cli.context import console, fail, state


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def _require_admin(ctx: typer.Context) -> None:
    from bsc.authz import can_administer

    if not can_administer(state(ctx).principal()):
        fail("not allowed: backups and restores need an admin")


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Zip file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a consistent snapshot of the whole database to FILE (restorable on either engine)."""
    from rich.progress import Progress

    from bsc import backup as backups
    from bsc.errors import BscError

    _require_admin(ctx)
    if file.exists() and not force:
        fail(f"{file} exists; pass --force to overwrite it")
    engine = state(ctx).engine()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("backing up", total=None)
        try:
            manifest = backups.backup(
                engine,
                file,
                progress=lambda table, rows: progress.update(
                    task, description=f"{table}: {rows:,} rows"
                ),
            )
        except (BscError, OSError) as exc:
            fail(f"backup failed: {exc}")
    console.print(
        f"wrote {file}: {sum(manifest.rows.values()):,} rows in {len(manifest.rows)} tables, "
        f"schema {manifest.revision}",
        highlight=False,
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

    _require_admin(ctx)
    cli = state(ctx)
    engine = make_engine(
        cli.settings.sqlalchemy_url, busy_timeout_ms=cli.settings.sqlite_busy_timeout_ms
    )
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("restoring", total=None)
            manifest = backups.restore(
                engine,
                file,
                replace=replace,
                progress=lambda table, rows: progress.update(
                    task, description=f"{table}: {rows:,} rows"
                ),
            )
    except BscError as exc:
        fail(f"restore failed, nothing changed: {exc}")
    finally:
        engine.dispose()
    console.print(
        f"restored {sum(manifest.rows.values()):,} rows from {file} "
        f"(backup of {manifest.created_at})",
        highlight=False,
    )
