"""The programme office's imports, on SQLite and PostgreSQL: all or nothing, idempotent, audited,
versioned, and for the program office only."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bsc import versioning
from bsc.authz import OPERATOR
from bsc.errors import Forbidden
from bsc.models import (
    AuditLog,
    FactorObjective,
    PestFactor,
    PestRating,
    RolloutStage,
    SurveyResponse,
    Vendor,
    VendorDecision,
    VendorScore,
)
from bsc.services import pest, rollout, survey, vendors
from kpi.issues import Reason
from tests.conftest import DEMO
from tests.programme import EXECUTIVE, FILES, load, member_principal


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_demo_files_import_and_importing_again_changes_nothing(session):
    first = load(session)
    assert first["pest_ratings.csv"].created == 224 and first["rollout.csv"].created == 70
    assert (
        first["survey_responses.csv"].created == 112 and first["vendor_scores.csv"].created == 100
    )
    assert (count(session, PestFactor), count(session, FactorObjective)) == (14, 20)
    assert (count(session, Vendor), count(session, VendorDecision)) == (4, 1)
    audit, version = count(session, AuditLog), versioning.current(session, versioning.PROGRAMME)
    assert version == len(FILES) - 1  # every programme import that changed something bumped once
    again = load(session)
    for name, result in again.items():
        assert (result.created, result.updated) == (0, 0), name
    assert again["pest_ratings.csv"].unchanged == 224
    assert count(session, AuditLog) == audit
    assert versioning.current(session, versioning.PROGRAMME) == version


def test_a_bad_row_rejects_the_whole_file_and_stores_nothing(session):
    load(session, upto="pest_factors.csv")
    bad = (DEMO / "pest_ratings.csv").read_bytes() + b"POL-REG,2026-Q4,-3,5,Strategy office,\n"
    audit = count(session, AuditLog)
    result = pest.import_ratings(session, bad, "ratings.csv", actor=OPERATOR, source="cli")
    assert result.rejected and count(session, PestRating) == 0
    [issue] = result.issues
    assert (issue.line, issue.column, issue.value, issue.reason) == (
        226,
        "impact",
        "-3",
        Reason.BAD_NUMBER,
    )
    assert count(session, AuditLog) == audit


def test_an_empty_or_unreadable_file_is_rejected_with_the_reason(session):
    empty = pest.import_factors(
        session, b"code,category,name\n", "f.csv", actor=OPERATOR, source="cli"
    )
    assert [i.reason for i in empty.issues] == [Reason.EMPTY_FILE]
    binary = pest.import_factors(
        session, b"\x89PNG\r\n\x1a\n", "f.csv", actor=OPERATOR, source="cli"
    )
    assert binary.rejected and binary.issues[0].reason is Reason.NOT_TABULAR


def test_a_changed_rating_is_updated_and_audited_with_before_and_after(session):
    load(session, upto="pest_ratings.csv")
    changed = (
        (DEMO / "pest_ratings.csv")
        .read_bytes()
        .replace(
            b"POL-REG,2024-Q4,-1,5,Strategy office,",
            b"POL-REG,2024-Q4,-2,5,Strategy office,Tighter",
        )
    )
    result = pest.import_ratings(session, changed, "r.csv", actor=OPERATOR, source="cli")
    assert (result.updated, result.unchanged) == (1, 223)
    entry = session.exec(
        select(AuditLog).where(AuditLog.entity == "pest_rating", AuditLog.action == "update")
    ).one()
    assert entry.before == {"impact": -1, "note": None}
    assert entry.after == {"impact": -2, "note": "Tighter"}
    assert entry.actor == "operator" and entry.source == "cli"


def test_factor_links_follow_the_file_and_removed_links_are_audited(session):
    load(session, upto="pest_factors.csv")
    relinked = (DEMO / "pest_factors.csv").read_bytes().replace(b",C1;P2\n", b",C1;M001:F1\n")
    result = pest.import_factors(session, relinked, "f.csv", actor=OPERATOR, source="cli")
    assert (result.updated, result.unchanged) == (1, 13)
    links = pest.links_frame(session, principal=OPERATOR)
    reg = links[links["factor"] == "POL-REG"]
    assert sorted(zip(reg["member_code"].fillna(""), reg["objective_key"], strict=True)) == [
        ("", "C1"),
        ("M001", "F1"),
    ]
    deleted = session.exec(
        select(AuditLog).where(AuditLog.entity == "factor_objective", AuditLog.action == "delete")
    ).one()
    assert deleted.before["objective_key"] == "P2"
    # another member's own link is not shown to a member
    m002 = member_principal(session, "M002")
    assert "M001" not in set(pest.links_frame(session, principal=m002)["member_code"].dropna())


@pytest.mark.parametrize("name, importer", FILES[1:])
def test_only_the_program_office_imports(session, name, importer):
    load(session, upto="members.csv")
    data = (DEMO / name).read_bytes()
    for actor in (EXECUTIVE, member_principal(session)):
        with pytest.raises(Forbidden):
            importer(session, data, name, actor=actor, source="web")


def test_xlsx_files_import_like_csv(session):
    import csv
    import io

    from openpyxl import Workbook

    load(session, upto="members.csv")
    book = Workbook()
    for row in csv.reader(io.StringIO((DEMO / "waves.csv").read_text(encoding="utf-8"))):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = rollout.import_waves(
        session, buffer.getvalue(), "waves.xlsx", actor=OPERATOR, source="cli"
    )
    assert not result.rejected and result.updated == 3  # the members import made the waves


def test_vendor_scores_add_vendors_and_a_lower_scorer_needs_a_reason(session):
    load(session, upto="vendor_scores.csv")
    assert count(session, Vendor) == 4 and count(session, VendorScore) == 100
    unexplained = vendors.import_decision(
        session, b"vendor,reason\nV3,\n", "decision.csv", actor=OPERATOR, source="cli"
    )
    [issue] = unexplained.issues
    assert (issue.line, issue.column, issue.reason) == (2, "reason", Reason.MISSING_VALUE)
    assert "V1 scores 81.2" in issue.message and count(session, VendorDecision) == 0
    explained = vendors.import_decision(
        session, b"vendor,reason\nV3,Local support team\n", "d.csv", actor=OPERATOR, source="cli"
    )
    assert explained.created == 1
    assert vendors.decision(session, principal=EXECUTIVE)["vendor"] == "V3"


def test_survey_responses_are_one_per_member_and_item(session):
    load(session, upto="survey_responses.csv")
    assert count(session, SurveyResponse) == 112
    changed = (
        (DEMO / "survey_responses.csv")
        .read_bytes()
        .replace(b"M001,S01,4,5,", b"M001,S01,5,5,Urgent")
    )
    result = survey.import_responses(session, changed, "s.csv", actor=OPERATOR, source="cli")
    assert (result.updated, result.unchanged) == (1, 111)
    assert count(session, SurveyResponse) == 112


def test_the_plan_moves_a_member_to_the_wave_its_rows_name(session):
    load(session, upto="rollout.csv")
    moved = (DEMO / "rollout.csv").read_bytes().replace(b"M004,wave-2,", b"M004,wave-3,")
    result = rollout.import_stages(session, moved, "r.csv", actor=OPERATOR, source="cli")
    assert result.updated == 5
    frame = rollout.assignments_frame(session, principal=OPERATOR).set_index("member_code")
    assert frame.loc["M004", "wave"] == "wave-3"
    stages = session.exec(select(RolloutStage)).all()
    assert len(stages) == 70
