"""Bulk storing of measurements on both databases: the all-new path (straight inserts, a binary
COPY on PostgreSQL) and the path where some keys are stored already (revisions, updates)."""

from __future__ import annotations

import itertools
import random
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlmodel import select

from bsc.db import session_scope
from bsc.models import Measurement, MeasurementRevision, Role, Upload
from bsc.models.base import utcnow
from bsc.services.measurement_store import compare_measurements, store_measurements
from tests import factories


@pytest.fixture
def catalogue(engine):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        members = [factories.member(session, code).id for code in ("M001", "M002")]
        kpis = [
            factories.kpi(session, "MONTHLY").id,
            factories.kpi(session, "QUARTERLY", frequency="quarterly").id,
            factories.kpi(session, "YEARLY", frequency="yearly").id,
        ]
        user = factories.user(session, "office", Role.PROGRAM_OFFICE).id
    return {"members": members, "kpis": kpis, "user": user}


def _rows(entries: list[tuple[int, int, str, str, float]]) -> pd.DataFrame:
    """Measurements as validation gives them: ``(member_id, kpi_id, granularity, day, value)``."""
    return pd.DataFrame(
        {
            "line": range(2, len(entries) + 2),
            "member_id": [e[0] for e in entries],
            "kpi_id": [e[1] for e in entries],
            "granularity": [e[2] for e in entries],
            "period_start": pd.to_datetime([e[3] for e in entries]).astype("datetime64[s]"),
            "value": [e[4] for e in entries],
            "target": float("nan"),
        }
    )


def _store(engine, rows: pd.DataFrame, user_id: int | None = None):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        upload = Upload(
            actor="test",
            source="cli",
            filename="f.csv",
            sha256="",
            size_bytes=0,
            status="applied",
            rows_read=len(rows),
            rows_applied=0,
            rows_unchanged=0,
            rows_empty=0,
            rows_ignored=0,
        )
        session.add(upload)
        session.flush()
        assert upload.id is not None
        counts = store_measurements(session, rows, upload_id=upload.id, user_id=user_id)
        return upload.id, counts


def _stored(engine) -> dict[tuple[int, int, str, date], tuple[float, int | None]]:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        return {
            (m.member_id, m.kpi_id, m.granularity, m.period_start): (m.value, m.upload_id)
            for m in session.exec(select(Measurement))
        }


def test_an_upload_of_new_keys_is_inserted_as_it_is(engine, catalogue):
    (m1, m2), (monthly, quarterly, yearly) = catalogue["members"], catalogue["kpis"]
    rows = _rows(
        [
            (m2, monthly, "month", "2025-02-01", 2.5),
            (m1, monthly, "month", "2025-01-01", -1.25),
            (m1, quarterly, "quarter", "2025-04-01", 1e9),
            (m1, yearly, "year", "2024-01-01", 0.0),
            (m2, yearly, "year", "1912-01-01", 7.0),
        ]
    )
    before = utcnow()
    upload, counts = _store(engine, rows)
    assert (counts.inserted, counts.changed, counts.unchanged) == (5, 0, 0)
    assert _stored(engine) == {
        (m2, monthly, "month", date(2025, 2, 1)): (2.5, upload),
        (m1, monthly, "month", date(2025, 1, 1)): (-1.25, upload),
        (m1, quarterly, "quarter", date(2025, 4, 1)): (1e9, upload),
        (m1, yearly, "year", date(2024, 1, 1)): (0.0, upload),
        (m2, yearly, "year", date(1912, 1, 1)): (7.0, upload),
    }
    with session_scope(engine, write=False) as session:
        stamps = {m.recorded_at for m in session.exec(select(Measurement))}
        assert len(stamps) == 1
        stamp = stamps.pop()
        assert stamp.replace(tzinfo=None) >= before.replace(tzinfo=None)
        assert not session.exec(select(MeasurementRevision)).all()


def test_stored_keys_are_updated_with_a_revision_and_equal_values_left_alone(engine, catalogue):
    (m1, m2), (monthly, quarterly, _) = catalogue["members"], catalogue["kpis"]
    first, _ = _store(
        engine,
        _rows(
            [
                (m1, monthly, "month", "2025-01-01", 1.0),
                (m1, monthly, "month", "2025-02-01", 2.0),
                (m2, monthly, "month", "2025-01-01", 3.0),
                (m1, quarterly, "quarter", "2025-01-01", 4.0),
                # outside the next upload's periods: never looked at, never touched
                (m1, monthly, "month", "2024-12-01", 9.0),
            ]
        ),
    )
    second, counts = _store(
        engine,
        _rows(
            [
                (m1, monthly, "month", "2025-01-01", 1.0),  # unchanged
                (m1, monthly, "month", "2025-02-01", 2.5),  # changed
                (m2, monthly, "month", "2025-01-01", 0.0),  # changed, to zero
                (m1, quarterly, "quarter", "2025-01-01", 4.0),  # unchanged
                (m1, monthly, "month", "2025-03-01", 5.0),  # new
                (m2, quarterly, "quarter", "2025-01-01", 6.0),  # new
            ]
        ),
        user_id=catalogue["user"],
    )
    assert (counts.inserted, counts.changed, counts.unchanged) == (2, 2, 2)
    assert counts.applied == 4
    assert _stored(engine) == {
        (m1, monthly, "month", date(2025, 1, 1)): (1.0, first),
        (m1, monthly, "month", date(2025, 2, 1)): (2.5, second),
        (m2, monthly, "month", date(2025, 1, 1)): (0.0, second),
        (m1, quarterly, "quarter", date(2025, 1, 1)): (4.0, first),
        (m1, monthly, "month", date(2024, 12, 1)): (9.0, first),
        (m1, monthly, "month", date(2025, 3, 1)): (5.0, second),
        (m2, quarterly, "quarter", date(2025, 1, 1)): (6.0, second),
    }
    with session_scope(engine, write=False) as session:
        revisions = {
            (session.get(Measurement, r.measurement_id).period_start, r.old_value, r.new_value)
            for r in session.exec(select(MeasurementRevision))
        }
        assert revisions == {(date(2025, 2, 1), 2.0, 2.5), (date(2025, 1, 1), 3.0, 0.0)}
        for revision in session.exec(select(MeasurementRevision)):
            assert (revision.upload_id, revision.user_id) == (second, catalogue["user"])


