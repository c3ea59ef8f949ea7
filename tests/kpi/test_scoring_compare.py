"""Movers between periods and anonymised peer ranks."""

from __future__ import annotations

import pandas as pd
import pytest

from kpi.scoring.compare import MIN_PEERS, goodness, movers, peer_quartiles, peer_ranks


def test_movers_are_ordered_by_the_size_of_the_change():
    now = pd.DataFrame({"code": ["A", "B", "C", "D"], "score": [50.0, 70.0, 90.0, None]})
    before = pd.DataFrame({"code": ["A", "B", "C", "D"], "score": [60.0, 71.0, 70.0, 50.0]})
    moved = movers(now, before, key="code", limit=2)
    assert moved[["code", "change"]].values.tolist() == [["C", 20.0], ["A", -10.0]]


def test_goodness_points_the_same_way_for_every_polarity():
    frame = pd.DataFrame(
        {
            "polarity": ["higher_is_better", "lower_is_better", "in_band", "in_band"],
            "value": [5.0, 5.0, 50.0, 80.0],
            "band_low": [None, None, 40.0, 40.0],
            "band_high": [None, None, 75.0, 75.0],
        }
    )
    assert goodness(frame).tolist() == [5.0, -5.0, 0.0, -5.0]


def test_percentiles_and_quartile_bands_of_peers():
    frame = pd.DataFrame({"kpi": "K", "goodness": [1.0, 2.0, 2.0, 4.0, 5.0, None]})
    ranks = peer_ranks(frame, group="kpi")
    assert ranks["percentile"].tolist()[:5] == [0.0, 37.5, 37.5, 75.0, 100.0]
    assert ranks["band"].tolist() == [
        "bottom_quartile",
        "third_quartile",
        "third_quartile",
        "top_quartile",
        "top_quartile",
        None,
    ]
    assert ranks["peers"].iloc[0] == 5


def test_too_few_peers_give_nothing_away():
    frame = pd.DataFrame({"kpi": "K", "goodness": [float(i) for i in range(MIN_PEERS - 1)]})
    assert peer_ranks(frame, group="kpi")["percentile"].isna().all()
    quartiles = peer_quartiles(frame.rename(columns={"goodness": "v"}), group="kpi", column="v")
    assert quartiles[["p25", "median", "p75"]].isna().all().all()


def test_peer_quartiles():
    frame = pd.DataFrame({"g": "a", "v": [10.0, 20.0, 30.0, 40.0, 50.0]})
    row = peer_quartiles(frame, group="g", column="v").iloc[0]
    assert (row["peers"], row["p25"], row["median"], row["p75"]) == (5, 20.0, 30.0, 40.0)


@pytest.mark.parametrize("limit", [1, 3])
def test_movers_respect_the_limit(limit):
    frame = pd.DataFrame({"code": list("ABCD"), "score": [1.0, 2.0, 3.0, 4.0]})
    assert len(movers(frame, frame.assign(score=0.0), key="code", limit=limit)) == limit
