"""A map publish killed with SIGKILL at the last moment before its commit leaves the database as
it was: the old version still in force, no audit entry, no new data version, nothing locked."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import func, select

from bsc import versioning
from bsc.authz import OPERATOR
from bsc.db import session_scope
from bsc.models import AuditLog, StrategyMap
from bsc.services.maps import import_map, publish_map
from tests import factories
from tests.conftest import DEMO

#: Runs ``bsc ARGS…`` and stops for good right after the statement that bumps a data version:
#: every write of the publish has then reached the database, only the commit is missing.
_HANG_BEFORE_COMMIT = """
import pathlib, sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine

marker = pathlib.Path(sys.argv[1])

@event.listens_for(Engine, "after_cursor_execute")
def _hang(connection, cursor, statement, parameters, context, executemany):
    if statement.startswith("INSERT INTO data_version"):
        marker.write_text("written")
        time.sleep(600)

from bsc.cli import app
app(sys.argv[2:])
"""


def _start(marker: Path, stderr, db_url: str) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-c", _HANG_BEFORE_COMMIT, str(marker), "--db", db_url]
        + ["maps", "publish", "--member", "M001", "--version", "2"],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        start_new_session=True,
    )


def _state(engine) -> tuple[list[tuple[int, str]], int, int]:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        versions = [
            (row.version, row.status)
            for row in session.exec(select(StrategyMap).order_by(StrategyMap.version)).all()
        ]
        audits = session.exec(select(func.count()).select_from(AuditLog)).one()
        return versions, audits, versioning.current(session, versioning.MAPS)


def test_a_killed_publish_leaves_the_published_map_as_it_was(engine, db_url, tmp_path):
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
        factories.demo_catalogue(session)
    first = (DEMO / "maps" / "M001.yaml").read_bytes()
    second = first.replace(b"name: Cloud settlement pilot 2026", b"name: Second edition")
    for source, publish in ((first, True), (second, False)):  # v1 in force, v2 a draft
        with session_scope(engine) as session:
            result = import_map(
                session, source, "M001.yaml", actor=OPERATOR, source="cli", publish=publish
            )
            assert not result.rejected, result.issues
    before = _state(engine)
    assert before[0] == [(1, "published"), (2, "draft")]
    marker, errors = tmp_path / "written", tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        process = _start(marker, stderr, db_url)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, errors.read_text()
            assert time.monotonic() < deadline, "the publish never reached its last write"
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    engine.dispose()
    assert _state(engine) == before
    if db_url.startswith("sqlite"):
        with sqlite3.connect(Path(engine.url.database)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # Nothing is left locked: the same publish goes through at once.
    with session_scope(engine) as session:
        result = publish_map(session, actor=OPERATOR, source="cli", member_code="M001", version=2)
    assert result.status == "published"
    versions, audits, data_version = _state(engine)
    assert versions == [(1, "archived"), (2, "published")]
    assert audits == before[1] + 1 and data_version == before[2] + 1
