"""Reading the programme office's files: the demo files as they are, and every bad cell named."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi.issues import Reason
from kpi.programme.pest_files import parse_factors, parse_ratings
from kpi.programme.rollout_files import parse_share, parse_stages, parse_waves
from kpi.programme.rows import code_index
from kpi.programme.survey_files import parse_items, parse_responses
from kpi.programme.vendor_files import parse_criteria, parse_decision, parse_scores
from kpi.reading import read_table
from tests.conftest import DEMO

MEMBERS = code_index(
    (row.code, row.name, row.name_zh) for row in pd.read_csv(DEMO / "members.csv").itertuples()
)
WAVES = {"pilot", "wave-2", "wave-3"}


def demo(name: str):
    return read_table((DEMO / name).read_bytes(), name)


def table(text: str):
    return read_table(text.encode("utf-8"), "file.csv")


def where(issues):
    return [(i.line, i.column, i.reason) for i in issues]


def test_the_demo_files_parse_without_issues():
    factors, issues = parse_factors(demo("pest_factors.csv"), members=MEMBERS)
    assert issues == [] and len(factors) == 14
    assert [ref.key for ref in factors[0].objectives] == ["C1", "P2"]
    ratings, issues = parse_ratings(
        demo("pest_ratings.csv"), factors=code_index((f.code, f.name) for f in factors)
    )
    assert issues == [] and len(ratings) == 224
    waves, issues = parse_waves(demo("waves.csv"))
    assert issues == [] and [(w.code, w.gate_green_share) for w in waves][1] == ("wave-2", 0.6)
    stages, issues = parse_stages(demo("rollout.csv"), members=MEMBERS, waves=WAVES)
    assert issues == [] and len(stages) == 70
    items, issues = parse_items(demo("survey_items.csv"))
    assert issues == [] and len(items) == 8
    responses, issues = parse_responses(
        demo("survey_responses.csv"), members=MEMBERS, items=code_index((i.code,) for i in items)
    )
    assert issues == [] and len(responses) == 112
    criteria, issues = parse_criteria(demo("vendor_criteria.csv"))
    assert issues == [] and sum(c.weight for c in criteria) == 100
    scores, issues = parse_scores(
        demo("vendor_scores.csv"), criteria=code_index((c.code,) for c in criteria)
    )
    assert issues == [] and len(scores) == 100
    decision, issues = parse_decision(demo("vendor_decision.csv"), vendors={"v1": "V1"})
    assert issues == [] and decision[0].vendor == "V1"


def test_bad_ratings_are_named_by_line_column_and_reason():
    text = (
        "factor,quarter,impact,likelihood,rater\n"
        "ECO-VOL,2025-Q1,-1,4,IT\n"
        "NOPE,2025-Q1,-1,4,IT\n"
        "ECO-VOL,2025-Q5,-1,4,IT\n"
        "ECO-VOL,2025-Q2,-3,4,IT\n"
        "ECO-VOL,2025-Q2,1,2.5,IT\n"
        "ECO-VOL,2025-Q2,1,3,\n"
        "eco-vol,2025q1,0,4,IT\n"
    )
    records, issues = parse_ratings(table(text), factors=code_index([("ECO-VOL", "Volume")]))
    assert where(issues) == [
        (3, "factor", Reason.BAD_VALUE),
        (4, "quarter", Reason.BAD_PERIOD),
        (5, "impact", Reason.BAD_NUMBER),
        (6, "likelihood", Reason.BAD_NUMBER),
        (7, "rater", Reason.MISSING_VALUE),
        (8, "rater", Reason.DUPLICATE_ROW),
    ]
    assert "line 2" in issues[-1].message and len(records) == 2
    missing = parse_ratings(table("factor,impact\nX,1\n"), factors={})[1]
    assert {(i.column, i.reason) for i in missing} == {
        ("quarter", Reason.MISSING_COLUMN),
        ("likelihood", Reason.MISSING_COLUMN),
        ("rater", Reason.MISSING_COLUMN),
    }


def test_factor_links_may_name_a_member_and_bad_links_are_refused():
    text = (
        "code,category,name,objectives\n"
        "A,P,Rules,C1; M001:P2\n"
        "B,geopolitics,Other,\n"
        "C,economic,Volume,M999:F1\n"
        "D,technological,Tech,F1 F2\n"
    )
    records, issues = parse_factors(table(text), members=MEMBERS)
    assert where(issues) == [(3, "category", Reason.BAD_VALUE), (4, "objectives", Reason.BAD_VALUE)]
    assert "M999" in issues[1].message
    first = records[0]
    assert first.category.value == "political"
    assert [(r.member_code, r.key) for r in first.objectives] == [(None, "C1"), ("M001", "P2")]
    assert [r.key for r in records[1].objectives] == ["F1", "F2"]


def test_waves_with_shares_as_fractions_or_percentages():
    text = (
        "code,name,sequence,planned_start,gate_green_share,gate_live_share\n"
        "Wave 2,Second,,2025-07-01,60%,1\n"
        "phase-3,Third,3,,0.5,\n"
        "wave-4,Fourth,4,,60,\n"
        "wave-5,Fifth,2,,,\n"
    )
    records, issues = parse_waves(table(text))
    assert where(issues) == [
        (3, "code", Reason.BAD_VALUE),
        (4, "gate_green_share", Reason.BAD_VALUE),
        (5, "sequence", Reason.DUPLICATE_ROW),
    ]
    assert records[0].code == "wave-2" and records[0].sequence == 2
    assert (records[0].gate_green_share, records[0].gate_live_share) == (0.6, 1.0)
    assert parse_share("０.５") == 0.5
    with pytest.raises(ValueError, match="60%"):
        parse_share("1.5")


HEADER = "member,wave,stage,planned_start,planned_end,actual_start,actual_end,percent_complete\n"


def test_stage_rows_follow_the_rules_of_dates_and_progress():
    text = HEADER + (
        "M001,pilot,design,2024-01-10,2024-02-10,2024-01-12,2024-02-20,\n"  # empty % = 100
        "M001,pilot,test,2024-02-11,2024-02-01,,,\n"  # planned end before start
        "M001,pilot,build,2024-03-01,2024-04-01,,2024-04-03,100\n"  # end without start
        "M001,pilot,trial,2024-04-01,2024-05-01,2024-04-02,2024-05-03,80\n"  # finished at 80 %
        "M001,pilot,go_live,2024-05-01,2024-05-15,,,20\n"  # progress without a start
        "M002,wave-2,design,2024-01-10,2024-02-10,,,120\n"
        "M002,pilot,test,2024-13-01,,,,\n"
        "M099,pilot,design,,,,,\n"
        "M003,wave-9,design,,,,,\n"
        "M003,pilot,launch,,,,,\n"
        "Formosa Securities,pilot,design,,,,,\n"
    )
    records, issues = parse_stages(table(text), members=MEMBERS, waves=WAVES)
    assert where(issues) == [
        (3, "planned_end", Reason.BAD_VALUE),
        (4, "actual_start", Reason.BAD_VALUE),
        (5, "percent_complete", Reason.BAD_VALUE),
        (6, "percent_complete", Reason.BAD_VALUE),
        (7, "percent_complete", Reason.BAD_NUMBER),
        (8, "planned_start", Reason.BAD_PERIOD),
        (8, "wave", Reason.BAD_VALUE),  # M002 was in wave-2 on line 7
        (9, "member", Reason.UNKNOWN_MEMBER),
        (10, "wave", Reason.BAD_VALUE),
        (11, "stage", Reason.BAD_VALUE),
        (12, "stage", Reason.DUPLICATE_ROW),  # Formosa Securities is M001, design again
    ]
    assert records[0].percent_complete == 100


def test_responses_and_scores_stay_on_their_scales():
    responses, issues = parse_responses(
        table("member,item,demand,willingness\nM001,S01,0,3\nM001,S02,3,3\nM001,S01,4,4\n"),
        members=MEMBERS,
        items={"s01": "S01"},
    )
    assert where(issues) == [
        (2, "demand", Reason.BAD_NUMBER),
        (3, "item", Reason.BAD_VALUE),
    ]
    scores, issues = parse_scores(
        table(
            "vendor,vendor_name,criterion,expert,score\n"
            "V1,Alpha,SEC,Lin,80\nV1,Beta,SEC,Chen,80\nV2,Gamma,XXX,Lin,80\nV2,Gamma,SEC,Lin,-1\n"
        ),
        criteria={"sec": "SEC"},
    )
    assert where(issues) == [
        (3, "vendor_name", Reason.BAD_VALUE),
        (4, "criterion", Reason.BAD_VALUE),
        (5, "score", Reason.BAD_NUMBER),
    ]
    assert len(scores) == 1


def test_a_decision_file_has_one_row_naming_a_known_vendor():
    _, issues = parse_decision(
        table("vendor,reason\nV1,x\nV2,y\n"), vendors={"v1": "V1", "v2": "V2"}
    )
    assert where(issues) == [(3, None, Reason.DUPLICATE_ROW)]
    _, issues = parse_decision(table("vendor,reason\nV7,x\n"), vendors={"v1": "V1"})
    assert where(issues) == [(2, "vendor", Reason.BAD_VALUE)]
