"""Backups round-trip the demo database with nothing lost, across both engines."""

from __future__ import annotations

import shutil
import zipfile

import pytest
import sqlmodel
from sqlalchemy import select, text
from typer.testing import CliRunner

from bsc import backup, migrate
from bsc.cli import app
from bsc.db import make_engine, session_scope
from bsc.errors import BscError, Conflict
from bsc.models import Member, Role, Upload, UploadFile, metadata
from bsc.services.demo import default_demo_folder, load_demo
from tests import factories

runner = CliRunner()


def _snapshot(engine) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


@pytest.fixture
def demo_engine(sqlite_template, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_demo(engine, default_demo_folder())
    with session_scope(engine) as session:
        member = session.exec(sqlmodel.select(Member).where(Member.code == "M001")).one()
        upload = Upload(
            member_id=member.id,
            actor="test",
            source="cli",
            filename="raw.bin",
            sha256="0" * 64,
            size_bytes=3,
            status="applied",
        )
        session.add(upload)
        session.flush()
        session.add(UploadFile(upload_id=upload.id, content=b"\x00\xff\x10"))
    yield engine
    engine.dispose()


def test_the_demo_database_round_trips_into_an_empty_database(demo_engine, db_url, tmp_path):
    path = tmp_path / "backup.zip"
    manifest = backup.backup(demo_engine, path)
    assert manifest.rows["member"] >= 12 and manifest.revision == migrate.head_revision()
    target = make_engine(db_url)
    with target.begin() as connection:  # the target fixture is migrated and empty
        assert connection.execute(text("SELECT count(*) FROM member")).scalar() == 0
    backup.restore(target, path)
    assert _snapshot(target) == _snapshot(demo_engine)
    with session_scope(target) as session:  # new rows do not collide with restored ids
        factories.member(session, "NEW1")
    target.dispose()


def test_restore_refuses_a_database_with_data_unless_replacing(demo_engine, tmp_path):
    path = tmp_path / "backup.zip"
    backup.backup(demo_engine, path)
    with pytest.raises(Conflict):
        backup.restore(demo_engine, path)
    backup.restore(demo_engine, path, replace=True)
    assert _snapshot(demo_engine)["member"]


def test_restore_creates_the_schema_in_a_new_database(demo_engine, tmp_path):
    path = tmp_path / "backup.zip"
    backup.backup(demo_engine, path)
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    backup.restore(fresh, path)
    assert migrate.current_revision(fresh) == migrate.head_revision()
    assert _snapshot(fresh) == _snapshot(demo_engine)
    fresh.dispose()


def test_a_damaged_backup_changes_nothing(demo_engine, tmp_path):
    path = tmp_path / "backup.zip"
    backup.backup(demo_engine, path)
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "tables/kpi_definition.jsonl":
                data = data.splitlines(keepends=True)[0]  # rows lost in transit
            target.writestr(item, data)
    before = _snapshot(demo_engine)
    with pytest.raises(BscError, match="kpi_definition"):
        backup.restore(demo_engine, broken, replace=True)
    assert _snapshot(demo_engine) == before


def test_a_file_that_is_not_a_backup_is_named_as_such(tmp_path):
    stray = tmp_path / "notes.zip"
    stray.write_text("meeting notes")
    with pytest.raises(BscError, match="not a Pilot Scorecard backup"):
        backup.read_manifest(stray)


def test_backup_and_restore_through_the_cli_need_an_admin(demo_engine, tmp_path):
    sqlite_url = demo_engine.url.render_as_string()
    path = tmp_path / "cli.zip"
    made = runner.invoke(app, ["--db", sqlite_url, "backup", str(path)])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["--db", sqlite_url, "backup", str(path)])
    assert again.exit_code == 1 and "--force" in again.output
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = runner.invoke(app, ["--db", target, "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    with session_scope(demo_engine) as session:
        factories.user(session, "viewer", Role.EXECUTIVE)
    refused = runner.invoke(
        app, ["--db", sqlite_url, "--as", "viewer", "backup", str(tmp_path / "x.zip")]
    )
    assert refused.exit_code == 1 and "admin" in refused.output
