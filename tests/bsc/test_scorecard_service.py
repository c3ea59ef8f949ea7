"""Scorecards from the database, on SQLite and PostgreSQL, against hand-computed figures.

M001's 2025-Q3 (see ``tests/scoring_factories.worked_programme``):

* RECON  mean(93.1, 97.0, 99.2) = 96.433 vs 99, amber 95, floor 80 → (16.433/19) 86.49 amber
* OPEX   sum(30, 40, 50) = 120 vs 3 × 100, amber 150 → 40.00 red
* COST   lower: mean(14, 13, 12) = 13 vs 12, amber 15, floor 25 → (12/13) 92.31 amber
* CPU    band 40–75 ± 10: mean 80, 5 outside → 75.00 amber
* API    last of Jul 300, Aug 350 (Sep missing) = 350 vs 400 → 87.50 amber, coverage 2/3
* CERT   quarterly, Q3 = 15 vs 20 → 75.00 amber
* IDEAS  yearly: the year 2024 stands in = 9 vs 12 → 75.00 amber
* UPTIME min(99.95, 99.5, 99.99) = 99.5 vs 99.9, floor 95 → (4.5/4.9) 91.84 amber

Map v2 (v1 archived, v3 a draft): F1 = OPEX, COST → 66.15; C1 = 2 × RECON + API → 86.83
(coverage 8/9); P1 = CPU → 75; L1 = CERT → 75. UPTIME and IDEAS are on no objective and join
their perspectives: process = (75 + 91.84) / 2 = 83.42; learning = 75. Member = mean of the
four = 77.85, amber, coverage (1 + 8/9 + 1 + 1) / 4 = 0.9722.
"""

from __future__ import annotations

from datetime import date

import pytest

from bsc.authz import OPERATOR
from bsc.errors import Forbidden, InvalidInput, NotFound
from bsc.models import AppSetting
from bsc.services.scorecard import (
    kpi_results,
    latest_period,
    objective_history,
    period_choices,
    programme_scores,
    scorecard,
)
from bsc.services.users import principal_for
from tests.scoring_factories import monthly, target, worked_programme

KPI_SCORES = {
    "RECON": 86.4912,
    "OPEX": 40.0,
    "COST": 92.3077,
    "CPU": 75.0,
    "API": 87.5,
    "CERT": 75.0,
    "IDEAS": 75.0,
    "UPTIME": 91.8367,
}


@pytest.fixture
def programme(session):
    return worked_programme(session)


def test_the_worked_example(session, programme):
    card = scorecard(session, principal=OPERATOR, member_code="M001", period="2025-Q3")
    kpis = card.kpis.set_index("code")
    for code, expected in KPI_SCORES.items():
        assert kpis.loc[code, "score"] == pytest.approx(expected, abs=1e-3), code
    assert kpis.loc["OPEX", "status"] == "red"
    assert (kpis.loc["IDEAS", "period"], kpis.loc["CERT", "period"]) == ("2024", "2025-Q3")
    assert kpis.loc["API", "coverage"] == pytest.approx(2 / 3)
    objectives = card.objectives.set_index("key")
    assert list(objectives.index) == ["F1", "C1", "P1", "L1"]  # v2, neither v1 nor the draft
    assert objectives.loc["F1", "score"] == pytest.approx(66.1538, abs=1e-3)
    assert objectives.loc["C1", "score"] == pytest.approx(86.8275, abs=1e-3)
    assert objectives.loc["C1", "coverage"] == pytest.approx(8 / 9)
    perspectives = card.perspectives.set_index("perspective")
    assert perspectives.loc["process", "score"] == pytest.approx(83.4184, abs=1e-3)
    assert perspectives.loc["learning", "score"] == pytest.approx(75.0)
    assert card.score == pytest.approx(77.8500, abs=1e-3)
    assert (card.status, card.coverage) == ("amber", pytest.approx(35 / 36))


def test_the_json_has_the_shape_of_design_section_4(session, programme):
    data = scorecard(session, principal=OPERATOR, member_code="M001", period="2025-Q3").to_dict()
    assert set(data) == {
        "member",
        "period",
        "score",
        "status",
        "coverage",
        "explanation",
        "perspectives",
        "objectives",
        "kpis",
    }
    assert (data["member"], data["period"], data["score"], data["status"]) == (
        "M001",
        "2025-Q3",
        77.8,
        "amber",
    )
    assert [p["perspective"] for p in data["perspectives"]] == [
        "financial",
        "customer",
        "process",
        "learning",
    ]
    assert set(data["objectives"][0]) == {
        "key",
        "perspective",
        "score",
        "status",
        "coverage",
        "explanation",
    }
    opex = next(k for k in data["kpis"] if k["code"] == "OPEX")
    assert opex == {
        "code": "OPEX",
        "period": "2025-Q3",
        "value": 120.0,
        "target": 300.0,
        "score": 40.0,
        "status": "red",
        "trend": "improving",  # 30, 40, 50: +20 over the window, a fifth of floor → target
        "explanation": "2025-Q3: 120 TWD vs target 300 TWD; amber needs ≥ 150 TWD ⇒ Red; "
        "score 40 (0 TWD scores 0; sum of 3 of 3 months)",
    }


def test_a_missing_score_is_null_never_zero(session, programme):
    data = scorecard(session, principal=OPERATOR, member_code="M002", period="2025-Q3").to_dict()
    cpu = next(k for k in data["kpis"] if k["code"] == "CPU")
    assert (cpu["value"], cpu["score"], cpu["status"]) == (None, None, "grey")
    assert data["objectives"] == []  # no map: KPIs roll up into their perspectives
    learning = next(p for p in data["perspectives"] if p["perspective"] == "learning")
    assert (learning["score"], learning["coverage"]) == (None, 0.0)
    assert data["score"] == 100.0  # only RECON has data; the rest renormalise away
    assert data["coverage"] == pytest.approx(0.25 * 2 / 3, abs=1e-3)


def test_member_users_read_only_their_own(session, programme):
    m001 = principal_for(session, programme["m001"])
    assert scorecard(session, principal=m001, member_code="M001", period="2025-Q3").member == "M001"
    with pytest.raises(Forbidden):
        scorecard(session, principal=m001, member_code="M002", period="2025-Q3")
    results = kpi_results(session, principal=m001, period="2025-Q3")
    assert set(results["member_code"]) == {"M001"}
    executive = principal_for(session, programme["exec"])
    assert set(kpi_results(session, principal=executive, period="2025-Q3")["member_code"]) == {
        "M001",
        "M002",
    }


def test_bad_input_says_what_to_do(session, programme):
    with pytest.raises(NotFound, match="M999"):
        scorecard(session, principal=OPERATOR, member_code="M999", period="2025-Q3")
    with pytest.raises(InvalidInput, match="2025-Q3 \\(quarter\\)"):
        scorecard(session, principal=OPERATOR, member_code="M001", period="Q3/2025")


def test_kpi_results_for_the_rollout_gate(session, programme):
    results = kpi_results(session, principal=OPERATOR, period="2025-Q3", member_codes=["M001"])
    assert len(results) == 8
    assert {
        "member_code",
        "kpi_code",
        "perspective",
        "objective_key",
        "period",
        "value",
        "target",
        "score",
        "status",
        "explanation",
    } <= set(results.columns)
    row = results.set_index("kpi_code").loc["UPTIME"]
    assert (row["objective_key"], row["status"]) == (None, "amber")
    assert results.set_index("kpi_code").loc["RECON", "objective_key"] == "C1"


def test_per_period_targets_and_configured_bands(session, programme):
    kpis, m1 = programme["kpis"], programme["m1"]
    target(session, kpis["OPEX"], "2025-07", 10.0, member=m1)
    session.add(AppSetting(key="scoring", value={"green": 75, "amber": 70}))
    session.flush()
    card = scorecard(session, principal=OPERATOR, member_code="M001", period="2025-Q3")
    opex = card.kpis.set_index("code").loc["OPEX"]
    assert (opex["target"], opex["score"]) == (210.0, pytest.approx(120 / 210 * 100))
    assert "target set for this period" in opex["explanation"]
    # F1 = (57.14 + 92.31) / 2 = 74.73; member = (74.73 + 86.83 + 83.42 + 75) / 4 = 79.99:
    # amber by the default bands, green from 75 on.
    assert card.score == pytest.approx(79.9928, abs=1e-3)
    assert card.status == "green"
    assert "green needs ≥ 75, amber ≥ 70" in card.explanation


def test_a_broken_scoring_setting_is_reported(session, programme):
    session.add(AppSetting(key="scoring", value={"green": "lots"}))
    session.flush()
    with pytest.raises(InvalidInput, match="scoring"):
        scorecard(session, principal=OPERATOR, member_code="M001", period="2025-Q3")


def test_objective_history_and_the_latest_period(session, programme):
    kpis, m1 = programme["kpis"], programme["m1"]
    monthly(session, m1, kpis["OPEX"], "2025-10", [60.0])
    session.flush()
    assert latest_period(session, today=date(2025, 11, 3)) == "2025-10"
    assert latest_period(session, today=date(2025, 10, 20)) == "2025-09"
    history = objective_history(session, principal=OPERATOR, member_code="M001", periods=4)
    assert set(history["objective_key"]) == {"F1", "C1", "P1", "L1"}
    assert set(history.columns) == {"objective_key", "period", "score", "status", "coverage"}
    f1 = history[history["objective_key"] == "F1"].set_index("period")
    latest = latest_period(session)
    assert list(f1.index)[-1] == latest
    assert f1.loc["2025-09", "score"] == pytest.approx((50.0 + 100.0) / 2)  # OPEX 50, COST 12


def test_period_choices_run_from_the_first_data_to_the_latest(session, programme):
    today = date(2025, 10, 5)
    assert period_choices(session, kind="month", today=today) == ["2025-09", "2025-08", "2025-07"]
    assert period_choices(session, kind="quarter", today=today) == ["2025-Q3"]
    assert period_choices(session, kind="ytd", today=today)[0] == "2025-09-YTD"
    with pytest.raises(InvalidInput):
        period_choices(session, kind="week")


def test_programme_scores_name_every_readable_member(session, programme):
    scores = programme_scores(session, principal=OPERATOR, period="2025-Q3")
    assert list(scores.members["code"]) == ["M001", "M002"]
    assert set(scores.perspectives["member_code"]) == {"M001", "M002"}
    m001 = principal_for(session, programme["m001"])
    assert list(programme_scores(session, principal=m001, period="2025-Q3").members["code"]) == [
        "M001"
    ]


def test_history_keeps_the_years_value_standing_in(session, programme):
    from bsc.services.scorecard import perspective_history

    history = perspective_history(session, principal=OPERATOR, member_code="M001", periods=2)
    learning = history[history["perspective"] == "learning"].set_index("period")
    # L1 (CERT, Q3 = 15) and IDEAS (2024 = 9 of 12) both score 75 in September
    assert learning.loc["2025-09", "score"] == pytest.approx(75.0)
    assert learning.loc["2025-09", "coverage"] == 1.0
