"""The first journey: sign in and see the overview, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in_browser

pytestmark = pytest.mark.browser


def card(page, title: str):  # type: ignore[no-untyped-def]
    """The card whose header reads ``title``."""
    return page.locator(".card").filter(
        has=page.locator(".card-header span.fw-semibold", has_text=title)
    )


def test_an_executive_signs_in_and_sees_the_members(page, live_server):
    page.goto(live_server.url + "/")
    assert "/login" in page.url
    sign_in_browser(page, live_server, "exec")
    members = card(page, "Members")
    members.locator(".ag-row").first.wait_for()
    text = members.locator(".ag-root").inner_text()
    assert "M001" in text and "M002" in text and "Formosa Securities" in text


def test_a_member_sees_only_itself_and_gets_403_for_admin(page, live_server):
    sign_in_browser(page, live_server, "m001")
    members = card(page, "Members")
    members.locator(".ag-row").first.wait_for()
    text = members.locator(".ag-root").inner_text()
    assert "M001" in text and "M002" not in text
    response = page.goto(live_server.url + "/admin")
    assert response.status == 403
    page.wait_for_selector("#forbidden")
    # The browser logs the 403 status of the page itself; nothing else may fail.
    assert [e for e in live_server.console_errors if "403" not in e] == []
    live_server.console_errors.clear()


def test_a_table_and_a_chart_download_from_their_cards(page, live_server):
    sign_in_browser(page, live_server, "exec")
    members = card(page, "Members")
    members.locator(".ag-row").first.wait_for()
    members.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        members.get_by_role("button", name="CSV", exact=True).click()
    assert download.value.suggested_filename == "members.csv"
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "M001" in content and "Formosa Securities" in content
    heat_map = card(page, "Scores by member and perspective")
    heat_map.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        heat_map.get_by_role("button", name="PNG", exact=True).click()
    assert re.fullmatch(r"overview_heatmap_\d{4}-\d{2}\.png", download.value.suggested_filename)
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
