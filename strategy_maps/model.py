"""A strategy map as a value (:class:`MapDocument`) and as a ``networkx.DiGraph``.

The document is what files, the database and the editor hold: objectives and links in the order
the author wrote them, even when they are wrong (a duplicate key, a link to nowhere) so that
validation can say so. The graph is what the analysis runs on: one node per objective key with the
objective's fields as attributes, one edge per cause → effect link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from kpi.vocabulary import PERSPECTIVE_ORDER, parse_perspective

__all__ = [
    "KpiRef",
    "MapObjective",
    "MapDocument",
    "to_graph",
    "from_graph",
    "lane_of",
]


@dataclass(frozen=True)
class KpiRef:
    """A KPI of the catalogue, by code, measuring an objective with a weight in its roll-up."""

    code: str
    weight: float = 1.0


@dataclass(frozen=True)
class MapObjective:
    """One objective of a map.

    ``perspective`` is the canonical perspective (``"financial"`` …) when the text given was one of
    its names or aliases, else the text as written, which validation reports.
    ``line`` is where the objective starts in the file it was read from (not compared).
    """

    key: str
    perspective: str
    title: str
    title_zh: str | None = None
    description: str | None = None
    kpis: tuple[KpiRef, ...] = ()
    template_key: str | None = None
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def kpi_codes(self) -> tuple[str, ...]:
        return tuple(ref.code for ref in self.kpis)


@dataclass(frozen=True)
class MapDocument:
    """A whole map: its name, its member (``None`` for the programme template), objectives, links.

    ``links`` are ``(cause, effect)`` pairs of objective keys; ``link_lines`` holds the file line
    of each link when read from a file (not compared).
    """

    name: str
    member: str | None = None
    objectives: tuple[MapObjective, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    link_lines: tuple[int | None, ...] = field(default=(), compare=False, repr=False)

    @property
    def keys(self) -> list[str]:
        return [objective.key for objective in self.objectives]

    def objective(self, key: str) -> MapObjective | None:
        """The first objective with ``key``, if any."""
        return next((o for o in self.objectives if o.key == key), None)

    def line_of_link(self, index: int) -> int | None:
        return self.link_lines[index] if index < len(self.link_lines) else None


def lane_of(perspective: str) -> int | None:
    """The lane index (0 = financial, top) of a perspective name or alias, if it is one.

    Examples
    --------
    >>> lane_of("learning"), lane_of("顧客"), lane_of("marketing")
    (3, 1, None)
    """
    found = parse_perspective(perspective)
    return None if found is None else PERSPECTIVE_ORDER.index(found)


def to_graph(document: MapDocument) -> nx.DiGraph:
    """The map as a directed graph: nodes are objective keys, edges cause → effect.

    A key given twice keeps its first objective; links naming a missing objective are left out
    (validation reports both). Nodes and edges keep the document's order.

    Examples
    --------
    >>> doc = MapDocument(
    ...     name="Pilot",
    ...     objectives=(
    ...         MapObjective("F1", "financial", "Lower cost"),
    ...         MapObjective("L1", "learning", "Cloud skills"),
    ...     ),
    ...     links=(("L1", "F1"),),
    ... )
    >>> graph = to_graph(doc)
    >>> list(graph.edges), graph.nodes["F1"]["perspective"]
    ([('L1', 'F1')], 'financial')
    """
    graph = nx.DiGraph(name=document.name, member=document.member)
    for order, objective in enumerate(document.objectives):
        if objective.key in graph:
            continue
        graph.add_node(
            objective.key,
            perspective=objective.perspective,
            title=objective.title,
            title_zh=objective.title_zh,
            description=objective.description,
            kpis=objective.kpis,
            template_key=objective.template_key,
            order=order,
        )
    for order, (cause, effect) in enumerate(document.links):
        if cause in graph and effect in graph and not graph.has_edge(cause, effect):
            graph.add_edge(cause, effect, order=order)
    return graph


def from_graph(graph: nx.DiGraph) -> MapDocument:
    """The document of a graph made by :func:`to_graph` (or built the same way).

    Examples
    --------
    >>> doc = MapDocument(name="Pilot", objectives=(MapObjective("F1", "financial", "Cost"),))
    >>> from_graph(to_graph(doc)) == doc
    True
    """
    objectives = tuple(
        MapObjective(
            key=str(key),
            perspective=str(data.get("perspective", "")),
            title=str(data.get("title", key)),
            title_zh=data.get("title_zh"),
            description=data.get("description"),
            kpis=tuple(data.get("kpis", ())),
            template_key=data.get("template_key"),
        )
        for key, data in graph.nodes(data=True)
    )
    return MapDocument(
        name=str(graph.graph.get("name", "")),
        member=graph.graph.get("member"),
        objectives=objectives,
        links=tuple(
            (str(cause), str(effect))
            for cause, effect, _order in sorted(
                graph.edges(data="order", default=len(graph.edges)), key=lambda edge: edge[2]
            )
        ),
    )
