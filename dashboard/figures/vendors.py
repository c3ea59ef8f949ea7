"""Charts and tables of the vendor evaluation: weighted ranking, expert spread, weight stability.

Only the programme roles see them.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from bsc.i18n import N_, t
from bsc.services import vendors as service
from dashboard.access import Access
from dashboard.components.charts import MARGIN, empty_figure
from dashboard.names import localised_names
from dashboard.registry import ExportContext, chart, table
from kpi.programme import vendors

__all__ = [
    "CRITERIA_FIELDS",
    "evaluation",
    "ranking_chart",
    "spread_chart",
    "stability_chart",
    "heatmap_chart",
    "ranking_table",
    "stability_table",
    "criteria_table",
]

#: Column headers of the criteria grid by field, for reading edited weights back.
CRITERIA_FIELDS = {
    "criterion": N_("Code"),
    "name": N_("Criterion"),
    "weight": N_("Weight"),
    "share": N_("Share of total (%)"),
}


def evaluation(context: ExportContext) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The expert scores, the criteria and the vendors' names the user may read."""
    scores = service.scores_frame(context.session, principal=context.principal)
    criteria = service.criteria_frame(context.session, principal=context.principal)
    names = service.vendors_frame(context.session, principal=context.principal)
    return scores, criteria, dict(zip(names["vendor"], names["name"], strict=True))


def _chosen(context: ExportContext) -> str | None:
    decided = service.decision(context.session, principal=context.principal)
    return decided["vendor"] if decided else None


def _criterion_names(criteria: pd.DataFrame) -> dict[str, str]:
    return localised_names(criteria, "criterion", "name", "name_zh")


