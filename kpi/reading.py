"""Reading what members really send into rows of cells: encodings, delimiters, CSV, XLSX, XLS.

:func:`read_table` turns the bytes of a file into a :class:`RawTable`: every non-empty row with
its line number as a spreadsheet shows it. Cells keep their native type from Excel (numbers,
dates) and are text from CSV; finding the header and the layout is the next step's job.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd
from charset_normalizer import from_bytes

from kpi.issues import InputRejected, Issue, Reason
from kpi.messages import Text

__all__ = ["RawTable", "Limits", "read_table", "decode_text", "canonical_encoding"]

Cell = str | float | int | datetime | None

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
_BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"MZ", b"\x1f\x8b")
_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 60
_SAMPLE_CHARS = 1_000_000


@dataclass(frozen=True)
class Limits:
    """Upper bounds that protect the server from oversized or hostile files."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 2_000_000
    max_uncompressed_bytes: int = 200 * 1024 * 1024


@dataclass
class RawTable:
    """Non-empty rows of a file, each with the line number a spreadsheet shows for it.

    ``frame`` has one column per cell position (0, 1, …) of object cells: text from delimited
    files, native values (numbers, datetimes) from workbooks, ``None`` past a short row's end.
    A long delimited file's columns that repeat a few texts are categoricals of those texts.
    """

    frame: pd.DataFrame
    line_numbers: np.ndarray
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls, rows: list[list[Cell]], lines: list[int], kind: str, **details: Any
    ) -> RawTable:
        width = max((len(row) for row in rows), default=0)
        padded = [row + [None] * (width - len(row)) for row in rows]
        frame = pd.DataFrame(padded, dtype=object) if rows else pd.DataFrame(dtype=object)
        return cls(
            frame=frame, line_numbers=np.asarray(lines, dtype=np.int64), kind=kind, **details
        )

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def lines(self) -> list[int]:
        return [int(line) for line in self.line_numbers]

    @property
    def rows(self) -> list[list[Cell]]:
        """The rows as lists, without the padding after a short row's last cell."""
        return [_trimmed(row) for row in self.frame.itertuples(index=False, name=None)]

    def head(self, count: int) -> list[list[Cell]]:
        return [_trimmed(row) for row in self.frame.head(count).itertuples(index=False, name=None)]


def _trimmed(row: tuple[Any, ...]) -> list[Cell]:
    cells = [None if _is_nan(cell) else cell for cell in row]
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


def _is_nan(cell: object) -> bool:
    return isinstance(cell, float) and cell != cell


