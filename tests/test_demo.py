"""``bsc demo`` prepares a database with the demo data and printable logins."""

from __future__ import annotations

import re
import subprocess
import sys

from sqlmodel import func, select
from typer.testing import CliRunner

from bsc.cli import app
from bsc.db import make_engine, session_scope
from bsc.models import KpiDefinition, Measurement, Member, Upload, User
from bsc.services.users import authenticate

runner = CliRunner()


def test_demo_loads_once_and_prints_working_logins(tmp_path):
    first = runner.invoke(app, ["--home", str(tmp_path), "demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    logins = dict(re.findall(r"^\s+(exec|office|m001)\s+(\S+)", first.output, flags=re.M))
    assert set(logins) == {"exec", "office", "m001"}
    second = runner.invoke(
        app, ["--home", str(tmp_path), "demo", "--no-serve", "--password", "demo-password-1"]
    )
    assert second.exit_code == 0, second.output
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Member)).one() >= 12
        assert session.exec(select(func.count()).select_from(KpiDefinition)).one() >= 12
        assert session.exec(select(func.count()).select_from(User)).one() == 3
        assert authenticate(session, username="m001", password="demo-password-1").user is not None
        _assert_measurements_loaded(session)
        assert authenticate(session, username="exec", password=logins["exec"]).user is None
    engine.dispose()


def _assert_measurements_loaded(session) -> None:  # type: ignore[no-untyped-def]
    """Every member's monthly file, the quarterly workbook and the yearly file went in."""
    uploads = session.exec(select(Upload.filename, Upload.status, Upload.rows_applied)).all()
    assert len(uploads) == 16 and {status for _, status, _ in uploads} == {"applied"}
    rows = session.exec(
        select(
            Member.code,
            Measurement.granularity,
            func.count(),
            func.count(func.distinct(Measurement.period_start)),
        )
        .join(Member, Member.id == Measurement.member_id)
        .group_by(Member.code, Measurement.granularity)
    ).all()
    counts = {(code, granularity): (count, periods) for code, granularity, count, periods in rows}
    members = session.exec(select(Member.code)).all()
    for code in members:
        assert counts[(code, "month")][0] > 100, code
        assert (code, "quarter") in counts, code
    # Pilot members report 36 months (2023-11 … 2026-10); M010 is two months overdue.
    assert counts[("M001", "month")][1] == 36
    assert counts[("M010", "month")][1] < counts[("M005", "month")][1]
    assert counts[("M001", "year")] == (2, 2)


def test_the_demo_generator_is_deterministic(tmp_path):
    from data import generate

    script = (
        "import sys; from pathlib import Path; import data.generate as g; "
        f"g.OUT = Path({str(tmp_path)!r}); g.main()"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    for produced in tmp_path.rglob("*.*"):
        committed = generate.OUT / produced.relative_to(tmp_path)
        assert committed.read_bytes() == produced.read_bytes(), (
            f"{committed} is stale: run python -m data.generate"
        )
