"""Charts and tables of the rollout: Gantt, S-curve, members per stage, slips and the plan.

Every builder reads the stages through :func:`bsc.services.rollout.stages_frame`, so a member
sees only its own rows; ``params["wave"]`` (a wave code, or empty for all) narrows them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from bsc.i18n import N_, format_day, format_percent_value, label, t
from bsc.services import rollout as service
from dashboard.access import Access
from dashboard.components.charts import MARGIN, empty_figure
from dashboard.language import date_ticks
from dashboard.names import member_names
from dashboard.registry import ExportContext, chart, table
from kpi.programme import rollout
from kpi.vocabulary import STAGE_ORDER

__all__ = [
    "STAGE_COLOURS",
    "PLAN_FIELDS",
    "WAVE_FIELDS",
    "stages_of",
    "gantt",
    "s_curve_chart",
    "positions_chart",
    "slipped_table",
    "plan_table",
    "waves_table",
    "assignments_table",
    "gate_verdict",
    "gate_chart",
    "gate_table",
]

STAGE_COLOURS = {
    "design": "#6baed6",
    "test": "#9e9ac8",
    "build": "#fd8d3c",
    "trial": "#74c476",
    "go_live": "#31a354",
}
POSITION_COLOURS = {"not_started": "#bdbdbd", **STAGE_COLOURS, "live": "#006d2c"}
#: Column headers of the plan grid (translated when shown) by field, for reading edits back.
PLAN_FIELDS = {
    "member_code": N_("Code"),
    "member_name": N_("Member"),
    "wave": N_("Wave"),
    "stage": N_("Stage"),
    "planned_start": N_("Planned start"),
    "planned_end": N_("Planned end"),
    "actual_start": N_("Actual start"),
    "actual_end": N_("Actual end"),
    "percent_complete": N_("Percent complete"),
    "note": N_("Note"),
}
WAVE_FIELDS = {
    "code": N_("Code"),
    "name": N_("Name"),
    "sequence": N_("Order"),
    "planned_start": N_("Planned start"),
    "gate_green_share": N_("Pilot KPIs green required (%)"),
    "gate_live_share": N_("Previous wave live required (%)"),
}


def stages_of(context: ExportContext) -> pd.DataFrame:
    """The stages the user may see, of the wave in ``params`` (all when none)."""
    return service.stages_frame(
        context.session, principal=context.principal, wave=context.params.get("wave") or None
    )


def _today_line(figure: go.Figure, today: date) -> None:
    figure.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000, line_dash="dot", line_color="#dc3545"
    )
    figure.add_annotation(
        x=pd.Timestamp(today).timestamp() * 1000,
        y=1,
        yref="paper",
        text=t("Today"),
        showarrow=False,
        font={"color": "#dc3545", "size": 11},
        yanchor="bottom",
    )


@chart("rollout_gantt", title=N_("Plan and progress per member"), access=Access.SIGNED_IN)
def gantt(context: ExportContext) -> go.Figure:
    """Planned (faded) and actual bars of each stage, one row per member."""
    stages = stages_of(context)
    if stages.empty:
        return empty_figure(t("No rollout plan yet."))
    today = service.today()
    bars = rollout.gantt_bars(stages, today=today)
    bars["row"] = bars["member_code"] + " " + bars["member_code"].map(member_names(context.session))
    order = sorted(bars["row"].unique())
    figure = go.Figure()
    for kind in ("planned", "actual"):
        for stage in STAGE_ORDER:
            own = bars[(bars["kind"] == kind) & (bars["stage"] == stage.value)]
            if own.empty:
                continue
            figure.add_trace(
                go.Bar(
                    y=own["row"],
                    base=own["start"].dt.strftime("%Y-%m-%d"),
                    x=(own["end"] - own["start"]).dt.total_seconds() * 1000 + 86_400_000,
                    orientation="h",
                    name=label(stage.value),
                    legendgroup=stage.value,
                    showlegend=kind == "actual",
                    offsetgroup=kind,
                    marker={
                        "color": STAGE_COLOURS[stage.value],
                        "opacity": 0.35 if kind == "planned" else 1,
                    },
                    customdata=own[["start", "end", "percent_complete"]].assign(
                        start=own["start"].map(lambda d: format_day(d.date())),
                        end=own["end"].map(lambda d: format_day(d.date())),
                    ),
                    hovertemplate="%{y}<br>"
                    + f"{label(stage.value)} · {label(kind)}"
                    + "<br>%{customdata[0]} – %{customdata[1]}"
                    + "<br>%{customdata[2]:.0f} %<extra></extra>",
                )
            )
    _today_line(figure, today)
    figure.update_layout(
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        margin={**MARGIN, "l": 220},
        xaxis={"type": "date", **date_ticks()},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1]},
        legend={"orientation": "h", "y": -0.08},
        height=max(320, 36 * len(order) + 140),
        title={"text": t("faded: planned; solid: actual"), "x": 0.01, "font": {"size": 12}},
    )
    return figure


@chart("rollout_scurve", title=N_("S-curve: planned and actual progress"), access=Access.SIGNED_IN)
def s_curve_chart(context: ExportContext) -> go.Figure:
    """Cumulative planned and actual progress, weighted by planned stage length."""
    stages = stages_of(context)
    today = service.today()
    curve = rollout.s_curve(stages, today=today) if not stages.empty else pd.DataFrame()
    if curve.empty:
        return empty_figure(t("No rollout plan yet."))
    figure = go.Figure(
        [
            go.Scatter(
                x=curve["day"],
                y=curve["planned"],
                name=t("Planned"),
                mode="lines",
                line={"color": "#6c757d", "dash": "dash"},
                hovertemplate="%{x|%Y-%m-%d}: %{y:.1f} %<extra></extra>",
            ),
            go.Scatter(
                x=curve["day"],
                y=curve["actual"],
                name=t("Actual"),
                mode="lines",
                line={"color": "#0d6efd", "width": 3},
                hovertemplate="%{x|%Y-%m-%d}: %{y:.1f} %<extra></extra>",
            ),
        ]
    )
    _today_line(figure, today)
    figure.update_layout(
        margin=MARGIN,
        xaxis=date_ticks(),
        yaxis={"title": t("Complete (%)"), "range": [0, 102]},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


@chart("rollout_positions", title=N_("Members per stage and wave"), access=Access.SIGNED_IN)
def positions_chart(context: ExportContext) -> go.Figure:
    """How many members of each wave stand at each stage (or are live)."""
    stages = stages_of(context)
    if stages.empty:
        return empty_figure(t("No rollout plan yet."))
    waves = service.waves_frame(context.session)
    wave_order = [w for w in waves["code"] if w in set(stages["wave"])]
    counts = rollout.position_counts(stages, wave_order)
    names = dict(zip(waves["code"], waves["name"], strict=True))
    counts = counts.assign(
        wave_name=counts["wave"].map(names), position_label=counts["position"].map(label)
    )
    figure = px.bar(
        counts[counts["members"] > 0],
        x="wave_name",
        y="members",
        color="position",
        color_discrete_map=POSITION_COLOURS,
        category_orders={
            "position": list(rollout.POSITIONS),
            "wave_name": [names[w] for w in wave_order],
        },
        custom_data=["position_label"],
        labels={"wave_name": t("Wave"), "members": t("Members")},
    )
    figure.for_each_trace(lambda trace: trace.update(name=label(trace.name)))
    figure.update_traces(hovertemplate="%{x} · %{customdata[0]}: %{y}<extra></extra>")
    figure.update_layout(margin=MARGIN, legend_title_text=t("Stage"), yaxis_dtick=1)
    return figure


@table("rollout_slipped", title=N_("Slipped stages"), access=Access.SIGNED_IN)
def slipped_table(context: ExportContext) -> pd.DataFrame:
    """Stages late or overdue today, most days late first."""
    stages = stages_of(context)
    columns = [
        t("Code"),
        t("Wave"),
        t("Stage"),
        t("Slip"),
        t("Planned end"),
        t("Actual end"),
        t("Percent complete"),
        t("Days late"),
    ]
    if stages.empty:
        return pd.DataFrame(columns=columns)
    late = rollout.slipped(stages, today=service.today())
    return pd.DataFrame(
        {
            columns[0]: late["member_code"],
            columns[1]: late["wave"],
            columns[2]: late["stage"].map(label),
            columns[3]: late["kind"].map(label),
            columns[4]: late["planned_end"].dt.strftime("%Y-%m-%d"),
            columns[5]: late["actual_end"].dt.strftime("%Y-%m-%d").fillna(""),
            columns[6]: late["percent_complete"],
            columns[7]: late["days_late"],
        },
        columns=columns,
    )


def _iso(values: pd.Series) -> pd.Series:
    return values.map(lambda day: day.isoformat() if isinstance(day, date) else None)


@table("rollout_plan", title=N_("Rollout plan"), access=Access.SIGNED_IN)
def plan_table(context: ExportContext) -> pd.DataFrame:
    """Every stage the user may see, with planned and actual dates and percent complete."""
    stages = stages_of(context)
    frame = stages.assign(
        member_name=stages["member_code"].map(member_names(context.session)),
        stage=stages["stage"].map(label),
        note=stages["note"].fillna(""),
        **{
            c: _iso(stages[c])
            for c in ("planned_start", "planned_end", "actual_start", "actual_end")
        },
    )
    return frame[list(PLAN_FIELDS)].rename(columns={k: t(v) for k, v in PLAN_FIELDS.items()})


@table("rollout_waves", title=N_("Waves and their gates"), access=Access.SIGNED_IN)
def waves_table(context: ExportContext) -> pd.DataFrame:
    """Each wave's order, planned start and the gate thresholds the program office set."""
    waves = service.waves_frame(context.session)
    frame = waves.assign(
        planned_start=_iso(waves["planned_start"]),
        gate_green_share=(waves["gate_green_share"] * 100).round(1),
        gate_live_share=(waves["gate_live_share"] * 100).round(1),
    )
    return frame[list(WAVE_FIELDS)].rename(columns={k: t(v) for k, v in WAVE_FIELDS.items()})


