"""Lane layout: four lanes with financial on top, stable positions, few crossings."""

from __future__ import annotations

import random

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from strategy_maps.io import read_map
from strategy_maps.layout import (
    LANE_HEIGHT,
    _positions,
    crossings,
    drawing_faults,
    lane_layout,
    lanes,
)
from strategy_maps.model import to_graph
from tests.conftest import DEMO

PERSPECTIVES = ["financial", "customer", "process", "learning"]


def demo_graph(name: str) -> nx.DiGraph:
    document, _ = read_map((DEMO / "maps" / f"{name}.yaml").read_bytes(), filename="m.yaml")
    return to_graph(document)


def test_lanes_run_from_financial_on_top_to_learning_at_the_bottom():
    assert [lane.perspective for lane in lanes()] == PERSPECTIVES
    positions = lane_layout(demo_graph("M001"))
    ys = {key: y for key, (_x, y) in positions.items()}
    assert ys["F1"] == ys["F2"] == 0
    assert ys["C1"] == LANE_HEIGHT and ys["P1"] == 2 * LANE_HEIGHT and ys["L1"] == 3 * LANE_HEIGHT


def test_unknown_perspectives_get_a_fifth_lane():
    graph = nx.DiGraph()
    graph.add_node("X1", perspective="marketing")
    assert lane_layout(graph)["X1"][1] == 4 * LANE_HEIGHT


def test_the_demo_maps_are_drawn_without_needless_crossings():
    for name in ("template", "M001", "M002"):
        graph = demo_graph(name)
        assert crossings(graph, lane_layout(graph)) == 0, name
    graph = demo_graph("M003")
    rows: dict[float, list[str]] = {}
    for key in graph.nodes:
        rows.setdefault(lane_layout(graph)[key][1], []).append(key)
    as_written = _positions({int(y // LANE_HEIGHT): keys for y, keys in rows.items()})
    assert crossings(graph, lane_layout(graph)) < crossings(graph, as_written)


def test_a_crossing_that_reordering_removes_is_removed():
    graph = nx.DiGraph()
    for key, perspective in [
        ("F1", "financial"),
        ("F2", "financial"),
        ("F3", "financial"),
        ("C1", "customer"),
        ("C2", "customer"),
        ("C3", "customer"),
    ]:
        graph.add_node(key, perspective=perspective)
    graph.add_edges_from([("C1", "F3"), ("C2", "F1"), ("C3", "F2")])
    assert crossings(graph, lane_layout(graph)) == 0


def test_positions_are_the_same_on_every_render_and_for_any_link_order():
    graph = demo_graph("M003")
    first = lane_layout(graph)
    edges = list(graph.edges)
    random.Random(7).shuffle(edges)
    shuffled = nx.DiGraph()
    shuffled.add_nodes_from(graph.nodes(data=True))
    shuffled.add_edges_from(edges)
    assert lane_layout(graph) == first == lane_layout(shuffled)


@st.composite
def graphs(draw: st.DrawFn) -> nx.DiGraph:
    count = draw(st.integers(1, 14))
    graph = nx.DiGraph()
    for index in range(count):
        graph.add_node(f"O{index}", perspective=draw(st.sampled_from(PERSPECTIVES)))
    keys = list(graph.nodes)
    for cause, effect in draw(
        st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=20)
    ):
        graph.add_edge(cause, effect)
    return graph


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_every_objective_gets_its_own_place_in_its_lane_and_no_more_crossings(graph):
    positions = lane_layout(graph)
    assert set(positions) == set(graph.nodes)
    assert len(set(positions.values())) == len(positions)
    for key, (_x, y) in positions.items():
        assert y == PERSPECTIVES.index(graph.nodes[key]["perspective"]) * LANE_HEIGHT
    rows: dict[int, list[str]] = {}
    for key in graph.nodes:
        rows.setdefault(PERSPECTIVES.index(graph.nodes[key]["perspective"]), []).append(key)
    # The layout trades a crossing for a link no longer hidden behind an objective, never worse.
    assert drawing_faults(graph, positions) <= drawing_faults(graph, _positions(rows))
    assert lane_layout(graph) == positions


def test_crossings_counts_proper_crossings_only():
    graph = nx.DiGraph([("A", "B"), ("C", "D"), ("A", "D"), ("E", "F")])
    positions = {
        "A": (0.0, 0.0),
        "B": (2.0, 2.0),
        "C": (2.0, 0.0),
        "D": (0.0, 2.0),
        "E": (5.0, 0.0),
        "F": (5.0, 2.0),
    }
    # A-B crosses C-D; A-D shares A with A-B and D with C-D; E-F is apart.
    assert crossings(graph, positions) == 1


def test_a_link_that_skips_a_lane_does_not_run_behind_an_objective():
    graph = demo_graph("template")
    positions = lane_layout(graph)
    (x1, y1), (x2, y2) = positions["P3"], positions["F1"]
    x = x1 + (x2 - x1) * (LANE_HEIGHT - y1) / (y2 - y1)
    for key in ("C1", "C2"):
        assert abs(positions[key][0] - x) > 100, key
