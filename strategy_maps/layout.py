"""Where each objective of a map is drawn: four horizontal lanes, few crossing arrows.

Financial objectives sit in the top lane and learning & growth in the bottom one (objectives
with an unknown perspective get a fifth lane below, until the author fixes them). Inside a lane
the order is chosen to make few arrows cross: barycentre sweeps (the Sugiyama heuristic), then
swaps of neighbours while they remove crossings. The result depends only on the map — the
objectives, their order in the document and the links, not the order the links were listed —
so a map is drawn the same way every time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations, permutations, product
from math import factorial, prod

import networkx as nx

from kpi.vocabulary import PERSPECTIVE_ORDER
from strategy_maps.model import lane_of

__all__ = ["Lane", "LANE_HEIGHT", "NODE_SPACING", "lanes", "lane_layout", "crossings"]

LANE_HEIGHT = 170.0
NODE_SPACING = 230.0
_SWEEPS = 4
_MAX_PASSES = 10
_MAX_PERMUTED_LANE = 6
_MAX_EXHAUSTIVE = 750

Position = tuple[float, float]


@dataclass(frozen=True)
class Lane:
    """A horizontal band of the map: its perspective (``None``: unknown ones) and its centre."""

    index: int
    perspective: str | None
    y: float


def lanes(*, with_unknown: bool = False) -> list[Lane]:
    """The lanes top to bottom; ``with_unknown`` adds the band for unknown perspectives.

    Examples
    --------
    >>> [(lane.perspective, lane.y) for lane in lanes()]
    [('financial', 0.0), ('customer', 170.0), ('process', 340.0), ('learning', 510.0)]
    """
    found = [
        Lane(index, perspective.value, index * LANE_HEIGHT)
        for index, perspective in enumerate(PERSPECTIVE_ORDER)
    ]
    if with_unknown:
        found.append(Lane(len(found), None, len(found) * LANE_HEIGHT))
    return found


def _lane_index(graph: nx.DiGraph, key: str) -> int:
    lane = lane_of(str(graph.nodes[key].get("perspective", "")))
    return len(PERSPECTIVE_ORDER) if lane is None else lane


def lane_layout(graph: nx.DiGraph) -> dict[str, Position]:
    """The ``(x, y)`` of every objective: y from its lane, x from its order inside the lane.

    Examples
    --------
    >>> graph = nx.DiGraph()
    >>> graph.add_nodes_from(
    ...     [("F1", {"perspective": "financial"}), ("F2", {"perspective": "financial"}),
    ...      ("C1", {"perspective": "customer"}), ("C2", {"perspective": "customer"})]
    ... )
    >>> graph.add_edges_from([("C1", "F2"), ("C2", "F1")])
    >>> positions = lane_layout(graph)
    >>> positions["F1"][0] < positions["F2"][0], positions["C2"][0] < positions["C1"][0]
    (True, True)
    >>> crossings(graph, positions)
    0
    """
    rows: dict[int, list[str]] = {}
    for key in graph.nodes:
        rows.setdefault(_lane_index(graph, key), []).append(key)
    order = {index: rows[index] for index in sorted(rows)}
    edges = [(c, e) for c, e in graph.edges if c != e]
    best = _improve(order, edges)
    return _positions(best)


def _positions(order: Mapping[int, list[str]]) -> dict[str, Position]:
    positions = {}
    for lane, keys in order.items():
        offset = (len(keys) - 1) / 2
        for index, key in enumerate(keys):
            positions[key] = ((index - offset) * NODE_SPACING, lane * LANE_HEIGHT)
    return positions


def crossings(graph: nx.DiGraph, positions: Mapping[str, Position]) -> int:
    """How many pairs of links cross when drawn as straight lines between ``positions``.

    Links that share an objective never count as crossing.
    """
    return _crossings([(c, e) for c, e in graph.edges if c != e], positions)


def _crossings(edges: list[tuple[str, str]], positions: Mapping[str, Position]) -> int:
    count = 0
    for (a, b), (c, d) in combinations(edges, 2):
        if {a, b} & {c, d}:
            continue
        if _segments_cross(positions[a], positions[b], positions[c], positions[d]):
            count += 1
    return count


def _segments_cross(p1: Position, p2: Position, q1: Position, q2: Position) -> bool:
    def side(a: Position, b: Position, c: Position) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = side(q1, q2, p1), side(q1, q2, p2)
    d3, d4 = side(p1, p2, q1), side(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def _cost(order: Mapping[int, list[str]], edges: list[tuple[str, str]]) -> tuple[int, float]:
    """Crossings first; then how far apart linked objectives of one lane sit (shorter is tidier)."""
    positions = _positions(order)
    span = sum(
        abs(positions[c][0] - positions[e][0])
        for c, e in edges
        if positions[c][1] == positions[e][1]
    )
    return _crossings(edges, positions), span


def _improve(order: dict[int, list[str]], edges: list[tuple[str, str]]) -> dict[int, list[str]]:
    neighbours: dict[str, set[str]] = {}
    for cause, effect in edges:
        neighbours.setdefault(cause, set()).add(effect)
        neighbours.setdefault(effect, set()).add(cause)
    if prod(factorial(len(keys)) for keys in order.values()) <= _MAX_EXHAUSTIVE:
        return _exhaustive(order, edges)
    best, best_cost = _copy(order), _cost(order, edges)
    current = _copy(order)
    lane_indices = list(current)
    for sweep in range(_SWEEPS):
        direction = lane_indices if sweep % 2 == 0 else lane_indices[::-1]
        for lane in direction:
            positions = _positions(current)
            current[lane] = _by_barycentre(current[lane], neighbours, positions)
        cost = _cost(current, edges)
        if cost < best_cost:
            best, best_cost = _copy(current), cost
    return _permute_lanes(best, best_cost, edges)


def _exhaustive(order: dict[int, list[str]], edges: list[tuple[str, str]]) -> dict[int, list[str]]:
    """The best of every combination of lane orders; ties keep the one met first, which starts
    from the document's own order."""
    best, best_cost = _copy(order), _cost(order, edges)
    lanes_ = list(order)
    for combination in product(*(permutations(order[lane]) for lane in lanes_)):
        trial = {lane: list(keys) for lane, keys in zip(lanes_, combination, strict=True)}
        trial_cost = _cost(trial, edges)
        if trial_cost < best_cost:
            best, best_cost = trial, trial_cost
    return best


