"""Rollout progress: where each member stands, what slipped, the S-curve and the wave gate.

Every function takes the stages as a DataFrame with one row per member and stage:
``member_code, wave, stage, planned_start, planned_end, actual_start, actual_end,
percent_complete`` (dates as ``datetime.date``, ``Timestamp`` or missing), and ``today`` where the
answer depends on it, so results are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from kpi.vocabulary import STAGE_ORDER, Stage, Status

__all__ = [
    "POSITIONS",
    "positions",
    "position_counts",
    "slipped",
    "s_curve",
    "gantt_bars",
    "GateCheck",
    "Gate",
    "wave_gate",
    "next_wave",
]

#: Where a member can stand: before the first stage, in one of the five, or live.
POSITIONS: tuple[str, ...] = ("not_started", *(s.value for s in STAGE_ORDER), "live")


def _dates(stages: pd.DataFrame) -> pd.DataFrame:
    frame = stages.copy()
    for column in ("planned_start", "planned_end", "actual_start", "actual_end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["percent_complete"] = frame["percent_complete"].astype(float)
    frame["order"] = frame["stage"].map({s.value: i for i, s in enumerate(STAGE_ORDER)})
    return frame.sort_values(["member_code", "order"])


def _done(frame: pd.DataFrame) -> pd.Series:
    return frame["actual_end"].notna() | (frame["percent_complete"] >= 100)


def positions(stages: pd.DataFrame) -> pd.DataFrame:
    """Each member's position: the first stage not finished, ``live`` or ``not_started``.

    A member is ``live`` when its go-live stage is finished, and ``not_started`` while its design
    stage has no actual start.

    Examples
    --------
    >>> stages = pd.DataFrame({"member_code": "M1", "wave": "pilot",
    ...     "stage": ["design", "test", "build", "trial", "go_live"],
    ...     "planned_start": None, "planned_end": None,
    ...     "actual_start": [date(2025, 1, 1), date(2025, 2, 1), None, None, None],
    ...     "actual_end": [date(2025, 1, 31), None, None, None, None],
    ...     "percent_complete": [100, 30, 0, 0, 0]})
    >>> positions(stages).to_dict("records")
    [{'member_code': 'M1', 'wave': 'pilot', 'position': 'test'}]
    """
    frame = _dates(stages)
    frame["done"] = _done(frame)
    rows = []
    for (member, wave), own in frame.groupby(["member_code", "wave"], sort=True):
        finished = set(own.loc[own["done"], "stage"])
        first_open = next((s.value for s in STAGE_ORDER if s.value not in finished), None)
        if first_open is None or Stage.GO_LIVE.value in finished:
            position = "live"
        elif own["actual_start"].isna().all():
            position = "not_started"
        else:
            position = first_open
        rows.append({"member_code": member, "wave": wave, "position": position})
    return pd.DataFrame(rows, columns=["member_code", "wave", "position"])


def position_counts(stages: pd.DataFrame, wave_order: list[str]) -> pd.DataFrame:
    """Members per position per wave (every wave × position, zeros included)."""
    counts = positions(stages).groupby(["wave", "position"]).size()
    index = pd.MultiIndex.from_product([wave_order, POSITIONS], names=["wave", "position"])
    return counts.reindex(index, fill_value=0).rename("members").reset_index()


def slipped(stages: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """Stages behind plan on ``today``, most days late first.

    * ``overdue``: not finished, planned end passed — late by today − planned end;
    * ``late_start``: not started, planned start passed (end not yet) — today − planned start;
    * ``finished_late``: finished after the planned end — actual end − planned end.

    Examples
    --------
    >>> stages = pd.DataFrame({"member_code": ["M1", "M2"], "wave": "pilot",
    ...     "stage": "design", "planned_start": [date(2025, 1, 1)] * 2,
    ...     "planned_end": [date(2025, 1, 31)] * 2,
    ...     "actual_start": [date(2025, 1, 1), date(2025, 1, 5)],
    ...     "actual_end": [date(2025, 2, 10), None], "percent_complete": [100, 60]})
    >>> late = slipped(stages, today=date(2025, 3, 2))
    >>> late[["member_code", "kind", "days_late"]].values.tolist()
    [['M2', 'overdue', 30], ['M1', 'finished_late', 10]]
    """
    frame = _dates(stages)
    now = pd.Timestamp(today)
    done = _done(frame)
    overdue = ~done & (frame["planned_end"] < now)
    late_start = ~overdue & frame["actual_start"].isna() & (frame["planned_start"] < now)
    finished_late = done & (frame["actual_end"] > frame["planned_end"])
    frame["kind"] = np.select(
        [overdue.to_numpy(), late_start.to_numpy(), finished_late.to_numpy()],
        ["overdue", "late_start", "finished_late"],
        "",
    )
    days = {
        "overdue": (now - frame["planned_end"]).dt.days,
        "late_start": (now - frame["planned_start"]).dt.days,
        "finished_late": (frame["actual_end"] - frame["planned_end"]).dt.days,
    }
    frame["days_late"] = 0
    for kind, late in days.items():
        chosen = frame["kind"] == kind
        frame.loc[chosen, "days_late"] = late[chosen].astype(int)
    frame = frame[(frame["kind"] != "") & (frame["days_late"] > 0)]
    columns = [
        "member_code",
        "wave",
        "stage",
        "kind",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "percent_complete",
        "days_late",
    ]
    ordered = frame.sort_values(
        ["days_late", "member_code", "order"], ascending=[False, True, True]
    )
    return ordered[columns].reset_index(drop=True)


def _fraction(now: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Share of [start, end] elapsed at each ``now`` (rows) for each stage (columns), 0–1."""
    span = (end - start).astype("timedelta64[s]").astype(float)
    elapsed = (now[:, None] - start[None, :]).astype("timedelta64[s]").astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(span > 0, elapsed / span, np.where(elapsed >= 0, 1.0, 0.0))
    return np.clip(np.nan_to_num(share, nan=0.0), 0.0, 1.0)


