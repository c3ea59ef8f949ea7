"""A member user asks for its briefing book in a real browser: the job runs beside the server
with a progress bar, the page links to the PDF, and the link is there again after a reload."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bsc.settings import Settings
from tests.browser.conftest import sign_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def app(two_member_demo: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from dashboard import create_app

    shutil.copy(two_member_demo, tmp_path / "demo.db")
    return create_app(
        Settings(
            home=tmp_path / "home",
            database_url=f"sqlite:///{tmp_path / 'demo.db'}",
            secret_key="test-secret-key",
        )
    )


def test_a_member_downloads_its_briefing_book_and_finds_it_again_after_a_reload(page, live_server):
    sign_in_browser(page, live_server, "m001")
    page.goto(live_server.url + "/members/M001")
    page.click("#briefing-start")
    expect(page.locator("#briefing-result-text")).to_contain_text("in the background")
    link = page.locator("#briefing-download")
    expect(link).to_be_visible(timeout=120_000)
    expect(page.locator("#job-progress")).to_contain_text("100%")
    link_href = link.get_attribute("href") or ""
    pdf = page.request.get(live_server.url + link_href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    page.reload()
    expect(page.locator("#briefing-download")).to_have_attribute("href", link_href)
    jobs = page.locator("#job-list")
    expect(jobs.locator(".ag-row").first).to_contain_text("done")
    expect(jobs.locator(".ag-row").first).to_contain_text("Briefing book: M001 · ")
