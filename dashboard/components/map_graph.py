"""A strategy map as dash-cytoscape elements: labelled lanes, objectives coloured by status with a
score badge, and arrows styled by the evidence for each link.

The positions come from :func:`strategy_maps.layout.lane_layout`, the same ones the exported
plotly image uses, so the screen and the file show the same map.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dash_cytoscape as cyto
import networkx as nx

from bsc.i18n import format_number, label, localised, t
from strategy_maps.layout import LANE_HEIGHT, NODE_SPACING, lane_layout, lanes

__all__ = [
    "ObjectiveState",
    "STATUS_COLOURS",
    "map_elements",
    "map_stylesheet",
    "map_component",
    "objective_title",
]

#: Fill and border of an objective of each status (Bootstrap's palette, readable in print).
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "green": ("#d1e7dd", "#198754"),
    "amber": ("#fff3cd", "#e0a800"),
    "red": ("#f8d7da", "#dc3545"),
    "grey": ("#e9ecef", "#6c757d"),
}
# The browser's SVG export of the canvas (generateImage type "svg") needs cytoscape's svg
# extension, which dash-cytoscape ships only in its "extra" bundle.
cyto.load_extra_layouts()

_NODE_WIDTH = NODE_SPACING - 40
_NODE_HEIGHT = 70
_LABEL_MARGIN = 110
#: Later rules win in cytoscape: these come after the status colours.
_HIGHLIGHTS: list[dict[str, Any]] = [
    {
        "selector": ".problem-warning",
        "style": {"border-style": "dashed", "border-color": "#e0a800"},
    },
    {
        "selector": ".problem-error",
        "style": {"border-style": "double", "border-width": 7, "border-color": "#dc3545"},
    },
    {
        "selector": ".chosen",
        "style": {"overlay-color": "#0d6efd", "overlay-opacity": 0.15, "overlay-padding": 6},
    },
    {"selector": ".link-source", "style": {"border-color": "#0d6efd", "border-width": 6}},
    {
        "selector": "edge:selected",
        "style": {"line-color": "#0d6efd", "target-arrow-color": "#0d6efd", "width": 6},
    },
]


@dataclass(frozen=True)
class ObjectiveState:
    """What the map shows of an objective: its status, score and any validation problem."""

    status: str = "grey"
    score: float | None = None
    problem: str | None = None  #: "error" or "warning" in the editor
    extra: Mapping[str, Any] = field(default_factory=dict)


def objective_title(data: Mapping[Any, Any]) -> str:
    """The objective's title in the current language (Chinese when it has one and zh-TW is on)."""
    return localised(data.get("title") or "", data.get("title_zh"))


def _lane_elements(positions: Mapping[str, tuple[float, float]], unknown: bool) -> list[dict]:
    """A band per lane and, in a margin on its left, the lane's name (clear of any arrow)."""
    xs = [x for x, _y in positions.values()] or [0.0]
    left, right = min(xs) - NODE_SPACING / 2 - _LABEL_MARGIN, max(xs) + NODE_SPACING / 2
    elements = []
    for lane in lanes(with_unknown=unknown):
        name = lane.perspective or "unknown"
        fixed = {"selectable": False, "grabbable": False, "locked": True}
        elements.append(
            {
                "data": {"id": f"lane-{name}", "width": right - left, "height": LANE_HEIGHT - 12},
                "position": {"x": (left + right) / 2, "y": lane.y},
                "classes": f"lane lane-{lane.index}",
                **fixed,
            }
        )
        elements.append(
            {
                "data": {
                    "id": f"lane-label-{name}",
                    "label": label(lane.perspective)
                    if lane.perspective
                    else t("Unknown perspective"),
                },
                "position": {"x": left + _LABEL_MARGIN / 2, "y": lane.y},
                "classes": "lane-label",
                **fixed,
            }
        )
    return elements


def map_elements(
    graph: nx.DiGraph,
    states: Mapping[str, ObjectiveState] | None = None,
    *,
    evidence: Mapping[tuple[str, str], str] | None = None,
    selected: str | None = None,
    link_source: str | None = None,
    link_widths: Mapping[tuple[str, str], float] | None = None,
) -> list[dict[str, Any]]:
    """Cytoscape elements for ``graph``: lanes, objectives, score badges and links.

    ``states`` colours objectives (grey without one); ``evidence`` maps a link to its verdict
    (supported, not_supported, too_little_data) for the arrow's style; ``link_widths`` sets
    arrows' widths in pixels (the programme map: how many members share a link).
    """
    states = states or {}
    evidence = evidence or {}
    positions = lane_layout(graph)
    unknown = any(y >= 4 * LANE_HEIGHT for _x, y in positions.values())
    elements = _lane_elements(positions, unknown)
    for key, data in graph.nodes(data=True):
        state = states.get(key, ObjectiveState())
        x, y = positions[key]
        classes = [f"objective status-{state.status}"]
        if state.problem:
            classes.append(f"problem-{state.problem}")
        if key == selected:
            classes.append("chosen")
        if key == link_source:
            classes.append("link-source")
        title = objective_title(data)
        elements.append(
            {
                "data": {
                    "id": key,
                    "key": key,
                    "label": f"{key} · {title}",
                    "title": title,
                    "status": state.status,
                    **state.extra,
                },
                "position": {"x": x, "y": y},
                "classes": " ".join(classes),
            }
        )
        if state.score is not None and not math.isnan(state.score):
            elements.append(
                {
                    "data": {"id": f"badge-{key}", "label": format_number(state.score, 0)},
                    "position": {"x": x + _NODE_WIDTH / 2 - 6, "y": y - _NODE_HEIGHT / 2 + 2},
                    "classes": f"badge status-{state.status}",
                    "selectable": False,
                    "grabbable": False,
                }
            )
    for cause, effect in graph.edges:
        verdict = evidence.get((cause, effect), "")
        data = {"id": f"link-{cause}-{effect}", "source": cause, "target": effect}
        classes = ["link", verdict.replace("_", "-")]
        if link_widths and (cause, effect) in link_widths:
            data["width"] = link_widths[(cause, effect)]
            classes.append("weighted")
        elements.append(
            {"data": {**data, "verdict": verdict}, "classes": " ".join(filter(None, classes))}
        )
    return elements