def _by_barycentre(
    keys: list[str], neighbours: Mapping[str, set[str]], positions: Mapping[str, Position]
) -> list[str]:
    y = positions[keys[0]][1]

    def barycentre(item: tuple[int, str]) -> tuple[float, int]:
        index, key = item
        xs = [positions[n][0] for n in neighbours.get(key, ()) if positions[n][1] != y]
        return (sum(xs) / len(xs) if xs else positions[key][0], index)

    return [key for _index, key in sorted(enumerate(keys), key=barycentre)]


def _permute_lanes(
    order: dict[int, list[str]], cost: tuple[int, float], edges: list[tuple[str, str]]
) -> dict[int, list[str]]:
    """Try every order of one lane at a time (all of them, for lanes of a usual size) while
    that removes crossings; larger lanes try swaps of neighbours instead."""
    for _ in range(_MAX_PASSES):
        improved = False
        for lane in list(order):
            for candidate in _lane_orders(order[lane]):
                trial = _copy(order)
                trial[lane] = candidate
                trial_cost = _cost(trial, edges)
                if trial_cost < cost:
                    order, cost, improved = trial, trial_cost, True
        if not improved:
            break
    return order


def _lane_orders(keys: list[str]) -> Iterator[list[str]]:
    if len(keys) <= _MAX_PERMUTED_LANE:
        for candidate in permutations(keys):
            yield list(candidate)
        return
    for index in range(len(keys) - 1):
        swapped = list(keys)
        swapped[index], swapped[index + 1] = swapped[index + 1], swapped[index]
        yield swapped


def _copy(order: Mapping[int, list[str]]) -> dict[int, list[str]]:
    return {lane: list(keys) for lane, keys in order.items()}
