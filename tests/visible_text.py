"""What a reader sees of a page, a chart or a table, as strings: for checking the language.

:func:`component_texts` walks a Dash component tree (children, labels, placeholders, titles,
options, ag-grid headers, rows and locale texts, plotly figures, map elements);
:func:`figure_texts` walks a plotly figure (titles, axis titles, tick and category labels,
legend names, annotations, hover templates and the data they show). :func:`english_words` finds
the English words left in a string once placeholders, markup and known data are taken out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash.development.base_component import Component

__all__ = ["component_texts", "figure_texts", "frame_texts", "english_words", "strip_markup"]

#: Component properties that hold text a reader sees (besides ``children``).
_VISIBLE_PROPS = (
    "label",
    "placeholder",
    "title",
    "header",
    "tooltip",
    "labels",
)
#: Keys of a plotly figure whose strings are never shown: styling, references, formats.
_FIGURE_KEYS_HIDDEN = {
    "type",
    "mode",
    "xref",
    "yref",
    "axref",
    "ayref",
    "xanchor",
    "yanchor",
    "anchor",
    "overlaying",
    "side",
    "orientation",
    "hoverinfo",
    "fill",
    "layer",
    "dash",
    "symbol",
    "textposition",
    "legendgroup",
    "offsetgroup",
    "alignmentgroup",
    "barmode",
    "boxpoints",
    "colorscale",
    "color",
    "bgcolor",
    "bordercolor",
    "fillcolor",
    "line_color",
    "arrowcolor",
    "plot_bgcolor",
    "paper_bgcolor",
    "tickformat",
    "hoverformat",
    "xhoverformat",
    "yhoverformat",
    "separators",
    "categoryorder",
    "autorange",
    "rangemode",
    "hovermode",
    "uid",
    "ids",
    "shape",
    "family",
    "matches",
    "scaleanchor",
    "constrain",
    "domain",
    "template",
    "tickmode",
    "ticklabelposition",
    "textangle",
    "valign",
    "align",
    "ticks",
    "pattern",
    "base",
    "xaxis",
    "yaxis",
    "dragmode",
    "legendrank",
    "zeroline",
    "showlegend",
    "visible",
    "tickformatstops",
    "dtickrange",
    "name_internal",
    "locale",
    "bdata",
    "dtype",
    "customdata",
    "sizemode",
    "itemsizing",
    "boxmode",
    "traceorder",
    "entrywidthmode",
    "groupclick",
    "itemclick",
    "itemdoubleclick",
    "xperiodalignment",
    "texttemplateposition",
    "exponentformat",
}


def strip_markup(text: str) -> str:
    """``text`` without plotly placeholders (``%{y}``), HTML tags and ``<extra></extra>``."""
    text = re.sub(r"%\{[^}]*\}", " ", text)
    return re.sub(r"<[^>]*>", " ", text)


def _walk_value(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, Component):
        yield from component_texts(value, skip_fields=frozenset())
    elif isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for name, item in value.items():
            yield from _walk_value(item, str(name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk_value(item, key)


def component_texts(component: Any, skip_fields: Iterable[str] = ()) -> Iterator[str]:
    """Every string a reader may see in ``component`` and its children (grid cells of the
    fields ``skip_fields`` left out)."""
    skip = frozenset(skip_fields)
    if component is None:
        return
    if isinstance(component, str):
        yield component
        return
    if isinstance(component, list | tuple):
        for child in component:
            yield from component_texts(child, skip)
        return
    if not isinstance(component, Component):
        return
    kind = type(component).__name__
    if kind == "Code":  # identifiers a reader types or a file must name, as they are
        return
    yield from component_texts(getattr(component, "children", None), skip)
    for prop in _VISIBLE_PROPS:
        value = getattr(component, prop, None)
        if value is not None:
            yield from _walk_value(value)
    if kind in ("Dropdown", "Select", "RadioItems", "Checklist"):
        for option in getattr(component, "options", None) or []:
            if isinstance(option, Mapping):
                yield from _walk_value(option.get("label"))
            else:
                yield str(option)
    if kind == "Graph":
        figure = getattr(component, "figure", None)
        if figure is not None:
            yield from figure_texts(figure)
        config = getattr(component, "config", None) or {}
        for locale in (config.get("locales") or {}).values():
            yield from _walk_value(locale.get("dictionary", {}))
    if kind == "AgGrid":
        for column in getattr(component, "columnDefs", None) or []:
            yield from _walk_value(column.get("headerName"))
        for row in getattr(component, "rowData", None) or []:
            yield from (v for k, v in row.items() if isinstance(v, str) and k not in skip)
        options = getattr(component, "dashGridOptions", None) or {}
        yield from _walk_value(options.get("localeText", {}))
    if kind == "Cytoscape":
        for element in getattr(component, "elements", None) or []:
            yield from _walk_value(element.get("data", {}).get("label"))
    if kind in ("DropdownMenuItem", "Tab"):
        yield from _walk_value(getattr(component, "label", None))


def figure_texts(figure: go.Figure | Mapping[str, Any]) -> Iterator[str]:
    """Every string a reader may see on ``figure`` (hover texts included)."""
    data = figure.to_plotly_json() if isinstance(figure, go.Figure) else dict(figure)
    yield from _figure_strings(data)


def _figure_strings(value: Any, key: str = "") -> Iterator[str]:
    if key in _FIGURE_KEYS_HIDDEN or key.endswith("color"):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for name, item in value.items():
            yield from _figure_strings(item, str(name))
    elif hasattr(value, "tolist"):
        yield from _figure_strings(value.tolist(), key)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _figure_strings(item, key)


def frame_texts(frame: pd.DataFrame) -> Iterator[str]:
    """A table's headers and its text cells."""
    yield from (str(column) for column in frame.columns)
    for column in frame.columns:
        yield from (value for value in frame[column].tolist() if isinstance(value, str))


def english_words(
    text: str, allowed_texts: Iterable[str] = (), allowed_words: Collection[str] = frozenset()
) -> list[str]:
    """The English words of ``text`` once markup, ``allowed_texts`` (data shown as it is stored:
    notes, descriptions, names without a translation) and ``allowed_words`` are taken out."""
    text = strip_markup(text)
    for allowed in allowed_texts:
        if allowed and allowed in text:
            text = text.replace(allowed, " ")
    # Identifiers (name_zh, OPEX_SAVING, wave-2, ECO-IT) are one word each.
    words = [w.rstrip("'’-") for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 1]
    return [word for word in words if word not in allowed_words]
