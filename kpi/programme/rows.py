"""Reading programme-office files row by row: days, quarters, bounded whole numbers, known codes.

:class:`ProgrammeRow` extends :class:`~kpi.tabular.RowChecker` with the cell types the PEST,
rollout, survey and vendor files need; every bad cell becomes an :class:`~kpi.issues.Issue` with
the line, the column, the value and a message that says what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from kpi.issues import BadValue, Issue, Reason
from kpi.messages import N_, Text
from kpi.numbers import is_no_value
from kpi.reading import RawTable
from kpi.tabular import Columns, RowChecker, normalise_header

__all__ = [
    "ProgrammeRow",
    "parse_day",
    "parse_quarter",
    "quarter_label",
    "quarter_start",
    "duplicate_rows",
    "header_of",
    "lookup",
    "code_index",
]

_DAY = re.compile(r"^(\d{2,4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_QUARTER_PATTERNS = (
    re.compile(r"^(?P<year>\d{3,4})\s*[-/ ]?\s*Q(?P<q>[1-4])$", re.IGNORECASE),
    re.compile(r"^Q(?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{3,4})$", re.IGNORECASE),
    re.compile(r"^(?:民國)?(?P<year>\d{3,4})\s*年\s*第?\s*(?P<q>[1-4])\s*季$"),
)
_ROC_OFFSET = 1911


def _year(text: str) -> int:
    """A four-digit year, or a three-digit ROC (Minguo) year such as 113 for 2024."""
    year = int(text)
    return year + _ROC_OFFSET if year < 1000 else year


def parse_day(value: object) -> date | None:
    """The day in a cell (ISO, slashes, dots, ``YYYYMMDD``, ROC years, Excel dates), or ``None``.

    Raises
    ------
    BadValue
        When the cell is not empty and holds no valid day.

    Examples
    --------
    >>> parse_day("2024-01-27"), parse_day("113/01/27"), parse_day("20240127"), parse_day("")
    (datetime.date(2024, 1, 27), datetime.date(2024, 1, 27), datetime.date(2024, 1, 27), None)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_no_value(value):
        return None
    text = str(value).strip()
    found = _DAY.match(text) or _COMPACT_DAY.match(text)
    if not found:
        raise BadValue(N_("{value!r} is not a day; write it as YYYY-MM-DD"), value=text)
    year, month, day = found.groups()
    try:
        return date(_year(year), int(month), int(day))
    except ValueError:
        raise BadValue(N_("{value!r} is not a day of the calendar"), value=text) from None


def quarter_start(day: date) -> date:
    """The first day of the quarter ``day`` falls in.

    Examples
    --------
    >>> quarter_start(date(2025, 8, 14))
    datetime.date(2025, 7, 1)
    """
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: date) -> str:
    """The canonical label of the quarter ``day`` falls in.

    Examples
    --------
    >>> quarter_label(date(2024, 10, 1))
    '2024-Q4'
    """
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_quarter(value: object) -> date | None:
    """The first day of the quarter a cell names, or ``None`` for an empty cell.

    ``2024-Q4``, ``2024Q4``, ``Q4 2024``, ROC ``113Q4`` and ``113年第4季`` name a quarter; a day
    names the quarter it falls in.

    Raises
    ------
    BadValue
        When the cell names no quarter.

    Examples
    --------
    >>> parse_quarter("2024-Q4"), parse_quarter("113年第4季"), parse_quarter("2024-11-30")
    (datetime.date(2024, 10, 1), datetime.date(2024, 10, 1), datetime.date(2024, 10, 1))
    """
    if is_no_value(value):
        return None
    if isinstance(value, (date, datetime)):
        return quarter_start(parse_day(value))  # type: ignore[arg-type]
    text = str(value).strip()
    for pattern in _QUARTER_PATTERNS:
        found = pattern.match(text)
        if found:
            return date(_year(found["year"]), 3 * int(found["q"]) - 2, 1)
    try:
        day = parse_day(text)
    except BadValue:
        raise BadValue(N_("{value!r} is not a quarter; write it as 2025-Q1"), value=text) from None
    assert day is not None
    return quarter_start(day)


