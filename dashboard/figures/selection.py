"""Charts and tables of the pilot selection: is a chosen set representative of all members?

``params["members"]`` holds the chosen member codes (default: the first wave, the pilot). They
name members, so only the programme roles see them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bsc.i18n import N_, format_compact, format_number, label, t
from bsc.services import selection as service
from dashboard.access import Access
from dashboard.names import member_names
from dashboard.registry import ExportContext, chart, table
from kpi.programme import selection

__all__ = [
    "chosen",
    "stratum_text",
    "representativeness_all",
    "proportions_chart",
    "tests_table",
    "strata_table",
    "criteria_table",
]

_MARGIN = {"l": 40, "r": 20, "t": 50, "b": 40}


def chosen(context: ExportContext, members: pd.DataFrame) -> list[str]:
    """The member codes the card compares: ``params["members"]``, else the pilot wave."""
    asked = context.params.get("members")
    if asked is not None:
        return [str(code) for code in asked]
    sets = service.candidate_sets(context.session, principal=context.principal)
    pilot = next((codes for name, codes in sets.items() if name.startswith("wave:")), [])
    return pilot


def representativeness_all(
    context: ExportContext,
) -> tuple[list[selection.Representativeness], dict[str, list[float]], pd.DataFrame, list[str]]:
    """The comparison on every dimension, the band edges, the members and the chosen codes."""
    members = service.members_frame(context.session, principal=context.principal)
    banded, edges = selection.add_bands(members)
    codes = chosen(context, members)
    results = [selection.representativeness(banded, codes, d) for d in selection.DIMENSIONS]
    return results, edges, banded, codes


def _amount(value: float, dimension: str) -> str:
    return ("NT$" if dimension == "revenue_band" else "") + format_compact(value)


def stratum_text(dimension: str, stratum: str, edges: Mapping[str, list[float]]) -> str:
    """A stratum's display name; revenue and investor bands show their bounds."""
    key = {"revenue_band": "revenue", "investor_band": "investor_count"}.get(dimension)
    bounds = edges.get(key, []) if key else []
    names = selection.BAND_NAMES.get(len(bounds) - 1, ())
    if key and stratum in names:
        index = names.index(stratum)
        low, high = bounds[index], bounds[index + 1]
        return f"{label(stratum)} ({_amount(low, dimension)}–{_amount(high, dimension)})"
    return label(stratum)


