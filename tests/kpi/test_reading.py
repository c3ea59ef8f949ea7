from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from kpi.issues import InputRejected, Reason
from kpi.reading import Limits, decode_text, read_table
from tests.conftest import SAMPLES


def _rows(data: bytes, name: str = "feed.csv"):
    return read_table(data, name)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("cp950", "big5"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
def test_encodings_are_detected(encoding, expected):
    text = "指標代碼,期間,數值\r\nRECON,114/01,97.5\r\n"
    if encoding == "gb18030":
        text = "指标代码,期间,数值\r\nRECON,2025年1月,97.5\r\n"
    table = _rows(text.encode(encoding))
    assert table.encoding == expected
    assert table.rows[1] == ["RECON", text.split("\r\n")[1].split(",")[1], "97.5"]


def test_the_big5_sample_reads_with_its_footnote():
    table = read_table((SAMPLES / "feeds" / "M001_big5_roc.csv").read_bytes(), "M001_big5_roc.csv")
    assert table.encoding == "big5"
    assert table.rows[0] == ["指標代碼", "資料年月", "實際值", "備註"]
    assert table.rows[-1][0].startswith("註：")


def test_an_explicit_encoding_overrides_detection():
    assert decode_text("期間".encode("cp950"), "big5") == ("期間", "big5")
    with pytest.raises(InputRejected) as caught:
        decode_text("期間".encode("cp950"), "utf-8")
    assert caught.value.issue.reason is Reason.ENCODING


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed_even_below_a_title_line(delimiter):
    body = "Monthly KPI report\n" + delimiter.join(["kpi", "period", "value"]) + "\n"
    body += "".join(delimiter.join(["A", f"2025-0{m}", f"{m}.5"]) + "\n" for m in range(1, 6))
    table = _rows(body.encode())
    assert table.delimiter == delimiter
    assert table.rows[1] == ["kpi", "period", "value"]


def test_quoted_fields_with_newlines_keep_spreadsheet_line_numbers():
    data = b'kpi,value,note\r\nA,1,"two\r\nlines"\r\nB,2,\r\n'
    table = _rows(data)
    assert table.rows[1] == ["A", "1", "two\r\nlines"]
    assert table.lines == [1, 2, 3]


def test_blank_lines_are_skipped_but_line_numbers_stay_true():
    table = _rows(b"kpi,value\n\nA,1\n,\nB,2\n")
    assert table.lines == [1, 3, 5]


def test_xlsx_gives_cached_formula_values_and_typed_cells():
    table = read_table(
        (SAMPLES / "feeds" / "M003_quarterly.xlsx").read_bytes(), "M003_quarterly.xlsx"
    )
    assert table.kind == "xlsx"
    assert table.rows[0][0] == "指標代碼"


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.csv", Reason.EMPTY_FILE),
        (b"   \n\n", "blank.csv", Reason.EMPTY_FILE),
        ((SAMPLES / "bad" / "not_a_table.csv").read_bytes(), "x.csv", Reason.NOT_TABULAR),
        (b"%PDF-1.7 not a table", "x.csv", Reason.NOT_TABULAR),
        (b"plain text", "book.xlsx", Reason.NOT_TABULAR),
        (b"PK\x03\x04garbage", "book.xlsx", Reason.NOT_TABULAR),
    ],
)
def test_unreadable_inputs_are_rejected_with_a_reason(data, name, reason):
    with pytest.raises(InputRejected) as caught:
        read_table(data, name)
    assert caught.value.issue.reason is reason


def test_files_over_the_byte_limit_are_rejected():
    with pytest.raises(InputRejected) as caught:
        read_table(b"a,b\n1,2\n" * 100, "big.csv", limits=Limits(max_bytes=50))
    assert caught.value.issue.reason is Reason.TOO_LARGE


def test_files_over_the_row_limit_are_rejected():
    with pytest.raises(InputRejected) as caught:
        read_table(b"a,b\n" + b"1,2\n" * 20, "long.csv", limits=Limits(max_rows=10))
    assert caught.value.issue.reason is Reason.TOO_LARGE


def test_a_zip_bomb_workbook_is_rejected_before_it_is_expanded():
    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["kpi", "value"])
    book.save(buffer)
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/padding.bin", b"\0" * 5_000_000)
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(InputRejected) as caught:
        read_table(bomb.getvalue(), "bomb.xlsx", limits=Limits(max_uncompressed_bytes=1_000_000))
    assert caught.value.issue.reason is Reason.TOO_LARGE
