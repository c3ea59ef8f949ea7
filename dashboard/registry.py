"""Named charts and tables: who may build them, how, and how they export.

A builder takes a :class:`ExportContext` (session, principal, member, period, extra parameters)
and returns a ``go.Figure`` (charts) or a ``DataFrame`` (tables). Builders register with
:func:`chart` or :func:`table` in a module of :mod:`dashboard.figures`; every module there is
imported on first lookup, so the CLI sees the same names as the pages.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session

from bsc.authz import Principal, require
from bsc.errors import NotFound
from bsc.i18n import N_
from dashboard.access import Access, allows
from dashboard.language import figure_locale

__all__ = [
    "ExportContext",
    "Registered",
    "chart",
    "table",
    "charts",
    "tables",
    "build_chart",
    "build_table",
    "require_access",
]

T = TypeVar("T")


@dataclass(frozen=True)
class ExportContext:
    session: Session
    principal: Principal
    member_code: str | None = None
    period: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Registered(Generic[T]):
    name: str
    title: str  #: English; shown through ``t``
    access: Access
    build: Callable[[ExportContext], T]

    def allowed(self, context: ExportContext) -> bool:
        return allows(self.access, context.principal, {"code": context.member_code})


_CHARTS: dict[str, Registered[go.Figure]] = {}
_TABLES: dict[str, Registered[pd.DataFrame]] = {}
_loaded = [False]


def chart(
    name: str, *, title: str, access: Access
) -> Callable[[Callable[[ExportContext], go.Figure]], Callable[[ExportContext], go.Figure]]:
    """Register a chart builder under ``name``."""

    def register(
        build: Callable[[ExportContext], go.Figure],
    ) -> Callable[[ExportContext], go.Figure]:
        _CHARTS[name] = Registered(name, title, access, build)
        return build

    return register


def table(
    name: str, *, title: str, access: Access
) -> Callable[[Callable[[ExportContext], pd.DataFrame]], Callable[[ExportContext], pd.DataFrame]]:
    """Register a table builder under ``name``."""

    def register(
        build: Callable[[ExportContext], pd.DataFrame],
    ) -> Callable[[ExportContext], pd.DataFrame]:
        _TABLES[name] = Registered(name, title, access, build)
        return build

    return register


def _load() -> None:
    if _loaded[0]:
        return
    import dashboard.figures as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    _loaded[0] = True


def charts() -> dict[str, Registered[go.Figure]]:
    _load()
    return dict(sorted(_CHARTS.items()))


def tables() -> dict[str, Registered[pd.DataFrame]]:
    _load()
    return dict(sorted(_TABLES.items()))


#: What a refusal or a miss says, by kind (chart or table).
_NO_SUCH = {
    "chart": N_("no chart named {name!r}; known: {known}"),
    "table": N_("no table named {name!r}; known: {known}"),
}
_THE = {"chart": N_("the chart {name}"), "table": N_("the table {name}")}


def _lookup(kind: str, registry: dict[str, Registered[T]], name: str) -> Registered[T]:
    if name not in registry:
        raise NotFound(_NO_SUCH[kind], name=name, known=", ".join(registry) or "–")
    return registry[name]


def require_access(kind: str, name: str, context: ExportContext) -> None:
    """Raise Forbidden unless the principal may see ``kind`` (chart/table) ``name``."""
    entry = _lookup(kind, charts() if kind == "chart" else tables(), name)
    require(entry.allowed(context), _THE[kind], name=name)


def build_chart(name: str, context: ExportContext) -> go.Figure:
    """Build chart ``name`` for ``context``, its numbers written as the reader's language writes
    them; raises Forbidden when the principal may not see it."""
    require_access("chart", name, context)
    return figure_locale(_CHARTS[name].build(context))


def build_table(name: str, context: ExportContext) -> pd.DataFrame:
    """Build table ``name`` for ``context``; raises Forbidden when the principal may not see it."""
    require_access("table", name, context)
    return _TABLES[name].build(context)
