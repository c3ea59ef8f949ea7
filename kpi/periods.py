"""Periods as members write them, turned into canonical months, quarters and years.

Every form of DESIGN.md §5 is understood: ``2025-01``, ``2025/01``, ``2025-01-31``, ``202501``,
``Jan 2025``, ``2025Q1``, ``2025-Q1``, ``Q1 2025``, ``2025``; the ROC calendar (民國) as
``114/01``, ``114-01``, ``114年1月``, ``民國114年1月``, ``114Q1``, ``114年第1季``, ``11407``
(YYYMM), ``1140816`` (YYYMMDD) and ``9912`` (YYMM, only when the whole column is written that
way); ``2025年1月``; Excel dates and serial numbers. A day stands for its month.

Canonical labels are ``2025-01`` (month), ``2025-Q1`` (quarter) and ``2025`` (year). A
``period_format`` overrides the guess: a strftime-like pattern whose ``%Y`` is a Gregorian year,
``%y`` a two-digit Gregorian year, ``%R`` an ROC year, ``%m`` a month, ``%d`` a day, ``%b``/``%B``
an English month name and ``%q`` a quarter number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

import numpy as np
import pandas as pd

from kpi.messages import N_, TextError

__all__ = [
    "Granularity",
    "Period",
    "BadPeriod",
    "ParsedPeriods",
    "DistinctPeriods",
    "parse_period",
    "parse_periods",
    "parse_distinct_periods",
    "period_from_label",
    "ROC_OFFSET",
]

ROC_OFFSET = 1911  #: ROC (民國) year 1 is 1912
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIALS = (20_000, 80_000)  #: Excel serials read as dates: 1954-10-03 … 2119-01-09
_YEARS = (1900, 2199)  #: four digits in this range are a Gregorian year
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_CHINESE_QUARTERS = {"一": "1", "二": "2", "三": "3", "四": "4"}
_WIDE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},  # full-width capitals
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},  # full-width small letters
        "／": "/",
        "－": "-",
        "．": ".",
        "：": ":",
        "\u3000": " ",
    }
)
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ROC = r"(?P<roc>民國|民国)?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("day", rf"^(?P<y>\d{{1,4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}$"),
        ("ambiguous_day", rf"^(?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}})[-/.](?P<y>\d{{4}}){_TIME}$"),
        ("month", r"^(?P<y>\d{1,4})[-/.](?P<m>\d{1,2})$"),
        ("month", r"^(?P<m>\d{1,2})[-/.](?P<y>\d{4})$"),
        ("month", rf"^{_ROC}(?P<y>\d{{1,4}})年(?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})日)?份?$"),
        ("quarter", rf"^{_ROC}(?P<y>\d{{1,4}})年度?第?(?P<q>[1-4一二三四])季度?$"),
        ("quarter", rf"^{_ROC}(?P<y>\d{{1,4}})(?:年度?)? ?[-/ ]? ?Q(?P<q>[1-4])$"),
        ("quarter", r"^Q(?P<q>[1-4]) ?[-/ ]? ?(?P<y>\d{4})$"),
        ("quarter", r"^(?P<q>[1-4])Q ?(?P<y>\d{4})$"),
        ("year", rf"^{_ROC}(?P<y>\d{{1,4}})年度?$"),
        ("named_month", r"^(?P<name>[a-z]{3,9})\.? ?[-/ ,]? ?(?P<y>\d{4}|\d{2})$"),
        ("named_month", r"^(?P<y>\d{4}) ?[-/ ]? ?(?P<name>[a-z]{3,9})\.?$"),
        ("digits", r"^(?P<digits>\d{4,8})$"),
        ("serial", r"^(?P<serial>\d{5}\.\d+)$"),
    )
)


class Granularity(StrEnum):
    """The length of a period; the values are those stored in ``measurement.granularity``."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.value]


@dataclass(frozen=True, order=True)
class Period:
    """A month, quarter or year, identified by its first day."""

    granularity: Granularity
    start: date

    @property
    def label(self) -> str:
        """The canonical label: ``2025-01``, ``2025-Q1`` or ``2025``.

        Examples
        --------
        >>> Period(Granularity.QUARTER, date(2025, 4, 1)).label
        '2025-Q2'
        """
        if self.granularity is Granularity.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.granularity is Granularity.QUARTER:
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year:04d}"


