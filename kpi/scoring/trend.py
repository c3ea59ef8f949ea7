"""Trends and forecasts of KPIs, for every member at once.

*Trend*: an ordinary least-squares line through a KPI's last ``window`` reported units (months,
quarters or years) up to the period's end. Its slope is judged by polarity — rising is good for
``higher_is_better``, falling for ``lower_is_better``, and for ``in_band`` KPIs moving towards
the band — and called *improving* or *worsening* when the line moves by more than
:data:`STEADY_SHARE` of the KPI's floor-to-target range (twice the tolerance for bands) across the
window, *steady* otherwise; with fewer than three points there is no trend.

*Forecast*: the same line projects the units of the forecast period (the period itself; the
whole year for a year to date) that have no value yet; they fold with the reported ones into the
period's value, with an 80 % prediction interval. The target *will* be met when even the
pessimistic end of the interval meets it, *will not* when even the optimistic end misses it,
and it is *unclear* otherwise or when there is too little history to project.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import stats

from kpi.scoring.assess import band_distance, polarity_sign
from kpi.scoring.calendar import Period, unit_labels
from kpi.scoring.data import ScoringData
from kpi.scoring.folding import fold_units, unit_grid
from kpi.vocabulary import Aggregation, Polarity

__all__ = [
    "Trend",
    "Outlook",
    "STEADY_SHARE",
    "MIN_POINTS",
    "fit_lines",
    "trends",
    "projection",
    "forecasts",
]

STEADY_SHARE = 0.05
MIN_POINTS = 3
_CONFIDENCE = 0.80


class Trend(StrEnum):
    IMPROVING = "improving"
    STEADY = "steady"
    WORSENING = "worsening"


class Outlook(StrEnum):
    """Whether the forecast period will meet its target."""

    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"


def _window(data: ScoringData, period: Period, window: int) -> pd.DataFrame:
    """The last ``window`` units of each pair that ended by the period's end."""
    native = data.native
    unit = data.pairs["unit_months"].to_numpy()[native["pair"].to_numpy()]
    ended = native[native["start"].to_numpy() + unit - 1 <= period.last]
    recent = ended.groupby("pair", sort=False).cumcount(ascending=False) < window
    history = ended[recent.to_numpy()].copy()
    history["x"] = history["start"] / data.pairs["unit_months"].to_numpy()[history["pair"]]
    return history


def fit_lines(history: pd.DataFrame, column: str = "value") -> pd.DataFrame:
    """Least-squares line of ``column`` against ``x`` per ``pair``.

    Returns, per pair: ``points``, ``slope`` (per unit), ``intercept``, ``x_mean``, ``sxx``,
    ``sigma`` (residual standard deviation; NaN below three points).

    Examples
    --------
    >>> rows = pd.DataFrame({"pair": [0, 0, 0], "x": [1.0, 2.0, 3.0], "value": [2.0, 4.0, 6.0]})
    >>> fit_lines(rows)[["points", "slope", "intercept"]].to_dict("records")
    [{'points': 3, 'slope': 2.0, 'intercept': 0.0}]
    """
    x = history["x"].astype("float64")
    y = history[column].astype("float64")
    frame = pd.DataFrame({"pair": history["pair"], "x": x, "y": y, "xx": x * x, "xy": x * y})
    frame["yy"] = y * y
    sums = frame.groupby("pair", sort=True).agg(
        points=("x", "size"),
        sx=("x", "sum"),
        sy=("y", "sum"),
        sxx_raw=("xx", "sum"),
        sxy_raw=("xy", "sum"),
        syy_raw=("yy", "sum"),
    )
    n = sums["points"].astype("float64")
    sxx = sums["sxx_raw"] - sums["sx"] ** 2 / n
    sxy = sums["sxy_raw"] - sums["sx"] * sums["sy"] / n
    syy = sums["syy_raw"] - sums["sy"] ** 2 / n
    slope = (sxy / sxx.where(sxx > 0)).where(n >= 2)
    x_mean = sums["sx"] / n
    intercept = sums["sy"] / n - slope * x_mean
    residual = (syy - slope * sxy).clip(lower=0)
    sigma = np.sqrt(residual / (n - 2).where(n > 2))
    return pd.DataFrame(
        {
            "points": sums["points"],
            "slope": slope,
            "intercept": intercept,
            "x_mean": x_mean,
            "sxx": sxx,
            "sigma": sigma,
        }
    )


def trends(data: ScoringData, period: Period, *, window: int = 6) -> pd.DataFrame:
    """Per pair: ``trend_points``, ``slope`` (value per unit) and ``trend`` (a :class:`Trend`
    value, or None with fewer than :data:`MIN_POINTS` points)."""
    history = _window(data, period, window)
    pairs = data.pairs
    kind = pairs["polarity"].to_numpy()[history["pair"]]
    distance = band_distance(
        history["value"],
        pd.Series(pairs["band_low"].to_numpy()[history["pair"]], index=history.index),
        pd.Series(pairs["band_high"].to_numpy()[history["pair"]], index=history.index),
    )
    sign = polarity_sign(pd.Series(kind, index=history.index))
    history["judged"] = np.where(kind == Polarity.IN_BAND.value, -distance, sign * history["value"])
    raw = fit_lines(history)
    judged = fit_lines(history, "judged")
    scale = np.where(
        pairs["polarity"].eq(Polarity.IN_BAND.value),
        2 * pairs["band_tolerance"],
        (pairs["target"] - pairs["floor"]).abs(),
    )
    result = pd.DataFrame(index=pairs.index)
    result["trend_points"] = raw["points"].reindex(pairs.index).fillna(0).astype("int64")
    result["slope"] = raw["slope"].reindex(pairs.index)
    change = judged["slope"].reindex(pairs.index) * (result["trend_points"] - 1)
    relative = change / pd.Series(scale, index=pairs.index).where(lambda s: s > 0)
    label = np.select(
        [relative > STEADY_SHARE, relative < -STEADY_SHARE],
        [Trend.IMPROVING.value, Trend.WORSENING.value],
        default=Trend.STEADY.value,
    )
    enough = (result["trend_points"] >= MIN_POINTS) & relative.notna()
    result["trend"] = pd.Series(label, index=pairs.index, dtype=object).where(enough, None)
    return result


