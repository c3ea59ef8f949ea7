"""Validating a strategy map (DESIGN §6): errors that block saving, warnings that advise.

Errors: a map without a name, an unknown perspective, a duplicate key, a link to a missing
objective, a self-link, a cycle (named as the cycle), a KPI listed twice on one objective or
missing from the catalogue.
Warnings: a link pointing down the lanes, an orphan objective, an objective without KPIs, an empty
perspective, a financial objective that no learning & growth objective leads to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from typing import Any

import networkx as nx

from kpi.messages import N_, Term, Text
from kpi.vocabulary import PERSPECTIVE_ORDER, Perspective, parse_perspective
from strategy_maps.issues import MapIssue, Rule, Severity
from strategy_maps.model import MapDocument, lane_of, to_graph

__all__ = ["validate", "find_cycles", "format_cycle"]

_ERROR, _WARNING = Severity.ERROR, Severity.WARNING


def validate(document: MapDocument, *, known_kpis: Collection[str] | None = None) -> list[MapIssue]:
    """Every problem of ``document``, errors first; ``known_kpis`` also checks the KPI codes.

    Examples
    --------
    >>> from strategy_maps.model import MapObjective
    >>> doc = MapDocument(
    ...     name="Pilot",
    ...     objectives=(
    ...         MapObjective("C1", "customer", "Same-day reconciliation"),
    ...         MapObjective("P1", "process", "Automate file exchange"),
    ...     ),
    ...     links=(("P1", "C1"), ("C1", "P1")),
    ... )
    >>> [issue.message for issue in validate(doc) if issue.is_error]
    ['the links C1 → P1 → C1 form a cycle: an objective cannot cause itself; remove one of them']
    """
    graph = to_graph(document)
    checks: list[Iterator[MapIssue]] = [
        _map_name(document),
        _objective_fields(document),
        _duplicate_keys(document),
        _link_ends(document),
        _cycles(graph),
        _kpi_codes(document, known_kpis),
        _downward_links(document, graph),
        _orphans(document, graph),
        _without_kpis(document),
        _empty_perspectives(document),
        _unreachable_financial(document, graph),
    ]
    issues = [issue for check in checks for issue in check]
    return sorted(issues, key=lambda issue: not issue.is_error)


def _issue(
    rule: Rule,
    severity: Severity,
    objectives: tuple[str, ...],
    template: str,
    line: int | None = None,
    **params: Any,
) -> MapIssue:
    return MapIssue(rule, severity, objectives, Text(template, **params), line)


def _line(document: MapDocument, key: str) -> int | None:
    objective = document.objective(key)
    return None if objective is None else objective.line


def _map_name(document: MapDocument) -> Iterator[MapIssue]:
    if not document.name.strip():
        yield _issue(Rule.BAD_ENTRY, _ERROR, (), N_("the map has no name; add name: …"))


def _objective_fields(document: MapDocument) -> Iterator[MapIssue]:
    for objective in document.objectives:
        key, line = objective.key, objective.line
        if not objective.title.strip():
            yield _issue(
                Rule.BAD_ENTRY, _ERROR, (key,), N_("objective {key} has no title"), line, key=key
            )
        if not objective.perspective.strip():
            yield _issue(
                Rule.UNKNOWN_PERSPECTIVE,
                _ERROR,
                (key,),
                N_(
                    "objective {key} has no perspective; "
                    "use financial, customer, process or learning"
                ),
                line,
                key=key,
            )
        elif parse_perspective(objective.perspective) is None:
            yield _issue(
                Rule.UNKNOWN_PERSPECTIVE,
                _ERROR,
                (key,),
                N_(
                    "objective {key} has the unknown perspective {value}; use financial, customer, "
                    "process or learning (or 財務, 顧客, 內部流程, 學習成長)"
                ),
                line,
                key=key,
                value=objective.perspective,
            )


def _duplicate_keys(document: MapDocument) -> Iterator[MapIssue]:
    counts = Counter(document.keys)
    for key, count in counts.items():
        if count > 1:
            lines = [o.line for o in document.objectives if o.key == key]
            yield _issue(
                Rule.DUPLICATE_KEY,
                _ERROR,
                (key,),
                N_("the key {key} is used by {count} objectives; give each objective its own key"),
                lines[1],
                key=key,
                count=count,
            )


def _link_ends(document: MapDocument) -> Iterator[MapIssue]:
    keys = set(document.keys)
    counts = Counter(document.links)
    reported: set[tuple[str, str]] = set()
    for index, (cause, effect) in enumerate(document.links):
        line = document.line_of_link(index)
        missing = [end for end in dict.fromkeys((cause, effect)) if end not in keys]
        if missing:
            yield _issue(
                Rule.MISSING_OBJECTIVE,
                _ERROR,
                (cause, effect),
                N_("the link {cause} → {effect} names {missing}, which is not an objective here"),
                line,
                cause=cause,
                effect=effect,
                missing=", ".join(missing),
            )
        elif cause == effect:
            yield _issue(
                Rule.SELF_LINK,
                _ERROR,
                (cause,),
                N_("{key} is linked to itself; remove the link"),
                line,
                key=cause,
            )
        if counts[(cause, effect)] > 1 and (cause, effect) not in reported:
            reported.add((cause, effect))
            yield _issue(
                Rule.DUPLICATE_LINK,
                _ERROR,
                (cause, effect),
                N_("the link {cause} → {effect} is listed {count} times; keep it once"),
                line,
                cause=cause,
                effect=effect,
                count=counts[(cause, effect)],
            )


def find_cycles(graph: nx.DiGraph) -> list[list[str]]:
    """One cycle (as its objective keys, first key repeated at the end) per knot of the graph.

    Each strongly connected group of two or more objectives holds at least one cycle; the one
    reported starts at the group's objective that comes first in the map. Self-links are not
    cycles here (they are reported on their own).

    Examples
    --------
    >>> graph = nx.DiGraph([("L1", "P1"), ("P1", "C1"), ("C1", "L1"), ("C1", "F1")])
    >>> find_cycles(graph)
    [['L1', 'P1', 'C1', 'L1']]
    """
    order = {node: index for index, node in enumerate(graph.nodes)}
    cycles = []
    for group in nx.strongly_connected_components(graph):
        if len(group) < 2:
            continue
        start = min(group, key=order.__getitem__)
        knot = graph.subgraph(group)
        edges = nx.find_cycle(knot, source=start)
        cycle = [edges[0][0], *(effect for _cause, effect in edges)]
        cycles.append(cycle)
    return sorted(cycles, key=lambda cycle: order[cycle[0]])


def format_cycle(cycle: list[str]) -> str:
    return " → ".join(cycle)


def _cycles(graph: nx.DiGraph) -> Iterator[MapIssue]:
    for cycle in find_cycles(graph):
        yield _issue(
            Rule.CYCLE,
            _ERROR,
            tuple(cycle[:-1]),
            N_(
                "the links {cycle} form a cycle: an objective cannot cause itself; "
                "remove one of them"
            ),
            cycle=format_cycle(cycle),
        )


def _kpi_codes(document: MapDocument, known: Collection[str] | None) -> Iterator[MapIssue]:
    for objective in document.objectives:
        key, line = objective.key, objective.line
        for code, count in Counter(objective.kpi_codes).items():
            if count > 1:
                yield _issue(
                    Rule.DUPLICATE_KPI,
                    _ERROR,
                    (key,),
                    N_("objective {key} lists the KPI {code} {count} times; keep it once"),
                    line,
                    key=key,
                    code=code,
                    count=count,
                )
            if known is not None and code not in known:
                yield _issue(
                    Rule.UNKNOWN_KPI,
                    _ERROR,
                    (key,),
                    N_(
                        "objective {key} uses the KPI {code}, which is not in the catalogue; "
                        "correct the code or add the KPI first (bsc kpis import)"
                    ),
                    line,
                    key=key,
                    code=code,
                )


def _downward_links(document: MapDocument, graph: nx.DiGraph) -> Iterator[MapIssue]:
    for cause, effect in graph.edges:
        cause_lane = lane_of(graph.nodes[cause]["perspective"])
        effect_lane = lane_of(graph.nodes[effect]["perspective"])
        if cause_lane is not None and effect_lane is not None and cause_lane < effect_lane:
            index = document.links.index((cause, effect))
            yield _issue(
                Rule.DOWNWARD_LINK,
                _WARNING,
                (cause, effect),
                N_(
                    "the link {cause} → {effect} points down, from {cause_perspective} to "
                    "{effect_perspective}; a cause usually sits at or below its effect"
                ),
                document.line_of_link(index),
                cause=cause,
                effect=effect,
                cause_perspective=Term(PERSPECTIVE_ORDER[cause_lane].value),
                effect_perspective=Term(PERSPECTIVE_ORDER[effect_lane].value),
            )


def _orphans(document: MapDocument, graph: nx.DiGraph) -> Iterator[MapIssue]:
    for key in graph.nodes:
        if not any(other != key for other in nx.all_neighbors(graph, key)):
            yield _issue(
                Rule.ORPHAN,
                _WARNING,
                (key,),
                N_("objective {key} has no links; link it to what it causes or depends on"),
                _line(document, key),
                key=key,
            )


def _without_kpis(document: MapDocument) -> Iterator[MapIssue]:
    for objective in document.objectives:
        if not objective.kpis:
            yield _issue(
                Rule.NO_KPIS,
                _WARNING,
                (objective.key,),
                N_("objective {key} has no KPIs; attach one from the catalogue to measure it"),
                objective.line,
                key=objective.key,
            )


def _empty_perspectives(document: MapDocument) -> Iterator[MapIssue]:
    used = {parse_perspective(objective.perspective) for objective in document.objectives}
    for perspective in PERSPECTIVE_ORDER:
        if perspective not in used:
            yield _issue(
                Rule.EMPTY_PERSPECTIVE,
                _WARNING,
                (),
                N_("the {perspective} perspective has no objectives"),
                perspective=Term(perspective.value),
            )


def _unreachable_financial(document: MapDocument, graph: nx.DiGraph) -> Iterator[MapIssue]:
    def in_lane(perspective: Perspective) -> list[str]:
        return [
            key
            for key, data in graph.nodes(data=True)
            if parse_perspective(data["perspective"]) is perspective
        ]

    reached: set[str] = set()
    for key in in_lane(Perspective.LEARNING):
        reached |= nx.descendants(graph, key)
    for key in in_lane(Perspective.FINANCIAL):
        if key not in reached:
            yield _issue(
                Rule.FINANCIAL_UNREACHABLE,
                _WARNING,
                (key,),
                N_(
                    "financial objective {key} is not reached from any learning & growth "
                    "objective; link a chain of causes up to it"
                ),
                _line(document, key),
                key=key,
            )