class BadPeriod(TextError, ValueError):
    """A cell that is not a period; the message says why and how to write it."""


def period_from_label(label: str) -> Period:
    """The period of a canonical label (the inverse of :attr:`Period.label`).

    Examples
    --------
    >>> period_from_label("2025-Q3")
    Period(granularity=<Granularity.QUARTER: 'quarter'>, start=datetime.date(2025, 7, 1))
    """
    return parse_period(label)


@dataclass(frozen=True)
class _Context:
    """What the whole column says about ambiguous forms."""

    roc_yymm: bool = False  #: four-digit numbers are ROC YYMM (9912), not years
    day_first: bool | None = None  #: 01/02/2025 is 1 February (True) or 2 January (False)
    pattern: re.Pattern[str] | None = None  #: the ``period_format`` override, compiled


def parse_period(cell: object, *, period_format: str | None = None) -> Period:
    """The period a cell stands for.

    Four-digit numbers are years here; :func:`parse_periods` reads a column of ROC YYMM numbers.

    Raises
    ------
    BadPeriod
        When the cell is empty or not a period.

    Examples
    --------
    >>> parse_period("114年第1季").label, parse_period("民國114年1月").label
    ('2025-Q1', '2025-01')
    >>> parse_period("Jan 2025").label, parse_period(45688).label, parse_period("1140816").label
    ('2025-01', '2025-01', '2025-08')
    """
    pattern = _compile_format(period_format) if period_format else None
    return _parse(cell, _Context(pattern=pattern))


@dataclass(frozen=True)
class ParsedPeriods:
    """The result of :func:`parse_periods`, aligned with its input."""

    granularity: pd.Series  #: "month", "quarter", "year" or None where bad
    start: pd.Series  #: datetime64 first day, NaT where bad
    label: pd.Series  #: canonical label, None where bad
    bad: pd.Series  #: bool
    messages: pd.Series  #: :class:`~kpi.messages.Text`, why a bad cell is bad ("" elsewhere)


def parse_periods(cells: pd.Series, *, period_format: str | None = None) -> ParsedPeriods:
    """Vectorised :func:`parse_period` over a column, deciding column-wide ambiguities.

    Each distinct value is parsed once. Four-digit numbers are read as ROC YYMM (``9912`` is
    民國99年12月) only when every four-digit value of the column fits that form and some are no
    plausible year; ``01/02/2025`` is day-first or month-first as the rest of the column shows.

    Examples
    --------
    >>> parse_periods(pd.Series(["9912", "10001"])).label.tolist()
    ['2010-12', '2011-01']
    >>> parse_periods(pd.Series(["2025", "x"])).bad.tolist()
    [False, True]
    """
    distinct = parse_distinct_periods(cells, period_format=period_format)
    codes, index = distinct.codes, cells.index
    return ParsedPeriods(
        granularity=pd.Series(distinct.granularity[codes], index=index, dtype=object),
        start=pd.Series(distinct.start[codes], index=index),
        label=pd.Series(distinct.label[codes], index=index, dtype=object),
        bad=pd.Series(distinct.bad[codes], index=index),
        messages=pd.Series(distinct.message[codes], index=index, dtype=object),
    )


@dataclass(frozen=True)
class DistinctPeriods:
    """The distinct cells of a column, each parsed once, and which one each cell is.

    The arrays have one slot per distinct cell and a last one for missing cells, so that
    ``label[codes]`` gives each cell's label (``codes`` is -1 for a missing cell).
    """

    codes: np.ndarray
    granularity: np.ndarray  #: "month", "quarter", "year" or None where bad
    months: np.ndarray  #: int8 months of the granularity, 0 where bad
    start: np.ndarray  #: datetime64[D] first day, NaT where bad
    label: np.ndarray  #: canonical label, None where bad
    message: np.ndarray  #: :class:`~kpi.messages.Text`, why a bad cell is bad ("" elsewhere)

    @property
    def bad(self) -> np.ndarray:
        return self.message != ""


