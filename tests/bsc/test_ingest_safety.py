"""Uploads under stress: eight at once lose no row; a killed upload leaves the database as is."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text
from sqlmodel import func, select

from bsc.authz import OPERATOR
from bsc.db import session_scope
from bsc.models import Measurement, MeasurementRevision, Upload
from bsc.services.ingest import ingest_feed
from tests import factories


def _feed(member: str, kpi: str, months: range, offset: float = 0) -> bytes:
    lines = ["member_code,kpi_code,period,value"]
    lines += [f"{member},{kpi},{2000 + m // 12}-{m % 12 + 1:02d},{m + offset}" for m in months]
    return ("\n".join(lines) + "\n").encode()


def _counts(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Measurement, MeasurementRevision, Upload)
        )


def test_eight_parallel_uploads_lose_no_row(engine):
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
    feeds = [
        # four members at once, each its own rows
        *(_feed(f"M00{n}", "INCIDENTS", range(120)) for n in (2, 3, 4, 5)),
        # four uploads of the same member: two new KPIs and two rewriting the same rows
        _feed("M001", "FILE_AUTO", range(120)),
        _feed("M001", "NEW_REVENUE", range(120)),
        _feed("M001", "OPEX_SAVING", range(120)),
        _feed("M001", "OPEX_SAVING", range(120), offset=0.5),
    ]

    def upload(data: bytes):  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            return ingest_feed(session, data=data, filename="f.csv", actor=OPERATOR, source="api")

    with ThreadPoolExecutor(max_workers=8) as pool:
        reports = list(pool.map(upload, feeds))
    assert [r.status for r in reports] == ["applied"] * 8
    measurements, revisions, uploads = _counts(engine)
    assert measurements == 7 * 120 and uploads == 8
    # Whichever OPEX_SAVING upload came second changed all 120 values and kept the old ones.
    assert revisions == 120
    assert sorted(r.applied for r in reports[-2:]) == [120, 120]


def _big_feed(path: Path, codes: list[str]) -> None:
    with path.open("w") as handle:
        handle.write("member_code,kpi_code,period,value\n")
        for member in ("M001", "M002", "M003", "M004", "M005", "M006", "M007", "M008"):
            for code in codes:
                handle.writelines(
                    f"{member},{code},{1900 + m // 12}-{m % 12 + 1:02d},{m}.5\n"
                    for m in range(3600)
                )


def _writing(db_url: str, engine) -> bool:  # type: ignore[no-untyped-def]
    """Whether another process is in the middle of writing measurements."""
    if db_url.startswith("sqlite"):
        wal = Path(engine.url.database + "-wal")
        return wal.exists() and wal.stat().st_size > 2_000_000
    with engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                    "AND state = 'active' AND query ILIKE '%measurement%' "
                    "AND query NOT ILIKE '%pg_stat_activity%'"
                )
            ).scalar()
        )


def test_a_killed_upload_leaves_the_database_as_it_was(engine, db_url, tmp_path):
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
        codes = [factories.kpi(session, f"LOAD_{n}").code for n in range(10)]
    small = _feed("M001", "INCIDENTS", range(12))
    with session_scope(engine) as session:
        ingest_feed(session, data=small, filename="f.csv", actor=OPERATOR, source="cli")
    before = _counts(engine)
    big = tmp_path / "big.csv"
    _big_feed(big, codes)
    environment = {**os.environ, "BSC_MAX_UPLOAD_BYTES": str(10**9)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bsc", "--db", db_url, "ingest", str(big)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _writing(db_url, engine):
            assert process.poll() is None, "the upload finished before it could be interrupted"
            assert time.monotonic() < deadline, "the upload never started writing"
            time.sleep(0.005)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    engine.dispose()
    assert _counts(engine) == before
    if db_url.startswith("sqlite"):
        with sqlite3.connect(engine.url.database) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The database is usable at once: nothing is left locked.
    with session_scope(engine) as session:
        report = ingest_feed(
            session,
            data=small.replace(b",3\n", b",4\n"),
            filename="f.csv",
            actor=OPERATOR,
            source="cli",
        )
    assert report.status == "applied"
