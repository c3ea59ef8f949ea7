"""The vendor evaluation as files: criteria with weights, expert scores and the decision.

``vendor_criteria.csv`` (code, name, name_zh, weight > 0), ``vendor_scores.csv`` (vendor,
vendor_name, criterion, expert, score 0–100) and ``vendor_decision.csv`` (vendor, reason: one
row, the vendor chosen).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kpi.catalogue import CODE_PATTERN
from kpi.issues import Issue, Reason
from kpi.messages import Text
from kpi.programme.rows import ProgrammeRow, duplicate_rows, header_of
from kpi.reading import RawTable

__all__ = [
    "CriterionRecord",
    "ScoreRecord",
    "DecisionRecord",
    "parse_criteria",
    "parse_scores",
    "parse_decision",
]

CRITERION_COLUMNS = {
    "code": ["criterion", "criterion_code", "評選項目代碼"],
    "name": ["criterion_name", "評選項目", "名稱"],
    "name_zh": ["中文名稱"],
    "weight": ["權重", "配分"],
}
SCORE_COLUMNS = {
    "vendor": ["vendor_code", "廠商代碼", "廠商"],
    "vendor_name": ["廠商名稱"],
    "criterion": ["criterion_code", "評選項目代碼", "評選項目"],
    "expert": ["reviewer", "評審", "委員"],
    "score": ["分數", "評分"],
}
DECISION_COLUMNS = {
    "vendor": ["vendor_code", "chosen", "得標廠商", "廠商"],
    "reason": ["note", "理由", "說明"],
}


@dataclass(frozen=True)
class CriterionRecord:
    line: int
    code: str
    name: str
    name_zh: str | None
    weight: float


@dataclass(frozen=True)
class ScoreRecord:
    line: int
    vendor: str
    vendor_name: str | None
    criterion: str
    expert: str
    score: float


@dataclass(frozen=True)
class DecisionRecord:
    line: int
    vendor: str
    reason: str | None


def parse_criteria(table: RawTable) -> tuple[list[CriterionRecord], list[Issue]]:
    """Validate criteria; weights are any positive numbers (they are normalised when used).

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> records, [issue] = parse_criteria(read_table(b"code,name,weight\\nSEC,Security,0\\n", "c"))
    >>> issue.column, issue.message
    ('weight', 'weight must be greater than 0')
    """
    columns = header_of(table, CRITERION_COLUMNS)
    issues = columns.missing(["code", "name", "weight"])
    if issues:
        return [], issues
    records: list[CriterionRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        weight = cells.number("weight", required=True)
        cells.check(weight is None or weight > 0, "weight", Text("weight must be greater than 0"))
        record = CriterionRecord(
            line=line,
            code=(cells.text("code", required=True, pattern=CODE_PATTERN) or "").upper(),
            name=cells.text("name", required=True) or "",
            name_zh=cells.text("name_zh"),
            weight=weight or 0.0,
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    issues.extend(
        duplicate_rows(((r.line, r.code) for r in records), columns, "code", Text("criterion"))
    )
    return records, issues


def parse_scores(
    table: RawTable, *, criteria: Mapping[str, str]
) -> tuple[list[ScoreRecord], list[Issue]]:
    """Validate expert scores against the known ``criteria`` (spelling → code).

    A vendor code must keep one name throughout the file.

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> text = b"vendor,criterion,expert,score\\nV1,SEC,Dr. Chen,101\\n"
    >>> records, [issue] = parse_scores(read_table(text, "s.csv"), criteria={"sec": "SEC"})
    >>> issue.line, issue.column, issue.message
    (2, 'score', 'score must be from 0 to 100')
    """
    columns = header_of(table, SCORE_COLUMNS)
    issues = columns.missing(["vendor", "criterion", "expert", "score"])
    if issues:
        return [], issues
    records: list[ScoreRecord] = []
    names: dict[str, tuple[str, int]] = {}
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        vendor = (cells.text("vendor", required=True, pattern=CODE_PATTERN) or "").upper()
        name = cells.text("vendor_name")
        if vendor and name:
            first = names.setdefault(vendor, (name, line))
            cells.check(
                first[0] == name,
                "vendor_name",
                Text(
                    "{vendor} is named {name!r} on line {line}; one name per vendor",
                    vendor=vendor,
                    name=first[0],
                    line=first[1],
                ),
            )
        record = ScoreRecord(
            line=line,
            vendor=vendor,
            vendor_name=name,
            criterion=cells.known(
                "criterion",
                criteria,
                reason=Reason.BAD_VALUE,
                hint=Text("import the criteria first (bsc vendors import-criteria) or correct it"),
            )
            or "",
            expert=cells.text("expert", required=True) or "",
            score=cells.bounded("score", 0, 100) or 0.0,
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    keys = ((r.line, (r.vendor, r.criterion, r.expert)) for r in records)
    issues.extend(
        duplicate_rows(
            keys, columns, "expert", Text("a score of this expert for this vendor and criterion")
        )
    )
    return records, issues


def parse_decision(
    table: RawTable, *, vendors: Mapping[str, str]
) -> tuple[list[DecisionRecord], list[Issue]]:
    """Validate the decision file: exactly one row naming a known vendor (code or name)."""
    columns = header_of(table, DECISION_COLUMNS)
    issues = columns.missing(["vendor"])
    if issues:
        return [], issues
    records: list[DecisionRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        vendor = cells.known(
            "vendor",
            vendors,
            reason=Reason.BAD_VALUE,
            hint=Text("import the vendors' scores first"),
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(DecisionRecord(line, vendor or "", cells.text("reason")))
    if len(table.rows) > 2:
        issues.append(
            Issue(
                table.lines[2],
                None,
                None,
                Reason.DUPLICATE_ROW,
                Text("a decision file has one row: the vendor chosen and the reason"),
            )
        )
    return records, issues
