"""Folding months into quarters, years and years to date, by each aggregation; targets too."""

from __future__ import annotations

import math

import pytest

from kpi.scoring import parse_period, score
from tests.kpi.scoring_inputs import data, kpi, measure, monthly, target

JAN_TO_DEC = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0, 120.0]


def folded(aggregation: str, label: str, values=JAN_TO_DEC, **extra):
    inputs = data(
        [kpi("K", aggregation=aggregation, target=100.0, amber=50.0, floor=0.0)],
        monthly("M1", "K", "2025-01", values),
        **extra,
    )
    return score(inputs, parse_period(label)).kpis.iloc[0]


@pytest.mark.parametrize(
    ("aggregation", "label", "value", "target", "amber"),
    [
        # A quarter of a monthly sum KPI: three months, three monthly targets.
        ("sum", "2025-Q2", 150.0, 300.0, 150.0),
        ("sum", "2025", 780.0, 1200.0, 600.0),
        ("sum", "2025-10-YTD", 550.0, 1000.0, 500.0),
        ("mean", "2025-Q2", 50.0, 100.0, 50.0),
        ("mean", "2025", 65.0, 100.0, 50.0),
        ("mean", "2025-10-YTD", 55.0, 100.0, 50.0),
        ("last", "2025-Q2", 60.0, 100.0, 50.0),
        ("last", "2025-10-YTD", 100.0, 100.0, 50.0),
        ("min", "2025-Q3", 70.0, 100.0, 50.0),
        ("max", "2025-Q3", 90.0, 100.0, 50.0),
        ("max", "2025", 120.0, 100.0, 50.0),
        ("sum", "2025-07", 70.0, 100.0, 50.0),
    ],
)
def test_each_aggregation_folds_values_and_thresholds(aggregation, label, value, target, amber):
    row = folded(aggregation, label)
    assert (row["value"], row["target"], row["amber"]) == (value, target, amber)
    assert row["coverage"] == 1.0 and row["period"] == label


def test_a_missing_month_is_left_out_of_value_and_target_never_zero():
    values = [10.0, None, 30.0] + JAN_TO_DEC[3:]
    row = folded("sum", "2025-Q1", values)
    assert (row["value"], row["target"], row["units"], row["units_expected"]) == (40.0, 200.0, 2, 3)
    assert row["coverage"] == pytest.approx(2 / 3)
    assert row["score"] == pytest.approx(20.0)  # 40 of a 200 target, floor 0
    mean = folded("mean", "2025-Q1", values)
    assert mean["value"] == 20.0 and mean["target"] == 100.0


def test_a_period_without_any_value_is_grey_with_the_whole_target():
    row = folded("sum", "2026-Q1")
    assert math.isnan(row["value"]) and math.isnan(row["score"])
    assert (row["status"], row["target"], row["coverage"]) == ("grey", 300.0, 0.0)


def test_per_period_targets_fold_member_overrides_winning():
    overrides = [
        target("K", "2025-04", 200.0),  # programme-wide, for every member
        target("K", "2025-05", 300.0),
        target("K", "2025-05", 400.0, member="M1"),  # this member's own wins
    ]
    row = folded("sum", "2025-Q2", targets=overrides)
    assert row["target"] == 200.0 + 400.0 + 100.0
    assert bool(row["target_set"])
    assert folded("mean", "2025-Q2", targets=overrides)["target"] == pytest.approx(700.0 / 3)
    assert folded("last", "2025-Q2", targets=overrides)["target"] == 100.0


def test_a_coarser_kpi_stands_in_with_its_latest_finished_unit():
    kpis = [
        kpi("SAT", frequency="quarterly", aggregation="mean", target=85.0, amber=75.0, floor=50.0),
        kpi("IDEAS", frequency="yearly", aggregation="sum", target=12.0, amber=6.0, floor=0.0),
    ]
    rows = [
        measure("M1", "SAT", "2025-Q2", 70.0),
        measure("M1", "SAT", "2025-Q3", 80.0),
        measure("M1", "IDEAS", "2024", 9.0),
    ]
    october = score(data(kpis, rows), parse_period("2025-10")).kpis.set_index("kpi")
    assert october.loc["SAT", "value_period"] == "2025-Q3" and october.loc["SAT", "value"] == 80.0
    assert october.loc["IDEAS", "value_period"] == "2024"
    assert october.loc["IDEAS", "score"] == pytest.approx(75.0)
    ytd = score(data(kpis, rows), parse_period("2025-10-YTD")).kpis.set_index("kpi")
    assert ytd.loc["SAT", "value"] == 75.0  # Q1 missing, Q2 and Q3 folded
    assert (ytd.loc["SAT", "units"], ytd.loc["SAT", "units_expected"]) == (2, 3)
    year = score(data(kpis, rows), parse_period("2025")).kpis.set_index("kpi")
    assert year.loc["SAT", "units_expected"] == 4


def test_a_value_reported_for_the_whole_period_is_used_as_it_is():
    rows = [*monthly("M1", "K", "2025-01", [10.0, 20.0]), measure("M1", "K", "2025-Q1", 75.0)]
    inputs = data([kpi("K", aggregation="sum")], rows)
    row = score(inputs, parse_period("2025-Q1")).kpis.iloc[0]
    assert (row["value"], row["target"], row["coverage"], bool(row["direct"])) == (
        75.0,
        300.0,
        1.0,
        True,
    )


def test_every_member_is_folded_at_once():
    rows = monthly("M1", "K", "2025-01", [1.0, 2.0, 3.0]) + monthly("M2", "K", "2025-01", [4.0])
    kpis = score(data([kpi("K", aggregation="sum")], rows), parse_period("2025-Q1")).kpis
    assert kpis.set_index("member")["value"].to_dict() == {"M1": 6.0, "M2": 4.0}


def test_kpis_without_any_measurement_are_grey_everywhere():
    results = score(
        data([kpi("K"), kpi("L", frequency="quarterly")], [], members=["M1"]),
        parse_period("2025-Q3"),
    )
    assert set(results.kpis["status"]) == {"grey"}
    assert results.kpis["forecast"].isna().all() and set(results.kpis["will_meet"]) == {"unclear"}
    assert results.members.iloc[0]["status"] == "grey"
    assert results.members.iloc[0]["coverage"] == 0.0


def test_a_member_without_kpis_is_reported_grey():
    inputs = data([kpi("K")], monthly("M1", "K", "2025-07", [50.0]))
    results = score(inputs, parse_period("2025-07"), members=["M1", "M2"])
    lonely = results.members.set_index("member").loc["M2"]
    # Its four perspectives are there, all without data.
    assert (lonely["status"], lonely["coverage"], lonely["scored"]) == ("grey", 0.0, 0)
