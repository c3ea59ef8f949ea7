from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kpi.feeds import (
    MAX_ISSUES_PER_REASON,
    Catalogue,
    CatalogueKpi,
    CatalogueMember,
    FeedOptions,
    read_feed,
    validate_feed,
)
from kpi.issues import Reason, Severity
from kpi.reading import RawTable, read_table
from kpi.vocabulary import Frequency

CATALOGUE = Catalogue(
    members=[
        CatalogueMember(1, "M001", "Formosa Securities", "福爾摩沙證券"),
        CatalogueMember(2, "M002", "Keelung Commercial Bank", "基隆商業銀行"),
    ],
    kpis=[
        CatalogueKpi(
            10, "RECON_SAMEDAY", "Same-day reconciliation rate", "當日對帳完成率", Frequency.MONTHLY
        ),
        CatalogueKpi(
            11,
            "NEW_REVENUE",
            "Revenue from new cloud services",
            "雲端新服務營收",
            Frequency.MONTHLY,
        ),
        CatalogueKpi(
            12, "CLOUD_CERT", "Cloud-certified staff", "雲端認證人數", Frequency.QUARTERLY
        ),
        CatalogueKpi(13, "OWN_KPI", "A member's own KPI", None, Frequency.MONTHLY, member_id=2),
    ],
)


def feed(text: str, *, member: int | None = None, **options):  # type: ignore[no-untyped-def]
    return read_feed(
        text.encode("utf-8"),
        "feed.csv",
        CATALOGUE,
        options=FeedOptions(**options),
        uploader_member_id=member,
    )


