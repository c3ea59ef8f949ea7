"""Problems of a strategy map, as values: each names its rule, severity and objectives.

Messages are English templates with ``{placeholders}``; the application translates the template
and fills in :attr:`MapIssue.params`, so the same issue reads well in every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

from kpi.issues import Severity

__all__ = ["N_", "Rule", "Severity", "MapIssue", "errors_in", "warnings_in", "issues_frame"]


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext name for "mark only"
    """Mark ``message`` for translation; the application looks it up when it shows it."""
    return message


class Rule(StrEnum):
    """The checks of DESIGN §6, plus the shape of a map file."""

    BAD_ENTRY = "bad_entry"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_PERSPECTIVE = "unknown_perspective"
    DUPLICATE_KEY = "duplicate_key"
    MISSING_OBJECTIVE = "missing_objective"
    SELF_LINK = "self_link"
    DUPLICATE_LINK = "duplicate_link"
    CYCLE = "cycle"
    DUPLICATE_KPI = "duplicate_kpi"
    UNKNOWN_KPI = "unknown_kpi"
    DOWNWARD_LINK = "downward_link"
    ORPHAN = "orphan"
    NO_KPIS = "no_kpis"
    EMPTY_PERSPECTIVE = "empty_perspective"
    FINANCIAL_UNREACHABLE = "financial_unreachable"


@dataclass(frozen=True)
class MapIssue:
    """One problem of a map: the rule broken, the objective keys involved and what to do.

    Examples
    --------
    >>> issue = MapIssue(
    ...     Rule.SELF_LINK, Severity.ERROR, ("C1",), N_("{key} is linked to itself"), {"key": "C1"}
    ... )
    >>> issue.message
    'C1 is linked to itself'
    """

    rule: Rule
    severity: Severity
    objectives: tuple[str, ...]
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None

    @property
    def message(self) -> str:
        return self.template.format(**self.params)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "severity": self.severity.value,
            "objectives": list(self.objectives),
            "line": self.line,
            "message": self.message,
        }


def errors_in(issues: Iterable[MapIssue]) -> list[MapIssue]:
    return [issue for issue in issues if issue.is_error]


def warnings_in(issues: Iterable[MapIssue]) -> list[MapIssue]:
    return [issue for issue in issues if not issue.is_error]


def issues_frame(issues: Iterable[MapIssue]) -> pd.DataFrame:
    """The issues as rows (severity, rule, objectives, line, message), for a grid or a CSV."""
    columns = ["severity", "rule", "objectives", "line", "message"]
    rows = [dict(issue.to_dict(), objectives=", ".join(issue.objectives)) for issue in issues]
    return pd.DataFrame(rows, columns=columns)