@chart(
    "selection_proportions", title=N_("Chosen members against all members"), access=Access.PROGRAMME
)
def proportions_chart(context: ExportContext) -> go.Figure:
    """Share of all members and of the chosen set in each stratum, per dimension."""
    results, edges, _members, codes = representativeness_all(context)
    figure = make_subplots(
        rows=2, cols=2, subplot_titles=[label(r.dimension) for r in results], vertical_spacing=0.2
    )
    for index, result in enumerate(results):
        row, col = index // 2 + 1, index % 2 + 1
        strata = [stratum_text(result.dimension, s, edges) for s in result.table["stratum"]]
        under = result.table["under_represented"].tolist()
        figure.add_trace(
            go.Bar(
                x=strata,
                y=result.table["population_share"],
                name=t("All members"),
                marker_color="#adb5bd",
                showlegend=index == 0,
                legendgroup="all",
                hovertemplate="%{x}: %{y:.0%}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        figure.add_trace(
            go.Bar(
                x=strata,
                y=result.table["selected_share"].fillna(0),
                name=t("Chosen ({count})", count=len(codes)),
                marker={"color": ["#dc3545" if flag else "#0d6efd" for flag in under]},
                showlegend=index == 0,
                legendgroup="chosen",
                hovertemplate="%{x}: %{y:.0%}<extra></extra>",
            ),
            row=row,
            col=col,
        )
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    figure.update_layout(
        barmode="group",
        margin=_MARGIN,
        height=620,
        legend={"orientation": "h", "y": -0.12},
        title={"text": t("red: under-represented"), "x": 0.01, "font": {"size": 12}},
    )
    return figure


def _p(value: float | None) -> str:
    return "–" if value is None else format_number(value, 3)


def _verdict(result: selection.Representativeness) -> str:
    if result.p_value is None:
        return t("No test: choose members, and compare on a dimension with two or more strata.")
    p = result.exact_p_value if result.exact_p_value is not None else result.p_value
    finding = (
        t("Differs from all members (p < 0.05).")
        if p < 0.05
        else t("No evidence it differs from all members (p ≥ 0.05).")
    )
    if result.reliable:
        return finding
    caveat = t(
        "{small} of {strata} expected counts are below 5, so the chi-square p-value is only "
        "approximate; the exact p-value is the one to read.",
        small=result.small_expected,
        strata=len(result.table),
    )
    if result.exact_p_value is None:
        caveat = t(
            "{small} of {strata} expected counts are below 5, so the chi-square p-value is only "
            "approximate and there are too many outcomes for an exact test.",
            small=result.small_expected,
            strata=len(result.table),
        )
    return f"{finding} {caveat}"


@table(
    "selection_tests", title=N_("Chi-square tests of representativeness"), access=Access.PROGRAMME
)
def tests_table(context: ExportContext) -> pd.DataFrame:
    """Per dimension: χ², degrees of freedom, p-values, small expected counts and the verdict."""
    results, edges, _members, _codes = representativeness_all(context)
    return pd.DataFrame(
        [
            {
                t("Dimension"): label(r.dimension),
                t("Chi-square"): None if r.statistic is None else round(r.statistic, 3),
                t("Degrees of freedom"): r.dof,
                t("p-value (chi-square)"): _p(r.p_value),
                t("p-value (exact)"): _p(r.exact_p_value),
                t("Expected counts below 5"): f"{r.small_expected} / {len(r.table)}",
                t("Under-represented"): ", ".join(
                    stratum_text(r.dimension, s, edges) for s in r.under_represented
                ),
                t("Verdict"): _verdict(r),
            }
            for r in results
        ]
    )


@table("selection_strata", title=N_("Proportions by stratum"), access=Access.PROGRAMME)
def strata_table(context: ExportContext) -> pd.DataFrame:
    """Counts, shares and expected counts side by side for every stratum of every dimension."""
    results, edges, _members, _codes = representativeness_all(context)
    rows = []
    for result in results:
        table_ = result.table.assign(
            population_share=(result.table["population_share"] * 100).round(1),
            selected_share=(result.table["selected_share"] * 100).round(1),
            expected=result.table["expected"].round(2),
        )
        for row in table_.to_dict("records"):
            rows.append(
                {
                    t("Dimension"): label(result.dimension),
                    t("Stratum"): stratum_text(result.dimension, str(row["stratum"]), edges),
                    t("All members"): row["population"],
                    t("Share of all"): row["population_share"],
                    t("Chosen"): row["selected"],
                    t("Share of chosen"): row["selected_share"],
                    t("Expected"): row["expected"],
                    t("Under-represented"): "✓" if row["under_represented"] else "",
                }
            )
    return pd.DataFrame(rows)


@table(
    "selection_criteria",
    title=N_("Selection criteria of the chosen members"),
    access=Access.PROGRAMME,
)
def criteria_table(context: ExportContext) -> pd.DataFrame:
    """Which chosen member meets which pilot criterion (industry leader, cloud leader, state
    shareholding, prior cooperation)."""
    members = service.members_frame(context.session, principal=context.principal)
    codes = set(chosen(context, members))
    picked = members[members["member_code"].isin(codes)]
    frame = pd.DataFrame(
        {
            t("Code"): picked["member_code"],
            t("Member"): picked["member_code"].map(member_names(context.session)),
        }
    )
    for criterion in selection.CRITERIA:
        frame[label(criterion)] = picked[criterion].map(lambda flag: "✓" if flag else "")
    frame[t("Criteria met")] = picked[list(selection.CRITERIA)].astype(bool).sum(axis=1)
    return frame.reset_index(drop=True)
