"""The programme pages for each role, and their callbacks called as plain functions."""

from __future__ import annotations

import base64
import json

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlmodel import select

from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden
from bsc.models import PestRating, RolloutStage, SurveyRemediation, VendorDecision
from dashboard.auth import require_principal
from dashboard.components.uploads import run_upload
from tests import programme
from tests.conftest import as_user, page_module


@pytest.fixture
def app(populated):  # type: ignore[no-untyped-def]
    """The app on the two standard members' users plus the whole demo programme."""
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine) as session:
        programme.load(session)
    engine.dispose()
    from dashboard import create_app

    return create_app(populated)


def render(app, username: str, path: str) -> str:  # type: ignore[no-untyped-def]
    with as_user(app, username, path):
        page = next(p for p in dash.page_registry.values() if p["path"] == path)
        return json.dumps(page["layout"](), cls=PlotlyJSONEncoder, ensure_ascii=False)


def rows_of(session_url: str, model, **where):  # type: ignore[no-untyped-def]
    engine = make_engine(session_url)
    with session_scope(engine, write=False) as session:
        query = select(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        found = session.exec(query).all()
    engine.dispose()
    return found


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("m001", "/pest", 200),
        ("m001", "/rollout", 200),
        ("m001", "/selection", 403),
        ("m001", "/survey", 403),
        ("m001", "/vendors", 403),
        ("exec", "/selection", 200),
        ("exec", "/survey", 200),
        ("exec", "/vendors", 200),
    ],
)
def test_who_may_open_which_page(client_for, username, path, status):
    assert client_for(username).get(path).status_code == status


def test_a_member_sees_the_pest_view_but_not_its_editor(app):
    member, office = render(app, "m001", "/pest"), render(app, "office", "/pest")
    assert "pest-heatmap" not in member  # ids are dicts; the chart name is in the store data
    assert '"pest_heatmap"' in member and "POL-REG" in member
    assert "pest-editor" not in member and "pest-editor" in office
    assert "programme-upload-upload" in office and "programme-upload-upload" not in member


def test_a_member_sees_only_its_own_rollout_and_no_gate_or_grids(app):
    member = render(app, "m001", "/rollout")
    assert "rollout-gate" not in member and "rollout-gate" in render(app, "exec", "/rollout")
    assert "M001" in member and "Formosa" in member
    for other in ("M002", "Keelung", "M014", "Taipei Global"):
        assert other not in member
    assert "rollout_waves" not in member and "agDateStringCellEditor" not in member
    executive = render(app, "exec", "/rollout")
    assert "M014" in executive and "rollout_waves" in executive
    assert "agDateStringCellEditor" not in executive and "rollout-plan-save" not in executive
    assert "agDateStringCellEditor" in render(app, "office", "/rollout")


def test_the_editors_are_for_the_program_office_only(app):
    for path, marker in (
        ("/survey", "survey-notes-save"),
        ("/vendors", "vendor-decision-save"),
    ):
        assert marker not in render(app, "exec", path)
        assert marker in render(app, "office", path)


def test_rating_a_factor_from_the_form(app, populated):
    pest = page_module("pest")
    with as_user(app, "office"):
        alert, version = pest.save_rating(
            1, "TEC-SEC", "2026-Q4", "-2", "5", "office", "Ransomware wave", 0
        )
        assert alert.color == "success" and version == 1
        alert, version = pest.save_rating(1, None, "2026-Q4", "-2", "5", "office", "", 1)
        assert alert.color == "danger" and "factor is required" in alert.children and version == 1
    saved = rows_of(populated.sqlalchemy_url, PestRating, note="Ransomware wave")
    assert len(saved) == 1 and saved[0].impact == -2
    with as_user(app, "exec"), pytest.raises(Forbidden):
        pest.save_rating(1, "TEC-SEC", "2026-Q4", "-2", "5", "exec", "", 0)


def test_choosing_a_quarter_redraws_every_pest_card(app):
    pest = page_module("pest")
    with as_user(app, "m001"):
        values = pest.redraw_cards("2025-Q1", 0, [])
    options, *cards = values
    assert options[0] == "2026-Q3" and len(cards) == 2 * len(pest.CARDS)
    bubbles, bubble_params = cards[2], cards[3]
    assert bubble_params["params"]["quarter"] == "2025-Q1"
    assert "2025-Q1" in bubbles.layout.title.text


def test_editing_the_plan_in_the_grid(app, populated):
    rollout = page_module("rollout")
    with as_user(app, "office"):
        values = rollout.redraw_cards("wave-3", 0, [])
        plan = values[1 + 2 * 4]  # the fifth filtered card: the plan grid's rows
        row = next(r for r in plan if r["Code"] == "M008" and r["Stage"] == "Design")
        row["Percent complete"] = 60
        alert, version = rollout.save_plan(1, plan, 0)
        assert alert.color == "success" and version == 1
        row["Actual end"] = "2026-10-01"  # before its actual start, and not at 100 %
        alert, version = rollout.save_plan(1, plan, 1)
        assert alert.color == "danger" and version == 1
        assert "M008 design: actual_end 2026-10-01 is before actual_start" in alert.children
    stages = rows_of(populated.sqlalchemy_url, RolloutStage, stage="design")
    assert sorted(s.percent_complete for s in stages).count(60) == 1
    with as_user(app, "exec"), pytest.raises(Forbidden):
        rollout.save_plan(1, plan, 0)