def canonical_encoding(name: str) -> str:
    """The name reported to users: ``big5`` for the Big5 family, ``utf-8`` with or without BOM."""
    normal = codecs.lookup(name).name
    return {
        "cp950": "big5",
        "big5": "big5",
        "big5hkscs": "big5",
        "utf-8-sig": "utf-8",
        "utf_8": "utf-8",
        "utf-16-le": "utf-16",
        "utf-16-be": "utf-16",
        "gb2312": "gb18030",
        "gbk": "gb18030",
    }.get(normal, normal)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``, returning the text and the canonical name of the encoding used.

    The order matters: BOMs first, then strict UTF-8, then detection, then cp950 (Big5 as Windows
    writes it), which detection often misses on short Traditional Chinese text.

    Examples
    --------
    >>> decode_text("期間".encode("cp950"))
    ('期間', 'big5')
    """
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError as exc:
            raise InputRejected(
                _file_issue(
                    Reason.ENCODING, Text("unknown encoding {encoding!r}", encoding=encoding)
                )
            ) from exc
        if codec in ("big5", "big5hkscs"):
            codec = "cp950"
        try:
            return data.decode(codec), canonical_encoding(codec)
        except UnicodeDecodeError as exc:
            raise InputRejected(
                _file_issue(
                    Reason.ENCODING,
                    Text(
                        "the file is not valid {encoding} at byte {byte}; leave the encoding out "
                        "to detect it",
                        encoding=encoding,
                        byte=exc.start,
                    ),
                )
            ) from exc
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise InputRejected(
                    _file_issue(
                        Reason.ENCODING,
                        Text(
                            "the file starts as {encoding} but breaks at byte {byte}",
                            encoding=name,
                            byte=exc.start,
                        ),
                    )
                ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for codec in _detected_encodings(data) + ["cp950", "gb18030"]:
        try:
            return data.decode(codec), canonical_encoding(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputRejected(
        _file_issue(
            Reason.ENCODING,
            Text(
                "the text encoding could not be recognised; save the file as UTF-8 or give "
                "--encoding"
            ),
        )
    )


def _detected_encodings(data: bytes) -> list[str]:
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return []
    name = best.encoding
    # Detection says big5 for text that only cp950 (its Windows superset) decodes in full.
    return ["cp950" if name in ("big5", "big5hkscs") else name]


def read_table(
    data: bytes,
    filename: str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    limits: Limits | None = None,
) -> RawTable:
    """Read the rows of a CSV/TSV/TXT, XLSX or XLS file.

    Raises
    ------
    InputRejected
        With reason ``empty_file``, ``too_large``, ``not_tabular`` or ``encoding``.

    Examples
    --------
    >>> table = read_table(b"kpi;value\\r\\nA;1\\r\\n", "feed.csv")
    >>> table.delimiter, table.rows, table.lines
    (';', [['kpi', 'value'], ['A', '1']], [1, 2])
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise InputRejected(
            _file_issue(
                Reason.TOO_LARGE,
                Text(
                    "the file has {size:,} bytes, more than the limit of {limit:,}; split it into "
                    "smaller files",
                    size=len(data),
                    limit=limits.max_bytes,
                ),
            )
        )
    if not data.strip():
        raise InputRejected(_file_issue(Reason.EMPTY_FILE, Text("the file is empty")))
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        table = _read_xlsx(data, sheet=sheet, limits=limits)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        table = _read_xls(data, sheet=sheet)
    elif suffix == ".json":
        table = _read_json_rows(data)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        raise InputRejected(
            _file_issue(
                Reason.NOT_TABULAR,
                Text("the file is named {suffix} but is not an Excel workbook", suffix=suffix),
            )
        )
    else:
        table = _read_delimited(data, encoding=encoding)
    if len(table) > limits.max_rows:
        raise InputRejected(
            _file_issue(
                Reason.TOO_LARGE,
                Text(
                    "the file has {rows:,} rows, more than the limit of {limit:,}",
                    rows=len(table),
                    limit=limits.max_rows,
                ),
            )
        )
    if not len(table):
        raise InputRejected(_file_issue(Reason.EMPTY_FILE, Text("the file has no rows")))
    return table


def _read_delimited(data: bytes, *, encoding: str | None) -> RawTable:
    if _looks_binary(data):
        raise InputRejected(
            _file_issue(
                Reason.NOT_TABULAR, Text("the file is not a table (it looks like binary data)")
            )
        )
    text, used = decode_text(data, encoding)
    if _control_share(text) > 0.01:
        raise InputRejected(
            _file_issue(
                Reason.NOT_TABULAR, Text("the file is not a table (it holds control characters)")
            )
        )
    sample = text[:_SAMPLE_CHARS]
    # pandas reads UTF-8 bytes (and skips a UTF-8 BOM): UTF-8 files go to it as they came, other
    # encodings once re-encoded; the decoded text is not kept, it would double the memory.
    source = data if used == "utf-8" and encoding is None else text.encode("utf-8")
    del text
    delimiter = _sniff_delimiter(sample)
    table = _parse_with_pandas(source, sample, delimiter) or _parse_with_csv(
        source.decode("utf-8-sig"), delimiter
    )
    table.encoding = used
    return table


