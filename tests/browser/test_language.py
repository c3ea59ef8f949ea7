"""The program office works in Traditional Chinese: switches the language once, finds it again
after signing out and in, and downloads a chart and a table in Chinese, in a real browser."""

from __future__ import annotations

import io
import re
import shutil
import struct
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.models import Role
from bsc.settings import Settings
from tests import factories
from tests.browser.conftest import sign_in_browser
from tests.demo_data import load_demo_data

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("language") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_demo_data(engine)
    with session_scope(engine) as session:
        factories.user(session, "office", Role.PROGRAM_OFFICE, is_admin=True)
    engine.dispose()
    return path


@pytest.fixture
def app(demo_database: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from dashboard import create_app

    copy = tmp_path / "demo.db"
    shutil.copy(demo_database, copy)
    return create_app(
        Settings(home=tmp_path / "home", database_url=f"sqlite:///{copy}", secret_key="test")
    )


def card(page, title: str):  # type: ignore[no-untyped-def]
    """The card whose header reads exactly ``title``."""
    header = page.locator(".card-header span.fw-semibold", has_text=re.compile(f"^{title}$"))
    return page.locator(".card").filter(has=header)


def test_the_program_office_switches_to_chinese_and_downloads_a_chart_and_a_table(
    page, live_server
):
    sign_in_browser(page, live_server, "office")
    expect(page.locator("#navbar")).to_contain_text("Overview")
    page.click("#language-zh-TW")
    expect(page.locator("#navbar")).to_contain_text("總覽")
    # The choice is the user's: it outlives the session.
    page.click("#logout-button")
    page.wait_for_selector("#login-form")
    sign_in_browser(page, live_server, "office")
    navbar = page.locator("#navbar")
    expect(navbar).to_contain_text("總覽")
    expect(navbar).to_contain_text("計畫總覽地圖")
    assert "Overview" not in navbar.inner_text() and "Sign out" not in navbar.inner_text()
    expect(page.locator("html")).to_have_attribute("lang", "zh-TW")
    expect(page).to_have_title(re.compile("^總覽"))

    heat_map = card(page, "各會員各構面分數")
    heat_map.locator(".main-svg").first.wait_for()
    # plotly's own toolbar speaks Chinese too.
    assert heat_map.locator('.modebar-btn[data-title="下載圖表為 PNG"]').count() == 1
    heat_map.get_by_role("button", name="匯出").click()
    with page.expect_download() as download:
        heat_map.get_by_role("button", name="PNG", exact=True).click()
    image = Path(download.value.path()).read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", image[16:24]) == (1200, 700)
    assert len(image) > 20_000  # drawn, not blank
    assert re.fullmatch(r"overview_heatmap_\d{4}-\d{2}\.png", download.value.suggested_filename)

    members = card(page, "會員")
    members.locator(".ag-row").first.wait_for()
    assert "福爾摩沙證券" in members.locator(".ag-root").inner_text()
    members.get_by_role("button", name="匯出").click()
    with page.expect_download() as download:
        members.get_by_role("button", name="XLSX", exact=True).click()
    assert download.value.suggested_filename == "members.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.title == "會員"
    assert [cell.value for cell in sheet[1]] == ["代號", "會員", "業別", "地區", "梯次"]
    assert [cell.value for cell in sheet[2]][:3] == ["M001", "福爾摩沙證券", "證券商"]

    # ag-grid's own texts: an empty grid says so in Chinese.
    page.goto(live_server.url + "/upload")
    report = card(page, "檢核報告")
    expect(report.locator(".ag-overlay")).to_contain_text("沒有資料")
