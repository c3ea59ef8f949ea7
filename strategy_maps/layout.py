"""Where each objective of a map is drawn: four horizontal lanes, few crossing arrows.

Financial objectives sit in the top lane and learning & growth in the bottom one (objectives
with an unknown perspective get a fifth lane below, until the author fixes them). Inside a lane
the order is chosen to make few arrows cross or run behind an objective: every arrangement when
the map is small, else barycentre sweeps (the Sugiyama heuristic) and then every order of one
lane at a time while that helps. A map with links that skip a lane may leave an empty place in
a lane for them to pass. The result depends only on the map — the
objectives, their order in the document and the links, not the order the links were listed —
so a map is drawn the same way every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import permutations, product
from math import prod

import networkx as nx
import numpy as np

from kpi.vocabulary import PERSPECTIVE_ORDER
from strategy_maps.model import lane_of

__all__ = [
    "Lane",
    "LANE_HEIGHT",
    "NODE_SPACING",
    "lanes",
    "lane_layout",
    "crossings",
    "hidden_links",
    "drawing_faults",
]

LANE_HEIGHT = 170.0
NODE_SPACING = 230.0
_SWEEPS = 4
_MAX_PASSES = 10
_MAX_PERMUTED_LANE = 5
_MAX_GAPPED_LANE = 4
_MAX_EXHAUSTIVE = 750
#: Arrangements tried at most in the lane-by-lane search: a bound, not a clock, so that the
#: result is the same on any machine.
_MAX_TRIALS = 2500

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
    """The ``(x, y)`` of every objective: y from its lane, x from its place inside the lane.

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
    rows: dict[int, list[str | None]] = {}
    for key in graph.nodes:
        rows.setdefault(_lane_index(graph, key), []).append(key)
    order = {index: rows[index] for index in sorted(rows)}
    edges = [(c, e) for c, e in graph.edges if c != e]
    # A link that skips a lane may need a gap in that lane to pass without hiding behind an
    # objective: such maps may leave one empty place in a lane.
    gaps = any(abs(_lane_index(graph, c) - _lane_index(graph, e)) > 1 for c, e in edges)
    return _positions(_improve(order, edges, gaps))


Slots = dict[int, list[str | None]]


def _positions(order: Mapping[int, list[str | None]]) -> dict[str, Position]:
    """Each lane's places centred on x = 0, ``NODE_SPACING`` apart; ``None`` is an empty place."""
    positions = {}
    for lane, keys in order.items():
        offset = (len(keys) - 1) / 2
        for index, key in enumerate(keys):
            if key is not None:
                positions[key] = ((index - offset) * NODE_SPACING, lane * LANE_HEIGHT)
    return positions


def crossings(graph: nx.DiGraph, positions: Mapping[str, Position]) -> int:
    """How many pairs of links cross when drawn as straight lines between ``positions``.

    Links that share an objective never count as crossing.
    """
    return _crossings([(c, e) for c, e in graph.edges if c != e], positions)


def _crossings(edges: list[tuple[str, str]], positions: Mapping[str, Position]) -> int:
    """Pairs of segments that properly cross, all pairs at once (the search counts this often)."""
    if len(edges) < 2:
        return 0
    starts = np.array([positions[cause] for cause, _ in edges], dtype=float)
    ends = np.array([positions[effect] for _, effect in edges], dtype=float)
    names = {key: index for index, key in enumerate(positions)}
    first = np.array([names[cause] for cause, _ in edges])
    second = np.array([names[effect] for _, effect in edges])

    def side(points: np.ndarray) -> np.ndarray:
        """[i, j]: on which side of segment j the i-th of ``points`` lies."""
        direction = ends - starts
        offset = points[:, None, :] - starts[None, :, :]
        return direction[None, :, 0] * offset[..., 1] - direction[None, :, 1] * offset[..., 0]

    of_starts, of_ends = side(starts), side(ends)
    crossing = (of_starts * of_ends < 0) & (of_starts.T * of_ends.T < 0)
    shared = (
        (first[:, None] == first[None, :])
        | (first[:, None] == second[None, :])
        | (second[:, None] == first[None, :])
        | (second[:, None] == second[None, :])
    )
    return int(np.triu(crossing & ~shared, 1).sum())


def hidden_links(graph: nx.DiGraph, positions: Mapping[str, Position]) -> int:
    """How often a link that skips a lane is drawn through an objective of the lane it skips."""
    return _through_objectives([(c, e) for c, e in graph.edges if c != e], positions)


def drawing_faults(graph: nx.DiGraph, positions: Mapping[str, Position]) -> int:
    """What the layout minimises first: link crossings plus links hidden behind objectives."""
    return crossings(graph, positions) + hidden_links(graph, positions)


