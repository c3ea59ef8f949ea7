"""Writing the audit log: who changed what, when, through which door, before and after."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bsc.authz import Principal
from bsc.models import AuditLog

__all__ = ["record", "snapshot"]


def snapshot(row: Any, *fields: str) -> dict[str, Any]:
    """A JSON-ready copy of ``fields`` (all columns when none are named) of a table row."""
    data = row.model_dump(include=set(fields) if fields else None)
    return {key: _jsonable(value) for key, value in data.items()}


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def record(
    session: Session,
    *,
    actor: Principal,
    source: str,
    action: str,
    entity: str,
    entity_id: object | None = None,
    member_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit entry to the session's transaction: it commits or rolls back with the write."""
    entry = AuditLog(
        user_id=actor.user_id,
        actor=actor.username,
        source=source,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        member_id=member_id,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