def projection(data: ScoringData, period: Period, *, window: int = 6) -> pd.DataFrame:
    """The units of each pair's forecast period with the reported value where there is one
    (up to the period's end) and the line's projection elsewhere.

    Columns: ``pair``, ``start``, ``unit_months``, ``as_of``, ``target``, ``value``,
    ``predicted`` (the value, else the projection), ``predicted_low`` and ``predicted_high``
    (80 % prediction interval). Without :data:`MIN_POINTS` points there is no projection.
    """
    line = fit_lines(_window(data, period, window)).reindex(data.pairs.index)
    grid = unit_grid(data, [period.horizon()], containing=True)
    grid.loc[grid["start"] > period.last, "value"] = np.nan
    x = grid["start"] / grid["unit_months"]
    fitted = line.iloc[grid["pair"].to_numpy()].reset_index(drop=True)
    points = fitted["points"].to_numpy()
    spread = fitted["sigma"] * np.sqrt(
        1 + 1 / points + (x - fitted["x_mean"]) ** 2 / fitted["sxx"].where(fitted["sxx"] > 0)
    )
    quantile = stats.t.ppf(0.5 + _CONFIDENCE / 2, np.maximum(points - 2, 1))
    predicted = (fitted["intercept"] + fitted["slope"] * x).where(points >= MIN_POINTS)
    observed = grid["value"]
    grid["predicted"] = observed.fillna(predicted)
    grid["predicted_low"] = observed.fillna(predicted - quantile * spread)
    grid["predicted_high"] = observed.fillna(predicted + quantile * spread)
    columns = ["pair", "start", "unit_months", "as_of", "target", "value", "predicted"]
    return grid[[*columns, "predicted_low", "predicted_high"]]


def forecasts(data: ScoringData, period: Period, *, window: int = 6) -> pd.DataFrame:
    """Per pair: ``forecast_period`` (label), ``forecast`` with ``forecast_low`` and
    ``forecast_high`` (80 % interval), ``forecast_target``, ``forecast_projected`` (units without
    a value, projected) and ``will_meet`` (an :class:`Outlook` value)."""
    pairs = data.pairs
    horizon = period.horizon()
    grid = projection(data, period, window=window)
    grid["group"] = grid["pair"]
    aggregation = pairs["aggregation"].to_numpy()[grid["pair"].to_numpy()]

    result = pd.DataFrame(index=pairs.index)
    first = grid.groupby("group", sort=False)[["start", "as_of"]].first().reindex(pairs.index)
    as_of = first["as_of"].astype(bool)
    result["forecast_period"] = unit_labels(
        first["start"].where(as_of, horizon.first).astype("int64"),
        pairs["unit_months"].where(as_of, horizon.months),
    )
    complete = grid["predicted"].notna().groupby(grid["group"]).all().reindex(pairs.index)
    complete = complete.astype("boolean").fillna(False).astype(bool)
    for column, source in (
        ("forecast", "predicted"),
        ("forecast_low", "predicted_low"),
        ("forecast_high", "predicted_high"),
    ):
        result[column] = fold_units(grid, aggregation, source).reindex(pairs.index).where(complete)
    result["forecast_target"] = fold_units(grid, aggregation, "target").reindex(pairs.index)
    projected = grid["value"].isna().groupby(grid["group"]).sum()
    result["forecast_projected"] = projected.reindex(pairs.index).fillna(0).astype("int64")
    units = grid.groupby("group", sort=False).size().reindex(pairs.index)
    scale = np.where(pairs["aggregation"].eq(Aggregation.SUM.value), units, 1.0)
    thresholds = pairs[["polarity"]].assign(
        target=result["forecast_target"],
        band_low=pairs["band_low"] * scale,
        band_high=pairs["band_high"] * scale,
    )
    result["will_meet"] = _outlook(thresholds, result)
    return result


def _outlook(thresholds: pd.DataFrame, result: pd.DataFrame) -> pd.Series:
    low, high = result["forecast_low"], result["forecast_high"]
    target = thresholds["target"]
    band_low, band_high = thresholds["band_low"], thresholds["band_high"]
    polarity = thresholds["polarity"]
    higher = polarity.eq(Polarity.HIGHER_IS_BETTER.value)
    lower = polarity.eq(Polarity.LOWER_IS_BETTER.value)
    will = np.select(
        [higher, lower], [low >= target, high <= target], (low >= band_low) & (high <= band_high)
    )
    will_not = np.select(
        [higher, lower], [high < target, low > target], (high < band_low) | (low > band_high)
    )
    known = result["forecast"].notna().to_numpy()
    outlook = np.select(
        [known & will, known & will_not],
        [Outlook.YES.value, Outlook.NO.value],
        default=Outlook.UNCLEAR.value,
    )
    return pd.Series(outlook, index=result.index, dtype=object)
