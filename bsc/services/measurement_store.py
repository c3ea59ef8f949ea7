"""Storing validated measurements in bulk, inside the caller's transaction.

Values are keyed by (member, KPI, granularity, period start). One indexed query finds which keys
of an upload are stored already, and each row then takes the cheapest way in:

* a new key is inserted straight into ``measurement``: one ``executemany`` on SQLite, one binary
  ``COPY`` on PostgreSQL, in (KPI, granularity, period, member) order, so that the index on
  (KPI, period) grows at the end of each KPI and the unique key at the end of each series;
* a stored key whose value differs keeps its old value in ``measurement_revision`` and is updated
  by id;
* a stored key with the same value is left alone and counted as unchanged.

Finding and writing must see the same stored values. On SQLite the transaction holds the write
lock from its start (``BEGIN IMMEDIATE``). On PostgreSQL a transaction advisory lock per member,
taken before the query, serialises concurrent uploads of the same member; uploads of different
members never share a key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from bsc.binary_copy import binary_copy_data, binary_copy_records
from bsc.models import Measurement
from bsc.models.base import utcnow

__all__ = ["StoreCounts", "store_measurements", "compare_measurements"]

#: First key of the two-key advisory locks taken per member during an upload ("BS").
_LOCK_NAMESPACE = 0x4253
#: The granularities the schema allows, in the order of their codes here.
_GRANULARITIES = ("month", "quarter", "year")
_CHUNK = 20_000


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
    if rows.empty:
        return StoreCounts()
    plan = _Plan.make(session.connection(), rows)
    return plan.counts


def store_measurements(
    session: Session, rows: pd.DataFrame, *, upload_id: int, user_id: int | None
) -> StoreCounts:
    """Upsert ``rows`` (``member_id``, ``kpi_id``, ``granularity``, ``period_start``, ``value``)
    as part of the session's transaction and record a revision for every changed value.

    Raises
    ------
    ValueError
        When two rows have the same member, KPI, granularity and period start.
    """
    if rows.empty:
        return StoreCounts()
    session.flush()
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        for member_id in np.unique(rows["member_id"].to_numpy(np.int64)).tolist():
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:namespace, :member)"),
                {"namespace": _LOCK_NAMESPACE, "member": member_id},
            )
    plan = _Plan.make(connection, rows)
    now = utcnow()
    if postgres:
        _write_postgres(connection, plan, upload_id=upload_id, user_id=user_id, now=now)
    else:
        _write_sqlite(connection, plan, upload_id=upload_id, user_id=user_id, now=now)
    return plan.counts


@dataclass(frozen=True)
class _Plan:
    """The rows in insertion order, and what becomes of each: new, changed or unchanged."""

    member_id: np.ndarray
    kpi_id: np.ndarray
    granularity: np.ndarray  #: codes into _GRANULARITIES
    day: np.ndarray  #: days since 1970-01-01
    value: np.ndarray
    new: np.ndarray  #: bool: no stored measurement has this key
    changed: np.ndarray  #: positions of the rows stored with another value
    changed_id: np.ndarray  #: the stored measurement of each changed row
    old_value: np.ndarray  #: its stored value

    @property
    def counts(self) -> StoreCounts:
        inserted, changed = int(self.new.sum()), len(self.changed)
        return StoreCounts(
            inserted=inserted, changed=changed, unchanged=len(self.new) - inserted - changed
        )

    @classmethod
    def make(cls, connection: Connection, rows: pd.DataFrame) -> _Plan:
        member = rows["member_id"].to_numpy(np.int64)
        kpi = rows["kpi_id"].to_numpy(np.int64)
        granularity = pd.Categorical(rows["granularity"], categories=_GRANULARITIES).codes
        if (granularity < 0).any():
            raise ValueError(f"granularities must be one of {', '.join(_GRANULARITIES)}")
        day = rows["period_start"].to_numpy().astype("datetime64[D]").view(np.int64)
        key = _KeyCode(member, kpi, day)
        codes = key.encode(member, kpi, granularity, day)
        order = np.argsort(codes, kind="stable")
        codes = codes[order]
        if len(codes) > 1 and (codes[1:] == codes[:-1]).any():
            raise ValueError("two rows have the same member, KPI, granularity and period")
        value = rows["value"].to_numpy(np.float64)[order]
        stored_id, *stored_key, stored_value = _stored(connection, key, granularity)
        if len(stored_id):
            # Each row's stored measurement, or -1.
            match = pd.Index(key.encode(*stored_key)).get_indexer(codes)
            new = match < 0
            existing = np.flatnonzero(~new)
            differs = stored_value[match[existing]] != value[existing]
            changed = existing[differs]
            changed_at = match[changed]
        else:
            new = np.ones(len(codes), dtype=bool)
            changed = changed_at = np.empty(0, dtype=np.int64)
        del codes
        return cls(
            member_id=member[order].astype(np.int32),
            kpi_id=kpi[order].astype(np.int32),
            granularity=granularity[order],
            day=day[order].astype(np.int32),
            value=value,
            new=new,
            changed=changed,
            changed_id=stored_id[changed_at],
            old_value=stored_value[changed_at],
        )


class _KeyCode:
    """One int64 per (member, KPI, granularity, day) of an upload's range, ordered by KPI,
    granularity, day and member: sorting by it gives the insertion order."""

    def __init__(self, member: np.ndarray, kpi: np.ndarray, day: np.ndarray) -> None:
        self.members = np.sort(pd.unique(member))
        self.kpis = np.sort(pd.unique(kpi))
        self.first_day, self.last_day = int(day.min()), int(day.max())
        self.rows = len(day)

    def encode(
        self, member: np.ndarray, kpi: np.ndarray, granularity: np.ndarray, day: np.ndarray
    ) -> np.ndarray:
        days = self.last_day - self.first_day + 1
        # In place: a million rows at 8 bytes each, made as few times as possible.
        code = np.searchsorted(self.kpis, kpi).astype(np.int64, copy=False)
        code *= len(_GRANULARITIES)
        code += granularity
        code *= days
        code += day
        code -= self.first_day
        code *= len(self.members)
        code += np.searchsorted(self.members, member)
        return code


def _stored(
    connection: Connection, key: _KeyCode, granularity: np.ndarray
) -> tuple[np.ndarray, ...]:
    """id, member_id, kpi_id, granularity code, day and value of the stored measurements of the
    upload's members, KPIs and granularities between its first and last period.

    A re-sent million-row file reads a million stored rows: PostgreSQL sends them as binary COPY
    data that numpy reads in one step, SQLite's cursor a chunk at a time.
    """
    postgres = connection.dialect.name == "postgresql"
    day = (
        "period_start - DATE '1970-01-01'"
        if postgres
        else "CAST(julianday(period_start) - 2440587.5 AS INTEGER)"
    )
    code = " ".join(f"WHEN '{name}' THEN {index}" for index, name in enumerate(_GRANULARITIES))
    # Every value in this statement is an integer or a text of our own, never the file's.
    granularities = ", ".join(f"'{_GRANULARITIES[g]}'" for g in np.unique(granularity).tolist())
    query = (
        f"SELECT id, member_id, kpi_id, CASE granularity {code} END, {day}, value "
        f"FROM measurement WHERE member_id IN ({', '.join(map(str, key.members.tolist()))}) "
        f"AND kpi_id IN ({', '.join(map(str, key.kpis.tolist()))}) "
        f"AND granularity IN ({granularities}) "
        f"AND period_start BETWEEN '{_date(key.first_day)}' AND '{_date(key.last_day)}'"
    )
    raw = connection.connection.driver_connection
    if postgres:
        statement = f"COPY ({query}) TO STDOUT (FORMAT BINARY)"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            data = b"".join(bytes(block) for block in copy)
        records = binary_copy_records(data, ["int4", "int4", "int4", "int4", "int4", "float8"])
        columns = [records[f"value{index}"] for index in range(6)]
        return (*(column.astype(np.int64) for column in columns[:5]), columns[5].astype(float))
    cursor = raw.cursor()  # type: ignore[union-attr]
    try:
        # SQLite reads a row found through the unique index with one more lookup in the table,
        # four times the cost of a row of a plain scan: an upload about as large as the table
        # (a file sent again, a first backfill) reads the table through.
        highest = cursor.execute("SELECT max(id) FROM measurement").fetchone()[0] or 0
        if highest < 4 * key.rows:
            query = query.replace("FROM measurement", "FROM measurement NOT INDEXED", 1)
        cursor.execute(query)
        parts = [np.empty((0, 6))]
        while rows := cursor.fetchmany(_CHUNK):
            parts.append(np.array(rows, dtype=np.float64))
    finally:
        cursor.close()
    table = np.concatenate(parts)
    return (*(table[:, index].astype(np.int64) for index in range(5)), table[:, 5])


def _date(day: int) -> date:
    return np.datetime64(day, "D").astype(date)


# ---------------------------------------------------------------- SQLite


def _write_sqlite(
    connection: Connection, plan: _Plan, *, upload_id: int, user_id: int | None, now: datetime
) -> None:
    stamp = _sqlite_timestamp(connection, now)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if plan.new.any():
            cursor.executemany(
                "INSERT INTO measurement (member_id, kpi_id, granularity, period_start, value, "
                "upload_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                _sqlite_rows(plan, upload_id=upload_id, stamp=stamp),
            )
        if len(plan.changed):
            ids = plan.changed_id.tolist()
            values = plan.value[plan.changed].tolist()
            cursor.executemany(
                "INSERT INTO measurement_revision (measurement_id, old_value, new_value, user_id, "
                "upload_id, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                zip(
                    ids,
                    plan.old_value.tolist(),
                    values,
                    repeat(user_id),
                    repeat(upload_id),
                    repeat(stamp),
                ),
            )
            cursor.executemany(
                "UPDATE measurement SET value = ?, upload_id = ?, recorded_at = ? WHERE id = ?",
                zip(values, repeat(upload_id), repeat(stamp), ids),
            )
    finally:
        cursor.close()


def _sqlite_timestamp(connection: Connection, now: datetime) -> Any:
    """``now`` as SQLAlchemy stores it in SQLite, so that the ORM reads it back the same."""
    column_type = Measurement.metadata.tables["measurement"].c.recorded_at.type
    process = column_type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return process(now) if process else now


def _sqlite_rows(plan: _Plan, *, upload_id: int, stamp: Any) -> Iterator[tuple[Any, ...]]:
    """The new rows as tuples, converted a chunk at a time to bound memory."""
    # Each distinct day and granularity becomes one Python string, shared by its rows.
    days = np.unique(plan.day)
    day_texts = np.array(np.datetime_as_string(days.astype("datetime64[D]")).tolist(), object)
    granularities = np.array(_GRANULARITIES, dtype=object)
    for begin in range(0, len(plan.new), _CHUNK):
        chunk = slice(begin, begin + _CHUNK)
        new = plan.new[chunk]
        yield from zip(
            plan.member_id[chunk][new].tolist(),
            plan.kpi_id[chunk][new].tolist(),
            granularities[plan.granularity[chunk][new]].tolist(),
            day_texts[np.searchsorted(days, plan.day[chunk][new])].tolist(),
            plan.value[chunk][new].tolist(),
            repeat(upload_id),
            repeat(stamp),
        )


# ---------------------------------------------------------------- PostgreSQL


def _write_postgres(
    connection: Connection, plan: _Plan, *, upload_id: int, user_id: int | None, now: datetime
) -> None:
    raw = connection.connection.driver_connection
    new = plan.new
    if new.any():
        # A binary COPY block has one text value for all its rows: one block per granularity.
        blocks = []
        for code, name in enumerate(_GRANULARITIES):
            picked = np.flatnonzero(new & (plan.granularity == code))
            if len(picked):
                columns = [
                    ("int4", plan.member_id[picked]),
                    ("int4", plan.kpi_id[picked]),
                    ("text", name),
                    ("date", plan.day[picked].astype("datetime64[D]")),
                    ("float8", plan.value[picked]),
                    ("int4", upload_id),
                    ("timestamptz", now),
                ]
                blocks.append((len(picked), columns))
        statement = (
            "COPY measurement (member_id, kpi_id, granularity, period_start, value, upload_id, "
            "recorded_at) FROM STDIN (FORMAT BINARY)"
        )
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for data in binary_copy_data(blocks):
                copy.write(data)
    changed = plan.changed
    if not len(changed):
        return
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE IF NOT EXISTS measurement_change (id integer NOT NULL, "
        "old_value double precision NOT NULL, new_value double precision NOT NULL) "
        "ON COMMIT DELETE ROWS"
    )
    connection.exec_driver_sql("TRUNCATE measurement_change")
    block = (
        len(changed),
        [
            ("int4", plan.changed_id),
            ("float8", plan.old_value),
            ("float8", plan.value[changed]),
        ],
    )
    statement = "COPY measurement_change FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for data in binary_copy_data([block]):
            copy.write(data)
    connection.exec_driver_sql("ANALYZE measurement_change")
    parameters = {"user": user_id, "upload": upload_id, "now": now}
    connection.execute(
        text(
            "INSERT INTO measurement_revision "
            "(measurement_id, old_value, new_value, user_id, upload_id, changed_at) "
            "SELECT id, old_value, new_value, :user, :upload, :now FROM measurement_change"
        ),
        parameters,
    )
    connection.execute(
        text(
            "UPDATE measurement AS m SET value = c.new_value, upload_id = :upload, "
            "recorded_at = :now FROM measurement_change AS c WHERE m.id = c.id"
        ),
        parameters,
    )
