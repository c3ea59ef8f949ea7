"""Weighted roll-up of KPI scores: KPI → objective → perspective → member (DESIGN.md §4).

Each level is the weighted mean of the scores of its children *that have a score*: weights
renormalise over what has data, so a missing KPI is never a zero. Every level also reports its
**coverage**, the weighted share of its children's coverage (a KPI's coverage is the share of its
units reported), so 0.5 says half the weight below it has no data. KPIs of a member on none of
its objectives (or of a member without a map) are children of their catalogue perspective
directly. Perspectives weigh equally unless :class:`RollupRules` says otherwise.

Roll-up statuses come from bands on the score: green from :attr:`RollupRules.green`, amber from
:attr:`RollupRules.amber`, red below, grey without a score. Weights are relative and always
normalised; when :attr:`RollupRules.weight_total` is set (say 100, for weights written as
percentages), the configured weights — of the KPIs on each objective, and the perspective
weights when given — that add up to something else are flagged (``weights_flagged``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpi.vocabulary import PERSPECTIVE_ORDER, Status

__all__ = ["RollupRules", "weighted_mean", "rollup_status", "roll_up"]


@dataclass(frozen=True)
class RollupRules:
    """How roll-ups are coloured and weighed.

    Examples
    --------
    >>> RollupRules().status_of(pd.Series([85.0, 70.0, 10.0, None])).tolist()
    ['green', 'amber', 'red', 'grey']
    """

    green: float = 80.0
    amber: float = 60.0
    perspective_weights: Mapping[str, float] = field(default_factory=dict)
    weight_total: float | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.amber <= self.green <= 100:
            raise ValueError("roll-up bands need 0 ≤ amber ≤ green ≤ 100")
        if any(w < 0 for w in self.perspective_weights.values()):
            raise ValueError("perspective weights must not be negative")

    def status_of(self, score: pd.Series) -> pd.Series:
        return rollup_status(score, self.green, self.amber)

    def perspective_weight(self, perspective: pd.Series) -> pd.Series:
        return perspective.map(lambda p: self.perspective_weights.get(p, 1.0)).astype("float64")


def rollup_status(score: pd.Series, green: float, amber: float) -> pd.Series:
    """Status of roll-up scores by the bands."""
    status = np.select(
        [score.isna(), score >= green, score >= amber],
        [Status.GREY.value, Status.GREEN.value, Status.AMBER.value],
        default=Status.RED.value,
    )
    return pd.Series(status, index=score.index, dtype=object)


def weighted_mean(
    children: pd.DataFrame, keys: list[str], *, weight_total: float | None = None
) -> pd.DataFrame:
    """Roll ``children`` (``score``, ``coverage``, ``weight``) up by ``keys``.

    Returns per group: ``score`` (NaN when no child has one), ``coverage``, ``children``,
    ``scored`` (children with a score), ``weight_sum`` (configured) and ``weights_flagged``.

    Examples
    --------
    >>> kids = pd.DataFrame({"g": ["a", "a", "a"], "score": [90.0, 60.0, None],
    ...                      "coverage": [1.0, 1.0, 0.0], "weight": [2.0, 1.0, 1.0]})
    >>> weighted_mean(kids, ["g"])[["score", "coverage", "scored"]].to_dict("records")
    [{'score': 80.0, 'coverage': 0.75, 'scored': 2}]
    """
    weight = children["weight"].astype("float64")
    scored = children["score"].notna()
    parts = pd.DataFrame(
        {
            **{key: children[key] for key in keys},
            "weighted": (children["score"] * weight).where(scored, 0.0),
            "scored_weight": weight.where(scored, 0.0),
            "covered": children["coverage"].fillna(0.0) * weight,
            "weight": weight,
            "scored": scored.astype("int64"),
        }
    )
    sums = parts.groupby(keys, sort=False, dropna=False).agg(
        weighted=("weighted", "sum"),
        scored_weight=("scored_weight", "sum"),
        covered=("covered", "sum"),
        weight_sum=("weight", "sum"),
        children=("weight", "size"),
        scored=("scored", "sum"),
    )
    result = pd.DataFrame(index=sums.index)
    result["score"] = sums["weighted"] / sums["scored_weight"].where(sums["scored_weight"] > 0)
    result["coverage"] = sums["covered"] / sums["weight_sum"].where(sums["weight_sum"] > 0)
    result["coverage"] = result["coverage"].fillna(0.0)
    result["children"] = sums["children"]
    result["scored"] = sums["scored"]
    result["weight_sum"] = sums["weight_sum"]
    result["weights_flagged"] = (
        ~np.isclose(sums["weight_sum"], weight_total) if weight_total is not None else False
    )
    return result.reset_index()


def _complete(
    rolled: pd.DataFrame, skeleton: pd.DataFrame, keys: list[str], rules: RollupRules
) -> pd.DataFrame:
    """Every group of ``skeleton`` with its roll-up; childless groups have no score and 0
    coverage."""
    frame = skeleton.merge(rolled, on=keys, how="left", sort=False)
    frame["coverage"] = frame["coverage"].fillna(0.0)
    for column in ("children", "scored"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["weight_sum"] = frame["weight_sum"].fillna(0.0)
    frame["weights_flagged"] = frame["weights_flagged"].astype("boolean").fillna(False).astype(bool)
    frame["status"] = rules.status_of(frame["score"])
    return frame


def roll_up(
    kpis: pd.DataFrame,
    objectives: pd.DataFrame,
    links: pd.DataFrame,
    members: pd.DataFrame,
    rules: RollupRules,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Objective, perspective and member roll-ups of scored KPI rows.

    Parameters
    ----------
    kpis
        ``period``, ``member``, ``kpi``, ``perspective``, ``weight``, ``score``, ``coverage``.
    objectives
        ``member``, ``objective``, ``perspective``, ``weight``.
    links
        ``member``, ``objective``, ``kpi``, ``weight``.
    members
        ``period`` × ``member`` rows to report (every member scored, with or without data).

    Returns
    -------
    objectives, perspectives, members
        Each with its keys, ``score``, ``status``, ``coverage``, ``children``, ``scored``,
        ``weight_sum`` and ``weights_flagged``.
    """
    keys = ["period", "member"]
    edges = links.merge(
        kpis[[*keys, "kpi", "score", "coverage"]], on=["member", "kpi"], how="inner", sort=False
    )
    objective_keys = [*keys, "objective"]
    rolled = weighted_mean(edges, objective_keys, weight_total=rules.weight_total)
    skeleton = members[keys].merge(
        objectives[["member", "objective", "perspective", "weight"]], on="member", sort=False
    )
    objective_frame = _complete(rolled, skeleton, objective_keys, rules)

    linked = pd.MultiIndex.from_frame(links[["member", "kpi"]])
    direct = kpis[~pd.MultiIndex.from_frame(kpis[["member", "kpi"]]).isin(linked)]
    children = pd.concat(
        [
            objective_frame[[*keys, "perspective", "weight", "score", "coverage"]],
            direct[[*keys, "perspective", "weight", "score", "coverage"]],
        ],
        ignore_index=True,
    )
    perspective_keys = [*keys, "perspective"]
    rolled = weighted_mean(children, perspective_keys)
    lanes = pd.DataFrame({"perspective": [p.value for p in PERSPECTIVE_ORDER]})
    skeleton = members[keys].merge(lanes, how="cross")
    perspective_frame = _complete(rolled, skeleton, perspective_keys, rules)

    perspective_frame["weight"] = rules.perspective_weight(perspective_frame["perspective"])
    configured = rules.weight_total if rules.perspective_weights else None
    rolled = weighted_mean(perspective_frame, keys, weight_total=configured)
    member_frame = _complete(rolled, members[keys], keys, rules)
    return objective_frame, perspective_frame, member_frame
