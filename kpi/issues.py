"""Problems found in an input file, as values: collected, never raised one at a time.

An :class:`Issue` names the line as a spreadsheet shows it (the header is line 1), the column, the
offending value, a reason code from a fixed vocabulary and a message that says what to do. The
message is a :class:`~kpi.messages.Text`: English wherever it is read as text, translated by the
application where it is shown; :meth:`Issue.to_record` keeps its template for later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from kpi.messages import Text, TextError

__all__ = [
    "Reason",
    "Severity",
    "Issue",
    "issues_frame",
    "errors_in",
    "InputRejected",
    "BadValue",
]


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
    message: Text
    severity: Severity = Severity.ERROR

    def to_dict(self, translate: Callable[[str], str] = str) -> dict[str, Any]:
        """The issue as JSON shows it; ``translate`` puts the message into the reader's words.

        Examples
        --------
        >>> issue = Issue(3, "period", "2025-13", Reason.BAD_PERIOD, Text("no month {m}", m=13))
        >>> issue.to_dict()["message"], issue.to_dict(lambda text: text.upper())["message"]
        ('no month 13', 'NO MONTH 13')
        """
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "reason": self.reason.value,
            "message": translate(self.message),
            "severity": self.severity.value,
        }

    def to_record(self) -> dict[str, Any]:
        """:meth:`to_dict` in English plus the message's template and parameters, for storing."""
        return {**self.to_dict(), "text": self.message.to_json()}

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Issue:
        """The issue :meth:`to_record` stored; a record without ``text`` (stored before messages
        kept their templates) gives its English message as a template without parameters."""
        stored = data.get("text")
        return cls(
            data.get("line"),
            data.get("column"),
            data.get("value"),
            Reason(data["reason"]),
            Text.from_json(stored) if stored else Text(str(data["message"])),
            Severity(data.get("severity", "error")),
        )


def errors_in(issues: Iterable[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.severity is Severity.ERROR]


def issues_frame(issues: Iterable[Issue], translate: Callable[[str], str] = str) -> pd.DataFrame:
    """The issues as a DataFrame with one row each, ready for a grid or a CSV."""
    columns = ["line", "column", "value", "reason", "message", "severity"]
    return pd.DataFrame([issue.to_dict(translate) for issue in issues], columns=columns)


class BadValue(TextError, ValueError):
    """A value that cannot be used; the message (a :class:`~kpi.messages.Text`) says why."""


class InputRejected(Exception):
    """An input that cannot be read at all; carries the issue that explains why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue
