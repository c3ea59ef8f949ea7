"""Rollout positions, slips, the S-curve and the wave gate, on worked examples."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.programme import rollout

D = date


def stage(member, stage_, planned, actual=(None, None), percent=0, wave="pilot"):
    return {
        "member_code": member,
        "wave": wave,
        "stage": stage_,
        "planned_start": planned[0],
        "planned_end": planned[1],
        "actual_start": actual[0],
        "actual_end": actual[1],
        "percent_complete": percent,
    }


def live(member, wave="pilot"):
    """All five stages finished in 2025."""
    return [
        stage(member, s, (D(2025, 1, 1), D(2025, 1, 2)), (D(2025, 1, 1), D(2025, 1, 2)), 100, wave)
        for s in ("design", "test", "build", "trial", "go_live")
    ]


def test_positions_are_the_first_unfinished_stage_or_live_or_not_started():
    stages = pd.DataFrame(
        [
            *live("A"),
            stage(
                "B", "design", (D(2025, 1, 1), D(2025, 2, 1)), (D(2025, 1, 1), D(2025, 2, 3)), 100
            ),
            stage("B", "test", (D(2025, 2, 2), D(2025, 3, 1)), (D(2025, 2, 4), None), 40),
            stage("C", "design", (D(2025, 1, 1), D(2025, 2, 1))),
        ]
    )
    where = rollout.positions(stages).set_index("member_code")["position"].to_dict()
    assert where == {"A": "live", "B": "test", "C": "not_started"}
    counts = rollout.position_counts(stages, ["pilot", "wave-2"])
    assert len(counts) == 2 * len(rollout.POSITIONS)
    pilot = counts[counts["wave"] == "pilot"].set_index("position")["members"]
    assert (pilot["live"], pilot["test"], pilot["not_started"], pilot["design"]) == (1, 1, 1, 0)


def test_slips_by_kind_with_days_late():
    today = D(2025, 3, 1)
    stages = pd.DataFrame(
        [
            # finished 5 days after the plan
            stage(
                "A", "design", (D(2025, 1, 1), D(2025, 1, 31)), (D(2025, 1, 1), D(2025, 2, 5)), 100
            ),
            # in progress, planned end passed 19 days ago
            stage("B", "design", (D(2025, 1, 1), D(2025, 2, 10)), (D(2025, 1, 3), None), 70),
            # not started, planned start passed 9 days ago, end still ahead
            stage("C", "design", (D(2025, 2, 20), D(2025, 4, 1))),
            # not started and its planned end passed too: overdue
            stage("D", "design", (D(2025, 1, 1), D(2025, 2, 26))),
            # on time
            stage(
                "E", "design", (D(2025, 1, 1), D(2025, 1, 31)), (D(2025, 1, 1), D(2025, 1, 30)), 100
            ),
            stage("F", "design", (D(2025, 3, 5), D(2025, 4, 1))),
        ]
    )
    late = rollout.slipped(stages, today=today)
    assert late[["member_code", "kind", "days_late"]].values.tolist() == [
        ["B", "overdue", 19],
        ["C", "late_start", 9],
        ["A", "finished_late", 5],
        ["D", "overdue", 3],
    ]


TWO_STAGES = pd.DataFrame(
    [
        # 10 planned days, finished 10 days late
        stage("M", "design", (D(2025, 1, 1), D(2025, 1, 11)), (D(2025, 1, 1), D(2025, 1, 21)), 100),
        # 20 planned days, started on 21 Jan, 50 % done on 31 Jan
        stage("M", "test", (D(2025, 1, 11), D(2025, 1, 31)), (D(2025, 1, 21), None), 50),
    ]
)


def test_the_s_curve_weighs_stages_by_planned_length():
    curve = rollout.s_curve(TWO_STAGES, today=D(2025, 1, 31)).set_index("day")
    monday = curve.loc[pd.Timestamp(2025, 1, 20)]
    # planned: design done (10) + 9 of test's 20 days (9) = 19 of 30
    assert monday["planned"] == pytest.approx(19 / 30 * 100)
    # actual: design 19 of its 20 actual days (9.5 of weight 10), test not started
    assert monday["actual"] == pytest.approx(9.5 / 30 * 100)
    today = curve.loc[pd.Timestamp(2025, 1, 31)]
    assert today["planned"] == pytest.approx(100)
    # design (10) + test at its 50 % (10) = 20 of 30
    assert today["actual"] == pytest.approx(20 / 30 * 100)
    assert curve.loc[pd.Timestamp(2025, 1, 1), "planned"] == 0


def test_actual_progress_is_unknown_after_today():
    curve = rollout.s_curve(TWO_STAGES, today=D(2025, 1, 20))
    after = curve[curve["day"] > pd.Timestamp(2025, 1, 20)]
    assert not after.empty and after["actual"].isna().all()
    assert curve[curve["day"] <= pd.Timestamp(2025, 1, 20)]["actual"].notna().all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 90), st.integers(0, 60), st.integers(0, 100)),
        min_size=1,
        max_size=8,
    )
)
def test_the_s_curve_rises_from_0_to_100_and_actual_never_exceeds_100(specs):
    base = D(2025, 1, 1)
    rows = [
        stage(
            f"M{index}",
            "design",
            (base + timedelta(days=offset), base + timedelta(days=offset + length)),
            (base + timedelta(days=offset + slip), None),
            percent,
        )
        for index, (offset, length, slip, percent) in enumerate(specs)
    ]
    curve = rollout.s_curve(pd.DataFrame(rows), today=D(2025, 6, 1))
    planned = curve["planned"].to_numpy()
    assert planned[0] == pytest.approx(0) and planned[-1] == pytest.approx(100)
    assert np.all(np.diff(planned) >= -1e-9)
    actual = curve["actual"].dropna().to_numpy()
    assert np.all((actual >= -1e-9) & (actual <= 100 + 1e-9))


WAVES = pd.DataFrame(
    {
        "code": ["pilot", "wave-2", "wave-3"],
        "sequence": [1, 2, 3],
        "gate_green_share": [None, 0.6, 0.75],
        "gate_live_share": [None, 1.0, 0.5],
    }
)
MEMBERS = pd.DataFrame(
    {
        "member_code": ["P1", "P2", "W1", "W2", "X1"],
        "wave": ["pilot", "pilot", "wave-2", "wave-2", "wave-3"],
    }
)
STAGES = pd.DataFrame(
    [
        *live("P1"),
        *live("P2"),
        *live("W1", "wave-2"),
        stage("W2", "design", (D(2025, 1, 1), D(2025, 2, 1)), (D(2025, 1, 1), None), 30, "wave-2"),
    ]
)


def statuses(**by_member):
    return pd.DataFrame(
        [
            {"member_code": member, "kpi_code": f"K{i}", "status": status}
            for member, listed in by_member.items()
            for i, status in enumerate(listed)
        ]
    )


def test_the_gate_for_wave_2_worked_example():
    # Pilot KPIs: 4 green of 7 (a KPI without data counts as not green); wave-2 KPIs do not count.
    kpis = statuses(
        P1=["green", "green", "amber", "grey"], P2=["green", "green", "red"], W1=["green"] * 5
    )
    gate = rollout.wave_gate("wave-2", waves=WAVES, members=MEMBERS, stages=STAGES, statuses=kpis)
    green, live_ = gate.checks
    assert (green.name, green.count, green.total, green.without_data) == (
        "pilot_kpis_green",
        4,
        7,
        1,
    )
    assert green.share == pytest.approx(4 / 7) and green.required == 0.6 and not green.passed
    assert (live_.name, live_.count, live_.total, live_.passed) == (
        "previous_wave_live",
        2,
        2,
        True,
    )
    assert (gate.pilot_wave, gate.previous_wave, gate.may_start) == ("pilot", "pilot", False)


def test_the_gate_for_wave_3_looks_at_wave_2_members_and_passes_on_the_threshold():
    kpis = statuses(P1=["green", "green", "green", "green"], P2=["green", "green", "red", "amber"])
    gate = rollout.wave_gate("wave-3", waves=WAVES, members=MEMBERS, stages=STAGES, statuses=kpis)
    green, live_ = gate.checks
    assert (green.count, green.total, green.passed) == (6, 8, True)  # 0.75 ≥ 0.75
    assert (live_.count, live_.total, live_.share, live_.passed) == (1, 2, 0.5, True)
    assert gate.previous_wave == "wave-2" and gate.may_start


def test_no_threshold_passes_and_no_data_fails():
    open_gate = WAVES.assign(gate_green_share=None, gate_live_share=None)
    nothing = pd.DataFrame(columns=["member_code", "kpi_code", "status"])
    gate = rollout.wave_gate(
        "wave-2", waves=open_gate, members=MEMBERS, stages=STAGES, statuses=nothing
    )
    assert gate.may_start and all(check.required is None for check in gate.checks)
    closed = rollout.wave_gate(
        "wave-2",
        waves=WAVES,
        members=MEMBERS,
        stages=STAGES,
        statuses=nothing,
    )
    assert closed.checks[0].share is None and not closed.checks[0].passed and not closed.may_start


def test_the_pilot_has_no_gate_and_unknown_waves_are_named():
    with pytest.raises(ValueError, match="pilot"):
        rollout.wave_gate("pilot", waves=WAVES, members=MEMBERS, stages=STAGES, statuses=statuses())
    with pytest.raises(ValueError, match="wave-9"):
        rollout.wave_gate(
            "wave-9", waves=WAVES, members=MEMBERS, stages=STAGES, statuses=statuses()
        )


def test_the_next_wave_is_the_first_not_started():
    assert rollout.next_wave(WAVES, STAGES) == "wave-3"
    assert rollout.next_wave(WAVES, STAGES[STAGES["wave"] == "pilot"]) == "wave-2"
    started = pd.concat(
        [
            STAGES,
            pd.DataFrame([stage("X1", "design", (None, None), (D(2025, 5, 1), None), 5, "wave-3")]),
        ]
    )
    assert rollout.next_wave(WAVES, started) is None


def test_gantt_bars_draw_actual_progress_up_to_today():
    bars = rollout.gantt_bars(TWO_STAGES, today=D(2025, 1, 25))
    actual = bars[bars["kind"] == "actual"].set_index("stage")
    assert actual.loc["test", "end"] == pd.Timestamp(2025, 1, 25)
    assert actual.loc["design", "end"] == pd.Timestamp(2025, 1, 21)
    assert (bars["kind"] == "planned").sum() == 2
