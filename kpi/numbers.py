"""Numbers as members' systems write them: separators, percents, brackets, full-width digits.

``"1,234,567"``, ``"12.5%"``, ``"(1,234)"``, ``"−5"``, ``"１２３"``, ``"（１２３）"``,
``"NT$ 1,200"`` all parse; the "no value" markers (empty, ``-``, ``--``, ``N/A``, ``NA``,
``null``, ``—``) parse to ``None`` and are never turned into zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi.messages import N_, Text, TextError

__all__ = [
    "NO_VALUE_MARKERS",
    "BadNumber",
    "ParsedNumbers",
    "parse_number",
    "parse_numbers",
    "is_no_value",
]

NO_VALUE_MARKERS = frozenset(
    {"", "-", "--", "---", "n/a", "na", "null", "none", "nan", "—", "——", "–", "－", "/", "n.a."}
)

_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９，．％（）－＋　＄",
    "0123456789,.%()-+ $",
)
_MINUS_SIGNS = str.maketrans({"−": "-", "‒": "-", "﹣": "-"})
_CURRENCY = re.compile(r"^(?:NT\$|NTD|TWD|US\$|USD|RMB|CNY|¥|\$|元)\s*", re.IGNORECASE)
_CURRENCY_SUFFIX = re.compile(r"\s*(?:元|NTD|TWD)$", re.IGNORECASE)
_NUMBER = re.compile(r"^(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


class BadNumber(TextError, ValueError):
    """A cell that should hold a number but does not; the message says what was wrong."""


def is_no_value(text: object) -> bool:
    """Whether a cell says "no value" (empty, a dash, N/A, …).

    Examples
    --------
    >>> is_no_value("N/A"), is_no_value("--"), is_no_value("0")
    (True, True, False)
    """
    if text is None:
        return True
    if isinstance(text, float):
        return math.isnan(text)
    if isinstance(text, (int, np.integer, np.floating)):
        return False
    return str(text).translate(_FULL_WIDTH).strip().lower() in NO_VALUE_MARKERS


def parse_number(text: object) -> float | None:
    """The number in a cell, or ``None`` for a "no value" marker.

    A trailing ``%`` is dropped (``"12.5%"`` is 12.5): the KPI's unit says it is a percentage.

    Raises
    ------
    BadNumber
        When the cell is neither a number nor a no-value marker.

    Examples
    --------
    >>> parse_number("(1,234)"), parse_number("１２３"), parse_number("NT$1,200"), parse_number("-")
    (-1234.0, 123.0, 1200.0, None)
    """
    found = _read(text)
    if isinstance(found, tuple):
        raise BadNumber(found[0], value=found[1])
    return found


#: Why a cell is not a number: the message's template and the value it shows.
_Problem = tuple[str, object]
_NOT_A_NUMBER = N_("{value!r} is not a number")
_NOT_FINITE = N_("{value!r} is not a finite number")


def _read(text: object) -> float | None | _Problem:
    """:func:`parse_number` without raising (a column may hold a million bad cells)."""
    if isinstance(text, bool):
        return _NOT_A_NUMBER, text
    if isinstance(text, (int, float, np.integer, np.floating)):
        value = float(text)
        return None if math.isnan(value) else _finite(value, str(text))
    if is_no_value(text):
        return None
    raw = str(text)
    cleaned = raw.translate(_FULL_WIDTH).translate(_MINUS_SIGNS).strip()
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1].strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    sign = ""
    if cleaned.startswith(("+", "-")):
        sign, cleaned = cleaned[0], cleaned[1:].strip()
    cleaned = _CURRENCY_SUFFIX.sub("", _CURRENCY.sub("", cleaned)).replace(" ", "")
    if cleaned.startswith(("+", "-")) and not sign:
        sign, cleaned = cleaned[0], cleaned[1:]
    if not _NUMBER.match(cleaned):
        return _NOT_A_NUMBER, raw
    value = float(sign + cleaned.replace(",", ""))
    return _finite(-value if negative else value, raw)


def _finite(value: float, raw: str) -> float | _Problem:
    return value if math.isfinite(value) else (_NOT_FINITE, raw)


@dataclass(frozen=True)
class ParsedNumbers:
    """The result of :func:`parse_numbers`, aligned with its input."""

    values: pd.Series  #: float, NaN where empty or bad
    empty: pd.Series  #: bool, the cell said "no value"
    bad: pd.Series  #: bool, the cell is not a number
    messages: pd.Series  #: :class:`~kpi.messages.Text`, why a bad cell is bad ("" elsewhere)


def parse_numbers(cells: pd.Series) -> ParsedNumbers:
    """Vectorised :func:`parse_number`: plain numbers take a fast path, the rest go cell by cell.

    Examples
    --------
    >>> parsed = parse_numbers(pd.Series(["1", "1,000", "N/A", "x"]))
    >>> parsed.values.tolist()[:2], parsed.empty.tolist(), parsed.bad.tolist()
    ([1.0, 1000.0], [False, False, True, False], [False, False, False, True])
    """
    index = cells.index
    as_text = cells.astype("object").to_numpy()
    values = pd.to_numeric(pd.Series(as_text, index=index), errors="coerce").to_numpy(
        dtype="float64", copy=True
    )
    empty = np.zeros(len(values), dtype=bool)
    bad = np.zeros(len(values), dtype=bool)
    messages = np.full(len(values), "", dtype=object)
    rest = np.flatnonzero(~np.isfinite(values))
    if len(rest):
        # Each distinct leftover text ("1,234", "N/A", "") is parsed once, however often it occurs.
        codes, uniques = pd.factorize(pd.Series(as_text[rest], dtype=object), use_na_sentinel=True)
        parsed = np.full(len(uniques) + 1, np.nan)
        unique_empty = np.zeros(len(uniques) + 1, dtype=bool)
        unique_bad = np.zeros(len(uniques) + 1, dtype=bool)
        unique_messages = np.full(len(uniques) + 1, "", dtype=object)
        unique_empty[-1] = True  # the sentinel slot: missing cells
        for position, cell in enumerate(uniques):
            number = _read(cell)
            if isinstance(number, tuple):
                unique_bad[position] = True
                unique_messages[position] = Text(number[0], value=number[1])
                continue
            unique_empty[position] = number is None
            parsed[position] = np.nan if number is None else number
        values[rest] = parsed[codes]
        empty[rest] = unique_empty[codes]
        bad[rest] = unique_bad[codes]
        messages[rest] = unique_messages[codes]
    return ParsedNumbers(
        values=pd.Series(values, index=index),
        empty=pd.Series(empty, index=index),
        bad=pd.Series(bad, index=index),
        messages=pd.Series(messages, index=index),
    )
