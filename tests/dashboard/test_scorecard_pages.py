"""The overview and member scorecard pages: layouts and callbacks called as functions, for each
role, with the server-side rights checks and the data-version cache."""

from __future__ import annotations

import base64
import importlib
import json
import threading
import time

import dash
import pytest
from dash.exceptions import PreventUpdate
from plotly.utils import PlotlyJSONEncoder

from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden
from bsc.settings import Settings
from bsc.versioning import MEASUREMENTS, bump
from dashboard import cache
from dashboard.components.exportable import export_params, export_table_file
from dashboard.components.period_picker import change_kind
from dashboard.figures.scorecard import header
from dashboard.state import read_session, write_session
from tests.conftest import as_user
from tests.scoring_factories import monthly, worked_programme


@pytest.fixture
def app(web_settings: Settings):  # type: ignore[no-untyped-def]
    engine = make_engine(web_settings.sqlalchemy_url)
    with session_scope(engine) as session:
        worked_programme(session)
    engine.dispose()
    from dashboard import create_app

    return create_app(web_settings)


@pytest.fixture
def overview(app):  # type: ignore[no-untyped-def]
    """The overview page's module (pages import only once an app exists)."""
    return importlib.import_module("dashboard.pages.overview")


@pytest.fixture
def member(app):  # type: ignore[no-untyped-def]
    return importlib.import_module("dashboard.pages.member")


