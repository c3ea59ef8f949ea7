"""The programme's view of all members' maps: which objectives and links they share.

Objectives of different maps are the same objective when they adopt the same programme-template
objective (``template_key``) or, failing that, carry the same title (case and spacing ignored); a
title that matches a template objective's title counts as adopting it.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from kpi.vocabulary import PERSPECTIVE_ORDER
from strategy_maps.model import MapDocument, MapObjective, lane_of

__all__ = ["objective_id", "adoption", "shared_links", "programme_graph", "ADOPTION_COLUMNS"]

ADOPTION_COLUMNS = [
    "objective",
    "perspective",
    "title",
    "title_zh",
    "adoption",
    "members",
    "mean_score",
    "scored",
]


def _normal_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def objective_id(objective: MapObjective, template: MapDocument | None = None) -> str:
    """What an objective is matched by across maps: its template key, else its title.

    Examples
    --------
    >>> objective_id(MapObjective("X9", "customer", "Open  Data", template_key=None))
    'title:open data'
    >>> objective_id(MapObjective("C7", "customer", "Faster", template_key="C1"))
    'C1'
    """
    if objective.template_key:
        return objective.template_key
    if template is not None:
        title = _normal_title(objective.title)
        for candidate in template.objectives:
            if _normal_title(candidate.title) == title:
                return candidate.key
    return f"title:{_normal_title(objective.title)}"


def _matched(
    maps: Mapping[str, MapDocument], template: MapDocument | None
) -> dict[str, dict[str, str]]:
    """member → objective key → objective id."""
    return {
        member: {o.key: objective_id(o, template) for o in document.objectives}
        for member, document in maps.items()
    }


def adoption(
    maps: Mapping[str, MapDocument],
    template: MapDocument | None = None,
    scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per objective found in any map (template objectives first, even if unadopted).

    ``scores`` (columns ``member``, ``objective_key``, ``score``) adds each objective's mean score
    over the members that have one (``scored`` of them).

    Examples
    --------
    >>> template = MapDocument("T", objectives=(MapObjective("F1", "financial", "Cost"),))
    >>> m1 = MapDocument("A", "M001", (MapObjective("F1", "financial", "Cost", template_key="F1"),))
    >>> m2 = MapDocument("B", "M002", (MapObjective("X", "financial", "cost"),))
    >>> adoption({"M001": m1, "M002": m2}, template)[["objective", "adoption", "members"]].values
    array([['F1', 2, 'M001, M002']], dtype=object)
    """
    matched = _matched(maps, template)
    found: dict[str, MapObjective] = {}
    if template is not None:
        found.update({o.key: o for o in template.objectives})
    members: dict[str, list[str]] = {}
    for member, document in maps.items():
        for objective in document.objectives:
            identity = matched[member][objective.key]
            found.setdefault(identity, objective)
            if member not in members.setdefault(identity, []):
                members[identity].append(member)
    mean, count = _mean_scores(matched, scores)
    template_keys = [] if template is None else template.keys
    rows = [
        {
            "objective": identity,
            "perspective": objective.perspective,
            "title": objective.title,
            "title_zh": objective.title_zh,
            "adoption": len(members.get(identity, [])),
            "members": ", ".join(sorted(members.get(identity, []))),
            "mean_score": mean.get(identity),
            "scored": count.get(identity, 0),
        }
        for identity, objective in found.items()
    ]
    frame = pd.DataFrame(rows, columns=ADOPTION_COLUMNS)
    frame["_template"] = [
        template_keys.index(i) if i in template_keys else len(template_keys)
        for i in frame["objective"]
    ]
    frame["_lane"] = [_lane(p) for p in frame["perspective"]]
    frame = frame.sort_values(["_template", "_lane", "title"], kind="stable")
    return frame.drop(columns=["_template", "_lane"]).reset_index(drop=True)


def _lane(perspective: str) -> int:
    lane = lane_of(perspective)
    return len(PERSPECTIVE_ORDER) if lane is None else lane


def _mean_scores(
    matched: dict[str, dict[str, str]], scores: pd.DataFrame | None
) -> tuple[dict[str, float], dict[str, int]]:
    if scores is None or scores.empty:
        return {}, {}
    frame = scores.dropna(subset=["score"]).copy()
    frame["objective"] = [
        matched.get(member, {}).get(key)
        for member, key in zip(frame["member"], frame["objective_key"], strict=True)
    ]
    grouped = frame.dropna(subset=["objective"]).groupby("objective")["score"]
    means = {str(key): float(value) for key, value in grouped.mean().items()}
    counts = {str(key): int(value) for key, value in grouped.count().items()}
    return means, counts


def shared_links(
    maps: Mapping[str, MapDocument], template: MapDocument | None = None
) -> pd.DataFrame:
    """Each link between matched objectives with how many members (and which) draw it, most
    shared first."""
    matched = _matched(maps, template)
    members: dict[tuple[str, str], list[str]] = {}
    for member, document in maps.items():
        for cause, effect in document.links:
            if cause in matched[member] and effect in matched[member]:
                link = (matched[member][cause], matched[member][effect])
                if member not in members.setdefault(link, []):
                    members[link].append(member)
    rows = [
        {"cause": c, "effect": e, "members": ", ".join(sorted(m)), "count": len(m)}
        for (c, e), m in members.items()
    ]
    frame = pd.DataFrame(rows, columns=["cause", "effect", "members", "count"])
    return frame.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def programme_graph(
    maps: Mapping[str, MapDocument],
    template: MapDocument | None = None,
    scores: pd.DataFrame | None = None,
) -> nx.DiGraph:
    """The aggregate map: one node per matched objective (with its adoption and mean score),
    one edge per shared link (with ``count``), ready for :func:`~strategy_maps.layout.lane_layout`.
    """
    graph = nx.DiGraph(name="programme", member=None)
    for row in adoption(maps, template, scores).itertuples(index=False):
        graph.add_node(
            row.objective,
            perspective=row.perspective,
            title=row.title,
            title_zh=row.title_zh,
            adoption=row.adoption,
            members=row.members,
            mean_score=row.mean_score,
            kpis=(),
        )
    for row in shared_links(maps, template).itertuples(index=False):
        graph.add_edge(row.cause, row.effect, count=row.count, members=row.members)
    return graph
