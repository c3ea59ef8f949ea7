"""Status and score of a value (DESIGN.md §4): worked examples and properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kpi.scoring import assess

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def one(polarity: str, value: float | None, **thresholds: float | None) -> tuple[float, str]:
    row = {
        "polarity": polarity,
        "value": value,
        "target": None,
        "amber": None,
        "floor": None,
        "band_low": None,
        "band_high": None,
        "band_tolerance": None,
        **thresholds,
    }
    result = assess(pd.DataFrame([row])).iloc[0]
    return float(result["score"]), str(result["status"])


HIGHER = {"target": 99.0, "amber": 95.0, "floor": 80.0}
LOWER = {"target": 12.0, "amber": 15.0, "floor": 25.0}
BAND = {"band_low": 40.0, "band_high": 75.0, "band_tolerance": 10.0}


@pytest.mark.parametrize(
    ("value", "score", "status"),
    [
        (99.0, 100.0, "green"),
        (100.0, 100.0, "green"),
        (96.0, 84.2105, "amber"),  # (96 - 80) / (99 - 80)
        (95.0, 78.9474, "amber"),
        (93.1, 68.9474, "red"),
        (80.0, 0.0, "red"),
        (70.0, 0.0, "red"),
    ],
)
def test_higher_is_better(value, score, status):
    assert one("higher_is_better", value, **HIGHER) == (pytest.approx(score, abs=1e-3), status)


@pytest.mark.parametrize(
    ("value", "score", "status"),
    [
        (10.0, 100.0, "green"),
        (12.0, 100.0, "green"),
        (14.0, 84.6154, "amber"),  # (25 - 14) / (25 - 12)
        (15.0, 76.9231, "amber"),
        (20.0, 38.4615, "red"),
        (25.0, 0.0, "red"),
        (30.0, 0.0, "red"),
    ],
)
def test_lower_is_better(value, score, status):
    assert one("lower_is_better", value, **LOWER) == (pytest.approx(score, abs=1e-3), status)


@pytest.mark.parametrize(
    ("value", "score", "status"),
    [
        (40.0, 100.0, "green"),
        (60.0, 100.0, "green"),
        (75.0, 100.0, "green"),
        (80.0, 75.0, "amber"),  # 5 outside: 1 - 5 / 20
        (30.0, 50.0, "amber"),  # 10 outside: the edge of the amber zone
        (29.0, 45.0, "red"),
        (95.0, 0.0, "red"),
        (120.0, 0.0, "red"),
    ],
)
def test_in_band(value, score, status):
    assert one("in_band", value, **BAND) == (pytest.approx(score, abs=1e-3), status)


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better", "in_band"])
def test_no_value_is_grey_without_a_score(polarity):
    score, status = one(polarity, None, **HIGHER, **BAND)
    assert math.isnan(score) and status == "grey"


def test_a_target_override_beyond_the_floor_scores_met_or_not():
    assert one("higher_is_better", 5.0, target=5.0, amber=5.0, floor=10.0) == (100.0, "green")
    assert one("higher_is_better", 4.0, target=5.0, amber=5.0, floor=10.0) == (0.0, "red")


@st.composite
def higher_thresholds(draw):
    floor = draw(st.floats(min_value=-1e5, max_value=1e5))
    target = floor + draw(st.floats(min_value=1e-3, max_value=1e5))
    amber = draw(st.floats(min_value=floor, max_value=target))
    return {"floor": floor, "amber": amber, "target": target}


@st.composite
def lower_thresholds(draw):
    target = draw(st.floats(min_value=-1e5, max_value=1e5))
    floor = target + draw(st.floats(min_value=1e-3, max_value=1e5))
    amber = draw(st.floats(min_value=target, max_value=floor))
    return {"floor": floor, "amber": amber, "target": target}


@st.composite
def bands(draw):
    low = draw(st.floats(min_value=-1e5, max_value=1e5))
    high = low + draw(st.floats(min_value=0, max_value=1e5))
    tolerance = draw(st.floats(min_value=1e-3, max_value=1e4))
    return {"band_low": low, "band_high": high, "band_tolerance": tolerance}


RANK = {"red": 0, "amber": 1, "green": 2}


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(higher_thresholds(), finite, finite)
def test_higher_scores_rise_with_the_value(thresholds, a, b):
    low, high = sorted((a, b))
    (s_low, c_low), (s_high, c_high) = (
        one("higher_is_better", v, **thresholds) for v in (low, high)
    )
    assert 0 <= s_low <= s_high <= 100
    assert RANK[c_low] <= RANK[c_high]


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(lower_thresholds(), finite, finite)
def test_lower_scores_fall_with_the_value(thresholds, a, b):
    low, high = sorted((a, b))
    (s_low, c_low), (s_high, c_high) = (
        one("lower_is_better", v, **thresholds) for v in (low, high)
    )
    assert 0 <= s_high <= s_low <= 100
    assert RANK[c_high] <= RANK[c_low]


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(bands(), finite, finite)
def test_in_band_scores_fall_with_the_distance_from_the_band(band, a, b):
    def distance(v: float) -> float:
        return max(band["band_low"] - v, v - band["band_high"], 0.0)

    near, far = sorted((a, b), key=distance)
    assume(distance(near) < distance(far))
    (s_near, c_near), (s_far, c_far) = (one("in_band", v, **band) for v in (near, far))
    assert 0 <= s_far <= s_near <= 100
    assert RANK[c_far] <= RANK[c_near]


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(higher_thresholds())
def test_higher_target_scores_100_and_floor_scores_0(thresholds):
    assert one("higher_is_better", thresholds["target"], **thresholds) == (100.0, "green")
    assert one("higher_is_better", thresholds["floor"], **thresholds)[0] == 0.0


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(lower_thresholds())
def test_lower_target_scores_100_and_floor_scores_0(thresholds):
    assert one("lower_is_better", thresholds["target"], **thresholds) == (100.0, "green")
    assert one("lower_is_better", thresholds["floor"], **thresholds)[0] == 0.0


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(bands(), st.floats(min_value=0, max_value=1))
def test_the_band_scores_100_and_its_amber_zone_50_to_100(band, share):
    inside = band["band_low"] + share * (band["band_high"] - band["band_low"])
    assert one("in_band", inside, **band) == (100.0, "green")
    # Just inside the tolerance: exactly on it, float rounding may fall either side.
    edge = band["band_high"] + share * 0.99 * band["band_tolerance"]
    score, status = one("in_band", edge, **band)
    assert 50 <= score <= 100
    assert status in ("green", "amber")
