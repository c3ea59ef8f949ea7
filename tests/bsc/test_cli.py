"""The ``bsc`` command, run in-process with Typer's runner and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
import typer
from openpyxl import load_workbook
from sqlmodel import select
from typer.testing import CliRunner

from bsc.cli import app
from bsc.db import make_engine, session_scope
from bsc.models import ApiToken, Member, User
from tests.conftest import SAMPLES

runner = CliRunner()


def run(db_url: str, *args: str, input: str | None = None):
    return runner.invoke(app, ["--db", db_url, *args], input=input)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(_commands(typer.main.get_command(app))), ids=" ".join)
def test_every_command_has_help(path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_catalogue_import_through_the_cli(db_url):
    members = run(db_url, "members", "import", str(SAMPLES / "catalogue" / "members.csv"))
    assert members.exit_code == 0, members.output
    assert "created 8" in members.output
    again = run(db_url, "members", "import", str(SAMPLES / "catalogue" / "members.csv"))
    assert "unchanged 8" in again.output
    kpis = run(
        db_url, "kpis", "import", str(SAMPLES / "catalogue" / "kpis.csv"), "--format", "json"
    )
    assert json.loads(kpis.stdout)["created"] == 8


def test_bad_rows_exit_1_with_line_and_reason_and_store_nothing(db_url, tmp_path):
    bad = tmp_path / "members.csv"
    bad.write_text(
        "code,name,segment,region,capital_structure\nM1,A,broker,north,private\nM2,B,spaceship,north,private\n"
    )
    result = run(db_url, "members", "import", str(bad), "--format", "json")
    assert result.exit_code == 1
    [issue] = json.loads(result.stdout)["issues"]
    assert (issue["line"], issue["column"], issue["value"], issue["reason"]) == (
        3,
        "segment",
        "spaceship",
        "bad_value",
    )
    engine = make_engine(db_url)
    with session_scope(engine, write=False) as session:
        assert session.exec(select(Member)).all() == []
    engine.dispose()


def test_users_and_tokens(db_url):
    run(db_url, "members", "import", str(SAMPLES / "catalogue" / "members.csv"))
    added = run(
        db_url,
        "users",
        "add",
        "alice",
        "--role",
        "member",
        "--member",
        "M001",
        "--password-stdin",
        input="a-long-enough-pass\n",
    )
    assert added.exit_code == 0, added.output
    weak = run(
        db_url, "users", "add", "bob", "--role", "executive", "--password-stdin", input="short\n"
    )
    assert weak.exit_code == 1 and "password too weak" in weak.output
    token = run(db_url, "users", "token", "alice")
    assert token.exit_code == 0
    secret = token.stdout.strip()
    engine = make_engine(db_url)
    with session_scope(engine, write=False) as session:
        user = session.exec(select(User).where(User.username == "alice")).one()
        assert user.password_hash.startswith("$argon2")
        stored = session.exec(select(ApiToken)).one()
        assert secret.startswith(stored.prefix) and secret not in stored.token_hash
    engine.dispose()


def test_acting_as_a_member_limits_what_the_cli_may_do(db_url):
    run(db_url, "members", "import", str(SAMPLES / "catalogue" / "members.csv"))
    run(
        db_url,
        "users",
        "add",
        "alice",
        "--role",
        "member",
        "--member",
        "M001",
        "--password-stdin",
        input="a-long-enough-pass\n",
    )
    refused = run(
        db_url, "--as", "alice", "members", "import", str(SAMPLES / "catalogue" / "members.csv")
    )
    assert refused.exit_code == 1 and "not allowed" in refused.output
    listed = run(db_url, "--as", "alice", "members", "list", "--format", "json")
    assert [row["code"] for row in json.loads(listed.stdout)] == ["M001"]
    unknown = run(db_url, "--as", "nobody", "members", "list")
    assert unknown.exit_code == 1


def test_a_database_without_schema_asks_for_init(tmp_path):
    result = run(f"sqlite:///{tmp_path / 'new.db'}", "members", "list")
    assert result.exit_code == 1 and "bsc init" in result.output
    assert run(f"sqlite:///{tmp_path / 'new.db'}", "init").exit_code == 0
    assert run(f"sqlite:///{tmp_path / 'new.db'}", "members", "list").exit_code == 0


def test_the_console_script_runs_as_a_process(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "bsc", "--home", str(tmp_path), "init"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "bsc.db").exists()


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["members", "import"]).exit_code == 2
    assert runner.invoke(app, ["users", "add", "x", "--role", "pilot"]).exit_code == 2


def test_export_lists_and_writes_charts_and_tables(db_url, tmp_path):
    run(db_url, "members", "import", str(SAMPLES / "catalogue" / "members.csv"))
    listed = run(db_url, "export", "list")
    assert "members_by_wave" in listed.output and "audit_log" in listed.output
    png = tmp_path / "waves.png"
    chart = run(db_url, "export", "chart", "members_by_wave", "-o", str(png), "--language", "zh-TW")
    assert chart.exit_code == 0, chart.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    csv_file = tmp_path / "members.csv"
    table = run(db_url, "export", "table", "members", "-o", str(csv_file), "--format", "csv")
    assert table.exit_code == 0 and csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert csv_file.read_text(encoding="utf-8-sig").count("\n") == 9  # header + 8 members
    xlsx = tmp_path / "members.xlsx"
    table = run(db_url, "export", "table", "members", "-o", str(xlsx), "--language", "zh-TW")
    sheet = load_workbook(xlsx).active
    assert table.exit_code == 0 and sheet.title == "會員"
    assert [cell.value for cell in sheet[1]] == ["代號", "會員", "業別", "地區", "梯次"]


def test_export_checks_the_acting_users_rights(db_url, tmp_path):
    run(db_url, "members", "import", str(SAMPLES / "catalogue" / "members.csv"))
    run(
        db_url,
        "users",
        "add",
        "alice",
        "--role",
        "member",
        "--member",
        "M001",
        "--password-stdin",
        input="a-long-enough-pass\n",
    )
    refused = run(
        db_url, "--as", "alice", "export", "table", "audit_log", "-o", str(tmp_path / "a.csv")
    )
    assert refused.exit_code == 1 and "not allowed" in refused.output
    own = tmp_path / "own.csv"
    run(db_url, "--as", "alice", "export", "table", "members", "-o", str(own), "--format", "csv")
    assert own.read_text(encoding="utf-8-sig").splitlines()[1].startswith("M001")
    assert len(own.read_text(encoding="utf-8-sig").splitlines()) == 2
    unknown = run(db_url, "export", "chart", "no_such_chart", "-o", str(tmp_path / "x.png"))
    assert unknown.exit_code == 1 and "no chart named" in unknown.output
