"""The members a representativeness check compares, and the sets worth checking.

Both name members, so only the programme roles read them.
"""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, col, select

from bsc.authz import Principal, can_read_programme, require
from bsc.i18n import N_
from bsc.models import Member, SurveyResponse
from bsc.repo import list_waves
from kpi.programme.selection import CRITERIA

__all__ = ["members_frame", "candidate_sets"]

_COLUMNS = [
    "member_code",
    "name",
    "region",
    "revenue",
    "investor_count",
    "capital_structure",
    *CRITERIA,
    "wave",
]


def members_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """Every active member with what the check compares and its selection flags."""
    require(can_read_programme(principal), N_("comparing members"))
    waves = {wave.id: wave.code for wave in list_waves(session)}
    members = session.exec(
        select(Member).where(col(Member.active).is_(True)).order_by(Member.code)
    ).all()
    rows = [
        {
            "member_code": m.code,
            "name": m.name,
            "region": m.region,
            "revenue": m.revenue,
            "investor_count": m.investor_count,
            "capital_structure": m.capital_structure,
            **{flag: getattr(m, flag) for flag in CRITERIA},
            "wave": waves.get(m.wave_id),
        }
        for m in members
    ]
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return frame.astype({"revenue": "Float64", "investor_count": "Float64"})


def candidate_sets(session: Session, *, principal: Principal) -> dict[str, list[str]]:
    """Named sets of member codes: ``wave:<code>`` for each wave and ``survey`` (respondents)."""
    members = members_frame(session, principal=principal)
    sets = {
        f"wave:{wave.code}": members.loc[members["wave"] == wave.code, "member_code"].tolist()
        for wave in list_waves(session)
    }
    respondents = session.exec(
        select(Member.code)
        .join(SurveyResponse, col(SurveyResponse.member_id) == Member.id)
        .distinct()
    ).all()
    sets["survey"] = sorted(set(respondents) & set(members["member_code"]))
    return sets