def map_stylesheet() -> list[dict[str, Any]]:
    """The look of lanes, objectives by status, badges and links by evidence."""
    styles: list[dict[str, Any]] = [
        {
            "selector": ".lane",
            "style": {
                "shape": "rectangle",
                "width": "data(width)",
                "height": "data(height)",
                "background-color": "#f8f9fa",
                "border-width": 1,
                "border-color": "#dee2e6",
                "events": "no",
                "z-index": 0,
                "z-index-compare": "manual",
            },
        },
        {"selector": ".lane-1, .lane-3", "style": {"background-color": "#f1f3f5"}},
        {
            "selector": ".lane-label",
            "style": {
                "width": 1,
                "height": 1,
                "background-opacity": 0,
                "label": "data(label)",
                "text-wrap": "wrap",
                "text-max-width": _LABEL_MARGIN - 14,
                "text-valign": "center",
                "text-halign": "center",
                "font-size": 14,
                "font-weight": "bold",
                "color": "#6c757d",
                "events": "no",
                "z-index": 1,
                "z-index-compare": "manual",
            },
        },
        {
            "selector": ".objective",
            "style": {
                "shape": "round-rectangle",
                "width": _NODE_WIDTH,
                "height": _NODE_HEIGHT,
                "label": "data(label)",
                "text-wrap": "wrap",
                "text-max-width": _NODE_WIDTH - 16,
                "text-valign": "center",
                "text-halign": "center",
                "font-size": 13,
                "color": "#212529",
                "border-width": 3,
                "z-index": 10,
                "z-index-compare": "manual",
            },
        },
        {
            "selector": ".badge",
            "style": {
                "shape": "ellipse",
                "width": 34,
                "height": 24,
                "label": "data(label)",
                "font-size": 12,
                "font-weight": "bold",
                "color": "#ffffff",
                "text-valign": "center",
                "text-halign": "center",
                "border-width": 2,
                "border-color": "#ffffff",
                "events": "no",
                "z-index": 20,
                "z-index-compare": "manual",
            },
        },
        {
            "selector": ".link",
            "style": {
                "curve-style": "bezier",
                "target-arrow-shape": "triangle",
                "arrow-scale": 1.3,
                "width": 2.5,
                "line-color": "#495057",
                "target-arrow-color": "#495057",
                "z-index": 5,
                "z-index-compare": "manual",
            },
        },
        {"selector": ".weighted", "style": {"width": "data(width)"}},
        {
            "selector": ".supported",
            "style": {"width": 6, "line-color": "#198754", "target-arrow-color": "#198754"},
        },
        {
            "selector": ".not-supported",
            "style": {
                "line-style": "dashed",
                "line-color": "#868e96",
                "target-arrow-color": "#868e96",
            },
        },
        {
            "selector": ".too-little-data",
            "style": {
                "line-style": "dotted",
                "width": 2,
                "line-color": "#adb5bd",
                "target-arrow-color": "#adb5bd",
            },
        },
    ]
    for status, (fill, border) in STATUS_COLOURS.items():
        styles.append(
            {
                "selector": f".objective.status-{status}",
                "style": {"background-color": fill, "border-color": border},
            }
        )
        styles.append(
            {"selector": f".badge.status-{status}", "style": {"background-color": border}}
        )
    styles.extend(_HIGHLIGHTS)
    return styles


def map_component(
    component_id: str, elements: list[dict[str, Any]], *, height: int = 640
) -> cyto.Cytoscape:
    """The cytoscape canvas with the preset positions; objectives cannot be dragged out of place."""
    return cyto.Cytoscape(
        id=component_id,
        elements=elements,
        stylesheet=map_stylesheet(),
        layout={"name": "preset", "fit": True, "padding": 24},
        style={"width": "100%", "height": f"{height}px"},
        autoungrabify=True,
        userZoomingEnabled=True,
        userPanningEnabled=True,
        minZoom=0.3,
        maxZoom=2.5,
        boxSelectionEnabled=False,
        responsive=True,
        className="bsc-map border rounded bg-white",
    )
