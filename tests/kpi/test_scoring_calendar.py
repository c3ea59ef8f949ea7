"""Canonical period labels: parsing, months covered, previous periods and reframing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.scoring.calendar import InvalidPeriod, Period, PeriodKind, parse_period, unit_label


@pytest.mark.parametrize(
    ("label", "kind", "first", "last", "months"),
    [
        ("2025-10", PeriodKind.MONTH, date(2025, 10, 1), date(2025, 10, 31), 1),
        ("2025-Q3", PeriodKind.QUARTER, date(2025, 7, 1), date(2025, 9, 30), 3),
        ("2024", PeriodKind.YEAR, date(2024, 1, 1), date(2024, 12, 31), 12),
        ("2025-10-YTD", PeriodKind.YTD, date(2025, 1, 1), date(2025, 10, 31), 10),
        ("2024-02", PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29), 1),
    ],
)
def test_labels_name_the_months_they_cover(label, kind, first, last, months):
    period = parse_period(label)
    assert (period.kind, period.start, period.end, period.months) == (kind, first, last, months)
    assert period.label == label


@pytest.mark.parametrize(
    ("label", "previous"),
    [
        ("2025-01", "2024-12"),
        ("2025-Q1", "2024-Q4"),
        ("2025", "2024"),
        ("2025-10-YTD", "2025-09-YTD"),
        ("2025-01-YTD", "2024-12-YTD"),
    ],
)
def test_the_previous_period(label, previous):
    assert parse_period(label).previous().label == previous


@pytest.mark.parametrize(
    ("label", "kind", "expected"),
    [
        ("2025-08", "quarter", "2025-Q3"),
        ("2025-08", "year", "2025"),
        ("2025-08", "ytd", "2025-08-YTD"),
        ("2025-Q2", "month", "2025-06"),
        ("2025", "quarter", "2025-Q4"),
        ("2025-10-YTD", "month", "2025-10"),
    ],
)
def test_reframing_keeps_the_last_month(label, kind, expected):
    assert parse_period(label).reframed(kind).label == expected


def test_a_year_to_date_forecasts_the_whole_year():
    assert parse_period("2025-10-YTD").horizon().label == "2025"
    assert parse_period("2025-Q3").horizon().label == "2025-Q3"


@pytest.mark.parametrize("label", ["2025-13", "2025-00", "2025Q3", "25-10", "2025-Q5", "", "x"])
def test_bad_labels_say_which_forms_are_accepted(label):
    with pytest.raises(InvalidPeriod, match="2025-Q3 \\(quarter\\)"):
        parse_period(label)


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(st.integers(min_value=1990 * 12, max_value=2100 * 12), st.sampled_from(list(PeriodKind)))
def test_every_label_parses_back_to_its_period(last, kind):
    period = Period(kind, last).reframed(kind)
    assert parse_period(period.label) == period
    assert period.first <= period.last
    assert unit_label(period.last, 1) == f"{period.end.year}-{period.end.month:02d}"
