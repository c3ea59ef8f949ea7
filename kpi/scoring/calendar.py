"""The periods a scorecard is read for, by their canonical labels, and month arithmetic.

Scores are asked for a month ``2025-10``, a quarter ``2025-Q3``, a year ``2025`` or a year to
date through a month ``2025-10-YTD``. Internally a month is an integer *month index*
(``year * 12 + month - 1``) so that whole columns of periods are plain integer arithmetic; a
stored measurement covers ``months`` consecutive months (1, 3 or 12) from its start index.
Parsing the many ways input feeds write periods is not done here (see the ingest readers): these
are the labels the product itself writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

from kpi.messages import N_, TextError

__all__ = [
    "PeriodKind",
    "Period",
    "InvalidPeriod",
    "parse_period",
    "month_index",
    "month_start",
    "unit_label",
    "unit_labels",
    "months_between",
]


class InvalidPeriod(TextError, ValueError):
    """A period label that is not one of the canonical forms; the message shows them."""


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    YTD = "ytd"


_LABEL = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?P<ytd>-YTD)?|Q(?P<quarter>[1-4])))?$",
    re.IGNORECASE,
)


def month_index(day: date) -> int:
    """The month index of the month containing ``day``.

    Examples
    --------
    >>> month_index(date(2025, 10, 31)) - month_index(date(2024, 10, 1))
    12
    """
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    """The first day of the month with this index.

    Examples
    --------
    >>> month_start(month_index(date(2025, 2, 14)))
    datetime.date(2025, 2, 1)
    """
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: int, last: int) -> list[int]:
    """Month indexes from ``first`` to ``last``, both included."""
    return list(range(first, last + 1))


def unit_label(start: int, months: int) -> str:
    """The canonical label of the period of ``months`` months starting at month index ``start``.

    Examples
    --------
    >>> base = month_index(date(2025, 7, 1))
    >>> unit_label(base, 1), unit_label(base, 3), unit_label(base - 6, 12)
    ('2025-07', '2025-Q3', '2025')
    """
    year, month = divmod(start, 12)
    if months == 12:
        return f"{year}"
    if months == 3:
        return f"{year}-Q{month // 3 + 1}"
    return f"{year}-{month + 1:02d}"


def unit_labels(starts: pd.Series, months: pd.Series) -> pd.Series:
    """Vectorised :func:`unit_label` for columns of start indexes and lengths."""
    key = starts.to_numpy(dtype=np.int64) * 16 + months.to_numpy(dtype=np.int64)
    # Periods repeat across members and KPIs: label each distinct one once.
    distinct, positions = np.unique(key, return_inverse=True)
    labels = np.array([unit_label(int(k) // 16, int(k) % 16) for k in distinct], dtype=object)
    return pd.Series(labels[positions.reshape(-1)], index=starts.index, dtype=object)


@dataclass(frozen=True)
class Period:
    """A period a scorecard is read for: its kind and the months it covers.

    ``last`` is the month index of its last month; ``first`` of its first. A year to date runs
    from January of ``last``'s year through ``last``.

    Examples
    --------
    >>> q3 = parse_period("2025-Q3")
    >>> q3.label, q3.months, q3.previous().label, q3.end
    ('2025-Q3', 3, '2025-Q2', datetime.date(2025, 9, 30))
    >>> parse_period("2025-10-YTD").first == parse_period("2025-01").first
    True
    """

    kind: PeriodKind
    last: int

    @property
    def first(self) -> int:
        if self.kind is PeriodKind.MONTH:
            return self.last
        if self.kind is PeriodKind.QUARTER:
            return self.last - 2
        return self.last - self.last % 12

    @property
    def months(self) -> int:
        """How many months the period covers."""
        return self.last - self.first + 1

    @property
    def year(self) -> int:
        return self.last // 12

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.YTD:
            return f"{unit_label(self.last, 1)}-YTD"
        return unit_label(self.first, {"month": 1, "quarter": 3}.get(self.kind.value, 12))

    @property
    def start(self) -> date:
        """The first day of the period."""
        return month_start(self.first)

    @property
    def end(self) -> date:
        """The last day of the period."""
        following = month_start(self.last + 1)
        return date.fromordinal(following.toordinal() - 1)

    @property
    def granularity(self) -> int | None:
        """The length in months of a stored measurement covering exactly this period, if any."""
        return None if self.kind is PeriodKind.YTD else self.months

    def previous(self) -> Period:
        """The period before: the month, quarter or year before; a year to date through the
        month before (January's goes back to the whole previous year's)."""
        return Period(self.kind, self.last - (1 if self.kind is PeriodKind.YTD else self.months))

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier when negative)."""
        size = 1 if self.kind is PeriodKind.YTD else self.months
        return Period(self.kind, self.last + steps * size)

    def horizon(self) -> Period:
        """The period a forecast looks ahead to: the whole year for a year to date, else itself."""
        if self.kind is PeriodKind.YTD:
            return Period(PeriodKind.YEAR, self.year * 12 + 11)
        return self

    def reframed(self, kind: PeriodKind | str) -> Period:
        """The period of ``kind`` that contains this period's last month.

        Examples
        --------
        >>> parse_period("2025-08").reframed("quarter").label
        '2025-Q3'
        >>> parse_period("2025-Q3").reframed(PeriodKind.YTD).label
        '2025-09-YTD'
        """
        chosen = PeriodKind(kind)
        if chosen is PeriodKind.QUARTER:
            return Period(chosen, self.last - self.last % 3 + 2)
        if chosen is PeriodKind.YEAR:
            return Period(chosen, self.last - self.last % 12 + 11)
        return Period(chosen, self.last)

    def contains(self, day: date) -> bool:
        return self.first <= month_index(day) <= self.last

    def __str__(self) -> str:
        return self.label

    @classmethod
    def month(cls, index: int) -> Period:
        return cls(PeriodKind.MONTH, index)


def parse_period(label: str) -> Period:
    """The period a canonical label names.

    Raises
    ------
    InvalidPeriod
        When ``label`` is not one of the canonical forms, saying which are.

    Examples
    --------
    >>> parse_period("2025-10").kind, parse_period("2025-q4").label, parse_period("2025").months
    (<PeriodKind.MONTH: 'month'>, '2025-Q4', 12)
    """
    text = str(label).strip()
    found = _LABEL.match(text)
    if not found:
        raise InvalidPeriod(
            N_(
                "{value!r} is not a period; write 2025-10 (month), 2025-Q3 (quarter), 2025 "
                "(year) or 2025-10-YTD (year to date)"
            ),
            value=text,
        )
    year = int(found["year"])
    if found["quarter"]:
        return Period(PeriodKind.QUARTER, year * 12 + int(found["quarter"]) * 3 - 1)
    if found["month"] is None:
        return Period(PeriodKind.YEAR, year * 12 + 11)
    month = int(found["month"])
    if not 1 <= month <= 12:
        raise InvalidPeriod(
            N_(
                "{value!r}: month {month} does not exist; write 2025-10 (month), 2025-Q3 "
                "(quarter), 2025 (year) or 2025-10-YTD (year to date)"
            ),
            value=text,
            month=month,
        )
    kind = PeriodKind.YTD if found["ytd"] else PeriodKind.MONTH
    return Period(kind, year * 12 + month - 1)
