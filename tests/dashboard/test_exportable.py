"""Export buttons rebuild charts and tables on the server, for the signed-in user only."""

from __future__ import annotations

import base64
import io

import pytest
from openpyxl import load_workbook

from bsc.errors import Forbidden, NotFound
from bsc.i18n import use_language
from dashboard.components.exportable import (
    export_chart_file,
    export_filename,
    export_params,
    export_table_file,
)
from dashboard.registry import charts, tables
from tests.conftest import as_user


def test_a_member_exports_only_the_rows_it_may_see(app):
    with as_user(app, "m001"):
        download = export_table_file("xlsx", export_params("members"))
    sheet = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert codes == ["M001"] and download["filename"] == "members.xlsx"
    with as_user(app, "exec"):
        download = export_table_file("csv", export_params("members"))
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    assert "M001" in text and "M002" in text


def test_a_chart_exports_as_png(app):
    with as_user(app, "exec"):
        download = export_chart_file("png", export_params("members_by_wave"))
    assert base64.b64decode(download["content"]).startswith(b"\x89PNG")


def test_unknown_names_are_refused(app):
    with as_user(app, "exec"), pytest.raises(NotFound):
        export_table_file("csv", export_params("no_such_table"))


def test_every_registered_builder_declares_who_may_see_it():
    for entry in [*charts().values(), *tables().values()]:
        assert entry.access and entry.title


def test_anonymous_calls_are_forbidden(app):
    with app.server.test_request_context("/"), pytest.raises(Forbidden):
        export_table_file("csv", export_params("members"))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (export_params("scorecard", "M001", "2025-Q3"), "scorecard_M001_2025-Q3.xlsx"),
        (
            export_params("selection_tests", members=["M001", "M002"]),
            "selection_tests_M001-M002.xlsx",
        ),
        (
            export_params("audit_log", actor="王小明", since="2026-01-01"),
            "audit_log_王小明_2026-01-01.xlsx",
        ),
        (export_params("audit_log", actor='"/<>:|?*\\'), "audit_log.xlsx"),
        ({"name": "../.."}, "export.xlsx"),
    ],
)
def test_exported_files_are_named_after_what_they_show_and_nothing_else(data, name):
    assert export_filename(data, "xlsx") == name


def test_a_table_exports_in_the_readers_language_with_its_title_as_the_sheet(app):
    with as_user(app, "exec"), use_language("zh-TW"):
        download = export_table_file("xlsx", export_params("members"))
    sheet = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    assert sheet.title == "會員"
    assert [cell.value for cell in sheet[1]] == ["代號", "會員", "業別", "地區", "梯次"]
