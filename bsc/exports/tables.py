"""Tables to CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX, safe to open in a spreadsheet.

Text cells beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return would run as formulas
in a spreadsheet (CSV injection). In CSV they are prefixed with an apostrophe; in XLSX every text
cell is written as a string cell, which a spreadsheet never evaluates. Numbers stay numbers.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

__all__ = [
    "neutralise",
    "neutralised",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "sheet_title",
    "TABLE_FORMATS",
    "MIME_TYPES",
]

TABLE_FORMATS = ("csv", "xlsx")
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text and never evaluates.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5"), neutralise(-5), neutralise("ok")
    ('\\'=HYPERLINK("http://x")', "'-5", -5, 'ok')
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS_STARTS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and header) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if not (
            pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_bool_dtype(safe[column])
        ):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(column)) for column in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    # CRLF rows, as Excel writes them; it also makes the writer quote cells holding a bare CR.
    return neutralised(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def sheet_title(title: str) -> str:
    """``title`` as a worksheet name: at most 31 characters, none of ``[]:*?/\\``.

    Examples
    --------
    >>> sheet_title("Remediation list: the least willing")
    'Remediation list - the least wi'
    """
    cleaned = re.sub(r"\s*[\[\]:*?/\\]+\s*", " - ", title).strip(" -'")
    return cleaned[:31].strip() or "Data"


def to_xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "Data") -> bytes:
    """The table as a workbook of one sheet named ``sheet`` (made a valid sheet name)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet_title(sheet)
    rows = [[str(column) for column in frame.columns]]
    rows += [[_cell(value) for value in row] for row in frame.itertuples(index=False)]
    for row_number, values in enumerate(rows, start=1):
        for column_number, value in enumerate(values, start=1):
            cell = worksheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    for index, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:200, index - 1]])
        worksheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
