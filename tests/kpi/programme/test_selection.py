"""Representativeness of a chosen set: proportions, chi-square, the exact test, the criteria."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from kpi.programme import selection

# 20 members: 10 north, 6 south, 4 east; the chosen 5 are 4 north, 1 south, no east.
MEMBERS = pd.DataFrame(
    {
        "member_code": [f"M{i:02d}" for i in range(20)],
        "region": ["north"] * 10 + ["south"] * 6 + ["east"] * 4,
    }
)
CHOSEN = ["M00", "M01", "M02", "M03", "M10"]


def test_the_worked_example_by_hand():
    result = selection.representativeness(MEMBERS, CHOSEN, "region")
    table = result.table.set_index("stratum")
    assert table["population"].to_dict() == {"east": 4, "north": 10, "south": 6}
    assert table["selected"].to_dict() == {"east": 0, "north": 4, "south": 1}
    # expected = 5 × (4/20, 10/20, 6/20)
    assert table["expected"].to_dict() == pytest.approx({"east": 1.0, "north": 2.5, "south": 1.5})
    assert table["selected_share"].to_dict() == pytest.approx(
        {"east": 0, "north": 0.8, "south": 0.2}
    )
    # χ² = (0−1)²/1 + (4−2.5)²/2.5 + (1−1.5)²/1.5 = 1 + 0.9 + 1/6
    assert result.statistic == pytest.approx(1 + 0.9 + 1 / 6)
    assert result.dof == 2
    # with 2 degrees of freedom the survival function is exp(−χ²/2)
    assert result.p_value == pytest.approx(math.exp(-(1 + 0.9 + 1 / 6) / 2))
    assert result.under_represented == ["east"]  # 0 < half of 1.0 expected
    assert result.small_expected == 3 and not result.reliable


def brute_force_p(observed, shares):
    """The exact test written out: every outcome's multinomial probability, by factorials."""
    n, k = sum(observed), len(observed)

    def probability(counts):
        coefficient = math.factorial(n) / math.prod(math.factorial(c) for c in counts)
        return coefficient * math.prod(p**c for p, c in zip(shares, counts, strict=True))

    outcomes = [c for c in itertools.product(range(n + 1), repeat=k) if sum(c) == n]
    mine = probability(observed)
    return sum(probability(c) for c in outcomes if probability(c) <= mine * (1 + 1e-7))


def test_the_exact_p_value_matches_the_definition():
    result = selection.representativeness(MEMBERS, CHOSEN, "region")
    assert result.exact_p_value == pytest.approx(brute_force_p([0, 4, 1], [0.2, 0.5, 0.3]))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=2, max_size=4),
    st.lists(st.integers(1, 9), min_size=4, max_size=4),
)
def test_the_exact_p_value_is_a_probability_and_agrees_with_brute_force(observed, weights):
    shares = [w / sum(weights[: len(observed)]) for w in weights[: len(observed)]]
    if sum(observed) == 0:
        return
    p = selection.exact_multinomial_p(observed, shares)
    assert 0 < p <= 1
    assert p == pytest.approx(brute_force_p(observed, shares), rel=1e-9)


def test_chi_square_agrees_with_scipy_on_a_large_set():
    regions = ["a"] * 100 + ["b"] * 80 + ["c"] * 60 + ["d"] * 40 + ["e"] * 20
    members = pd.DataFrame({"member_code": [f"M{i}" for i in range(300)], "region": regions})
    # 100 chosen: 40 a, 30 b, 10 c, 15 d, 5 e
    picks = [range(0, 40), range(100, 130), range(180, 190), range(240, 255), range(280, 285)]
    chosen = [f"M{i}" for part in picks for i in part]
    result = selection.representativeness(members, chosen, "region")
    expected = stats.chisquare([40, 30, 10, 15, 5], [100 * n / 300 for n in (100, 80, 60, 40, 20)])
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.reliable  # every expected count is at least 5
    assert result.exact_p_value is None  # 4.6 million outcomes: too many to enumerate
    assert result.under_represented == []  # c has 10 against 20 expected: exactly half


def test_nothing_chosen_or_one_stratum_gives_no_test():
    empty = selection.representativeness(MEMBERS, [], "region")
    assert empty.p_value is None and empty.under_represented == []
    one = selection.representativeness(MEMBERS.assign(region="north"), CHOSEN, "region")
    assert one.statistic is None and one.dof == 0


def test_bands_are_terciles_low_to_high_and_unknown_last():
    members = pd.DataFrame(
        {
            "member_code": list("ABCDEFG"),
            "revenue": [1, 2, 3, 4, 5, 6, None],
            "investor_count": [10, 10, 10, 10, 10, 10, 10],
        }
    )
    banded, edges = selection.add_bands(members)
    assert banded["revenue_band"].tolist() == [
        "low",
        "low",
        "middle",
        "middle",
        "high",
        "high",
        "unknown",
    ]
    assert edges["revenue"] == pytest.approx([1, 8 / 3, 13 / 3, 6])
    assert set(banded["investor_band"]) == {"all"}
    result = selection.representativeness(banded, ["A", "E"], "revenue_band")
    assert result.table["stratum"].tolist() == ["low", "middle", "high", "unknown"]


def test_criteria_flags_count_the_set_and_everyone():
    members = pd.DataFrame(
        {
            "member_code": ["A", "B", "C"],
            "is_industry_leader": [True, False, True],
            "is_cloud_leader": [False, True, False],
            "has_state_shareholding": [False, False, False],
            "prior_cooperation": [True, True, False],
        }
    )
    flags = selection.criteria_flags(members, ["A", "B"]).set_index("criterion")
    assert flags["selected"].to_dict() == {
        "is_industry_leader": 1,
        "is_cloud_leader": 1,
        "has_state_shareholding": 0,
        "prior_cooperation": 2,
    }
    assert flags.loc["is_industry_leader", "population"] == 2
    assert flags.loc["prior_cooperation", "members"] == "A, B"
