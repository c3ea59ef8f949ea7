"""Finding the header and the layout of a KPI feed, and reshaping it into long rows.

Three layouts (DESIGN.md §5) are recognised from the header:

* **long** — one row per value: member, KPI, period, value (optional target and note);
* **wide by period** — a KPI column, then one column per period (``2025/01``, ``114年第1季``);
* **wide by KPI** — member and period columns, then one column per KPI, matched by the KPI's code,
  name or Chinese name, as exchange and regulator exports come.

Columns are found by name with synonyms in English, Traditional and Simplified Chinese, or by an
explicit mapping (``{"value": "本月營收"}``; ``{"NEW_REVENUE": "當月營收"}`` names the KPI of a
column). :func:`shape_feed` returns every value as one long row with its spreadsheet line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import numpy as np
import pandas as pd

from kpi.issues import Issue, Reason, Severity
from kpi.messages import N_, Text
from kpi.periods import BadPeriod, parse_period
from kpi.reading import Cell, RawTable
from kpi.tabular import normalise_header

__all__ = [
    "FIELDS",
    "FIELD_SYNONYMS",
    "Layout",
    "ShapedFeed",
    "shape_feed",
    "normalise_name",
    "TOTAL_WORDS",
]

#: Fields of a feed; a mapping names the column of each (``--map value=實際值``).
FIELDS = ("member", "member_name", "kpi", "kpi_name", "period", "value", "target", "note")

FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "member": (
        "member_code",
        "member code",
        "member_id",
        "institution",
        "institution_code",
        "company_code",
        "firm",
        "機構代號",
        "機構代碼",
        "公司代號",
        "公司代碼",
        "會員代號",
        "證券商代號",
        "券商代號",
        "机构代号",
        "机构代码",
        "公司代号",
        "公司代码",
        "会员代号",
    ),
    "member_name": (
        "member name",
        "company",
        "company_name",
        "institution_name",
        "機構名稱",
        "公司名稱",
        "會員名稱",
        "證券商名稱",
        "机构名称",
        "公司名称",
        "会员名称",
    ),
    "kpi": (
        "kpi_code",
        "kpi code",
        "indicator",
        "indicator_code",
        "metric",
        "measure",
        "指標代碼",
        "指標代號",
        "指標",
        "指标代码",
        "指标代号",
        "指标",
    ),
    "kpi_name": ("kpi name", "indicator_name", "metric_name", "指標名稱", "指标名称"),
    "period": (
        "month",
        "date",
        "quarter",
        "year",
        "year_month",
        "yearmonth",
        "period_label",
        "期間",
        "年月",
        "資料年月",
        "資料期間",
        "月份",
        "年度",
        "季別",
        "資料季別",
        "期別",
        "期间",
        "数据年月",
        "资料年月",
        "数据期间",
        "季别",
        "数据季别",
    ),
    "value": (
        "actual",
        "actual_value",
        "amount",
        "figure",
        "數值",
        "實際值",
        "實績",
        "實績值",
        "金額",
        "值",
        "数值",
        "实际值",
        "实绩",
        "金额",
    ),
    "target": ("target_value", "goal", "目標值", "目標", "目标值", "目标"),
    "note": ("notes", "remark", "remarks", "comment", "備註", "說明", "附註", "备注", "说明"),
}

#: Words of total lines (合計, Total) that are not a member or a KPI.
TOTAL_WORDS = frozenset(
    {"合計", "總計", "小計", "合计", "总计", "小计", "total", "grand_total", "subtotal", "sum"}
)
_HEAD_ROWS = 30


class Layout(StrEnum):
    LONG = "long"
    WIDE_BY_PERIOD = "wide_by_period"
    WIDE_BY_KPI = "wide_by_kpi"

    @property
    def family(self) -> str:
        """``long`` or ``wide``, as the upload report names it."""
        return "long" if self is Layout.LONG else "wide"


def normalise_name(text: object) -> str:
    """Compare member and KPI names ignoring case, spaces (full-width too) and footnote marks.

    Examples
    --------
    >>> normalise_name(" 福爾摩沙證券# "), normalise_name("Recon_SameDay")
    ('福爾摩沙證券', 'reconsameday')
    """
    return normalise_header(text).replace("_", "")


@dataclass
class ShapedFeed:
    """A feed reshaped to long rows, before its members, KPIs, periods and numbers are checked.

    ``rows`` has the columns ``line``, ``member``, ``kpi``, ``period``, ``value``, ``target``
    (raw cells) and ``period_column``, ``value_column`` (the header of the cell each came from).
    """

    layout: Layout | None
    header_line: int | None
    columns: dict[str, str] = field(default_factory=dict)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    issues: list[Issue] = field(default_factory=list)
    ignored_lines: int = 0
    #: The header's cells as text, for choosing columns to map.
    header: list[str] = field(default_factory=list)


def shape_feed(
    table: RawTable,
    *,
    kpi_names: Mapping[str, str],
    mapping: Mapping[str, str] | None = None,
    header_row: int | None = None,
    member_optional: bool = False,
) -> ShapedFeed:
    """Find the header and the layout of ``table`` and return its values as long rows.

    ``kpi_names`` maps normalised KPI codes and names (:func:`normalise_name`) to KPI codes; it
    recognises the columns of a wide-by-KPI file. ``member_optional`` says the uploader's member
    stands in for a missing member column.

    Examples
    --------
    >>> from kpi.reading import read_table
    >>> table = read_table("指標代碼,2025/01,2025/02\\nA,1,2\\n".encode(), "f.csv")
    >>> shaped = shape_feed(table, kpi_names={"a": "A"}, member_optional=True)
    >>> shaped.layout.value, shaped.rows[["line", "kpi", "period", "value"]].values.tolist()
    ('wide_by_period', [[2, 'A', '2025/01', '1'], [2, 'A', '2025/02', '2']])
    """
    mapping = dict(mapping or {})
    head = table.head(_HEAD_ROWS)
    position = _header_position(table, head, kpi_names, mapping, header_row)
    if isinstance(position, Issue):
        return ShapedFeed(layout=None, header_line=None, issues=[position])
    header = [_header_text(cell) for cell in head[position]] if position < len(head) else []
    header_line = int(table.line_numbers[position])
    found, kpi_columns, issues = _columns(header, header_line, kpi_names, mapping)
    period_columns = {
        index: text
        for index, text in enumerate(header)
        if index not in found.values() and index not in kpi_columns and _is_period(text)
    }
    layout, missing = _layout(found, period_columns, kpi_columns, member_optional)
    if layout is None:
        return ShapedFeed(
            layout=None,
            header_line=header_line,
            issues=issues + [_missing(name, header_line, header) for name in missing],
            header=header,
        )
    used = set(found.values()) | set(period_columns if layout is Layout.WIDE_BY_PERIOD else ())
    used |= set(kpi_columns if layout is Layout.WIDE_BY_KPI else ())
    issues += [
        Issue(
            header_line,
            text,
            None,
            Reason.IGNORED_COLUMN,
            Text("this column matches no KPI and is ignored")
            if layout is Layout.WIDE_BY_KPI
            else Text("this column is not one the feed uses and is ignored"),
            Severity.WARNING,
        )
        for index, text in enumerate(header)
        if index not in used and text
    ]
    body = table.frame.iloc[position + 1 :]
    lines = table.line_numbers[position + 1 :]
    keep = _trailing_notes(body, lines, found)
    notes = [
        Issue(
            int(line),
            None,
            _first_text(body.iloc[offset]),
            Reason.IGNORED_ROW,
            Text("a total line, not data; ignored")
            if total
            else Text("a footnote line, not data; ignored"),
            Severity.WARNING,
        )
        for offset, (line, total) in keep.items()
    ]
    if keep:
        cut = min(keep)
        body, lines = body.iloc[:cut], lines[:cut]
    columns = {name: header[index] for name, index in found.items()}
    rows = _reshape(layout, body, lines, header, found, period_columns, kpi_columns)
    return ShapedFeed(
        layout=layout,
        header_line=header_line,
        columns=columns,
        rows=rows,
        issues=issues + notes,
        ignored_lines=len(notes),
        header=header,
    )


def _header_text(cell: Cell) -> str:
    if isinstance(cell, datetime | date):
        return cell.strftime("%Y-%m-%d")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _is_period(text: str) -> bool:
    if not text:
        return False
    try:
        parse_period(text)
    except BadPeriod:
        return False
    return True


def _header_position(
    table: RawTable,
    head: list[list[Cell]],
    kpi_names: Mapping[str, str],
    mapping: Mapping[str, str],
    header_row: int | None,
) -> int | Issue:
    if header_row is not None:
        matches = np.flatnonzero(table.line_numbers == header_row)
        if not len(matches):
            return Issue(
                header_row,
                None,
                None,
                Reason.MISSING_COLUMN,
                Text(
                    "line {line} is empty or past the end of the file; give the line of the "
                    "header as the spreadsheet numbers it",
                    line=header_row,
                ),
            )
        return int(matches[0])
    known = {normalise_header(word) for words in FIELD_SYNONYMS.values() for word in words}
    known |= {normalise_header(name) for name in FIELDS}
    known |= {normalise_header(column) for column in mapping.values()}
    best, best_score = 0, 0
    for position, row in enumerate(head):
        texts = [_header_text(cell) for cell in row]
        if sum(1 for text in texts if text) < 2:
            continue
        score = sum(
            2 * (normalise_header(text) in known)
            + (normalise_name(text) in kpi_names)
            + _is_period(text)
            for text in texts
            if text and not _is_number(text)
        )
        if score > best_score:
            best, best_score = position, score
    if best_score == 0:
        best = next((i for i, row in enumerate(head) if sum(1 for c in row if c) >= 2), 0)
    return best


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return not (len(text) in (4, 5, 6, 7, 8) and text.isdigit())


def _columns(
    header: list[str],
    header_line: int,
    kpi_names: Mapping[str, str],
    mapping: dict[str, str],
) -> tuple[dict[str, int], dict[int, str], list[Issue]]:
    """Field → column position, KPI columns (position → KPI code) and mapping issues."""
    normalised = [normalise_header(text) for text in header]
    found: dict[str, int] = {}
    kpi_columns: dict[int, str] = {}
    issues: list[Issue] = []
    for key, column in mapping.items():
        wanted = normalise_header(column)
        if wanted not in normalised:
            issues.append(
                Issue(
                    header_line,
                    column,
                    None,
                    Reason.MISSING_COLUMN,
                    Text(
                        "the mapping names column {column!r}, which the header does not have; "
                        "it has {columns}",
                        column=column,
                        columns=", ".join(text for text in header if text),
                    ),
                )
            )
            continue
        index = normalised.index(wanted)
        if key in FIELDS:
            found[key] = index
        elif normalise_name(key) in kpi_names:
            kpi_columns[index] = kpi_names[normalise_name(key)]
        else:
            issues.append(
                Issue(
                    None,
                    column,
                    key,
                    Reason.UNKNOWN_KPI,
                    Text(
                        "the mapping {key}={column} names neither a field ({fields}) nor a KPI "
                        "code",
                        key=key,
                        column=column,
                        fields=", ".join(FIELDS),
                    ),
                )
            )
    for name in FIELDS:
        if name in found:
            continue
        synonyms = {normalise_header(name), *map(normalise_header, FIELD_SYNONYMS[name])}
        for index, text in enumerate(normalised):
            if text in synonyms and index not in found.values() and index not in kpi_columns:
                found[name] = index
                break
    for index, text in enumerate(header):
        code = kpi_names.get(normalise_name(text))
        if code and index not in found.values() and index not in kpi_columns:
            kpi_columns[index] = code
    return found, kpi_columns, issues


def _layout(
    found: dict[str, int],
    period_columns: dict[int, str],
    kpi_columns: dict[int, str],
    member_optional: bool,
) -> tuple[Layout | None, list[str]]:
    present = {
        "member": "member" in found or "member_name" in found or member_optional,
        "kpi": "kpi" in found or "kpi_name" in found,
        "period": "period" in found,
        "value": "value" in found,
    }
    layout = None
    if present["kpi"] and present["period"] and present["value"]:
        layout = Layout.LONG
    elif present["kpi"] and period_columns:
        layout = Layout.WIDE_BY_PERIOD
    elif present["period"] and kpi_columns:
        layout = Layout.WIDE_BY_KPI
    needed = ("member",) if layout else ("member", "kpi", "period", "value")
    missing = [name for name in needed if not present[name]]
    return (None if missing else layout), missing


_MISSING = {
    "member": N_(
        "the header (line {line}) has no member column: give the member (--member CODE) or add "
        "a member column (機構代號, member_code); it has {columns}"
    ),
    "kpi": N_(
        "the header (line {line}) has no kpi column: add a KPI column (指標代碼, kpi_code) or "
        "name the KPI of a value column (--map CODE=COLUMN); it has {columns}"
    ),
    "period": N_(
        "the header (line {line}) has no period column: add a period column (期間, 資料年月, "
        "period) or put periods in the header; it has {columns}"
    ),
    "value": N_(
        "the header (line {line}) has no value column: add a value column (數值, 實際值, value) "
        "or map one (--map value=COLUMN); it has {columns}"
    ),
}


def _missing(name: str, header_line: int, header: list[str]) -> Issue:
    shown = ", ".join(text for text in header if text) or Text("nothing")
    return Issue(
        header_line,
        name,
        None,
        Reason.MISSING_COLUMN,
        Text(_MISSING[name], line=header_line, columns=shown),
    )


def _first_text(row: pd.Series) -> str | None:
    for cell in row:
        if cell not in (None, "") and not (isinstance(cell, float) and cell != cell):
            return str(cell)
    return None


def _trailing_notes(
    body: pd.DataFrame, lines: np.ndarray, found: dict[str, int]
) -> dict[int, tuple[int, bool]]:
    """Footnote and total lines at the end: offset in ``body`` → (line, is a total line)."""
    key = found.get("member", found.get("member_name", found.get("kpi", found.get("kpi_name"))))
    notes: dict[int, tuple[int, bool]] = {}
    for offset in range(len(body) - 1, max(len(body) - 20, -1), -1):
        row = body.iloc[offset]
        filled = [cell for cell in row if cell not in (None, "") and cell == cell]
        first = row.iloc[key] if key is not None and key < len(row) else None
        total = normalise_header(first) in TOTAL_WORDS if isinstance(first, str) else False
        if total or (len(filled) == 1 and isinstance(filled[0], str)):
            notes[offset] = (int(lines[offset]), total)
        else:
            break
    return notes


def _reshape(
    layout: Layout,
    body: pd.DataFrame,
    lines: np.ndarray,
    header: list[str],
    found: dict[str, int],
    period_columns: dict[int, str],
    kpi_columns: dict[int, str],
) -> pd.DataFrame:
    def cells(name: str, fallback: str | None = None) -> pd.api.extensions.ExtensionArray:
        """The column of a field as it was read (categoricals stay categoricals), or one of
        missing cells."""
        index = found.get(name, found.get(fallback) if fallback else None)
        if index is None or index >= body.shape[1]:
            return pd.Categorical.from_codes(
                np.full(len(body), -1, np.int8), categories=pd.Index([], dtype=object)
            )
        return body.iloc[:, index].array

    def column(name: str, fallback: str | None = None) -> np.ndarray:
        return _objects(pd.Series(cells(name, fallback)))

    if layout is Layout.LONG:
        return pd.DataFrame(
            {
                "line": lines,
                "member": cells("member", "member_name"),
                "kpi": cells("kpi", "kpi_name"),
                "period": cells("period"),
                "value": cells("value"),
                "target": cells("target"),
                "period_column": _same_text(header[found["period"]], len(body)),
                "value_column": _same_text(header[found["value"]], len(body)),
            }
        )
    member, kpi = column("member", "member_name"), column("kpi", "kpi_name")
    spread = period_columns if layout is Layout.WIDE_BY_PERIOD else kpi_columns
    positions = [index for index in spread if index < body.shape[1]]
    count = len(positions)
    values = (
        np.column_stack([_objects(body.iloc[:, index]) for index in positions]).reshape(-1)
        if positions
        else np.empty(0, dtype=object)
    )
    headers = np.array([header[index] for index in positions], dtype=object)
    spread_values = np.tile(
        np.array([spread[index] for index in positions], dtype=object), len(body)
    )
    frame = pd.DataFrame(
        {
            "line": np.repeat(lines, count),
            "member": np.repeat(member, count),
            "value": values,
            "target": None,
            "value_column": np.tile(headers, len(body)),
        }
    )
    if layout is Layout.WIDE_BY_PERIOD:
        frame["kpi"] = np.repeat(kpi, count)
        frame["period"] = spread_values
        frame["period_column"] = frame["value_column"]
    else:
        frame["kpi"] = spread_values
        frame["period"] = np.repeat(column("period"), count)
        frame["period_column"] = header[found["period"]]
    return frame[
        ["line", "member", "kpi", "period", "value", "target", "period_column", "value_column"]
    ]


def _same_text(text: str, count: int) -> pd.api.extensions.ExtensionArray:
    """``text`` in each of ``count`` rows, a byte per row."""
    return pd.Categorical.from_codes(np.zeros(count, np.int8), categories=pd.Index([text]))


def _objects(cells: pd.Series) -> np.ndarray:
    """Cells as Python objects; a missing cell of a categorical column is None, as elsewhere."""
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return cells.astype(object).where(cells.notna(), None).to_numpy(dtype=object)
    return cells.to_numpy(dtype=object)