def _parse_with_pandas(source: bytes, sample: str, delimiter: str) -> RawTable | None:
    """The fast path: pandas' C parser. Record *n* is line *n*, as a spreadsheet numbers rows.

    Columns that repeat a few values (members, KPIs, periods) become categoricals: a small code
    per cell instead of a pointer, and each distinct text is checked once later on.
    Gives up (``None``) when a row is wider than the sampled ones; the record-by-record reader
    then takes over.
    """
    sampled = list(csv.reader(_sample_lines(sample, _SAMPLE_LINES * 2), delimiter=delimiter))
    width = max((len(row) for row in sampled), default=1)
    try:
        frame = pd.read_csv(
            io.BytesIO(source),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
            lineterminator=None,
        )
    except (pd.errors.ParserError, ValueError):
        return None
    spaced = any(mark in source for mark in (b" ", b"\t", "\u3000".encode()))
    filled = np.zeros(len(frame), dtype=bool)
    for column in frame.columns:
        cells = frame[column]
        if _repetitive(cells):
            # Stripped and compared once per distinct text instead of once per cell.
            cells = cells.astype("category")
            if spaced:
                cells = _stripped(cells)
            filled |= (cells.cat.codes >= 0).to_numpy() & (cells != "").to_numpy()
        else:
            missing = cells.isna()  # cells past the end of a short row
            if spaced:
                cells = cells.str.strip()
            if missing.any():
                cells = cells.astype(object).where(~missing, None)
            filled |= (~missing & (cells != "")).to_numpy()
        frame[column] = cells
    lines = np.flatnonzero(filled) + 1
    if not filled.all():
        frame = frame.loc[filled].reset_index(drop=True)
    return RawTable(
        frame=frame, line_numbers=lines.astype(np.int64), kind="csv", delimiter=delimiter
    )


def _stripped(cells: pd.Series) -> pd.Series:
    """A categorical column with its texts stripped; texts that become equal merge."""
    texts = pd.Series(cells.cat.categories.astype(object)).str.strip()
    codes, categories = pd.factorize(texts)
    merged = np.append(codes, -1)[cells.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(merged, categories=categories), index=cells.index)


def _repetitive(cells: pd.Series) -> bool:
    """Whether a column holds few distinct values, judging by its first ten thousand."""
    head = cells.iloc[:10_000]
    return len(cells) >= 100 and len(pd.unique(head)) <= len(head) // 10


def _parse_with_csv(text: str, delimiter: str) -> RawTable:
    rows: list[list[Cell]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record]
            if any(cells):
                rows.append(list(cells))
                lines.append(number)
    except csv.Error as exc:
        raise InputRejected(
            _file_issue(
                Reason.NOT_TABULAR,
                Text("the file could not be read as a table: {problem}", problem=str(exc)),
            )
        ) from exc
    return RawTable.from_rows(rows, lines, "csv", delimiter=delimiter)


def _sample_lines(text: str, count: int) -> list[str]:
    return [line for line in text[:_SAMPLE_CHARS].splitlines()[:count] if line.strip()]


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(_BINARY_MAGIC):
        return True
    if any(head.startswith(bom) for bom, _, _ in _BOMS):
        return False
    return b"\x00" in head


