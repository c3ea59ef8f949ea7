"""Scoring runs: every member's balanced scorecard for a period, or a history of periods.

:func:`score` folds, assesses and rolls up one period and adds trends and forecasts;
:func:`score_history` does the folding, assessing and rolling up for many periods at once
(for history charts), without trends and forecasts. Both are vectorised over all members.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from kpi.scoring.assess import assess
from kpi.scoring.calendar import Period
from kpi.scoring.data import ScoringData
from kpi.scoring.folding import fold
from kpi.scoring.rollup import RollupRules, roll_up
from kpi.scoring.trend import forecasts, trends

__all__ = ["Results", "score", "score_history"]


@dataclass(frozen=True)
class Results:
    """The frames of a scoring run, each with ``period`` and ``member`` columns.

    ``kpis`` has one row per period × member × KPI in scope (value, thresholds, score, status,
    coverage, ``value_period``; for :func:`score` also trend and forecast columns);
    ``objectives``, ``perspectives`` and ``members`` the roll-ups (score, status, coverage,
    children, scored, weight_sum, weights_flagged).
    """

    kpis: pd.DataFrame
    objectives: pd.DataFrame
    perspectives: pd.DataFrame
    members: pd.DataFrame


def _members(
    data: ScoringData, periods: Sequence[Period], members: Sequence[Hashable] | None
) -> pd.DataFrame:
    if members is None:
        members = pd.concat([data.scope["member"], data.objectives["member"]]).drop_duplicates()
    labels = pd.DataFrame({"period": [p.label for p in periods]})
    return labels.merge(pd.DataFrame({"member": list(members)}), how="cross")


def _run(
    data: ScoringData,
    periods: Sequence[Period],
    rules: RollupRules,
    members: Sequence[Hashable] | None,
) -> Results:
    kpis = assess(fold(data, periods))
    objectives, perspectives, rolled = roll_up(
        kpis, data.objectives, data.links, _members(data, periods, members), rules
    )
    return Results(kpis, objectives, perspectives, rolled)


def score(
    data: ScoringData,
    period: Period,
    *,
    rules: RollupRules | None = None,
    window: int = 6,
    members: Sequence[Hashable] | None = None,
) -> Results:
    """Every member's scorecard for ``period``, with trends over ``window`` units and forecasts.

    ``members`` lists the members to report (default: those with a KPI or an objective); a
    member without either gets grey roll-ups with no coverage.

    Examples
    --------
    >>> from kpi.scoring.calendar import parse_period
    >>> from kpi.scoring.data import empty_frame
    >>> data = ScoringData(
    ...     kpis=pd.DataFrame([{"kpi": "RECON", "polarity": "higher_is_better", "target": 99.0,
    ...         "amber": 95.0, "floor": 80.0, "band_low": None, "band_high": None,
    ...         "band_tolerance": None, "frequency": "monthly", "aggregation": "mean",
    ...         "perspective": "customer", "weight": 1.0}]),
    ...     measurements=pd.DataFrame({"member": ["M1", "M1"], "kpi": ["RECON", "RECON"],
    ...         "start": [24309, 24310], "months": [1, 1], "value": [93.1, 97.0]}),
    ...     targets=empty_frame("targets"),
    ...     scope=pd.DataFrame({"member": ["M1"], "kpi": ["RECON"]}),
    ...     objectives=empty_frame("objectives"), links=empty_frame("links"))
    >>> results = score(data, parse_period("2025-Q4"))
    >>> row = results.kpis.iloc[0]
    >>> row["value"], row["units"], row["units_expected"], row["status"]
    (np.float64(95.05), np.int64(2), np.int64(3), 'amber')
    >>> results.members[["score", "status"]].round(1).values.tolist()
    [[79.2, 'amber']]
    """
    rules = rules or RollupRules()
    results = _run(data, [period], rules, members)
    extra = trends(data, period, window=window).join(forecasts(data, period, window=window))
    kpis = results.kpis.join(extra, on="pair")
    return Results(kpis, results.objectives, results.perspectives, results.members)


def score_history(
    data: ScoringData,
    periods: Sequence[Period],
    *,
    rules: RollupRules | None = None,
    members: Sequence[Hashable] | None = None,
) -> Results:
    """Scorecards of every member for each of ``periods`` (without trends and forecasts)."""
    return _run(data, periods, rules or RollupRules(), members)
