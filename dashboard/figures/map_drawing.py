"""A strategy map drawn with plotly from the same lane layout as the screen, for image exports
(PNG, SVG, PDF through kaleido), ``bsc export chart`` and briefing books."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import networkx as nx
import plotly.graph_objects as go

from bsc.i18n import format_number, label, t
from dashboard.components.map_graph import STATUS_COLOURS, ObjectiveState, objective_title
from strategy_maps.layout import LANE_HEIGHT, NODE_SPACING, lane_layout, lanes

__all__ = ["map_figure", "VERDICT_STYLES"]

_HALF_WIDTH = (NODE_SPACING - 40) / 2
_HALF_HEIGHT = 35
#: Line width, dash and colour of a link by its evidence (as on screen).
VERDICT_STYLES: dict[str, tuple[float, str, str]] = {
    "supported": (5.0, "solid", "#198754"),
    "not_supported": (2.0, "dash", "#868e96"),
    "too_little_data": (1.5, "dot", "#adb5bd"),
    "": (2.0, "solid", "#495057"),
}


def _border_point(start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
    """Where the line from ``start`` towards ``end`` leaves the box around ``start``."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx == 0 and dy == 0:
        return start
    scale = min(
        _HALF_WIDTH / abs(dx) if dx else math.inf, _HALF_HEIGHT / abs(dy) if dy else math.inf
    )
    return start[0] + dx * scale, start[1] + dy * scale


def map_figure(
    graph: nx.DiGraph,
    states: Mapping[str, ObjectiveState] | None = None,
    *,
    evidence: Mapping[tuple[str, str], str] | None = None,
    labels: Mapping[str, str] | None = None,
    subtitle: str = "",
) -> go.Figure:
    """The map: labelled lanes, objectives filled by status with their scores, arrows styled by
    the evidence for each link. Objectives read "key · title" unless ``labels`` says otherwise."""
    labels = labels or {}
    states = states or {}
    evidence = evidence or {}
    positions = lane_layout(graph)
    xs = [x for x, _y in positions.values()] or [0.0]
    left, right = min(xs) - NODE_SPACING * 0.9, max(xs) + NODE_SPACING * 0.6
    unknown = any(y >= 4 * LANE_HEIGHT for _x, y in positions.values())
    figure = go.Figure()
    for lane in lanes(with_unknown=unknown):
        figure.add_shape(
            type="rect",
            x0=left,
            x1=right,
            y0=lane.y - LANE_HEIGHT / 2 + 5,
            y1=lane.y + LANE_HEIGHT / 2 - 5,
            fillcolor="#f1f3f5" if lane.index % 2 else "#f8f9fa",
            line={"color": "#dee2e6", "width": 1},
            layer="below",
        )
        name = label(lane.perspective) if lane.perspective else t("Unknown perspective")
        figure.add_annotation(
            x=left + 10,
            y=lane.y,
            text=f"<b>{name}</b>",
            showarrow=False,
            xanchor="left",
            textangle=-90,
            font={"size": 13, "color": "#6c757d"},
        )
    for cause, effect in graph.edges:
        if cause == effect:
            continue
        width, dash, colour = VERDICT_STYLES.get(
            evidence.get((cause, effect), ""), VERDICT_STYLES[""]
        )
        start = _border_point(positions[cause], positions[effect])
        end = _border_point(positions[effect], positions[cause])
        figure.add_trace(
            go.Scatter(
                x=[start[0], end[0]],
                y=[start[1], end[1]],
                mode="lines",
                line={"width": width, "dash": dash, "color": colour},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        figure.add_annotation(
            x=end[0],
            y=end[1],
            ax=start[0] + (end[0] - start[0]) * 0.8,
            ay=start[1] + (end[1] - start[1]) * 0.8,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            text="",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.2,
            arrowwidth=max(width, 1.5),
            arrowcolor=colour,
        )
    for key, data in graph.nodes(data=True):
        x, y = positions[key]
        state = states.get(key, ObjectiveState())
        fill, border = STATUS_COLOURS.get(state.status, STATUS_COLOURS["grey"])
        figure.add_shape(
            type="rect",
            x0=x - _HALF_WIDTH,
            x1=x + _HALF_WIDTH,
            y0=y - _HALF_HEIGHT,
            y1=y + _HALF_HEIGHT,
            fillcolor=fill,
            line={"color": border, "width": 3},
        )
        text = labels.get(key) or f"{key} · {objective_title(data)}"
        title = "<br>".join(textwrap.wrap(text, 26)[:4])
        figure.add_annotation(x=x, y=y, text=title, showarrow=False, font={"size": 11})
        if state.score is not None and not math.isnan(state.score):
            figure.add_annotation(
                x=x + _HALF_WIDTH - 4,
                y=y - _HALF_HEIGHT,
                text=f"<b>{format_number(state.score, 0)}</b>",
                showarrow=False,
                bgcolor=border,
                bordercolor="#ffffff",
                font={"size": 11, "color": "#ffffff"},
            )
    top = min(lane.y for lane in lanes()) - LANE_HEIGHT / 2
    bottom = max(lane.y for lane in lanes(with_unknown=unknown)) + LANE_HEIGHT / 2
    figure.update_xaxes(visible=False, range=[left - 10, right + 10])
    figure.update_yaxes(visible=False, range=[bottom + 5, top - 5], scaleanchor="x")
    figure.update_layout(
        margin={"l": 10, "r": 10, "t": 40 if subtitle else 10, "b": 10},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        title={"text": subtitle, "font": {"size": 14}} if subtitle else None,
        showlegend=False,
    )
    return figure
