"""The rollout plan: waves with their gates, each member's wave and five stages.

The program office imports and edits; executives read everything; a member reads only its own
stages. Every change is audited and bumps the programme's data version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from bsc import audit
from bsc.authz import Principal, can_read_member, can_read_programme, can_run_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_
from bsc.models import Member, RolloutStage, RolloutWave
from bsc.repo import get_member, list_waves
from bsc.services.results import ImportResult
from bsc.services.scorecard import kpi_results, latest_period
from bsc.services.upserts import finish, form_table, issue_text, read_records, upsert
from kpi.issues import Issue, Reason
from kpi.messages import Text
from kpi.programme.rollout import Gate, next_wave, wave_gate
from kpi.programme.rollout_files import StageRecord, WaveRecord, parse_stages, parse_waves
from kpi.programme.rows import code_index
from kpi.reading import Limits
from kpi.vocabulary import STAGE_ORDER

__all__ = [
    "import_waves",
    "import_stages",
    "save_waves",
    "save_stages",
    "assign_wave",
    "save_assignments",
    "waves_frame",
    "stages_frame",
    "assignments_frame",
    "gate_report",
    "GateReport",
    "today",
    "STAGE_COLUMNS",
]

STAGE_COLUMNS = [
    "id",
    "member_code",
    "member_name",
    "wave",
    "stage",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "percent_complete",
    "note",
]


def _member_index(session: Session) -> dict[str, str]:
    return code_index((m.code, m.name, m.name_zh or "") for m in session.exec(select(Member)))


def import_waves(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update waves by code: name, order, planned start and gate thresholds."""
    require(can_run_programme(actor), N_("importing rollout waves needs the program_office role"))
    records, result = read_records(data, filename, parse_waves, limits=limits)
    if result.rejected:
        return result
    return _store_waves(session, records, result, actor=actor, source=source)


def save_waves(
    session: Session, *, actor: Principal, source: str, rows: Sequence[Mapping[str, Any]]
) -> ImportResult:
    """Store waves edited in a grid (``code, name, sequence, planned_start, gate_green_share,
    gate_live_share``); raises :class:`InvalidInput` naming every wrong cell."""
    require(can_run_programme(actor), N_("editing rollout waves needs the program_office role"))
    records, issues = parse_waves(form_table(*rows))
    result = ImportResult(issues=issues)
    if not result.rejected:
        result = _store_waves(session, records, result, actor=actor, source=source)
    if result.rejected:
        raise InvalidInput(issue_text(result.issues, _row_names(rows, "code")))
    return result


def _row_names(rows: Sequence[Mapping[str, Any]], *keys: str) -> dict[int, str]:
    return {line: " ".join(str(row.get(k) or "") for k in keys) for line, row in enumerate(rows, 2)}


def _store_waves(
    session: Session,
    records: list[WaveRecord],
    result: ImportResult,
    *,
    actor: Principal,
    source: str,
) -> ImportResult:
    existing = {wave.code: wave for wave in list_waves(session)}
    sequences = {wave.sequence: wave.code for wave in existing.values()}
    named = {record.code for record in records}
    for record in records:
        holder = sequences.get(record.sequence)
        if holder is not None and holder != record.code and holder not in named:
            result.issues.append(
                Issue(
                    record.line,
                    "sequence",
                    str(record.sequence),
                    Reason.CONFLICT,
                    Text(
                        "sequence {sequence} belongs to wave {wave}; choose another",
                        sequence=record.sequence,
                        wave=holder,
                    ),
                )
            )
    if result.rejected:
        return result
    # Sequences are unique: park the waves that move on free numbers before renumbering them.
    original = {
        r.code: existing[r.code].sequence
        for r in records
        if r.code in existing and existing[r.code].sequence != r.sequence
    }
    parking = max([*sequences, *(r.sequence for r in records)], default=0) + 1
    for offset, code in enumerate(original):
        existing[code].sequence = parking + offset
        session.add(existing[code])
    session.flush()
    for record in records:
        values = {
            "code": record.code,
            "name": record.name,
            "sequence": record.sequence,
            "planned_start": record.planned_start,
            "gate_green_share": record.gate_green_share,
            "gate_live_share": record.gate_live_share,
        }
        current = existing.get(record.code)
        if current is None or record.code not in original:
            upsert(session, current, RolloutWave, values, result, actor=actor, source=source)
            continue
        del values["sequence"]
        upsert(session, current, RolloutWave, values, ImportResult(), actor=actor, source=source)
        current.sequence = record.sequence
        session.add(current)
        audit.record(
            session,
            actor=actor,
            source=source,
            action="update",
            entity="rollout_wave",
            entity_id=current.id,
            before={"sequence": original[record.code]},
            after={"sequence": record.sequence},
        )
        result.updated += 1
    return finish(session, result)


