"""Importing the programme catalogue (members and KPIs) from CSV or XLSX, upserting by code.

A file is applied all or nothing: any bad row rejects it and nothing is stored. Importing the same
file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import Session, select

from bsc import audit
from bsc.authz import Principal, can_run_programme, can_write_member, require
from bsc.i18n import N_
from bsc.models import KpiDefinition, Member, RolloutWave
from bsc.models.base import utcnow
from bsc.repo import get_member
from bsc.services.results import ImportResult
from kpi.catalogue import KpiRecord, MemberRecord, parse_kpis, parse_members, wave_sequence
from kpi.issues import InputRejected, Issue, Reason
from kpi.messages import Text
from kpi.reading import Limits, read_table

__all__ = ["import_members", "import_kpis"]


def import_members(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update members from a catalogue file (see ``samples/catalogue/members.csv``)."""
    require(can_run_programme(actor), N_("importing members needs the program_office role"))
    try:
        records, issues = parse_members(read_table(data, filename, limits=limits))
    except InputRejected as rejected:
        return ImportResult(issues=[rejected.issue])
    if not records and not issues:
        issues = [_empty_issue()]
    result = ImportResult(issues=issues)
    if result.rejected:
        return result
    waves = {wave.code: wave for wave in session.exec(select(RolloutWave)).all()}
    existing = {member.code: member for member in session.exec(select(Member)).all()}
    for record in records:
        wave_id = _wave_id(session, waves, record.wave, actor=actor, source=source)
        values = _member_values(record, wave_id)
        _upsert(
            session, existing.get(record.code), Member, values, result, actor=actor, source=source
        )
    session.flush()
    return result


def import_kpis(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    member_code: str | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update KPI definitions; with ``member_code`` they become that member's own KPIs."""
    member_id = None
    if member_code is None:
        require(
            can_run_programme(actor), N_("importing programme KPIs needs the program_office role")
        )
    else:
        member = get_member(session, code=member_code)
        assert member.id is not None
        member_id = member.id
        require(
            can_write_member(actor, member_id),
            N_("importing KPIs for member {member}"),
            member=member_code,
        )
    try:
        records, issues = parse_kpis(read_table(data, filename, limits=limits))
    except InputRejected as rejected:
        return ImportResult(issues=[rejected.issue])
    if not records and not issues:
        issues = [_empty_issue()]
    existing = {kpi.code: kpi for kpi in session.exec(select(KpiDefinition)).all()}
    issues.extend(_ownership_conflicts(records, existing, member_id))
    result = ImportResult(issues=issues)
    if result.rejected:
        return result
    for record in records:
        values = _kpi_values(record, member_id)
        _upsert(
            session,
            existing.get(record.code),
            KpiDefinition,
            values,
            result,
            actor=actor,
            source=source,
            member_id=member_id,
        )
    session.flush()
    return result


def _empty_issue() -> Issue:
    return Issue(None, None, None, Reason.EMPTY_FILE, Text("the file has a header but no rows"))


def _ownership_conflicts(
    records: list[KpiRecord], existing: dict[str, KpiDefinition], member_id: int | None
) -> list[Issue]:
    issues = []
    for record in records:
        current = existing.get(record.code)
        if current is not None and current.member_id != member_id:
            message = (
                Text(
                    "KPI code {code} already belongs to the programme catalogue; choose another "
                    "code",
                    code=record.code,
                )
                if current.member_id is None
                else Text(
                    "KPI code {code} already belongs to another member; choose another code",
                    code=record.code,
                )
            )
            issues.append(Issue(record.line, "code", record.code, Reason.CONFLICT, message))
    return issues


def _member_values(record: MemberRecord, wave_id: int | None) -> dict[str, Any]:
    values = asdict(record)
    del values["line"], values["wave"]
    values["segment"] = record.segment.value
    values["capital_structure"] = record.capital_structure.value
    values["wave_id"] = wave_id
    return values


def _kpi_values(record: KpiRecord, member_id: int | None) -> dict[str, Any]:
    values = asdict(record)
    del values["line"]
    for key in ("polarity", "frequency", "aggregation", "perspective"):
        values[key] = values[key].value
    values["member_id"] = member_id
    return values


def _wave_id(
    session: Session,
    waves: dict[str, RolloutWave],
    code: str | None,
    *,
    actor: Principal,
    source: str,
) -> int | None:
    if code is None:
        return None
    wave = waves.get(code)
    if wave is None:
        sequence = wave_sequence(code)
        name = "Pilot" if code == "pilot" else f"Wave {sequence}"
        wave = RolloutWave(code=code, name=name, sequence=sequence)
        session.add(wave)
        session.flush()
        audit.record(
            session,
            actor=actor,
            source=source,
            action="create",
            entity="rollout_wave",
            entity_id=wave.id,
            after=audit.snapshot(wave),
        )
        waves[code] = wave
    return wave.id


def _upsert(
    session: Session,
    current: Any,
    model: type[Any],
    values: dict[str, Any],
    result: ImportResult,
    *,
    actor: Principal,
    source: str,
    member_id: int | None = None,
) -> None:
    entity = model.__tablename__
    if current is None:
        row = model(**values)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor,
            source=source,
            action="create",
            entity=entity,
            entity_id=row.id,
            member_id=member_id if entity != "member" else row.id,
            after=audit.snapshot(row, *values),
        )
        result.created += 1
        return
    changed = {key: value for key, value in values.items() if getattr(current, key) != value}
    if not changed:
        result.unchanged += 1
        return
    before = audit.snapshot(current, *changed)
    for key, value in changed.items():
        setattr(current, key, value)
    current.updated_at = utcnow()
    session.add(current)
    audit.record(
        session,
        actor=actor,
        source=source,
        action="update",
        entity=entity,
        entity_id=current.id,
        member_id=member_id if entity != "member" else current.id,
        before=before,
        after=audit.snapshot(current, *changed),
    )
    result.updated += 1
