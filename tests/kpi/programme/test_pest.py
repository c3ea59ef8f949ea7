"""PEST consensus, heat map, radar, trend and the objectives exposed to threats."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kpi.programme import pest


def ratings(*rows):
    return pd.DataFrame(
        rows, columns=["factor", "category", "quarter", "impact", "likelihood", "rater"]
    )


RATINGS = ratings(
    ("REG", "political", "2025-Q1", -2, 5, "strategy"),
    ("REG", "political", "2025-Q1", -1, 4, "it"),
    ("REG", "political", "2025-Q2", -2, 5, "strategy"),
    ("VOL", "economic", "2025-Q1", 1, 3, "strategy"),
    ("VOL", "economic", "2025-Q2", 2, 4, "strategy"),
    ("AGE", "social", "2025-Q2", -1, 2, "strategy"),
)


def test_raters_are_averaged_and_exposure_is_impact_times_likelihood():
    agreed = pest.consensus(RATINGS).set_index(["factor", "quarter"])
    reg = agreed.loc[("REG", "2025-Q1")]
    assert (reg["impact"], reg["likelihood"], reg["raters"]) == (-1.5, 4.5, 2)
    assert reg["exposure"] == pytest.approx(-6.75) and reg["impact_spread"] == 1
    assert agreed.loc[("VOL", "2025-Q2"), "exposure"] == 8
    assert pest.latest_quarter(agreed.reset_index()) == "2025-Q2"
    assert pest.consensus(RATINGS.iloc[0:0]).empty


def test_the_heat_map_orders_factors_by_category_and_quarters_in_time():
    matrix = pest.heat_matrix(pest.consensus(RATINGS))
    assert list(matrix.index) == ["VOL", "REG", "AGE"]  # economic, political, social
    assert list(matrix.columns) == ["2025-Q1", "2025-Q2"]
    assert math.isnan(matrix.loc["AGE", "2025-Q1"]) and matrix.loc["REG", "2025-Q2"] == -10


def test_the_radar_separates_threats_from_opportunities_and_keeps_every_category():
    profile = pest.category_profile(pest.consensus(RATINGS), "2025-Q2").set_index("category")
    assert list(profile.index) == ["political", "economic", "social", "technological"]
    assert profile.loc["political", "threat"] == 10 and profile.loc["political", "opportunity"] == 0
    assert profile.loc["economic", "opportunity"] == 8
    assert profile.loc["social", "threat"] == 2
    assert profile.loc["technological"].tolist() == [0, 0, 0]


def test_bubbles_count_the_objectives_a_factor_touches():
    links = pd.DataFrame(
        {
            "factor": ["REG", "REG", "VOL"],
            "member_code": [None, "M1", None],
            "objective_key": ["C1", "P2", "F1"],
        }
    )
    frame = pest.bubbles(pest.consensus(RATINGS), links, "2025-Q2").set_index("factor")
    assert frame["objectives"].to_dict() == {"AGE": 0, "REG": 2, "VOL": 1}


def test_the_trend_is_the_slope_of_exposure_over_recent_quarters():
    history = ratings(
        *[
            ("F", "social", f"2025-Q{q}", impact, 4, "r")
            for q, impact in ((1, 1), (2, 0), (3, -1), (4, -2))
        ],
        ("G", "social", "2025-Q4", 1, 1, "r"),
    )
    directions = pest.trend(pest.consensus(history)).set_index("factor")
    assert directions.loc["F", "slope"] == pytest.approx(-4.0)
    assert directions.loc["F", "direction"] == "worsening" and directions.loc["F", "change"] == -4
    assert pd.isna(directions.loc["G", "direction"]) and pd.isna(directions.loc["G", "slope"])


def test_objectives_exposed_to_threats_with_their_status_worst_first():
    agreed = pest.consensus(RATINGS)
    links = pd.DataFrame(
        {
            "factor": ["REG", "REG", "VOL", "AGE", "REG"],
            "member_code": [None, "M2", None, None, None],
            "objective_key": ["C1", "F9", "F1", "C2", "L7"],
        }
    )
    objectives = pd.DataFrame(
        {
            "member_code": ["M1", "M2", "M2", "M1"],
            "objective_key": ["C1", "C1", "F1", "C2"],
            "status": ["amber", "green", "red", "red"],
            "score": [70.0, 90.0, 40.0, 30.0],
        }
    )
    exposed = pest.exposed_objectives(agreed, links, objectives, quarter="2025-Q2")
    rows = exposed[["member_code", "objective_key", "factors", "status"]].values.tolist()
    # REG (−2 × 5) is the only threat in Q2: AGE is harmful but unlikely, VOL helps.
    assert rows == [
        ["M1", "C1", "REG", "amber"],
        ["M2", "C1", "REG", "green"],
        ["M2", "F9", "REG", "grey"],  # M2's own link, its map has no F9 yet
        [None, "L7", "REG", "grey"],  # no member's map has L7: listed, not hidden
    ]
    assert set(exposed["exposure"]) == {-10}
    only_m1 = pest.exposed_objectives(
        agreed, links, objectives, quarter="2025-Q2", member_codes=["M1"]
    )
    assert only_m1["member_code"].tolist() == ["M1", None]
    lenient = pest.exposed_objectives(
        agreed, links, objectives, quarter="2025-Q2", min_likelihood=2
    )
    assert "C2" in set(lenient["objective_key"])


def test_a_quarter_without_threats_exposes_nothing():
    agreed = pest.consensus(RATINGS)
    links = pd.DataFrame({"factor": ["VOL"], "member_code": [None], "objective_key": ["F1"]})
    objectives = pd.DataFrame(columns=["member_code", "objective_key", "status", "score"])
    assert pest.exposed_objectives(agreed, links, objectives, quarter="2025-Q1").empty
