"""Vendor evaluation by weighted expert scoring, and how much the ranking depends on the weights.

Experts score each vendor on each criterion from 0 to 100. A vendor's score on a criterion is the
mean over experts; its total is the weighted mean over criteria (weights normalised to sum to 1,
renormalised over the criteria it was scored on, with that share reported as ``coverage``).
Every function takes the scores as ``vendor, criterion, expert, score`` and the criteria as
``criterion, weight``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi.messages import Text

__all__ = [
    "ranking",
    "expert_totals",
    "expert_spread",
    "criterion_spread",
    "rank_stability",
    "Stability",
    "decision_problem",
    "WEIGHT_STEP",
]

#: How far each weight moves, relative to itself, in the stability check (±10 %).
WEIGHT_STEP = 0.10


def _weighted(means: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Weighted mean of each row of ``means`` (vendors × criteria) over the cells with scores."""
    present = means.notna()
    weight = present.mul(weights.reindex(means.columns).fillna(0), axis=1)
    total = (means.fillna(0) * weight).sum(axis=1)
    scored = weight.sum(axis=1)
    return pd.DataFrame(
        {
            "score": total / scored.where(scored > 0),
            "coverage": scored / weights.reindex(means.columns).fillna(0).sum(),
        }
    )


def _means(scores: pd.DataFrame) -> pd.DataFrame:
    return scores.pivot_table(index="vendor", columns="criterion", values="score", aggfunc="mean")


def _weights(criteria: pd.DataFrame) -> pd.Series:
    weights = criteria.set_index("criterion")["weight"].astype(float)
    return weights / weights.sum()


def _rank(totals: pd.DataFrame) -> pd.DataFrame:
    ordered = totals.sort_values(["score", "vendor"], ascending=[False, True])
    ordered["rank"] = ordered["score"].rank(ascending=False, method="min").astype(int)
    ordered["gap_to_top"] = ordered["score"].max() - ordered["score"]
    return ordered.reset_index(drop=True)


