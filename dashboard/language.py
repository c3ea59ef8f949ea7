"""The page's own words in the reader's language: what the browser libraries write themselves.

Dash, ag-grid and plotly bring English texts of their own — a grid's filter menu and "No Rows To
Show", a chart's toolbar tips and month names, a dropdown's "No options found". Each takes its
texts as an option; this module builds those options from the catalogue (``zh_TW.po``), so one
test covers them with every other string, and nothing is fetched from the network:

* :func:`grid_locale_text` — ag-grid's ``localeText`` (every grid gets it through
  :func:`dashboard.components.exportable.grid`);
* :func:`plotly_config` — a chart's ``config`` with its locale (toolbar tips, month and day names,
  separators) carried inline;
* :func:`figure_locale` — the number separators and the date-axis formats a figure needs to read
  right in an exported image too (kaleido knows no locale);
* :func:`dropdown_labels` — ``dcc.Dropdown``'s ``labels``;
* :func:`html_lang` — the ``lang`` of the page, which numbers in grids are formatted by.

Numbers in grids stay numbers (sorting, filtering and exports keep them); the grid formats them
for display with the browser's ``Intl.NumberFormat`` in the page's language. Dates are formatted
on the server with Babel (:func:`bsc.i18n.format_day`, :func:`bsc.i18n.format_timestamp`) so the
page and its exports read the same.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from babel import Locale

from bsc.i18n import N_, current_language, t

__all__ = [
    "GRID_TEXTS",
    "PLOTLY_TEXTS",
    "DROPDOWN_TEXTS",
    "grid_locale_text",
    "plotly_config",
    "figure_locale",
    "date_ticks",
    "dropdown_labels",
    "html_lang",
]

#: ag-grid's own texts (community grid: overlays, filter menus, pagination, screen-reader
#: labels) by its locale key. English readers get ag-grid's built-in wording.
GRID_TEXTS = {
    "noRowsToShow": N_("No rows to show"),
    "loadingOoo": N_("Loading…"),
    "applyFilter": N_("Apply"),
    "clearFilter": N_("Clear"),
    "resetFilter": N_("Reset"),
    "cancelFilter": N_("Cancel"),
    "textFilter": N_("Text filter"),
    "numberFilter": N_("Number filter"),
    "dateFilter": N_("Date filter"),
    "filterOoo": N_("Filter…"),
    "empty": N_("Choose one"),
    "equals": N_("Equals"),
    "notEqual": N_("Does not equal"),
    "lessThan": N_("Less than"),
    "greaterThan": N_("Greater than"),
    "lessThanOrEqual": N_("Less than or equal to"),
    "greaterThanOrEqual": N_("Greater than or equal to"),
    "inRange": N_("Between"),
    "inRangeStart": N_("Lower bound"),
    "inRangeEnd": N_("Upper bound"),
    "contains": N_("Contains"),
    "notContains": N_("Does not contain"),
    "startsWith": N_("Begins with"),
    "endsWith": N_("Ends with"),
    "blank": N_("Blank"),
    "notBlank": N_("Not blank"),
    "blanks": N_("(Blanks)"),
    "before": N_("Earlier than"),
    "after": N_("Later than"),
    "andCondition": N_("AND"),
    "orCondition": N_("OR"),
    "invalidNumber": N_("Invalid number"),
    "invalidDate": N_("Invalid date"),
    "page": N_("Page"),
    "of": N_("of"),
    "to": N_("to"),
    "more": N_("more"),
    "firstPage": N_("First page"),
    "previousPage": N_("Previous page"),
    "nextPage": N_("Next page"),
    "lastPage": N_("Last page"),
    "pageSizeSelectorLabel": N_("Page size:"),
    "ariaFilterMenuOpen": N_("Open the filter menu"),
    "ariaLabelColumnMenu": N_("Column menu"),
    "ariaLabelColumnFilter": N_("Column filter"),
    "ariaFilterValue": N_("Filter value"),
    "ariaFilterFromValue": N_("Filter from value"),
    "ariaFilterToValue": N_("Filter to value"),
    "ariaDateFilterInput": N_("Date filter input"),
    "ariaSortableColumn": N_("Press Enter to sort"),
    "ariaChecked": N_("checked"),
    "ariaUnchecked": N_("unchecked"),
    "ariaIndeterminate": N_("indeterminate"),
    "ariaLabelTooltip": N_("Tooltip"),
    "ariaPageSizeSelectorLabel": N_("Page size"),
}

#: plotly.js's own texts (chart toolbar, hints, box-plot hover labels): its dictionary is keyed
#: by these English texts, so each message id here is exactly plotly's.
PLOTLY_TEXTS = (
    N_("Autoscale"),
    N_("Box Select"),
    N_("Compare data on hover"),
    N_("Double-click on legend to isolate one trace"),
    N_("Double-click to zoom back out"),
    N_("Download plot as a PNG"),
    N_("Download plot"),
    N_("Lasso Select"),
    N_("Pan"),
    N_("Produced with Plotly.js"),
    N_("Reset"),
    N_("Reset axes"),
    N_("Reset view"),
    N_("Reset views"),
    N_("Show closest data on hover"),
    N_("Toggle Spike Lines"),
    N_("Toggle show closest data on hover"),
    N_("Zoom"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("trace"),
    N_("min:"),
    N_("q1:"),
    N_("median:"),
    N_("q3:"),
    N_("max:"),
    N_("mean:"),
    N_("lower fence:"),
    N_("upper fence:"),
)

#: ``dcc.Dropdown``'s own texts by its ``labels`` key.
DROPDOWN_TEXTS = {
    "select_all": N_("Select all"),
    "deselect_all": N_("Deselect all"),
    "selected_count": N_("{num_selected} selected"),
    "search": N_("Search"),
    "clear_search": N_("Clear search"),
    "clear_selection": N_("Clear selection"),
    "no_options_found": N_("No options found"),
}

_LOCALES = {"en": "en_US", "zh-TW": "zh_Hant_TW"}
#: Date formats of plotly's axes and hover labels (d3-time-format), where plotly's own English
#: ones would name months in English.
_DATE_FORMATS = {
    "zh-TW": {
        "date": "%Y/%m/%d",
        "year": "%Y年",
        "month": "%Y年%-m月",
        "dayMonth": "%-m月%-d日",
        "dayMonthYear": "%Y年%-m月%-d日",
    }
}
_MS_PER_DAY = 86_400_000


def _babel() -> Locale:
    return Locale.parse(_LOCALES[current_language()])


def html_lang() -> str:
    """The ``lang`` attribute of the page: the reader's language as a BCP 47 tag."""
    return current_language()


