"""Comparing scores: movers between two periods, and anonymised peer benchmarks.

A peer benchmark never names a peer: it gives a member its percentile among the members with a
value, its quartile band and the peers' quartiles, and only when at least :data:`MIN_PEERS`
members have a value (below that a quartile could give a single peer's figure away).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from kpi.scoring.assess import band_distance, polarity_sign
from kpi.vocabulary import Polarity

__all__ = ["MIN_PEERS", "QuartileBand", "movers", "goodness", "peer_ranks", "peer_quartiles"]

MIN_PEERS = 5


class QuartileBand(StrEnum):
    TOP = "top_quartile"
    SECOND = "second_quartile"
    THIRD = "third_quartile"
    BOTTOM = "bottom_quartile"


def movers(
    current: pd.DataFrame, previous: pd.DataFrame, *, key: str, limit: int = 5
) -> pd.DataFrame:
    """The rows of ``current`` whose ``score`` moved most since ``previous`` (matched on
    ``key``): ``previous_score`` and ``change`` added, largest absolute change first; rows
    without a score in either period are left out.

    Examples
    --------
    >>> now = pd.DataFrame({"code": ["A", "B", "C"], "score": [80.0, 50.0, None]})
    >>> before = pd.DataFrame({"code": ["A", "B", "C"], "score": [70.0, 65.0, 40.0]})
    >>> movers(now, before, key="code")[["code", "change"]].values.tolist()
    [['B', -15.0], ['A', 10.0]]
    """
    before = previous.set_index(key)["score"].rename("previous_score")
    frame = current.join(before, on=key)
    frame["change"] = frame["score"] - frame["previous_score"]
    frame = frame[frame["change"].notna()]
    order = frame["change"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].head(limit).reset_index(drop=True)


def goodness(frame: pd.DataFrame) -> pd.Series:
    """A value on a scale where more is always better: the value, its negative for
    lower-is-better KPIs, the negative distance outside the band for in-band ones."""
    sign = polarity_sign(frame["polarity"])
    distance = band_distance(frame["value"], frame["band_low"], frame["band_high"])
    in_band = frame["polarity"].eq(Polarity.IN_BAND.value)
    return (-distance).where(in_band, sign * frame["value"])


def peer_ranks(frame: pd.DataFrame, *, group: str, by: str = "goodness") -> pd.DataFrame:
    """Percentile (0–100: the share of peers a member beats, ties counting half), quartile band
    and number of members with a value, per row of ``frame`` within its ``group``.

    Rows without a value get no percentile; groups with fewer than :data:`MIN_PEERS` members
    with a value get none either.

    Examples
    --------
    >>> rows = pd.DataFrame({"kpi": ["K"] * 5, "goodness": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> peer_ranks(rows, group="kpi")[["percentile", "band"]].values.tolist()[::2]
    [[0.0, 'bottom_quartile'], [50.0, 'second_quartile'], [100.0, 'top_quartile']]
    """
    values = frame[by]
    counted = values.notna().groupby(frame[group]).transform("sum")
    rank = values.groupby(frame[group]).rank(method="average")
    percentile = (rank - 1) / (counted - 1).where(counted > 1) * 100
    percentile = percentile.where(counted >= MIN_PEERS)
    band = np.select(  # type: ignore[call-overload]
        [percentile >= 75, percentile >= 50, percentile >= 25, percentile.notna()],
        [
            QuartileBand.TOP.value,
            QuartileBand.SECOND.value,
            QuartileBand.THIRD.value,
            QuartileBand.BOTTOM.value,
        ],
        default=None,
    )
    return pd.DataFrame(
        {
            "percentile": percentile,
            "band": pd.Series(band, index=frame.index, dtype=object),
            "peers": counted.astype("int64"),
        },
        index=frame.index,
    )


def peer_quartiles(frame: pd.DataFrame, *, group: str, column: str) -> pd.DataFrame:
    """Per ``group``: ``peers`` (rows with a value), ``p25``, ``median``, ``p75`` of
    ``column`` — NaN when fewer than :data:`MIN_PEERS` have one.

    Examples
    --------
    >>> rows = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 2, "score": [1.0, 2, 3, 4, 5, 9, 9]})
    >>> peer_quartiles(rows, group="g", column="score")["median"].tolist()
    [3.0, nan]
    """
    grouped = frame.groupby(group, sort=False)[column]
    result = pd.DataFrame(
        {
            "peers": grouped.count(),
            "p25": grouped.quantile(0.25),
            "median": grouped.median(),
            "p75": grouped.quantile(0.75),
        }
    )
    enough = result["peers"] >= MIN_PEERS
    for column_name in ("p25", "median", "p75"):
        result[column_name] = result[column_name].where(enough)
    return result.reset_index()
