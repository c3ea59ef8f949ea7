"""Charts and tables of the PEST analysis: heat map, bubbles, radar, trends and exposed objectives.

Every builder takes the quarter from ``params["quarter"]`` (default: the latest rated). Factors and
ratings name no member, so everyone signed in sees them; the exposed objectives are limited to
the members the user may read.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bsc.i18n import N_, format_number, label, t
from bsc.services import pest as service
from dashboard import cache
from dashboard.access import Access
from dashboard.components.charts import MARGIN, empty_figure
from dashboard.names import localised_names
from dashboard.registry import ExportContext, chart, table
from kpi.programme import pest
from kpi.vocabulary import PestCategory

__all__ = [
    "CATEGORY_COLOURS",
    "quarter_of",
    "heatmap",
    "bubble_chart",
    "radar",
    "trend_chart",
    "exposed_table",
    "factors_table",
    "ratings_table",
    "directions_table",
]

CATEGORY_COLOURS = {
    PestCategory.POLITICAL.value: "#6a51a3",
    PestCategory.ECONOMIC.value: "#2171b5",
    PestCategory.SOCIAL.value: "#d94801",
    PestCategory.TECHNOLOGICAL.value: "#238b45",
}
#: Red for harm, white for neutral, green for help; exposure runs from −10 to +10.
EXPOSURE_SCALE = [
    [0.0, "#b2182b"],
    [0.4, "#f4a582"],
    [0.5, "#f7f7f7"],
    [0.6, "#a6dba0"],
    [1.0, "#1b7837"],
]


def _agreed(context: ExportContext) -> pd.DataFrame:
    return pest.consensus(service.ratings_frame(context.session))


def quarter_of(context: ExportContext, agreed: pd.DataFrame) -> str | None:
    """The quarter asked for, else the latest rated."""
    asked = context.params.get("quarter")
    return str(asked) if asked else pest.latest_quarter(agreed)


def _names(context: ExportContext) -> dict[str, str]:
    factors = service.factors_frame(context.session, principal=context.principal)
    return localised_names(factors, "code", "name", "name_zh")


@chart("pest_heatmap", title=N_("PEST exposure by factor and quarter"), access=Access.SIGNED_IN)
def heatmap(context: ExportContext) -> go.Figure:
    """Exposure (impact × likelihood, −10…+10) of each factor in each quarter."""
    agreed = _agreed(context)
    if agreed.empty:
        return empty_figure(t("No PEST ratings yet."))
    names = _names(context)
    exposure = pest.heat_matrix(agreed)
    impact = pest.heat_matrix(agreed, "impact").reindex_like(exposure)
    likelihood = pest.heat_matrix(agreed, "likelihood").reindex_like(exposure)
    labels = [f"{code} · {names.get(code, code)}" for code in exposure.index]
    figure = go.Figure(
        go.Heatmap(
            z=exposure.to_numpy(),
            x=list(exposure.columns),
            y=labels,
            zmin=-10,
            zmax=10,
            zmid=0,
            colorscale=EXPOSURE_SCALE,
            text=exposure.map(lambda v: "" if pd.isna(v) else format_number(v, 1)).to_numpy(),
            texttemplate="%{text}",
            customdata=pd.concat([impact, likelihood], axis=1, keys=["i", "l"])
            .to_numpy()
            .reshape(len(exposure), 2, -1)
            .transpose(0, 2, 1),
            hovertemplate=(
                "%{y}<br>%{x}<br>"
                + t("Exposure")
                + " %{z:.1f}<br>"
                + t("Impact")
                + " %{customdata[0]:.1f} · "
                + t("Likelihood")
                + " %{customdata[1]:.1f}<extra></extra>"
            ),
            colorbar={"title": {"text": t("Exposure")}},
        )
    )
    figure.update_layout(margin={**MARGIN, "l": 260}, yaxis_autorange="reversed")
    return figure


@chart("pest_bubbles", title=N_("Impact and likelihood"), access=Access.SIGNED_IN)
def bubble_chart(context: ExportContext) -> go.Figure:
    """Factors of a quarter by impact and likelihood; bubble size: objectives linked."""
    agreed = _agreed(context)
    quarter = quarter_of(context, agreed)
    if quarter is None:
        return empty_figure(t("No PEST ratings yet."))
    links = service.links_frame(context.session, principal=context.principal)
    frame = pest.bubbles(agreed, links, quarter)
    names = _names(context)
    frame = frame.assign(
        name=frame["factor"].map(names),
        category_label=frame["category"].map(label),
        size=frame["objectives"] + 1,
    )
    figure = px.scatter(
        frame,
        x="impact",
        y="likelihood",
        size="size",
        color="category",
        text="factor",
        color_discrete_map=CATEGORY_COLOURS,
        custom_data=["name", "objectives", "raters"],
        size_max=34,
    )
    figure.for_each_trace(lambda trace: trace.update(name=label(trace.name)))
    figure.update_traces(
        textposition="top center",
        hovertemplate="%{text} · %{customdata[0]}<br>"
        + t("Impact")
        + " %{x:.1f} · "
        + t("Likelihood")
        + " %{y:.1f}<br>"
        + t("Objectives linked")
        + " %{customdata[1]}<extra></extra>",
    )
    # The threat zone: harmful and likely.
    figure.add_shape(
        type="rect",
        x0=-2.3,
        x1=0,
        y0=pest.THREAT_LIKELIHOOD,
        y1=5.4,
        fillcolor="rgba(178,24,43,0.08)",
        line_width=0,
        layer="below",
    )
    figure.update_layout(
        margin=MARGIN,
        xaxis={"title": t("Impact"), "range": [-2.4, 2.4], "zeroline": True, "dtick": 1},
        yaxis={"title": t("Likelihood"), "range": [0.5, 5.5], "dtick": 1},
        legend_title_text=t("Category"),
        title={"text": quarter, "x": 0.01, "font": {"size": 13}},
    )
    return figure


@chart("pest_radar", title=N_("Threats and opportunities by category"), access=Access.SIGNED_IN)
def radar(context: ExportContext) -> go.Figure:
    """Mean threat and opportunity (0–10) of each category's factors in a quarter."""
    agreed = _agreed(context)
    quarter = quarter_of(context, agreed)
    if quarter is None:
        return empty_figure(t("No PEST ratings yet."))
    profile = pest.category_profile(agreed, quarter)
    theta = [label(c) for c in profile["category"]]
    figure = go.Figure()
    for column, colour, name in (
        ("threat", "#b2182b", t("Threat")),
        ("opportunity", "#1b7837", t("Opportunity")),
    ):
        values = profile[column].tolist()
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*theta, theta[0]],
                name=name,
                fill="toself",
                line_color=colour,
                opacity=0.7,
            )
        )
    figure.update_layout(
        margin=MARGIN,
        polar={"radialaxis": {"range": [0, 10], "dtick": 2}},
        title={"text": quarter, "x": 0.01, "font": {"size": 13}},
    )
    return figure


