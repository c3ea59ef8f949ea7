"""Audited writes shared by the programme-office services: read a file into records, create or
update rows by their natural key, remove rows, and bump the data version when anything changed.

Every change is recorded in the audit log in the same transaction, with the changed fields before
and after; a row whose values are already stored is counted as unchanged and not written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from bsc import audit, versioning
from bsc.authz import Principal
from bsc.models.base import utcnow
from bsc.services.results import ImportResult
from kpi.issues import InputRejected, Issue, Reason
from kpi.messages import Text
from kpi.reading import Cell, Limits, RawTable, read_table

__all__ = ["read_records", "form_table", "issue_text", "upsert", "remove", "finish"]

R = TypeVar("R")
M = TypeVar("M", bound=SQLModel)


def read_records(
    data: bytes,
    filename: str,
    parse: Callable[[RawTable], tuple[list[R], list[Issue]]],
    *,
    limits: Limits | None = None,
) -> tuple[list[R], ImportResult]:
    """Read ``data`` and ``parse`` it; the result carries every issue (a rejected file has some)."""
    try:
        records, issues = parse(read_table(data, filename, limits=limits))
    except InputRejected as rejected:
        return [], ImportResult(issues=[rejected.issue])
    if not records and not issues:
        issues = [
            Issue(None, None, None, Reason.EMPTY_FILE, Text("the file has a header but no rows"))
        ]
    return records, ImportResult(issues=issues)


def form_table(*rows: Mapping[str, Any]) -> RawTable:
    """Rows typed into a form or a grid as a table (header on line 1, rows from line 2), so they
    are checked by the same rules as a file."""
    names = list(rows[0]) if rows else []
    header: list[Cell] = list(names)
    return RawTable.from_rows(
        rows=[header, *([row.get(name) for name in names] for row in rows)],
        lines=list(range(1, len(rows) + 2)),
        kind="form",
    )


def issue_text(issues: list[Issue], rows: Mapping[int, str] | None = None) -> Text:
    """The issues of a form or grid entry as one message; ``rows`` names a grid row by line."""
    parts = []
    for issue in issues:
        where = [rows[issue.line]] if rows and issue.line is not None and issue.line in rows else []
        # Most messages begin with the column's name already; say it once.
        if issue.column and not issue.message.startswith(issue.column):
            where.append(issue.column)
        parts.append(Text.join([*where, issue.message], ": "))
    return Text.join(parts)


def upsert(
    session: Session,
    current: M | None,
    model: type[M],
    values: dict[str, Any],
    result: ImportResult,
    *,
    actor: Principal,
    source: str,
    member_id: int | None = None,
) -> M:
    """Create a row of ``model`` from ``values``, or update ``current`` where ``values`` differ."""
    entity = str(model.__tablename__)
    if current is None:
        row = model(**values)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            source=source,
            action="create",
            entity=entity,
            entity_id=row.id,  # type: ignore[attr-defined]
            member_id=member_id,
            after=audit.snapshot(row, *values),
        )
        result.created += 1
        return row
    changed = {key: value for key, value in values.items() if getattr(current, key) != value}
    if not changed:
        result.unchanged += 1
        return current
    before = audit.snapshot(current, *changed)
    for key, value in changed.items():
        setattr(current, key, value)
    if "updated_at" in model.model_fields:
        current.updated_at = utcnow()
    session.add(current)
    audit.record(
        session,
        actor=actor,
        source=source,
        action="update",
        entity=entity,
        entity_id=current.id,  # type: ignore[attr-defined]
        member_id=member_id,
        before=before,
        after=audit.snapshot(current, *changed),
    )
    result.updated += 1
    return current


def remove(
    session: Session, row: SQLModel, *, actor: Principal, source: str, member_id: int | None = None
) -> None:
    """Delete ``row``, keeping what it held in the audit log."""
    audit.record(
        session,
        actor=actor,
        source=source,
        action="delete",
        entity=str(row.__tablename__),
        entity_id=row.id,  # type: ignore[attr-defined]
        member_id=member_id,
        before=audit.snapshot(row),
    )
    session.delete(row)


def finish(session: Session, result: ImportResult, *, deleted: int = 0) -> ImportResult:
    """Flush the writes and bump the programme's data version if anything changed."""
    session.flush()
    if result.created or result.updated or deleted:
        versioning.bump(session, versioning.PROGRAMME)
    return result