def render(app, username: str, path: str, **query: str) -> str:  # type: ignore[no-untyped-def]
    with as_user(app, username, path):
        name = "member" if path.startswith("/members/") else "overview"
        found = dash.page_registry[f"dashboard.pages.{name}"]
        variables = {"code": path.rsplit("/", 1)[1]} if path.startswith("/members/") else {}
        layout = found["layout"](**variables, **query)
        return json.dumps(layout, cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_the_overview_shows_every_member_to_an_executive(app):
    text = render(app, "exec", "/")
    for expected in ("M001 Formosa Securities", "M002 Keelung Commercial Bank", "tile-rollout"):
        assert expected in text
    assert "Peers (median, anonymised)" not in text


def test_the_overview_shows_a_member_itself_and_anonymous_peers(app):
    text = render(app, "m001", "/")
    assert "M001 Formosa Securities" in text
    assert "M002" not in text and "Keelung" not in text
    assert "tile-rollout" not in text


def test_the_overview_callback_filters_for_the_programme_only(app, overview):
    with as_user(app, "exec"):
        figure, params, movers, fresh, *_rest, tiles = overview.update_overview(
            "2025-Q3", None, "bank"
        )
    assert list(figure["data"][0]["y"]) == ["M002 Keelung Commercial Bank"]
    assert params["params"] == {"wave": None, "segment": "bank"}
    assert [row["Code"] for row in fresh] == ["M002"]
    with as_user(app, "m001"), pytest.raises(Forbidden):
        overview.update_overview("2025-Q3", None, "bank")
    with as_user(app, "m001"):
        figure, *_ = overview.update_overview("2025-Q3", None, None)
    assert list(figure["data"][0]["y"]) == ["M001 Formosa Securities", "Peers (median, anonymised)"]


def test_a_click_on_the_heat_map_opens_the_member(app, overview):
    click = {"points": [{"customdata": "M002"}]}
    with as_user(app, "exec"):
        assert overview.open_member(click) == "/members/M002"
    with as_user(app, "m001"), pytest.raises(Forbidden):
        overview.open_member(click)
    with as_user(app, "m001"), pytest.raises(PreventUpdate):
        overview.open_member({"points": [{"customdata": "peers"}]})


def test_the_member_page_for_each_role(app, client_for):
    assert "OPEX" in render(app, "exec", "/members/M001", period="2025-Q3")
    assert "OPEX" in render(app, "m001", "/members/M001")
    assert '"forbidden"' in render(app, "m001", "/members/M002")
    assert "member-not-found" in render(app, "exec", "/members/M999")
    assert client_for("m001").get("/members/M002").status_code == 403
    assert client_for("m001").get("/members/M001").status_code == 200
    assert client_for("exec").get("/members/M002").status_code == 200


def test_changing_the_period_redraws_the_scorecard(app, member):
    with as_user(app, "m001", "/members/M001"):
        summary, rows, params, bench, bench_params, options = member.update_scorecard(
            "2025-Q3", "M001"
        )
    opex = next(row for row in rows if row[header("code")] == "OPEX")
    assert (opex[header("value")], opex[header("target")], opex[header("status")]) == (
        120.0,
        300.0,
        "Red",
    )
    assert params == export_params("scorecard", "M001", "2025-Q3")
    assert {o["value"] for o in options} >= {"OPEX", "RECON"}
    with as_user(app, "m001"), pytest.raises(Forbidden):
        member.update_scorecard("2025-Q3", "M002")


def test_a_row_click_opens_the_kpi_drill_down(app, member):
    with as_user(app, "m001"):
        assert member.pick_kpi([{header("code"): "RECON"}], "M001") == "RECON"
        with pytest.raises(PreventUpdate):
            member.pick_kpi([{header("code"): None}], "M001")
    with as_user(app, "exec"):
        history, peers, history_params, peers_params, revisions, _params, summary = (
            member.update_drilldown("OPEX", "2025-Q3", "M001")
        )
    assert [trace.name for trace in history.data if trace.name == "Actual"] == ["Actual"]
    assert history_params["params"] == {"kpi": "OPEX"}
    assert revisions == []
    assert "120 TWD vs target 300 TWD" in json.dumps(summary.to_plotly_json(), default=str)
    with as_user(app, "m002"), pytest.raises(Forbidden):
        member.update_drilldown("OPEX", "2025-Q3", "M001")


def test_every_app_of_a_process_answers_the_period_picker(app, web_settings):
    from dashboard import create_app

    app.server.test_client().get("/healthz")  # the first app sets itself up
    later = create_app(web_settings)
    later.server.test_client().get("/healthz")
    assert any("period-value" in output for output in later.callback_map)


def test_the_period_picker_keeps_the_readers_place(app):
    with as_user(app, "m001"):
        options, value = change_kind("quarter", "2025-08")
    assert value == "2025-Q3" and {"label": "2025-Q3", "value": "2025-Q3"} in options


def test_exports_of_the_scorecard_follow_the_rights(app):
    with as_user(app, "m001"):
        download = export_table_file("csv", export_params("scorecard", "M001", "2025-Q3"))
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    assert "OPEX" in text and "Why" in text
    with as_user(app, "m002"), pytest.raises(Forbidden):
        export_table_file("csv", export_params("scorecard", "M001", "2025-Q3"))


def test_any_upload_invalidates_the_cached_scorecard(app):
    with as_user(app, "exec"):
        with read_session() as session:
            before = cache.scorecard(
                session, principal=_exec(session), member_code="M002", period="2025-Q3"
            )
            again = cache.scorecard(
                session, principal=_exec(session), member_code="M002", period="2025-Q3"
            )
        assert again.score == before.score
        with write_session() as session:
            from sqlmodel import select

            from bsc.models import KpiDefinition, Member

            m2 = session.exec(select(Member).where(Member.code == "M002")).one()
            opex = session.exec(select(KpiDefinition).where(KpiDefinition.code == "OPEX")).one()
            monthly(session, m2, opex, "2025-07", [100.0, 100.0, 100.0])
            bump(session, MEASUREMENTS)
        with read_session() as session:
            after = cache.scorecard(
                session, principal=_exec(session), member_code="M002", period="2025-Q3"
            )
    assert after.kpis.set_index("code").loc["OPEX", "score"] == 100.0
    assert before.kpis.set_index("code").loc["OPEX", "status"] == "grey"


def test_the_cache_checks_rights_before_it_answers(app):
    with as_user(app, "exec"), read_session() as session:
        cache.scorecard(session, principal=_exec(session), member_code="M002", period="2025-Q3")
    with as_user(app, "m001"), read_session() as session:
        from dashboard.auth import require_principal

        with pytest.raises(Forbidden):
            cache.scorecard(
                session, principal=require_principal(), member_code="M002", period="2025-Q3"
            )


def test_an_upload_refreshes_its_member_and_the_programme_but_not_other_members(app):
    from sqlmodel import select

    from bsc.authz import OPERATOR
    from bsc.models import Member
    from bsc.services.ingest import ingest_feed

    computed: list[str] = []

    def ask(kind: str, member_id: int | None) -> None:
        def compute() -> str:
            computed.append(kind)
            return kind

        with read_session() as session:
            cache.remembered(session, kind, (), compute, member_id=member_id)

    with app.server.app_context():
        with read_session() as session:
            ids = dict(session.execute(select(Member.code, Member.id)).all())
        views = [("m001-view", ids["M001"]), ("m002-view", ids["M002"]), ("all-view", None)]
        for kind, member_id in views:
            ask(kind, member_id)
        with write_session() as session:
            report = ingest_feed(
                session,
                data=b"member,kpi,period,value\nM001,OPEX,2025-09,123\n",
                filename="feed.csv",
                actor=OPERATOR,
                source="cli",
            )
        assert report.status == "applied", report.to_dict()
        computed.clear()
        for kind, member_id in views:
            ask(kind, member_id)
    assert computed == ["m001-view", "all-view"]


def test_threads_missing_the_same_entry_compute_it_once(app):
    """After an upload every thread of a worker misses at once: one computes, the rest wait."""
    calls: list[int] = []
    started = threading.Barrier(4)

    def compute() -> str:
        calls.append(1)
        time.sleep(0.3)  # long enough for the other threads to arrive and wait
        return "computed"

    def ask(answers: list[str]) -> None:
        with app.server.app_context(), read_session() as session:
            started.wait()
            answers.append(cache.remembered(session, "single-flight-test", ("k",), compute))

    answers: list[str] = []
    threads = [threading.Thread(target=ask, args=(answers,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["computed"] * 4 and len(calls) == 1


def _exec(session):  # type: ignore[no-untyped-def]
    from dashboard.auth import require_principal

    return require_principal()


def test_a_catalogue_without_any_measurement_shows_grey_scorecards(populated):
    from dashboard import create_app
    from tests import factories

    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine) as session:
        factories.kpi(session, "RECON")
    engine.dispose()
    app = create_app(populated)
    assert "M001 Formosa Securities" in render(app, "exec", "/")
    text = render(app, "m001", "/members/M001")
    assert "RECON" in text and "No data" in text
