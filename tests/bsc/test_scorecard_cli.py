"""``bsc scorecard`` prints the hand-computed scorecard as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from bsc.cli import app
from bsc.db import make_engine, session_scope
from tests.scoring_factories import worked_programme

runner = CliRunner()


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        worked_programme(session)
    engine.dispose()
    return db_url


def run(db_url: str, *args: str):
    return runner.invoke(app, ["--db", db_url, *args])


def test_json_matches_the_worked_example(db):
    result = run(db, "scorecard", "--member", "M001", "--period", "2025-Q3", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["member"], data["period"], data["score"], data["status"]) == (
        "M001",
        "2025-Q3",
        77.8,
        "amber",
    )
    scores = {k["code"]: k["score"] for k in data["kpis"]}
    assert scores == {
        "COST": 92.3,
        "OPEX": 40.0,
        "RECON": 86.5,
        "API": 87.5,
        "UPTIME": 91.8,
        "CPU": 75.0,
        "CERT": 75.0,
        "IDEAS": 75.0,
    }
    assert {o["key"]: o["score"] for o in data["objectives"]} == {
        "F1": 66.2,
        "C1": 86.8,
        "P1": 75.0,
        "L1": 75.0,
    }


@pytest.mark.parametrize(
    ("period", "opex_value", "opex_target"),
    [("2025-09", 50.0, 100.0), ("2025-09-YTD", 120.0, 300.0), ("2025", 120.0, 300.0)],
)
def test_each_kind_of_period(db, period, opex_value, opex_target):
    result = run(db, "scorecard", "--member", "M001", "--period", period, "--format", "json")
    assert result.exit_code == 0, result.output
    opex = next(k for k in json.loads(result.stdout)["kpis"] if k["code"] == "OPEX")
    assert (opex["period"], opex["value"], opex["target"]) == (period, opex_value, opex_target)


def test_csv_has_a_row_per_level(db):
    result = run(db, "scorecard", "--member", "M001", "--period", "2025-Q3", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    levels = [row["level"] for row in rows]
    assert levels.count("member") == 1 and levels.count("perspective") == 4
    assert levels.count("objective") == 4 and levels.count("kpi") == 8
    opex = next(row for row in rows if row["key"] == "OPEX")
    assert (opex["value"], opex["target"], opex["score"], opex["status"]) == (
        "120.0",
        "300.0",
        "40.0",
        "red",
    )


def test_the_table_names_every_kpi(db):
    result = run(db, "scorecard", "--member", "M001", "--period", "2025-Q3")
    assert result.exit_code == 0, result.output
    for text in ("M001", "77.8", "amber", "OPEX", "UPTIME", "Objectives"):
        assert text in result.output


def test_bad_input_exits_with_a_message(db):
    bad_period = run(db, "scorecard", "--member", "M001", "--period", "2025-13")
    assert bad_period.exit_code == 2 and "month 13 does not exist" in bad_period.output
    unknown = run(db, "scorecard", "--member", "M999", "--period", "2025-Q3")
    assert unknown.exit_code == 1 and "M999" in unknown.output
    assert run(db, "scorecard").exit_code == 2  # --member is required


def test_as_a_member_user_only_its_own_scorecard(db):
    own = run(db, "--as", "m001", "scorecard", "--member", "M001", "--period", "2025-Q3")
    assert own.exit_code == 0, own.output
    other = run(db, "--as", "m001", "scorecard", "--member", "M002", "--period", "2025-Q3")
    assert other.exit_code == 1 and "not allowed" in other.output


def test_the_scorecard_charts_and_tables_export_from_the_command_line(db, tmp_path):
    table = tmp_path / "scorecard.csv"
    result = run(
        db, "export", "table", "scorecard", "-o", str(table), "--format", "csv",
        "--member", "M001", "--period", "2025-Q3",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = table.read_text(encoding="utf-8-sig")
    assert "OPEX" in text and "sum of 3 of 3 months" in text
    chart = tmp_path / "heat.svg"
    result = run(
        db, "export", "chart", "overview_heatmap", "-o", str(chart), "--format", "svg",
        "--period", "2025-Q3",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "M002 Keelung Commercial Bank" in chart.read_text(encoding="utf-8")
    refused = run(
        db, "--as", "m001", "export", "table", "scorecard", "-o", str(table),
        "--member", "M002", "--period", "2025-Q3",
    )  # fmt: skip
    assert refused.exit_code == 1


def test_an_export_about_one_member_asks_for_it(db, tmp_path):
    result = run(db, "export", "table", "scorecard", "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "--member" in result.output
    result = run(
        db, "export", "chart", "kpi_history", "-o", str(tmp_path / "x.png"), "--member", "M001",
    )  # fmt: skip
    assert result.exit_code == 1 and "--param kpi=CODE" in result.output


def test_many_charts_export_at_once_in_one_batch(db, tmp_path):
    folder = tmp_path / "charts"
    result = run(
        db, "export", "charts", "-o", str(folder), "--format", "svg", "--member", "M001",
        "--period", "2025-Q3", "--language", "zh-TW",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = {path.stem for path in folder.iterdir()}
    assert {"overview_heatmap", "perspective_history", "strategy_map"} <= written
    for path in folder.iterdir():
        assert ET.fromstring(path.read_bytes()).tag.endswith("svg"), path.name
    # The per-KPI charts need a KPI: skipped with what to add, not an error.
    assert "kpi_history" not in written and "--param kpi=CODE" in result.output


def test_a_member_user_batch_holds_only_what_it_may_see(db, tmp_path):
    folder = tmp_path / "charts"
    result = run(
        db, "--as", "m001", "export", "charts", "-o", str(folder), "--member", "M001",
        "--period", "2025-Q3", "--format", "svg",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = {path.stem for path in folder.iterdir()}
    assert "perspective_history" in written and "programme_map" not in written
    for path in folder.iterdir():
        assert "M002" not in path.read_text(encoding="utf-8"), path.name
    other = run(
        db, "--as", "m001", "export", "charts", "perspective_history", "-o", str(folder),
        "--member", "M002",
    )  # fmt: skip
    assert other.exit_code == 1 and "perspective_history" in other.output
    unknown = run(db, "export", "charts", "no_such_chart", "-o", str(folder))
    assert unknown.exit_code == 2 and "no_such_chart" in unknown.output


def test_an_inactive_member_s_scorecard_is_refused_with_a_reason(db):
    from sqlmodel import select

    from bsc.models import Member

    engine = make_engine(db)
    with session_scope(engine) as session:
        member = session.exec(select(Member).where(Member.code == "M002")).one()
        member.active = False
        session.add(member)
    engine.dispose()
    result = run(db, "scorecard", "--member", "M002", "--period", "2025-Q3")
    assert result.exit_code == 1 and "M002 is inactive" in result.output
