"""Storing validated measurements in bulk, inside the caller's transaction.

Values are upserted by (member, KPI, granularity, period start). A value that changes keeps its
previous one in ``measurement_revision``; an equal value is left alone and counted as unchanged.

* PostgreSQL: the rows go into a temporary staging table with a binary ``COPY``, then one
  ``INSERT … ON CONFLICT DO UPDATE … WHERE value IS DISTINCT FROM`` applies them. A transaction
  advisory lock per member serialises concurrent uploads of the same member, so the revisions
  taken just before the upsert see the values it replaces.
* SQLite: the transaction already holds the write lock (``BEGIN IMMEDIATE``); the rows go into a
  temporary staging table with one ``executemany`` on the raw connection, then the same
  statements apply them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from bsc.models import Measurement
from bsc.models.base import utcnow

__all__ = ["StoreCounts", "store_measurements", "compare_measurements"]

#: First key of the two-key advisory locks taken per member during an upload ("BS").
_LOCK_NAMESPACE = 0x4253
_KEY = ["member_id", "kpi_id", "granularity", "period_start"]


@dataclass(frozen=True)
class StoreCounts:
    """What storing did (or, for a dry run, would do)."""

    inserted: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def applied(self) -> int:
        return self.inserted + self.changed


def compare_measurements(session: Session, rows: pd.DataFrame) -> StoreCounts:
    """What storing ``rows`` would do, without writing anything (for dry runs)."""
    merged = _merge_with_stored(session, rows)
    stored = merged["id"].notna().to_numpy()
    same = stored & np.isclose(merged["value"], merged["old_value"], rtol=0, atol=0)
    return StoreCounts(
        inserted=int((~stored).sum()),
        changed=int((stored & ~same).sum()),
        unchanged=int(same.sum()),
    )


def store_measurements(
    session: Session, rows: pd.DataFrame, *, upload_id: int, user_id: int | None
) -> StoreCounts:
    """Upsert ``rows`` (``member_id``, ``kpi_id``, ``granularity``, ``period_start``, ``value``)
    as part of the session's transaction and record a revision for every changed value."""
    if rows.empty:
        return StoreCounts()
    session.flush()
    now = utcnow()
    if session.get_bind().dialect.name == "postgresql":
        return _store_postgres(session, rows, upload_id=upload_id, user_id=user_id, now=now)
    return _store_sqlite(session, rows, upload_id=upload_id, user_id=user_id, now=now)


_CHUNK = 50_000


def _tuples(rows: pd.DataFrame, *, days: type) -> Iterator[tuple[Any, ...]]:
    """The staging rows as Python tuples, converted a chunk at a time to bound memory."""
    for begin in range(0, len(rows), _CHUNK):
        chunk = rows.iloc[begin : begin + _CHUNK]
        starts = chunk["period_start"]
        yield from zip(
            chunk["member_id"].tolist(),
            chunk["kpi_id"].tolist(),
            chunk["granularity"].tolist(),
            _day_strings(starts).tolist() if days is str else starts.dt.date.tolist(),
            chunk["value"].tolist(),
            strict=True,
        )


def _day_strings(values: pd.Series) -> np.ndarray:
    return np.datetime_as_string(values.to_numpy().astype("datetime64[D]"), unit="D")


