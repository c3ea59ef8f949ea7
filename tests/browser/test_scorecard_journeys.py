"""Journeys through the scorecards on the demo data, in Chromium: an executive reads the overview
and drills into a member; a member user reads its own scorecard and nobody else's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.models import Member, Role
from bsc.settings import Settings
from tests import factories
from tests.browser.conftest import sign_in_browser
from tests.demo_data import load_demo_data

pytestmark = pytest.mark.browser

DEMO_MEMBERS = [f"M{number:03d}" for number in range(1, 15)]


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data and one user per role, loaded once; each test gets a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_demo_data(engine)
    with session_scope(engine) as session:
        from sqlmodel import select

        members = {m.code: m for m in session.exec(select(Member)).all()}
        factories.user(session, "exec", Role.EXECUTIVE)
        factories.user(session, "m001", Role.MEMBER, members["M001"])
        factories.user(session, "m002", Role.MEMBER, members["M002"])
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
    """The card whose header reads ``title``."""
    return page.locator(".card").filter(
        has=page.locator(".card-header span.fw-semibold", has_text=title)
    )


def heat_map_rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.wait_for_selector(".js-plotly-plot .ytick text")
    return page.eval_on_selector_all(
        ".js-plotly-plot .ytick text", "ts => ts.map(t => t.textContent)"
    )


def test_an_executive_reads_the_overview_and_drills_into_a_member(page, live_server):
    sign_in_browser(page, live_server, "exec")
    rows = heat_map_rows(page)
    assert sorted(row.split()[0] for row in rows) == DEMO_MEMBERS
    page.get_by_text("Biggest movers since the previous period").wait_for()
    freshness = card(page, "Data freshness")
    freshness.get_by_text("Overdue").wait_for()  # M010 has sent nothing for two months
    # Into Cloudway Securities from the freshness table.
    freshness.locator("a.bsc-member-link", has_text="M003").click()
    page.wait_for_url("**/members/M003")
    page.get_by_role("heading", name="M003 · Cloudway Securities").wait_for()
    grid = page.locator(".ag-root").first
    grid.get_by_text("OPEX_SAVING").wait_for()
    assert "2026-10" in grid.inner_text()
    # Quarters: the period dropdown follows, the table redraws for 2026-Q4.
    page.get_by_text("Quarter", exact=True).click()
    page.locator(".bsc-period-value").get_by_text("2026-Q4").wait_for()
    grid.get_by_text("2026-Q4").first.wait_for()
    # A KPI row opens its drill-down.
    grid.get_by_text("RECON_SAMEDAY").click()
    page.locator("#kpi-summary-text").get_by_text("RECON_SAMEDAY").wait_for()
    assert "Forecast for 2026-Q4" in page.inner_text("#kpi-summary-text")


def test_a_member_sees_its_scorecard_and_only_anonymous_peers(page, live_server):
    sign_in_browser(page, live_server, "m001")
    rows = heat_map_rows(page)
    assert sorted(rows) == ["M001 Formosa Securities", "Peers (median, anonymised)"]
    body = page.inner_text("body")
    assert "M002" not in body and "Keelung" not in body
    page.get_by_role("link", name="Scorecard", exact=True).click()
    page.wait_for_url("**/members/M001")
    page.get_by_text("Peer benchmark (anonymised)").wait_for()
    page.locator(".ag-root").first.get_by_text("OPEX_SAVING").wait_for()
    assert "Keelung" not in page.inner_text("body")
    response = page.goto(live_server.url + "/members/M002")
    assert response.status == 403
    page.wait_for_selector("#forbidden")
    # The browser logs the 403 status of the page itself; nothing else may fail.
    assert [e for e in live_server.console_errors if "403" not in e] == []
    live_server.console_errors.clear()
