"""Every sample feed gives its expected outcome through ``bsc ingest``, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from bsc.cli import app
from bsc.db import session_scope
from bsc.models import Measurement, MeasurementRevision, Upload
from tests import factories
from tests.conftest import SAMPLES

runner = CliRunner()


def _cases(folder: str) -> list[tuple[str, str, dict]]:
    expected = json.loads((SAMPLES / folder / "expected.json").read_text(encoding="utf-8"))
    return [(folder, name, outcome) for name, outcome in expected.items()]


def _ingest(db_url: str, path, member: str | None, *extra: str):  # type: ignore[no-untyped-def]
    arguments = ["--db", db_url, "ingest", str(path), "--format", "json", *extra]
    if member:
        arguments += ["--member", member]
    return runner.invoke(app, arguments)


def _stored(engine) -> dict[str, float]:  # type: ignore[no-untyped-def]
    export = runner.invoke(
        app, ["--db", str(engine.url.render_as_string(False)), "export", "data", "--format", "json"]
    )
    assert export.exit_code == 0, export.output
    return {
        f"{row['member_code']}|{row['kpi_code']}|{row['period']}": row["value"]
        for row in json.loads(export.stdout)
    }


@pytest.mark.parametrize(("folder", "name", "expected"), _cases("feeds") + _cases("bad"))
def test_each_sample_gives_its_expected_outcome(engine, db_url, folder, name, expected):
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
    result = _ingest(db_url, SAMPLES / folder / name, expected["member"])
    report = json.loads(result.stdout)
    assert report["status"] == expected["status"], report["issues"][:3]
    assert result.exit_code == (0 if expected["status"] == "applied" else 1)
    with session_scope(engine, write=False) as session:
        stored = session.exec(select(func.count()).select_from(Measurement)).one()
    if expected["status"] == "applied":
        assert report["rows"]["applied"] == expected["applied"] == stored
        assert report["rows"]["empty"] == expected.get("empty", 0)
        assert report["layout"] == expected["layout"]
        if "encoding" in expected:
            assert report["encoding"] == expected["encoding"]
        values = _stored(engine)
        member = expected["member"]
        for key, value in expected.get("check", {}).items():
            assert values[f"{member}|{key}"] == value
        return
    errors = [issue for issue in report["issues"] if issue["severity"] == "error"]
    assert errors[0]["reason"] == expected["reason"]
    if "line" in expected:
        assert errors[0]["line"] == expected["line"]
    if "count" in expected:
        assert len(errors) == expected["count"]
    assert stored == 0, "a rejected file must store nothing"


def test_resending_a_file_changes_nothing_and_says_so(engine, db_url):
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
    path = SAMPLES / "feeds" / "M001_big5_roc.csv"
    first = json.loads(_ingest(db_url, path, "M001").stdout)
    before = _stored(engine)
    again = json.loads(_ingest(db_url, path, "M001").stdout)
    assert again["status"] == "applied"
    assert again["rows"]["applied"] == 0
    assert again["rows"]["unchanged"] == first["rows"]["applied"] == 35
    assert any(issue["reason"] == "nothing_changed" for issue in again["issues"])
    assert f"upload {first['upload_id']}" in again["issues"][-1]["message"]
    assert _stored(engine) == before
    with session_scope(engine, write=False) as session:
        assert session.exec(select(func.count()).select_from(MeasurementRevision)).one() == 0
        assert session.exec(select(func.count()).select_from(Upload)).one() == 2


def test_a_dry_run_reports_and_stores_nothing(engine, db_url):
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
    result = _ingest(db_url, SAMPLES / "feeds" / "long_en.csv", None, "--dry-run")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "dry_run"
    assert report["rows"]["applied"] == 320 and report["upload_id"] is None
    with session_scope(engine, write=False) as session:
        assert session.exec(select(func.count()).select_from(Measurement)).one() == 0
        assert session.exec(select(func.count()).select_from(Upload)).one() == 0


def test_text_reports_and_usage_errors(engine, db_url):
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
    applied = runner.invoke(app, ["--db", db_url, "ingest", str(SAMPLES / "feeds" / "long_en.csv")])
    assert applied.exit_code == 0, applied.output
    assert "applied 320" in applied.output
    rejected = runner.invoke(
        app, ["--db", db_url, "ingest", str(SAMPLES / "bad" / "bad_period.csv")]
    )
    assert rejected.exit_code == 1
    assert "month 13 does not exist" in rejected.output
    bad_map = runner.invoke(
        app, ["--db", db_url, "ingest", str(SAMPLES / "feeds" / "long_en.csv"), "--map", "x"]
    )
    assert bad_map.exit_code == 2
    unknown = _ingest(db_url, SAMPLES / "feeds" / "long_en.csv", "M999")
    assert unknown.exit_code == 2 and "M999" in unknown.output
