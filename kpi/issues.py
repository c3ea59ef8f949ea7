"""Problems found in an input file, as values: collected, never raised one at a time.

An :class:`Issue` names the line as a spreadsheet shows it (the header is line 1), the column, the
offending value, a reason code from a fixed vocabulary and a message that says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

__all__ = ["Reason", "Severity", "Issue", "issues_frame", "errors_in", "InputRejected"]


class Reason(StrEnum):
    UNKNOWN_KPI = "unknown_kpi"
    UNKNOWN_MEMBER = "unknown_member"
    MEMBER_NOT_ALLOWED = "member_not_allowed"
    BAD_PERIOD = "bad_period"
    BAD_NUMBER = "bad_number"
    BAD_VALUE = "bad_value"
    DUPLICATE_ROW = "duplicate_row"
    DUPLICATE_CODE = "duplicate_code"
    PERIOD_TOO_FINE = "period_too_fine"
    MISSING_COLUMN = "missing_column"
    MISSING_VALUE = "missing_value"
    ENCODING = "encoding"
    EMPTY_FILE = "empty_file"
    TOO_LARGE = "too_large"
    NOT_TABULAR = "not_tabular"
    IGNORED_ROW = "ignored_row"
    IGNORED_COLUMN = "ignored_column"
    CONFLICT = "conflict"
    NOTHING_CHANGED = "nothing_changed"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem of an input. ``line`` is ``None`` for problems of the file as a whole."""

    line: int | None
    column: str | None
    value: str | None
    reason: Reason
    message: str
    severity: Severity = Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["reason"] = self.reason.value
        data["severity"] = self.severity.value
        return data


def errors_in(issues: Iterable[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.severity is Severity.ERROR]


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """The issues as a DataFrame with one row each, ready for a grid or a CSV."""
    columns = ["line", "column", "value", "reason", "message", "severity"]
    return pd.DataFrame([issue.to_dict() for issue in issues], columns=columns)


class InputRejected(Exception):
    """An input that cannot be read at all; carries the issue that explains why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue
