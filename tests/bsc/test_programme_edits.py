"""Edits from the pages (forms and grids), on SQLite and PostgreSQL: checked by the same rules as
files, audited, and refused to everyone but the program office."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from bsc.authz import OPERATOR
from bsc.errors import Forbidden, InvalidInput
from bsc.models import AuditLog, Member, PestRating, RolloutStage, RolloutWave, SurveyRemediation
from bsc.services import pest, rollout, selection, survey, vendors
from tests.programme import EXECUTIVE, load, member_principal


@pytest.fixture
def loaded(session):
    load(session)
    return session


def test_a_rating_from_the_form_is_checked_like_a_file_row(loaded):
    values = {
        "factor": "Regulator's cloud outsourcing rules",
        "quarter": "2026-Q4",
        "impact": "-2",
        "likelihood": "5",
        "rater": "office",
        "note": "New draft rules",
    }
    result = pest.save_rating(loaded, actor=OPERATOR, source="web", values=values)
    assert result.created == 1
    rating = loaded.exec(
        select(PestRating).where(PestRating.quarter_start == date(2026, 10, 1))
    ).one()
    assert (rating.impact, rating.likelihood, rating.note) == (-2, 5, "New draft rules")
    with pytest.raises(InvalidInput, match=r"^impact must be a whole number from -2 to 2$"):
        pest.save_rating(loaded, actor=OPERATOR, source="web", values={**values, "impact": "4"})
    with pytest.raises(InvalidInput, match="quarter"):
        pest.save_rating(loaded, actor=OPERATOR, source="web", values={**values, "quarter": "soon"})
    with pytest.raises(Forbidden):
        pest.save_rating(loaded, actor=EXECUTIVE, source="web", values=values)


def test_a_factor_description_and_links_are_edited_and_audited(loaded):
    result = pest.update_factor(
        loaded,
        actor=OPERATOR,
        source="web",
        code="TEC-SEC",
        description="Ransomware on brokers",
        objectives="P2; M002:C1",
    )
    assert result.updated == 1
    factors = pest.factors_frame(loaded, principal=OPERATOR).set_index("code")
    assert factors.loc["TEC-SEC", "description"] == "Ransomware on brokers"
    assert factors.loc["TEC-SEC", "objectives"] == "P2; M002:C1"
    assert (
        pest.factors_frame(loaded, principal=member_principal(loaded))
        .set_index("code")
        .loc["TEC-SEC", "objectives"]
        == "P2"
    )  # M001 does not see M002's own link
    with pytest.raises(InvalidInput, match="M999"):
        pest.update_factor(
            loaded,
            actor=OPERATOR,
            source="web",
            code="TEC-SEC",
            description=None,
            objectives="M999:C1",
        )
    unchanged = pest.update_factor(
        loaded,
        actor=OPERATOR,
        source="web",
        code="TEC-SEC",
        description="Ransomware on brokers",
        objectives="M002:C1, P2",
    )
    assert unchanged.updated == 0


def test_a_rating_is_deleted_with_its_values_kept_in_the_audit(loaded):
    rating = loaded.exec(select(PestRating)).first()
    pest.delete_rating(loaded, actor=OPERATOR, source="web", rating_id=rating.id)
    entry = loaded.exec(select(AuditLog).where(AuditLog.action == "delete")).one()
    assert entry.entity == "pest_rating" and entry.before["rater"] == rating.rater


def plan_rows(session, principal=OPERATOR):
    frame = rollout.stages_frame(session, principal=principal)
    return frame.drop(columns=["id", "member_name"]).to_dict("records")


def test_the_plan_grid_saves_changed_rows_only(loaded):
    rows = plan_rows(loaded)
    target = next(r for r in rows if r["member_code"] == "M007" and r["stage"] == "design")
    target.update(
        percent_complete=100, actual_end=date(2026, 11, 25).isoformat(), note="Signed off"
    )
    result = rollout.save_stages(loaded, actor=OPERATOR, source="web", rows=rows)
    assert (result.updated, result.unchanged) == (1, 69)
    stage = loaded.exec(
        select(RolloutStage)
        .join(Member)
        .where(Member.code == "M007", RolloutStage.stage == "design")
    ).one()
    assert stage.actual_end == date(2026, 11, 25) and stage.note == "Signed off"


def test_a_bad_grid_row_is_named_by_member_and_stage_and_nothing_is_saved(loaded):
    rows = plan_rows(loaded)
    first = next(r for r in rows if r["member_code"] == "M008" and r["stage"] == "design")
    first["percent_complete"] = 100  # finished without an actual end
    second = next(r for r in rows if r["member_code"] == "M009" and r["stage"] == "test")
    second["planned_end"] = "2020-01-01"
    with pytest.raises(InvalidInput) as refused:
        rollout.save_stages(loaded, actor=OPERATOR, source="web", rows=rows)
    message = str(refused.value)
    assert "M008 design: actual_end: a stage 100 % complete needs its actual_end" in message
    assert "M009 test: planned_end" in message
    with pytest.raises(Forbidden):
        rollout.save_stages(loaded, actor=EXECUTIVE, source="web", rows=rows)


def test_waves_reorder_and_thresholds_change_with_an_audit_trail(loaded):
    rows = rollout.waves_frame(loaded).to_dict("records")
    for row in rows:
        row["planned_start"] = row["planned_start"].isoformat() if row["planned_start"] else None
        if row["code"] == "wave-2":
            row.update(sequence=3, gate_green_share="70%")
        elif row["code"] == "wave-3":
            row.update(sequence=2)
    result = rollout.save_waves(loaded, actor=OPERATOR, source="web", rows=rows)
    assert result.updated == 2
    waves = {w.code: w for w in loaded.exec(select(RolloutWave)).all()}
    assert (waves["wave-2"].sequence, waves["wave-3"].sequence) == (3, 2)
    assert waves["wave-2"].gate_green_share == pytest.approx(0.7)
    moves = loaded.exec(
        select(AuditLog).where(AuditLog.entity == "rollout_wave", AuditLog.action == "update")
    ).all()
    assert {"before": {"sequence": 2}, "after": {"sequence": 3}} in [
        {"before": m.before, "after": m.after} for m in moves
    ]
    with pytest.raises(InvalidInput, match="wave-2: gate_live_share"):
        rollout.save_waves(
            loaded,
            actor=OPERATOR,
            source="web",
            rows=[{**rows[1], "gate_green_share": "70%", "gate_live_share": "2"}],
        )


def test_a_wave_sequence_taken_by_a_wave_not_edited_is_a_conflict(loaded):
    result = rollout.import_waves(
        loaded, b"code,name,sequence\nwave-4,Wave 4,2\n", "w.csv", actor=OPERATOR, source="cli"
    )
    [issue] = result.issues
    assert issue.column == "sequence" and "wave-2" in issue.message


def test_assigning_a_wave_brings_five_empty_stages(loaded):
    member = loaded.exec(select(Member).where(Member.code == "M004")).one()
    for stage in loaded.exec(select(RolloutStage).where(RolloutStage.member_id == member.id)):
        loaded.delete(stage)
    loaded.flush()
    with pytest.raises(InvalidInput):
        rollout.assign_wave(
            loaded, actor=OPERATOR, source="web", member_code="M001", wave_code=None
        )
    rollout.assign_wave(
        loaded, actor=OPERATOR, source="web", member_code="M004", wave_code="wave-3"
    )
    stages = loaded.exec(select(RolloutStage).where(RolloutStage.member_id == member.id)).all()
    assert sorted(s.stage for s in stages) == ["build", "design", "go_live", "test", "trial"]
    assert all(s.percent_complete == 0 and s.planned_start is None for s in stages)
    grid = [{"member_code": "M005", "wave": "wave-3"}, {"member_code": "M006", "wave": "wave-2"}]
    result = rollout.save_assignments(loaded, actor=OPERATOR, source="web", rows=grid)
    assert (result.updated, result.unchanged) == (1, 1)


def test_a_member_reads_only_its_own_rollout(loaded):
    mine = rollout.stages_frame(loaded, principal=member_principal(loaded, "M003"))
    assert set(mine["member_code"]) == {"M003"} and len(mine) == 5
    assert list(
        rollout.assignments_frame(loaded, principal=member_principal(loaded, "M003"))["member_code"]
    ) == ["M003"]
    assert len(rollout.stages_frame(loaded, principal=EXECUTIVE, wave="wave-3")) == 30


def test_remediation_notes_are_set_changed_and_cleared(loaded):
    grid = [
        {"member_code": "M008", "note": "Visit with a reference customer"},
        {"member_code": "M013", "note": ""},
    ]
    assert survey.save_remediations(loaded, actor=OPERATOR, source="web", rows=grid).created == 1
    notes = survey.remediation_notes(loaded, principal=EXECUTIVE).set_index("member_code")
    assert notes.loc["M008", "note"] == "Visit with a reference customer"
    again = survey.save_remediations(loaded, actor=OPERATOR, source="web", rows=grid)
    assert (again.created, again.updated) == (0, 0)
    cleared = survey.save_remediation(
        loaded, actor=OPERATOR, source="web", member_code="M008", note=" "
    )
    assert cleared.updated == 1 and loaded.exec(select(SurveyRemediation)).all() == []
    with pytest.raises(Forbidden):
        survey.save_remediation(loaded, actor=EXECUTIVE, source="web", member_code="M008", note="x")
    with pytest.raises(Forbidden):
        survey.responses_frame(loaded, principal=member_principal(loaded))


def test_a_decision_needs_a_reason_unless_it_is_the_top_scorer(loaded):
    with pytest.raises(InvalidInput, match="not the top scorer"):
        vendors.decide(loaded, actor=OPERATOR, source="web", vendor_code="V2", reason="")
    chosen = vendors.decide(
        loaded, actor=OPERATOR, source="web", vendor_code="V2", reason="Cheaper"
    )
    assert chosen.created == 1
    repeat = vendors.decide(
        loaded, actor=OPERATOR, source="web", vendor_code="V2", reason="Cheaper"
    )
    assert (repeat.created, repeat.unchanged) == (0, 1)
    assert vendors.decision(loaded, principal=EXECUTIVE)["reason"] == "Cheaper"
    with pytest.raises(Forbidden):
        vendors.decide(loaded, actor=EXECUTIVE, source="web", vendor_code="V1", reason=None)
    with pytest.raises(Forbidden):
        vendors.scores_frame(loaded, principal=member_principal(loaded))


def test_weights_are_edited_in_the_grid(loaded):
    rows = [
        {"code": c["criterion"], "name": c["name"], "name_zh": c["name_zh"], "weight": c["weight"]}
        for c in vendors.criteria_frame(loaded, principal=OPERATOR).to_dict("records")
    ]
    rows[0]["weight"] = 40
    assert vendors.save_weights(loaded, actor=OPERATOR, source="web", rows=rows).updated == 1
    rows[1]["weight"] = 0
    with pytest.raises(InvalidInput, match="weight must be greater than 0"):
        vendors.save_weights(loaded, actor=OPERATOR, source="web", rows=rows)


def test_candidate_sets_for_the_representativeness_check(loaded):
    sets = selection.candidate_sets(loaded, principal=EXECUTIVE)
    assert sets["wave:pilot"] == ["M001", "M002", "M003"]
    assert len(sets["wave:wave-2"]) == 5 and len(sets["survey"]) == 14
    with pytest.raises(Forbidden):
        selection.members_frame(loaded, principal=member_principal(loaded))
