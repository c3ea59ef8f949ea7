"""The demand and willingness survey: what members want most, who is keen, who needs winning over.

Every function takes the responses as a DataFrame with one row per member and item:
``member_code, item, demand (1–5), willingness (1–5), comment``.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "item_demand",
    "member_willingness",
    "most_willing",
    "least_willing",
    "concerns",
    "remediation_list",
    "HIGH_DEMAND",
    "CONCERN_WILLINGNESS",
]

#: A demand from which an item counts as wanted (4 "high" or 5 "very high").
HIGH_DEMAND = 4
#: Comments on items a member rated at most this willing are read as concerns.
CONCERN_WILLINGNESS = 3


def item_demand(responses: pd.DataFrame) -> pd.DataFrame:
    """Items by demand, most demanded first: ``item, mean_demand, high_demand_share,
    mean_willingness, responses, rank`` (ties broken by the share rating it 4 or 5).

    Examples
    --------
    >>> responses = pd.DataFrame({"member_code": ["A", "B", "A", "B"],
    ...     "item": ["S1", "S1", "S2", "S2"], "demand": [5, 4, 2, 3], "willingness": 3})
    >>> item_demand(responses)[["item", "mean_demand", "high_demand_share", "rank"]].values.tolist()
    [['S1', 4.5, 1.0, 1], ['S2', 2.5, 0.0, 2]]
    """
    frame = responses.assign(high=responses["demand"] >= HIGH_DEMAND)
    table = frame.groupby("item", as_index=False).agg(
        mean_demand=("demand", "mean"),
        high_demand_share=("high", "mean"),
        mean_willingness=("willingness", "mean"),
        responses=("member_code", "nunique"),
    )
    table = table.sort_values(
        ["mean_demand", "high_demand_share", "item"], ascending=[False, False, True]
    )
    table["rank"] = range(1, len(table) + 1)
    return table.reset_index(drop=True)


def member_willingness(responses: pd.DataFrame) -> pd.DataFrame:
    """Members by willingness, most willing first: ``member_code, mean_willingness,
    mean_demand, items, reluctant_items, rank`` (``reluctant_items``: rated 1 or 2).

    Examples
    --------
    >>> responses = pd.DataFrame({"member_code": ["A", "A", "B", "B"],
    ...     "item": ["S1", "S2", "S1", "S2"], "demand": 3, "willingness": [5, 4, 2, 1]})
    >>> member_willingness(responses)[["member_code", "mean_willingness", "reluctant_items",
    ...     "rank"]].values.tolist()
    [['A', 4.5, 0, 1], ['B', 1.5, 2, 2]]
    """
    frame = responses.assign(reluctant=responses["willingness"] <= 2)
    table = frame.groupby("member_code", as_index=False).agg(
        mean_willingness=("willingness", "mean"),
        mean_demand=("demand", "mean"),
        items=("item", "nunique"),
        reluctant_items=("reluctant", "sum"),
    )
    table["reluctant_items"] = table["reluctant_items"].astype(int)
    table = table.sort_values(
        ["mean_willingness", "reluctant_items", "member_code"], ascending=[False, True, True]
    )
    table["rank"] = table["mean_willingness"].rank(ascending=False, method="min").astype(int)
    return table.reset_index(drop=True)


def most_willing(willingness: pd.DataFrame, count: int = 3) -> pd.DataFrame:
    """The ``count`` most willing members of :func:`member_willingness`, ties at the cut kept."""
    cut = willingness["mean_willingness"].nlargest(count).min() if count else float("inf")
    return willingness[willingness["mean_willingness"] >= cut].reset_index(drop=True)


def least_willing(willingness: pd.DataFrame, count: int = 3) -> pd.DataFrame:
    """The ``count`` least willing members, least willing first, ties at the cut kept.

    Examples
    --------
    >>> table = pd.DataFrame({"member_code": list("ABCD"),
    ...     "mean_willingness": [4.0, 2.0, 2.0, 3.0]})
    >>> least_willing(table, 1)["member_code"].tolist()
    ['B', 'C']
    """
    cut = willingness["mean_willingness"].nsmallest(count).max() if count else float("-inf")
    chosen = willingness[willingness["mean_willingness"] <= cut]
    return chosen.sort_values(["mean_willingness", "member_code"]).reset_index(drop=True)


def concerns(responses: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    """Each member's top concerns: the comments on items it rated at most
    ``CONCERN_WILLINGNESS`` willing, most often said first (then on the least willing items).

    Returns ``member_code, concern, mentions, items`` (``items``: the item codes, joined).

    Examples
    --------
    >>> responses = pd.DataFrame({"member_code": "A", "item": ["S1", "S2", "S3"],
    ...     "demand": 3, "willingness": [1, 2, 5],
    ...     "comment": ["Cost", " Cost ", "Great"]})
    >>> concerns(responses).values.tolist()
    [['A', 'Cost', 2, 'S1, S2']]
    """
    said = responses.assign(concern=responses["comment"].fillna("").astype(str).str.strip())
    said = said[(said["concern"] != "") & (said["willingness"] <= CONCERN_WILLINGNESS)]
    columns = ["member_code", "concern", "mentions", "items"]
    if said.empty:
        return pd.DataFrame(columns=columns)
    table = said.groupby(["member_code", "concern"], as_index=False).agg(
        mentions=("item", "size"),
        lowest=("willingness", "min"),
        items=("item", lambda items: ", ".join(sorted(items))),
    )
    table = table.sort_values(
        ["member_code", "mentions", "lowest", "concern"], ascending=[True, False, True, True]
    )
    return table.groupby("member_code").head(top)[columns].reset_index(drop=True)


def remediation_list(responses: pd.DataFrame, *, count: int = 3, top: int = 3) -> pd.DataFrame:
    """The least willing members with their top concerns, for the program office to act on.

    Returns ``member_code, mean_willingness, reluctant_items, concerns`` (concerns joined as
    ``text (mentions)``), least willing first.

    Examples
    --------
    >>> responses = pd.DataFrame({"member_code": ["A", "A", "B"], "item": ["S1", "S2", "S1"],
    ...     "demand": 3, "willingness": [1, 2, 5], "comment": ["Cost", "Cost", ""]})
    >>> remediation_list(responses, count=1).values.tolist()
    [['A', 1.5, 2, 'Cost (2)']]
    """
    reluctant = least_willing(member_willingness(responses), count)
    said = concerns(responses, top=top)
    joined = (
        said.assign(text=said["concern"] + " (" + said["mentions"].astype(str) + ")")
        .groupby("member_code")["text"]
        .agg("; ".join)
    )
    table = reluctant[["member_code", "mean_willingness", "reluctant_items"]].copy()
    table["concerns"] = [str(joined.get(code, "")) for code in table["member_code"]]
    return table.reset_index(drop=True)
