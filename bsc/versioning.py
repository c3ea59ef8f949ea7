"""Data versions: every write bumps its scope's counter inside the writing transaction.

Cached scorecards and figures are keyed by the version they were computed from, so a write on
any worker or host makes every cache entry built before it unreachable.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

__all__ = ["MEASUREMENTS", "MAPS", "PROGRAMME", "bump", "current"]

MEASUREMENTS = "measurements"  #: measurements, targets and the KPI catalogue
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


def current(session: Session, scope: str = MEASUREMENTS) -> int:
    version = session.execute(
        text("SELECT version FROM data_version WHERE scope = :scope"), {"scope": scope}
    ).scalar()
    return int(version or 0)
