"""Benchmark: lane layout of strategy maps — crossings and hidden links, and the time it takes.

Measures :func:`strategy_maps.layout.lane_layout` on the four demo maps and on 30 random maps of
18 objectives and 26 links, against the baseline of drawing each lane in the document's order
(what a map looks like without the layout's search). Prints one JSON object.

Run: ``python benchmarks/map_layout.py``
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import networkx as nx

from strategy_maps.io import read_map
from strategy_maps.layout import (
    LANE_HEIGHT,
    _positions,
    _through_objectives,
    crossings,
    lane_layout,
)
from strategy_maps.model import lane_of, to_graph

PERSPECTIVES = ["financial", "customer", "process", "learning"]


def as_written(graph: nx.DiGraph) -> dict[int, list[str | None]]:
    rows: dict[int, list[str | None]] = {}
    for key, data in graph.nodes(data=True):
        rows.setdefault(lane_of(data["perspective"]) or 0, []).append(key)
    return dict(sorted(rows.items()))


def badness(graph: nx.DiGraph, positions: dict[str, tuple[float, float]]) -> int:
    """Crossings plus links running behind an objective, drawn at ``positions``."""
    edges = [(c, e) for c, e in graph.edges if c != e]
    rows: dict[int, list[str | None]] = {}
    for key, (_x, y) in positions.items():
        rows.setdefault(round(y / LANE_HEIGHT), []).append(key)
    return crossings(graph, positions) + _through_objectives(rows, edges, positions)


def random_map(seed: int) -> nx.DiGraph:
    rng = random.Random(seed)
    graph = nx.DiGraph()
    for index in range(18):
        graph.add_node(f"O{index}", perspective=rng.choice(PERSPECTIVES))
    keys = list(graph.nodes)
    while graph.number_of_edges() < 26:
        cause, effect = rng.sample(keys, 2)
        graph.add_edge(cause, effect)
    return graph


def main() -> None:
    folder = Path(__file__).parents[1] / "data" / "demo" / "maps"
    demo = {
        path.stem: to_graph(read_map(path.read_bytes(), filename=path.name)[0])
        for path in sorted(folder.glob("*.yaml"))
    }
    graphs = {**demo, **{f"random-{seed}": random_map(seed) for seed in range(30)}}
    laid_out, baseline, seconds = {}, {}, {}
    for name, graph in graphs.items():
        baseline[name] = badness(graph, _positions(as_written(graph)))
        started = time.perf_counter()
        positions = lane_layout(graph)
        seconds[name] = time.perf_counter() - started
        laid_out[name] = badness(graph, positions)
    randoms = [name for name in graphs if name.startswith("random")]
    print(
        json.dumps(
            {
                "benchmark": "map_layout",
                "unit": "crossings + links hidden behind an objective",
                "demo_maps": {n: {"layout": laid_out[n], "baseline": baseline[n]} for n in demo},
                "random_maps_mean": {
                    "layout": sum(laid_out[n] for n in randoms) / len(randoms),
                    "baseline_document_order": sum(baseline[n] for n in randoms) / len(randoms),
                },
                "seconds": {
                    "demo_max": round(max(seconds[n] for n in demo), 4),
                    "random_mean": round(sum(seconds[n] for n in randoms) / len(randoms), 4),
                    "random_max": round(max(seconds[n] for n in randoms), 4),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