def _through_objectives(edges: list[tuple[str, str]], positions: Mapping[str, Position]) -> int:
    count = 0
    half = NODE_SPACING / 2 - 10
    for cause, effect in edges:
        (x1, y1), (x2, y2) = positions[cause], positions[effect]
        low, high = sorted((round(y1 / LANE_HEIGHT), round(y2 / LANE_HEIGHT)))
        for lane in range(low + 1, high):
            y = lane * LANE_HEIGHT
            x = x1 + (x2 - x1) * (y - y1) / (y2 - y1)
            count += sum(
                abs(kx - x) < half
                for kx, ky in positions.values()
                if round(ky / LANE_HEIGHT) == lane
            )
    return count


def _cost(order: Slots, edges: list[tuple[str, str]]) -> tuple[int, float, float]:
    """Crossings and links drawn through an objective first; then how far apart linked
    objectives of one lane sit; then how far the map spreads from the centre."""
    positions = _positions(order)
    span = sum(
        abs(positions[c][0] - positions[e][0])
        for c, e in edges
        if positions[c][1] == positions[e][1]
    )
    hidden = _through_objectives(edges, positions)
    spread = sum(abs(x) for x, _y in positions.values())
    return _crossings(edges, positions) + hidden, span, spread


def _lane_options(keys: list[str | None], gaps: bool) -> list[list[str | None]]:
    """The arrangements of one lane to try: every order of a usual-sized lane (with one empty
    place anywhere when ``gaps``), or swaps of neighbours for a large one."""
    objectives: list[str | None] = [key for key in keys if key is not None]
    options: list[list[str | None]] = []
    if len(objectives) > _MAX_PERMUTED_LANE:
        for index in range(len(objectives) - 1):
            swapped = list(objectives)
            swapped[index], swapped[index + 1] = swapped[index + 1], swapped[index]
            options.append(swapped)
        return [list(objectives), *options]
    for candidate in permutations(objectives):
        row: list[str | None] = list(candidate)
        options.append(row)
        if gaps and len(row) <= _MAX_GAPPED_LANE:
            options.extend([*row[:at], None, *row[at:]] for at in range(len(row) + 1))
    return options


def _improve(order: Slots, edges: list[tuple[str, str]], gaps: bool) -> Slots:
    options = {lane: _lane_options(keys, gaps) for lane, keys in order.items()}
    if prod(len(found) for found in options.values()) <= _MAX_EXHAUSTIVE:
        return _exhaustive(order, edges, options)
    neighbours: dict[str, set[str]] = {}
    for cause, effect in edges:
        neighbours.setdefault(cause, set()).add(effect)
        neighbours.setdefault(effect, set()).add(cause)
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
    return _rearrange_lanes(best, best_cost, edges, options)


def _exhaustive(
    order: Slots, edges: list[tuple[str, str]], options: Mapping[int, list[list[str | None]]]
) -> Slots:
    """The best of every combination of lane arrangements; ties keep the first met, which is
    the document's own order."""
    best, best_cost = _copy(order), _cost(order, edges)
    lanes_ = list(order)
    for combination in product(*(options[lane] for lane in lanes_)):
        trial = {lane: list(keys) for lane, keys in zip(lanes_, combination, strict=True)}
        trial_cost = _cost(trial, edges)
        if trial_cost < best_cost:
            best, best_cost = trial, trial_cost
    return best


def _by_barycentre(
    keys: list[str | None], neighbours: Mapping[str, set[str]], positions: Mapping[str, Position]
) -> list[str | None]:
    objectives = [key for key in keys if key is not None]
    y = positions[objectives[0]][1]

    def barycentre(item: tuple[int, str]) -> tuple[float, int]:
        index, key = item
        xs = [positions[n][0] for n in neighbours.get(key, ()) if positions[n][1] != y]
        return (sum(xs) / len(xs) if xs else positions[key][0], index)

    return [key for _index, key in sorted(enumerate(objectives), key=barycentre)]


def _rearrange_lanes(
    order: Slots,
    cost: tuple[int, float, float],
    edges: list[tuple[str, str]],
    options: Mapping[int, list[list[str | None]]],
) -> Slots:
    """Try every arrangement of one lane at a time while that improves the map."""
    trials = 0
    for _ in range(_MAX_PASSES):
        improved = False
        for lane in list(order):
            for candidate in options[lane]:
                trials += 1
                if trials > _MAX_TRIALS:
                    return order
                trial = _copy(order)
                trial[lane] = list(candidate)
                trial_cost = _cost(trial, edges)
                if trial_cost < cost:
                    order, cost, improved = trial, trial_cost, True
        if not improved:
            break
    return order


def _copy(order: Mapping[int, list[str | None]]) -> Slots:
    return {lane: list(keys) for lane, keys in order.items()}
