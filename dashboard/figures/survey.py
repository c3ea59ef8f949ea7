"""Charts and tables of the demand and willingness survey.

``params["count"]`` is how many members count as most and least willing (default 3). Responses
name members, so only the programme roles see them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bsc.i18n import N_, format_timestamp, t
from bsc.services import survey as service
from dashboard.access import Access
from dashboard.components.charts import MARGIN, empty_figure
from dashboard.names import localised_names, member_names
from dashboard.registry import ExportContext, chart, table
from kpi.programme import survey

__all__ = [
    "DEFAULT_COUNT",
    "REMEDIATION_FIELDS",
    "demand_chart",
    "willingness_chart",
    "matrix_chart",
    "items_table",
    "members_table",
    "remediation_table",
]

DEFAULT_COUNT = 3
#: Column headers of the remediation grid by field, for reading the program office's notes back.
REMEDIATION_FIELDS = {
    "member_code": N_("Code"),
    "member_name": N_("Member"),
    "mean_willingness": N_("Mean willingness"),
    "reluctant_items": N_("Items rated 1–2"),
    "concerns": N_("Top concerns"),
    "note": N_("Remediation note"),
    "updated_by": N_("Noted by"),
    "updated_at": N_("Noted at"),
}


def _count(context: ExportContext) -> int:
    return int(context.params.get("count") or DEFAULT_COUNT)


def _responses(context: ExportContext) -> pd.DataFrame:
    return service.responses_frame(context.session, principal=context.principal)


def _item_texts(context: ExportContext) -> dict[str, str]:
    return localised_names(service.items_frame(context.session), "item", "text", "text_zh")


@chart("survey_demand", title=N_("Most demanded items"), access=Access.PROGRAMME)
def demand_chart(context: ExportContext) -> go.Figure:
    """Mean demand per item (1–5), most demanded on top, with the share rating it 4 or 5."""
    responses = _responses(context)
    if responses.empty:
        return empty_figure(t("No survey responses yet."))
    items = survey.item_demand(responses)
    texts = _item_texts(context)
    labels = [f"{code} · {texts.get(code, code)}" for code in items["item"]]
    figure = go.Figure(
        go.Bar(
            x=items["mean_demand"],
            y=labels,
            orientation="h",
            marker_color="#0d6efd",
            text=[f"{share:.0%} ≥ 4" for share in items["high_demand_share"]],
            textposition="outside",
            hovertemplate="%{y}<br>" + t("Mean demand") + " %{x:.2f}<extra></extra>",
        )
    )
    figure.update_layout(
        margin={**MARGIN, "l": 300},
        xaxis={"title": t("Mean demand (1–5)"), "range": [0, 5.6]},
        yaxis={"autorange": "reversed"},
    )
    return figure


@chart("survey_willingness", title=N_("Willingness of each member"), access=Access.PROGRAMME)
def willingness_chart(context: ExportContext) -> go.Figure:
    """Mean willingness per member; the most willing green, the least willing red."""
    responses = _responses(context)
    if responses.empty:
        return empty_figure(t("No survey responses yet."))
    table_ = survey.member_willingness(responses)
    count = _count(context)
    most = set(survey.most_willing(table_, count)["member_code"])
    least = set(survey.least_willing(table_, count)["member_code"])
    colours = [
        "#198754" if code in most else "#dc3545" if code in least else "#adb5bd"
        for code in table_["member_code"]
    ]
    figure = go.Figure(
        go.Bar(
            x=table_["member_code"],
            y=table_["mean_willingness"],
            marker_color=colours,
            hovertemplate="%{x}: %{y:.2f}<extra></extra>",
        )
    )
    figure.update_layout(
        margin=MARGIN,
        yaxis={"title": t("Mean willingness (1–5)"), "range": [0, 5.2]},
        title={
            "text": t("green: most willing; red: least willing"),
            "x": 0.01,
            "font": {"size": 12},
        },
    )
    return figure


@chart("survey_matrix", title=N_("Willingness by member and item"), access=Access.PROGRAMME)
def matrix_chart(context: ExportContext) -> go.Figure:
    """Each member's willingness (1–5) for each item."""
    responses = _responses(context)
    if responses.empty:
        return empty_figure(t("No survey responses yet."))
    matrix = responses.pivot_table(
        index="member_code", columns="item", values="willingness", aggfunc="mean"
    )
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=list(matrix.columns),
            y=list(matrix.index),
            zmin=1,
            zmax=5,
            colorscale="RdYlGn",
            texttemplate="%{z:.0f}",
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
            colorbar={"title": {"text": t("Willingness")}},
        )
    )
    figure.update_layout(margin=MARGIN, yaxis_autorange="reversed")
    return figure


@table("survey_items", title=N_("Items by demand"), access=Access.PROGRAMME)
def items_table(context: ExportContext) -> pd.DataFrame:
    """Items ranked by mean demand."""
    responses = _responses(context)
    items = (
        survey.item_demand(responses)
        if not responses.empty
        else pd.DataFrame(
            columns=[
                "rank",
                "item",
                "mean_demand",
                "high_demand_share",
                "mean_willingness",
                "responses",
            ]
        )
    )
    texts = _item_texts(context)
    return pd.DataFrame(
        {
            t("Rank"): items["rank"],
            t("Item"): items["item"],
            t("Text"): items["item"].map(texts),
            t("Mean demand"): items["mean_demand"].astype(float).round(2),
            t("Rated 4–5 (%)"): (items["high_demand_share"].astype(float) * 100).round(0),
            t("Mean willingness"): items["mean_willingness"].astype(float).round(2),
            t("Responses"): items["responses"],
        }
    )


@table("survey_members", title=N_("Members by willingness"), access=Access.PROGRAMME)
def members_table(context: ExportContext) -> pd.DataFrame:
    """Members ranked by mean willingness, most willing first."""
    responses = _responses(context)
    columns = ["rank", "member_code", "mean_willingness", "mean_demand", "reluctant_items", "items"]
    ranked = (
        survey.member_willingness(responses)
        if not responses.empty
        else pd.DataFrame(columns=columns)
    )
    names = member_names(context.session)
    return pd.DataFrame(
        {
            t("Rank"): ranked["rank"],
            t("Code"): ranked["member_code"],
            t("Member"): ranked["member_code"].map(names),
            t("Mean willingness"): ranked["mean_willingness"].astype(float).round(2),
            t("Mean demand"): ranked["mean_demand"].astype(float).round(2),
            t("Items rated 1–2"): ranked["reluctant_items"],
            t("Items answered"): ranked["items"],
        }
    )


@table(
    "survey_remediation", title=N_("Remediation list: the least willing"), access=Access.PROGRAMME
)
def remediation_table(context: ExportContext) -> pd.DataFrame:
    """The least willing members, their top concerns and the program office's notes."""
    responses = _responses(context)
    headers = {field: t(text) for field, text in REMEDIATION_FIELDS.items()}
    if responses.empty:
        return pd.DataFrame(columns=list(headers.values()))
    listed = survey.remediation_list(responses, count=_count(context))
    notes = service.remediation_notes(context.session, principal=context.principal)
    names = member_names(context.session)
    frame = listed.merge(notes, on="member_code", how="left").assign(
        member_name=lambda f: f["member_code"].map(names),
        mean_willingness=lambda f: f["mean_willingness"].round(2),
        note=lambda f: f["note"].fillna(""),
        updated_by=lambda f: f["updated_by"].fillna(""),
        updated_at=lambda f: f["updated_at"].map(
            lambda stamp: "" if pd.isna(stamp) else format_timestamp(stamp)
        ),
    )
    return frame[list(headers)].rename(columns=headers)
