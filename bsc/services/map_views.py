"""What the map screens show beyond the map itself: objective scores for a period, the evidence
for each link, and the programme's view of every member's map.

Scores come from the scorecard service (the member's published map is what scoring uses);
the analysis is :mod:`strategy_maps.evidence` and :mod:`strategy_maps.programme`.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd
from sqlmodel import Session

from bsc.authz import Principal, can_read_programme, require
from bsc.errors import BscError
from bsc.i18n import N_
from bsc.services import map_store
from bsc.services import scorecard as scorecard_service
from bsc.services.maps import current_map
from bsc.services.scoring_data import scoring_rules
from strategy_maps.evidence import EVIDENCE_COLUMNS, link_evidence
from strategy_maps.model import MapDocument, to_graph
from strategy_maps.programme import adoption, programme_graph, shared_links

__all__ = [
    "MapScores",
    "ProgrammeMap",
    "EVIDENCE_PERIODS",
    "map_scores",
    "map_evidence",
    "programme_map",
]

#: Months of objective scores the link evidence looks at.
EVIDENCE_PERIODS = 36

_OBJECTIVE_COLUMNS = ["key", "score", "status", "coverage", "explanation"]
_KPI_COLUMNS = [
    "objective_key",
    "code",
    "name",
    "name_zh",
    "unit",
    "period",
    "value",
    "target",
    "score",
    "status",
    "trend",
    "explanation",
    "weight",
]


@dataclass(frozen=True)
class MapScores:
    """The scores behind a coloured map: one row per objective and per objective × KPI."""

    period: str
    score: float | None
    status: str
    objectives: pd.DataFrame  #: key, score, status, coverage, explanation
    kpis: pd.DataFrame  #: objective_key, code, name, unit, value, target, score, status, …


def map_scores(
    session: Session, *, principal: Principal, member_code: str, period: str
) -> MapScores:
    """Objective and KPI scores of ``member_code``'s published map for ``period``."""
    card = scorecard_service.scorecard(
        session, principal=principal, member_code=member_code, period=period
    )
    kpis = card.links.merge(
        card.kpis.drop(columns=["objective_key", "weight"], errors="ignore"), on="code"
    )
    return MapScores(
        period=card.period,
        score=card.score,
        status=card.status,
        objectives=card.objectives.reindex(columns=_OBJECTIVE_COLUMNS),
        kpis=kpis.reindex(columns=_KPI_COLUMNS).reset_index(drop=True),
    )


def map_evidence(
    session: Session,
    *,
    principal: Principal,
    member_code: str,
    periods: int = EVIDENCE_PERIODS,
) -> pd.DataFrame:
    """The evidence for each link of the published map from the last ``periods`` months of
    objective scores (columns of :data:`strategy_maps.evidence.EVIDENCE_COLUMNS`)."""
    stored = current_map(session, principal=principal, member_code=member_code)
    if stored is None:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    history = scorecard_service.objective_history(
        session, principal=principal, member_code=member_code, periods=periods
    )
    return link_evidence(to_graph(stored.document), history)


@dataclass(frozen=True)
class ProgrammeMap:
    """Every member's published map, aggregated by objective."""

    period: str
    member_codes: list[str]  #: members with a published map
    adoption: pd.DataFrame  #: objective, perspective, title, adoption, members, mean_score, status
    links: pd.DataFrame  #: cause, effect, members, count
    graph: nx.DiGraph

    @property
    def members(self) -> int:
        return len(self.member_codes)


def programme_map(session: Session, *, principal: Principal, period: str) -> ProgrammeMap:
    """Objectives adopted across members with their mean score for ``period``, and the links
    most members share. For the programme roles only: it names members."""
    require(can_read_programme(principal), N_("the programme map names every member"))
    maps = {code: document for code, (_row, document) in map_store.published_maps(session).items()}
    template_row = map_store.published_version(session, member_id=None) or map_store.latest_version(
        session, member_id=None
    )
    template: MapDocument | None = None
    if template_row is not None:
        template = map_store.read_version(session, template_row, member_code=None)
    frames = []
    for code in maps:
        try:
            card = scorecard_service.scorecard(
                session, principal=principal, member_code=code, period=period
            )
        except BscError:
            continue
        frames.append(card.objectives[["key", "score"]].assign(member=code))
    scores = (
        pd.concat(frames, ignore_index=True).rename(columns={"key": "objective_key"})
        if frames
        else None
    )
    adopted = adoption(maps, template, scores)
    adopted["status"] = scoring_rules(session).status_of(adopted["mean_score"].astype(float))
    return ProgrammeMap(
        period=period,
        member_codes=list(maps),
        adoption=adopted,
        links=shared_links(maps, template),
        graph=programme_graph(maps, template, scores),
    )
