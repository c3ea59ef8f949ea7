"""Reading stored measurements back: what ``bsc export data`` and the API print."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session, col

from bsc.authz import Principal, can_read_member, require
from bsc.i18n import N_
from bsc.models import KpiDefinition, Measurement, Member
from bsc.repo import get_member, visible_members

__all__ = ["measurement_table", "period_labels"]


def period_labels(granularity: pd.Series, start: pd.Series) -> pd.Series:
    """Canonical labels (``2025-01``, ``2025-Q1``, ``2025``) for granularities and first days.

    Examples
    --------
    >>> days = pd.Series(pd.to_datetime(["2025-01-01", "2025-04-01", "2025-01-01"]))
    >>> period_labels(pd.Series(["month", "quarter", "year"]), days).tolist()
    ['2025-01', '2025-Q2', '2025']
    """
    days = pd.to_datetime(start)
    year = days.dt.year.astype(str).str.zfill(4)
    month = year + "-" + days.dt.month.astype(str).str.zfill(2)
    quarter = year + "-Q" + ((days.dt.month - 1) // 3 + 1).astype(str)
    labels = month.where(granularity == "month", quarter.where(granularity == "quarter", year))
    return labels.astype(object)


def measurement_table(
    session: Session, *, principal: Principal, member_code: str | None = None
) -> pd.DataFrame:
    """Stored values as ``member_code``, ``kpi_code``, ``period``, ``value``, sorted.

    With ``member_code``, that member's (which ``principal`` must be allowed to read); without,
    every member ``principal`` may read.
    """
    if member_code is not None:
        member = get_member(session, code=member_code)
        assert member.id is not None
        require(
            can_read_member(principal, member.id),
            N_("reading member {member}'s figures"),
            member=member_code,
        )
        member_ids = [member.id]
    else:
        member_ids = [m.id for m in visible_members(session, principal=principal) if m.id]
    rows = session.execute(
        select(
            col(Member.code),
            col(KpiDefinition.code),
            col(Measurement.granularity),
            col(Measurement.period_start),
            col(Measurement.value),
        )
        .join(Member, col(Member.id) == Measurement.member_id)
        .join(KpiDefinition, col(KpiDefinition.id) == Measurement.kpi_id)
        .where(col(Measurement.member_id).in_(member_ids))
    ).all()
    frame = pd.DataFrame(
        rows, columns=["member_code", "kpi_code", "granularity", "period_start", "value"]
    )
    frame["period"] = period_labels(frame["granularity"], frame["period_start"])
    frame = frame.sort_values(["member_code", "kpi_code", "granularity", "period_start"])
    return frame[["member_code", "kpi_code", "period", "value"]].reset_index(drop=True)
