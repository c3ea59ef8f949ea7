"""Logical backups: every table to JSON lines in one zip, restorable on SQLite or PostgreSQL.

A backup is a consistent snapshot (one read transaction; REPEATABLE READ on PostgreSQL) with a
manifest naming the schema revision and the row count of every table. Restoring creates the schema
at that revision in an empty database, loads every row in one transaction, then upgrades to the
current schema. The format is the same for both engines, so a backup also moves a deployment from
SQLite to PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, delete, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from bsc import migrate
from bsc.errors import BscError, Conflict
from bsc.i18n import N_
from bsc.models import metadata

__all__ = ["FORMAT", "Manifest", "backup", "restore", "read_manifest"]

FORMAT = "pilot-scorecard-backup/1"
_BATCH = 5_000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Manifest:
    format: str
    revision: str
    created_at: str
    dialect: str
    rows: dict[str, int]

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)


def _encoder(table: Table) -> Callable[[Any], dict[str, Any]]:
    kinds = {column.name: _kind(column.type) for column in table.columns}

    def encode(row: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in row._mapping.items():
            kind = kinds[name]
            if value is None:
                out[name] = None
            elif kind == "bytes":
                out[name] = base64.b64encode(value).decode("ascii")
            elif kind in ("date", "datetime"):
                out[name] = value.isoformat()
            else:
                out[name] = value
        return out

    return encode


def _decoder(table: Table) -> Callable[[dict[str, Any]], dict[str, Any]]:
    kinds = {column.name: _kind(column.type) for column in table.columns}

    def decode(row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in row.items():
            if name not in kinds:
                raise BscError(
                    N_("the backup has column {table}.{name}, unknown to this schema"),
                    table=table.name,
                    name=name,
                )
            kind = kinds[name]
            if value is None:
                out[name] = None
            elif kind == "bytes":
                out[name] = base64.b64decode(value)
            elif kind == "date":
                out[name] = date.fromisoformat(value)
            elif kind == "datetime":
                parsed = datetime.fromisoformat(value)
                out[name] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            else:
                out[name] = value
        return out

    return decode


def _kind(column_type: Any) -> str:
    impl = getattr(column_type, "impl", column_type)
    if isinstance(impl, LargeBinary):
        return "bytes"
    if isinstance(impl, DateTime):
        return "datetime"
    if isinstance(impl, Date):
        return "date"
    return "plain"


def backup(engine: Engine, path: Path, *, progress: Progress | None = None) -> Manifest:
    """Write a consistent snapshot of the whole database to ``path`` (a zip file)."""
    revision = migrate.current_revision(engine)
    if revision is None:
        raise BscError(N_("the database has no schema yet; there is nothing to back up"))
    rows: dict[str, int] = {}
    partial = path.with_name(path.name + ".partial")
    connection_options = (
        {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    )
    with (
        engine.connect().execution_options(**connection_options) as connection,
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        with connection.begin():
            for table in metadata.sorted_tables:
                count = 0
                with archive.open(f"tables/{table.name}.jsonl", "w") as handle:
                    for line in _dump(connection, table):
                        handle.write(line)
                        count += 1
                rows[table.name] = count
                if progress:
                    progress(table.name, count)
        manifest = Manifest(
            format=FORMAT,
            revision=revision,
            created_at=datetime.now(UTC).isoformat(),
            dialect=engine.dialect.name,
            rows=rows,
        )
        archive.writestr("manifest.json", manifest.to_json())
    partial.replace(path)
    return manifest


def _dump(connection: Connection, table: Table) -> Iterator[bytes]:
    encode = _encoder(table)
    order = list(table.primary_key.columns)
    result = connection.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
    for row in result:
        yield (
            json.dumps(encode(row), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            + b"\n"
        )


def read_manifest(path: Path) -> Manifest:
    try:
        with zipfile.ZipFile(path) as archive:
            data = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise BscError(
            N_("{path} is not a Pilot Scorecard backup ({problem})"),
            path=str(path),
            problem=str(exc),
        ) from exc
    if data.get("format") != FORMAT:
        raise BscError(
            N_("{path} has backup format {found!r}; expected {expected}"),
            path=str(path),
            found=data.get("format"),
            expected=FORMAT,
        )
    return Manifest(**data)


def restore(
    engine: Engine, path: Path, *, replace: bool = False, progress: Progress | None = None
) -> Manifest:
    """Load a backup into ``engine``'s database, all or nothing, then upgrade to the current schema.

    The database must be new (no schema: it is created at the backup's revision) or, with
    ``replace``, at the backup's revision: its rows are then deleted first, in the same
    transaction.
    """
    manifest = read_manifest(path)
    current = migrate.current_revision(engine)
    if current is None:
        migrate.upgrade(engine, manifest.revision)
    elif current != manifest.revision:
        raise Conflict(
            N_(
                "the database is at schema {current} and the backup at {revision}; restore "
                "into a new, empty database (bsc restore creates its schema)"
            ),
            current=current,
            revision=manifest.revision,
        )
    with zipfile.ZipFile(path) as archive, engine.begin() as connection:
        if _has_rows(connection) and not replace:
            raise Conflict(
                N_("the database already holds data; restore into an empty one or pass --replace")
            )
        for table in reversed(metadata.sorted_tables):
            connection.execute(delete(table))
        for table in metadata.sorted_tables:
            loaded = _load(connection, table, archive)
            if loaded != manifest.rows.get(table.name, 0):
                raise BscError(
                    N_("table {table}: {loaded} rows read, the manifest says {expected}"),
                    table=table.name,
                    loaded=loaded,
                    expected=manifest.rows.get(table.name, 0),
                )
            if progress:
                progress(table.name, loaded)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    migrate.upgrade(engine)
    return manifest


def _has_rows(connection: Connection) -> bool:
    return any(
        connection.execute(select(func.count()).select_from(table)).scalar()
        for table in metadata.sorted_tables
        if table.name != "alembic_version"
    )


def _load(connection: Connection, table: Table, archive: zipfile.ZipFile) -> int:
    name = f"tables/{table.name}.jsonl"
    if name not in archive.namelist():
        return 0
    decode = _decoder(table)
    batch: list[dict[str, Any]] = []
    count = 0
    with archive.open(name) as handle:
        for line in handle:
            batch.append(decode(json.loads(line)))
            if len(batch) >= _BATCH:
                connection.execute(insert(table), batch)
                count += len(batch)
                batch = []
    if batch:
        connection.execute(insert(table), batch)
        count += len(batch)
    return count


def _reset_sequences(connection: Connection) -> None:
    """Move each serial id's sequence past the restored ids, so new rows do not collide."""
    quote = connection.dialect.identifier_preparer.quote
    for table in metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": keys[0].name},
        ).scalar()
        if sequence:
            highest = f"SELECT COALESCE(MAX({quote(keys[0].name)}), 0) + 1 FROM {quote(table.name)}"
            connection.execute(
                text(f"SELECT setval(:sequence, ({highest}), false)"), {"sequence": sequence}
            )
