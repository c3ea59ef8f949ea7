"""Status and 0–100 score of KPI values against their thresholds (DESIGN.md §4).

* ``higher_is_better``: green when ``value ≥ target``, amber when ``value ≥ amber``, else red;
  the score runs linearly from the floor (0) to the target (100), clamped.
* ``lower_is_better``: the mirror image (green when ``value ≤ target``, …).
* ``in_band``: green inside ``[band_low, band_high]`` (score 100); outside it, at a distance
  ``d`` from the band, amber while ``d ≤ tolerance`` and red beyond, scoring
  ``100 × max(0, 1 − d / (2 × tolerance))`` so that the amber zone scores 50–100.
* No value: status grey and no score (``NaN``) — missing data is never zero.

Everything works on whole columns at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpi.vocabulary import Polarity, Status

__all__ = ["THRESHOLD_COLUMNS", "assess", "meets_target", "band_distance", "polarity_sign"]

#: The threshold columns a KPI row carries; they fold over periods like the values do.
THRESHOLD_COLUMNS = ("target", "amber", "floor", "band_low", "band_high", "band_tolerance")


def band_distance(value: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    """How far each value lies outside its band (0 inside, NaN without a value)."""
    below = (low - value).clip(lower=0)
    above = (value - high).clip(lower=0)
    return below.where(below > 0, above)


def polarity_sign(polarity: pd.Series) -> pd.Series:
    """+1 where higher values are better, −1 where lower are, 0 for in-band KPIs."""
    return polarity.map(
        {Polarity.HIGHER_IS_BETTER.value: 1.0, Polarity.LOWER_IS_BETTER.value: -1.0}
    )


def meets_target(frame: pd.DataFrame, value: pd.Series) -> pd.Series:
    """Whether ``value`` meets each row's target (inside the band for in-band KPIs).

    ``frame`` carries ``polarity`` and the threshold columns; the result is a nullable boolean,
    missing where the value is.
    """
    polarity = frame["polarity"]
    higher = value >= frame["target"]
    lower = value <= frame["target"]
    inside = (value >= frame["band_low"]) & (value <= frame["band_high"])
    met = np.select(
        [
            polarity.eq(Polarity.HIGHER_IS_BETTER.value),
            polarity.eq(Polarity.LOWER_IS_BETTER.value),
        ],
        [higher, lower],
        default=inside,
    )
    return pd.Series(met, index=frame.index, dtype="boolean").mask(value.isna())


def assess(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``score`` (0–100, NaN without a value) and ``status`` to rows of KPI values.

    ``frame`` has ``polarity``, ``value`` and the :data:`THRESHOLD_COLUMNS`.

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "polarity": ["higher_is_better", "lower_is_better", "in_band", "higher_is_better"],
    ...     "value": [93.1, 14.0, 80.0, None],
    ...     "target": [99.0, 12.0, None, 99.0], "amber": [95.0, 15.0, None, 95.0],
    ...     "floor": [80.0, 25.0, None, 80.0],
    ...     "band_low": [None, None, 40.0, None], "band_high": [None, None, 75.0, None],
    ...     "band_tolerance": [None, None, 10.0, None]})
    >>> assessed = assess(rows)
    >>> assessed["status"].tolist()
    ['red', 'amber', 'amber', 'grey']
    >>> assessed["score"].round(1).tolist()
    [68.9, 84.6, 75.0, nan]
    """
    numbers = frame[["value", *THRESHOLD_COLUMNS]].astype("float64")
    value = numbers["value"]
    polarity = frame["polarity"]
    target, amber, floor = (numbers[c] for c in ("target", "amber", "floor"))
    low, high, tolerance = (numbers[c] for c in ("band_low", "band_high", "band_tolerance"))
    higher = polarity.eq(Polarity.HIGHER_IS_BETTER.value).to_numpy()
    lower = polarity.eq(Polarity.LOWER_IS_BETTER.value).to_numpy()
    present = value.notna().to_numpy()

    span = (target - floor).where(higher, floor - target)
    gained = (value - floor).where(higher, floor - value)
    linear = (gained / span.where(span > 0) * 100).clip(0, 100)
    met = meets_target(numbers.assign(polarity=polarity), value).fillna(False).to_numpy(dtype=bool)
    # A target override may fall on or beyond the floor; the scale then collapses to met / not met.
    linear = linear.where(span > 0, np.where(met, 100.0, 0.0))
    distance = band_distance(value, low, high)
    in_band = (100 * (1 - distance / (2 * tolerance))).clip(lower=0)
    score = np.where(higher | lower, linear, in_band)

    amber_met = np.where(higher, value >= amber, np.where(lower, value <= amber, False))
    within_tolerance = (distance <= tolerance).to_numpy()
    status = np.select(
        [~present, met, (higher | lower) & amber_met, ~(higher | lower) & within_tolerance],
        [Status.GREY.value, Status.GREEN.value, Status.AMBER.value, Status.AMBER.value],
        default=Status.RED.value,
    )
    result = frame.copy()
    result["score"] = np.where(present, score, np.nan)
    result["status"] = status.astype(object)
    return result
