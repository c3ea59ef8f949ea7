"""Charts and tables of the strategy-map screens: a member's coloured map, its objectives, the
evidence for its links, and the programme's aggregate map.

The data behind them is cached on the data versions (:func:`dashboard.cache.remembered`), so the
page and its callbacks compute it once per change of the data (``bsc export`` computes it afresh).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bsc.i18n import N_, format_percent_value, label, t
from bsc.repo import get_member
from bsc.services import map_views
from bsc.services.maps import StoredMap, current_map
from dashboard import cache
from dashboard.access import Access
from dashboard.components.map_graph import ObjectiveState, objective_title
from dashboard.figures.map_drawing import map_figure
from dashboard.figures.scorecard import member_of
from dashboard.names import member_label
from dashboard.registry import ExportContext, chart, table
from strategy_maps.model import MapDocument, to_graph

__all__ = [
    "MemberMap",
    "member_map",
    "objective_states",
    "verdicts",
    "programme_data",
    "programme_states",
    "programme_labels",
    "strategy_map_chart",
    "map_objectives_table",
    "link_evidence_table",
    "programme_map_chart",
    "programme_objectives_table",
    "programme_links_table",
]


@dataclass(frozen=True)
class MemberMap:
    """A member's published map with its scores for a period and the evidence for its links."""

    member: str
    period: str
    stored: StoredMap | None
    scores: map_views.MapScores | None
    evidence: pd.DataFrame


def _period(context: ExportContext) -> str:
    return context.period or cache.latest_period(context.session)


def member_map(context: ExportContext) -> MemberMap:
    """Everything the map screen shows of ``context.member_code`` (rights checked first)."""
    session, principal = context.session, context.principal
    code = member_of(context)
    period = _period(context)
    stored = current_map(session, principal=principal, member_code=code)
    if stored is None:
        return MemberMap(code, period, None, None, pd.DataFrame())
    member_id = get_member(session, code=code).id  # both read this member's values only
    scores = cache.remembered(
        session,
        "map_scores",
        (code, period),
        lambda: map_views.map_scores(session, principal=principal, member_code=code, period=period),
        member_id=member_id,
    )
    evidence = cache.remembered(
        session,
        "map_evidence",
        (code,),
        lambda: map_views.map_evidence(session, principal=principal, member_code=code),
        member_id=member_id,
    )
    return MemberMap(code, period, stored, scores, evidence)


def _number(value: Any) -> float | None:
    """A number, or None for a missing one (None, NaN, pandas' NA)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def objective_states(scores: map_views.MapScores | None) -> dict[str, ObjectiveState]:
    if scores is None:
        return {}
    return {
        str(row["key"]): ObjectiveState(
            status=str(row["status"] or "grey"), score=_number(row["score"])
        )
        for row in scores.objectives.to_dict("records")
    }


def verdicts(evidence: pd.DataFrame) -> dict[tuple[str, str], str]:
    if evidence.empty:
        return {}
    return {
        (str(row["cause"]), str(row["effect"])): str(row["verdict"])
        for row in evidence.to_dict("records")
    }


@chart("strategy_map", title=N_("Strategy map"), access=Access.MEMBER)
def strategy_map_chart(context: ExportContext) -> go.Figure:
    """The member's published map coloured by objective status for the period."""
    found = member_map(context)
    if found.stored is None:
        return map_figure(to_graph(MapDocument(name="")), subtitle=t("No published map"))
    member = get_member(context.session, code=found.member)
    subtitle = t(
        "{member} · {name} · {period}",
        member=member_label(member),
        name=found.stored.name,
        period=found.period,
    )
    return map_figure(
        to_graph(found.stored.document),
        objective_states(found.scores),
        evidence=verdicts(found.evidence),
        subtitle=subtitle,
    )


@table("map_objectives", title=N_("Objectives of the map"), access=Access.MEMBER)
def map_objectives_table(context: ExportContext) -> pd.DataFrame:
    """Each objective with its perspective, score, status, coverage, KPIs and why."""
    found = member_map(context)
    columns = [
        t("Key"),
        t("Perspective"),
        t("Objective"),
        t("Score"),
        t("Status"),
        t("Coverage"),
        t("KPIs"),
        t("Why"),
    ]
    if found.stored is None:
        return pd.DataFrame(columns=columns)
    states = (
        {} if found.scores is None else found.scores.objectives.set_index("key").to_dict("index")
    )
    rows = []
    for objective in found.stored.document.objectives:
        state = states.get(objective.key, {})
        rows.append(
            [
                objective.key,
                label(objective.perspective),
                objective_title({"title": objective.title, "title_zh": objective.title_zh}),
                _rounded(state.get("score"), 1),
                label(str(state.get("status") or "grey")),
                format_percent_value(_number(state.get("coverage"))),
                ", ".join(objective.kpi_codes),
                state.get("explanation") or "",
            ]
        )
    return pd.DataFrame(rows, columns=columns)