def ranking(scores: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """Vendors by weighted score, best first: ``vendor, score, coverage, rank, gap_to_top``.

    Examples
    --------
    >>> criteria = pd.DataFrame({"criterion": ["Q", "C"], "weight": [3, 1]})
    >>> scores = pd.DataFrame({"vendor": ["V1", "V1", "V2", "V2"],
    ...     "criterion": ["Q", "C", "Q", "C"], "expert": "E", "score": [80, 40, 60, 100]})
    >>> ranking(scores, criteria)[["vendor", "score", "rank"]].values.tolist()
    [['V1', 70.0, 1], ['V2', 70.0, 1]]
    """
    if scores.empty:
        return pd.DataFrame(columns=["vendor", "score", "coverage", "rank", "gap_to_top"])
    totals = _weighted(_means(scores), _weights(criteria)).rename_axis("vendor").reset_index()
    return _rank(totals)


def expert_totals(scores: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """Each expert's weighted total for each vendor: ``vendor, expert, score, coverage``."""
    weights = _weights(criteria)
    frames = []
    for expert, own in scores.groupby("expert", sort=True):
        totals = _weighted(_means(own), weights).rename_axis("vendor").reset_index()
        frames.append(totals.assign(expert=expert))
    columns = ["vendor", "expert", "score", "coverage"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns].sort_values(["vendor", "expert"])


def expert_spread(scores: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """How far the experts' totals for each vendor lie apart: ``vendor, experts, mean, std,
    low, high, range`` (``std`` the sample standard deviation).

    Examples
    --------
    >>> criteria = pd.DataFrame({"criterion": ["Q"], "weight": [1]})
    >>> scores = pd.DataFrame({"vendor": "V1", "criterion": "Q", "expert": ["A", "B", "C"],
    ...     "score": [70, 80, 90]})
    >>> expert_spread(scores, criteria).drop(columns="vendor").to_dict("records")
    [{'experts': 3, 'mean': 80.0, 'std': 10.0, 'low': 70.0, 'high': 90.0, 'range': 20.0}]
    """
    totals = expert_totals(scores, criteria)
    table = totals.groupby("vendor", as_index=False).agg(
        experts=("expert", "nunique"),
        mean=("score", "mean"),
        std=("score", "std"),
        low=("score", "min"),
        high=("score", "max"),
    )
    table["range"] = table["high"] - table["low"]
    return table


def criterion_spread(scores: pd.DataFrame) -> pd.DataFrame:
    """Per vendor and criterion: the experts' mean, standard deviation and range."""
    table = scores.groupby(["vendor", "criterion"], as_index=False).agg(
        mean=("score", "mean"), std=("score", "std"), low=("score", "min"), high=("score", "max")
    )
    table["range"] = table["high"] - table["low"]
    return table


@dataclass(frozen=True)
class Stability:
    """The ranking under every ±step move of one weight.

    ``table``: ``criterion, change, weight, moved_weight, top, order, top_changed,
    order_changed, lead`` — ``weight``/``moved_weight`` as shares of the total, ``order`` the
    vendors best first, ``lead`` the top vendor's margin over the runner-up.
    """

    top: str | None
    order: tuple[str, ...]
    table: pd.DataFrame

    @property
    def top_is_stable(self) -> bool:
        return not bool(self.table["top_changed"].any())

    @property
    def order_is_stable(self) -> bool:
        return not bool(self.table["order_changed"].any())


def rank_stability(
    scores: pd.DataFrame, criteria: pd.DataFrame, *, step: float = WEIGHT_STEP
) -> Stability:
    """Re-rank the vendors with each weight moved by ``±step`` of itself, one at a time.

    Examples
    --------
    >>> criteria = pd.DataFrame({"criterion": ["Q", "C"], "weight": [50, 50]})
    >>> scores = pd.DataFrame({"vendor": ["V1", "V1", "V2", "V2"],
    ...     "criterion": ["Q", "C", "Q", "C"], "expert": "E", "score": [90, 50, 60, 79]})
    >>> result = rank_stability(scores, criteria)
    >>> result.top, result.top_is_stable
    ('V1', False)
    >>> result.table[["criterion", "change", "top"]].values.tolist()
    [['Q', 0.1, 'V1'], ['Q', -0.1, 'V2'], ['C', 0.1, 'V2'], ['C', -0.1, 'V1']]
    """
    base = ranking(scores, criteria)
    order = tuple(base["vendor"])
    top = order[0] if order else None
    rows = []
    means = _means(scores) if not scores.empty else pd.DataFrame()
    shares = _weights(criteria)
    raw = criteria.set_index("criterion")["weight"].astype(float)
    for criterion in raw.index:
        for change in (step, -step):
            moved = raw.copy()
            moved.loc[criterion] *= 1 + change
            moved_shares = moved / moved.sum()
            ranked = _rank(_weighted(means, moved_shares).rename_axis("vendor").reset_index())
            new_order = tuple(ranked["vendor"])
            rows.append(
                {
                    "criterion": criterion,
                    "change": change,
                    "weight": float(shares[criterion]),
                    "moved_weight": float(moved_shares[criterion]),
                    "top": new_order[0] if new_order else None,
                    "order": new_order,
                    "top_changed": bool(new_order) and new_order[0] != top,
                    "order_changed": new_order != order,
                    "lead": _lead(ranked),
                }
            )
    columns = [
        "criterion",
        "change",
        "weight",
        "moved_weight",
        "top",
        "order",
        "top_changed",
        "order_changed",
        "lead",
    ]
    return Stability(top=top, order=order, table=pd.DataFrame(rows, columns=columns))


def _lead(ranked: pd.DataFrame) -> float:
    scores = ranked["score"].to_numpy(dtype=float)
    return float(scores[0] - scores[1]) if len(scores) > 1 else np.nan


def decision_problem(ranked: pd.DataFrame, chosen: str, reason: str | None) -> Text | None:
    """Why a decision for ``chosen`` cannot be recorded as it is, or ``None`` when it can.

    Choosing a vendor other than the top scorer needs a written reason; a vendor tied with the
    top score counts as a top scorer.

    Examples
    --------
    >>> ranked = pd.DataFrame({"vendor": ["V1", "V2"], "score": [80.0, 75.5]})
    >>> decision_problem(ranked, "V2", "  "), decision_problem(ranked, "V2", "Cheaper to run")
    ('V2 is not the top scorer (V1 scores 80.0, V2 75.5); write the reason for choosing it', None)
    """
    if chosen not in set(ranked["vendor"]):
        return Text(
            "{vendor} has no scores; import the experts' scores before deciding", vendor=chosen
        )
    best = ranked["score"].max()
    score = float(ranked.loc[ranked["vendor"] == chosen, "score"].iloc[0])
    if score >= best - 1e-9 or (reason or "").strip():
        return None
    leader = ranked.loc[ranked["score"] == best, "vendor"].iloc[0]
    return Text(
        "{vendor} is not the top scorer ({leader} scores {best:.1f}, {vendor} {score:.1f}); "
        "write the reason for choosing it",
        vendor=chosen,
        leader=leader,
        best=best,
        score=score,
    )
