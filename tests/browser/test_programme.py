"""The programme office's screens in a real browser, on the demo programme: charts drawn,
imports that reject bad rows with line and reason, and the edits people make."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bsc.db import make_engine, session_scope
from tests import programme
from tests.browser.conftest import sign_in_browser

pytestmark = pytest.mark.browser

BAD_RATINGS = b"factor,quarter,impact,likelihood,rater\nTEC-SEC,2026-Q4,-5,5,office\n"


@pytest.fixture
def app(populated):  # type: ignore[no-untyped-def]
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine) as session:
        programme.load(session)
    engine.dispose()
    from dashboard import create_app

    return create_app(populated)


def charts_drawn(page, count: int) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``count`` plotly charts have drawn (the page's CSP forbids evaluated JS)."""
    page.locator(".js-plotly-plot .main-svg").nth(count - 1).wait_for()


def choose(page, dropdown: str, option: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"#{dropdown}")
    page.get_by_role("option", name=option, exact=True).click()


def test_pest_charts_an_import_that_rejects_a_bad_row_and_a_rating(page, live_server):
    sign_in_browser(page, live_server, "office")
    page.goto(live_server.url + "/pest")
    charts_drawn(page, 4)
    for title in (
        "PEST exposure by factor and quarter",
        "Impact and likelihood",
        "Threats and opportunities by category",
        "Exposure trend per factor",
        "Objectives exposed to threats",
    ):
        assert page.get_by_text(title, exact=True).is_visible()
    assert page.locator(".heatmaplayer").count() >= 1
    page.locator("input[type=file]").nth(1).set_input_files(
        {"name": "ratings.csv", "mimeType": "text/csv", "buffer": BAD_RATINGS}
    )
    page.get_by_text("ratings.csv was rejected; nothing was stored.").wait_for()
    report = page.inner_text(".bsc-issues")
    assert "impact" in report and "Bad number" in report and "2" in report
    choose(page, "pest-rate-factor", "TEC-SEC · Cyber-attack threat level")
    page.select_option("#pest-rate-impact", "-2")
    page.select_option("#pest-rate-likelihood", "5")
    page.fill("#pest-rate-note", "Ransomware wave")
    page.click("#pest-rate-save")
    page.get_by_text("Rating saved.").wait_for()


def test_a_member_reads_pest_without_the_editor(page, live_server):
    sign_in_browser(page, live_server, "m001")
    page.goto(live_server.url + "/pest")
    charts_drawn(page, 4)
    assert page.locator("#pest-editor").count() == 0
    assert page.locator("input[type=file]").count() == 0


def test_rollout_charts_wave_filter_and_a_rejected_plan(page, live_server):
    sign_in_browser(page, live_server, "office")
    page.goto(live_server.url + "/rollout")
    charts_drawn(page, 4)
    page.get_by_text("Wave 3 may not start yet.").wait_for()
    choose(page, "rollout-gate-wave", "Wave 2")
    page.get_by_text("Wave 2 may not start yet.").wait_for()
    for title in (
        "Gate for the next wave",
        "S-curve: planned and actual progress",
        "Members per stage and wave",
        "Plan and progress per member",
        "Slipped stages",
    ):
        assert page.get_by_text(title, exact=True).is_visible()
    choose(page, "rollout-wave", "Wave 3")
    plan = page.locator(".card", has_text="Rollout plan").locator(".ag-root")
    expect(plan).not_to_contain_text("M001")
    expect(plan).to_contain_text("M007")
    page.locator("input[type=file]").nth(1).set_input_files(
        {
            "name": "plan.csv",
            "mimeType": "text/csv",
            "buffer": b"member,wave,stage,percent_complete\nM001,pilot,design,140\n",
        }
    )
    page.get_by_text("plan.csv was rejected; nothing was stored.").wait_for()
    assert "percent_complete" in page.inner_text(".bsc-issues")


def test_a_member_sees_only_its_own_rollout(page, live_server):
    sign_in_browser(page, live_server, "m001")
    page.goto(live_server.url + "/rollout")
    charts_drawn(page, 3)
    plan = page.locator(".card", has_text="Rollout plan").locator(".ag-root")
    plan.get_by_text("Go-live").wait_for()
    text = plan.inner_text()
    assert "M001" in text and "M002" not in text
    assert page.get_by_text("Waves and their gates").count() == 0


def test_selection_compares_a_chosen_set(page, live_server):
    sign_in_browser(page, live_server, "exec")
    page.goto(live_server.url + "/selection")
    charts_drawn(page, 1)
    page.get_by_text("3 members chosen.").wait_for()
    tests = page.locator(".card", has_text="Chi-square tests of representativeness")
    assert "Revenue band" in tests.inner_text()
    choose(page, "selection-set", "Wave 2")
    page.get_by_text("5 members chosen.").wait_for()


def test_survey_notes_are_saved_from_the_grid(page, live_server):
    sign_in_browser(page, live_server, "office")
    page.goto(live_server.url + "/survey")
    charts_drawn(page, 3)
    remediation = page.locator(".card", has_text="Remediation list: the least willing")
    remediation.get_by_text("M008").wait_for()
    cell = remediation.locator(".ag-row[row-index='0'] [col-id='Remediation note']")
    cell.dblclick()
    page.keyboard.type("Invite to the pilot review")
    page.keyboard.press("Tab")
    page.click("#survey-notes-save")
    page.get_by_text("Notes saved: 1 changed.").wait_for()
    remediation.get_by_text("Invite to the pilot review").wait_for()


def test_vendor_decision_needs_a_reason_when_not_the_top_scorer(page, live_server):
    sign_in_browser(page, live_server, "office")
    page.goto(live_server.url + "/vendors")
    charts_drawn(page, 4)
    assert page.get_by_text("Chosen: V1").is_visible()
    choose(page, "vendor-decision-vendor", "V4 · Jade Digital")
    page.click("#vendor-decision-save")
    page.get_by_text("V4 is not the top scorer").wait_for()
    page.fill("#vendor-decision-reason", "Runs our core system")
    page.click("#vendor-decision-save")
    page.get_by_text("Decision recorded.").wait_for()
    page.get_by_text("Chosen: V4").wait_for()
    assert page.get_by_text("the reason says why").is_visible()
