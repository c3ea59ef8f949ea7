"""The overview's figures, peer statistics and the KPI drill-down, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bsc.authz import OPERATOR
from bsc.errors import Forbidden, NotFound
from bsc.models import (
    MeasurementRevision,
    PestFactor,
    PestRating,
    RolloutStage,
    RolloutWave,
    Upload,
)
from bsc.services.kpi_detail import kpi_detail
from bsc.services.overview import (
    Freshness,
    data_freshness,
    member_codes,
    overview,
    pest_summary,
    rollout_summary,
)
from bsc.services.peers import peer_benchmark, peer_statistics
from bsc.services.users import principal_for
from tests import factories
from tests.scoring_factories import measurement, monthly, worked_programme


@pytest.fixture
def programme(session):
    people = worked_programme(session)
    recon = people["kpis"]["RECON"]
    # Four more members so that five have RECON values in 2025-09 (enough for anonymous peers).
    extra = []
    for number, value in zip(range(3, 7), (90.0, 95.0, 97.0, 98.0), strict=True):
        member = factories.member(
            session, f"M00{number}", segment="bank" if number % 2 else "broker"
        )
        monthly(session, member, recon, "2025-07", [value - 2, value - 1, value])
        extra.append(member)
    session.flush()
    return {**people, "extra": extra}


def test_freshness_tells_reported_overdue_and_not_started(session, programme):
    m1 = programme["m1"]
    session.add(
        Upload(
            member_id=m1.id,
            actor="m001",
            source="web",
            filename="a.csv",
            sha256="0" * 64,
            size_bytes=1,
            status="applied",
            created_at=datetime(2025, 10, 2, tzinfo=UTC),
        )
    )
    session.add(
        Upload(
            member_id=m1.id,
            actor="m001",
            source="web",
            filename="b.csv",
            sha256="1" * 64,
            size_bytes=1,
            status="rejected",
            created_at=datetime(2025, 10, 9, tzinfo=UTC),
        )
    )
    newcomer = factories.member(session, "M009")
    session.flush()
    october = data_freshness(
        session, principal=OPERATOR, period="2025-10", today=date(2025, 11, 20)
    )
    state = october.set_index("code")
    assert state.loc["M001", "state"] == Freshness.OVERDUE
    assert state.loc["M001", "months_behind"] == 1
    assert state.loc["M001", "last_upload"].replace(tzinfo=UTC) == datetime(2025, 10, 2, tzinfo=UTC)
    assert state.loc["M009", "state"] == Freshness.NOT_STARTED
    september = data_freshness(
        session, principal=OPERATOR, period="2025-09", today=date(2025, 11, 20)
    )
    assert september.set_index("code").loc["M002", "state"] == Freshness.REPORTED
    still_open = data_freshness(
        session, principal=OPERATOR, period="2025-11", today=date(2025, 11, 20)
    )
    assert set(still_open["state"]) == {Freshness.OPEN}  # nobody is late before the month ends
    m001 = principal_for(session, programme["m001"])
    assert list(data_freshness(session, principal=m001, period="2025-10")["code"]) == ["M001"]
    assert newcomer.id is not None


def test_the_overview_of_the_programme(session, programme):
    view = overview(session, principal=OPERATOR, period="2025-09")
    assert view.previous_period == "2025-08"
    assert list(view.scores.members["code"]) == ["M001", "M002", "M003", "M004", "M005", "M006"]
    assert sum(view.member_status.values()) == 6
    assert sum(view.kpi_status.values()) == 6 * 8
    assert view.peers is None and view.rollout is not None and view.pest is not None
    assert set(view.movers.columns) >= {"code", "score", "previous_score", "change"}
    assert view.movers["change"].abs().is_monotonic_decreasing


def test_filters_by_wave_and_segment(session, programme):
    wave = RolloutWave(code="pilot", name="Pilot", sequence=1)
    session.add(wave)
    session.flush()
    programme["m1"].wave_id = wave.id
    session.add(programme["m1"])
    session.flush()
    assert member_codes(session, principal=OPERATOR, wave="pilot") == ["M001"]
    assert member_codes(session, principal=OPERATOR, segment="bank") == ["M002", "M003", "M005"]
    view = overview(session, principal=OPERATOR, period="2025-09", segment="bank")
    assert list(view.scores.members["code"]) == ["M002", "M003", "M005"]


def test_a_member_sees_itself_and_anonymous_peers_only(session, programme):
    m001 = principal_for(session, programme["m001"])
    view = overview(session, principal=m001, period="2025-09", wave="pilot", segment="bank")
    assert list(view.scores.members["code"]) == ["M001"]
    assert list(view.freshness["code"]) == ["M001"]
    assert view.rollout is None and view.pest is None
    assert "code" not in view.movers.columns and "perspective" in view.movers.columns
    peers = view.peers
    assert peers is not None and set(peers.columns) == {
        "perspective",
        "peers",
        "p25",
        "median",
        "p75",
    }
    customer = peers[peers["perspective"] == "customer"].iloc[0]
    # Customer scores in 2025-09 are the RECON scores (API has no September value):
    # 100, 100, 52.63, 78.95, 89.47, 94.74 → median (89.47 + 94.74) / 2
    assert customer["peers"] == 6
    assert customer["median"] == pytest.approx((17 / 19 + 18 / 19) / 2 * 100)


def test_peer_statistics_hide_small_groups(session, programme):
    stats = peer_statistics(session, principal=OPERATOR, period="2025-09").set_index(
        "perspective", drop=False
    )
    assert stats.loc["customer", "peers"] == 6 and stats.loc["customer", "median"] > 0
    assert stats.loc["process", "peers"] == 1  # only M001 reports process KPIs
    assert stats.loc["process", "median"] != stats.loc["process", "median"]  # NaN: too few


def test_the_peer_benchmark_ranks_without_naming(session, programme):
    m001 = principal_for(session, programme["m001"])
    bench = peer_benchmark(session, principal=m001, member_code="M001", period="2025-09")
    recon = bench.set_index("kpi_code").loc["RECON"]
    # 2025-09 RECON: M001 99.2, M002 100, M003 90, M004 95, M005 97, M006 98 → M001 beats 4 of 5
    assert (recon["value"], recon["percentile"], recon["band"], recon["peers"]) == (
        99.2,
        80.0,
        "top_quartile",
        6,
    )
    assert recon["median"] == pytest.approx(97.5)
    assert "member_code" not in bench.columns
    opex = bench.set_index("kpi_code").loc["OPEX"]
    assert opex["percentile"] != opex["percentile"]  # alone with a value: no rank
    with pytest.raises(Forbidden):
        peer_benchmark(session, principal=m001, member_code="M002", period="2025-09")


def test_the_kpi_drill_down(session, programme):
    m1, kpis = programme["m1"], programme["kpis"]
    stored = measurement(session, m1, kpis["OPEX"], "2025-06", 25.0)
    session.flush()
    session.add(
        MeasurementRevision(
            measurement_id=stored.id,
            old_value=20.0,
            new_value=25.0,
            changed_at=datetime(2025, 7, 3, tzinfo=UTC),
        )
    )
    session.flush()
    detail = kpi_detail(
        session, principal=OPERATOR, member_code="M001", kpi_code="OPEX", period="2025-Q4"
    )
    assert list(detail.history["period"]) == ["2025-06", "2025-07", "2025-08", "2025-09"]
    assert list(detail.history["status"]) == ["red", "red", "red", "amber"]
    assert list(detail.projection["period"]) == ["2025-10", "2025-11", "2025-12"]
    assert detail.projection["predicted"].is_monotonic_increasing
    [revision] = detail.revisions.to_dict("records")
    assert (revision["period"], revision["old_value"], revision["new_value"]) == (
        "2025-06",
        20.0,
        25.0,
    )
    with pytest.raises(NotFound, match="NOPE"):
        kpi_detail(
            session, principal=OPERATOR, member_code="M001", kpi_code="NOPE", period="2025-09"
        )
    m002 = principal_for(session, programme["m002"])
    with pytest.raises(Forbidden):
        kpi_detail(session, principal=m002, member_code="M001", kpi_code="OPEX", period="2025-09")


def test_rollout_and_pest_tiles(session, programme):
    wave = RolloutWave(code="pilot", name="Pilot", sequence=1)
    session.add(wave)
    session.flush()
    m1, m2 = programme["m1"], programme["m2"]
    stages = [
        (m1, "design", date(2025, 1, 1), date(2025, 1, 31), date(2025, 1, 31)),
        (m1, "go_live", date(2025, 3, 1), date(2025, 3, 10), date(2025, 3, 15)),
        (m2, "design", date(2025, 2, 1), None, date(2025, 2, 28)),
    ]
    for member, stage, start, end, planned_end in stages:
        session.add(
            RolloutStage(
                member_id=member.id,
                wave_id=wave.id,
                stage=stage,
                actual_start=start,
                actual_end=end,
                planned_end=planned_end,
            )
        )
    factor = PestFactor(code="POL-1", category="political", name="Rules")
    session.add(factor)
    session.flush()
    for quarter, impact in ((date(2025, 4, 1), 1), (date(2025, 7, 1), -2)):
        session.add(
            PestRating(
                factor_id=factor.id,
                quarter_start=quarter,
                impact=impact,
                likelihood=3,
                rater="office",
            )
        )
    session.flush()
    assert rollout_summary(session, today=date(2025, 6, 1)) == {
        "members": 2,
        "live": 1,
        "in_progress": 1,
        "not_started": 0,
        "slipped": 1,
    }
    assert pest_summary(session) == {
        "quarter": "2025-Q3",
        "factors": 1,
        "all_factors": 1,
        "negative": 1,
    }


def test_a_years_value_stands_in_everywhere(session, programme):
    """IDEAS reports yearly: its 2024 value stands in for September 2025 on every screen."""
    view = overview(session, principal=OPERATOR, period="2025-09")
    ideas = view.scores.kpis.set_index(["member_code", "kpi_code"]).loc[("M001", "IDEAS")]
    assert (ideas["value_period"], ideas["value"]) == ("2024", 9.0)
    m001 = principal_for(session, programme["m001"])
    bench = peer_benchmark(session, principal=m001, member_code="M001", period="2025-09")
    assert bench.set_index("kpi_code").loc["IDEAS", "value"] == 9.0
