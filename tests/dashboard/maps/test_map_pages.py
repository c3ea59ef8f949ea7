"""The strategy-map screens as functions: the coloured map, its side panel, the editor, the
programme map, and who may open which."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlmodel import col, select

from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden
from bsc.models import AuditLog, StrategyMap
from dashboard.registry import ExportContext, build_chart, build_table
from strategy_maps.io import document_to_dict
from tests.conftest import as_user, page_module

PERIOD = "2026-10"


def text(component) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def nodes(elements: list[dict]) -> dict[str, dict]:
    return {e["data"]["id"]: e for e in elements if "objective" in e.get("classes", "")}


@pytest.fixture
def view(app):  # type: ignore[no-untyped-def]
    return page_module("strategy_map")


@pytest.fixture
def editor(app):  # type: ignore[no-untyped-def]
    return page_module("map_editor")


# --------------------------------------------------------------------------- who may open what


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("m001", "/members/M001/map", 200),
        ("m001", "/members/M002/map", 403),
        ("exec", "/members/M002/map", 200),
        ("m001", "/members/M001/map/edit", 200),
        ("m002", "/members/M001/map/edit", 403),
        ("exec", "/members/M001/map/edit", 403),
        ("office", "/members/M003/map/edit", 200),
        ("office", "/members/template/map/edit", 200),
        ("m001", "/members/template/map/edit", 403),
        ("exec", "/programme/map", 200),
        ("m001", "/programme/map", 403),
    ],
)
def test_pages_answer_by_role_and_member(client_for, username, path, status):
    assert client_for(username).get(path).status_code == status


def test_the_strategy_map_is_in_a_members_navigation(client_for):
    layout = client_for("m001").get("/_dash-layout").get_data(as_text=True)
    assert "/members/M001/map" in layout.replace("\\u002f", "/")


# --------------------------------------------------------------------------- the view


def test_the_map_is_coloured_by_status_with_score_badges_and_evidence(app, view):
    with as_user(app, "m001", "/members/M001/map"):
        page = view.layout(code="M001", period=PERIOD)
    found = text(page)
    assert "status-green" in found and "status-amber" in found and "badge-F1" in found
    assert '"verdict": "supported"' in found or '"verdict":"supported"' in found.replace(" ", "")
    assert "Edit map" in found


def test_a_member_without_a_published_map_is_told_so(app, view):
    with as_user(app, "office", "/members/M005/map"):
        page = text(view.layout(code="M005"))
    assert "no published strategy map" in page and "Edit map" in page


def test_clicking_an_objective_explains_its_colour(app, view):
    with as_user(app, "m001", "/members/M001/map"):
        panel = text(view._on_objective({"key": "L2"}, PERIOD, "M001"))
    assert "IMPROVEMENT_IDEAS" in panel and "Amber" in panel
    assert "L2 → P2" in panel and "green needs" in panel


def test_another_period_recolours_the_map_and_the_export(app, view):
    with as_user(app, "m001", "/members/M001/map"):
        elements, chart, rows, table = view._on_period("2024-Q2", "M001")
    assert chart["period"] == "2024-Q2" and table["period"] == "2024-Q2"
    early = {key: e["classes"] for key, e in nodes(elements).items()}
    with as_user(app, "m001", "/members/M001/map"):
        late = {key: e["classes"] for key, e in nodes(view._on_period(PERIOD, "M001")[0]).items()}
    assert early != late and len(rows) == 9


def test_a_member_cannot_read_anothers_map_through_a_callback(app, view):
    with as_user(app, "m002", "/members/M002/map"), pytest.raises(Forbidden):
        view._on_period(PERIOD, "M001")


def test_the_screen_image_is_made_by_the_browser(app, view):
    with as_user(app, "m001", "/members/M001/map"):
        assert view.map_panel.screen_image("svg", "x")["type"] == "svg"


def test_the_map_exports_through_the_registry_for_who_may_read_it(app, populated):
    engine = make_engine(populated.sqlalchemy_url)
    with as_user(app, "m001"), session_scope(engine, write=False) as session:
        from dashboard.auth import require_principal

        context = ExportContext(session, require_principal(), "M001", PERIOD)
        figure = build_chart("strategy_map", context)
        assert len(figure.layout.shapes) == 4 + 9  # lanes and objectives
        evidence = build_table("link_evidence", context)
        assert len(evidence) == 11 and set(evidence["Verdict"]) <= {
            "Supported",
            "Not supported",
            "Too little data",
        }
        objectives = build_table("map_objectives", context)
        assert list(objectives["Key"]) == ["F1", "F2", "C1", "C2", "P1", "P2", "P3", "L1", "L2"]
        with pytest.raises(Forbidden):
            build_chart("strategy_map", ExportContext(session, context.principal, "M002", PERIOD))
        with pytest.raises(Forbidden):
            build_table("programme_objectives", context)
    engine.dispose()


# --------------------------------------------------------------------------- the programme map


def test_the_programme_map_counts_adoption_and_shared_links(app, populated):
    engine = make_engine(populated.sqlalchemy_url)
    with as_user(app, "exec"), session_scope(engine, write=False) as session:
        from dashboard.auth import require_principal

        context = ExportContext(session, require_principal(), None, PERIOD)
        objectives = build_table("programme_objectives", context)
        assert objectives.set_index("Template key").loc["F1", "Adopted by"] == 3
        by_title = objectives.set_index("Title")
        assert by_title.loc["Open data for investors", ["Template key", "Members"]].tolist() == [
            "",
            "M003",
        ]
        links = build_table("programme_links", context)
        assert links.iloc[0]["Members sharing it"] == 3
        figure = build_chart("programme_map", context)
        assert "3 members" in figure.layout.title.text
    engine.dispose()
    with as_user(app, "exec", "/programme/map"):
        elements, rows, table, chart = page_module("programme_map")._on_period("2025-Q4")
    assert table["period"] == chart["period"] == "2025-Q4" and len(rows) == 11
    assert nodes(elements)["F1"]["data"]["label"] == "Lower back-office cost (3 of 3)"


# --------------------------------------------------------------------------- the editor


def _document(app, editor, username="m001", code="M001"):  # type: ignore[no-untyped-def]
    with as_user(app, username, f"/members/{code}/map/edit"):
        page = editor.layout(code=code)
    stores = [c for c in _walk(page) if getattr(c, "id", None) == "editor-document"]
    return stores[0].data


def _walk(component):  # type: ignore[no-untyped-def]
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from _walk(child)
    elif children is not None and hasattr(children, "children"):
        yield from _walk(children)


def test_editing_adding_linking_and_publishing_a_map(app, editor, populated):
    data = _document(app, editor)
    with as_user(app, "m001", "/members/M001/map/edit"):
        data, selected, _title = editor._add_objective(
            1, None, "customer", "Faster onboarding", data, "M001"
        )
        assert selected == "C3"
        _doc, _sel, source, hint = editor._on_objective_click(
            {"key": "C3"}, True, None, data, "M001"
        )
        assert source == "C3" and "C3" in hint
        data, _sel, source, hint = editor._on_objective_click(
            {"key": "F2"}, True, "C3", data, "M001"
        )
        assert ["C3", "F2"] in data["links"] and source is None
        data = editor._apply(
            1, "C3", "Faster onboarding", "更快上線", None, "customer", ["CLIENT_SAT"], data, "M001"
        )
        elements, issues, state, save_blocked, _publish_blocked = editor._render(
            data, "C3", None, None, "M001"
        )
        assert not save_blocked and "C3" in nodes(elements) and "Unsaved" in text(state)
        alert, version, _versions, saved, _doc = editor.save(
            data, 1, "M001", name="Cloud settlement pilot 2026", note="onboarding", publish=True
        )
    assert version == 2 and "published" in text(alert) and saved == data
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine, write=False) as session:
        maps = session.exec(
            select(StrategyMap)
            .where(StrategyMap.member_id.is_not(None))
            .order_by(col(StrategyMap.id))
        ).all()  # type: ignore[union-attr]
        assert [(m.version, m.status) for m in maps if m.name.startswith("Cloud settlement")] == [
            (1, "archived"),
            (2, "published"),
        ]
        actions = [
            e.action for e in session.exec(select(AuditLog).where(AuditLog.actor == "m001")).all()
        ]
        assert actions == ["add_objective", "add_link", "save_map", "publish_map"]
    engine.dispose()


def test_validation_shows_a_cycle_and_blocks_saving(app, editor):
    data = _document(app, editor)
    data["links"].append(["F2", "C2"])
    with as_user(app, "m001", "/members/M001/map/edit"):
        _elements, issues, _state, save_blocked, publish_blocked = editor._render(
            data, None, None, data, "M001"
        )
    assert save_blocked and publish_blocked
    assert "F2 → C2 → F2" in text(issues)


def test_deleting_and_moving_objectives(app, editor):
    data = _document(app, editor)
    with as_user(app, "m001", "/members/M001/map/edit"):
        data, selected = editor._delete(1, "L2", data, "M001")
        data = editor._apply(
            1, "P3", "Right-size cloud capacity", None, None, "learning", ["CPU_UTIL"], data, "M001"
        )
    assert selected is None and "L2" not in [o["key"] for o in data["objectives"]]
    assert not [link for link in data["links"] if "L2" in link]
    assert next(o for o in data["objectives"] if o["key"] == "P3")["perspective"] == "learning"


def test_versions_open_and_restore(app, editor):
    data = _document(app, editor)
    with as_user(app, "m001", "/members/M001/map/edit"):
        changed = dict(data, links=data["links"][:-1])
        assert editor.save(changed, 1, "M001", name=None, note=None, publish=False)[1] == 2
        alert, _base, _versions, _saved, opened = editor.version_action("open", 1, "M001")
        assert opened == data and "Version 1 opened" in text(alert)
        alert, base, _versions, saved, document = editor.version_action("restore", 1, "M001")
        assert base == 3 and document == data == saved and "version 3" in text(alert)
        alert, base, *_rest = editor.version_action("publish", 3, "M001")
        assert "Version 3 is published" in text(alert)
        stale = editor.save(changed, 1, "M001", name=None, note=None, publish=False)[0]
    assert "saved by someone else" in text(stale)


def test_renaming_the_map_is_validated_at_once(app, editor):
    data = _document(app, editor)
    with as_user(app, "m001", "/members/M001/map/edit"):
        unnamed = editor._rename_map("  ", data, "M001")
        *_rest, blocked, _ = editor._render(unnamed, None, None, data, "M001")
        assert blocked and unnamed["name"] == ""
        named = editor._rename_map("Cloud pilot", unnamed, "M001")
        *_rest, blocked, _ = editor._render(named, None, None, data, "M001")
    assert not blocked and named["name"] == "Cloud pilot"


def test_starting_from_the_template(app, editor):
    data = _document(app, editor, "office", "M005")
    assert {o["template_key"] for o in data["objectives"]} >= {"F1", "L2"}  # a fresh draft
    with as_user(app, "office", "/members/M005/map/edit"):
        document, _selected = editor._start_from(1, "M001", data, "M005")
    assert ["F1", "F2"] in document["links"] and document["member"] == "M005"


def test_an_editor_callback_refuses_another_members_map(app, editor):
    data = _document(app, editor)
    with as_user(app, "m002", "/members/M002/map/edit"), pytest.raises(Forbidden):
        editor._render(data, None, None, data, "M001")
    with as_user(app, "exec", "/members/M001/map"), pytest.raises(Forbidden):
        editor.save(data, 1, "M001", name=None, note=None, publish=False)


def test_the_store_holds_the_file_form(app, editor):
    data = _document(app, editor)
    assert list(data) == list(document_to_dict(_parse(data)))


def _parse(data):  # type: ignore[no-untyped-def]
    from strategy_maps.io import parse_document

    return parse_document(data)[0]