@table("rollout_assignments", title=N_("Members and their waves"), access=Access.SIGNED_IN)
def assignments_table(context: ExportContext) -> pd.DataFrame:
    """The members the user may see and the wave each joins."""
    frame = service.assignments_frame(context.session, principal=context.principal)
    return pd.DataFrame(
        {
            t("Code"): frame["member_code"],
            t("Member"): frame["member_code"].map(member_names(context.session)),
            t("Wave"): frame["wave"].fillna(""),
        }
    )


def _gate(context: ExportContext) -> service.GateReport:
    return service.gate_report(
        context.session, principal=context.principal, wave=context.params.get("gate") or None
    )


def _wave_names(context: ExportContext) -> dict[str, str]:
    waves = service.waves_frame(context.session)
    return {str(code): str(name) for code, name in zip(waves["code"], waves["name"], strict=True)}


def _check_label(check: rollout.GateCheck, gate: rollout.Gate, names: dict[str, str]) -> str:
    if check.name == "pilot_kpis_green":
        return t("KPIs of {wave} members green", wave=names.get(gate.pilot_wave, gate.pilot_wave))
    return t("{wave} members live", wave=names.get(gate.previous_wave, gate.previous_wave))


def gate_verdict(context: ExportContext) -> tuple[bool | None, str, list[str]]:
    """Whether the wave may start (``None``: no wave to judge), the headline and the reasons."""
    report = _gate(context)
    gate = report.gate
    if gate is None:
        return None, t("No wave follows the pilot yet."), []
    names = _wave_names(context)
    wave = names.get(gate.wave, gate.wave)
    headline = (
        t("{wave} may start.", wave=wave)
        if gate.may_start
        else t("{wave} may not start yet.", wave=wave)
    )
    reasons = []
    for check in gate.checks:
        what = _check_label(check, gate, names)
        if check.required is None:
            reasons.append(
                t("{what}: no threshold set, so it does not hold the wave back.", what=what)
            )
            continue
        if check.share is None:
            reasons.append(
                t(
                    "{what}: nothing to count yet, against {required} required.",
                    what=what,
                    required=format_percent_value(check.required),
                )
            )
            continue
        reasons.append(
            t(
                "{what}: {count} of {total} ({share}) against {required} required — {outcome}.",
                what=what,
                count=check.count,
                total=check.total,
                share=format_percent_value(check.share),
                required=format_percent_value(check.required),
                outcome=t("met") if check.passed else t("not met"),
            )
        )
        if check.without_data:
            reasons.append(
                t(
                    "{count} of those KPIs have no value for {period} and count as not green.",
                    count=check.without_data,
                    period=report.period,
                )
            )
    if report.next_wave is None and gate.wave == report.gated_waves[-1]:
        reasons.append(t("Every wave has started; this is the last wave's gate as it stands now."))
    return gate.may_start, headline, reasons


