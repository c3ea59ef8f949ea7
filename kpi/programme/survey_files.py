"""The survey as files: items (``survey_items.csv``) and responses (``survey_responses.csv``).

A response gives one member's demand for one item and its willingness to take part, each from 1
(very low) to 5 (very high), with an optional comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kpi.catalogue import CODE_PATTERN
from kpi.issues import Issue, Reason
from kpi.messages import Text
from kpi.programme.rows import ProgrammeRow, duplicate_rows, header_of
from kpi.reading import RawTable

__all__ = ["ItemRecord", "ResponseRecord", "parse_items", "parse_responses", "SCALE"]

SCALE = (1, 5)

ITEM_COLUMNS = {
    "code": ["item", "item_code", "項目代碼"],
    "text": ["item_text", "question", "項目", "題目"],
    "text_zh": ["中文", "中文題目"],
    "category": ["類別", "分類"],
}
RESPONSE_COLUMNS = {
    "member": ["member_code", "機構代號", "公司代號"],
    "item": ["item_code", "項目代碼", "題號"],
    "demand": ["需求", "需求程度"],
    "willingness": ["意願", "參與意願"],
    "comment": ["note", "備註", "意見"],
}


@dataclass(frozen=True)
class ItemRecord:
    line: int
    code: str
    text: str
    text_zh: str | None
    category: str | None


@dataclass(frozen=True)
class ResponseRecord:
    line: int
    member: str
    item: str
    demand: int
    willingness: int
    comment: str | None


def parse_items(table: RawTable) -> tuple[list[ItemRecord], list[Issue]]:
    """Validate survey items.

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> [item], issues = parse_items(read_table(b"code,text\\nS01,Cloud files\\n", "i.csv"))
    >>> item.code, item.text, issues
    ('S01', 'Cloud files', [])
    """
    columns = header_of(table, ITEM_COLUMNS)
    issues = columns.missing(["code", "text"])
    if issues:
        return [], issues
    records: list[ItemRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        record = ItemRecord(
            line=line,
            code=(cells.text("code", required=True, pattern=CODE_PATTERN) or "").upper(),
            text=cells.text("text", required=True) or "",
            text_zh=cells.text("text_zh"),
            category=(cells.text("category") or "").lower() or None,
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    issues.extend(
        duplicate_rows(((r.line, r.code) for r in records), columns, "code", Text("item"))
    )
    return records, issues


def parse_responses(
    table: RawTable, *, members: Mapping[str, str], items: Mapping[str, str]
) -> tuple[list[ResponseRecord], list[Issue]]:
    """Validate responses against the known ``members`` and ``items`` (spelling → code).

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> text = b"member,item,demand,willingness\\nM001,S01,4,6\\n"
    >>> records, [issue] = parse_responses(read_table(text, "r.csv"),
    ...     members={"m001": "M001"}, items={"s01": "S01"})
    >>> records, issue.column, issue.message
    ([], 'willingness', 'willingness must be a whole number from 1 to 5')
    """
    columns = header_of(table, RESPONSE_COLUMNS)
    issues = columns.missing(["member", "item", "demand", "willingness"])
    if issues:
        return [], issues
    records: list[ResponseRecord] = []
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        cells = ProgrammeRow(row, line, columns)
        record = ResponseRecord(
            line=line,
            member=cells.known(
                "member",
                members,
                reason=Reason.UNKNOWN_MEMBER,
                hint=Text("add it with bsc members import first"),
            )
            or "",
            item=cells.known(
                "item",
                items,
                reason=Reason.BAD_VALUE,
                hint=Text("import the items first (bsc survey import-items) or correct the code"),
            )
            or "",
            demand=cells.whole("demand", *SCALE) or 0,
            willingness=cells.whole("willingness", *SCALE) or 0,
            comment=cells.text("comment"),
        )
        issues.extend(cells.issues)
        if not cells.issues:
            records.append(record)
    keys = ((r.line, (r.member, r.item)) for r in records)
    issues.extend(
        duplicate_rows(keys, columns, "item", Text("a response of this member to this item"))
    )
    return records, issues
