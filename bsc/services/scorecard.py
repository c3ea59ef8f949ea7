"""Balanced scorecards as the product shows them: one member's, or every readable member's.

Every function here checks the principal's read rights (:mod:`bsc.authz`) before it scores, and
returns only what that principal may see. Scoring itself is :mod:`kpi.scoring`; these functions
read its inputs, name the results (codes, titles) and word the explanations in the principal's
language. Nothing here caches: the web app keys its cache on the data versions. The result
shapes and period helpers live in :mod:`bsc.services.scorecard_results` and are re-exported.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlmodel import Session

from bsc.authz import Principal, can_read_member, require
from bsc.errors import InvalidInput
from bsc.i18n import N_
from bsc.models import Member
from bsc.repo import get_member, visible_members
from bsc.services.scorecard_results import (
    ProgrammeScores,
    Scorecard,
    json_value,
    latest_period,
    parse_scorecard_period,
    period_choices,
    reach_back,
    wording,
)
from bsc.services.scoring_data import ScoringInputs, load_inputs, scoring_rules
from kpi.scoring import (
    Period,
    PeriodKind,
    Results,
    RollupRules,
    explain_kpis,
    explain_rollups,
    parse_period,
    score,
    score_history,
)

__all__ = [
    "Scorecard",
    "ProgrammeScores",
    "TREND_WINDOW",
    "scorecard",
    "scored_member",
    "programme_scores",
    "programme_periods",
    "kpi_results",
    "objective_history",
    "perspective_history",
    "latest_period",
    "period_choices",
    "parse_scorecard_period",
    "reach_back",
    "wording",
]

#: How many reported units (months, quarters, years) a trend and a forecast look back on.
TREND_WINDOW = 6
#: How many recent values a KPI row carries for its sparkline.
SPARKLINE_POINTS = 12


def scored_member(session: Session, *, code: str) -> Member:
    """The member ``code`` names, if scorecards are computed for it (active members only)."""
    member = get_member(session, code=code)
    if not member.active:
        raise InvalidInput(
            N_("member {code} is inactive: scorecards are kept for active members only"),
            code=code,
        )
    return member


def _score(
    session: Session, member_ids: Sequence[int], period: Period
) -> tuple[ScoringInputs, Results, RollupRules]:
    inputs = load_inputs(session, member_ids, first_month=reach_back(period, TREND_WINDOW))
    rules = scoring_rules(session)
    results = score(
        inputs.data,
        period,
        rules=rules,
        window=TREND_WINDOW,
        members=list(inputs.members["id"]),
    )
    return inputs, results, rules


def _named_kpis(inputs: ScoringInputs, kpis: pd.DataFrame) -> pd.DataFrame:
    """KPI rows with member and KPI codes, the KPI's names and its first objective."""
    codes = inputs.members.set_index("id")["code"]
    catalogue = inputs.kpis
    named = kpis.copy()
    named["member_code"] = named["member"].map(codes)
    named["kpi_code"] = named["kpi"].map(catalogue["code"])
    named["programme_wide"] = named["kpi"].map(catalogue["member_id"]).isna()
    links = inputs.data.links.sort_values(["member", "objective"])
    first = links.drop_duplicates(["member", "kpi"]).set_index(["member", "kpi"])["objective"]
    keys = pd.MultiIndex.from_frame(named[["member", "kpi"]])
    named["objective_key"] = first.reindex(keys).to_numpy()
    named["objective_key"] = (
        named["objective_key"].astype(object).where(named["objective_key"].notna(), None)
    )
    return named


def _explain_rollups(frame: pd.DataFrame, rules: RollupRules) -> pd.Series:
    return explain_rollups(
        frame,
        green=rules.green,
        amber=rules.amber,
        weight_total=rules.weight_total,
        wording=wording(),
    )


def _sparklines(inputs: ScoringInputs, period: Period, pairs: pd.DataFrame) -> pd.Series:
    """The last reported values of each pair up to the period's end, oldest first."""
    native = inputs.data.native
    unit = inputs.data.pairs["unit_months"]
    native = native[native["pair"].isin(pairs.index)]
    native = native[native["start"] + unit.reindex(native["pair"]).to_numpy() - 1 <= period.last]
    recent = native.groupby("pair").cumcount(ascending=False) < SPARKLINE_POINTS
    values = native[recent.to_numpy()].groupby("pair")["value"].agg(list)
    return pd.Series([values.get(p, []) for p in pairs.index], index=pairs.index, dtype=object)


