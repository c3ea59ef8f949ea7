"""PEST analysis: the raters' consensus per factor and quarter, and what it exposes.

Each rating gives an impact (−2 very harmful … +2 very helpful) and a likelihood (1 rare … 5
almost certain). Raters are averaged per factor and quarter; the **exposure** is impact ×
likelihood (−10 … +10), so a harmful, likely factor scores lowest. Quarters are labels such as
``2025-Q1``, which sort in time order.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from kpi.vocabulary import PestCategory

__all__ = [
    "consensus",
    "latest_quarter",
    "heat_matrix",
    "bubbles",
    "category_profile",
    "trend",
    "exposed_objectives",
    "THREAT_LIKELIHOOD",
]

#: Default likelihood (mean of raters) from which a harmful factor counts as a threat.
THREAT_LIKELIHOOD = 4.0

_CONSENSUS_COLUMNS = [
    "factor",
    "category",
    "quarter",
    "impact",
    "likelihood",
    "exposure",
    "raters",
    "impact_spread",
]


def consensus(ratings: pd.DataFrame) -> pd.DataFrame:
    """Mean impact and likelihood of each factor in each quarter, with the exposure.

    Parameters
    ----------
    ratings
        One row per rating: ``factor``, ``category``, ``quarter``, ``impact``, ``likelihood``,
        ``rater``.

    Returns
    -------
    DataFrame
        ``factor, category, quarter, impact, likelihood, exposure, raters, impact_spread``
        where ``impact_spread`` is the range of the raters' impacts (their disagreement).

    Examples
    --------
    >>> ratings = pd.DataFrame({"factor": ["F", "F"], "category": "economic",
    ...     "quarter": "2025-Q1", "impact": [-2, -1], "likelihood": [4, 5], "rater": ["a", "b"]})
    >>> consensus(ratings)[["impact", "likelihood", "exposure", "raters"]].iloc[0].tolist()
    [-1.5, 4.5, -6.75, 2.0]
    """
    if ratings.empty:
        return pd.DataFrame(columns=_CONSENSUS_COLUMNS)
    grouped = ratings.groupby(["factor", "category", "quarter"], as_index=False, sort=True).agg(
        impact=("impact", "mean"),
        likelihood=("likelihood", "mean"),
        raters=("rater", "nunique"),
        impact_max=("impact", "max"),
        impact_min=("impact", "min"),
    )
    grouped["exposure"] = grouped["impact"] * grouped["likelihood"]
    grouped["impact_spread"] = grouped["impact_max"] - grouped["impact_min"]
    grouped["raters"] = grouped["raters"].astype(float)
    return grouped[_CONSENSUS_COLUMNS].reset_index(drop=True)


def latest_quarter(table: pd.DataFrame) -> str | None:
    """The latest quarter label in ``table``'s ``quarter`` column, or ``None`` when empty."""
    return None if table.empty else str(table["quarter"].max())


def heat_matrix(agreed: pd.DataFrame, value: str = "exposure") -> pd.DataFrame:
    """Factors (rows, by category then code) × quarters (columns, in time order) of ``value``.

    Examples
    --------
    >>> agreed = pd.DataFrame({"factor": ["A", "A", "B"], "category": "social",
    ...     "quarter": ["2025-Q1", "2025-Q2", "2025-Q2"], "exposure": [-4.0, -6.0, 3.0]})
    >>> heat_matrix(agreed).to_dict("index")
    {'A': {'2025-Q1': -4.0, '2025-Q2': -6.0}, 'B': {'2025-Q1': nan, '2025-Q2': 3.0}}
    """
    if agreed.empty:
        return pd.DataFrame()
    order = agreed[["factor", "category"]].drop_duplicates().sort_values(["category", "factor"])
    matrix = agreed.pivot_table(index="factor", columns="quarter", values=value, aggfunc="mean")
    matrix = matrix.reindex(index=order["factor"], columns=sorted(matrix.columns))
    matrix.index.name = "factor"
    matrix.columns.name = "quarter"
    return matrix


