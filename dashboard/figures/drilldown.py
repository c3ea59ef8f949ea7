"""The KPI drill-down: actual against target with the amber and red zones, history and
forecast; where the member stands among anonymous peers; the revisions of its values.

Each builder takes the KPI code as the ``kpi`` parameter.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from bsc.errors import InvalidInput
from bsc.i18n import N_, format_number, format_timestamp, label, t
from bsc.services.kpi_detail import KpiDetail
from dashboard import cache
from dashboard.access import Access
from dashboard.figures.overview import STATUS_COLOURS
from dashboard.figures.scorecard import member_of
from dashboard.language import date_ticks
from dashboard.registry import ExportContext, chart, table
from kpi.vocabulary import Polarity

__all__ = ["detail_of", "kpi_history", "kpi_peers", "kpi_revisions"]


def _kpi_of(context: ExportContext) -> str:
    kpi = context.params.get("kpi")
    if not kpi:
        raise InvalidInput(
            N_("this chart or table is about one KPI: give its code (--param kpi=CODE)")
        )
    return str(kpi)


def detail_of(context: ExportContext) -> KpiDetail:
    period = context.period or cache.latest_period(context.session)
    return cache.kpi_detail(
        context.session,
        principal=context.principal,
        member_code=member_of(context),
        kpi_code=_kpi_of(context),
        period=period,
    )


def _translucent(colour: str, alpha: float = 0.22) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _zone(
    figure: go.Figure, x: list, low: pd.Series, high: pd.Series, status: str, shown: set[str]
) -> None:
    """A shaded zone between two threshold lines that may step from unit to unit."""
    common = {"x": x, "mode": "lines", "line": {"width": 0, "shape": "hv"}, "hoverinfo": "skip"}
    figure.add_trace(go.Scatter(y=low, showlegend=False, legendgroup=status, **common))
    figure.add_trace(
        go.Scatter(
            y=high,
            fill="tonexty",
            fillcolor=_translucent(STATUS_COLOURS[status]),
            name=t("{status} zone", status=label(status)),
            legendgroup=status,
            showlegend=status not in shown,
            **common,
        )
    )
    shown.add(status)


def _zones(
    figure: go.Figure, detail: KpiDetail, units: pd.DataFrame, span: tuple[float, float]
) -> None:
    x = list(units["start"])
    bottom = pd.Series(span[0], index=units.index)
    top = pd.Series(span[1], index=units.index)
    shown: set[str] = set()
    if detail.polarity == Polarity.IN_BAND.value:
        low, high, tolerance = units["band_low"], units["band_high"], units["band_tolerance"]
        zones = [
            (bottom, low - tolerance, "red"),
            (low - tolerance, low, "amber"),
            (low, high, "green"),
            (high, high + tolerance, "amber"),
            (high + tolerance, top, "red"),
        ]
    elif detail.polarity == Polarity.HIGHER_IS_BETTER.value:
        zones = [
            (bottom, units["amber"], "red"),
            (units["amber"], units["target"], "amber"),
            (units["target"], top, "green"),
        ]
    else:
        zones = [
            (bottom, units["target"], "green"),
            (units["target"], units["amber"], "amber"),
            (units["amber"], top, "red"),
        ]
    for low_line, high_line, status in zones:
        _zone(
            figure,
            x,
            low_line.clip(span[0], span[1]),
            high_line.clip(span[0], span[1]),
            status,
            shown,
        )


@chart("kpi_history", title=N_("Actual against target, with forecast"), access=Access.MEMBER)
def kpi_history(context: ExportContext) -> go.Figure:
    """The KPI's reported values over time on its green, amber and red zones, the target line,
    and the projection to the end of the forecast period with its 80 % interval."""
    detail = detail_of(context)
    history, ahead = detail.history, detail.projection
    # The catalogue's thresholds carry on into the forecast units (targets come per unit).
    constant = {k: v for k, v in detail.thresholds.items() if k != "target"}
    units: pd.DataFrame = pd.concat([history, ahead.assign(**constant)], ignore_index=True)
    values = pd.concat(
        [
            units[c]
            for c in ("value", "target", "amber", "floor", "predicted_high", "predicted_low")
            if c in units
        ]
    ).dropna()
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    margin = (high - low) * 0.1 or 1.0
    figure = go.Figure()
    if len(units):
        _zones(figure, detail, units, (low - margin, high + margin))
    if units["target"].notna().any():
        figure.add_trace(
            go.Scatter(
                x=units["start"],
                y=units["target"],
                name=t("Target"),
                mode="lines",
                line={"color": "#2c3e50", "dash": "dot", "shape": "hv"},
            )
        )
    figure.add_trace(
        go.Scatter(
            x=history["start"],
            y=history["value"],
            name=t("Actual"),
            mode="lines+markers",
            line={"color": "#1f4e79", "width": 2.5},
            marker={
                "color": [STATUS_COLOURS[s] for s in history["status"]],
                "size": 8,
                "line": {"color": "#1f4e79", "width": 1},
            },
            customdata=history[["period", "status"]].assign(
                score=history["score"].map(lambda v: format_number(v, 0))
            ),
            hovertemplate="%{customdata[0]}: %{y:,}<br>" + t("Score") + " %{customdata[2]}"
            "<extra></extra>",
        )
    )
    if len(ahead):
        figure.add_trace(
            go.Scatter(
                x=list(ahead["start"]) + list(ahead["start"])[::-1],
                y=list(ahead["predicted_high"]) + list(ahead["predicted_low"])[::-1],
                fill="toself",
                fillcolor="rgba(31,78,121,0.15)",
                line={"width": 0},
                mode="lines",
                name=t("Forecast interval (80 %)"),
                hoverinfo="skip",
            )
        )
        # The forecast line starts from the last reported value so that the two read as one.
        joined = pd.concat(
            [history[["start", "value"]].tail(1).rename(columns={"value": "predicted"}), ahead]
        )
        figure.add_trace(
            go.Scatter(
                x=joined["start"],
                y=joined["predicted"],
                name=t("Forecast"),
                mode="lines+markers",
                line={"color": "#1f4e79", "dash": "dash"},
                marker={"symbol": "circle-open"},
            )
        )
    figure.update_layout(
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        xaxis=date_ticks(),
        yaxis={"range": [low - margin, high + margin], "title": detail.unit or None},
        legend={"orientation": "h", "y": -0.15},
        plot_bgcolor="white",
        hovermode="x unified",
    )
    return figure


@chart("kpi_peers", title=N_("Among all members (anonymised)"), access=Access.MEMBER)
def kpi_peers(context: ExportContext) -> go.Figure:
    """The peers' middle half (quartiles) and median against the member's own value."""
    period = context.period or cache.latest_period(context.session)
    code = _kpi_of(context)
    bench = cache.peer_benchmark(
        context.session,
        principal=context.principal,
        member_code=member_of(context),
        period=period,
    )
    row = bench[bench["kpi_code"] == code]
    figure = go.Figure()
    figure.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        height=180,
        plot_bgcolor="white",
        yaxis={"visible": False, "range": [-1, 1]},
        showlegend=True,
        legend={"orientation": "h", "y": -0.35},
    )
    if row.empty or pd.isna(row["median"].iloc[0]):
        message = (
            t("Only programme-wide KPIs are compared with peers.")
            if row.empty
            else t("Too few members have data to compare anonymously.")
        )
        figure.add_annotation(
            text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
        )
        figure.update_layout(xaxis={"visible": False})
        return figure
    item = row.iloc[0]
    points = [item["p25"], item["p75"], item["value"]]
    low, high = min(p for p in points if pd.notna(p)), max(p for p in points if pd.notna(p))
    pad = (high - low) * 0.08 or abs(high) * 0.05 or 1.0
    figure.update_layout(xaxis={"range": [low - pad, high + pad]})
    figure.add_trace(
        go.Scatter(
            x=[item["p25"], item["p75"]],
            y=[0, 0],
            mode="lines",
            line={"width": 18, "color": "rgba(108,117,125,0.35)"},
            name=t("Peers' middle half"),
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[item["median"]],
            y=[0],
            mode="markers",
            name=t("Peers' median"),
            marker={"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": "#495057"}},
        )
    )
    if pd.notna(item["value"]):
        figure.add_trace(
            go.Scatter(
                x=[item["value"]],
                y=[0],
                mode="markers",
                name=t("This member"),
                marker={"size": 14, "color": "#1f4e79"},
            )
        )
    return figure


@table("kpi_revisions", title=N_("Revisions of reported values"), access=Access.MEMBER)
def kpi_revisions(context: ExportContext) -> pd.DataFrame:
    """Every change of a stored value of the KPI: before, after, when, by whom, which upload."""
    revisions = detail_of(context).revisions
    return pd.DataFrame(
        {
            t("Period"): revisions["period"],
            t("Old value"): revisions["old_value"],
            t("New value"): revisions["new_value"],
            t("Changed"): [format_timestamp(v) for v in revisions["changed_at"]],
            t("By"): revisions["changed_by"],
            t("Upload"): revisions["upload"],
        }
    ).astype(object)