def scorecard(
    session: Session, *, principal: Principal, member_code: str, period: str
) -> Scorecard:
    """The scorecard of ``member_code`` for ``period`` (a canonical period label).

    Raises :class:`~bsc.errors.NotFound` for an unknown member, :class:`~bsc.errors.Forbidden`
    when the principal may not read it, :class:`~bsc.errors.InvalidInput` for a bad period.
    """
    member = scored_member(session, code=member_code)
    assert member.id is not None
    require(
        can_read_member(principal, member.id),
        N_("the scorecard of member {member}"),
        member=member_code,
    )
    parsed = parse_scorecard_period(period)
    inputs, results, rules = _score(session, [member.id], parsed)

    kpis = _named_kpis(inputs, results.kpis)
    kpis["history"] = _sparklines(inputs, parsed, inputs.data.pairs).reindex(kpis["pair"]).values
    kpis["explanation"] = explain_kpis(kpis, wording())
    catalogue = inputs.kpis
    kpis = kpis.assign(
        code=kpis["kpi_code"],
        name=kpis["kpi"].map(catalogue["name"]),
        name_zh=kpis["kpi"].map(catalogue["name_zh"]),
        unit=kpis["kpi"].map(catalogue["unit"]),
        period=kpis["value_period"],
    ).sort_values(["perspective", "code"], key=_perspective_order)

    objectives = results.objectives.merge(
        inputs.objectives.rename(columns={"member_id": "member", "key": "objective"}),
        on=["member", "objective", "perspective"],
        how="left",
    )
    objectives["explanation"] = _explain_rollups(objectives, rules)
    objectives = objectives.rename(columns={"objective": "key"}).sort_values(
        ["perspective", "position", "key"], key=_perspective_order
    )
    perspectives = results.perspectives.copy()
    perspectives["explanation"] = _explain_rollups(perspectives, rules)
    overall = results.members.copy()
    overall["explanation"] = _explain_rollups(overall, rules)
    links = inputs.data.links.assign(
        objective_key=inputs.data.links["objective"],
        code=inputs.data.links["kpi"].map(catalogue["code"]),
    )[["objective_key", "code", "weight"]]
    top = overall.iloc[0]
    return Scorecard(
        member=member.code,
        name=member.name,
        period=parsed.label,
        score=json_value(top["score"]),
        status=str(top["status"]),
        coverage=float(top["coverage"]),
        explanation=str(top["explanation"]),
        perspectives=perspectives.drop(columns=["member"]).reset_index(drop=True),
        objectives=objectives.drop(columns=["member"]).reset_index(drop=True),
        kpis=kpis.drop(columns=["member", "kpi", "pair"]).reset_index(drop=True),
        links=links.reset_index(drop=True),
    )


def _perspective_order(column: pd.Series) -> pd.Series:
    if column.name != "perspective":
        return column
    order = {"financial": 0, "customer": 1, "process": 2, "learning": 3}
    return column.map(order)


def _readable_ids(
    session: Session, principal: Principal, member_codes: Sequence[str] | None
) -> list[int]:
    members = visible_members(session, principal=principal)
    if member_codes is not None:
        wanted = set(member_codes)
        members = [m for m in members if m.code in wanted]
    return [m.id for m in members if m.id is not None and m.active]


def _programme(
    inputs: ScoringInputs, results: Results, rules: RollupRules, label: str, explain: bool
) -> ProgrammeScores:
    """The results of period ``label``, named by member code."""
    codes = inputs.members.set_index("id")["code"]
    rolled = results.members[results.members["period"] == label].drop(columns=["period"])
    members = inputs.members.merge(rolled, left_on="id", right_on="member", how="left")
    members["explanation"] = _explain_rollups(members, rules)
    perspectives = results.perspectives[results.perspectives["period"] == label]
    perspectives = perspectives.assign(member_code=perspectives["member"].map(codes))
    perspectives["explanation"] = _explain_rollups(perspectives, rules)
    kpis = _named_kpis(inputs, results.kpis[results.kpis["period"] == label])
    if explain:
        kpis["explanation"] = explain_kpis(
            kpis.assign(unit=kpis["kpi"].map(inputs.kpis["unit"])), wording()
        )
    return ProgrammeScores(
        period=label,
        members=members.drop(columns=["member", "id"]).reset_index(drop=True),
        perspectives=perspectives.drop(columns=["member"]).reset_index(drop=True),
        kpis=kpis.drop(columns=["member", "kpi", "pair"]).reset_index(drop=True),
    )