def stored(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    frame = result.measurements
    return [
        (int(m), int(k), g, str(pd.Timestamp(s).date()), v)
        for m, k, g, s, v in frame[
            ["member_id", "kpi_id", "granularity", "period_start", "value"]
        ].itertuples(index=False)
    ]


def reasons(result) -> list[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    return [(i.line, i.reason.value, i.severity.value) for i in result.issues]


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_regulator_style_wide_by_kpi_workbook_with_title_and_total_lines():
    data = workbook(
        [
            ["會員季度指標彙總表"],
            ["機構代號", "機構名稱", "資料季別", "雲端認證人數", "當日對帳完成率", "備用欄"],
            ["M001", "福爾摩沙證券", "113年第1季", 9, "-", "x"],
            ["M002", "基隆商業銀行", "113年第2季", 12, "-", "y"],
            ["合計", None, None, 21, None, None],
        ]
    )
    result = read_feed(data, "q.xlsx", CATALOGUE)
    assert not result.rejected, result.issues
    assert result.layout.value == "wide_by_kpi"
    assert stored(result) == [
        (1, 12, "quarter", "2024-01-01", 9.0),
        (2, 12, "quarter", "2024-04-01", 12.0),
    ]
    # RECON_SAMEDAY is monthly, but "-" is no value: nothing is checked or stored for it.
    assert result.empty == 2 and result.ignored == 1 and result.read == 5
    assert (2, "ignored_column", "warning") in reasons(result)
    assert (5, "ignored_row", "warning") in reasons(result)


def test_a_wide_row_of_an_unknown_member_is_reported_once():
    data = workbook(
        [["機構代號", "資料季別", "CLOUD_CERT", "雲端認證人數"], ["X99", "2025Q1", 1, 2]]
    )
    result = read_feed(data, "q.xlsx", CATALOGUE)
    assert reasons(result) == [(2, "unknown_member", "error")]


def test_wide_by_period_with_date_headers_and_a_title_line():
    from datetime import datetime

    data = workbook(
        [
            ["福爾摩沙證券 關鍵績效指標月報"],
            ["指標代碼", "指標名稱", datetime(2025, 1, 1), datetime(2025, 2, 1)],
            ["RECON_SAMEDAY", "當日對帳完成率", 91.5, None],
        ]
    )
    result = read_feed(data, "m.xlsx", CATALOGUE, uploader_member_id=1)
    assert stored(result) == [(1, 10, "month", "2025-01-01", 91.5)]
    assert result.empty == 1


def test_synonyms_in_simplified_chinese_and_english():
    simplified = feed("机构代号,指标代码,期间,数值\nM001,RECON_SAMEDAY,2025年1月,97\n")
    english = feed("KPI\tMonth\tActual\nRECON_SAMEDAY\tJan 2025\t97\n", member=1)
    assert stored(simplified) == stored(english) == [(1, 10, "month", "2025-01-01", 97.0)]


def test_members_and_kpis_match_by_name_and_chinese_name_with_footnote_marks():
    result = feed(
        "member,kpi,period,value\n"
        "福爾摩沙證券#,當日對帳完成率,2025-01,90\n"
        "Formosa Securities,Same-day reconciliation rate,2025-02,91\n"
        "\u3000M001\u3000,recon_sameday,2025-03,92\n"
    )
    assert [row[:2] for row in stored(result)] == [(1, 10)] * 3


def test_an_explicit_mapping_and_a_kpi_column_mapping():
    text = '公司代號,資料年月,本月營收,備考\nM001,11401,"1,200",x\n'
    by_value = feed(text, mapping={"value": "本月營收", "kpi": "備考"})
    assert reasons(by_value)[0][1] == "unknown_kpi"
    by_kpi = feed(text, mapping={"NEW_REVENUE": "本月營收"}, scale=1000)
    assert stored(by_kpi) == [(1, 11, "month", "2025-01-01", 1_200_000.0)]
    missing = feed(text, mapping={"value": "當月營收"})
    assert missing.rejected and missing.issues[0].reason is Reason.MISSING_COLUMN
    assert "當月營收" in missing.issues[0].message


def test_the_header_row_can_be_given():
    text = "kpi,period,value\nRECON_SAMEDAY,2025-01,90\n"
    result = feed("Report,of,2025\n" + text, member=1, header_row=2)
    assert stored(result) == [(1, 10, "month", "2025-01-01", 90.0)]
    past = feed(text, member=1, header_row=40)
    assert past.rejected and "line 40" in past.issues[0].message


def test_number_forms_and_no_value_markers_never_zero():
    result = feed(
        "kpi,period,value\n"
        'NEW_REVENUE,2025-01,"(1,234)"\n'
        "NEW_REVENUE,2025-02,１２３\n"
        "NEW_REVENUE,2025-03,NT$1200\n"
        "RECON_SAMEDAY,2025-01,12.5%\n"
        "RECON_SAMEDAY,2025-02,N/A\n"
        "RECON_SAMEDAY,2025-03,—\n"
        "RECON_SAMEDAY,2025-04,\n",
        member=1,
    )
    assert [row[-1] for row in stored(result)] == [-1234.0, 123.0, 1200.0, 12.5]
    assert result.empty == 3


def test_the_same_period_written_two_ways_is_a_duplicate():
    conflicting = feed(
        "kpi,period,value\nRECON_SAMEDAY,2025-01,90\nRECON_SAMEDAY,114/01,91\n", member=1
    )
    assert reasons(conflicting) == [(3, "duplicate_row", "error")]
    assert "line 2" in conflicting.issues[0].message
    same = feed("kpi,period,value\nRECON_SAMEDAY,2025-01,90\nRECON_SAMEDAY,Jan 2025,90\n", member=1)
    assert not same.rejected and len(stored(same)) == 1
    assert reasons(same) == [(3, "duplicate_row", "warning")] and same.ignored == 1


def test_unknown_members_and_total_lines_become_warnings_when_asked():
    text = (
        "member,kpi,period,value\n"
        "M001,RECON_SAMEDAY,2025-01,90\n"
        "合計,RECON_SAMEDAY,2025-01,90\n"
        "X99,RECON_SAMEDAY,2025-01,1\n"
    )
    strict = feed(text)
    assert [r[1] for r in reasons(strict)] == ["unknown_member", "unknown_member"]
    assert "total line" in strict.issues[0].message
    lenient = feed(text, ignore_unknown_members=True)
    assert not lenient.rejected and lenient.ignored == 2
    assert len(stored(lenient)) == 1


def test_rows_are_limited_to_the_uploaders_member_and_catalogue():
    text = "member,kpi,period,value\nM002,RECON_SAMEDAY,2025-01,1\nM001,OWN_KPI,2025-01,1\n"
    result = feed(text, member=1)
    assert reasons(result) == [(2, "member_not_allowed", "error"), (3, "unknown_kpi", "error")]
    assert result.measurements.empty


def test_periods_finer_than_the_kpi_and_missing_columns():
    fine = feed("kpi,period,value\nCLOUD_CERT,2025-02,3\nCLOUD_CERT,2025,4\n", member=1)
    assert reasons(fine) == [(2, "period_too_fine", "error")]
    assert "quarterly" in fine.issues[0].message
    no_member = feed("kpi,period,value\nCLOUD_CERT,2025-Q1,3\n")
    assert no_member.issues[0].reason is Reason.MISSING_COLUMN
    assert "--member" in no_member.issues[0].message


def test_every_problem_is_reported_but_the_list_is_capped():
    rows = "".join(f"RECON_SAMEDAY,2025-13,{i}\n" for i in range(MAX_ISSUES_PER_REASON + 5))
    result = feed("kpi,period,value\n" + rows, member=1)
    assert len(result.issues) == MAX_ISSUES_PER_REASON + 1
    assert "5 more lines" in result.issues[-1].message


def test_a_preview_shows_rows_as_understood_with_their_problems():
    result = feed('kpi,period,value\nRECON_SAMEDAY,114/01,"1,234"\nRECON,2025-13,x\n', member=1)
    first, second = result.preview
    assert first == {
        "line": 2,
        "member": "M001",
        "kpi": "RECON_SAMEDAY",
        "period": "2025-01",
        "value": 1234.0,
        "value_raw": "1,234",
        "problems": [],
    }
    assert set(second["problems"]) == {"kpi", "period", "value"}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_a_report_never_an_exception(data):
    result = read_feed(data, "random.csv", CATALOGUE, uploader_member_id=1)
    assert result.rejected or result.measurements is not None
    for issue in result.issues:
        assert issue.severity in (Severity.ERROR, Severity.WARNING)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet='A,1-/年月Q2025"\n ', max_size=12), min_size=1, max_size=5),
        max_size=8,
    )
)
def test_random_tables_give_a_report_never_an_exception(cells):
    text = "member,kpi,period,value\n" + "\n".join(",".join(row) for row in cells)
    result = feed(text)
    assert isinstance(result.issues, list)


