"""Small helpers the chart builders share: the empty chart and the usual margins."""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["empty_figure", "MARGIN"]

MARGIN = {"l": 40, "r": 20, "t": 30, "b": 40}


def empty_figure(message: str) -> go.Figure:
    """A chart with nothing but ``message`` in it (no data yet, nothing chosen)."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 14, "color": "#6c757d"})
    figure.update_layout(xaxis_visible=False, yaxis_visible=False, margin=MARGIN)
    return figure
