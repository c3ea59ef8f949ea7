"""Names kept in two languages (members, KPIs, PEST factors, survey items, vendor criteria), as
the reader's language shows them: pages, charts, tables and exports all look them up here.

Each lookup maps codes to names; callers map over rows they already may show, so a lookup never
widens what a user sees.
"""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, select

from bsc.i18n import localised
from bsc.models import KpiDefinition, Member

__all__ = ["localised_names", "member_names", "member_label", "kpi_names"]


def localised_names(frame: pd.DataFrame, code: str, name: str, name_zh: str) -> dict[str, str]:
    """Code → name for each row of ``frame``, in the current language.

    Examples
    --------
    >>> from bsc.i18n import use_language
    >>> frame = pd.DataFrame({"code": ["S1"], "name": ["Cost"], "name_zh": ["成本"]})
    >>> with use_language("zh-TW"):
    ...     localised_names(frame, "code", "name", "name_zh")
    {'S1': '成本'}
    """
    names = [
        localised(en, zh)
        for en, zh in zip(frame[name].tolist(), frame[name_zh].tolist(), strict=True)
    ]
    return dict(zip([str(c) for c in frame[code].tolist()], names, strict=True))


def member_names(session: Session) -> dict[str, str]:
    """Member code → the member's name in the current language."""
    return {
        member.code: localised(member.name, member.name_zh)
        for member in session.exec(select(Member)).all()
    }


def member_label(member: Member) -> str:
    """``M001 · 福爾摩沙證券``: how pickers and headings name a member."""
    return f"{member.code} · {localised(member.name, member.name_zh)}"


def kpi_names(session: Session) -> dict[str, str]:
    """KPI code → the KPI's name in the current language."""
    return {
        kpi.code: localised(kpi.name, kpi.name_zh)
        for kpi in session.exec(select(KpiDefinition)).all()
    }
