"""Hostile names in what leaves the app: table exports (CSV, XLSX) neutralise formulas, chart
exports (SVG) escape markup, and an upload's original file downloads under a harmless name."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bsc.db import make_engine, session_scope
from bsc.models import Member, Role, Upload, User
from bsc.settings import Settings
from dashboard.components.exportable import export_params
from tests import factories, untrusted
from tests.conftest import as_user, sign_in
from tests.demo_data import load_demo_data


@pytest.fixture(scope="module")
def hostile_database(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:

    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_demo_data(engine)
    untrusted.plant(engine)
    with session_scope(engine) as session:
        m001 = session.exec(select(Member).where(Member.code == "M001")).one()
        factories.user(session, "exec", Role.EXECUTIVE)
        factories.user(session, "m001", Role.MEMBER, m001)
    engine.dispose()
    return path


@pytest.fixture
def app(hostile_database: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from dashboard import create_app

    copy = tmp_path / "hostile.db"
    shutil.copy(hostile_database, copy)
    return create_app(
        Settings(home=tmp_path / "home", database_url=f"sqlite:///{copy}", secret_key="test")
    )


def _download(app, username: str, kind: str, fmt: str, data: dict) -> bytes:  # type: ignore[no-untyped-def]
    import base64

    from dashboard.components.exportable import export_chart_file, export_table_file

    with as_user(app, username):
        sent = (export_chart_file if kind == "chart" else export_table_file)(fmt, data)
    return base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()


def test_table_exports_neutralise_formulas_and_keep_markup_as_text(app):
    params = export_params("scorecard", member_code="M001", period="2026-09")
    text = _download(app, "exec", "table", "csv", params).decode("utf-8-sig")
    names = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + untrusted.KPI_NAME in names
    workbook = load_workbook(io.BytesIO(_download(app, "exec", "table", "xlsx", params)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    named = [cell for cell in cells if cell.value == untrusted.KPI_NAME]
    assert named and all(cell.data_type == "s" for cell in named)  # text cells, not formulas
    members = _download(app, "exec", "table", "csv", export_params("members"))
    assert untrusted.MEMBER_NAME in members.decode("utf-8-sig")  # text, shown as is


def test_chart_exports_escape_markup(app):
    svg = _download(
        app, "exec", "chart", "svg", export_params("overview_heatmap", period="2026-09")
    ).decode()
    assert "<script>" not in svg and "<img" not in svg
    assert "&#60;script&#62;alert('member')&#60;/script&#62;Formosa" in svg  # escaped text


def test_the_original_file_downloads_under_a_harmless_name(app):
    client = app.server.test_client()
    sign_in(client, "m001")

    with as_user(app, "m001"):
        from dashboard.state import read_session

        with read_session() as session:
            upload = session.exec(
                select(Upload).where(Upload.filename == untrusted.FILE_NAME)
            ).one()
    response = client.get(f"/uploads/{upload.id}/file")
    disposition = response.headers["Content-Disposition"]
    assert response.status_code == 200 and response.mimetype == "application/octet-stream"
    assert "/" not in disposition and "<" not in disposition and ".." not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_briefing_book_shows_hostile_names_as_text_and_names_no_peer(hostile_database):
    from pypdf import PdfReader

    from bsc.i18n import use_language
    from bsc.services.users import principal_for
    from dashboard.briefing import compose_book
    from dashboard.briefing.layout import book_html, lay_out
    from tests.security.rights import PERIOD

    engine = make_engine(f"sqlite:///{hostile_database}")
    with session_scope(engine, write=False) as session, use_language("en"):
        user = session.exec(select(User).where(User.username == "exec")).one()
        book = compose_book(
            session,
            actor=principal_for(session, user),
            member_code="M001",
            period=PERIOD,
            progress=lambda *_: None,
        )
    engine.dispose()
    html = book_html(book)
    for markup in ("<script>", "<img src=x", "<b>saving"):
        assert markup not in html
    assert "&lt;script&gt;alert(&#39;member&#39;)&lt;/script&gt;Formosa" in html  # escaped text
    assert "onerror=alert(&#39;objective&#39;)" in html and "HYPERLINK" in html
    assert "Keelung" not in html  # the peer's (hostile) name: a member's book names no peer
    pdf = PdfReader(io.BytesIO(lay_out(book).content))
    text = "".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    assert untrusted.MEMBER_NAME in flat  # shown as the text it is
    assert "Lower cost" in flat and "Keelung" not in flat
