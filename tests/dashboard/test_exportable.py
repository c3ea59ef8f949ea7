"""Export buttons rebuild charts and tables on the server, for the signed-in user only."""

from __future__ import annotations

import base64
import io

import pytest
from openpyxl import load_workbook

from bsc.errors import Forbidden, NotFound
from dashboard.components.exportable import export_chart_file, export_params, export_table_file
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
