"""Rollout waves and stages as files (``waves.csv``, ``rollout.csv``) and the rules a stage obeys.

A wave row names the wave (``pilot``, ``wave-2``, …), its order, its planned start and the gate
the program office sets for it: the share of pilot KPIs that must be green and the share of the
previous wave's members that must be live before it may start. A stage row gives one member's
planned and actual dates and percent complete for one of the five stages.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from kpi.catalogue import wave_sequence
from kpi.issues import BadValue, Issue, Reason
from kpi.messages import N_, Text
from kpi.numbers import BadNumber, is_no_value, parse_number
from kpi.programme.rows import ProgrammeRow, duplicate_rows, header_of
from kpi.reading import RawTable
from kpi.vocabulary import Stage

__all__ = [
    "WaveRecord",
    "StageRecord",
    "parse_waves",
    "parse_stages",
    "canonical_wave",
    "parse_share",
    "stage_problems",
]

WAVE_COLUMNS = {
    "code": ["wave", "wave_code", "梯次代碼", "梯次"],
    "name": ["wave_name", "名稱"],
    "sequence": ["order", "順序"],
    "planned_start": ["start", "預計開始"],
    "gate_green_share": ["green_share", "綠燈比例"],
    "gate_live_share": ["live_share", "上線比例"],
}
STAGE_COLUMNS = {
    "member": ["member_code", "機構代號", "公司代號", "code"],
    "wave": ["梯次", "rollout_wave"],
    "stage": ["階段", "phase"],
    "planned_start": ["plan_start", "預計開始"],
    "planned_end": ["plan_end", "預計完成"],
    "actual_start": ["實際開始"],
    "actual_end": ["實際完成"],
    "percent_complete": ["percent", "progress", "完成率", "完成百分比"],
    "note": ["comment", "備註"],
}
_WAVE = re.compile(r"^(pilot|wave[-_ ]?\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class WaveRecord:
    line: int
    code: str
    name: str
    sequence: int
    planned_start: date | None
    gate_green_share: float | None
    gate_live_share: float | None


@dataclass(frozen=True)
class StageRecord:
    line: int
    member: str
    wave: str
    stage: Stage
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    percent_complete: float
    note: str | None


def canonical_wave(text: str) -> str | None:
    """``pilot`` or ``wave-N`` for the ways people write a wave code, else ``None``.

    Examples
    --------
    >>> canonical_wave("Wave 2"), canonical_wave("PILOT"), canonical_wave("phase two")
    ('wave-2', 'pilot', None)
    """
    text = text.strip()
    if not _WAVE.match(text):
        return None
    return "pilot" if text.lower() == "pilot" else f"wave-{wave_sequence(text)}"


def parse_share(value: object) -> float | None:
    """A share from 0 to 1, written ``0.6`` or ``60%``; ``None`` for an empty cell.

    Raises
    ------
    BadValue
        For anything else.

    Examples
    --------
    >>> parse_share("0.6"), parse_share("60%"), parse_share("")
    (0.6, 0.6, None)
    """
    try:
        number = parse_number(value)
    except BadNumber as exc:
        raise BadValue(exc.text) from exc
    if number is None:
        return None
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number /= 100
    if not 0 <= number <= 1:
        raise BadValue(
            N_("{value!r} is not a share; write 0 to 1 (0.6) or a percentage (60%)"), value=value
        )
    return number


def stage_problems(
    *,
    planned_start: date | None,
    planned_end: date | None,
    actual_start: date | None,
    actual_end: date | None,
    percent_complete: float,
) -> list[tuple[str, Text]]:
    """What is inconsistent in one stage's dates and progress, as (column, message) pairs.

    Examples
    --------
    >>> problems = stage_problems(planned_start=date(2025, 2, 1), planned_end=date(2025, 1, 1),
    ...     actual_start=None, actual_end=None, percent_complete=30)
    >>> [column for column, _message in problems]
    ['planned_end', 'percent_complete']
    """
    problems = []
    if planned_start and planned_end and planned_end < planned_start:
        problems.append(
            (
                "planned_end",
                Text(
                    "planned_end {end} is before planned_start {start}",
                    end=planned_end.isoformat(),
                    start=planned_start.isoformat(),
                ),
            )
        )
    if actual_end and not actual_start:
        problems.append(("actual_start", Text("a stage with an actual_end needs its actual_start")))
    if actual_start and actual_end and actual_end < actual_start:
        problems.append(
            (
                "actual_end",
                Text(
                    "actual_end {end} is before actual_start {start}",
                    end=actual_end.isoformat(),
                    start=actual_start.isoformat(),
                ),
            )
        )
    if not 0 <= percent_complete <= 100:
        problems.append(("percent_complete", Text("percent_complete must be from 0 to 100")))
    elif actual_end and percent_complete != 100:
        problems.append(("percent_complete", Text("a stage with an actual_end is 100 % complete")))
    elif percent_complete == 100 and not actual_end:
        problems.append(("actual_end", Text("a stage 100 % complete needs its actual_end")))
    elif percent_complete > 0 and not actual_start and not actual_end:
        problems.append(
            (
                "percent_complete",
                Text("a stage that has not started (no actual_start) is 0 % complete"),
            )
        )
    return problems


def parse_waves(table: RawTable) -> tuple[list[WaveRecord], list[Issue]]:
    """Validate wave rows; the sequence defaults to the number in the code (pilot is 1).

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> text = b"code,name,gate_green_share,gate_live_share\\nwave-2,Wave 2,60%,1\\n"
    >>> [wave], issues = parse_waves(read_table(text, "w.csv"))
    >>> wave.sequence, wave.gate_green_share, wave.gate_live_share, issues
    (2, 0.6, 1.0, [])
    """
    columns = header_of(table, WAVE_COLUMNS)
    issues = columns.missing(["code"])
    if issues:
        return [], issues
    records: list[WaveRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        text = cells.text("code", required=True)
        code = canonical_wave(text) if text else None
        cells.check(text is None or code is not None, "code", Text("code must be pilot or wave-N"))
        sequence = cells.whole("sequence", 1, 99, required=False)
        shares = {}
        for name in ("gate_green_share", "gate_live_share"):
            try:
                shares[name] = parse_share(cells.raw(name))
            except BadValue as exc:
                cells.check(False, name, exc.text)
        if code is None:
            issues.extend(cells.issues)
            continue
        record = WaveRecord(
            line=line,
            code=code,
            name=cells.text("name") or ("Pilot" if code == "pilot" else f"Wave {code[5:]}"),
            sequence=sequence or wave_sequence(code),
            planned_start=cells.day("planned_start"),
            gate_green_share=shares.get("gate_green_share"),
            gate_live_share=shares.get("gate_live_share"),
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    issues.extend(
        duplicate_rows(((r.line, r.code) for r in records), columns, "code", Text("wave"))
    )
    issues.extend(
        duplicate_rows(
            ((r.line, r.sequence) for r in records), columns, "sequence", Text("sequence")
        )
    )
    return records, issues


def parse_stages(
    table: RawTable, *, members: Mapping[str, str], waves: Collection[str]
) -> tuple[list[StageRecord], list[Issue]]:
    """Validate stage rows against the known ``members`` (spelling → code) and wave codes.

    A member belongs to one wave, so all its rows must name the same wave.

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> text = (b"member,wave,stage,planned_start,planned_end,actual_start,percent_complete\\n"
    ...         b"M001,pilot,design,2024-01-08,2024-02-22,2024-01-10,40\\n")
    >>> [record], issues = parse_stages(read_table(text, "r.csv"),
    ...     members={"m001": "M001"}, waves={"pilot"})
    >>> record.stage.value, record.percent_complete, issues
    ('design', 40.0, [])
    """
    columns = header_of(table, STAGE_COLUMNS)
    issues = columns.missing(["member", "wave", "stage"])
    if issues:
        return [], issues
    records: list[StageRecord] = []
    wave_of: dict[str, tuple[str, int]] = {}
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        member = cells.known(
            "member",
            members,
            reason=Reason.UNKNOWN_MEMBER,
            hint=Text("add it with bsc members import first"),
        )
        text = cells.text("wave", required=True)
        wave = canonical_wave(text) if text else None
        wave = wave if wave in waves else None
        cells.check(
            text is None or wave is not None,
            "wave",
            Text(
                "wave {wave!r} is not known; import the waves first (bsc rollout import-waves)",
                wave=text,
            ),
        )
        stage = cells.choice("stage", Stage, aliases=Stage.parse)
        dates = {
            name: cells.day(name)
            for name in ("planned_start", "planned_end", "actual_start", "actual_end")
        }
        percent = _percent(cells, dates["actual_end"])
        if percent is not None:
            for column, message in stage_problems(**dates, percent_complete=percent):
                cells.check(False, column, message)
        if member and wave:
            first = wave_of.setdefault(member, (wave, line))
            cells.check(
                first[0] == wave,
                "wave",
                Text(
                    "{member} is in wave {wave} on line {line}; a member is in one wave",
                    member=member,
                    wave=first[0],
                    line=first[1],
                ),
            )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(
                StageRecord(
                    line=line,
                    member=member or "",
                    wave=wave or "",
                    stage=stage or Stage.DESIGN,
                    percent_complete=percent or 0.0,
                    note=cells.text("note"),
                    **dates,
                )
            )
    keys = ((r.line, (r.member, r.stage.value)) for r in records)
    issues.extend(duplicate_rows(keys, columns, "stage", Text("this member and stage")))
    return records, issues


def _percent(cells: ProgrammeRow, actual_end: date | None) -> float | None:
    """Percent complete; an empty cell means 100 for a finished stage and 0 otherwise."""
    if is_no_value(cells.raw("percent_complete")):
        return 100.0 if actual_end else 0.0
    return cells.bounded("percent_complete", 0, 100)