def programme_scores(
    session: Session,
    *,
    principal: Principal,
    period: str,
    member_codes: Sequence[str] | None = None,
    explain: bool = True,
) -> ProgrammeScores:
    """Scores of every member the principal may read (or of those of ``member_codes`` among
    them) for ``period``, with trends and forecasts; ``explain`` adds KPI explanations
    (roll-ups always have theirs)."""
    parsed = parse_scorecard_period(period)
    ids = _readable_ids(session, principal, member_codes)
    inputs, results, rules = _score(session, ids, parsed)
    return _programme(inputs, results, rules, parsed.label, explain)


def programme_periods(
    session: Session,
    *,
    principal: Principal,
    periods: Sequence[str],
    member_codes: Sequence[str] | None = None,
) -> dict[str, ProgrammeScores]:
    """Scores of the readable members for several periods in one pass — without trends,
    forecasts and KPI explanations (what comparisons between periods need)."""
    parsed = [parse_scorecard_period(period) for period in periods]
    ids = _readable_ids(session, principal, member_codes)
    inputs = load_inputs(session, ids, first_month=min(reach_back(period) for period in parsed))
    rules = scoring_rules(session)
    results = score_history(inputs.data, parsed, rules=rules, members=list(inputs.members["id"]))
    return {p.label: _programme(inputs, results, rules, p.label, False) for p in parsed}


def kpi_results(
    session: Session,
    *,
    principal: Principal,
    period: str,
    member_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per readable member × KPI for ``period``: member_code, kpi_code, perspective,
    objective_key, period, value, target, score, status, explanation, coverage, trend,
    programme_wide."""
    scores = programme_scores(
        session, principal=principal, period=period, member_codes=member_codes
    )
    columns = [
        "member_code",
        "kpi_code",
        "perspective",
        "objective_key",
        "period",
        "value_period",
        "value",
        "target",
        "score",
        "status",
        "coverage",
        "explanation",
        "programme_wide",
    ]
    return scores.kpis[columns].sort_values(["member_code", "kpi_code"]).reset_index(drop=True)


def _monthly_history(
    session: Session, principal: Principal, member_code: str, periods: int
) -> tuple[ScoringInputs, Results]:
    member = scored_member(session, code=member_code)
    assert member.id is not None
    require(
        can_read_member(principal, member.id),
        N_("the history of member {member}"),
        member=member_code,
    )
    if periods < 1:
        raise InvalidInput(N_("periods must be at least 1"))
    last = parse_period(latest_period(session)).last
    months = [Period(PeriodKind.MONTH, index) for index in range(last - periods + 1, last + 1)]
    inputs = load_inputs(session, [member.id], first_month=reach_back(months[0]))
    results = score_history(inputs.data, months, rules=scoring_rules(session), members=[member.id])
    return inputs, results


def objective_history(
    session: Session, *, principal: Principal, member_code: str, periods: int = 24
) -> pd.DataFrame:
    """Monthly scores of the objectives of a member's current map over the last ``periods``
    months up to :func:`latest_period`: objective_key, period, score, status, coverage."""
    _inputs, results = _monthly_history(session, principal, member_code, periods)
    frame = results.objectives.rename(columns={"objective": "objective_key"})
    columns = ["objective_key", "period", "score", "status", "coverage"]
    return frame[columns].sort_values(["objective_key", "period"]).reset_index(drop=True)


def perspective_history(
    session: Session, *, principal: Principal, member_code: str, periods: int = 24
) -> pd.DataFrame:
    """Monthly scores of a member's perspectives and of the member as a whole (perspective
    ``None``): perspective, period, score, status, coverage."""
    _inputs, results = _monthly_history(session, principal, member_code, periods)
    overall = results.members.assign(perspective=None)
    columns = ["perspective", "period", "score", "status", "coverage"]
    return pd.concat([results.perspectives[columns], overall[columns]], ignore_index=True)
