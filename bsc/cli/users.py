"""``bsc users …``: people who sign in, and API tokens for members' systems."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bsc import i18n
from bsc.cli.context import console, fail, print_json, state
from bsc.i18n import N_, t
from bsc.models.users import Role, TokenScope

app = typer.Typer(help="Users and API tokens.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Username (no spaces).")],
    role: Annotated[Role, typer.Option("--role", help="What the user may see and do.")],
    member: Annotated[
        str | None, typer.Option("--member", help="Member code (required for role member).")
    ] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="May manage users, tokens, settings.")
    ] = False,
    language: Annotated[str, typer.Option("--language", help="en or zh-TW.")] = "en",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user. The password is read from standard input, never from the command line."""
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.users import add_user

    if not password_stdin:
        fail(t("give the password on standard input with --password-stdin"), code=2)
    password = sys.stdin.readline().rstrip("\r\n")
    cli = state(ctx)
    try:
        with session_scope(cli.engine()) as session:
            user = add_user(
                session,
                username=name,
                role=role,
                password=password,
                actor=cli.principal(),
                source="cli",
                member_code=member,
                is_admin=admin,
                language=language,
            )
            summary = (
                t(
                    "created user {user} ({role}, admin)",
                    user=user.username,
                    role=i18n.label(user.role),
                )
                if admin
                else t(
                    "created user {user} ({role})", user=user.username, role=i18n.label(user.role)
                )
            )
    except BscError as exc:
        fail(str(exc))
    console.print(summary, highlight=False, markup=False)


@app.command("token")
def token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Username the token acts as.")],
    scope: Annotated[
        list[TokenScope] | None, typer.Option("--scope", help="read, upload (repeat for both).")
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, help="Days until it expires.")] = 365,
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "",
) -> None:
    """Create an API token and print it once; only its hash is stored."""
    from datetime import timedelta

    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.users import issue_token

    cli = state(ctx)
    scopes = tuple(scope) if scope else (TokenScope.READ, TokenScope.UPLOAD)
    try:
        with session_scope(cli.engine()) as session:
            secret = issue_token(
                session,
                username=name,
                actor=cli.principal(),
                source="cli",
                scopes=scopes,
                expires_in=timedelta(days=days),
                name=label,
            )
    except BscError as exc:
        fail(str(exc))
    sys.stdout.write(secret + "\n")
    typer.echo(t("Store this token now: it is not shown again."), err=True)


@app.command("list")
def list_users(
    ctx: typer.Context, json_output: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """List users with their role, member and state."""
    from sqlmodel import select

    from bsc.authz import can_administer, require
    from bsc.db import session_scope
    from bsc.errors import Forbidden
    from bsc.models import Member, User

    cli = state(ctx)
    try:
        require(can_administer(cli.principal()), N_("listing users needs an admin"))
    except Forbidden as exc:
        fail(str(exc))
    with session_scope(cli.engine(), write=False) as session:
        codes = {m.id: m.code for m in session.exec(select(Member)).all()}
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "member": codes.get(u.member_id),
                "admin": u.is_admin,
                "active": u.active,
            }
            for u in session.exec(select(User).order_by(User.username)).all()
        ]
    if json_output:
        print_json(rows)
        return
    admin_word = t("admin")
    for row in rows:
        console.print(
            f"{row['username']:<20} {row['role']:<15} {row['member'] or '':<8} "
            f"{admin_word if row['admin'] else ''}",
            highlight=False,
        )
