"""Charts and tables about the members of the programme."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from sqlmodel import select

from bsc.i18n import N_, label, localised, t
from bsc.models import Member, RolloutWave
from bsc.repo import visible_members
from dashboard.access import Access
from dashboard.registry import ExportContext, chart, table

__all__ = ["members_table", "members_by_wave"]


@table("members", title=N_("Members"), access=Access.SIGNED_IN)
def members_table(context: ExportContext) -> pd.DataFrame:
    """The members the user may see, with their wave."""
    waves = {w.id: w.name for w in context.session.exec(select(RolloutWave)).all()}
    rows = [
        {
            t("Code"): member.code,
            t("Member"): localised(member.name, member.name_zh),
            t("Segment"): label(member.segment),
            t("Region"): label(member.region),
            t("Wave"): waves.get(member.wave_id, ""),
        }
        for member in visible_members(context.session, principal=context.principal)
    ]
    columns = [t("Code"), t("Member"), t("Segment"), t("Region"), t("Wave")]
    return pd.DataFrame(rows, columns=columns)


@chart("members_by_wave", title=N_("Members by wave and segment"), access=Access.SIGNED_IN)
def members_by_wave(context: ExportContext) -> go.Figure:
    """How many members each wave brings, by segment: counts only, no names."""
    waves = context.session.exec(select(RolloutWave).order_by(RolloutWave.sequence)).all()  # type: ignore[arg-type]
    names = {w.id: w.name for w in waves}
    members = context.session.exec(select(Member)).all()
    frame = pd.DataFrame(
        {
            "wave": [names.get(m.wave_id, t("No wave")) for m in members],
            "segment": [label(m.segment) for m in members],
        }
    )
    counts = frame.value_counts().rename("count").reset_index()
    figure = px.bar(
        counts,
        x="wave",
        y="count",
        color="segment",
        category_orders={"wave": [w.name for w in waves] + [t("No wave")]},
        labels={"wave": t("Wave"), "count": t("Members"), "segment": t("Segment")},
    )
    figure.update_layout(
        margin={"l": 40, "r": 10, "t": 10, "b": 40}, legend_title_text=t("Segment")
    )
    return figure