def _rounded(value: object, digits: int) -> float | None:
    number = _number(value)
    return None if number is None else round(number, digits)


@table("link_evidence", title=N_("Evidence for the links"), access=Access.MEMBER)
def link_evidence_table(context: ExportContext) -> pd.DataFrame:
    """Per link: the verdict, the best lag, n, r, p-values and Granger's p, with r at each lag."""
    evidence = member_map(context).evidence
    columns = [
        t("Cause"),
        t("Effect"),
        t("Verdict"),
        t("Lag (months)"),
        t("n"),
        t("r"),
        t("p-value"),
        t("p adjusted"),
        t("Granger p"),
        *(t("r at lag {lag}", lag=lag) for lag in range(4)),
        t("Shared KPIs"),
    ]
    rows = [
        [
            row["cause"],
            row["effect"],
            label(row["verdict"]),
            row["lag"],
            row["n"],
            _rounded(row["r"], 2),
            _rounded(row["p_value"], 4),
            _rounded(row["p_adjusted"], 4),
            _rounded(row["granger_p"], 4),
            *(_rounded(row[f"r_lag{lag}"], 2) for lag in range(4)),
            row["shared_kpis"],
        ]
        for row in evidence.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=columns)


def programme_data(context: ExportContext) -> map_views.ProgrammeMap:
    session, principal = context.session, context.principal
    period = _period(context)
    view = cache.view_key(principal)
    return cache.remembered(
        session,
        "programme_map",
        (view, period),
        lambda: map_views.programme_map(session, principal=principal, period=period),
    )


def programme_states(data: map_views.ProgrammeMap) -> dict[str, ObjectiveState]:
    """Programme objectives coloured by the status of their mean score (grey when unscored)."""
    states = {}
    for row in data.adoption.to_dict("records"):
        score = _number(row["mean_score"])
        status = (
            "grey"
            if score is None
            else "green"
            if score >= 80
            else "amber"
            if score >= 60
            else "red"
        )
        states[str(row["objective"])] = ObjectiveState(status=status, score=score)
    return states


@chart("programme_map", title=N_("Programme map"), access=Access.PROGRAMME)
def programme_map_chart(context: ExportContext) -> go.Figure:
    """Every objective any member adopted, coloured by its mean score, with the shared links."""
    data = programme_data(context)
    graph = data.graph
    subtitle = t(
        "{count} members with a published map · {period}", count=data.members, period=data.period
    )
    return map_figure(
        graph, programme_states(data), labels=programme_labels(data), subtitle=subtitle
    )


def programme_labels(data: map_views.ProgrammeMap) -> dict[str, str]:
    """Each programme objective's title and how many of the members adopted it."""
    return {
        str(key): t(
            "{title} ({count} of {total})",
            title=objective_title(node),
            count=int(node["adoption"]),
            total=data.members,
        )
        for key, node in data.graph.nodes(data=True)
    }


@table(
    "programme_objectives", title=N_("Objectives adopted across members"), access=Access.PROGRAMME
)
def programme_objectives_table(context: ExportContext) -> pd.DataFrame:
    """Each objective any member adopted: its template key (none when it is matched by its
    title), perspective, title, adoption and mean score."""
    data = programme_data(context)
    columns = [
        t("Template key"),
        t("Perspective"),
        t("Title"),
        t("Adopted by"),
        t("Members"),
        t("Mean score"),
        t("Scored"),
    ]
    rows = [
        [
            "" if row["objective"].startswith("title:") else row["objective"],
            label(row["perspective"]),
            objective_title(row),
            int(row["adoption"]),
            row["members"],
            _rounded(row["mean_score"], 1),
            int(row["scored"]),
        ]
        for row in data.adoption.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=columns)


@table("programme_links", title=N_("Links members share"), access=Access.PROGRAMME)
def programme_links_table(context: ExportContext) -> pd.DataFrame:
    data = programme_data(context)
    titles = {row["objective"]: objective_title(row) for row in data.adoption.to_dict("records")}
    columns = [t("Cause"), t("Effect"), t("Members sharing it"), t("Members")]
    rows = [
        [
            titles.get(row["cause"], row["cause"]),
            titles.get(row["effect"], row["effect"]),
            int(row["count"]),
            row["members"],
        ]
        for row in data.links.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=columns)
