"""Building :class:`kpi.scoring.ScoringData` for tests: a KPI row with defaults, measurements by
canonical label."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kpi.scoring import ScoringData, empty_frame, parse_period

_KPI_DEFAULTS: dict[str, Any] = {
    "polarity": "higher_is_better",
    "target": 100.0,
    "amber": 80.0,
    "floor": 0.0,
    "band_low": None,
    "band_high": None,
    "band_tolerance": None,
    "frequency": "monthly",
    "aggregation": "mean",
    "perspective": "financial",
    "weight": 1.0,
    "unit": "",
}


def kpi(code: str, **values: Any) -> dict[str, Any]:
    return {"kpi": code, **_KPI_DEFAULTS, **values}


def measure(member: str, code: str, label: str, value: float) -> dict[str, Any]:
    """A measurement of the unit named by a canonical label (``2025-03``, ``2025-Q1``, ``2025``)."""
    period = parse_period(label)
    return {
        "member": member,
        "kpi": code,
        "start": period.first,
        "months": period.months,
        "value": value,
    }


def monthly(member: str, code: str, first: str, values: list[float | None]) -> list[dict]:
    """Consecutive monthly measurements from ``first``; ``None`` leaves a month out."""
    start = parse_period(first).first
    rows = []
    for offset, value in enumerate(values):
        if value is not None:
            index = start + offset
            rows.append(measure(member, code, f"{index // 12}-{index % 12 + 1:02d}", value))
    return rows


def data(
    kpis: list[dict[str, Any]],
    measurements: list[dict[str, Any]],
    *,
    members: list[str] | None = None,
    targets: list[dict[str, Any]] | None = None,
    objectives: list[dict[str, Any]] | None = None,
    links: list[dict[str, Any]] | None = None,
) -> ScoringData:
    """Every member (default: those measured) is in scope for every KPI."""
    members = members or sorted({m["member"] for m in measurements}) or ["M1"]
    scope = pd.DataFrame([(m, k["kpi"]) for m in members for k in kpis], columns=["member", "kpi"])

    def frame(rows: list[dict[str, Any]] | None, name: str) -> pd.DataFrame:
        return pd.DataFrame(rows) if rows else empty_frame(name)

    return ScoringData(
        kpis=pd.DataFrame(kpis),
        measurements=frame(measurements, "measurements"),
        targets=frame(targets, "targets"),
        scope=scope,
        objectives=frame(objectives, "objectives"),
        links=frame(links, "links"),
    )


def target(code: str, label: str, value: float, member: str | None = None) -> dict[str, Any]:
    return {"kpi": code, "member": member, "start": parse_period(label).first, "target": value}
