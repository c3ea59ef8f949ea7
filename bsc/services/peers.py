"""Anonymised peer statistics: how a member compares without naming any other member.

Every active member takes part in the comparison, whatever the principal may read; only
percentiles, quartile bands and quartiles leave this module — never a peer's code, name or
single value — and only when enough members have data (:data:`kpi.scoring.compare.MIN_PEERS`).
"""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session

from bsc.authz import Principal, can_read_member, require
from bsc.i18n import N_
from bsc.repo import get_member
from bsc.services.scorecard import parse_scorecard_period, reach_back
from bsc.services.scoring_data import load_inputs, load_members, scoring_rules
from kpi.scoring import Period, Results, score_history
from kpi.scoring.compare import goodness, peer_quartiles, peer_ranks
from kpi.scoring.data import ScoringData

__all__ = ["peer_statistics", "peer_table", "benchmark_of", "peer_benchmark"]


def _everyone(session: Session, period: Period) -> tuple[ScoringData, Results]:
    """Every active member scored for ``period`` (peers need no trends or forecasts)."""
    members = load_members(session)
    inputs = load_inputs(session, list(members["id"]), first_month=reach_back(period))
    results = score_history(
        inputs.data, [period], rules=scoring_rules(session), members=list(inputs.members["id"])
    )
    return inputs.data, results


def peer_statistics(session: Session, *, principal: Principal, period: str) -> pd.DataFrame:
    """Quartiles of all members' scores for ``period``, per perspective and overall
    (perspective ``None``): perspective, peers, p25, median, p75. Anyone signed in may read
    them: they name no one."""
    _data, results = _everyone(session, parse_scorecard_period(period))
    overall = results.members.assign(perspective="")
    frame = pd.concat([results.perspectives, overall], ignore_index=True)
    stats = peer_quartiles(frame, group="perspective", column="score")
    stats["perspective"] = stats["perspective"].where(stats["perspective"] != "", None)
    return stats


def peer_table(session: Session, period: str) -> pd.DataFrame:
    """Every member's standing on each programme-wide KPI for ``period`` — member (id),
    kpi_code, value_period, value, percentile, band, peers, p25, median, p75.

    It holds every member's values, so it is for :func:`benchmark_of` (and a cache in front of
    it) only: one member's rows are all that may leave.
    """
    data, results = _everyone(session, parse_scorecard_period(period))
    kpis = results.kpis
    programme = data.catalogue.loc[data.catalogue["member_id"].isna()].index
    kpis = kpis[kpis["kpi"].isin(programme)].copy()
    # Values of KPIs standing in from another period (a quarter in a monthly scorecard) compare
    # like with like: every member's stand-in is the same unit.
    kpis["goodness"] = goodness(kpis)
    ranked = kpis.join(peer_ranks(kpis, group="kpi"))
    quartiles = peer_quartiles(kpis, group="kpi", column="value")
    table = ranked.merge(quartiles.drop(columns=["peers"]), on="kpi", how="left")
    table["kpi_code"] = table["kpi"].map(data.catalogue["code"])
    return table[["member", *_BENCHMARK_COLUMNS]]


def benchmark_of(table: pd.DataFrame, member_id: int) -> pd.DataFrame:
    """``member_id``'s rows of a :func:`peer_table`, without the member column."""
    mine = table.loc[table["member"] == member_id, _BENCHMARK_COLUMNS]
    return mine.sort_values("kpi_code").reset_index(drop=True)


def peer_benchmark(
    session: Session, *, principal: Principal, member_code: str, period: str
) -> pd.DataFrame:
    """Where ``member_code`` stands among all members on each programme-wide KPI for
    ``period``: kpi_code, value, percentile (0–100, share of peers beaten), band (quartile),
    peers (members with a value), and the peers' p25, median, p75 of the value."""
    member = get_member(session, code=member_code)
    assert member.id is not None
    require(
        can_read_member(principal, member.id),
        N_("the peer benchmark of member {member}"),
        member=member_code,
    )
    return benchmark_of(peer_table(session, period), member.id)


_BENCHMARK_COLUMNS = [
    "kpi_code",
    "value_period",
    "value",
    "percentile",
    "band",
    "peers",
    "p25",
    "median",
    "p75",
]