def s_curve(stages: pd.DataFrame, *, today: date, freq: str = "W-MON") -> pd.DataFrame:
    """Planned and actual cumulative progress (0–100 %) of a set of stages over time.

    Each stage weighs its planned duration in days, so a 60-day build counts four times a
    15-day go-live. Planned progress accrues linearly from planned start to end. Actual progress
    accrues linearly from actual start to actual end; a stage in progress reaches its percent
    complete on ``today``. Actual progress is unknown after ``today`` (NaN there).

    Returns ``day, planned, actual`` at each ``freq`` step, plus the first day, ``today`` and
    the last planned end.

    Examples
    --------
    >>> stages = pd.DataFrame({"member_code": "M1", "wave": "pilot", "stage": "design",
    ...     "planned_start": [date(2025, 1, 1)], "planned_end": [date(2025, 1, 11)],
    ...     "actual_start": [date(2025, 1, 1)], "actual_end": [None], "percent_complete": [50]})
    >>> curve = s_curve(stages, today=date(2025, 1, 11))
    >>> curve[curve["day"] == pd.Timestamp(2025, 1, 11)][["planned", "actual"]].values.tolist()
    [[100.0, 50.0]]
    """
    frame = _dates(stages).dropna(subset=["planned_start", "planned_end"])
    if frame.empty:
        return pd.DataFrame(columns=["day", "planned", "actual"])
    now = pd.Timestamp(today)
    first = frame["planned_start"].min()
    last = pd.concat([frame["planned_end"], frame["actual_end"]]).max()
    days = pd.date_range(first, last, freq=freq).union(pd.DatetimeIndex([first, last]))
    if first <= now <= last:
        days = days.union(pd.DatetimeIndex([now]))
    grid = days.to_numpy()
    weight = (frame["planned_end"] - frame["planned_start"]).dt.days.clip(lower=1).to_numpy()
    planned = _fraction(grid, frame["planned_start"].to_numpy(), frame["planned_end"].to_numpy())
    started = frame["actual_start"].notna().to_numpy()
    finished = frame["actual_end"].notna().to_numpy()
    start = frame["actual_start"].fillna(now).to_numpy()
    end = frame["actual_end"].fillna(now).to_numpy()
    reached = np.where(finished, 1.0, frame["percent_complete"].to_numpy() / 100)
    actual = _fraction(grid, start, end) * (reached * started)[None, :]
    total = weight.sum()
    curve = pd.DataFrame(
        {
            "day": days,
            "planned": planned @ weight / total * 100,
            "actual": actual @ weight / total * 100,
        }
    )
    curve.loc[curve["day"] > now, "actual"] = np.nan
    return curve


