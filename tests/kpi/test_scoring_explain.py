"""Every score and colour says why, in words and numbers."""

from __future__ import annotations

import pandas as pd

from kpi.scoring import Wording, explain_kpis, explain_rollups, parse_period, score
from tests.kpi.scoring_inputs import data, kpi, monthly


def explained(kpi_definition, values, label):
    inputs = data([kpi_definition], monthly("M1", "K", "2025-07", values))
    return explain_kpis(score(inputs, parse_period(label)).kpis).iloc[0]


def test_a_red_kpi_explains_its_numbers():
    text = explained(kpi("K", unit="%", target=99.0, amber=95.0, floor=80.0), [93.1], "2025-07")
    assert text == (
        "2025-07: 93.1 % vs target 99 %; amber needs ≥ 95 % ⇒ red; score 69 (80 % scores 0)"
    )


def test_a_folded_kpi_says_how_it_was_folded():
    text = explained(
        kpi("K", unit="TWD", aggregation="sum", target=1000.0, amber=500.0, floor=0.0),
        [400.0, None, 500.0],
        "2025-Q3",
    )
    assert text.startswith("2025-Q3: 900 TWD vs target 2,000 TWD; amber needs ≥ 1,000 TWD ⇒ red")
    assert text.endswith("(0 TWD scores 0; sum of 2 of 3 months)")


def test_lower_is_better_and_bands_read_the_right_way_round():
    lower = explained(
        kpi("K", polarity="lower_is_better", target=5.0, amber=15.0, floor=60.0), [10.0], "2025-07"
    )
    assert "amber needs ≤ 15 ⇒ amber" in lower
    band = {
        "polarity": "in_band",
        "band_low": 40.0,
        "band_high": 75.0,
        "band_tolerance": 10.0,
        "unit": "%",
    }
    assert explained(kpi("K", **band), [80.0], "2025-07") == (
        "2025-07: 80 % is 5 % outside the band 40 %–75 %; amber within 10 % ⇒ amber; score 75"
    )
    assert "no value reported" in explained(kpi("K", **band), [80.0], "2025-09")


def test_roll_ups_explain_coverage_and_flagged_weights():
    rows = pd.DataFrame(
        [
            {
                "score": 85.0,
                "status": "green",
                "coverage": 1.0,
                "children": 2,
                "scored": 2,
                "weight_sum": 120.0,
                "weights_flagged": True,
            },
            {
                "score": None,
                "status": "grey",
                "coverage": 0.0,
                "children": 3,
                "scored": 0,
                "weight_sum": 3.0,
                "weights_flagged": False,
            },
            {
                "score": None,
                "status": "grey",
                "coverage": 0.0,
                "children": 0,
                "scored": 0,
                "weight_sum": 0.0,
                "weights_flagged": False,
            },
        ]
    )
    texts = explain_rollups(rows, green=80, amber=60, weight_total=100).tolist()
    assert texts[0] == (
        "score 85: weighted mean of 2 of 2 parts with data, coverage 100%; green needs ≥ 80, "
        "amber ≥ 60 ⇒ green (weights add up to 120, not 100: normalised)"
    )
    assert texts[1] == "no data in any of its 3 parts ⇒ grey"
    assert texts[2] == "nothing measured here yet ⇒ grey"


def test_the_wording_translates_and_formats():
    wording = Wording(
        translate=lambda message: message.replace("vs target", "against the target of"),
        number=lambda value: f"{value:.2f}",
        status=str.upper,
    )
    kpis = score(
        data([kpi("K")], monthly("M1", "K", "2025-07", [50.0])), parse_period("2025-07")
    ).kpis
    assert explain_kpis(kpis, wording).iloc[0] == (
        "2025-07: 50.00 against the target of 100.00; amber needs ≥ 80.00 ⇒ RED; score 50.00 "
        "(0.00 scores 0)"
    )
