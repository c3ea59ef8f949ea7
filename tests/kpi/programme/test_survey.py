"""Survey rankings: demanded items, willing and reluctant members, their concerns."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi.programme import survey

RESPONSES = pd.DataFrame(
    [
        ("A", "S1", 5, 5, ""),
        ("A", "S2", 4, 5, None),
        ("B", "S1", 5, 3, "Worried about cost"),
        ("B", "S2", 2, 2, "Worried about cost"),
        ("C", "S1", 4, 1, "Business secrets"),
        ("C", "S2", 1, 2, "Board approval first"),
        ("D", "S1", 3, 4, "Looks useful"),
        ("D", "S2", 3, 4, ""),
    ],
    columns=["member_code", "item", "demand", "willingness", "comment"],
)


def test_items_ranked_by_mean_demand():
    items = survey.item_demand(RESPONSES).set_index("item")
    assert items.loc["S1", "mean_demand"] == 4.25 and items.loc["S1", "rank"] == 1
    assert items.loc["S1", "high_demand_share"] == 0.75 and items.loc["S2", "mean_demand"] == 2.5
    assert items.loc["S1", "responses"] == 4


def test_members_ranked_by_willingness_with_ties_sharing_a_rank():
    ranked = survey.member_willingness(RESPONSES)
    assert ranked["member_code"].tolist() == ["A", "D", "B", "C"]
    assert ranked["mean_willingness"].tolist() == [5.0, 4.0, 2.5, 1.5]
    assert ranked.set_index("member_code")["reluctant_items"].to_dict() == {
        "A": 0,
        "D": 0,
        "B": 1,
        "C": 2,
    }
    tied = survey.member_willingness(
        pd.DataFrame(
            {"member_code": ["X", "Y", "Z"], "item": "S1", "demand": 3, "willingness": [2, 2, 5]}
        )
    )
    assert tied["rank"].tolist() == [1, 2, 2]


def test_most_and_least_willing_keep_ties_at_the_cut():
    ranked = survey.member_willingness(RESPONSES)
    assert survey.most_willing(ranked, 1)["member_code"].tolist() == ["A"]
    assert survey.least_willing(ranked, 2)["member_code"].tolist() == ["C", "B"]
    tie = pd.DataFrame({"member_code": ["P", "Q", "R"], "mean_willingness": [2.0, 2.0, 4.0]})
    assert survey.least_willing(tie, 1)["member_code"].tolist() == ["P", "Q"]


def test_concerns_come_from_comments_on_reluctant_items_most_said_first():
    said = survey.concerns(RESPONSES)
    assert said[said["member_code"] == "B"][["concern", "mentions", "items"]].values.tolist() == [
        ["Worried about cost", 2, "S1, S2"]
    ]
    # C's two concerns tie on mentions: the one on the least willing item comes first
    assert said[said["member_code"] == "C"]["concern"].tolist() == [
        "Business secrets",
        "Board approval first",
    ]
    assert "D" not in set(said["member_code"])  # willingness 4: praise, not a concern
    assert survey.concerns(RESPONSES, top=1).groupby("member_code").size().max() == 1


def test_the_remediation_list_is_the_least_willing_with_their_concerns():
    listed = survey.remediation_list(RESPONSES, count=2)
    assert listed.values.tolist() == [
        ["C", 1.5, 2, "Business secrets (1); Board approval first (1)"],
        ["B", 2.5, 1, "Worried about cost (2)"],
    ]
    assert survey.remediation_list(RESPONSES, count=1)["member_code"].tolist() == ["C"]


def test_a_member_without_comments_is_listed_with_no_concerns():
    silent = RESPONSES.assign(comment=None)
    listed = survey.remediation_list(silent, count=1)
    assert listed["concerns"].tolist() == [""] and listed["mean_willingness"].tolist() == [
        pytest.approx(1.5)
    ]
