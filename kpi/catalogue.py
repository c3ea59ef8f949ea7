"""The programme catalogue as files: member and KPI rows read, validated and typed.

Reading is all-or-nothing friendly: every bad cell of every row becomes an
:class:`~kpi.issues.Issue`, and only a file without errors yields records to store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kpi.issues import Issue, Reason
from kpi.messages import Text
from kpi.reading import RawTable
from kpi.tabular import Columns, RowChecker
from kpi.vocabulary import (
    Aggregation,
    CapitalStructure,
    Frequency,
    Perspective,
    Polarity,
    Segment,
    parse_perspective,
)

__all__ = [
    "MemberRecord",
    "KpiRecord",
    "parse_members",
    "parse_kpis",
    "wave_sequence",
    "CODE_PATTERN",
]

CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}"
WAVE_PATTERN = r"pilot|wave[-_ ]?\d{1,2}"

MEMBER_COLUMNS = {
    "code": ["member_code", "機構代號", "公司代號", "member"],
    "name": ["member_name", "名稱", "公司名稱"],
    "name_zh": ["中文名稱", "名稱_中文"],
    "segment": ["業別", "segment_type"],
    "region": ["地區", "區域"],
    "revenue": ["revenue_twd", "營業額", "營收"],
    "investor_count": ["investors", "投資人數"],
    "capital_structure": ["資本結構", "capital"],
    "is_industry_leader": ["industry_leader"],
    "is_cloud_leader": ["cloud_leader"],
    "has_state_shareholding": ["state_shareholding"],
    "prior_cooperation": ["cooperative"],
    "wave": ["梯次", "rollout_wave"],
}
KPI_COLUMNS = {
    "code": ["kpi_code", "指標代碼"],
    "name": ["kpi_name", "指標名稱"],
    "name_zh": ["中文名稱"],
    "unit": ["單位"],
    "polarity": ["方向"],
    "target": ["目標值"],
    "amber": ["警戒值"],
    "floor": ["下限"],
    "band_low": [],
    "band_high": [],
    "band_tolerance": [],
    "frequency": ["頻率"],
    "aggregation": ["彙總"],
    "perspective": ["構面"],
    "weight": ["權重"],
    "objective_key": ["objective"],
    "description": ["說明"],
}


@dataclass(frozen=True)
class MemberRecord:
    line: int
    code: str
    name: str
    name_zh: str | None
    segment: Segment
    region: str
    revenue: int | None
    investor_count: int | None
    capital_structure: CapitalStructure
    is_industry_leader: bool
    is_cloud_leader: bool
    has_state_shareholding: bool
    prior_cooperation: bool
    wave: str | None


@dataclass(frozen=True)
class KpiRecord:
    line: int
    code: str
    name: str
    name_zh: str | None
    unit: str
    polarity: Polarity
    target: float | None
    amber: float | None
    floor: float | None
    band_low: float | None
    band_high: float | None
    band_tolerance: float | None
    frequency: Frequency
    aggregation: Aggregation
    perspective: Perspective
    weight: float
    objective_key: str | None
    description: str | None


def wave_sequence(code: str) -> int:
    """The order of a wave code: ``pilot`` is 1, ``wave-2`` is 2.

    Examples
    --------
    >>> wave_sequence("pilot"), wave_sequence("wave-3")
    (1, 3)
    """
    if code == "pilot":
        return 1
    match = re.search(r"\d+", code)
    if not match:
        raise ValueError(f"{code!r} is not a wave code (pilot, wave-2, wave-3, …)")
    return int(match.group())


def _canonical_wave(text: str) -> str:
    lowered = text.strip().lower()
    return "pilot" if lowered == "pilot" else f"wave-{wave_sequence(lowered)}"


def parse_members(table: RawTable) -> tuple[list[MemberRecord], list[Issue]]:
    """Validate member rows; records are returned only for rows without issues."""
    columns = Columns.find(table.rows[0], MEMBER_COLUMNS)
    issues = columns.missing(["code", "name", "segment", "region", "capital_structure"])
    if issues:
        return [], issues
    records: list[MemberRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = RowChecker(row, line, columns)
        revenue = cells.number("revenue", minimum=0, integer=True)
        investors = cells.number("investor_count", minimum=0, integer=True)
        wave = cells.text("wave", pattern=f"(?i:{WAVE_PATTERN})")
        record = MemberRecord(
            line=line,
            code=cells.text("code", required=True, pattern=CODE_PATTERN) or "",
            name=cells.text("name", required=True) or "",
            name_zh=cells.text("name_zh"),
            segment=cells.choice("segment", Segment),  # type: ignore[arg-type]
            region=(cells.text("region", required=True) or "").lower(),
            revenue=None if revenue is None else int(revenue),
            investor_count=None if investors is None else int(investors),
            capital_structure=cells.choice("capital_structure", CapitalStructure),  # type: ignore[arg-type]
            is_industry_leader=cells.flag("is_industry_leader"),
            is_cloud_leader=cells.flag("is_cloud_leader"),
            has_state_shareholding=cells.flag("has_state_shareholding"),
            prior_cooperation=cells.flag("prior_cooperation"),
            wave=_canonical_wave(wave) if wave else None,
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    issues.extend(_duplicate_codes([(r.line, r.code) for r in records], columns))
    return records, issues


def parse_kpis(table: RawTable) -> tuple[list[KpiRecord], list[Issue]]:
    """Validate KPI rows, including that thresholds are ordered as the polarity requires."""
    columns = Columns.find(table.rows[0], KPI_COLUMNS)
    issues = columns.missing(
        ["code", "name", "polarity", "frequency", "aggregation", "perspective"]
    )
    if issues:
        return [], issues
    records: list[KpiRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = RowChecker(row, line, columns)
        polarity = cells.choice("polarity", Polarity)
        in_band = polarity is Polarity.IN_BAND
        target = cells.number("target", required=polarity is not None and not in_band)
        amber = cells.number("amber", required=polarity is not None and not in_band)
        floor = cells.number("floor", required=polarity is not None and not in_band)
        band_low = cells.number("band_low", required=in_band)
        band_high = cells.number("band_high", required=in_band)
        tolerance = cells.number("band_tolerance", required=in_band)
        weight = cells.number("weight")
        _check_thresholds(cells, polarity, target, amber, floor, band_low, band_high, tolerance)
        cells.check(weight is None or weight > 0, "weight", Text("weight must be greater than 0"))
        record = KpiRecord(
            line=line,
            code=cells.text("code", required=True, pattern=CODE_PATTERN) or "",
            name=cells.text("name", required=True) or "",
            name_zh=cells.text("name_zh"),
            unit=cells.text("unit") or "",
            polarity=polarity,  # type: ignore[arg-type]
            target=target,
            amber=amber,
            floor=floor,
            band_low=band_low,
            band_high=band_high,
            band_tolerance=tolerance,
            frequency=cells.choice("frequency", Frequency),  # type: ignore[arg-type]
            aggregation=cells.choice("aggregation", Aggregation),  # type: ignore[arg-type]
            perspective=cells.choice("perspective", Perspective, aliases=parse_perspective),  # type: ignore[arg-type]
            weight=weight if weight is not None else 1.0,
            objective_key=cells.text("objective_key", pattern=CODE_PATTERN),
            description=cells.text("description"),
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    issues.extend(_duplicate_codes([(r.line, r.code) for r in records], columns))
    return records, issues


def _check_thresholds(
    cells: RowChecker,
    polarity: Polarity | None,
    target: float | None,
    amber: float | None,
    floor: float | None,
    band_low: float | None,
    band_high: float | None,
    tolerance: float | None,
) -> None:
    if polarity is Polarity.IN_BAND:
        if band_low is not None and band_high is not None:
            cells.check(
                band_low <= band_high, "band_high", Text("band_high must not be below band_low")
            )
        if tolerance is not None:
            cells.check(
                tolerance > 0, "band_tolerance", Text("band_tolerance must be greater than 0")
            )
        return
    if target is None or amber is None or floor is None:
        return
    if polarity is Polarity.HIGHER_IS_BETTER:
        cells.check(
            floor <= amber <= target and floor < target,
            "amber",
            Text("for higher_is_better, floor ≤ amber ≤ target and floor < target"),
        )
    elif polarity is Polarity.LOWER_IS_BETTER:
        cells.check(
            target <= amber <= floor and target < floor,
            "amber",
            Text("for lower_is_better, target ≤ amber ≤ floor and target < floor"),
        )


def _duplicate_codes(rows: list[tuple[int, str]], columns: Columns) -> list[Issue]:
    seen: dict[str, int] = {}
    issues = []
    for line, code in rows:
        key = code.upper()
        if key in seen:
            issues.append(
                Issue(
                    line,
                    columns.headers.get("code", "code"),
                    code,
                    Reason.DUPLICATE_CODE,
                    Text("code {code} already appears on line {line}", code=code, line=seen[key]),
                )
            )
        else:
            seen[key] = line
    return issues
