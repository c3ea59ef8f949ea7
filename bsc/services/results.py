"""The outcome of an import: counts, and every issue when the file was rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kpi.issues import Issue, errors_in

__all__ = ["ImportResult"]


@dataclass
class ImportResult:
    """What an import did. ``issues`` with an error mean nothing was stored."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(errors_in(self.issues))

    @property
    def status(self) -> str:
        return "rejected" if self.rejected else "applied"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "issues": [issue.to_dict() for issue in self.issues],
        }