def parse_distinct_periods(
    cells: pd.Series, *, period_format: str | None = None
) -> DistinctPeriods:
    """:func:`parse_periods` without spreading the results over the cells: for a million cells
    that name a few hundred periods, whoever needs a result per cell takes it with the codes.

    Examples
    --------
    >>> parsed = parse_distinct_periods(pd.Series(["2025-01", "114/01", None]))
    >>> parsed.label[parsed.codes].tolist(), parsed.months[parsed.codes].tolist()
    (['2025-01', '2025-01', None], [1, 1, 0])
    """
    if isinstance(cells.dtype, pd.CategoricalDtype):
        # Only the values of these cells count: unused ones would sway the column's context.
        present = cells.cat.remove_unused_categories()
        codes, values = present.cat.codes.to_numpy(), list(present.cat.categories)
    else:
        codes, uniques = pd.factorize(cells.astype("object"), use_na_sentinel=True)
        values = list(uniques)
    context = _column_context(values, period_format)
    granularities = np.empty(len(values) + 1, dtype=object)
    months = np.zeros(len(values) + 1, dtype=np.int8)
    starts = np.empty(len(values) + 1, dtype="datetime64[D]")
    labels = np.empty(len(values) + 1, dtype=object)
    messages = np.full(len(values) + 1, "", dtype=object)
    for position, value in enumerate([*values, None]):
        try:
            period = _parse(value, context)
        except BadPeriod as exc:
            granularities[position], labels[position] = None, None
            starts[position] = np.datetime64("NaT")
            messages[position] = exc.text
            continue
        granularities[position] = period.granularity.value
        months[position] = period.granularity.months
        starts[position] = np.datetime64(period.start, "D")
        labels[position] = period.label
    # The sentinel -1 of missing cells picks the last slot: the parse of None.
    return DistinctPeriods(
        codes=codes,
        granularity=granularities,
        months=months,
        start=starts,
        label=labels,
        message=messages,
    )


def _column_context(values: list[object], period_format: str | None) -> _Context:
    if period_format:
        return _Context(pattern=_compile_format(period_format))
    texts = [
        _normalise(_integral(value)) for value in values if isinstance(value, str | int | float)
    ]
    four = [text for text in texts if len(text) == 4 and text.isdigit()]
    roc_yymm = (
        bool(four)
        and all(1 <= int(text[2:]) <= 12 and int(text[:2]) >= 1 for text in four)
        and any(not _YEARS[0] <= int(text) <= _YEARS[1] for text in four)
    )
    firsts, seconds = [], []
    for text in texts:
        found = _PATTERNS[1][1].match(text)
        if found:
            firsts.append(int(found["a"]))
            seconds.append(int(found["b"]))
    day_first = None
    if any(value > 12 for value in firsts) and not any(value > 12 for value in seconds):
        day_first = True
    elif any(value > 12 for value in seconds) and not any(value > 12 for value in firsts):
        day_first = False
    return _Context(roc_yymm=roc_yymm, day_first=day_first)


