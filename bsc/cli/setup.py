"""``bsc init``, ``bsc demo``, ``bsc serve`` and ``bsc worker``: setting up a database, serving
the app, and running its background jobs."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from bsc.cli.context import CliState, console, fail, state
from bsc.i18n import N_, t


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("serve")(serve)
    app.command("worker")(worker)


def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it, to the current schema."""
    from bsc import migrate

    cli = state(ctx)
    if cli.acting_user:
        # Checked on the schema as it is: an upgrade under --as needs an admin already there.
        cli.require_admin(N_("initialising or upgrading the database"))
    engine = cli.engine(migrate=True)
    console.print(
        t(
            "database {url} is at schema {revision}",
            url=engine.url.render_as_string(hide_password=True),
            revision=migrate.current_revision(engine),
        ),
        highlight=False,
        markup=False,
    )


def demo(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", help="Port to serve on.")] = 8050,
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    password: Annotated[
        str | None,
        typer.Option("--password", help="Password for the demo users (default: new random ones)."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Folder of demo files (default: the repository's data/demo)."),
    ] = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Prepare the database and users, then stop.")
    ] = False,
) -> None:
    """Create an SQLite database in BSC_HOME with the demo data and serve the app on it."""
    from bsc.db import session_scope
    from bsc.services.demo import DEMO_USERS, default_demo_folder, ensure_demo_users, load_demo

    cli = state(ctx)
    if cli.db is None:
        # The demo never writes into DATABASE_URL from the environment: that may be production.
        cli.close()
        cli = CliState(
            db=f"sqlite:///{cli.settings.home / 'demo.db'}",
            home=cli.home,
            acting_user=cli.acting_user,
            language=cli.language,
        )
        ctx.find_root().obj = cli
    folder = data or default_demo_folder()
    if not folder.is_dir():
        fail(
            t(
                "demo files not found in {folder}; run from a clone of the project or pass --data",
                folder=folder,
            )
        )
    engine = cli.engine(migrate=True)
    if cli.acting_user:
        cli.require_admin(N_("loading the demo"))
    load_demo(engine, folder, console=console)
    passwords = {user.username: password or secrets.token_urlsafe(9) for user in DEMO_USERS}
    with session_scope(engine) as session:
        ensure_demo_users(session, passwords)
    heading = t("Demo users:") if password else t("Demo users (new passwords on every start):")
    console.print(f"\n[bold]{heading}[/]", highlight=False)
    for user in DEMO_USERS:
        console.print(
            f"  {user.username:<10} {passwords[user.username]:<14} {t(user.description)}",
            highlight=False,
        )
    if no_serve:
        return
    _serve(cli, host=host, port=port, workers=1, threads=8)


def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", help="Port to serve on.")] = 8050,
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="gunicorn worker processes.")
    ] = 2,
    threads: Annotated[int, typer.Option("--threads", min=1, help="Threads per worker.")] = 4,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate",
            help="Bring the schema up to date first (as `bsc init`); servers started together "
            "on PostgreSQL take turns, so it runs once.",
        ),
    ] = False,
) -> None:
    """Serve the app with gunicorn on the configured database (run `bsc init` first, or pass
    --migrate)."""
    cli = state(ctx)
    cli.engine(migrate=migrate)  # without --migrate: fails with advice if the schema is old
    cli.require_admin(N_("serving the app"))
    _serve(cli, host=host, port=port, workers=workers, threads=threads)


def _serve(cli: CliState, *, host: str, port: int, workers: int, threads: int) -> None:
    from bsc.serving import run_gunicorn

    address = f"[bold]http://{host}:{port}/[/]"
    console.print("\n" + t("Serving on {address} (Ctrl+C stops)", address=address), highlight=False)
    run_gunicorn(cli.settings, host=host, port=port, workers=workers, threads=threads)


def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Jobs this worker runs at once.")
    ] = 2,
) -> None:
    """Run background jobs (large uploads, briefing books) from Redis (BSC_REDIS_URL) with Celery.

    Start one or more on any host that reaches the database and Redis; the web servers hand
    them the jobs. Without BSC_REDIS_URL the web server runs jobs itself and no worker is needed.
    """
    import os
    import socket

    cli = state(ctx)
    cli.require_admin(N_("running background jobs"))
    settings = cli.settings
    if not settings.redis_url:
        fail(
            t(
                "bsc worker takes its jobs from Redis: set BSC_REDIS_URL (the same as the web "
                "servers'); without it the web server runs background jobs itself"
            ),
            code=2,
        )
    cli.engine()  # fails early with advice when the schema is missing or out of date
    cli.close()
    from dashboard.app import create_app
    from dashboard.background import celery_of

    # Building the app registers every page's background callbacks as Celery tasks.
    celery = celery_of(create_app(settings).server)
    assert celery is not None
    console.print(
        t(
            "Worker for jobs in {queue}, {concurrency} at once (Ctrl+C stops)",
            queue=settings.redis_prefix + ".jobs",
            concurrency=concurrency,
        ),
        highlight=False,
        markup=False,
    )
    celery.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            f"--hostname=bsc-{os.getpid()}@{socket.gethostname()}",
        ]
    )