@chart("pest_trend", title=N_("Exposure trend per factor"), access=Access.SIGNED_IN)
def trend_chart(context: ExportContext) -> go.Figure:
    """Each factor's exposure over the quarters, one panel per category."""
    agreed = _agreed(context)
    if agreed.empty:
        return empty_figure(t("No PEST ratings yet."))
    names = _names(context)
    categories = [c.value for c in PestCategory]
    figure = make_subplots(
        rows=2,
        cols=2,
        subplot_titles=[label(c) for c in categories],
        shared_yaxes=True,
        vertical_spacing=0.14,
    )
    for index, category in enumerate(categories):
        own = agreed[agreed["category"] == category]
        for factor, history in own.groupby("factor", sort=True):
            figure.add_trace(
                go.Scatter(
                    x=history["quarter"],
                    y=history["exposure"],
                    mode="lines+markers",
                    name=str(factor),
                    legendgroup=category,
                    line_color=CATEGORY_COLOURS[category],
                    hovertemplate=f"{factor} · {names.get(str(factor), factor)}"
                    + "<br>%{x}: %{y:.1f}<extra></extra>",
                ),
                row=index // 2 + 1,
                col=index % 2 + 1,
            )
    figure.add_hline(y=0, line_width=1, line_color="#adb5bd")
    figure.update_yaxes(range=[-10.5, 10.5], dtick=5)
    figure.update_layout(margin=MARGIN, showlegend=False, height=560)
    return figure


