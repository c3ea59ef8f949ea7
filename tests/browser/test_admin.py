"""An admin manages users and tokens and reads the audit log, in a real browser."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_browser

pytestmark = pytest.mark.browser


def test_an_admin_adds_a_user_issues_a_token_and_reads_the_audit_log(page, live_server):
    sign_in_browser(page, live_server, "office")
    page.goto(live_server.url + "/admin")
    page.fill("#admin-new-username", "frank")
    page.select_option("#admin-new-role", "executive")
    page.fill("#admin-new-password", "a-long-enough-pass")
    page.click("#admin-add-user")
    page.wait_for_selector("#admin-users-alert .alert-success")
    page.wait_for_selector(".ag-cell:has-text('frank')")

    page.get_by_role("tab", name="API tokens").click()
    page.select_option("#admin-token-user", "m001")
    page.click("#admin-create-token")
    token = page.wait_for_selector("#admin-new-token").inner_text()
    assert token.startswith("bsc_")
    page.wait_for_selector(f".ag-cell:has-text('{token[:10]}')")

    page.get_by_role("tab", name="Audit log").click()
    page.wait_for_selector(".ag-cell:has-text('API token')")
    audit_text = page.inner_text("#admin-tabs + .tab-content .tab-pane.active")
    assert "API token" in audit_text and token not in audit_text  # the secret never enters the log