def test_sending_the_same_rows_again_changes_nothing(engine, catalogue):
    (m1, _), (monthly, quarterly, yearly) = catalogue["members"], catalogue["kpis"]
    rows = _rows(
        [
            (m1, monthly, "month", "2025-01-01", 0.1 + 0.2),
            (m1, quarterly, "quarter", "2025-01-01", 1 / 3),
            (m1, yearly, "year", "2025-01-01", -0.0),
        ]
    )
    first, _ = _store(engine, rows)
    before = _stored(engine)
    _, counts = _store(engine, rows)
    assert (counts.inserted, counts.changed, counts.unchanged) == (0, 0, 3)
    assert _stored(engine) == before
    assert {upload for _, upload in before.values()} == {first}


def test_a_dry_run_counts_what_storing_would_do_and_writes_nothing(engine, catalogue):
    (m1, _), (monthly, _, _) = catalogue["members"], catalogue["kpis"]
    _store(engine, _rows([(m1, monthly, "month", "2025-01-01", 1.0)]))
    before = _stored(engine)
    rows = _rows(
        [
            (m1, monthly, "month", "2025-01-01", 1.5),
            (m1, monthly, "month", "2025-02-01", 2.0),
        ]
    )
    with session_scope(engine) as session:
        counts = compare_measurements(session, rows)
    assert (counts.inserted, counts.changed, counts.unchanged) == (1, 1, 0)
    assert _stored(engine) == before


def test_rows_that_repeat_a_key_are_refused_before_anything_is_written(engine, catalogue):
    (m1, _), (monthly, _, _) = catalogue["members"], catalogue["kpis"]
    rows = _rows(
        [
            (m1, monthly, "month", "2025-01-01", 1.0),
            (m1, monthly, "month", "2025-01-01", 2.0),
        ]
    )
    with pytest.raises(ValueError, match="same member, KPI, granularity and period"):
        _store(engine, rows)
    assert _stored(engine) == {}


def test_a_large_upload_in_any_order_matches_its_rows_one_for_one(engine, catalogue):
    """Tens of thousands of rows over several chunks, sent shuffled, then again with a third
    of the values changed."""
    members, kpis = catalogue["members"], catalogue["kpis"]
    months = np.arange("1900-01", "2200-01", dtype="datetime64[M]").astype("datetime64[D]")
    entries = [
        (member, kpi, "month", str(month), float(index))
        for index, (member, kpi, month) in enumerate(itertools.product(members, kpis, months))
    ]
    random.Random(7).shuffle(entries)
    upload, counts = _store(engine, _rows(entries))
    assert counts.inserted == len(entries)
    expected = {(m, k, g, date.fromisoformat(d)): (v, upload) for m, k, g, d, v in entries}
    assert _stored(engine) == expected
    changed = [(m, k, g, d, v + (i % 3 == 0)) for i, (m, k, g, d, v) in enumerate(entries)]
    second, counts = _store(engine, _rows(changed))
    assert (counts.inserted, counts.changed) == (0, (len(entries) + 2) // 3)
    stored = _stored(engine)
    for i, (m, k, g, d, v) in enumerate(changed):
        assert stored[(m, k, g, date.fromisoformat(d))] == (v, second if i % 3 == 0 else upload)


def test_a_small_upload_into_a_large_table_finds_its_stored_keys(engine, catalogue):
    """A few rows against thousands stored: SQLite looks them up through the unique index
    rather than reading the table through."""
    (m1, m2), (monthly, _, _) = catalogue["members"], catalogue["kpis"]
    months = np.arange("1900-01", "2100-01", dtype="datetime64[M]").astype("datetime64[D]")
    first, _ = _store(
        engine, _rows([(m, monthly, "month", str(d), 1.0) for m in (m1, m2) for d in months])
    )
    second, counts = _store(
        engine,
        _rows(
            [
                (m1, monthly, "month", "2000-01-01", 1.0),
                (m1, monthly, "month", "2000-02-01", 2.0),
                (m2, monthly, "month", "2100-01-01", 3.0),
            ]
        ),
    )
    assert (counts.inserted, counts.changed, counts.unchanged) == (1, 1, 1)
    stored = _stored(engine)
    assert len(stored) == 2 * len(months) + 1
    assert stored[(m1, monthly, "month", date(2000, 1, 1))] == (1.0, first)
    assert stored[(m1, monthly, "month", date(2000, 2, 1))] == (2.0, second)
    assert stored[(m2, monthly, "month", date(2100, 1, 1))] == (3.0, second)