@chart("rollout_gate", title=N_("Gate shares against thresholds"), access=Access.PROGRAMME)
def gate_chart(context: ExportContext) -> go.Figure:
    """Each gate check's share against the threshold the program office set."""
    report = _gate(context)
    gate = report.gate
    if gate is None:
        return empty_figure(t("No wave follows the pilot yet."))
    names = _wave_names(context)
    labels = [_check_label(check, gate, names) for check in gate.checks]
    shares = [(check.share or 0) * 100 for check in gate.checks]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=shares,
            orientation="h",
            marker_color=["#198754" if check.passed else "#dc3545" for check in gate.checks],
            text=[f"{check.count} / {check.total}" for check in gate.checks],
            textposition="auto",
            hovertemplate="%{y}: %{x:.0f} %<extra></extra>",
        )
    )
    for label_, check in zip(labels, gate.checks, strict=True):
        if check.required is not None:
            figure.add_shape(
                type="line",
                x0=check.required * 100,
                x1=check.required * 100,
                y0=label_,
                y1=label_,
                line={"color": "#212529", "width": 3},
            )
            figure.add_annotation(
                x=check.required * 100,
                y=label_,
                text=t("required {share}", share=format_percent_value(check.required)),
                showarrow=False,
                yshift=22,
                font={"size": 11},
            )
    figure.update_layout(
        margin={**MARGIN, "l": 220},
        xaxis={"title": t("Share (%)"), "range": [0, 105]},
        title={
            "text": f"{names.get(gate.wave, gate.wave)} · {report.period}",
            "x": 0.01,
            "font": {"size": 12},
        },
    )
    return figure


@table("rollout_gate_checks", title=N_("Gate checks"), access=Access.PROGRAMME)
def gate_table(context: ExportContext) -> pd.DataFrame:
    """The gate's checks: counts, share, threshold and whether each is met."""
    report = _gate(context)
    columns = [
        t("Wave"),
        t("Check"),
        t("Count"),
        t("Of"),
        t("Share (%)"),
        t("Required (%)"),
        t("Met"),
    ]
    if report.gate is None:
        return pd.DataFrame(columns=columns)
    gate = report.gate
    names = _wave_names(context)
    return pd.DataFrame(
        [
            [
                names.get(gate.wave, gate.wave),
                _check_label(check, gate, names),
                check.count,
                check.total,
                None if check.share is None else round(check.share * 100, 1),
                None if check.required is None else round(check.required * 100, 1),
                "✓" if check.passed else "✗",
            ]
            for check in gate.checks
        ],
        columns=columns,
    )
