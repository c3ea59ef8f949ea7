"""Roll-up KPI → objective → perspective → member: weights, coverage, missing data."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.scoring import RollupRules, parse_period, score
from kpi.scoring.rollup import weighted_mean
from tests.kpi.scoring_inputs import data, kpi, measure

PERIOD = parse_period("2025-10")


def run(kpis, rows, *, rules=None, **extra):
    return score(data(kpis, rows, **extra), PERIOD, rules=rules)


def test_the_weighted_roll_up_of_a_mapped_member():
    kpis = [
        kpi("A", perspective="financial"),
        kpi("B", perspective="financial"),
        kpi("C", perspective="customer"),
        kpi("D", perspective="process"),
    ]
    rows = [
        measure("M1", "A", "2025-10", 90.0),
        measure("M1", "B", "2025-10", 60.0),
        measure("M1", "C", "2025-10", 40.0),
    ]
    objectives = [
        {"member": "M1", "objective": "F1", "perspective": "financial", "weight": 1.0},
        {"member": "M1", "objective": "C1", "perspective": "customer", "weight": 1.0},
    ]
    links = [
        {"member": "M1", "objective": "F1", "kpi": "A", "weight": 2.0},
        {"member": "M1", "objective": "F1", "kpi": "B", "weight": 1.0},
        {"member": "M1", "objective": "C1", "kpi": "C", "weight": 1.0},
    ]
    results = run(kpis, rows, objectives=objectives, links=links)
    objective = results.objectives.set_index("objective")
    assert objective.loc["F1", "score"] == pytest.approx(80.0)  # (2 × 90 + 60) / 3
    assert objective.loc["F1", "status"] == "green"
    perspective = results.perspectives.set_index("perspective")
    assert perspective.loc["customer", "score"] == 40.0
    assert perspective.loc["customer", "status"] == "red"
    # D is on no objective: it rolls up straight into its catalogue perspective, without data.
    assert math.isnan(perspective.loc["process", "score"])
    assert perspective.loc["process", "coverage"] == 0.0
    assert perspective.loc["learning", "children"] == 0
    member = results.members.iloc[0]
    assert member["score"] == pytest.approx(60.0)  # mean of 80 and 40; no data elsewhere
    assert member["coverage"] == pytest.approx(0.5)
    assert member["status"] == "amber"


def test_an_objective_without_kpis_counts_as_uncovered():
    objectives = [
        {"member": "M1", "objective": "L1", "perspective": "learning", "weight": 1.0},
        {"member": "M1", "objective": "L2", "perspective": "learning", "weight": 1.0},
    ]
    links = [{"member": "M1", "objective": "L1", "kpi": "A", "weight": 1.0}]
    results = run(
        [kpi("A", perspective="learning")],
        [measure("M1", "A", "2025-10", 100.0)],
        objectives=objectives,
        links=links,
    )
    learning = results.perspectives.set_index("perspective").loc["learning"]
    assert learning["score"] == 100.0 and learning["coverage"] == 0.5


def test_roll_up_bands_and_perspective_weights_are_configurable():
    kpis = [kpi("A", perspective="financial"), kpi("B", perspective="customer")]
    rows = [measure("M1", "A", "2025-10", 90.0), measure("M1", "B", "2025-10", 50.0)]
    rules = RollupRules(green=95, amber=40, perspective_weights={"financial": 3, "customer": 1})
    member = run(kpis, rows, rules=rules).members.iloc[0]
    assert member["score"] == pytest.approx(80.0) and member["status"] == "amber"


def test_weights_that_do_not_add_up_as_configured_are_normalised_and_flagged():
    objectives = [{"member": "M1", "objective": "F1", "perspective": "financial", "weight": 1.0}]
    links = [
        {"member": "M1", "objective": "F1", "kpi": "A", "weight": 60.0},
        {"member": "M1", "objective": "F1", "kpi": "B", "weight": 60.0},
    ]
    rows = [measure("M1", "A", "2025-10", 100.0), measure("M1", "B", "2025-10", 50.0)]
    rules = RollupRules(weight_total=100.0)
    results = run([kpi("A"), kpi("B")], rows, objectives=objectives, links=links, rules=rules)
    objective = results.objectives.iloc[0]
    assert objective["score"] == 75.0
    assert bool(objective["weights_flagged"]) and objective["weight_sum"] == 120.0
    unflagged = run([kpi("A"), kpi("B")], rows, objectives=objectives, links=links)
    assert not unflagged.objectives.iloc[0]["weights_flagged"]


scores = st.floats(min_value=0, max_value=100, allow_nan=False)
weights = st.floats(min_value=0.01, max_value=100, allow_nan=False)


@settings(deadline=None, max_examples=25)  # a whole scoring run per example
@given(scores, weights)
def test_the_roll_up_of_one_kpi_is_the_kpi(value, weight):
    objectives = [{"member": "M1", "objective": "F1", "perspective": "financial", "weight": 1.0}]
    links = [{"member": "M1", "objective": "F1", "kpi": "A", "weight": weight}]
    results = run(
        [kpi("A", weight=weight)],
        [measure("M1", "A", "2025-10", value)],
        objectives=objectives,
        links=links,
    )
    kpi_score = results.kpis.iloc[0]["score"]
    assert results.objectives.iloc[0]["score"] == pytest.approx(kpi_score)
    assert results.perspectives.set_index("perspective").loc["financial", "score"] == (
        pytest.approx(kpi_score)
    )
    assert results.members.iloc[0]["score"] == pytest.approx(kpi_score)


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(st.lists(st.tuples(scores, weights), min_size=1, max_size=6), weights)
def test_adding_a_missing_kpi_changes_no_other_weight_ratio(children, extra_weight):
    frame = pd.DataFrame(
        {
            "g": "o",
            "score": [s for s, _ in children],
            "coverage": 1.0,
            "weight": [w for _, w in children],
        }
    )
    before = weighted_mean(frame, ["g"]).iloc[0]
    missing = pd.DataFrame(
        {"g": ["o"], "score": [None], "coverage": [0.0], "weight": [extra_weight]}
    )
    after = weighted_mean(pd.concat([frame, missing], ignore_index=True), ["g"]).iloc[0]
    assert after["score"] == pytest.approx(before["score"])
    total = frame["weight"].sum()
    assert after["coverage"] == pytest.approx(total / (total + extra_weight))


@settings(deadline=None)  # pandas per example: timing varies on a busy machine
@given(st.lists(st.tuples(scores, weights), min_size=1, max_size=6))
def test_a_roll_up_stays_between_its_children(children):
    frame = pd.DataFrame(
        {
            "g": "o",
            "score": [s for s, _ in children],
            "coverage": 1.0,
            "weight": [w for _, w in children],
        }
    )
    rolled = weighted_mean(frame, ["g"]).iloc[0]["score"]
    assert frame["score"].min() - 1e-9 <= rolled <= frame["score"].max() + 1e-9