def test_a_member_redraws_only_its_own_rows(app):
    rollout = page_module("rollout")
    with as_user(app, "m001"):
        values = rollout.redraw_cards("", 0, [])
    plan = values[1 + 2 * 4]
    assert {row["Code"] for row in plan} == {"M001"}
    assert values[-4:] == [dash.no_update] * 4


def test_gate_thresholds_are_edited_as_percentages(app, populated):
    rollout = page_module("rollout")
    with as_user(app, "office"):
        waves = rollout.redraw_cards("", 0, [])[-4]
        waves[1]["Pilot KPIs green required (%)"] = 75
        alert, _version = rollout.save_waves(1, waves, 0)
    assert alert.color == "success", alert.children
    from bsc.models import RolloutWave

    [wave] = rows_of(populated.sqlalchemy_url, RolloutWave, code="wave-2")
    assert wave.gate_green_share == pytest.approx(0.75)


def test_comparing_a_chosen_set(app):
    selection = page_module("selection")
    with as_user(app, "exec"):
        assert selection.choose_set("wave:wave-2") == [
            "M004",
            "M005",
            "M006",
            "M009",
            "M012",
        ]
        summary, *cards = selection.compare(["M001", "M004"])
    text = json.dumps(summary, cls=PlotlyJSONEncoder)
    assert "2 members chosen" in text
    tests = cards[2]
    assert [row["Dimension"] for row in tests] == [
        "Revenue band",
        "Investor-count band",
        "Region",
        "Capital structure",
    ]
    with as_user(app, "m001"), pytest.raises(Forbidden):
        selection.compare(["M001"])


def test_annotating_the_remediation_list(app, populated):
    survey = page_module("survey")
    with as_user(app, "office"):
        rows = survey.redraw_cards(3, 0, [])[8]
        assert [row["Code"] for row in rows] == ["M008", "M013", "M005"]
        rows[0]["Remediation note"] = "Invite to the pilot review"
        alert, version = survey.save_notes(1, rows, 0)
        assert alert.color == "success" and version == 1
    [note] = rows_of(populated.sqlalchemy_url, SurveyRemediation)
    assert note.note == "Invite to the pilot review"


def test_recording_the_vendor_decision(app, populated):
    vendors = page_module("vendors")
    with as_user(app, "office"):
        refused, version = vendors.record_decision(1, "V4", "", 0)
        assert refused.color == "danger" and "not the top scorer" in refused.children
        recorded, version = vendors.record_decision(1, "V4", "Runs our core system", 0)
        assert recorded.color == "success" and version == 1
        panel = json.dumps(vendors.decision_panel(require_principal()), cls=PlotlyJSONEncoder)
    assert "not the top scorer (V1)" in panel
    assert rows_of(populated.sqlalchemy_url, VendorDecision)[-1].reason == "Runs our core system"


def test_uploads_report_every_bad_row_and_store_nothing(app, populated):
    bad = (
        b"factor,quarter,impact,likelihood,rater\nTEC-SEC,2026-Q4,-5,5,office\nNOPE,2026-Q4,1,1,x\n"
    )
    contents = "data:text/csv;base64," + base64.b64encode(bad).decode()
    with as_user(app, "office"):
        report, done = run_upload("pest_ratings", contents, "ratings.csv", 0)
        text = json.dumps(report, cls=PlotlyJSONEncoder)
        assert done == 0 and report.color == "danger"
        assert "Bad number" in text and '"3"' in text and "NOPE" in text  # the reason's name
        good = b"factor,quarter,impact,likelihood,rater\nTEC-SEC,2026-Q4,-1,3,office\n"
        report, done = run_upload(
            "pest_ratings", "data:text/csv;base64," + base64.b64encode(good).decode(), "r.csv", 0
        )
        assert done == 1 and report.color == "success"
    assert len(rows_of(populated.sqlalchemy_url, PestRating, rater="office")) == 1
    with as_user(app, "exec"), pytest.raises(Forbidden):
        run_upload("pest_ratings", contents, "ratings.csv", 0)


def test_the_gate_says_whether_the_next_wave_may_start_and_why(app):
    rollout = page_module("rollout")
    with as_user(app, "exec"):
        verdict, chart, chart_params, rows, _rows_params = rollout.redraw_gate("wave-2", 0, [])
    text = json.dumps(verdict, cls=PlotlyJSONEncoder, ensure_ascii=False)
    # This app has no KPI catalogue: nothing to count, so the gate holds.
    assert "Wave 2 may not start yet." in text
    assert "KPIs of Pilot members green: nothing to count yet, against 60% required." in text
    assert "Pilot members live: 3 of 3 (100%) against 100% required — met." in text
    assert chart_params["params"] == {"gate": "wave-2"}
    assert [row["Met"] for row in rows] == ["✗", "✓"]
    with as_user(app, "m001"), pytest.raises(Forbidden):
        rollout.redraw_gate("wave-2", 0, [])
