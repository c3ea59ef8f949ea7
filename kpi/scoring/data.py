"""What the scoring engine reads: the catalogue, measurements, targets and strategy-map links.

All inputs are plain DataFrames so that the engine never touches a database. Members and KPIs are
named by any hashable identifier (database ids, codes) used consistently across the frames;
periods are month indexes (see :mod:`kpi.scoring.calendar`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from kpi.vocabulary import Frequency

__all__ = ["ScoringData", "COLUMNS", "empty_frame"]

#: The columns each input frame must have.
COLUMNS: dict[str, tuple[str, ...]] = {
    "kpis": (
        "kpi",
        "polarity",
        "target",
        "amber",
        "floor",
        "band_low",
        "band_high",
        "band_tolerance",
        "frequency",
        "aggregation",
        "perspective",
        "weight",
    ),
    "measurements": ("member", "kpi", "start", "months", "value"),
    "targets": ("kpi", "member", "start", "target"),
    "scope": ("member", "kpi"),
    "objectives": ("member", "objective", "perspective", "weight"),
    "links": ("member", "objective", "kpi", "weight"),
}


def empty_frame(name: str) -> pd.DataFrame:
    """An empty input frame ``name`` with its columns."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in COLUMNS[name]})


@dataclass(frozen=True)
class ScoringData:
    """The inputs of a scoring run.

    Attributes
    ----------
    kpis
        One row per KPI: ``kpi``, ``polarity``, the thresholds ``target``, ``amber``, ``floor``,
        ``band_low``, ``band_high``, ``band_tolerance``, ``frequency`` (``monthly`` …),
        ``aggregation`` (``sum`` …), catalogue ``perspective`` and ``weight``.
    measurements
        ``member``, ``kpi``, ``start`` (month index), ``months`` (1, 3 or 12), ``value``.
    targets
        Per-period target overrides: ``kpi``, ``member`` (missing: for every member), ``start``
        (month index of the period the KPI reports) and ``target``.
    scope
        ``member`` × ``kpi`` pairs to score: what each member is measured on.
    objectives
        The objectives of each member's current map: ``member``, ``objective``, ``perspective``,
        ``weight`` (1 unless configured).
    links
        Which KPIs measure which objective: ``member``, ``objective``, ``kpi``, ``weight``.
        KPIs of a member's scope on no objective roll up straight into their perspective.
    """

    kpis: pd.DataFrame
    measurements: pd.DataFrame
    targets: pd.DataFrame
    scope: pd.DataFrame
    objectives: pd.DataFrame
    links: pd.DataFrame

    def __post_init__(self) -> None:
        for name, columns in COLUMNS.items():
            missing = [c for c in columns if c not in getattr(self, name).columns]
            if missing:
                raise ValueError(f"scoring input {name} lacks columns {missing}")

    @cached_property
    def catalogue(self) -> pd.DataFrame:
        """The KPI rows indexed by ``kpi``, with ``unit_months`` (1, 3 or 12)."""
        kpis = self.kpis.drop_duplicates("kpi").set_index("kpi")
        months = {f.value: f.months for f in Frequency}
        kpis["unit_months"] = kpis["frequency"].map(months).astype("int64")
        for column in ("target", "amber", "floor", "band_low", "band_high", "band_tolerance"):
            kpis[column] = pd.to_numeric(kpis[column], errors="coerce").astype("float64")
        kpis["weight"] = pd.to_numeric(kpis["weight"], errors="coerce").astype("float64")
        return kpis

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """The scope with the KPI's catalogue columns, one row per member × KPI, numbered."""
        scope = self.scope[["member", "kpi"]].drop_duplicates()
        scope = scope[scope["kpi"].isin(self.catalogue.index)]
        pairs = scope.join(self.catalogue, on="kpi").reset_index(drop=True)
        pairs.index.name = "pair"
        return pairs

    @cached_property
    def _pair_keys(self) -> tuple[pd.Index, pd.Index, pd.Index]:
        members = pd.Index(self.pairs["member"].unique())
        kpis = pd.Index(self.catalogue.index)
        keys = pd.Index(self._key(members, kpis, self.pairs["member"], self.pairs["kpi"]))
        return members, kpis, keys

    @staticmethod
    def _key(members: pd.Index, kpis: pd.Index, member: pd.Series, kpi: pd.Series) -> np.ndarray:
        member_position = members.get_indexer(pd.Index(member)).astype(np.int64)
        kpi_position = kpis.get_indexer(pd.Index(kpi)).astype(np.int64)
        key = member_position * max(len(kpis), 1) + kpi_position
        return np.where((member_position < 0) | (kpi_position < 0), -1, key)

    def pair_of(self, member: pd.Series, kpi: pd.Series) -> np.ndarray:
        """The pair number of each (member, KPI), −1 where the pair is out of scope."""
        members, kpis, keys = self._pair_keys
        key = self._key(members, kpis, member, kpi)
        found = keys.get_indexer(pd.Index(key))
        return np.where(key < 0, -1, found)

    def kpi_position(self, kpi: pd.Series) -> np.ndarray:
        """The position of each KPI in :attr:`catalogue`, −1 where unknown."""
        return self._pair_keys[1].get_indexer(pd.Index(kpi))

    @cached_property
    def native(self) -> pd.DataFrame:
        """Measurements at their KPI's own frequency, for pairs in scope: ``pair``, ``start``,
        ``value``, sorted by pair and start."""
        measurements = self.measurements
        pair = self.pair_of(measurements["member"], measurements["kpi"])
        unit = self.pairs["unit_months"].to_numpy()[np.maximum(pair, 0)]
        months = measurements["months"].to_numpy(dtype=np.int64)
        keep = (pair >= 0) & (months == unit) & measurements["value"].notna().to_numpy()
        native = pd.DataFrame(
            {
                "pair": pair[keep],
                "start": measurements["start"].to_numpy(dtype=np.int64)[keep],
                "value": measurements["value"].to_numpy(dtype=np.float64)[keep],
            }
        )
        return native.sort_values(["pair", "start"], kind="stable").reset_index(drop=True)

    @cached_property
    def coarse(self) -> pd.DataFrame:
        """Measurements reported for a longer period than their KPI's frequency (a quarter's
        value of a monthly KPI): ``pair``, ``start``, ``months``, ``value``."""
        measurements = self.measurements
        pair = self.pair_of(measurements["member"], measurements["kpi"])
        unit = self.pairs["unit_months"].to_numpy()[np.maximum(pair, 0)]
        months = measurements["months"].to_numpy(dtype=np.int64)
        keep = (pair >= 0) & (months > unit) & measurements["value"].notna().to_numpy()
        return pd.DataFrame(
            {
                "pair": pair[keep],
                "start": measurements["start"].to_numpy(dtype=np.int64)[keep],
                "months": months[keep],
                "value": measurements["value"].to_numpy(dtype=np.float64)[keep],
            }
        )
