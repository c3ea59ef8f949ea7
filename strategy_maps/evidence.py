"""Evidence for the links of a map: do changes in the cause come with changes in the effect?

For each cause → effect link the objective scores of both are turned into period-to-period
changes (so that two scores that merely both rise over the pilot do not count as evidence), then
correlated with the effect 0 to 3 periods later. The lag with the strongest positive correlation is
reported with its number of pairs ``n``, Pearson's ``r`` and its p-value, Bonferroni-adjusted for
the lags tried. Where the common stretch of data is long enough a Granger test (statsmodels) asks
whether past changes of the cause help predict those of the effect beyond the effect's own past.

A link is *supported* when the best lag's correlation is positive and its adjusted p-value is below
0.05, *too little data* when no lag has enough pairs (or a score never changed), and *not
supported* otherwise. With a few dozen periods this is a screen, not proof: it cannot tell a cause
from a common driver.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import networkx as nx
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.stattools import grangercausalitytests

__all__ = [
    "Verdict",
    "MAX_LAG",
    "MIN_PAIRS",
    "ALPHA",
    "GRANGER_MIN_PERIODS",
    "score_changes",
    "lagged_correlations",
    "granger_p_value",
    "link_evidence",
    "EVIDENCE_COLUMNS",
]

MAX_LAG = 3
MIN_PAIRS = 8  #: fewer pairs of changes than this at every lag: too little data
ALPHA = 0.05
GRANGER_MIN_PERIODS = 20  #: unbroken changes of both scores needed for a Granger test

EVIDENCE_COLUMNS = [
    "cause",
    "effect",
    "verdict",
    "lag",
    "n",
    "r",
    "p_value",
    "p_adjusted",
    "granger_p",
    "shared_kpis",
    *(f"r_lag{lag}" for lag in range(MAX_LAG + 1)),
]


class Verdict(StrEnum):
    SUPPORTED = "supported"
    NOT_SUPPORTED = "not_supported"
    TOO_LITTLE_DATA = "too_little_data"


def score_changes(scores: pd.DataFrame) -> pd.DataFrame:
    """Period-to-period changes of each objective's score: one column per objective key, one row
    per period in label order (``2025-01`` < ``2025-02``; use one granularity at a time).

    ``scores`` has columns ``objective_key``, ``period`` and ``score`` (NaN or missing rows where
    there is no score); a change next to a missing score is missing too.

    Examples
    --------
    >>> frame = pd.DataFrame({"objective_key": ["C1"] * 3, "period": ["2025-01", "2025-02",
    ...                       "2025-03"], "score": [50.0, 55.0, 70.0]})
    >>> score_changes(frame)["C1"].tolist()
    [nan, 5.0, 15.0]
    """
    wide = scores.pivot_table(
        index="period", columns="objective_key", values="score", aggfunc="mean", dropna=False
    )
    return wide.sort_index().astype(float).diff()


def lagged_correlations(
    cause: pd.Series, effect: pd.Series, *, max_lag: int = MAX_LAG
) -> pd.DataFrame:
    """Pearson correlation of ``cause`` with ``effect`` shifted ``0..max_lag`` periods later.

    Returns one row per lag with ``lag``, ``n`` (pairs where both have a value), ``r`` and
    ``p_value`` (NaN when fewer than three pairs or when either side never changes).

    Examples
    --------
    >>> x = pd.Series([0.0, 1, -1, 2, 0, 1, -2, 1, 0, 2])
    >>> table = lagged_correlations(x, x.shift(1))
    >>> int(table.loc[table["r"].idxmax(), "lag"])
    1
    """
    rows = []
    for lag in range(max_lag + 1):
        pairs = pd.concat([cause, effect.shift(-lag)], axis=1).dropna().to_numpy()
        n = len(pairs)
        r = p_value = float("nan")
        if n >= 3 and np.ptp(pairs[:, 0]) > 0 and np.ptp(pairs[:, 1]) > 0:
            result = stats.pearsonr(pairs[:, 0], pairs[:, 1])
            r, p_value = float(result.statistic), float(result.pvalue)
        rows.append({"lag": lag, "n": n, "r": r, "p_value": p_value})
    return pd.DataFrame(rows, columns=["lag", "n", "r", "p_value"])


def _longest_common_stretch(cause: pd.Series, effect: pd.Series) -> np.ndarray:
    both = pd.concat([effect, cause], axis=1).to_numpy()
    present = ~np.isnan(both).any(axis=1)
    best = (0, 0)
    start = None
    for index, ok in enumerate([*present, False]):
        if ok and start is None:
            start = index
        elif not ok and start is not None:
            if index - start > best[1] - best[0]:
                best = (start, index)
            start = None
    return both[best[0] : best[1]]


def granger_p_value(cause: pd.Series, effect: pd.Series, lag: int) -> float:
    """The p-value (F test) that ``cause`` does not help predict ``effect`` at ``lag``; NaN when the
    longest unbroken stretch of both is shorter than :data:`GRANGER_MIN_PERIODS` or constant."""
    stretch = _longest_common_stretch(cause, effect)
    if len(stretch) < max(GRANGER_MIN_PERIODS, 3 * lag + 2):
        return float("nan")
    if np.ptp(stretch[:, 0]) == 0 or np.ptp(stretch[:, 1]) == 0:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        result = grangercausalitytests(stretch, [lag])
    return float(result[lag][0]["ssr_ftest"][1])


def link_evidence(
    graph: nx.DiGraph,
    scores: pd.DataFrame,
    *,
    links: Iterable[tuple[str, str]] | None = None,
    max_lag: int = MAX_LAG,
) -> pd.DataFrame:
    """The evidence for each link of ``graph`` (or ``links``) from objective ``scores``.

    One row per link with the columns of :data:`EVIDENCE_COLUMNS`: the verdict, the best lag with
    its ``n``, ``r``, raw and adjusted p-values, the Granger p-value where computed, the KPIs the
    two objectives share (their scores then move together by construction) and ``r`` at each lag.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> cause = np.cumsum(rng.normal(size=40))
    >>> effect = np.concatenate([[0.0, 0.0], cause[:-2]]) + rng.normal(scale=0.3, size=40)
    >>> periods = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(40)]
    >>> scores = pd.DataFrame({"objective_key": ["L1"] * 40 + ["F1"] * 40,
    ...                        "period": periods * 2, "score": [*cause, *effect]})
    >>> row = link_evidence(nx.DiGraph([("L1", "F1")]), scores).iloc[0]
    >>> row["verdict"], int(row["lag"])
    ('supported', 2)
    """
    changes = score_changes(scores) if len(scores) else pd.DataFrame()
    rows = []
    for cause, effect in links if links is not None else graph.edges:
        if cause == effect:
            continue
        rows.append(_one_link(graph, changes, cause, effect, max_lag))
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def _one_link(
    graph: nx.DiGraph, changes: pd.DataFrame, cause: str, effect: str, max_lag: int
) -> dict[str, object]:
    empty = pd.Series(dtype=float)
    x = changes.get(cause, empty)
    y = changes.get(effect, empty)
    table = lagged_correlations(x, y, max_lag=max_lag)
    row: dict[str, object] = {
        "cause": cause,
        "effect": effect,
        "shared_kpis": ", ".join(_shared_kpis(graph, cause, effect)),
        **{f"r_lag{lag}": r for lag, r in zip(table["lag"], table["r"], strict=True)},
    }
    usable = table[(table["n"] >= MIN_PAIRS) & table["r"].notna()]
    if usable.empty:
        best_n = int(table["n"].max()) if len(table) else 0
        row.update(verdict=Verdict.TOO_LITTLE_DATA.value, lag=None, n=best_n)
        row.update(r=None, p_value=None, p_adjusted=None, granger_p=None)
        return row
    best = usable.sort_values("r", ascending=False, kind="stable").iloc[0]
    lag = int(best["lag"])
    p_adjusted = min(1.0, float(best["p_value"]) * len(usable))
    supported = float(best["r"]) > 0 and p_adjusted < ALPHA
    granger = granger_p_value(x, y, max(lag, 1))
    row.update(
        verdict=(Verdict.SUPPORTED if supported else Verdict.NOT_SUPPORTED).value,
        lag=lag,
        n=int(best["n"]),
        r=float(best["r"]),
        p_value=float(best["p_value"]),
        p_adjusted=p_adjusted,
        granger_p=None if np.isnan(granger) else granger,
    )
    return row


def _shared_kpis(graph: nx.DiGraph, cause: str, effect: str) -> list[str]:
    def codes(key: str) -> list[str]:
        if key not in graph:
            return []
        return [getattr(ref, "code", ref) for ref in graph.nodes[key].get("kpis", ())]

    effect_codes = set(codes(effect))
    return [code for code in codes(cause) if code in effect_codes]