def _merge_with_stored(session: Session, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the ``id`` and ``old_value`` of the stored measurement of each key."""
    frame = rows[_KEY + ["value"]].copy()
    frame["period_start"] = _day_strings(rows["period_start"])
    members = sorted(int(m) for m in pd.unique(frame["member_id"]))
    kpis = sorted(int(k) for k in pd.unique(frame["kpi_id"]))
    result = session.connection().exec_driver_sql(
        "SELECT id, member_id, kpi_id, granularity, period_start, value FROM measurement "
        f"WHERE member_id IN ({','.join(map(str, members))}) "
        f"AND kpi_id IN ({','.join(map(str, kpis))})"
    )
    stored = pd.DataFrame(result.all(), columns=["id", *_KEY, "old_value"])
    if stored.empty:
        frame["id"] = np.nan
        frame["old_value"] = np.nan
        return frame
    stored["period_start"] = stored["period_start"].astype(str).str.slice(0, 10)
    stored["granularity"] = stored["granularity"].astype(object)
    frame["granularity"] = frame["granularity"].astype(object)
    return frame.merge(stored, how="left", on=_KEY, sort=False)


def _store_sqlite(
    session: Session, rows: pd.DataFrame, *, upload_id: int, user_id: int | None, now: datetime
) -> StoreCounts:
    connection = session.connection()
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE IF NOT EXISTS measurement_staging (member_id INTEGER NOT NULL, "
        "kpi_id INTEGER NOT NULL, granularity VARCHAR(8) NOT NULL, period_start DATE NOT NULL, "
        "value FLOAT NOT NULL)"
    )
    connection.exec_driver_sql("DELETE FROM measurement_staging")
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(
            "INSERT INTO measurement_staging VALUES (?, ?, ?, ?, ?)", _tuples(rows, days=str)
        )
    finally:
        cursor.close()
    try:
        return _apply_staged(connection, upload_id=upload_id, user_id=user_id, now=now)
    finally:
        connection.exec_driver_sql("DELETE FROM measurement_staging")


def _store_postgres(
    session: Session, rows: pd.DataFrame, *, upload_id: int, user_id: int | None, now: datetime
) -> StoreCounts:
    connection = session.connection()
    for member_id in sorted(int(m) for m in pd.unique(rows["member_id"])):
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :member)"),
            {"namespace": _LOCK_NAMESPACE, "member": member_id},
        )
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE IF NOT EXISTS measurement_staging ("
        "member_id integer NOT NULL, kpi_id integer NOT NULL, granularity varchar(8) NOT NULL, "
        "period_start date NOT NULL, value double precision NOT NULL) ON COMMIT DELETE ROWS"
    )
    connection.exec_driver_sql("TRUNCATE measurement_staging")
    raw = connection.connection.driver_connection
    statement = "COPY measurement_staging FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        copy.set_types(["int4", "int4", "text", "date", "float8"])
        for row in _tuples(rows, days=date):
            copy.write_row(row)
    connection.exec_driver_sql("ANALYZE measurement_staging")
    return _apply_staged(connection, upload_id=upload_id, user_id=user_id, now=now)


_STAGED_KEY = "s.member_id = m.member_id AND s.kpi_id = m.kpi_id AND s.granularity = m.granularity \
AND s.period_start = m.period_start"


def _apply_staged(
    connection: Connection, *, upload_id: int, user_id: int | None, now: datetime
) -> StoreCounts:
    """Count, keep revisions of, and upsert the rows of ``measurement_staging`` (both databases)."""
    inserted, changed, unchanged = connection.exec_driver_sql(
        "SELECT count(*) FILTER (WHERE m.id IS NULL), "
        "count(*) FILTER (WHERE m.id IS NOT NULL AND m.value IS DISTINCT FROM s.value), "
        "count(*) FILTER (WHERE m.id IS NOT NULL AND m.value = s.value) "
        f"FROM measurement_staging s LEFT JOIN measurement m ON {_STAGED_KEY}"
    ).one()
    column_type = Measurement.metadata.tables["measurement"].c.recorded_at.type
    stamp = bindparam("now", value=now, type_=column_type)
    if changed:
        connection.execute(
            text(
                "INSERT INTO measurement_revision "
                "(measurement_id, old_value, new_value, user_id, upload_id, changed_at) "
                "SELECT m.id, m.value, s.value, :user, :upload, :now "
                f"FROM measurement_staging s JOIN measurement m ON {_STAGED_KEY} "
                "WHERE m.value IS DISTINCT FROM s.value"
            ).bindparams(stamp),
            {"user": user_id, "upload": upload_id},
        )
    if inserted or changed:
        # Key order: concurrent writers take row locks in the same order, and the unique index
        # grows at its end.
        connection.execute(
            text(
                "INSERT INTO measurement "
                "(member_id, kpi_id, granularity, period_start, value, upload_id, recorded_at) "
                "SELECT member_id, kpi_id, granularity, period_start, value, :upload, :now "
                "FROM measurement_staging ORDER BY member_id, kpi_id, granularity, period_start "
                "ON CONFLICT (member_id, kpi_id, granularity, period_start) DO UPDATE SET "
                "value = excluded.value, upload_id = excluded.upload_id, "
                "recorded_at = excluded.recorded_at "
                "WHERE measurement.value IS DISTINCT FROM excluded.value"
            ).bindparams(stamp),
            {"upload": upload_id},
        )
    return StoreCounts(inserted=int(inserted), changed=int(changed), unchanged=int(unchanged))
