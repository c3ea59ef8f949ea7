"""Small helpers the chart builders share: names in the user's language, the empty chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bsc.i18n import current_language

__all__ = ["localised_names", "empty_figure", "MARGIN"]

MARGIN = {"l": 40, "r": 20, "t": 30, "b": 40}


def localised_names(frame: pd.DataFrame, code: str, name: str, name_zh: str) -> dict[str, str]:
    """Code → name for each row of ``frame``, in the current language.

    Examples
    --------
    >>> from bsc.i18n import use_language
    >>> frame = pd.DataFrame({"code": ["S1"], "name": ["Cost"], "name_zh": ["成本"]})
    >>> with use_language("zh-TW"):
    ...     localised_names(frame, "code", "name", "name_zh")
    {'S1': '成本'}
    """
    chinese = current_language() == "zh-TW"
    names = [
        str(zh) if chinese and isinstance(zh, str) and zh else str(en)
        for en, zh in zip(frame[name].tolist(), frame[name_zh].tolist(), strict=True)
    ]
    return dict(zip([str(c) for c in frame[code].tolist()], names, strict=True))


def empty_figure(message: str) -> go.Figure:
    """A chart with nothing but ``message`` in it (no data yet, nothing chosen)."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 14, "color": "#6c757d"})
    figure.update_layout(xaxis_visible=False, yaxis_visible=False, margin=MARGIN)
    return figure