def bubbles(agreed: pd.DataFrame, links: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Factors of one quarter with their impact, likelihood and how many objectives they touch.

    ``links`` has one row per link: ``factor``, ``member_code`` (empty for every member),
    ``objective_key``.
    """
    frame = agreed[agreed["quarter"] == quarter].copy()
    reach = links.groupby("factor")["objective_key"].nunique() if not links.empty else pd.Series()
    frame["objectives"] = frame["factor"].map(reach).fillna(0).astype(int)
    return frame.reset_index(drop=True)


def category_profile(agreed: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Per category in one quarter: the mean threat and opportunity of its factors (0–10).

    A factor's threat is its exposure below zero (as a positive number), its opportunity the
    exposure above zero; a category's figures are the means over its rated factors. Categories
    without ratings that quarter show 0 with ``factors`` 0.

    Examples
    --------
    >>> agreed = pd.DataFrame({"factor": ["A", "B"], "category": "economic",
    ...     "quarter": "2025-Q1", "exposure": [-8.0, 2.0]})
    >>> category_profile(agreed, "2025-Q1").to_dict("records")[1]
    {'category': 'economic', 'threat': 4.0, 'opportunity': 1.0, 'factors': 2}
    """
    frame = agreed[agreed["quarter"] == quarter]
    exposure = frame["exposure"].astype(float)
    parts = pd.DataFrame(
        {
            "category": frame["category"],
            "threat": (-exposure).clip(lower=0),
            "opportunity": exposure.clip(lower=0),
        }
    )
    profile = parts.groupby("category").agg(
        threat=("threat", "mean"), opportunity=("opportunity", "mean"), factors=("threat", "size")
    )
    profile = profile.reindex([c.value for c in PestCategory])
    profile[["threat", "opportunity"]] = profile[["threat", "opportunity"]].fillna(0.0)
    profile["factors"] = profile["factors"].fillna(0).astype(int)
    return profile.reset_index().rename(columns={"index": "category"})


def trend(agreed: pd.DataFrame, *, quarters: int = 4) -> pd.DataFrame:
    """Each factor's direction: the slope of its exposure over its last ``quarters`` quarters.

    Returns ``factor, category, latest, change, slope, direction`` where ``change`` is against
    the quarter before and ``direction`` is ``worsening`` (slope ≤ −0.5 per quarter),
    ``improving`` (≥ +0.5) or ``steady``; factors rated in one quarter only have no slope.

    Examples
    --------
    >>> agreed = pd.DataFrame({"factor": "A", "category": "social",
    ...     "quarter": ["2025-Q1", "2025-Q2", "2025-Q3"], "exposure": [0.0, -2.0, -4.0]})
    >>> trend(agreed)[["latest", "change", "slope", "direction"]].to_dict("records")
    [{'latest': -4.0, 'change': -2.0, 'slope': -2.0, 'direction': 'worsening'}]
    """
    rows = []
    for (factor, category), history in agreed.sort_values("quarter").groupby(
        ["factor", "category"], sort=True
    ):
        recent = history.tail(quarters)["exposure"].astype(float).to_numpy()
        slope = (
            round(float(np.polyfit(np.arange(len(recent)), recent, 1)[0]), 9)
            if len(recent) > 1
            else None
        )
        rows.append(
            {
                "factor": factor,
                "category": category,
                "latest": float(recent[-1]),
                "change": float(recent[-1] - recent[-2]) if len(recent) > 1 else None,
                "slope": slope,
                "direction": _direction(slope),
            }
        )
    columns = ["factor", "category", "latest", "change", "slope", "direction"]
    return pd.DataFrame(rows, columns=columns)


def _direction(slope: float | None) -> str | None:
    if slope is None:
        return None
    if slope <= -0.5:
        return "worsening"
    return "improving" if slope >= 0.5 else "steady"


def exposed_objectives(
    agreed: pd.DataFrame,
    links: pd.DataFrame,
    objectives: pd.DataFrame,
    *,
    quarter: str,
    min_likelihood: float = THREAT_LIKELIHOOD,
    member_codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Strategy-map objectives exposed to harmful, likely factors in ``quarter``, worst first.

    A threat is a factor whose mean impact is below zero and mean likelihood at least
    ``min_likelihood``. Its links (``factor, member_code, objective_key``; an empty member means
    that key in every member's map) are matched against ``objectives`` (``member_code,
    objective_key, status, score``, the current scorecard); a linked key that no member's map has
    yet is still listed, without member and with status ``grey``, so no threat is hidden.
    ``member_codes`` limits the rows to those members (and the unmatched keys).

    Returns
    -------
    DataFrame
        ``member_code, objective_key, factors, threats, exposure, impact, likelihood, status,
        score``: one row per objective, ``exposure`` the worst (lowest) of its threats.

    Examples
    --------
    >>> agreed = pd.DataFrame({"factor": ["REG"], "category": "political",
    ...     "quarter": "2025-Q1", "impact": [-2.0], "likelihood": [5.0], "exposure": [-10.0]})
    >>> links = pd.DataFrame({"factor": ["REG"], "member_code": [None], "objective_key": ["C1"]})
    >>> objectives = pd.DataFrame({"member_code": ["M001", "M002"], "objective_key": ["C1", "F1"],
    ...     "status": ["amber", "green"], "score": [72.0, 90.0]})
    >>> exposed_objectives(agreed, links, objectives, quarter="2025-Q1")[
    ...     ["member_code", "objective_key", "factors", "status"]].values.tolist()
    [['M001', 'C1', 'REG', 'amber']]
    """
    columns = [
        "member_code",
        "objective_key",
        "factors",
        "threats",
        "exposure",
        "impact",
        "likelihood",
        "status",
        "score",
    ]
    current = agreed[agreed["quarter"] == quarter]
    threats = current[(current["impact"] < 0) & (current["likelihood"] >= min_likelihood)]
    if threats.empty or links.empty:
        return pd.DataFrame(columns=columns)
    linked = links.merge(threats[["factor", "impact", "likelihood", "exposure"]], on="factor")
    known = objectives[["member_code", "objective_key", "status", "score"]]
    everyone = linked[linked["member_code"].isna()].drop(columns="member_code")
    named = linked[linked["member_code"].notna()]
    matched = pd.concat(
        [
            everyone.merge(known, on="objective_key"),
            named.merge(known, on=["member_code", "objective_key"], how="left"),
        ],
        ignore_index=True,
    )
    unmatched = everyone[~everyone["objective_key"].isin(known["objective_key"])].assign(
        member_code=None, status=None, score=np.nan
    )
    found = [frame for frame in (matched, unmatched) if not frame.empty]
    if not found:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(found, ignore_index=True)
    rows["status"] = rows["status"].fillna("grey")
    if member_codes is not None:
        allowed = set(member_codes)
        rows = rows[rows["member_code"].isna() | rows["member_code"].isin(allowed)]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.sort_values(["exposure", "factor"])
    keys = ["member_code", "objective_key"]
    summary = rows.groupby(keys, dropna=False, sort=False).agg(
        factors=("factor", lambda codes: ", ".join(dict.fromkeys(codes))),
        threats=("factor", "nunique"),
        exposure=("exposure", "min"),
        impact=("impact", "min"),
        likelihood=("likelihood", "max"),
        status=("status", "first"),
        score=("score", "first"),
    )
    summary = summary.reset_index().sort_values(["exposure", "objective_key"], kind="stable")
    summary["member_code"] = (
        summary["member_code"].astype(object).where(summary["member_code"].notna(), None)
    )
    return summary[columns].reset_index(drop=True)
