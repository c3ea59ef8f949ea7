"""Data versions: every write bumps its scope's counter inside the writing transaction.

Cached scorecards and figures are keyed by the version they were computed from, so a write on
any worker or host makes every cache entry built before it unreachable.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlmodel import Session

__all__ = [
    "MEASUREMENTS",
    "ANY_MEMBER",
    "MAPS",
    "PROGRAMME",
    "bump",
    "bump_members",
    "member_scope",
    "current",
]

MEASUREMENTS = "measurements"  #: measurements of any or every member, targets
ANY_MEMBER = "measurements:any"  #: some member's measurements (with that member's own scope)
MAPS = "maps"  #: strategy maps
PROGRAMME = "programme"  #: PEST, rollout, survey, vendors, members


def bump(session: Session, scope: str = MEASUREMENTS) -> None:
    """Increment ``scope``'s version as part of the session's transaction."""
    session.flush()
    # One statement: two first writers of a scope cannot both insert (PostgreSQL, SQLite ≥ 3.24).
    session.execute(
        text(
            "INSERT INTO data_version (scope, version) VALUES (:scope, 1) "
            "ON CONFLICT (scope) DO UPDATE SET version = data_version.version + 1"
        ),
        {"scope": scope},
    )


def member_scope(member_id: int) -> str:
    """The scope of one member's measurements.

    An upload bumps the scopes of the members it changed and :data:`ANY_MEMBER`, so views of
    one member (its scorecard, map, KPI details) stay cached while other members upload, and
    views of all members move on. A write that does not say whose measurements it changed
    bumps :data:`MEASUREMENTS`, which every view depends on.
    """
    return f"{MEASUREMENTS}:{member_id}"


def bump_members(session: Session, member_ids: Iterable[int]) -> None:
    """Bump :data:`ANY_MEMBER` and the scope of each member in ``member_ids``."""
    bump(session, ANY_MEMBER)
    for member_id in sorted(set(member_ids)):  # one order for every writer: no deadlock
        bump(session, member_scope(member_id))


def current(session: Session, scope: str = MEASUREMENTS) -> int:
    version = session.execute(
        text("SELECT version FROM data_version WHERE scope = :scope"), {"scope": scope}
    ).scalar()
    return int(version or 0)
