"""The wave gate and the exposed objectives read the scorecard: a worked example on SQLite and
PostgreSQL, with measurements and a strategy map built by hand."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bsc.authz import OPERATOR
from bsc.errors import Forbidden
from bsc.models import Member, RolloutWave
from bsc.services import pest, rollout
from dashboard.registry import ExportContext, build_table
from tests import factories, scoring_factories
from tests.programme import EXECUTIVE, load, member_principal


@pytest.fixture
def programme(session):
    """The demo programme up to the PEST ratings, one KPI, and October values for the pilot:
    M001 green (99.5 ≥ 99), M002 amber (96 ≥ 95), M003 red (90); M001's map has C1 on it."""
    load(session, upto="pest_ratings.csv")
    members = {m.code: m for m in session.exec(select(Member)).all()}
    recon = factories.kpi(session, "RECON_SAMEDAY", objective_key="C1")
    for code, value in (("M001", 99.5), ("M002", 96.0), ("M003", 90.0)):
        scoring_factories.measurement(session, members[code], recon, "2026-10", value)
    scoring_factories.strategy_map(session, members["M001"], {"C1": ("customer", [(recon, 1.0)])})
    session.flush()
    return session


def test_the_gate_for_wave_2_from_the_scorecard(programme):
    report = rollout.gate_report(programme, principal=EXECUTIVE, wave="wave-2")
    green, live = report.gate.checks
    assert report.period == "2026-10" and report.gated_waves == ("wave-2", "wave-3")
    assert (green.count, green.total, green.without_data) == (1, 3, 0)
    assert green.required == 0.6 and not green.passed  # 1 of 3 pilot KPIs green
    assert (live.count, live.total, live.passed) == (3, 3, True)  # all pilot members live
    assert not report.gate.may_start
    wave = programme.exec(select(RolloutWave).where(RolloutWave.code == "wave-2")).one()
    wave.gate_green_share = 0.3
    programme.add(wave)
    programme.flush()
    assert rollout.gate_report(programme, principal=EXECUTIVE, wave="wave-2").gate.may_start


def test_the_gate_defaults_to_the_last_wave_once_all_have_started(programme):
    report = rollout.gate_report(programme, principal=EXECUTIVE)
    assert report.next_wave is None and report.gate.wave == "wave-3"
    assert report.gate.previous_wave == "wave-2"
    with pytest.raises(Forbidden):
        rollout.gate_report(programme, principal=member_principal(programme))


def test_exposed_objectives_carry_their_scorecard_status(programme):
    statuses = pest.objective_statuses(programme, principal=EXECUTIVE, keys={"C1", "P2"})
    assert statuses[["member_code", "objective_key", "status"]].values.tolist() == [
        ["M001", "C1", "green"]
    ]
    assert statuses["score"].iloc[0] == pytest.approx(100)
    exposed = build_table("pest_exposed", ExportContext(programme, OPERATOR))
    rows = exposed[["Member", "Objective", "Factors", "Status"]].values.tolist()
    # POL-REG (−2 × 4 in 2026-Q3) threatens C1 and P2; only M001's map has C1, nobody's has P2.
    assert ["M001", "C1", "POL-REG", "Green"] in rows
    assert ["No map has it yet", "P2", "POL-REG", "No data"] in rows
    mine = build_table(
        "pest_exposed", ExportContext(programme, member_principal(programme, "M002"))
    )
    assert "M001" not in set(mine["Member"])


def test_the_gate_from_the_command_line(programme, db_url):
    import json

    from typer.testing import CliRunner

    from bsc.cli import app

    programme.commit()
    result = CliRunner().invoke(
        app, ["--db", db_url, "rollout", "gate", "--wave", "wave-2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["wave"], report["period"], report["may_start"]) == ("wave-2", "2026-10", False)
    assert [(c["name"], c["count"], c["total"]) for c in report["checks"]] == [
        ("pilot_kpis_green", 1, 3),
        ("previous_wave_live", 3, 3),
    ]
