"""Figures to images and tables to spreadsheet files."""

from __future__ import annotations

import csv
import io
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from bsc.errors import BscError
from bsc.exports import images
from bsc.exports.tables import neutralise, to_csv_bytes, to_xlsx_bytes

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text
    frame = pd.DataFrame({"name": [text], "value": [-5]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text, "-5"]
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    # XML turns a bare CR into LF when the workbook is read back; the cell stays plain text.
    assert sheet["A2"].value == text.replace("\r", "\n") and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"


def test_csv_has_a_bom_for_excel_and_keeps_chinese():
    data = to_csv_bytes(pd.DataFrame({"會員": ["福爾摩沙證券"], "分數": [91.5]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "會員,分數\r\n福爾摩沙證券,91.5\r\n"


def test_xlsx_keeps_numbers_and_empty_cells():
    frame = pd.DataFrame({"kpi": ["A", "B"], "value": [1.25, None]})
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet="Scores"))).active
    assert sheet.title == "Scores"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["kpi", "value"],
        ["A", 1.25],
        ["B", None],
    ]


def _chinese_figure() -> go.Figure:
    figure = go.Figure(go.Bar(x=["財務", "顧客", "內部流程", "學習成長"], y=[80, 65, 72, 90]))
    figure.update_layout(title_text="構面分數 Perspective scores")
    return figure


def test_png_export_renders_chinese_labels_at_the_requested_size():
    data = images.render(_chinese_figure(), "png", width=640, height=360, scale=1)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (640, 360)


def test_svg_export_parses_and_holds_the_chinese_text():
    data = images.render(_chinese_figure(), "svg", width=640, height=360)
    root = ET.fromstring(data)
    assert root.tag.endswith("svg") and root.get("width") == "640"
    assert "學習成長" in data.decode("utf-8")


def test_pdf_export_is_a_pdf():
    data = images.render(_chinese_figure(), "pdf")
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def test_unknown_formats_are_refused():
    with pytest.raises(BscError):
        images.render(_chinese_figure(), "gif")  # type: ignore[arg-type]


def test_a_process_forked_after_the_browser_started_draws_with_a_browser_of_its_own():
    import multiprocess

    images.render(_chinese_figure(), "svg", width=320, height=200)  # this process's browser

    def draw(queue) -> None:  # type: ignore[no-untyped-def]
        queue.put(images.render_batch([_chinese_figure()], "svg", width=320, height=200)[0][:5])

    queue = multiprocess.Queue()
    child = multiprocess.Process(target=draw, args=(queue,))
    child.start()
    child.join(60)
    if child.is_alive():  # without a browser of its own it would wait forever
        child.kill()
        pytest.fail("the forked process never drew its chart")
    assert queue.get(timeout=5) == b"<svg "
