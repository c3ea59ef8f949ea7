"""The first journey: sign in and see the overview, in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_browser

pytestmark = pytest.mark.browser


def test_an_executive_signs_in_and_sees_the_members(page, live_server):
    page.goto(live_server.url + "/")
    assert "/login" in page.url
    sign_in_browser(page, live_server, "exec")
    table = page.wait_for_selector("#overview-members")
    text = table.inner_text()
    assert "M001" in text and "M002" in text and "Formosa Securities" in text


def test_a_member_sees_only_itself_and_gets_403_for_admin(page, live_server):
    sign_in_browser(page, live_server, "m001")
    text = page.wait_for_selector("#overview-members").inner_text()
    assert "M001" in text and "M002" not in text
    response = page.goto(live_server.url + "/admin")
    assert response.status == 403
    page.wait_for_selector("#forbidden")
    # The browser logs the 403 status of the page itself; nothing else may fail.
    assert [e for e in live_server.console_errors if "403" not in e] == []
    live_server.console_errors.clear()