def _big_feed() -> str:
    """A long feed of a few hundred rows, big enough for the reader to keep its repetitive
    columns as categoricals, with what such files carry: padded cells, blank lines, a short row,
    an unknown member, ROC YYMM periods, an empty value and a repeated row."""
    lines = ["指標代碼 , 期間 ,數值, 機構代號"]
    for number in range(300):
        # Four rows a month (two members, two KPIs), the second KPI by code or Chinese name.
        month = number // 4
        kpi = "RECON_SAMEDAY" if number // 2 % 2 else (" NEW_REVENUE ", "雲端新服務營收")[month % 2]
        period = f"{99 + month // 12}{month % 12 + 1:02d}"
        padding = " " * (number % 3)  # "9901", "9901 " and "9901  " are one period
        lines.append(f"{kpi},{period}{padding}, {number * 1.5},  M00{1 + number % 2}")
    lines[50] = "RECON_SAMEDAY,11001,1"  # short: no member
    lines[60] = "RECON_SAMEDAY,11002,2,M999"
    lines[70] = "RECON_SAMEDAY,11003,,M001"
    lines[80] = ""
    lines.append(lines[10])
    return "\n".join(lines) + "\n"


def _object_table(text: str) -> RawTable:
    """The same file read cell by cell with the csv module: plain objects, no categoricals.
    A short row's missing cells are empty text, as pandas' reader gives them."""
    rows, numbers = [], []
    for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in record]
        if any(cells):
            rows.append(cells + [""] * (4 - len(cells)))
            numbers.append(number)
    return RawTable.from_rows(rows, numbers, "csv", delimiter=",", encoding="utf-8")


def test_a_big_file_read_as_categoricals_validates_as_its_cells_do_one_by_one():
    text = _big_feed()
    table = read_table(text.encode(), "feed.csv")
    # The fast reader's categoricals are what this test is about.
    assert isinstance(table.frame[0].dtype, pd.CategoricalDtype)
    assert table.rows == _object_table(text).rows
    assert table.lines == _object_table(text).lines
    fast = validate_feed(table, CATALOGUE)
    plain = validate_feed(_object_table(text), CATALOGUE)
    assert fast.issues == plain.issues
    assert fast.preview == plain.preview
    assert (fast.read, fast.empty, fast.ignored) == (plain.read, plain.empty, plain.ignored)
    pd.testing.assert_frame_equal(fast.measurements, plain.measurements)
    reasons = {(issue.line, issue.reason) for issue in fast.issues}
    assert {
        (51, Reason.UNKNOWN_MEMBER),
        (61, Reason.UNKNOWN_MEMBER),
        (302, Reason.DUPLICATE_ROW),
    } <= reasons
    messages = {issue.line: issue.message for issue in fast.issues}
    assert messages[51] == "the member is empty"


def test_a_big_file_without_errors_stores_every_row_once():
    text = "\n".join(line for line in _big_feed().splitlines() if "M999" not in line)
    text = text.replace("RECON_SAMEDAY,11001,1\n", "RECON_SAMEDAY,11001,1,M001\n")
    result = feed(text + "\n")
    assert not result.rejected, result.issues[:3]
    # 300 rows less the blank line, the M999 line and the empty value; the repeat counted once
    assert (result.empty, result.ignored, len(result.measurements)) == (1, 1, 297)
    assert result.measurements["period_start"].min() == pd.Timestamp("2010-01-01")
    assert set(result.measurements["granularity"]) == {"month"}
    assert set(result.measurements["kpi_id"]) == {10, 11}