def code_index(entries: Iterable[tuple[str, ...]]) -> dict[str, str]:
    """Every spelling of a code (the code, then its names) mapped to the code, for :func:`lookup`.

    Examples
    --------
    >>> lookup(code_index([("M001", "Formosa Securities", "福爾摩沙證券")]), "formosa securities")
    'M001'
    """
    entries = list(entries)
    # Codes first: a name that happens to equal another entry's code never hides that code.
    index = {normalise_header(code): code for code, *_ in entries}
    for code, *names in entries:
        for name in names:
            if name:
                index.setdefault(normalise_header(name), code)
    return index


def lookup(known: Mapping[str, str], text: str) -> str | None:
    """The canonical code ``text`` names in ``known`` (keys compared like headers)."""
    return known.get(normalise_header(text))


class ProgrammeRow(RowChecker):
    """A :class:`RowChecker` that also reads days, quarters, bounded integers and known codes."""

    def day(self, name: str, *, required: bool = False) -> date | None:
        value = self.raw(name)
        try:
            day = parse_day(value)
        except BadValue as exc:
            self._fail(name, value, Reason.BAD_PERIOD, exc.text)
            return None
        if day is None and required:
            self._fail(name, value, Reason.MISSING_VALUE, Text("{field} is required", field=name))
        return day

    def quarter(self, name: str) -> date | None:
        value = self.raw(name)
        try:
            quarter = parse_quarter(value)
        except BadValue as exc:
            self._fail(name, value, Reason.BAD_PERIOD, exc.text)
            return None
        if quarter is None:
            self._fail(name, value, Reason.MISSING_VALUE, Text("{field} is required", field=name))
        return quarter

    def whole(self, name: str, low: int, high: int, *, required: bool = True) -> int | None:
        """A whole number from ``low`` to ``high``."""
        number = self.number(name, required=required)
        if number is None:
            return None
        if not float(number).is_integer() or not low <= number <= high:
            self._fail(
                name,
                self.raw(name),
                Reason.BAD_NUMBER,
                Text(
                    "{field} must be a whole number from {low} to {high}",
                    field=name,
                    low=low,
                    high=high,
                ),
            )
            return None
        return int(number)

    def bounded(self, name: str, low: float, high: float, *, required: bool = True) -> float | None:
        """A number from ``low`` to ``high``."""
        number = self.number(name, required=required)
        if number is not None and not low <= number <= high:
            self._fail(
                name,
                self.raw(name),
                Reason.BAD_NUMBER,
                Text("{field} must be from {low:g} to {high:g}", field=name, low=low, high=high),
            )
            return None
        return number

    def known(
        self, name: str, codes: Mapping[str, str], *, reason: Reason, hint: Text
    ) -> str | None:
        """The canonical code of a required cell that must name one of ``codes``; ``hint`` says
        what to do when it names none."""
        text = self.text(name, required=True)
        if text is None:
            return None
        code = lookup(codes, text)
        if code is None:
            self._fail(
                name,
                self.raw(name),
                reason,
                Text("{field} {value!r} is not known; {hint}", field=name, value=text, hint=hint),
            )
        return code


def header_of(table: RawTable, synonyms: Mapping[str, Iterable[str]]) -> Columns:
    """The columns of ``table``'s first row."""
    return Columns.find(table.rows[0], synonyms)


def duplicate_rows(
    rows: Iterable[tuple[int, Any]], columns: Columns, column: str, what: Text
) -> list[Issue]:
    """An issue for every row whose key appeared on an earlier line; ``what`` names the key
    ("this member and stage")."""
    seen: dict[Any, int] = {}
    issues = []
    for line, key in rows:
        if key in seen:
            issues.append(
                Issue(
                    line,
                    columns.headers.get(column, column),
                    " / ".join(str(part) for part in key) if isinstance(key, tuple) else str(key),
                    Reason.DUPLICATE_ROW,
                    Text(
                        "{what} already appears on line {line}; keep one of the two rows",
                        what=what,
                        line=seen[key],
                    ),
                )
            )
        else:
            seen[key] = line
    return issues
