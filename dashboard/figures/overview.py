"""Charts and tables of the overview: the members × perspectives heat map, movers, freshness.

A member user's heat map shows its own row and the anonymised peer quartiles; its tables show
only itself. Builders take the overview's period and the ``wave`` and ``segment`` filters.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bsc.authz import can_read_programme
from bsc.i18n import N_, format_number, format_percent_value, format_timestamp, label, t
from bsc.services.scoring_data import scoring_rules
from dashboard import cache
from dashboard.access import Access
from dashboard.names import member_names
from dashboard.registry import ExportContext, chart, table
from kpi.vocabulary import PERSPECTIVE_ORDER, Status

__all__ = ["STATUS_COLOURS", "overview_heatmap", "overview_movers", "data_freshness", "view_of"]

STATUS_COLOURS = {
    Status.RED.value: "#d9534f",
    Status.AMBER.value: "#f0ad4e",
    Status.GREEN.value: "#5cb85c",
    Status.GREY.value: "#d5d8dc",
}
_STATUS_INDEX = {status: index for index, status in enumerate(STATUS_COLOURS)}
_COLUMNS = ["member", *(p.value for p in PERSPECTIVE_ORDER)]
STATE_LABELS = {
    "reported": N_("Reported"),
    "overdue": N_("Overdue"),
    "not_started": N_("Not reporting yet"),
    "open": N_("Month not over"),
}


def view_of(context: ExportContext) -> Any:
    """The overview for the context's principal, period and filters (cached)."""
    period = context.period or cache.latest_period(context.session)
    return cache.overview(
        context.session,
        principal=context.principal,
        period=period,
        wave=context.params.get("wave") or None,
        segment=context.params.get("segment") or None,
    )


def _discrete_colourscale() -> list[list[Any]]:
    steps = len(STATUS_COLOURS)
    scale: list[list[Any]] = []
    for index, colour in enumerate(STATUS_COLOURS.values()):
        scale += [[index / steps, colour], [(index + 1) / steps, colour]]
    return scale


def _wide(rows: pd.DataFrame, perspectives: pd.DataFrame, value: str) -> pd.DataFrame:
    """``value`` of each heat-map row (``row``) in the columns of :data:`_COLUMNS`."""
    long = pd.concat(
        [
            rows[["row", value]].assign(column="member"),
            perspectives[["row", "perspective", value]].rename(columns={"perspective": "column"}),
        ],
        ignore_index=True,
    )
    wide = long.pivot(index="row", columns="column", values=value)
    return wide.reindex(index=rows["row"], columns=_COLUMNS)


def _heatmap(rows: pd.DataFrame, perspectives: pd.DataFrame, hover_extra: list[str]) -> go.Figure:
    status = _wide(rows, perspectives, "status").fillna(Status.GREY.value).to_numpy()
    score = _wide(rows, perspectives, "score").astype(float).to_numpy()
    coverage = _wide(rows, perspectives, "coverage").astype(float).to_numpy()
    z = np.vectorize(_STATUS_INDEX.get, otypes=[float])(status)
    text = [
        [
            "–" if np.isnan(value) else format_number(value, 0) + ("*" if share < 0.995 else "")
            for value, share in zip(scores, shares, strict=True)
        ]
        for scores, shares in zip(score, coverage, strict=True)
    ]
    labels = [t("Member score")] + [label(p.value) for p in PERSPECTIVE_ORDER]
    covered = t("Coverage")
    hover = [
        [
            f"<b>{row_label}</b><br>{column_label}: {text[i][j]} · {label(status[i][j])}"
            f"<br>{covered}: {format_percent_value(coverage[i][j])}{hover_extra[i]}"
            for j, column_label in enumerate(labels)
        ]
        for i, row_label in enumerate(rows["label"])
    ]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=labels,
            y=list(rows["label"]),
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            customdata=np.repeat(rows[["row"]].to_numpy(), len(labels), axis=1),
            colorscale=_discrete_colourscale(),
            zmin=0,
            zmax=len(STATUS_COLOURS),
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    figure.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=max(160, 34 * len(rows) + 60),
        xaxis={"side": "top", "fixedrange": True},
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
        plot_bgcolor="white",
    )
    return figure


@chart("overview_heatmap", title=N_("Scores by member and perspective"), access=Access.SIGNED_IN)
def overview_heatmap(context: ExportContext) -> go.Figure:
    """Members × perspectives, coloured by status, with the score (``*``: coverage below 100 %).

    A member user sees its own row and the peers' median (anonymised)."""
    view = view_of(context)
    names = member_names(context.session)
    codes = view.scores.members["code"]
    members = view.scores.members.assign(row=codes, label=codes + " " + codes.map(names))
    perspectives = view.scores.perspectives.assign(row=view.scores.perspectives["member_code"])
    extra = [""] * len(members)
    if view.peers is not None and not can_read_programme(context.principal):
        rules = scoring_rules(context.session)
        # Coverage is the member's own notion; the peers' row has none to show.
        peers = view.peers.assign(row="peers", score=view.peers["median"], coverage=np.nan)
        peers["status"] = rules.status_of(peers["score"])
        overall = peers[peers["perspective"].isna()]
        members = pd.concat(
            [
                members,
                overall.assign(label=t("Peers (median, anonymised)")),
            ],
            ignore_index=True,
        )
        perspectives = pd.concat([perspectives, peers[peers["perspective"].notna()]])
        count = int(overall["peers"].iloc[0]) if len(overall) else 0
        extra.append("<br>" + t("{count} members with data", count=count))
    return _heatmap(members, perspectives, extra)


@table(
    "overview_movers",
    title=N_("Biggest movers since the previous period"),
    access=Access.SIGNED_IN,
)
def overview_movers(context: ExportContext) -> pd.DataFrame:
    """Members (for a member user: its perspectives) whose score changed most."""
    view = view_of(context)
    moved = view.movers
    if "code" in moved.columns:
        frame = pd.DataFrame(
            {
                t("Code"): moved["code"],
                t("Member"): moved["code"].map(member_names(context.session)),
                t("Score"): moved["score"].round(1),
                t("Change"): moved["change"].round(1),
                t("Status"): moved["status"].map(label),
                t("Moved most"): moved["perspective"].map(label, na_action="ignore"),
                t("Its change"): moved["perspective_change"].round(1),
            }
        )
    else:
        frame = pd.DataFrame(
            {
                t("Perspective"): moved["perspective"].map(label),
                t("Score"): moved["score"].round(1),
                t("Change"): moved["change"].round(1),
                t("Status"): moved["status"].map(label),
            }
        )
    return frame.astype(object).where(frame.notna(), None)


@table("data_freshness", title=N_("Data freshness"), access=Access.SIGNED_IN)
def data_freshness(context: ExportContext) -> pd.DataFrame:
    """Each member's last upload and latest month, and whether it is overdue for the period."""
    fresh = view_of(context).freshness
    frame = pd.DataFrame(
        {
            t("Code"): fresh["code"],
            t("Member"): fresh["code"].map(member_names(context.session)),
            t("Last upload"): [
                format_timestamp(value) if value is not None and value == value else "–"
                for value in fresh["last_upload"]
            ],
            t("Latest month"): fresh["last_month"],
            t("Months behind"): fresh["months_behind"],
            t("Reporting"): fresh["state"].map(lambda s: t(STATE_LABELS[s])),
        }
    )
    return frame.astype(object).where(frame.notna(), None)
