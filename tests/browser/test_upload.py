"""The upload journey in a real browser: drop a file, read the preview and report, apply."""

from __future__ import annotations

import pytest

from bsc.db import make_engine, session_scope
from bsc.settings import Settings
from tests import factories
from tests.browser.conftest import sign_in_browser
from tests.conftest import SAMPLES

pytestmark = pytest.mark.browser


@pytest.fixture
def populated(web_settings: Settings) -> Settings:
    engine = make_engine(web_settings.sqlalchemy_url)
    with session_scope(engine) as db:
        factories.standard_programme(db)
        factories.sample_catalogue(db)
    engine.dispose()
    return web_settings


def test_a_member_checks_a_big5_file_then_applies_it(page, live_server):
    sign_in_browser(page, live_server, "m001")
    page.click("text=Upload")
    page.wait_for_selector("#upload-file")
    page.set_input_files(
        "#upload-file input[type=file]", str(SAMPLES / "feeds" / "M001_big5_roc.csv")
    )
    summary = page.wait_for_selector("#upload-summary-text")
    assert "35 to apply" in summary.inner_text()
    preview = page.locator("#upload-preview")
    preview.locator(".ag-row").first.wait_for()
    assert "2026-01" in preview.inner_text() and "RECON_SAMEDAY" in preview.inner_text()
    assert "footnote" in page.locator("#upload-issues").inner_text()
    page.click("#upload-apply")
    result = page.wait_for_selector("#upload-result-text")
    assert "35 values stored" in result.inner_text()
    history = page.locator("#upload-history")
    history.locator(".ag-row").first.wait_for()
    assert "M001_big5_roc.csv" in history.inner_text()


def test_a_bad_file_shows_its_problems_and_cannot_be_applied(page, live_server):
    sign_in_browser(page, live_server, "office")
    page.goto(live_server.url + "/upload")
    page.set_input_files("#upload-file input[type=file]", str(SAMPLES / "bad" / "bad_period.csv"))
    summary = page.wait_for_selector("#upload-summary-text")
    assert "Rejected" in summary.inner_text()
    issues = page.locator("#upload-issues")
    issues.locator(".ag-row").first.wait_for()
    assert "month 13 does not exist" in issues.inner_text()
    assert page.locator(".bsc-cell-error").count() >= 1
    assert page.is_disabled("#upload-apply")
