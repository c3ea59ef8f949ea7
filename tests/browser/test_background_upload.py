"""A large upload in a real browser: applied by a background job with a progress bar, and still
there after the page is reloaded. Here jobs run beside the server (no Redis), as in the demo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
    # Every file counts as large, so that Apply always goes to a background job.
    return web_settings.model_copy(update={"background_ingest_bytes": 0})


def test_a_background_upload_reports_its_outcome_and_survives_a_reload(page, live_server):
    sign_in_browser(page, live_server, "m001")
    page.goto(live_server.url + "/upload")
    page.set_input_files(
        "#upload-file input[type=file]", str(SAMPLES / "feeds" / "M001_big5_roc.csv")
    )
    assert "35 to apply" in page.wait_for_selector("#upload-summary-text").inner_text()
    page.click("#upload-apply")
    expect(page.locator("#upload-result-text")).to_contain_text("35 values stored")
    jobs = page.locator("#job-list")
    expect(jobs.locator(".ag-row").first).to_contain_text("done")
    assert "M001_big5_roc.csv" in jobs.inner_text()
    expect(page.locator("#job-progress")).to_contain_text("100%")

    page.reload()
    jobs = page.locator("#job-list")
    jobs.locator(".ag-row").first.wait_for()
    assert "Apply a KPI file: M001_big5_roc.csv" in jobs.inner_text()
    jobs.locator(".ag-row").first.click()
    result = page.wait_for_selector("#upload-result-text")
    assert "35 values stored" in result.inner_text()
