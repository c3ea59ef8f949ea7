"""Trends judged by polarity, and forecasts to the end of the period."""

from __future__ import annotations

import math

import pytest

from kpi.scoring import parse_period, score
from tests.kpi.scoring_inputs import data, kpi, measure, monthly

RISING = [60.0, 64.0, 68.0, 72.0, 76.0, 80.0]
FLAT = [70.0, 70.5, 69.8, 70.2, 70.1, 69.9]


def kpi_row(kpi_row_def, values, label="2025-06", first="2025-01"):
    results = score(data([kpi_row_def], monthly("M1", "K", first, values)), parse_period(label))
    return results.kpis.iloc[0]


@pytest.mark.parametrize(
    ("polarity", "values", "trend"),
    [
        ("higher_is_better", RISING, "improving"),
        ("higher_is_better", RISING[::-1], "worsening"),
        ("lower_is_better", RISING, "worsening"),
        ("lower_is_better", RISING[::-1], "improving"),
        ("higher_is_better", FLAT, "steady"),
    ],
)
def test_the_slope_is_judged_by_polarity(polarity, values, trend):
    thresholds = {"target": 100.0, "amber": 80.0, "floor": 0.0}
    if polarity == "lower_is_better":
        thresholds = {"target": 0.0, "amber": 20.0, "floor": 100.0}
    row = kpi_row(kpi("K", polarity=polarity, **thresholds), values)
    assert row["trend"] == trend
    assert row["trend_points"] == 6


def test_in_band_trends_judge_the_distance_to_the_band():
    band = {"polarity": "in_band", "band_low": 40.0, "band_high": 75.0, "band_tolerance": 10.0}
    assert kpi_row(kpi("K", **band), [20.0, 25.0, 30.0, 34.0, 38.0, 40.0])["trend"] == "improving"
    assert kpi_row(kpi("K", **band), [50.0, 70.0, 75.0, 80.0, 85.0, 90.0])["trend"] == "worsening"
    assert kpi_row(kpi("K", **band), [45.0, 60.0, 50.0, 70.0, 55.0, 65.0])["trend"] == "steady"


def test_too_few_points_have_no_trend_and_no_forecast():
    row = kpi_row(kpi("K", aggregation="sum"), [50.0, 60.0], label="2025-Q1")
    assert row["trend"] is None and math.isnan(row["forecast"])
    assert row["will_meet"] == "unclear"


def test_a_rising_sum_is_projected_to_the_end_of_the_quarter():
    # Jan–May reported, Q2 asked for: June is projected from the line (80 + 4 × 1 = 84 → 88).
    row = kpi_row(
        kpi("K", aggregation="sum", target=100.0, amber=80.0, floor=0.0),
        [64.0, 68.0, 72.0, 76.0, 80.0],
        label="2025-Q2",
    )
    assert row["forecast_period"] == "2025-Q2"
    assert row["forecast"] == pytest.approx(76.0 + 80.0 + 84.0)
    assert row["forecast_target"] == 300.0 and row["forecast_projected"] == 1
    assert row["forecast_low"] == pytest.approx(row["forecast"])  # a perfect line
    assert row["will_meet"] == "no"


def test_a_year_to_date_forecasts_the_year():
    row = kpi_row(
        kpi("K", aggregation="mean", target=70.0, amber=60.0, floor=0.0),
        [60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0, 68.0, 69.0],
        label="2025-10-YTD",
    )
    assert row["forecast_period"] == "2025"
    assert row["forecast"] == pytest.approx(sum(60.0 + i for i in range(12)) / 12)
    assert row["will_meet"] == "no"  # the year's mean 65.5 stays under 70


def test_noise_makes_a_close_call_unclear():
    noisy = [90.0, 101.0, 94.0, 106.0, 97.0, 104.0, 95.0, 108.0, 98.0]
    row = kpi_row(
        kpi("K", aggregation="mean", target=100.0, amber=90.0, floor=0.0),
        noisy,
        label="2025-Q4",
        first="2025-01",
    )
    assert row["forecast_low"] < 100.0 < row["forecast_high"]
    assert row["will_meet"] == "unclear"


def test_a_complete_period_meets_its_target_or_not():
    row = kpi_row(kpi("K", target=50.0, amber=40.0, floor=0.0), RISING)
    assert (row["forecast"], row["forecast_projected"], row["will_meet"]) == (80.0, 0, "yes")


def test_a_quarterly_kpi_in_a_monthly_scorecard_forecasts_its_quarter():
    quarterly = kpi(
        "Q", frequency="quarterly", aggregation="mean", target=85.0, amber=75.0, floor=50.0
    )
    rows = [measure("M1", "Q", f"2025-Q{q}", 70.0 + 5 * q) for q in (1, 2, 3)]
    row = score(data([quarterly], rows), parse_period("2025-10")).kpis.iloc[0]
    assert (row["value_period"], row["forecast_period"]) == ("2025-Q3", "2025-Q4")
    assert row["forecast"] == pytest.approx(90.0) and row["will_meet"] == "yes"
