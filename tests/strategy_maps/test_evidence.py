"""Link evidence on synthetic score series: a planted lag is found, noise is not supported."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from strategy_maps.evidence import (
    EVIDENCE_COLUMNS,
    MIN_PAIRS,
    Verdict,
    granger_p_value,
    lagged_correlations,
    link_evidence,
    score_changes,
)
from strategy_maps.model import KpiRef

PERIODS = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]


def scores(**series: np.ndarray) -> pd.DataFrame:
    frames = [
        pd.DataFrame({"objective_key": key, "period": PERIODS[: len(values)], "score": values})
        for key, values in series.items()
    ]
    columns = ["objective_key", "period", "score"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def planted(lag: int, seed: int, periods: int = 36) -> tuple[np.ndarray, np.ndarray]:
    """A cause wandering like a real score and an effect that follows it ``lag`` periods later."""
    rng = np.random.default_rng(seed)
    cause = 60 + np.cumsum(rng.normal(0, 3, periods))
    effect = np.concatenate([np.full(lag, cause[0]), cause[: periods - lag]])
    return cause, effect + rng.normal(0, 1.0, periods)


def test_a_planted_lag_is_found_and_supported_with_granger_agreeing():
    for lag in (0, 1, 2, 3):
        cause, effect = planted(lag, seed=lag)
        row = link_evidence(nx.DiGraph([("P1", "C1")]), scores(P1=cause, C1=effect)).iloc[0]
        assert row["verdict"] == Verdict.SUPPORTED, lag
        assert row["lag"] == lag and row["r"] > 0.7 and row["p_adjusted"] < 0.001
        assert row["n"] == 35 - lag
        if lag:
            assert row["granger_p"] < 0.01


def test_independent_noise_is_rarely_supported():
    verdicts = []
    for seed in range(60):
        rng = np.random.default_rng(1000 + seed)
        frame = scores(
            P1=60 + np.cumsum(rng.normal(0, 3, 36)), C1=60 + np.cumsum(rng.normal(0, 3, 36))
        )
        verdicts.append(link_evidence(nx.DiGraph([("P1", "C1")]), frame).iloc[0]["verdict"])
    supported = verdicts.count(Verdict.SUPPORTED)
    assert verdicts.count(Verdict.NOT_SUPPORTED) + supported == 60
    assert supported <= 4  # the lags are Bonferroni-adjusted: about 5 % or fewer by chance


def test_two_scores_that_merely_both_rise_are_not_evidence():
    rng = np.random.default_rng(3)
    trend = np.linspace(20, 90, 36)
    frame = scores(L1=trend + rng.normal(0, 2, 36), F1=trend + rng.normal(0, 2, 36))
    row = link_evidence(nx.DiGraph([("L1", "F1")]), frame).iloc[0]
    assert row["verdict"] == Verdict.NOT_SUPPORTED


def test_short_or_missing_series_are_too_little_data():
    cause, effect = planted(1, seed=5, periods=MIN_PAIRS)
    row = link_evidence(nx.DiGraph([("P1", "C1")]), scores(P1=cause, C1=effect)).iloc[0]
    assert row["verdict"] == Verdict.TOO_LITTLE_DATA and row["r"] is None
    missing = link_evidence(nx.DiGraph([("P1", "C9")]), scores(P1=cause)).iloc[0]
    assert missing["verdict"] == Verdict.TOO_LITTLE_DATA and missing["n"] == 0
    empty = link_evidence(nx.DiGraph([("P1", "C1")]), scores())
    assert list(empty.columns) == EVIDENCE_COLUMNS and empty.iloc[0]["n"] == 0


def test_a_score_that_never_changes_is_too_little_data_not_an_error():
    frame = scores(P1=np.full(36, 100.0), C1=np.linspace(0, 70, 36))
    row = link_evidence(nx.DiGraph([("P1", "C1")]), frame).iloc[0]
    assert row["verdict"] == Verdict.TOO_LITTLE_DATA


def test_gaps_shorten_n_and_granger_needs_an_unbroken_stretch():
    cause, effect = planted(2, seed=11)
    cause[10] = np.nan
    table = lagged_correlations(
        *[score_changes(scores(P1=cause, C1=effect))[k] for k in ("P1", "C1")]
    )
    assert table.loc[0, "n"] == 33  # 35 changes, two of them next to the gap
    assert np.isnan(granger_p_value(pd.Series(cause[:15]), pd.Series(effect[:15]), 2))


def test_objectives_sharing_a_kpi_are_flagged():
    graph = nx.DiGraph([("C3", "C2")])
    graph.nodes["C3"]["kpis"] = (KpiRef("API_ADOPTION"),)
    graph.nodes["C2"]["kpis"] = (KpiRef("API_ADOPTION"), KpiRef("CLIENT_SAT"))
    cause, effect = planted(0, seed=2)
    row = link_evidence(graph, scores(C3=cause, C2=effect)).iloc[0]
    assert row["shared_kpis"] == "API_ADOPTION"


def test_self_links_are_skipped():
    cause, _ = planted(0, seed=2)
    assert link_evidence(nx.DiGraph([("P1", "P1")]), scores(P1=cause)).empty
