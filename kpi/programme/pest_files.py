"""PEST factors and quarterly ratings as files (``pest_factors.csv``, ``pest_ratings.csv``).

A factor row names its category, its names and the strategy-map objectives it bears on, as
objective keys separated by ``;`` (``C1;P2``: that key in every member's map) or qualified by a
member (``M001:C1``: only that member's). A rating row gives one rater's view of one factor in one
quarter: impact −2..+2 and likelihood 1..5.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kpi.catalogue import CODE_PATTERN
from kpi.issues import BadValue, Issue, Reason
from kpi.messages import N_, Text
from kpi.programme.rows import ProgrammeRow, duplicate_rows, header_of, lookup
from kpi.reading import RawTable
from kpi.vocabulary import PestCategory

__all__ = [
    "ObjectiveRef",
    "FactorRecord",
    "RatingRecord",
    "parse_factors",
    "parse_ratings",
    "parse_objective_refs",
    "IMPACT_RANGE",
    "LIKELIHOOD_RANGE",
]

IMPACT_RANGE = (-2, 2)
LIKELIHOOD_RANGE = (1, 5)

FACTOR_COLUMNS = {
    "code": ["factor", "factor_code", "因素代碼"],
    "category": ["構面", "類別", "pest"],
    "name": ["factor_name", "名稱"],
    "name_zh": ["中文名稱"],
    "description": ["說明", "描述"],
    "objectives": ["objective_keys", "策略目標", "目標"],
}
RATING_COLUMNS = {
    "factor": ["code", "factor_code", "因素代碼", "因素"],
    "quarter": ["period", "季度", "季別", "期間"],
    "impact": ["衝擊", "影響"],
    "likelihood": ["probability", "可能性", "機率"],
    "rater": ["評分者", "rated_by"],
    "note": ["comment", "備註", "說明"],
}
_REF = re.compile(rf"^(?:(?P<member>{CODE_PATTERN})\s*:\s*)?(?P<key>{CODE_PATTERN})$")


@dataclass(frozen=True)
class ObjectiveRef:
    """An objective key, in every member's map (``member_code`` ``None``) or in one member's."""

    member_code: str | None
    key: str


@dataclass(frozen=True)
class FactorRecord:
    line: int
    code: str
    category: PestCategory
    name: str
    name_zh: str | None
    description: str | None
    objectives: tuple[ObjectiveRef, ...] | None  #: ``None``: the file has no objectives column


@dataclass(frozen=True)
class RatingRecord:
    line: int
    factor: str
    quarter_start: date
    impact: int
    likelihood: int
    rater: str
    note: str | None


def parse_objective_refs(text: str | None, members: Mapping[str, str]) -> list[ObjectiveRef]:
    """Objective references from ``C1; P2, M001:F1`` (``;`` or ``,`` between them).

    Raises
    ------
    BadValue
        Naming the first part that is neither a key nor ``MEMBER:KEY`` of a known member.

    Examples
    --------
    >>> parse_objective_refs("C1; M001:P2", {"m001": "M001"})
    [ObjectiveRef(member_code=None, key='C1'), ObjectiveRef(member_code='M001', key='P2')]
    """
    refs: list[ObjectiveRef] = []
    for part in re.split(r"[;,，；\s]+", text or ""):
        if not part:
            continue
        found = _REF.match(part)
        if not found:
            raise BadValue(
                N_("{part!r} is not an objective key (C1) or MEMBER:KEY (M001:C1)"), part=part
            )
        member = found["member"]
        code = lookup(members, member) if member else None
        if member and code is None:
            raise BadValue(
                N_("{part!r} names member {member!r}, which is not in the programme"),
                part=part,
                member=member,
            )
        ref = ObjectiveRef(code, found["key"])
        if ref not in refs:
            refs.append(ref)
    return refs


def parse_factors(
    table: RawTable, *, members: Mapping[str, str]
) -> tuple[list[FactorRecord], list[Issue]]:
    """Validate factor rows; ``members`` maps spellings of member codes for ``MEMBER:KEY`` links.

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> text = b"code,category,name,objectives\\nECO-VOL,economic,Volume,F1;F2\\n"
    >>> [record], issues = parse_factors(read_table(text, "f.csv"), members={})
    >>> record.category.value, [ref.key for ref in record.objectives], issues
    ('economic', ['F1', 'F2'], [])
    """
    columns = header_of(table, FACTOR_COLUMNS)
    issues = columns.missing(["code", "category", "name"])
    if issues:
        return [], issues
    has_objectives = "objectives" in columns.positions
    records: list[FactorRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        objectives: tuple[ObjectiveRef, ...] | None = None
        if has_objectives:
            try:
                objectives = tuple(parse_objective_refs(cells.text("objectives"), members))
            except BadValue as exc:
                cells.check(False, "objectives", exc.text)
        record = FactorRecord(
            line=line,
            code=(cells.text("code", required=True, pattern=CODE_PATTERN) or "").upper(),
            category=cells.choice("category", PestCategory, aliases=PestCategory.parse),  # type: ignore[arg-type]
            name=cells.text("name", required=True) or "",
            name_zh=cells.text("name_zh"),
            description=cells.text("description"),
            objectives=objectives,
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    issues.extend(
        duplicate_rows(((r.line, r.code) for r in records), columns, "code", Text("factor"))
    )
    return records, issues


def parse_ratings(
    table: RawTable, *, factors: Mapping[str, str]
) -> tuple[list[RatingRecord], list[Issue]]:
    """Validate rating rows; ``factors`` maps spellings of factor codes (code, names) to codes.

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> text = b"factor,quarter,impact,likelihood,rater\\nECO-VOL,2025-Q1,-1,4,IT\\n"
    >>> text += b"ECO-VOL,2025-Q1,3,4,CFO\\n"
    >>> records, [issue] = parse_ratings(read_table(text, "r.csv"), factors={"eco_vol": "ECO-VOL"})
    >>> records[0].quarter_start, (issue.line, issue.column, issue.reason.value)
    (datetime.date(2025, 1, 1), (3, 'impact', 'bad_number'))
    """
    columns = header_of(table, RATING_COLUMNS)
    issues = columns.missing(["factor", "quarter", "impact", "likelihood", "rater"])
    if issues:
        return [], issues
    records: list[RatingRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        record = RatingRecord(
            line=line,
            factor=cells.known(
                "factor",
                factors,
                reason=Reason.BAD_VALUE,
                hint=Text("import the factors first (bsc pest import-factors) or correct the code"),
            )
            or "",
            quarter_start=cells.quarter("quarter"),  # type: ignore[arg-type]
            impact=cells.whole("impact", *IMPACT_RANGE),  # type: ignore[arg-type]
            likelihood=cells.whole("likelihood", *LIKELIHOOD_RANGE),  # type: ignore[arg-type]
            rater=cells.text("rater", required=True) or "",
            note=cells.text("note"),
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    keys = ((r.line, (r.factor, r.quarter_start.isoformat(), r.rater)) for r in records)
    issues.extend(duplicate_rows(keys, columns, "rater", Text("this factor, quarter and rater")))
    return records, issues