def gantt_bars(stages: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """Bars for a Gantt chart: ``member_code, wave, stage, kind (planned|actual), start, end``.

    A stage in progress draws its actual bar up to ``today``; a stage not started has no
    actual bar.
    """
    frame = _dates(stages)
    planned = frame.assign(kind="planned", start=frame["planned_start"], end=frame["planned_end"])
    actual = frame[frame["actual_start"].notna()]
    actual = actual.assign(
        kind="actual",
        start=actual["actual_start"],
        end=actual["actual_end"].fillna(pd.Timestamp(today)),
    )
    bars = pd.concat([planned, actual], ignore_index=True).dropna(subset=["start", "end"])
    columns = ["member_code", "wave", "stage", "kind", "start", "end", "percent_complete"]
    return bars[columns].reset_index(drop=True)


@dataclass(frozen=True)
class GateCheck:
    """One condition of a wave gate: ``count`` of ``total`` against a required share."""

    name: str  #: ``pilot_kpis_green`` or ``previous_wave_live``
    count: int
    total: int
    required: float | None  #: ``None``: the program office set no threshold
    without_data: int = 0  #: KPIs with no value in the period, counted as not green

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def passed(self) -> bool:
        if self.required is None:
            return True
        return self.share is not None and self.share >= self.required - 1e-9


@dataclass(frozen=True)
class Gate:
    """Whether ``wave`` may start: every check with a threshold must pass."""

    wave: str
    pilot_wave: str
    previous_wave: str
    checks: tuple[GateCheck, ...]

    @property
    def may_start(self) -> bool:
        return all(check.passed for check in self.checks)


def wave_gate(
    wave: str,
    *,
    waves: pd.DataFrame,
    members: pd.DataFrame,
    stages: pd.DataFrame,
    statuses: pd.DataFrame,
) -> Gate:
    """The gate before ``wave``: pilot KPIs green and the previous wave's members live.

    Parameters
    ----------
    wave
        Code of the wave about to start (not the pilot).
    waves
        ``code, sequence, gate_green_share, gate_live_share`` (shares 0–1 or missing).
    members
        ``member_code, wave``: who is in which wave.
    stages
        The rollout stages (see the module), for who is live.
    statuses
        ``member_code, kpi_code, status`` of the KPIs in the period judged; the rows of pilot
        members count. A KPI without a value (``grey``) counts as not green.

    Examples
    --------
    >>> waves = pd.DataFrame({"code": ["pilot", "wave-2"], "sequence": [1, 2],
    ...     "gate_green_share": [None, 0.6], "gate_live_share": [None, 1.0]})
    >>> members = pd.DataFrame({"member_code": ["M1", "M2"], "wave": ["pilot", "wave-2"]})
    >>> statuses = pd.DataFrame({"member_code": "M1", "kpi_code": list("ABCDE"),
    ...     "status": ["green", "green", "green", "amber", "grey"]})
    >>> stages = pd.DataFrame({"member_code": "M1", "wave": "pilot", "stage": ["go_live"],
    ...     "planned_start": None, "planned_end": None, "actual_start": [date(2025, 1, 1)],
    ...     "actual_end": [date(2025, 1, 9)], "percent_complete": [100]})
    >>> gate = wave_gate("wave-2", waves=waves, members=members, stages=stages,
    ...     statuses=statuses)
    >>> [(c.name, c.count, c.total, c.passed) for c in gate.checks], gate.may_start
    ([('pilot_kpis_green', 3, 5, True), ('previous_wave_live', 1, 1, True)], True)
    """
    ordered = waves.sort_values("sequence").reset_index(drop=True)
    codes = ordered["code"].tolist()
    if wave not in codes:
        raise ValueError(f"no wave {wave!r}; waves are {', '.join(codes)}")
    position = codes.index(wave)
    if position == 0:
        raise ValueError(f"{wave} is the first wave (the pilot); it has no gate")
    settings = ordered.iloc[position]
    pilot, previous = codes[0], codes[position - 1]
    pilot_members = set(members.loc[members["wave"] == pilot, "member_code"])
    pilot_kpis = statuses[statuses["member_code"].isin(pilot_members)]
    green = int((pilot_kpis["status"] == Status.GREEN).sum())
    without_data = int((pilot_kpis["status"] == Status.GREY).sum())
    previous_members = set(members.loc[members["wave"] == previous, "member_code"])
    standing = positions(stages[stages["member_code"].isin(previous_members)])
    live = int((standing["position"] == "live").sum())
    return Gate(
        wave=wave,
        pilot_wave=pilot,
        previous_wave=previous,
        checks=(
            GateCheck(
                "pilot_kpis_green",
                green,
                len(pilot_kpis),
                _share(settings["gate_green_share"]),
                without_data,
            ),
            GateCheck(
                "previous_wave_live",
                live,
                len(previous_members),
                _share(settings["gate_live_share"]),
            ),
        ),
    )


def _share(value: float | None) -> float | None:
    return None if value is None or value != value else float(value)


def next_wave(waves: pd.DataFrame, stages: pd.DataFrame) -> str | None:
    """The first wave after the pilot none of whose members has started a stage, if any.

    Examples
    --------
    >>> waves = pd.DataFrame({"code": ["pilot", "wave-2"], "sequence": [1, 2]})
    >>> stages = pd.DataFrame({"wave": ["pilot", "wave-2"],
    ...     "actual_start": [date(2025, 1, 1), None]})
    >>> next_wave(waves, stages)
    'wave-2'
    """
    started = set(stages.loc[stages["actual_start"].notna(), "wave"])
    for code in waves.sort_values("sequence")["code"].tolist()[1:]:
        if code not in started:
            return str(code)
    return None
