"""Folding a KPI's reported values into the period a scorecard is read for.

A KPI reports monthly, quarterly or yearly (its *units*). For a period at least as long as a
unit, the units inside it fold by the KPI's aggregation (sum, mean, last, min, max); targets,
amber thresholds and floors fold the same way, so a monthly ``sum`` KPI's quarterly target is
the sum of its three monthly targets (each with its per-period override, if any). Only units
with a value take part — a missing month is left out of both the value and the target, never
counted as zero — and the share of units present is the KPI's *coverage*. A value reported for
the whole period at once (a quarter's figure for a monthly KPI) is used as it is.

For a period shorter than a unit (a month's scorecard of a quarterly KPI) the latest unit that
ended by the period's end stands in, under its own label.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kpi.scoring.calendar import Period, unit_labels
from kpi.scoring.data import ScoringData
from kpi.vocabulary import Aggregation

__all__ = ["unit_grid", "fold", "fold_units", "take"]

_UNIT_LENGTHS = (1, 3, 12)


def take(values: np.ndarray, position: np.ndarray) -> np.ndarray:
    """``values`` at ``position``, NaN where the position is −1 (also when there are none).

    Examples
    --------
    >>> take(np.array([1.0, 2.0]), np.array([1, -1])).tolist(), take(np.array([]), np.array([-1]))
    ([2.0, nan], array([nan]))
    """
    if len(values) == 0:
        return np.full(len(position), np.nan)
    return np.where(position >= 0, values[np.maximum(position, 0)], np.nan)


def _units_in(period: Period, months: int, *, containing: bool) -> tuple[list[int], bool]:
    """Start months of the units of ``months`` months inside ``period``; when none fits, the
    latest unit ending by the period's end — or, with ``containing``, the unit containing the
    period's last month — and ``True``: that unit stands in for the period."""
    first = -(-period.first // months) * months
    starts = list(range(first, period.last - months + 2, months))
    if starts:
        return starts, False
    if containing:
        return [period.last // months * months], True
    return [(period.last + 1) // months * months - months], True


def _unit_table(periods: Sequence[Period], *, containing: bool) -> pd.DataFrame:
    rows: list[tuple[int, int, int, int, bool]] = []
    for number, period in enumerate(periods):
        for months in _UNIT_LENGTHS:
            starts, as_of = _units_in(period, months, containing=containing)
            rows.extend((number, months, start, len(starts), as_of) for start in starts)
    return pd.DataFrame(rows, columns=["period_no", "unit_months", "start", "expected", "as_of"])


def unit_grid(
    data: ScoringData, periods: Sequence[Period], *, containing: bool = False
) -> pd.DataFrame:
    """Every unit each pair should report in each period, with its value and target.

    Columns: ``period_no`` (position in ``periods``), ``pair``, ``start``, ``unit_months``,
    ``expected`` (units in the period), ``as_of`` (a unit standing in for a period shorter than
    it: the latest ended by the period's end, or with ``containing`` the one containing it),
    ``value`` (NaN when not reported), ``target`` (after overrides) and ``target_set``.
    """
    units = _unit_table(periods, containing=containing)
    pairs = data.pairs[["unit_months"]].reset_index()
    grid = pairs.merge(units, on="unit_months", sort=False)
    grid = grid.sort_values(["period_no", "pair", "start"], kind="stable", ignore_index=True)
    pair = grid["pair"].to_numpy(dtype=np.int64)
    start = grid["start"].to_numpy(dtype=np.int64)

    native = data.native
    origin = int(min(start.min(initial=0), native["start"].min() if len(native) else 0))
    span = int(max(start.max(initial=0), native["start"].max() if len(native) else 0)) - origin + 1
    found = pd.Index(native["pair"].to_numpy() * span + (native["start"].to_numpy() - origin))
    position = found.get_indexer(pair * span + (start - origin))
    grid["value"] = take(native["value"].to_numpy(dtype=np.float64), position)

    target = data.pairs["target"].to_numpy()[pair]
    overridden = np.zeros(len(grid), dtype=bool)
    for override, match in _overrides(data, grid, origin, span):
        target = np.where(match, override, target)
        overridden |= match
    grid["target"] = target
    grid["target_set"] = overridden
    return grid


def _overrides(
    data: ScoringData, grid: pd.DataFrame, origin: int, span: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Programme-wide overrides, then member ones (which win): (values, where they apply)."""
    targets = data.targets
    targets = targets[(targets["start"] >= origin) & (targets["start"] < origin + span)]
    start = grid["start"].to_numpy(dtype=np.int64) - origin
    programme = targets[targets["member"].isna()].drop_duplicates(["kpi", "start"], keep="last")
    members = targets[targets["member"].notna()].drop_duplicates(
        ["kpi", "member", "start"], keep="last"
    )
    pair = grid["pair"].to_numpy()
    kpi_of_row = data.kpi_position(data.pairs["kpi"])[pair]
    member_pair = data.pair_of(members["member"], members["kpi"])
    lookups = [
        (data.kpi_position(programme["kpi"]), programme, kpi_of_row),
        (member_pair, members, pair),
    ]
    result = []
    for owner, rows, row_owner in lookups:
        known = owner >= 0
        if not known.any():
            continue
        keys = pd.Index(owner[known] * span + (rows["start"].to_numpy()[known] - origin))
        found = keys.get_indexer(row_owner * span + start)
        values = rows["target"].to_numpy(dtype=np.float64)[known]
        result.append((take(values, found), found >= 0))
    return result


def fold_units(units: pd.DataFrame, aggregation: np.ndarray, column: str) -> pd.Series:
    """Fold ``column`` of unit rows (sorted by start within ``group``) by each row's aggregation.

    Returns one value per ``group``; groups whose rows are all missing get NaN.
    """
    folded = []
    for name in Aggregation:
        rows = units.loc[aggregation == name.value, ["group", column]]
        if rows.empty:
            continue
        grouped = rows.groupby("group", sort=False)[column]
        if name is Aggregation.SUM:
            folded.append(grouped.sum(min_count=1))
        elif name is Aggregation.LAST:
            folded.append(grouped.last())
        else:
            folded.append(getattr(grouped, name.value)())
    if not folded:
        return pd.Series(dtype="float64")
    return pd.concat(folded)


def fold(data: ScoringData, periods: Sequence[Period]) -> pd.DataFrame:
    """One row per period × member × KPI in scope with the folded value and thresholds.

    Columns: ``period`` (label), ``member``, ``kpi``, the catalogue columns, ``value_period``
    (the label of what the value stands for: the period, or the unit standing in for it),
    ``value``, ``direct`` (reported for the whole period at once), the folded thresholds,
    ``target_set``, ``units`` (units with a value), ``units_expected``, ``coverage`` (their
    share) and ``period_target`` (the target of the whole period, all units counted).
    """
    grid = unit_grid(data, periods)
    pairs = data.pairs
    n_pairs = max(len(pairs), 1)
    grid["group"] = grid["period_no"].to_numpy() * n_pairs + grid["pair"].to_numpy()
    aggregation = pairs["aggregation"].to_numpy()[grid["pair"].to_numpy()]
    present = grid["value"].notna().to_numpy()

    groups = grid.drop_duplicates("group")[["group", "period_no", "pair", "expected", "as_of"]]
    groups = groups.set_index("group")
    groups["value"] = fold_units(grid[present], aggregation[present], "value")
    groups["present_target"] = fold_units(grid[present], aggregation[present], "target")
    groups["period_target"] = fold_units(grid, aggregation, "target")
    groups["units"] = grid[present].groupby("group", sort=False).size()
    groups["units"] = groups["units"].fillna(0).astype("int64")
    groups["target_set"] = grid[present].groupby("group", sort=False)["target_set"].any()
    groups["target_set"] = groups["target_set"].astype("boolean").fillna(False).astype(bool)
    first_start = grid.groupby("group", sort=False)["start"].first()
    groups["unit_start"] = first_start

    frame = groups.reset_index(drop=True)
    catalogue = pairs.iloc[frame["pair"].to_numpy()].reset_index(drop=True)
    frame = pd.concat([frame, catalogue], axis=1)
    _apply_coarse(frame, data, periods)
    frame = _fold_thresholds(frame)
    frame["period"] = np.array([p.label for p in periods], dtype=object)[frame["period_no"]]
    as_of = frame["as_of"].to_numpy(dtype=bool)
    frame["value_period"] = frame["period"]
    frame.loc[as_of, "value_period"] = unit_labels(
        frame.loc[as_of, "unit_start"], frame.loc[as_of, "unit_months"]
    )
    return frame.drop(columns=["unit_start"])


def _apply_coarse(frame: pd.DataFrame, data: ScoringData, periods: Sequence[Period]) -> None:
    """Values reported for exactly the period as a whole replace the folded ones."""
    frame["direct"] = False
    coarse = data.coarse
    if coarse.empty:
        return
    first = np.array([p.first for p in periods])[frame["period_no"]]
    granularity = np.array([p.granularity or 0 for p in periods])[frame["period_no"]]
    key = coarse["pair"].to_numpy() * 10**6 + coarse["start"].to_numpy() * 13 + coarse["months"]
    found = pd.Index(key).get_indexer(frame["pair"].to_numpy() * 10**6 + first * 13 + granularity)
    direct = (found >= 0) & ~frame["as_of"].to_numpy(dtype=bool)
    frame.loc[direct, "value"] = coarse["value"].to_numpy()[found[direct]]
    frame.loc[direct, "units"] = frame.loc[direct, "expected"]
    frame.loc[direct, "present_target"] = frame.loc[direct, "period_target"]
    frame["direct"] = direct


def _fold_thresholds(frame: pd.DataFrame) -> pd.DataFrame:
    """Thresholds fold like values: a sum KPI's amber and floor scale with the units counted."""
    has_value = frame["value"].notna()
    counted = frame["units"].where(has_value, frame["expected"]).astype("float64")
    scale = np.where(frame["aggregation"].eq(Aggregation.SUM.value), counted, 1.0)
    frame["target"] = frame["present_target"].where(has_value, frame["period_target"])
    for column in ("amber", "floor", "band_low", "band_high", "band_tolerance"):
        frame[column] = frame[column] * scale
    frame["units_expected"] = frame["expected"].astype("int64")
    frame["coverage"] = np.where(has_value, frame["units"] / frame["units_expected"], 0.0)
    return frame.drop(columns=["present_target", "expected"])