def _control_share(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls / len(sample)


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits most sample lines into the same number (> 1) of fields."""
    sample = _sample_lines(text, _SAMPLE_LINES * 2)[:_SAMPLE_LINES]
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]), default=(1, 0))
        score = count if width > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_xlsx(data: bytes, *, sheet: str | None, limits: Limits) -> RawTable:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > limits.max_uncompressed_bytes:
                raise InputRejected(
                    _file_issue(
                        Reason.TOO_LARGE,
                        Text(
                            "the workbook expands to {size:,} bytes, more than the limit of "
                            "{limit:,}",
                            size=expanded,
                            limit=limits.max_uncompressed_bytes,
                        ),
                    )
                )
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InputRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign zip
        raise InputRejected(
            _file_issue(
                Reason.NOT_TABULAR,
                Text("the file is not a readable Excel workbook ({problem})", problem=str(exc)),
            )
        ) from exc
    try:
        worksheet = _pick_sheet(workbook, sheet)
        rows: list[list[Cell]] = []
        lines: list[int] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [_excel_cell(value) for value in values]
            if any(cell not in (None, "") for cell in cells):
                rows.append(cells)
                lines.append(number)
        return RawTable.from_rows(rows, lines, "xlsx", sheet=worksheet.title)
    finally:
        workbook.close()


def _pick_sheet(workbook: Any, sheet: str | None) -> Any:
    if sheet is None:
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        raise InputRejected(
            _file_issue(
                Reason.MISSING_COLUMN,
                Text(
                    "the workbook has no sheet {sheet!r}; it has {sheets}",
                    sheet=sheet,
                    sheets=", ".join(workbook.sheetnames),
                ),
            )
        )
    return workbook[sheet]


def _excel_cell(value: Any) -> Cell:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, datetime)) or value is None:
        return value
    if hasattr(value, "isoformat"):  # date or time objects
        return datetime.fromisoformat(value.isoformat()) if hasattr(value, "year") else str(value)
    return str(value)


def _read_xls(data: bytes, *, sheet: str | None) -> RawTable:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd raises its own and struct errors on damaged files
        raise InputRejected(
            _file_issue(
                Reason.NOT_TABULAR,
                Text(
                    "the file is not a readable Excel 97-2003 workbook ({problem})",
                    problem=str(exc),
                ),
            )
        ) from exc
    if sheet is not None and sheet not in book.sheet_names():
        raise InputRejected(
            _file_issue(
                Reason.MISSING_COLUMN,
                Text(
                    "the workbook has no sheet {sheet!r}; it has {sheets}",
                    sheet=sheet,
                    sheets=", ".join(book.sheet_names()),
                ),
            )
        )
    worksheet = book.sheet_by_name(sheet) if sheet else book.sheet_by_index(0)
    rows: list[list[Cell]] = []
    lines: list[int] = []
    for index in range(worksheet.nrows):
        cells: list[Cell] = []
        for cell in worksheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                cells.append(None)
            elif cell.ctype == xlrd.XL_CELL_TEXT:
                cells.append(str(cell.value).strip())
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                cells.append(None)
            else:
                cells.append(cell.value)
        if any(cell not in (None, "") for cell in cells):
            rows.append(cells)
            lines.append(index + 1)
    return RawTable.from_rows(rows, lines, "xls", sheet=worksheet.name)


def _read_json_rows(data: bytes) -> RawTable:
    """Rows pushed as JSON: ``{"rows": [{"kpi": …, "period": …, "value": …}, …]}`` or a bare
    list. The keys make the header (line 0); row *n* of the list is line *n*."""
    import json

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        issue = _file_issue(
            Reason.NOT_TABULAR, Text("the file is not JSON: {problem}", problem=str(exc))
        )
        raise InputRejected(issue) from exc
    records = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(row, dict) for row in records):
        raise InputRejected(
            _file_issue(
                Reason.NOT_TABULAR,
                Text(
                    'JSON rows must be a list of objects, or an object whose "rows" is such a list'
                ),
            )
        )
    if not records:
        raise InputRejected(_file_issue(Reason.EMPTY_FILE, Text("the JSON has no rows")))
    header = list(dict.fromkeys(key for row in records for key in row))
    rows: list[list[Cell]] = [list(header)]
    for row in records:
        cells = [row.get(key) for key in header]
        if any(isinstance(cell, dict | list) for cell in cells):
            raise InputRejected(
                _file_issue(
                    Reason.NOT_TABULAR, Text("JSON row values must be text, numbers or null")
                )
            )
        rows.append(cells)
    return RawTable.from_rows(rows, list(range(len(rows))), "json")


def _file_issue(reason: Reason, message: Text) -> Issue:
    return Issue(line=None, column=None, value=None, reason=reason, message=message)
