"""Problems of a strategy map, as values: each names its rule, severity and objectives.

A message is a :class:`~kpi.messages.Text`: English where it is read as text, an English template
with ``{placeholders}`` that the application translates and fills in with the same parameters,
so that the same issue reads well in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from kpi.issues import Severity
from kpi.messages import N_, Text

__all__ = ["N_", "Rule", "Severity", "MapIssue", "errors_in", "warnings_in", "issues_frame"]


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
    ...     Rule.SELF_LINK, Severity.ERROR, ("C1",), Text("{key} is linked to itself", key="C1")
    ... )
    >>> issue.message, issue.params
    ('C1 is linked to itself', {'key': 'C1'})
    """

    rule: Rule
    severity: Severity
    objectives: tuple[str, ...]
    message: Text
    line: int | None = None

    @property
    def template(self) -> str:
        return self.message.template

    @property
    def params(self) -> Mapping[str, Any]:
        return self.message.params

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self, translate: Callable[[str], str] = str) -> dict[str, Any]:
        """The issue as JSON shows it; ``translate`` puts the message into the reader's words."""
        return {
            "rule": self.rule.value,
            "severity": self.severity.value,
            "objectives": list(self.objectives),
            "line": self.line,
            "message": translate(self.message),
        }


def errors_in(issues: Iterable[MapIssue]) -> list[MapIssue]:
    return [issue for issue in issues if issue.is_error]


def warnings_in(issues: Iterable[MapIssue]) -> list[MapIssue]:
    return [issue for issue in issues if not issue.is_error]


def issues_frame(issues: Iterable[MapIssue], translate: Callable[[str], str] = str) -> pd.DataFrame:
    """The issues as rows (severity, rule, objectives, line, message), for a grid or a CSV."""
    columns = ["severity", "rule", "objectives", "line", "message"]
    rows = [
        dict(issue.to_dict(translate), objectives=", ".join(issue.objectives)) for issue in issues
    ]
    return pd.DataFrame(rows, columns=columns)
