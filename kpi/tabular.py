"""Small tools for row-by-row validation of a table with a known set of columns.

:class:`Columns` finds the columns of a header by name or synonym; :class:`RowChecker` reads one
row's cells into typed values and collects an :class:`~kpi.issues.Issue` for every bad cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from kpi.issues import Issue, Reason
from kpi.messages import Text
from kpi.numbers import BadNumber, is_no_value, parse_number
from kpi.reading import Cell

__all__ = ["normalise_header", "Columns", "RowChecker", "TRUE_WORDS", "FALSE_WORDS"]

E = TypeVar("E", bound=StrEnum)

TRUE_WORDS = frozenset({"1", "y", "yes", "true", "t", "是", "有", "x", "v"})
FALSE_WORDS = frozenset({"0", "n", "no", "false", "f", "否", "無", "无", ""})
_SPACES = re.compile(r"[\s\u3000]+")


def normalise_header(text: object) -> str:
    """Compare headers ignoring case, spacing, full-width spaces and trailing footnote marks.

    Examples
    --------
    >>> normalise_header(" Member Code# ")
    'member_code'
    """
    cleaned = str(text if text is not None else "").strip().rstrip("#*＊※").strip()
    return _SPACES.sub("_", cleaned.lower()).replace("-", "_")


@dataclass(frozen=True)
class Columns:
    """Positions of known fields in a header row."""

    positions: dict[str, int]
    headers: dict[str, str]

    @classmethod
    def find(
        cls,
        header: Sequence[Cell],
        synonyms: Mapping[str, Iterable[str]],
    ) -> Columns:
        """Match each field to the first header cell equal to the field or one of its synonyms."""
        normalised = [normalise_header(cell) for cell in header]
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        for name, words in synonyms.items():
            wanted = {normalise_header(name), *(normalise_header(word) for word in words)}
            for index, cell in enumerate(normalised):
                if cell in wanted and index not in positions.values():
                    positions[name] = index
                    headers[name] = str(header[index]).strip()
                    break
        return cls(positions=positions, headers=headers)

    def missing(self, required: Iterable[str]) -> list[Issue]:
        return [
            Issue(
                line=1,
                column=name,
                value=None,
                reason=Reason.MISSING_COLUMN,
                message=Text("the header has no column {field!r}", field=name),
            )
            for name in required
            if name not in self.positions
        ]


class RowChecker:
    """Read typed values from one row, collecting an issue for each bad cell."""

    def __init__(self, row: Sequence[Cell], line: int, columns: Columns) -> None:
        self.row = row
        self.line = line
        self.columns = columns
        self.issues: list[Issue] = []

    def raw(self, name: str) -> Cell:
        position = self.columns.positions.get(name)
        if position is None or position >= len(self.row):
            return None
        return self.row[position]

    def _fail(self, name: str, value: Cell, reason: Reason, message: Text) -> None:
        column = self.columns.headers.get(name, name)
        shown = None if value is None else str(value)
        self.issues.append(Issue(self.line, column, shown, reason, message))

    def text(self, name: str, *, required: bool = False, pattern: str | None = None) -> str | None:
        value = self.raw(name)
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self._fail(name, value, Reason.MISSING_VALUE, _required(name))
            return None
        if pattern and not re.fullmatch(pattern, text):
            self._fail(
                name,
                value,
                Reason.BAD_VALUE,
                Text(
                    "{field} {value!r} must match {pattern}",
                    field=name,
                    value=text,
                    pattern=pattern,
                ),
            )
            return None
        return text

    def number(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: float | None = None,
        integer: bool = False,
    ) -> float | None:
        value = self.raw(name)
        try:
            number = parse_number(value)
        except BadNumber as exc:
            self._fail(name, value, Reason.BAD_NUMBER, exc.text)
            return None
        if number is None:
            if required:
                self._fail(name, value, Reason.MISSING_VALUE, _required(name))
            return None
        if minimum is not None and number < minimum:
            self._fail(
                name,
                value,
                Reason.BAD_NUMBER,
                Text("{field} must be at least {minimum:g}", field=name, minimum=minimum),
            )
            return None
        if integer and not float(number).is_integer():
            self._fail(
                name, value, Reason.BAD_NUMBER, Text("{field} must be a whole number", field=name)
            )
            return None
        return number

    def flag(self, name: str) -> bool:
        value = self.raw(name)
        word = "" if is_no_value(value) else str(value).strip().lower()
        if word.endswith(".0"):
            word = word[:-2]
        if word in TRUE_WORDS:
            return True
        if word not in FALSE_WORDS:
            self._fail(
                name,
                value,
                Reason.BAD_VALUE,
                Text("{field} must be 1/0, yes/no or true/false", field=name),
            )
        return False

    def choice(
        self,
        name: str,
        vocabulary: type[E],
        *,
        required: bool = True,
        aliases: Callable[[str], E | None] | None = None,
    ) -> E | None:
        value = self.raw(name)
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self._fail(name, value, Reason.MISSING_VALUE, _required(name))
            return None
        found = aliases(text) if aliases else None
        if found is None:
            try:
                found = vocabulary(text.lower().replace(" ", "_").replace("-", "_"))
            except ValueError:
                allowed = ", ".join(member.value for member in vocabulary)
                self._fail(
                    name,
                    value,
                    Reason.BAD_VALUE,
                    Text(
                        "{field} {value!r} is not one of {allowed}",
                        field=name,
                        value=text,
                        allowed=allowed,
                    ),
                )
                return None
        return found

    def check(self, condition: bool, name: str, message: Text) -> None:
        if not condition:
            self._fail(name, self.raw(name), Reason.BAD_VALUE, message)

    def result(self, record: Any) -> Any:
        """``record`` when the row had no issue, ``None`` otherwise."""
        return None if self.issues else record


def _required(name: str) -> Text:
    return Text("{field} is required", field=name)