def import_stages(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update stages by member and stage; a member's wave follows its rows."""
    require(
        can_run_programme(actor), N_("importing the rollout plan needs the program_office role")
    )
    members = _member_index(session)
    waves = {wave.code for wave in list_waves(session)}
    records, result = read_records(
        data,
        filename,
        lambda table: parse_stages(table, members=members, waves=waves),
        limits=limits,
    )
    if result.rejected:
        return result
    _store_stages(session, records, result, actor=actor, source=source)
    return finish(session, result)


def save_stages(
    session: Session, *, actor: Principal, source: str, rows: Sequence[Mapping[str, Any]]
) -> ImportResult:
    """Store stages edited in a grid (the columns of :data:`STAGE_COLUMNS` but ``id`` and
    ``member_name``); raises :class:`InvalidInput` naming every wrong cell by member and stage."""
    require(can_run_programme(actor), N_("editing the rollout plan needs the program_office role"))
    fields = [c for c in STAGE_COLUMNS if c not in ("id", "member_name")]
    table = form_table(
        *({**{f: row.get(f) for f in fields}, "member": row.get("member_code")} for row in rows)
    )
    waves = {wave.code for wave in list_waves(session)}
    records, issues = parse_stages(table, members=_member_index(session), waves=waves)
    if issues:
        raise InvalidInput(issue_text(issues, _row_names(rows, "member_code", "stage")))
    result = ImportResult()
    _store_stages(session, records, result, actor=actor, source=source)
    return finish(session, result)


def _store_stages(
    session: Session,
    records: list[StageRecord],
    result: ImportResult,
    *,
    actor: Principal,
    source: str,
) -> None:
    members = {m.code: m for m in session.exec(select(Member)).all()}
    wave_ids = {wave.code: wave.id for wave in list_waves(session)}
    existing: dict[tuple[int | None, str], RolloutStage] = {
        (s.member_id, s.stage): s for s in session.exec(select(RolloutStage)).all()
    }
    for record in records:
        member = members[record.member]
        wave_id = wave_ids[record.wave]
        if member.wave_id != wave_id:
            upsert(
                session,
                member,
                Member,
                {"wave_id": wave_id},
                ImportResult(),
                actor=actor,
                source=source,
                member_id=member.id,
            )
        values = {
            "member_id": member.id,
            "wave_id": wave_id,
            "stage": record.stage.value,
            "planned_start": record.planned_start,
            "planned_end": record.planned_end,
            "actual_start": record.actual_start,
            "actual_end": record.actual_end,
            "percent_complete": record.percent_complete,
            "note": record.note,
        }
        current = existing.get((member.id, record.stage.value))
        upsert(
            session,
            current,
            RolloutStage,
            values,
            result,
            actor=actor,
            source=source,
            member_id=member.id,
        )


def assign_wave(
    session: Session, *, actor: Principal, source: str, member_code: str, wave_code: str | None
) -> ImportResult:
    """Put a member in a wave (or in none), moving its stages along; a member joining a wave
    without stages gets the five, empty, to plan."""
    require(
        can_run_programme(actor), N_("assigning members to waves needs the program_office role")
    )
    member = get_member(session, code=member_code)
    wave = None
    if wave_code:
        wave = session.exec(select(RolloutWave).where(RolloutWave.code == wave_code)).first()
        if wave is None:
            raise NotFound(N_("no wave {wave_code!r}"), wave_code=wave_code)
    stages = session.exec(select(RolloutStage).where(RolloutStage.member_id == member.id)).all()
    if wave is None and stages:
        raise InvalidInput(
            N_("{member} has rollout stages; move it to another wave instead of none"),
            member=member_code,
        )
    result = ImportResult()
    upsert(
        session,
        member,
        Member,
        {"wave_id": wave.id if wave else None},
        result,
        actor=actor,
        source=source,
        member_id=member.id,
    )
    if wave is not None:
        have = {stage.stage: stage for stage in stages}
        for stage in STAGE_ORDER:
            values = {"member_id": member.id, "wave_id": wave.id, "stage": stage.value}
            upsert(
                session,
                have.get(stage.value),
                RolloutStage,
                values,
                ImportResult(),
                actor=actor,
                source=source,
                member_id=member.id,
            )
    return finish(session, result)


def save_assignments(
    session: Session, *, actor: Principal, source: str, rows: Sequence[Mapping[str, Any]]
) -> ImportResult:
    """Apply a grid of ``member_code, wave`` (empty: no wave): each member whose wave differs
    moves (see :func:`assign_wave`); the others count as unchanged."""
    require(
        can_run_programme(actor), N_("assigning members to waves needs the program_office role")
    )
    current = assignments_frame(session, principal=actor).set_index("member_code")["wave"]
    result = ImportResult()
    for row in rows:
        code = str(row.get("member_code") or "")
        wave = str(row.get("wave") or "") or None
        if code not in current.index:
            raise NotFound(N_("no member with code {code!r}"), code=code)
        before = current[code] if isinstance(current[code], str) else None
        if before == wave:
            result.unchanged += 1
            continue
        assign_wave(session, actor=actor, source=source, member_code=code, wave_code=wave)
        result.updated += 1
    return finish(session, result)


def waves_frame(session: Session) -> pd.DataFrame:
    """``code, name, sequence, planned_start, gate_green_share, gate_live_share`` in order."""
    columns = ["code", "name", "sequence", "planned_start", "gate_green_share", "gate_live_share"]
    return pd.DataFrame(
        [{c: getattr(wave, c) for c in columns} for wave in list_waves(session)], columns=columns
    )


def _readable(principal: Principal, members: Iterable[Member]) -> dict[int, Member]:
    return {m.id: m for m in members if m.id is not None and can_read_member(principal, m.id)}


def assignments_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """``member_code, member_name, wave``: the members ``principal`` may see and their wave."""
    waves = {wave.id: wave.code for wave in list_waves(session)}
    members = _readable(principal, session.exec(select(Member).order_by(Member.code)))
    return pd.DataFrame(
        [
            {"member_code": m.code, "member_name": m.name, "wave": waves.get(m.wave_id)}
            for m in members.values()
        ],
        columns=["member_code", "member_name", "wave"],
    )


def stages_frame(
    session: Session, *, principal: Principal, wave: str | None = None
) -> pd.DataFrame:
    """The stages ``principal`` may see (a member: its own), in member and stage order."""
    waves = {w.id: w.code for w in list_waves(session)}
    members = _readable(principal, session.exec(select(Member)))
    order = {stage.value: index for index, stage in enumerate(STAGE_ORDER)}
    rows = [
        {
            "id": stage.id,
            "member_code": members[stage.member_id].code,
            "member_name": members[stage.member_id].name,
            "wave": waves.get(stage.wave_id),
            "stage": stage.stage,
            "planned_start": stage.planned_start,
            "planned_end": stage.planned_end,
            "actual_start": stage.actual_start,
            "actual_end": stage.actual_end,
            "percent_complete": stage.percent_complete,
            "note": stage.note,
        }
        for stage in session.exec(
            select(RolloutStage).where(col(RolloutStage.member_id).in_(list(members)))
        )
        if wave is None or waves.get(stage.wave_id) == wave
    ]
    rows.sort(key=lambda row: (str(row["member_code"]), order.get(str(row["stage"]), 99)))
    return pd.DataFrame(rows, columns=STAGE_COLUMNS)


@dataclass(frozen=True)
class GateReport:
    """The gate of one wave as things stand: its checks (``None`` when no wave follows the
    pilot), the month whose KPI statuses it judged, and the waves that have a gate."""

    gate: Gate | None
    period: str
    gated_waves: tuple[str, ...]
    next_wave: str | None  #: the first wave none of whose members has started, if any


def gate_report(session: Session, *, principal: Principal, wave: str | None = None) -> GateReport:
    """Whether ``wave`` (default: the next wave to start, else the last) may start: the share
    of the pilot members' KPIs green in the latest scored month and the share of the previous
    wave's members live, against the thresholds set on the wave."""
    require(can_read_programme(principal), N_("reading the rollout gate"))
    waves = waves_frame(session)
    stages = stages_frame(session, principal=principal)
    members = assignments_frame(session, principal=principal)[["member_code", "wave"]]
    gated = tuple(str(code) for code in waves["code"].tolist()[1:])
    upcoming = next_wave(waves, stages)
    period = latest_period(session)
    chosen = wave if wave in gated else (upcoming or (gated[-1] if gated else None))
    if chosen is None:
        return GateReport(None, period, gated, upcoming)
    pilot = members.loc[members["wave"] == waves["code"].iloc[0], "member_code"].tolist()
    statuses = kpi_results(session, principal=principal, period=period, member_codes=pilot)
    gate = wave_gate(
        chosen,
        waves=waves,
        members=members,
        stages=stages,
        statuses=statuses[["member_code", "kpi_code", "status"]],
    )
    return GateReport(gate, period, gated, upcoming)


def today() -> date:
    """The day progress is judged on (a function, so every caller agrees)."""
    return date.today()
