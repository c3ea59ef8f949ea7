"""Days and quarters as people write them, and the row reader built on them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.programme.rows import (
    code_index,
    lookup,
    parse_day,
    parse_quarter,
    quarter_label,
    quarter_start,
)


@pytest.mark.parametrize(
    "text",
    ["2025-03-07", "2025/3/7", "2025.03.07", "20250307", "114/03/07", "114-3-7"],
)
def test_days_in_common_spellings(text):
    assert parse_day(text) == date(2025, 3, 7)


def test_excel_dates_and_empty_cells():
    assert parse_day(datetime(2025, 3, 7, 0, 0)) == date(2025, 3, 7)
    assert parse_day(date(2025, 3, 7)) == date(2025, 3, 7)
    assert parse_day("") is None and parse_day(None) is None and parse_day("-") is None


@pytest.mark.parametrize("text", ["2025-02-30", "March 7", "7/3/2025", "2025-13-01"])
def test_impossible_or_ambiguous_days_are_refused(text):
    with pytest.raises(ValueError):
        parse_day(text)


@pytest.mark.parametrize(
    "text",
    ["2025-Q3", "2025Q3", "2025 q3", "Q3 2025", "Q3-2025", "114Q3", "114年第3季", "2025-08-14"],
)
def test_quarters_in_common_spellings(text):
    assert parse_quarter(text) == date(2025, 7, 1)


@pytest.mark.parametrize("text", ["2025-Q5", "Q0 2025", "third quarter", "2025-H1"])
def test_what_is_not_a_quarter_is_refused(text):
    with pytest.raises(ValueError, match="2025-Q1"):
        parse_quarter(text)


@given(st.dates(min_value=date(1912, 1, 1), max_value=date(9999, 12, 31)))
def test_a_quarter_label_reads_back_as_the_quarter_start(day):
    start = quarter_start(day)
    assert start <= day and (day - start).days < 92
    assert parse_quarter(quarter_label(day)) == start


def test_codes_are_found_by_code_or_name_and_codes_win():
    index = code_index([("M001", "Formosa", "福爾摩沙"), ("FORMOSA", "Other", None)])
    assert lookup(index, "m001") == "M001"
    assert lookup(index, "福爾摩沙") == "M001"
    assert lookup(index, " Formosa ") == "FORMOSA"  # a code beats another member's name
    assert lookup(index, "nobody") is None