@table("pest_exposed", title=N_("Objectives exposed to threats"), access=Access.SIGNED_IN)
def exposed_table(context: ExportContext) -> pd.DataFrame:
    """Objectives linked to harmful, likely factors in the quarter, worst first, with status."""
    agreed = _agreed(context)
    quarter = quarter_of(context, agreed)
    columns = [
        t("Member"),
        t("Objective"),
        t("Factors"),
        t("Exposure"),
        t("Impact"),
        t("Likelihood"),
        t("Status"),
        t("Score"),
    ]
    if quarter is None:
        return pd.DataFrame(columns=columns)
    links = service.links_frame(context.session, principal=context.principal)
    objectives = service.objective_statuses(
        context.session,
        principal=context.principal,
        keys=set(links["objective_key"]),
        score=cache.scorecard,
    )
    exposed = pest.exposed_objectives(agreed, links, objectives, quarter=quarter)
    return pd.DataFrame(
        {
            columns[0]: exposed["member_code"].fillna(t("No map has it yet")),
            columns[1]: exposed["objective_key"],
            columns[2]: exposed["factors"],
            columns[3]: exposed["exposure"].round(1),
            columns[4]: exposed["impact"].round(1),
            columns[5]: exposed["likelihood"].round(1),
            columns[6]: exposed["status"].map(label),
            columns[7]: exposed["score"].round(1),
        },
        columns=columns,
    )


@table("pest_factors", title=N_("PEST factors"), access=Access.SIGNED_IN)
def factors_table(context: ExportContext) -> pd.DataFrame:
    """Factors by category with description and linked objectives."""
    factors = service.factors_frame(context.session, principal=context.principal)
    return pd.DataFrame(
        {
            t("Code"): factors["code"],
            t("Category"): factors["category"].map(label),
            t("Factor"): factors["code"].map(localised_names(factors, "code", "name", "name_zh")),
            t("Description"): factors["description"].fillna(""),
            t("Objectives"): factors["objectives"],
        }
    )


@table("pest_ratings", title=N_("Ratings of the quarter"), access=Access.SIGNED_IN)
def ratings_table(context: ExportContext) -> pd.DataFrame:
    """Every rater's rating of every factor in the quarter."""
    ratings = service.ratings_frame(context.session)
    quarter = context.params.get("quarter") or pest.latest_quarter(ratings)
    chosen = ratings[ratings["quarter"] == quarter]
    return pd.DataFrame(
        {
            t("Factor"): chosen["factor"],
            t("Quarter"): chosen["quarter"],
            t("Impact"): chosen["impact"],
            t("Likelihood"): chosen["likelihood"],
            t("Rater"): chosen["rater"],
            t("Note"): chosen["note"].fillna(""),
        }
    ).reset_index(drop=True)


@table("pest_directions", title=N_("Where each factor is heading"), access=Access.SIGNED_IN)
def directions_table(context: ExportContext) -> pd.DataFrame:
    """Latest exposure, change on the quarter before and the direction over four quarters."""
    directions = pest.trend(_agreed(context))
    names = _names(context)
    return pd.DataFrame(
        {
            t("Code"): directions["factor"],
            t("Factor"): directions["factor"].map(names),
            t("Category"): directions["category"].map(label),
            t("Exposure"): directions["latest"].round(1),
            t("Change"): directions["change"].round(1),
            t("Slope per quarter"): directions["slope"].round(2),
            t("Direction"): directions["direction"].map(
                lambda d: label(d) if isinstance(d, str) else "–"
            ),
        }
    ).sort_values(t("Slope per quarter"), ignore_index=True)
