"""Is a chosen set of members (the pilot, a wave, the survey respondents) representative?

The set is compared with all members on four dimensions — revenue band, investor-count band,
region and capital structure — by a chi-square goodness-of-fit test: under representativeness
the set's members fall into each stratum in proportion to all members. With a handful of
members most expected counts are below 5, where the chi-square approximation is poor; the result
says so and, when the outcomes can be enumerated, adds the exact multinomial test's p-value.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from math import comb

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "DIMENSIONS",
    "CRITERIA",
    "BAND_NAMES",
    "add_bands",
    "band_edges",
    "Representativeness",
    "representativeness",
    "exact_multinomial_p",
    "criteria_flags",
]

#: The dimensions compared, as columns of the frame :func:`add_bands` returns.
DIMENSIONS = ("revenue_band", "investor_band", "region", "capital_structure")
#: The selection criteria of pilot members, as member columns.
CRITERIA = ("is_industry_leader", "is_cloud_leader", "has_state_shareholding", "prior_cooperation")
BAND_NAMES = {1: ("all",), 2: ("low", "high"), 3: ("low", "middle", "high")}
UNKNOWN = "unknown"
#: Expected count below which the chi-square approximation is unreliable (Cochran's rule).
MIN_EXPECTED = 5.0
#: Most outcomes the exact test enumerates; beyond it only the chi-square p-value is given.
MAX_OUTCOMES = 200_000


def band_edges(values: pd.Series, bands: int = 3) -> list[float]:
    """Quantile edges splitting ``values`` into ``bands`` bands of about equal size.

    Examples
    --------
    >>> band_edges(pd.Series([1, 2, 3, 4, 5, 6]))
    [1.0, 2.6666666666666665, 4.333333333333333, 6.0]
    """
    known = values.dropna().astype(float)
    if known.empty:
        return []
    edges = np.unique(np.quantile(known, np.linspace(0, 1, bands + 1)))
    return [float(edge) for edge in edges]


def _band(values: pd.Series, edges: list[float]) -> pd.Series:
    names = BAND_NAMES.get(len(edges) - 1)
    if names is None or len(edges) < 2:
        return pd.Series(np.where(values.isna(), UNKNOWN, "all"), index=values.index)
    banded = pd.cut(values.astype(float), edges, labels=list(names), include_lowest=True)
    return banded.astype(object).where(values.notna(), UNKNOWN)


def add_bands(members: pd.DataFrame, bands: int = 3) -> tuple[pd.DataFrame, dict[str, list[float]]]:
    """``members`` with ``revenue_band`` and ``investor_band`` (terciles of all members), and
    the band edges used, keyed ``revenue`` and ``investor_count``.

    Examples
    --------
    >>> members = pd.DataFrame({"revenue": [1, 2, 3, 4, 5, 6], "investor_count": [9] * 6})
    >>> banded, edges = add_bands(members)
    >>> banded["revenue_band"].tolist(), banded["investor_band"].unique().tolist()
    (['low', 'low', 'middle', 'middle', 'high', 'high'], ['all'])
    """
    frame = members.copy()
    edges = {column: band_edges(frame[column], bands) for column in ("revenue", "investor_count")}
    frame["revenue_band"] = _band(frame["revenue"], edges["revenue"])
    frame["investor_band"] = _band(frame["investor_count"], edges["investor_count"])
    return frame, edges


@dataclass(frozen=True)
class Representativeness:
    """The comparison on one dimension.

    ``table`` has one row per stratum: ``stratum, population, population_share, selected,
    selected_share, expected, under_represented``.
    """

    dimension: str
    table: pd.DataFrame
    statistic: float | None
    dof: int
    p_value: float | None
    exact_p_value: float | None
    small_expected: int  #: strata whose expected count is below 5

    @property
    def reliable(self) -> bool:
        """Whether the chi-square approximation can be trusted (every expected count ≥ 5)."""
        return self.p_value is not None and self.small_expected == 0

    @property
    def under_represented(self) -> list[str]:
        return self.table.loc[self.table["under_represented"], "stratum"].tolist()


def exact_multinomial_p(observed: Iterable[int], shares: Iterable[float]) -> float | None:
    """Exact p-value of ``observed`` counts under multinomial ``shares``: the probability of all
    outcomes no more likely than the one observed. ``None`` when there are too many outcomes.

    Examples
    --------
    >>> round(exact_multinomial_p([3, 0], [0.5, 0.5]), 4)
    0.25
    """
    counts = np.asarray(list(observed), dtype=int)
    probabilities = np.asarray(list(shares), dtype=float)
    n, k = int(counts.sum()), len(counts)
    if k < 2 or comb(n + k - 1, k - 1) > MAX_OUTCOMES:
        return None
    # Stars and bars: each choice of k-1 bar positions among n+k-1 slots is one outcome.
    bars = np.array(list(itertools.combinations(range(n + k - 1), k - 1)), dtype=int)
    bars = bars.reshape(len(bars), k - 1)
    edges = np.hstack([np.full((len(bars), 1), -1), bars, np.full((len(bars), 1), n + k - 1)])
    outcomes = np.diff(edges, axis=1) - 1
    distribution = stats.multinomial(n, probabilities / probabilities.sum())
    pmf = distribution.pmf(outcomes)
    observed_pmf = distribution.pmf(counts)
    return float(min(1.0, pmf[pmf <= observed_pmf * (1 + 1e-7)].sum()))


def representativeness(
    members: pd.DataFrame,
    selected: Iterable[str],
    dimension: str,
    *,
    under_ratio: float = 0.5,
) -> Representativeness:
    """Compare the ``selected`` member codes with all ``members`` on ``dimension``.

    A stratum is under-represented when the set has fewer than ``under_ratio`` times the members
    its share of all members calls for (none at all, typically, in a small set).

    Examples
    --------
    >>> members = pd.DataFrame({"member_code": list("ABCDEF"),
    ...     "region": ["north", "north", "north", "south", "south", "south"]})
    >>> result = representativeness(members, ["A", "B", "C"], "region")
    >>> result.table[["stratum", "selected", "expected"]].values.tolist()
    [['north', 3, 1.5], ['south', 0, 1.5]]
    >>> result.statistic, result.dof, round(result.p_value, 4), round(result.exact_p_value, 4)
    (3.0, 1, 0.0833, 0.25)
    >>> result.under_represented, result.reliable
    (['south'], False)
    """
    chosen = set(selected)
    strata = members[dimension].fillna(UNKNOWN).astype(str)
    in_set = members["member_code"].isin(chosen)
    table = pd.DataFrame(
        {
            "population": strata.value_counts(),
            "selected": strata[in_set].value_counts(),
        }
    ).fillna(0)
    table = table.astype(int).rename_axis("stratum").reset_index()
    table = table.iloc[sorted(range(len(table)), key=lambda i: _stratum_order(table["stratum"][i]))]
    table = table.reset_index(drop=True)
    total, picked = int(table["population"].sum()), int(table["selected"].sum())
    table["population_share"] = table["population"] / total if total else np.nan
    table["selected_share"] = table["selected"] / picked if picked else np.nan
    table["expected"] = table["population_share"] * picked
    table["under_represented"] = (picked > 0) & (
        table["selected"] < under_ratio * table["expected"]
    )
    columns = [
        "stratum",
        "population",
        "population_share",
        "selected",
        "selected_share",
        "expected",
        "under_represented",
    ]
    table = table[columns]
    dof = max(len(table) - 1, 0)
    if picked == 0 or dof == 0:
        return Representativeness(dimension, table, None, dof, None, None, 0)
    test = stats.chisquare(table["selected"], table["expected"])
    return Representativeness(
        dimension=dimension,
        table=table,
        statistic=float(test.statistic),
        dof=dof,
        p_value=float(test.pvalue),
        exact_p_value=exact_multinomial_p(table["selected"], table["population_share"]),
        small_expected=int((table["expected"] < MIN_EXPECTED).sum()),
    )


def _stratum_order(stratum: str) -> tuple[int, str]:
    """Bands low → high, other strata alphabetically, ``unknown`` last."""
    bands = BAND_NAMES[3] + BAND_NAMES[1]
    if stratum in bands:
        return (0, str(bands.index(stratum)))
    return (2 if stratum == UNKNOWN else 1, stratum)


def criteria_flags(members: pd.DataFrame, selected: Iterable[str]) -> pd.DataFrame:
    """For each selection criterion: how many of the set and of all members meet it.

    Examples
    --------
    >>> members = pd.DataFrame({"member_code": ["A", "B"], "is_industry_leader": [True, False],
    ...     "is_cloud_leader": False, "has_state_shareholding": [False, True],
    ...     "prior_cooperation": True})
    >>> flags = criteria_flags(members, ["A"]).set_index("criterion")
    >>> flags["selected"].tolist(), flags["population"].tolist()
    ([1, 0, 0, 1], [1, 0, 1, 2])
    """
    in_set = members["member_code"].isin(set(selected))
    rows = [
        {
            "criterion": criterion,
            "selected": int(members.loc[in_set, criterion].astype(bool).sum()),
            "population": int(members[criterion].astype(bool).sum()),
            "members": ", ".join(
                members.loc[in_set & members[criterion].astype(bool), "member_code"]
            ),
        }
        for criterion in CRITERIA
    ]
    return pd.DataFrame(rows, columns=["criterion", "selected", "population", "members"])
