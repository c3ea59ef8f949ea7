"""Importing the programme catalogue, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bsc.authz import OPERATOR, Principal
from bsc.errors import Forbidden
from bsc.models import AuditLog, KpiDefinition, Member, Role, RolloutWave
from bsc.services.catalogue import import_kpis, import_members
from kpi.issues import Reason
from tests.conftest import SAMPLES

MEMBERS = (SAMPLES / "catalogue" / "members.csv").read_bytes()
KPIS = (SAMPLES / "catalogue" / "kpis.csv").read_bytes()


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_sample_catalogue_imports(session):
    members = import_members(session, MEMBERS, "members.csv", actor=OPERATOR, source="cli")
    kpis = import_kpis(session, KPIS, "kpis.csv", actor=OPERATOR, source="cli")
    assert (members.created, kpis.created) == (8, 8)
    assert _count(session, Member) == 8 and _count(session, KpiDefinition) == 8
    waves = session.exec(select(RolloutWave).order_by(RolloutWave.sequence)).all()
    assert [(w.code, w.sequence) for w in waves] == [("pilot", 1), ("wave-2", 2), ("wave-3", 3)]
    m001 = session.exec(select(Member).where(Member.code == "M001")).one()
    assert m001.revenue == 18_500_000_000 and m001.wave_id == waves[0].id
    band = session.exec(select(KpiDefinition).where(KpiDefinition.code == "CPU_UTIL")).one()
    assert (band.band_low, band.band_high, band.band_tolerance) == (40, 75, 10)


def test_importing_twice_changes_nothing(session):
    import_members(session, MEMBERS, "members.csv", actor=OPERATOR, source="cli")
    audit_before = _count(session, AuditLog)
    again = import_members(session, MEMBERS, "members.csv", actor=OPERATOR, source="cli")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert _count(session, AuditLog) == audit_before


def test_changed_rows_are_updated_and_audited_with_before_and_after(session):
    import_members(session, MEMBERS, "members.csv", actor=OPERATOR, source="cli")
    changed = MEMBERS.replace(b"Formosa Securities", b"Formosa Securities Corp.")
    result = import_members(session, changed, "members.csv", actor=OPERATOR, source="cli")
    assert (result.updated, result.unchanged) == (1, 7)
    entry = session.exec(select(AuditLog).where(AuditLog.action == "update")).one()
    assert entry.before == {"name": "Formosa Securities"}
    assert entry.after == {"name": "Formosa Securities Corp."}


def test_a_bad_row_rejects_the_whole_file_and_stores_nothing(session):
    bad = KPIS.replace(b"RECON_SAMEDAY,Same-day", b"RECON_SAMEDAY,Same-day").replace(
        b"higher_is_better,90,70,0", b"higher_is_better,ninety,70,0"
    )
    result = import_kpis(session, bad, "kpis.csv", actor=OPERATOR, source="cli")
    assert result.rejected
    [issue] = result.issues
    assert (issue.line, issue.column, issue.value, issue.reason) == (
        3,
        "target",
        "ninety",
        Reason.BAD_NUMBER,
    )
    assert _count(session, KpiDefinition) == 0


def test_a_member_kpi_code_may_not_take_a_programme_code(session):
    import_members(session, MEMBERS, "members.csv", actor=OPERATOR, source="cli")
    import_kpis(session, KPIS, "kpis.csv", actor=OPERATOR, source="cli")
    result = import_kpis(
        session, KPIS, "kpis.csv", actor=OPERATOR, source="cli", member_code="M001"
    )
    assert result.rejected and {i.reason for i in result.issues} == {Reason.CONFLICT}


def test_members_import_their_own_kpis_but_not_members(session):
    import_members(session, MEMBERS, "members.csv", actor=OPERATOR, source="cli")
    m001 = session.exec(select(Member).where(Member.code == "M001")).one()
    member_user = Principal(
        "m001", Role.MEMBER, user_id=None, member_id=m001.id, member_code="M001"
    )
    own = (
        b"code,name,polarity,target,amber,floor,frequency,aggregation,perspective\n"
        b"M001_X,x,higher_is_better,1,0.5,0,monthly,sum,financial\n"
    )
    result = import_kpis(
        session, own, "own.csv", actor=member_user, source="web", member_code="M001"
    )
    assert result.created == 1
    with pytest.raises(Forbidden):
        import_kpis(session, own, "own.csv", actor=member_user, source="web", member_code="M002")
    with pytest.raises(Forbidden):
        import_members(session, MEMBERS, "members.csv", actor=member_user, source="web")
    executive = Principal("exec", Role.EXECUTIVE)
    with pytest.raises(Forbidden):
        import_kpis(session, KPIS, "kpis.csv", actor=executive, source="web")


def test_xlsx_catalogues_import_too(session):
    import io

    from openpyxl import Workbook

    book = Workbook()
    for line in MEMBERS.decode("utf-8").splitlines():
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_members(
        session, buffer.getvalue(), "members.xlsx", actor=OPERATOR, source="cli"
    )
    assert result.created == 8 and not result.issues