@chart("vendor_ranking", title=N_("Weighted ranking of vendors"), access=Access.PROGRAMME)
def ranking_chart(context: ExportContext) -> go.Figure:
    """Each vendor's weighted score, stacked by what each criterion contributes."""
    scores, criteria, names = evaluation(context)
    if scores.empty:
        return empty_figure(t("No vendor scores yet."))
    ranked = vendors.ranking(scores, criteria)
    means = scores.groupby(["vendor", "criterion"], as_index=False)["score"].mean()
    shares = criteria.set_index("criterion")["weight"] / criteria["weight"].sum()
    means["contribution"] = means["score"] * means["criterion"].map(shares)
    labels = {code: f"{code} · {names.get(code, code)}" for code in ranked["vendor"]}
    chosen = _chosen(context)
    criterion_names = _criterion_names(criteria)
    figure = go.Figure()
    for criterion in criteria["criterion"]:
        own = means[means["criterion"] == criterion].set_index("vendor").reindex(ranked["vendor"])
        figure.add_trace(
            go.Bar(
                y=[labels[v] for v in own.index],
                x=own["contribution"],
                name=criterion_names.get(criterion, criterion),
                orientation="h",
                customdata=own["score"],
                hovertemplate="%{y}<br>"
                + criterion_names.get(criterion, criterion)
                + ": %{customdata:.1f} × "
                + f"{shares[criterion]:.0%}"
                + " = %{x:.1f}<extra></extra>",
            )
        )
    for row in ranked.itertuples():
        mark = " ✔ " + t("chosen") if row.vendor == chosen else ""
        figure.add_annotation(
            y=labels[row.vendor],
            x=row.score,
            text=f"{row.score:.1f}{mark}",
            showarrow=False,
            xanchor="left",
            xshift=6,
        )
    figure.update_layout(
        barmode="stack",
        margin={**MARGIN, "l": 220, "r": 90},
        xaxis={"title": t("Weighted score (0–100)"), "range": [0, 105]},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


@chart("vendor_spread", title=N_("Spread between experts"), access=Access.PROGRAMME)
def spread_chart(context: ExportContext) -> go.Figure:
    """Each expert's weighted total per vendor: how far the experts agree."""
    scores, criteria, names = evaluation(context)
    if scores.empty:
        return empty_figure(t("No vendor scores yet."))
    totals = vendors.expert_totals(scores, criteria)
    order = vendors.ranking(scores, criteria)["vendor"].tolist()
    figure = px.box(
        totals,
        x="vendor",
        y="score",
        points="all",
        hover_data=["expert"],
        category_orders={"vendor": order},
        labels={
            "vendor": t("Vendor"),
            "score": t("Expert's weighted score"),
            "expert": t("Expert"),
        },
    )
    figure.update_traces(marker_color="#6f42c1", line_color="#6f42c1")
    figure.update_layout(margin=MARGIN)
    return figure


@chart(
    "vendor_stability",
    title=N_("Lead of the top vendor when a weight moves ±10 %"),
    access=Access.PROGRAMME,
)
def stability_chart(context: ExportContext) -> go.Figure:
    """The top vendor's lead over the runner-up with each weight 10 % higher or lower; a red
    bar means another vendor takes the top place."""
    scores, criteria, _names = evaluation(context)
    if scores.empty:
        return empty_figure(t("No vendor scores yet."))
    stability = vendors.rank_stability(scores, criteria)
    table_ = stability.table
    criterion_names = _criterion_names(criteria)
    figure = go.Figure()
    for change, name in (
        (vendors.WEIGHT_STEP, t("weight +10 %")),
        (-vendors.WEIGHT_STEP, t("weight −10 %")),
    ):
        own = table_[table_["change"] == change]
        lead = own["lead"].where(~own["top_changed"], -own["lead"])
        figure.add_trace(
            go.Bar(
                y=[criterion_names.get(c, c) for c in own["criterion"]],
                x=lead,
                name=name,
                orientation="h",
                marker_color=[
                    "#dc3545" if flip else ("#0d6efd" if change > 0 else "#6ea8fe")
                    for flip in own["top_changed"]
                ],
                customdata=own["top"],
                hovertemplate="%{y} · "
                + name
                + "<br>"
                + t("Top")
                + ": %{customdata}<br>"
                + t("Lead")
                + " %{x:.2f}<extra></extra>",
            )
        )
    base = vendors.ranking(scores, criteria)
    if len(base) > 1:
        figure.add_vline(x=float(base["score"].iloc[0] - base["score"].iloc[1]), line_dash="dot")
    figure.update_layout(
        barmode="group",
        margin={**MARGIN, "l": 200},
        xaxis={"title": t("Lead over the runner-up (points)")},
        title={"text": t("dotted: lead with the weights as set"), "x": 0.01, "font": {"size": 12}},
    )
    return figure


@chart("vendor_heatmap", title=N_("Mean expert score by criterion"), access=Access.PROGRAMME)
def heatmap_chart(context: ExportContext) -> go.Figure:
    """Mean score (0–100) of each vendor on each criterion."""
    scores, criteria, _names = evaluation(context)
    if scores.empty:
        return empty_figure(t("No vendor scores yet."))
    spread = vendors.criterion_spread(scores)
    mean = spread.pivot(index="vendor", columns="criterion", values="mean")
    std = spread.pivot(index="vendor", columns="criterion", values="std").reindex_like(mean)
    criterion_names = _criterion_names(criteria)
    figure = go.Figure(
        go.Heatmap(
            z=mean.to_numpy(),
            x=[criterion_names.get(c, c) for c in mean.columns],
            y=list(mean.index),
            customdata=std.to_numpy(),
            colorscale="Blues",
            texttemplate="%{z:.1f}",
            hovertemplate="%{y} · %{x}: %{z:.1f} (σ %{customdata:.1f})<extra></extra>",
        )
    )
    figure.update_layout(margin=MARGIN, yaxis_autorange="reversed")
    return figure


@table("vendor_ranking_table", title=N_("Vendors ranked"), access=Access.PROGRAMME)
def ranking_table(context: ExportContext) -> pd.DataFrame:
    """Weighted score, rank, gap to the top and the experts' spread of each vendor."""
    scores, criteria, names = evaluation(context)
    columns = [
        t("Rank"),
        t("Vendor"),
        t("Name"),
        t("Weighted score"),
        t("Gap to top"),
        t("Experts' standard deviation"),
        t("Experts' range"),
        t("Chosen"),
    ]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    ranked = vendors.ranking(scores, criteria).merge(
        vendors.expert_spread(scores, criteria), on="vendor"
    )
    chosen = _chosen(context)
    return pd.DataFrame(
        {
            columns[0]: ranked["rank"],
            columns[1]: ranked["vendor"],
            columns[2]: ranked["vendor"].map(names),
            columns[3]: ranked["score"].round(2),
            columns[4]: ranked["gap_to_top"].round(2),
            columns[5]: ranked["std"].round(2),
            columns[6]: ranked["range"].round(2),
            columns[7]: ranked["vendor"].map(lambda v: "✓" if v == chosen else ""),
        }
    )


@table(
    "vendor_stability_table",
    title=N_("Ranking when each weight moves ±10 %"),
    access=Access.PROGRAMME,
)
def stability_table(context: ExportContext) -> pd.DataFrame:
    """For every criterion and direction: the moved weight, the new order and the top's lead."""
    scores, criteria, _names = evaluation(context)
    stability = vendors.rank_stability(scores, criteria)
    table_ = stability.table
    names = _criterion_names(criteria)
    return pd.DataFrame(
        {
            t("Criterion"): table_["criterion"].map(names),
            t("Change"): table_["change"].map(lambda c: f"{c:+.0%}"),
            t("Weight (%)"): (table_["weight"] * 100).round(1),
            t("Moved weight (%)"): (table_["moved_weight"] * 100).round(1),
            t("Order"): table_["order"].map(" > ".join),
            t("Top changes"): table_["top_changed"].map(lambda flag: "✓" if flag else ""),
            t("Lead of the top"): table_["lead"].round(2),
        }
    )


@table("vendor_criteria", title=N_("Criteria and weights"), access=Access.PROGRAMME)
def criteria_table(context: ExportContext) -> pd.DataFrame:
    """The evaluation criteria with their weights and share of the total."""
    criteria = service.criteria_frame(context.session, principal=context.principal)
    frame = criteria.assign(
        name=criteria["criterion"].map(_criterion_names(criteria)),
        share=(criteria["weight"] / criteria["weight"].sum() * 100).round(1),
    )
    return frame[list(CRITERIA_FIELDS)].rename(
        columns={k: t(v) for k, v in CRITERIA_FIELDS.items()}
    )