def _integral(value: object) -> object:
    """Whole numbers that Excel stores as floats (9912.0) are read as the digits they show."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    return value


def _normalise(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    text = re.sub(r"\s+", " ", str(value).translate(_WIDE).strip())
    return re.sub(r" ?([年月季日度]) ?", r"\1", text)


def _parse(cell: object, context: _Context) -> Period:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        raise BadPeriod(N_("the period is empty"))
    if isinstance(cell, bool):
        raise BadPeriod(N_("{value!r} is not a period"), value=cell)
    if isinstance(cell, datetime | date | pd.Timestamp):
        return _month(cell.year, cell.month)
    cell = _integral(cell)
    if isinstance(cell, float | np.floating):
        if _SERIALS[0] <= cell < _SERIALS[1]:
            return _serial(float(cell))
        else:
            raise BadPeriod(N_("{value!r} is not a period"), value=cell)
    text = _normalise(cell)
    if not text:
        raise BadPeriod(N_("the period is empty"))
    if context.pattern is not None:
        return _parse_with_format(text, context.pattern)
    for kind, pattern in _PATTERNS:
        found = pattern.match(text)
        if found:
            return _READERS[kind](found, context, text)
    raise BadPeriod(
        N_(
            "{value!r} is not a period; write it as 2025-01, 2025-Q1 or 2025 "
            "(ROC forms such as 114/01 or 114年第1季 work too)"
        ),
        value=text,
    )


def _year(digits: str, *, roc: bool = False) -> int:
    """A Gregorian year from a written one: one to three digits (or 民國) mean the ROC calendar."""
    number = int(digits)
    if roc or len(digits) <= 3:
        if number < 1:
            raise BadPeriod(N_("ROC year {year} does not exist"), year=digits)
        return number + ROC_OFFSET
    if not _YEARS[0] <= number <= _YEARS[1]:
        raise BadPeriod(
            N_("year {year} is out of range ({first}–{last})"),
            year=number,
            first=_YEARS[0],
            last=_YEARS[1],
        )
    return number


def _month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise BadPeriod(N_("month {month} does not exist"), month=month)
    return Period(Granularity.MONTH, date(year, month, 1))


def _day(year: int, month: int, day: int) -> Period:
    period = _month(year, month)
    try:
        date(year, month, day)
    except ValueError:
        raise BadPeriod(
            N_("day {day} does not exist in {period}"), day=day, period=period.label
        ) from None
    return period


def _quarter(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise BadPeriod(N_("quarter {quarter} does not exist"), quarter=quarter)
    return Period(Granularity.QUARTER, date(year, 3 * quarter - 2, 1))


def _serial(number: float) -> Period:
    moment = _EXCEL_EPOCH + timedelta(days=number)
    return _month(moment.year, moment.month)


def _read_day(found: re.Match[str], _context: _Context, _text: str) -> Period:
    return _day(_year(found["y"]), int(found["m"]), int(found["d"]))


def _read_ambiguous_day(found: re.Match[str], context: _Context, text: str) -> Period:
    first, second = int(found["a"]), int(found["b"])
    if first > 12 or context.day_first is True:
        return _day(_year(found["y"]), second, first)
    if second > 12 or context.day_first is False or first == second:
        return _day(_year(found["y"]), first, second)
    raise BadPeriod(
        N_(
            "{value!r} is ambiguous: month {day_first} (day first) or month {month_first} "
            "(month first); give the period format %d/%m/%Y or %m/%d/%Y"
        ),
        value=text,
        day_first=second,
        month_first=first,
    )


def _read_month(found: re.Match[str], _context: _Context, _text: str) -> Period:
    year = _year(found["y"], roc=bool(found.groupdict().get("roc")))
    day = found.groupdict().get("d")
    return _day(year, int(found["m"]), int(day)) if day else _month(year, int(found["m"]))


def _read_quarter(found: re.Match[str], _context: _Context, _text: str) -> Period:
    quarter = _CHINESE_QUARTERS.get(found["q"], found["q"])
    return _quarter(_year(found["y"], roc=bool(found.groupdict().get("roc"))), int(quarter))


def _read_year(found: re.Match[str], _context: _Context, _text: str) -> Period:
    year = _year(found["y"], roc=bool(found["roc"]))
    return Period(Granularity.YEAR, date(year, 1, 1))


def _read_named_month(found: re.Match[str], _context: _Context, text: str) -> Period:
    month = _MONTH_NAMES.get(found["name"].lower())
    if month is None:
        raise BadPeriod(
            N_("{value!r} is not a period: {name!r} is not a month name"),
            value=text,
            name=found["name"],
        )
    digits = found["y"]
    return _month(2000 + int(digits) if len(digits) == 2 else _year(digits), month)


def _read_digits(found: re.Match[str], context: _Context, text: str) -> Period:
    digits = found["digits"]
    size = len(digits)
    if size == 4:
        if context.roc_yymm:
            return _month(_year(digits[:2], roc=True), int(digits[2:]))
        if _YEARS[0] <= int(digits) <= _YEARS[1]:
            return Period(Granularity.YEAR, date(int(digits), 1, 1))
        raise BadPeriod(
            N_(
                "{digits} is not a year; as ROC YYMM it needs every period of the column in "
                "that form (or give the period format %R%m)"
            ),
            digits=digits,
        )
    if size == 5:
        if int(digits) < _SERIALS[0]:
            return _month(_year(digits[:3], roc=True), int(digits[3:]))
        if int(digits) < _SERIALS[1]:
            return _serial(float(digits))
    if size == 6:
        return _month(_year(digits[:4]), int(digits[4:]))
    if size == 7:
        return _day(_year(digits[:3], roc=True), int(digits[3:5]), int(digits[5:]))
    if size == 8:
        return _day(_year(digits[:4]), int(digits[4:6]), int(digits[6:]))
    raise BadPeriod(N_("{value!r} is not a period"), value=text)


def _read_serial(found: re.Match[str], _context: _Context, text: str) -> Period:
    number = float(found["serial"])
    if not _SERIALS[0] <= number < _SERIALS[1]:
        raise BadPeriod(N_("{value!r} is not a period"), value=text)
    return _serial(number)


_READERS = {
    "day": _read_day,
    "ambiguous_day": _read_ambiguous_day,
    "month": _read_month,
    "quarter": _read_quarter,
    "year": _read_year,
    "named_month": _read_named_month,
    "digits": _read_digits,
    "serial": _read_serial,
}

_TOKENS = {
    "%Y": r"(?P<Y>\d{4})",
    "%y": r"(?P<y>\d{2})",
    "%R": r"(?P<R>\d{1,3}?)",  # lazy, so that 9912 with %R%m is 99 and 12
    "%m": r"(?P<m>\d{2}|\d(?!\d))",
    "%d": r"(?P<d>\d{2}|\d(?!\d))",
    "%b": r"(?P<b>[a-z]{3})",
    "%B": r"(?P<b>[a-z]{3,9})",
    "%q": r"(?P<q>[1-4])",
    "%%": "%",
}


@lru_cache(maxsize=32)
def _compile_format(period_format: str) -> re.Pattern[str]:
    parts = re.split(r"(%[A-Za-z%])", period_format.strip())
    regex = []
    for part in parts:
        if part.startswith("%") and len(part) == 2:
            if part not in _TOKENS:
                raise BadPeriod(
                    N_("the period format {format!r} uses {token}, which is not one of {tokens}"),
                    format=period_format,
                    token=part,
                    tokens=", ".join(token for token in _TOKENS if token != "%%"),
                )
            regex.append(_TOKENS[part])
        else:
            regex.extend(
                r"\s*" if piece.isspace() else re.escape(piece)
                for piece in re.split(r"(\s+)", part)
                if piece
            )
    if not any(token in period_format for token in ("%Y", "%y", "%R")):
        raise BadPeriod(
            N_("the period format {format!r} has no year (%Y, %y or %R)"), format=period_format
        )
    return re.compile("^" + "".join(regex) + "$", re.IGNORECASE)


def _parse_with_format(text: str, pattern: re.Pattern[str]) -> Period:
    found = pattern.match(text)
    if found is None:
        raise BadPeriod(N_("{value!r} does not match the period format"), value=text)
    parts = {key: value for key, value in found.groupdict().items() if value is not None}
    if "Y" in parts:
        year = _year(parts["Y"])
    elif "y" in parts:
        year = 2000 + int(parts["y"])
    else:
        year = _year(parts["R"], roc=True)
    if "b" in parts:
        month = _MONTH_NAMES.get(parts["b"].lower())
        if month is None:
            raise BadPeriod(N_("{name!r} is not a month name"), name=parts["b"])
        parts["m"] = str(month)
    if "m" in parts:
        if "d" in parts:
            return _day(year, int(parts["m"]), int(parts["d"]))
        return _month(year, int(parts["m"]))
    if "q" in parts:
        return _quarter(year, int(parts["q"]))
    return Period(Granularity.YEAR, date(year, 1, 1))
