"""The strategy map in a real browser: a member reads its coloured map and the evidence, and
edits it — adds an objective, links it by clicking, publishes — with no console error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in_browser

pytestmark = pytest.mark.browser

#: The cytoscape instance behind a canvas (cytoscape.js keeps it on its container element).
_CY = """(id) => {
  for (const el of document.querySelectorAll(`#${id}, #${id} *`)) {
    if (el._cyreg && el._cyreg.cy) return el;
  }
  return null;
}"""


def cy(page, graph: str, expression: str):  # type: ignore[no-untyped-def]
    """Evaluate ``expression`` (using ``cy``) on the cytoscape instance of ``graph``."""
    return page.evaluate(
        f"(id) => {{ const el = ({_CY})(id); const cy = el._cyreg.cy; return {expression}; }}",
        graph,
    )


def wait_for_node(page, graph: str, key: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        f"(id) => {{ const el = ({_CY})(id); "
        f"return el && el._cyreg.cy.getElementById({key!r}).length > 0; }}",
        arg=graph,
    )


def click_node(page, graph: str, key: str) -> None:  # type: ignore[no-untyped-def]
    position = cy(
        page,
        graph,
        f"(() => {{ const p = cy.getElementById({key!r}).renderedPosition(); "
        "const r = el.getBoundingClientRect(); return {x: p.x + r.left, y: p.y + r.top}; })()",
    )
    page.mouse.click(position["x"], position["y"])


def test_a_member_reads_its_coloured_map_the_panel_and_the_evidence(page, live_server):
    sign_in_browser(page, live_server, "m001")
    page.get_by_role("link", name="Strategy map").click()
    page.wait_for_url("**/members/M001/map")
    wait_for_node(page, "map-graph", "F1")
    classes = cy(page, "map-graph", "cy.nodes('.objective').map(n => n.classes().join(' '))")
    assert len(classes) == 9 and all("status-" in c for c in classes)
    assert any("status-amber" in c for c in classes) and any("status-green" in c for c in classes)
    assert cy(page, "map-graph", "cy.nodes('.badge').length") == 9
    assert cy(page, "map-graph", "cy.edges('.supported').length") >= 1
    labels = cy(page, "map-graph", "cy.nodes('.lane-label').map(n => n.data('label'))")
    assert labels == ["Financial", "Customer", "Internal process", "Learning & growth"]
    click_node(page, "map-graph", "L2")
    page.wait_for_selector("#map-panel >> text=IMPROVEMENT_IDEAS")
    assert "green needs" in page.inner_text("#map-panel")
    page.wait_for_selector("text=Evidence for the links")
    assert "Supported" in page.inner_text("body")
    page.get_by_role("button", name="Export").first.click()
    with page.expect_download() as download:
        page.get_by_role("button", name="SVG", exact=True).last.click()
    assert download.value.suggested_filename == "strategy-map-M001.svg"
    assert b"<svg" in Path(download.value.path()).read_bytes()[:400]
    page.get_by_role("button", name="Export").first.click()
    with page.expect_download() as download:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    # The report image is named after the chart, the member and the period it shows.
    assert re.fullmatch(r"strategy_map_M001_\d{4}-\d{2}\.png", download.value.suggested_filename)
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_member_adds_an_objective_links_it_and_publishes(page, live_server):
    sign_in_browser(page, live_server, "m001")
    page.goto(live_server.url + "/members/M001/map/edit")
    wait_for_node(page, "editor-graph", "F2")
    page.select_option("#editor-new-perspective", "customer")
    page.fill("#editor-new-title", "Faster onboarding")
    page.click("#editor-add")
    wait_for_node(page, "editor-graph", "C3")
    page.wait_for_selector("#editor-state >> text=Unsaved changes")
    page.click("label[for=editor-link-mode]")
    click_node(page, "editor-graph", "C3")
    page.wait_for_selector("#editor-link-hint >> text=Now click its effect")
    click_node(page, "editor-graph", "F2")
    wait_for_node(page, "editor-graph", "link-C3-F2")
    issues = page.inner_text("#editor-issues")
    assert "C3 has no KPIs" in issues and "Error" not in issues
    page.click("#editor-publish")
    page.wait_for_selector("#editor-alert >> text=Version 2 is published.")
    assert "Published" in page.inner_text("#editor-versions")
    page.goto(live_server.url + "/members/M001/map")
    wait_for_node(page, "map-graph", "C3")
    assert cy(page, "map-graph", "cy.getElementById('link-C3-F2').length") == 1
    assert "version 2" in page.inner_text("body")
