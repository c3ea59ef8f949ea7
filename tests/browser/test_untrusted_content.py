"""Names carrying HTML and script are shown as text on every screen: no dialog opens, no element
is injected, and the text reads literally (plotly axes and hovers, ag-grid cells and markdown,
cytoscape labels)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.models import Member, Role
from bsc.settings import Settings
from tests import factories, untrusted
from tests.browser.conftest import sign_in_browser
from tests.demo_data import load_demo_data

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sqlmodel import select

    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_demo_data(engine)
    untrusted.plant(engine)
    with session_scope(engine) as session:
        members = {m.code: m for m in session.exec(select(Member)).all()}
        factories.user(session, "exec", Role.EXECUTIVE)
        factories.user(session, "m001", Role.MEMBER, members["M001"])
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


#: Elements the hostile names would create if any of them were taken as HTML.
_INJECTED = (
    "Array.from(document.querySelectorAll('img[src=\"x\"], b, script'))"
    ".filter(e => e.tagName !== 'SCRIPT' || e.textContent.includes('alert')).length"
)


def _visit(page, url: str, ready: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_timeout(500)  # late callbacks (tooltips, grids) have drawn
    return str(page.inner_text("body"))


def test_hostile_names_are_text_for_an_executive(page, live_server):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in_browser(page, live_server, "exec")
    page.wait_for_selector(".js-plotly-plot .ytick text")
    ticks = page.eval_on_selector_all(
        ".js-plotly-plot .ytick text", "ts => ts.map(t => t.textContent)"
    )
    assert any("alert('member')" in tick for tick in ticks), ticks
    drag = page.locator(".js-plotly-plot .nsewdrag").first
    box = drag.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 10)  # the first member's first cell
    page.wait_for_selector(".js-plotly-plot .hoverlayer .hovertext")
    assert page.evaluate(_INJECTED) == 0  # the hover label drew the names as text
    scorecard = _visit(page, live_server.url + "/members/M001", ".ag-row")
    assert "<b>saving</b>" in scorecard
    strategy = _visit(page, live_server.url + "/members/M001/map", "#map-graph canvas")
    assert "alert('objective')" in strategy  # the objectives table under the map
    assert page.evaluate(_INJECTED) == 0
    assert dialogs == [], dialogs


def test_a_hostile_file_name_is_text_in_the_upload_history(page, live_server):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in_browser(page, live_server, "m001")
    history = _visit(page, live_server.url + "/upload", "#upload-history .ag-row")
    assert "onerror=alert('file')>../../etc/passwd.csv" in history
    assert "Formosa" in _visit(page, live_server.url + "/", ".js-plotly-plot")
    assert page.evaluate(_INJECTED) == 0
    assert dialogs == [], dialogs
