"""Why a KPI or a roll-up has its score and colour, in words and numbers.

``"2025-10: 93.1 % vs target 99 %; amber needs ≥ 95 % ⇒ red; score 69 (80 % scores 0)"``.
The wording is English; a :class:`Wording` carries the translation and number formatting of the
caller's language (the templates are marked with :func:`N_` so the translation catalogue finds
them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kpi.messages import N_
from kpi.vocabulary import Aggregation, Polarity, Status

__all__ = ["N_", "Wording", "explain_kpis", "explain_rollups", "plain_number"]

_AGGREGATIONS = {
    Aggregation.SUM.value: N_("sum"),
    Aggregation.MEAN.value: N_("mean"),
    Aggregation.LAST.value: N_("last value"),
    Aggregation.MIN.value: N_("lowest"),
    Aggregation.MAX.value: N_("highest"),
}
_UNIT_NAMES = {1: N_("months"), 3: N_("quarters"), 12: N_("years")}
_NO_VALUE = N_("{period}: no value reported; target {target}")
_NO_VALUE_BAND = N_("{period}: no value reported; band {low}–{high}")
_THRESHOLD = N_(
    "{period}: {value} vs target {target}; amber needs {op} {amber} ⇒ {status}; score {score}"
)
_FLOOR = N_("{floor} scores 0")
_INSIDE_BAND = N_("{period}: {value} inside the band {low}–{high} ⇒ {status}; score {score}")
_OUTSIDE_BAND = N_(
    "{period}: {value} is {distance} outside the band {low}–{high}; amber within {tolerance} "
    "⇒ {status}; score {score}"
)
_FOLDED = N_("{aggregation} of {units} of {expected} {unit_name}")
_DIRECT = N_("reported for the whole period")
_OVERRIDE = N_("target set for this period")
_ROLLUP = N_(
    "score {score}: weighted mean of {scored} of {children} parts with data, coverage "
    "{coverage}; green needs ≥ {green}, amber ≥ {amber} ⇒ {status}"
)
_ROLLUP_EMPTY = N_("no data in any of its {children} parts ⇒ {status}")
_ROLLUP_NOTHING = N_("nothing measured here yet ⇒ {status}")
_FLAGGED = N_("weights add up to {weight_sum}, not {weight_total}: normalised")


def plain_number(value: float) -> str:
    """A number as a person reads it: grouped thousands, a decimal only when it says something.

    Examples
    --------
    >>> plain_number(1234567.0), plain_number(93.14), plain_number(99.0), plain_number(0.25)
    ('1,234,567', '93.1', '99', '0.25')
    """
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.1f}"
    return f"{value:.2g}"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class Wording:
    """The language of explanations: translation, numbers, shares and status names."""

    translate: Callable[[str], str] = _identity
    number: Callable[[float], str] = plain_number
    percent: Callable[[float], str] = _percent
    status: Callable[[str], str] = _identity

    def quantity(self, value: float, unit: str) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = self.number(value)
        if not unit:
            return text
        return f"{text} {unit}" if unit != "%" else f"{text} %"


def _kpi_sentence(row: dict, wording: Wording) -> str:
    unit = str(row.get("unit") or "")
    q = wording.quantity
    status = wording.status(row["status"])
    common = {"period": row["value_period"], "status": status}
    if row["polarity"] == Polarity.IN_BAND.value:
        band = {"low": q(row["band_low"], unit), "high": q(row["band_high"], unit)}
        if row["status"] == Status.GREY.value:
            return wording.translate(_NO_VALUE_BAND).format(**common, **band)
        distance = max(row["band_low"] - row["value"], row["value"] - row["band_high"], 0.0)
        score = wording.number(round(row["score"]))
        template = _INSIDE_BAND if distance == 0 else _OUTSIDE_BAND
        return wording.translate(template).format(
            **common,
            **band,
            value=q(row["value"], unit),
            distance=q(distance, unit),
            tolerance=q(row["band_tolerance"], unit),
            score=score,
        )
    if row["status"] == Status.GREY.value:
        return wording.translate(_NO_VALUE).format(**common, target=q(row["target"], unit))
    return wording.translate(_THRESHOLD).format(
        **common,
        value=q(row["value"], unit),
        target=q(row["target"], unit),
        op="≥" if row["polarity"] == Polarity.HIGHER_IS_BETTER.value else "≤",
        amber=q(row["amber"], unit),
        score=wording.number(round(row["score"])),
    )


def _kpi_notes(row: dict, wording: Wording) -> list[str]:
    notes = []
    if row["polarity"] != Polarity.IN_BAND.value and row["status"] != Status.GREY.value:
        floor = wording.quantity(row["floor"], str(row.get("unit") or ""))
        notes.append(wording.translate(_FLOOR).format(floor=floor))
    if row.get("direct"):
        notes.append(wording.translate(_DIRECT))
    elif row["status"] != Status.GREY.value and row["units_expected"] > 1:
        notes.append(
            wording.translate(_FOLDED).format(
                aggregation=wording.translate(_AGGREGATIONS[row["aggregation"]]),
                units=row["units"],
                expected=row["units_expected"],
                unit_name=wording.translate(_UNIT_NAMES[int(row["unit_months"])]),
            )
        )
    if row.get("target_set"):
        notes.append(wording.translate(_OVERRIDE))
    return notes


def explain_kpis(frame: pd.DataFrame, wording: Wording | None = None) -> pd.Series:
    """One sentence per scored KPI row (from :func:`kpi.scoring.engine.score`).

    Examples
    --------
    >>> row = {"value_period": "2025-10", "polarity": "higher_is_better", "unit": "%",
    ...        "value": 93.1, "target": 99.0, "amber": 95.0, "floor": 80.0, "score": 68.9,
    ...        "status": "red", "aggregation": "mean", "units": 1, "units_expected": 1,
    ...        "unit_months": 1, "direct": False, "target_set": False}
    >>> explain_kpis(pd.DataFrame([row])).iloc[0]
    '2025-10: 93.1 % vs target 99 %; amber needs ≥ 95 % ⇒ red; score 69 (80 % scores 0)'
    """
    wording = wording or Wording()
    sentences = []
    for row in frame.to_dict("records"):
        text = _kpi_sentence(row, wording)
        notes = _kpi_notes(row, wording)
        sentences.append(f"{text} ({'; '.join(notes)})" if notes else text)
    return pd.Series(sentences, index=frame.index, dtype=object)


def explain_rollups(
    frame: pd.DataFrame,
    *,
    green: float,
    amber: float,
    weight_total: float | None = None,
    wording: Wording | None = None,
) -> pd.Series:
    """One sentence per roll-up row (``score``, ``status``, ``coverage``, ``children``,
    ``scored``, ``weight_sum``, ``weights_flagged``).

    Examples
    --------
    >>> row = {"score": 72.4, "status": "amber", "coverage": 0.667, "children": 3, "scored": 2,
    ...        "weight_sum": 3.0, "weights_flagged": False}
    >>> explain_rollups(pd.DataFrame([row]), green=80, amber=60).iloc[0]
    'score 72: weighted mean of 2 of 3 parts with data, coverage 67%; green needs ≥ 80, amber ≥ 60 ⇒ amber'
    """  # noqa: E501 - a doctest output line cannot wrap
    wording = wording or Wording()
    sentences = []
    for row in frame.to_dict("records"):
        status = wording.status(row["status"])
        if row["children"] == 0:
            text = wording.translate(_ROLLUP_NOTHING).format(status=status)
        elif row["scored"] == 0:
            text = wording.translate(_ROLLUP_EMPTY).format(children=row["children"], status=status)
        else:
            text = wording.translate(_ROLLUP).format(
                score=wording.number(round(row["score"])),
                scored=row["scored"],
                children=row["children"],
                coverage=wording.percent(row["coverage"]),
                green=wording.number(green),
                amber=wording.number(amber),
                status=status,
            )
        if row["weights_flagged"] and weight_total is not None:
            flagged = wording.translate(_FLAGGED).format(
                weight_sum=wording.number(row["weight_sum"]),
                weight_total=wording.number(weight_total),
            )
            text = f"{text} ({flagged})"
        sentences.append(text)
    return pd.Series(sentences, index=frame.index, dtype=object)
