"""The Upload page: its layout per role and its callbacks called as functions."""

from __future__ import annotations

import base64
import io
import json

import dash
import pytest
from openpyxl import load_workbook
from plotly.utils import PlotlyJSONEncoder
from sqlmodel import func, select

from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden, NotFound
from bsc.models import Measurement
from bsc.settings import Settings
from dashboard import ids
from dashboard.components.exportable import export_params, export_table_file
from tests import factories
from tests.conftest import SAMPLES, as_user

FORM = (None, None, None, None, False, [None, None, None, None])


@pytest.fixture
def populated(web_settings: Settings) -> Settings:
    engine = make_engine(web_settings.sqlalchemy_url)
    with session_scope(engine) as db:
        factories.standard_programme(db)
        factories.sample_catalogue(db)
    engine.dispose()
    return web_settings


def _contents(name: str, folder: str = "feeds") -> str:
    data = (SAMPLES / folder / name).read_bytes()
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def _page(module: str = "pages.upload"):  # type: ignore[no-untyped-def]
    return next(p for p in dash.page_registry.values() if p["path"] == "/upload")


def _stored(populated: Settings) -> int:
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine, write=False) as db:
        count = db.exec(select(func.count()).select_from(Measurement)).one()
    engine.dispose()
    return count


def test_the_page_is_for_uploaders_only(app, client_for):
    assert client_for("exec").get("/upload").status_code == 403
    assert client_for("m001").get("/upload").status_code == 200
    with as_user(app, "exec", "/upload"):
        assert '"forbidden"' in json.dumps(_page()["layout"](), cls=PlotlyJSONEncoder)
    with as_user(app, "m001", "/upload"):
        text = json.dumps(_page()["layout"](), cls=PlotlyJSONEncoder, ensure_ascii=False)
        assert ids.UPLOAD_FILE in text and '"disabled": true' in text


def test_check_then_apply_through_the_callbacks(app, populated):
    from dashboard.pages import upload

    with as_user(app, "m001", "/upload"):
        summary, preview, issues, report, disabled, options, columns, name, result = (
            upload.check_file(
                _contents("M001_big5_roc.csv"), "M001", None, "M001_big5_roc.csv", *FORM
            )
        )
        assert disabled is False and name == "M001_big5_roc.csv" and result is None
        assert preview[0] == {
            "line": 2,
            "member": "M001",
            "kpi": "RECON_SAMEDAY",
            "period": "2026-01",
            "value": 92.8,
            "value_raw": "92.8%",
            "problems": [],
        }
        assert issues[0]["Reason"] == "Ignored row" and issues[0]["Severity"] == "Warning"
        assert report["name"] == "upload_report" and report["params"]["check"]
        # The report exports as it is shown, for the user who made the check only.
        download = export_table_file("csv", report)
        text = base64.b64decode(download["content"]).decode("utf-8-sig")
        assert "Ignored row" in text and download["filename"].startswith("upload_report_")
        assert columns == [None, "指標代碼", "資料年月", "實際值"]
        assert _stored(populated) == 0
        result, disabled, history, ticket, current = upload.apply_file(
            1, _contents("M001_big5_roc.csv"), "M001_big5_roc.csv", "M001", None, *FORM
        )
        assert ticket is dash.no_update and current is dash.no_update  # small: applied at once
        assert "35" in json.dumps(result.to_plotly_json(), cls=PlotlyJSONEncoder)
        assert history[0]["Applied"] == 35 and history[0]["File"] == "M001_big5_roc.csv"
        assert _stored(populated) == 35
    with as_user(app, "m002", "/upload"), pytest.raises(NotFound):
        export_table_file("csv", report)  # another user's check is not at hand


def test_a_rejected_file_shows_the_offending_cells_and_cannot_be_applied(app, populated):
    from dashboard.pages import upload

    with as_user(app, "office", "/upload"):
        _, preview, issues, _report, disabled, *_ = upload.check_file(
            _contents("bad_period.csv", "bad"), None, None, "bad_period.csv", *FORM
        )
    assert disabled is True
    assert [row["problems"] for row in preview] == [["period"]] * 3
    assert [issue["Line"] for issue in issues] == [2, 3, 4]


def test_members_cannot_upload_or_read_for_another_member(app, populated):
    from dashboard.pages import upload

    with as_user(app, "m001", "/upload"), pytest.raises(Forbidden):
        upload.check_file(_contents("long_en.csv"), "M002", None, "x.csv", *FORM)
    with as_user(app, "m001", "/upload"), pytest.raises(Forbidden):
        upload.member_changed("M002")


def test_checking_again_uses_the_chosen_columns(app, populated):
    from dashboard.pages import upload

    feed = "機構,項目,月份,本月營收\nM001,INCIDENTS,2025-01,7\n".encode()
    contents = "data:text/csv;base64," + base64.b64encode(feed).decode()
    with as_user(app, "m001", "/upload"):
        first = upload.check_file(contents, "M001", None, "erp.csv", *FORM)
        assert first[4] is True and first[5][0] == [
            {"label": text, "value": text} for text in ("機構", "項目", "月份", "本月營收")
        ]
        chosen = (*FORM[:-1], ["機構", "項目", "月份", "本月營收"])
        again = upload.check_again(1, contents, "M001", None, "erp.csv", *chosen)
        assert again[4] is False and again[1][0]["value"] == 7.0


def test_a_mapping_template_is_saved_and_offered(app, populated):
    from dashboard.pages import upload

    with as_user(app, "m001", "/upload"):
        message, options = upload.save_template(1, "ERP", "M001", [None, "KPI", "Month", "Actual"])
        assert "ERP" in message and options == [{"label": "ERP", "value": "ERP"}]
        _history, params, templates = upload.member_changed("M001")
        assert templates == options and params["params"] == {"member": "M001"}


def test_original_files_download_for_who_may_see_them(app, client_for, populated):
    from dashboard.pages import upload

    with as_user(app, "m001", "/upload"):
        _, _, history, *_ = upload.apply_file(
            1, _contents("M004_synonyms.tsv"), "M004_synonyms.tsv", "M001", None, *FORM
        )
    link = f"/uploads/{history[0]['Upload']}/file"
    response = client_for("m001").get(link)
    assert response.status_code == 200
    assert response.data == (SAMPLES / "feeds" / "M004_synonyms.tsv").read_bytes()
    assert client_for("m002").get(link).status_code == 403
    assert client_for("exec").get(link).status_code == 200
    assert client_for("m001").get("/uploads/999/file").status_code == 404


def test_a_stored_uploads_report_exports_for_who_may_read_that_member(app, populated):
    from dashboard.pages import upload

    with as_user(app, "m001", "/upload"):
        _, _, history, *_ = upload.apply_file(
            1, _contents("M001_big5_roc.csv"), "M001_big5_roc.csv", "M001", None, *FORM
        )
        request = export_params("upload_report", upload=history[0]["Upload"])
        download = export_table_file("xlsx", request)
    sheet = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    assert sheet.title == "Validation report"
    assert [cell.value for cell in sheet[1]][:4] == ["Line", "Column", "Value", "Reason"]
    assert sheet["D2"].value == "Ignored row"
    assert download["filename"] == f"upload_report_{history[0]['Upload']}.xlsx"
    with as_user(app, "exec", "/upload"):  # the programme roles read every member's uploads
        assert export_table_file("csv", request)["filename"].endswith(".csv")
    with as_user(app, "m002", "/upload"), pytest.raises(Forbidden):
        export_table_file("csv", request)
    with as_user(app, "office", "/upload"), pytest.raises(NotFound):
        export_table_file("csv", export_params("upload_report", upload=999))
