from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.periods import (
    BadPeriod,
    Granularity,
    Period,
    parse_period,
    parse_periods,
    period_from_label,
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2025-01", "2025-01"),
        ("2025/01", "2025-01"),
        ("2025-01-31", "2025-01"),
        ("202501", "2025-01"),
        ("Jan 2025", "2025-01"),
        ("January 2025", "2025-01"),
        ("Jan-25", "2025-01"),
        ("2025Q1", "2025-Q1"),
        ("2025-Q1", "2025-Q1"),
        ("Q1 2025", "2025-Q1"),
        ("2025", "2025"),
        ("114/01", "2025-01"),
        ("114-01", "2025-01"),
        ("114年1月", "2025-01"),
        ("114年01月", "2025-01"),
        ("民國114年1月", "2025-01"),
        ("114Q1", "2025-Q1"),
        ("114年第1季", "2025-Q1"),
        ("114年第一季", "2025-Q1"),
        ("113年度", "2024"),
        ("11407", "2025-07"),
        ("1140816", "2025-08"),
        ("20250131", "2025-01"),
        ("2025年1月", "2025-01"),
        ("２０２５／０１", "2025-01"),
        ("2025-01-31 00:00:00", "2025-01"),
        (datetime(2025, 3, 1), "2025-03"),
        (date(2025, 12, 31), "2025-12"),
        (45688, "2025-01"),
        (45688.75, "2025-01"),
        ("45688", "2025-01"),
        (2025.0, "2025"),
    ],
)
def test_every_period_form_of_the_design(text, label):
    assert parse_period(text).label == label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-13", "month 13 does not exist"),
        ("114/13", "month 13 does not exist"),
        ("2025-02-30", "day 30 does not exist in 2025-02"),
        ("2025Q5", "is not a period"),
        ("soon", "is not a period"),
        ("", "empty"),
        (None, "empty"),
        ("Foo 2025", "not a month name"),
        ("9912", "is not a year"),
        ("0/01", "ROC year 0 does not exist"),
    ],
)
def test_bad_periods_say_why(text, message):
    with pytest.raises(BadPeriod, match=message):
        parse_period(text)


def test_yymm_only_when_the_whole_column_is_consistent():
    consistent = parse_periods(pd.Series(["9912", "10001", "9911"]))
    assert consistent.label.tolist() == ["2010-12", "2011-01", "2010-11"]
    mixed = parse_periods(pd.Series(["9912", "2025"]))
    assert mixed.bad.tolist() == [True, False]
    years = parse_periods(pd.Series(["2024", "2025"]))
    assert years.granularity.tolist() == ["year", "year"]


def test_day_and_month_order_follows_the_column():
    assert parse_periods(pd.Series(["01/02/2025", "31/01/2025"])).label.tolist() == [
        "2025-02",
        "2025-01",
    ]
    assert parse_periods(pd.Series(["01/02/2025", "01/31/2025"])).label.tolist() == [
        "2025-01",
        "2025-01",
    ]
    ambiguous = parse_periods(pd.Series(["01/02/2025"]))
    assert ambiguous.bad.tolist() == [True]
    assert "period format" in ambiguous.messages.iloc[0]


@pytest.mark.parametrize(
    ("text", "period_format", "label"),
    [
        ("9912", "%R%m", "2010-12"),
        ("11407", "%R%m", "2025-07"),
        ("01/02/2025", "%d/%m/%Y", "2025-02"),
        ("01/02/2025", "%m/%d/%Y", "2025-01"),
        ("FY2025 Q3", "FY%Y Q%q", "2025-Q3"),
        ("Mar-25", "%b-%y", "2025-03"),
        ("2025", "%Y", "2025"),
    ],
)
def test_a_period_format_overrides_the_guess(text, period_format, label):
    assert parse_period(text, period_format=period_format).label == label
    parsed = parse_periods(pd.Series([text]), period_format=period_format)
    assert parsed.label.tolist() == [label]


def test_a_bad_period_format_is_explained():
    with pytest.raises(BadPeriod, match="no year"):
        parse_period("01", period_format="%m")
    with pytest.raises(BadPeriod, match="%Z"):
        parse_period("01", period_format="%Y%Z")


def test_parse_periods_keeps_alignment_and_reports_each_bad_cell():
    parsed = parse_periods(
        pd.Series(["2025-01", None, "2025-Q2", "x", "2025-01"], index=[5, 6, 7, 8, 9])
    )
    assert parsed.label.tolist() == ["2025-01", None, "2025-Q2", None, "2025-01"]
    assert parsed.bad.tolist() == [False, True, False, True, False]
    assert list(parsed.label.index) == [5, 6, 7, 8, 9]
    assert parsed.start.iloc[2] == pd.Timestamp("2025-04-01")


# Compact ROC months (YYYMM) stop at 民國199: from 20000 on, five digits are Excel serials.
months = st.builds(
    lambda year, month: Period(Granularity.MONTH, date(year, month, 1)),
    st.integers(1913, 2110),
    st.integers(1, 12),
)
quarters = st.builds(
    lambda year, quarter: Period(Granularity.QUARTER, date(year, 3 * quarter - 2, 1)),
    st.integers(1913, 2199),
    st.integers(1, 4),
)
years = st.builds(lambda year: Period(Granularity.YEAR, date(year, 1, 1)), st.integers(1900, 2199))


def _month_forms(period: Period) -> list[object]:
    y, m, roc = period.start.year, period.start.month, period.start.year - 1911
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return [
        f"{y}-{m:02d}",
        f"{y}/{m:02d}",
        f"{y}-{m:02d}-28",
        f"{y}{m:02d}",
        f"{names[m - 1]} {y}",
        f"{roc}/{m:02d}",
        f"{roc}-{m:02d}",
        f"{roc}年{m}月",
        f"{roc}年{m:02d}月",
        f"民國{roc}年{m}月",
        f"{y}年{m}月",
        f"{roc:03d}{m:02d}" if roc < 100 else f"{roc}{m:02d}",
        f"{roc}{m:02d}15" if roc >= 100 else f"{roc:03d}{m:02d}15",
        datetime(y, m, 15),
    ]


@given(months)
def test_a_month_written_in_any_form_parses_back_to_itself(period):
    for form in _month_forms(period):
        assert parse_period(form) == period, form
    assert period_from_label(period.label) == period


@given(quarters)
def test_a_quarter_written_in_any_form_parses_back_to_itself(period):
    y, q, roc = period.start.year, (period.start.month - 1) // 3 + 1, period.start.year - 1911
    for form in (f"{y}Q{q}", f"{y}-Q{q}", f"Q{q} {y}", f"{roc}Q{q}", f"{roc}年第{q}季"):
        assert parse_period(form) == period, form
    assert period_from_label(period.label) == period


@given(years)
def test_a_year_parses_back_to_itself(period):
    assert parse_period(str(period.start.year)) == period
    assert period_from_label(period.label) == period


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.binary(max_size=20)))
def test_anything_else_is_a_period_or_a_bad_period_never_a_crash(value):
    try:
        period = parse_period(value)
    except BadPeriod:
        return
    assert isinstance(period, Period)