def grid_locale_text() -> dict[str, str]:
    """ag-grid's ``localeText`` in the reader's language (empty: ag-grid's own English)."""
    if current_language() == "en":
        return {}
    return {key: t(text) for key, text in GRID_TEXTS.items()}


def dropdown_labels() -> dict[str, str]:
    """``dcc.Dropdown``'s ``labels`` in the reader's language."""
    return {key: t(text) for key, text in DROPDOWN_TEXTS.items()}


def _plotly_format() -> dict[str, Any]:
    locale = _babel()
    days = locale.days["format"]
    # plotly counts days from Sunday, Babel from Monday.
    order = (6, 0, 1, 2, 3, 4, 5)
    return {
        "days": [days["wide"][day] for day in order],
        "shortDays": [days["abbreviated"][day] for day in order],
        "months": [locale.months["format"]["wide"][month] for month in range(1, 13)],
        "shortMonths": [locale.months["format"]["abbreviated"][month] for month in range(1, 13)],
        "periods": [locale.day_periods["format"]["abbreviated"][p] for p in ("am", "pm")],
        "decimal": locale.number_symbols["latn"]["decimal"],
        "thousands": locale.number_symbols["latn"]["group"],
        **_DATE_FORMATS.get(current_language(), {}),
    }


def plotly_config(filename: str) -> dict[str, Any]:
    """A chart's ``config``: the toolbar (its PNG named ``filename``) in the reader's language.

    The locale goes inline (``locales``), so no locale script is fetched: it works offline.
    """
    config: dict[str, Any] = {
        "displaylogo": False,
        "toImageButtonOptions": {"filename": filename},
    }
    language = current_language()
    if language != "en":
        dictionary = {text: t(text) for text in PLOTLY_TEXTS}
        config["locale"] = language
        config["locales"] = {language: {"dictionary": dictionary, "format": _plotly_format()}}
    return config


def date_ticks() -> dict[str, Any]:
    """Settings of a date axis whose tick labels read right in the reader's language, on the page
    and in an exported image alike (empty for English: plotly's own labels)."""
    formats = _DATE_FORMATS.get(current_language())
    if formats is None:
        return {}
    return {
        "tickformatstops": [
            {"dtickrange": [None, _MS_PER_DAY * 27], "value": formats["dayMonthYear"]},
            {"dtickrange": [_MS_PER_DAY * 27, _MS_PER_DAY * 360], "value": formats["month"]},
            {"dtickrange": [_MS_PER_DAY * 360, None], "value": formats["year"]},
        ]
    }


#: Languages whose readers do not abbreviate large numbers with the SI letters plotly uses on
#: axes (2M, 3B): their axes write numbers out, grouped.
_NO_SI_PREFIXES = {"zh-TW"}


def figure_locale(figure: go.Figure) -> go.Figure:
    """``figure`` with the number separators of the reader's language (plotly's ``separators``:
    decimal mark, then thousands separator) and axis numbers as that language writes them."""
    symbols = _babel().number_symbols["latn"]
    figure.update_layout(separators=symbols["decimal"] + symbols["group"])
    if current_language() in _NO_SI_PREFIXES:
        figure.update_xaxes(exponentformat="none")
        figure.update_yaxes(exponentformat="none")
    return figure
