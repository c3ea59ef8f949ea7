"""What the overview shows: scores of the readable members, movers, data freshness, tiles.

A member user gets its own figures and anonymised peer statistics only; the programme roles get
every member, filtered by wave and segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session, col

from bsc.authz import Principal, can_read_programme
from bsc.models import Measurement, PestFactor, PestRating, RolloutStage, Upload
from bsc.models.programme import Stage
from bsc.repo import visible_members
from bsc.services.peers import peer_statistics
from bsc.services.scorecard import ProgrammeScores, parse_scorecard_period, programme_periods
from bsc.services.scorecard_results import as_date
from bsc.services.scoring_data import load_members
from kpi.scoring.calendar import Period, month_index, month_start, unit_label
from kpi.scoring.compare import movers
from kpi.vocabulary import Status

__all__ = [
    "Overview",
    "Freshness",
    "overview",
    "data_freshness",
    "member_codes",
    "rollout_summary",
    "pest_summary",
]


class Freshness:
    """The reporting state of a member for a period."""

    REPORTED = "reported"  #: has a monthly value for the period's last month
    OVERDUE = "overdue"  #: that month has ended, the member reported before, not for it
    NOT_STARTED = "not_started"  #: no monthly value up to that month
    OPEN = "open"  #: that month has not ended yet


@dataclass(frozen=True)
class Overview:
    period: str
    previous_period: str
    scores: ProgrammeScores
    movers: pd.DataFrame  #: code, name, score, previous_score, change (+ perspective for members)
    freshness: pd.DataFrame
    member_status: dict[str, int]
    kpi_status: dict[str, int]
    peers: pd.DataFrame | None = None  #: anonymised quartiles, for member users
    rollout: dict[str, Any] | None = None
    pest: dict[str, Any] | None = None
    scope: list[str] = field(default_factory=list)  #: the member codes shown


def member_codes(
    session: Session, *, principal: Principal, wave: str | None = None, segment: str | None = None
) -> list[str]:
    """Codes of the active members the principal may read, in a wave and segment if given."""
    readable = {m.code for m in visible_members(session, principal=principal)}
    members = load_members(session)
    members = members[members["code"].isin(readable)]
    if wave:
        members = members[members["wave_code"] == wave]
    if segment:
        members = members[members["segment"] == segment]
    return list(members["code"])


def data_freshness(
    session: Session,
    *,
    principal: Principal,
    period: str,
    codes: list[str] | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Per readable member (of ``codes``): code, name, last_upload, last_month (label of its
    latest monthly value up to the period's end), months_behind and state (:class:`Freshness`)."""
    parsed = parse_scorecard_period(period)
    today = today or date.today()
    members = [
        m
        for m in visible_members(session, principal=principal)
        if m.active and (codes is None or m.code in codes)
    ]
    ids = [m.id for m in members]
    uploads: dict[int | None, Any] = dict(
        session.execute(
            select(col(Upload.member_id), func.max(col(Upload.created_at)))
            .where(col(Upload.member_id).in_(ids), col(Upload.status) == "applied")
            .group_by(col(Upload.member_id))
        ).all()
    )
    latest: dict[int | None, Any] = dict(
        session.execute(
            select(col(Measurement.member_id), func.max(col(Measurement.period_start)))
            .where(
                col(Measurement.member_id).in_(ids),
                col(Measurement.granularity) == "month",
                col(Measurement.period_start) <= month_start(parsed.last),
            )
            .group_by(col(Measurement.member_id))
        ).all()
    )
    ended = parsed.end < today
    rows = []
    for member in members:
        last = latest.get(member.id)
        last_index = None if last is None else month_index(as_date(last))
        if last_index == parsed.last:
            state = Freshness.REPORTED
        elif not ended:
            state = Freshness.OPEN
        elif last_index is None:
            state = Freshness.NOT_STARTED
        else:
            state = Freshness.OVERDUE
        rows.append(
            {
                "code": member.code,
                "name": member.name,
                "last_upload": uploads.get(member.id),
                "last_month": None if last_index is None else unit_label(last_index, 1),
                "months_behind": None if last_index is None else parsed.last - last_index,
                "state": state,
            }
        )
    columns = ["code", "name", "last_upload", "last_month", "months_behind", "state"]
    return pd.DataFrame(rows, columns=columns)


def _counts(statuses: pd.Series) -> dict[str, int]:
    counts = statuses.value_counts()
    return {status.value: int(counts.get(status.value, 0)) for status in Status}


def _member_movers(current: ProgrammeScores, previous: ProgrammeScores) -> pd.DataFrame:
    moved = movers(
        current.members[["code", "name", "score", "status"]],
        previous.members[["code", "score"]],
        key="code",
        limit=5,
    )
    # Which perspective moved most explains each member's move.
    now = current.perspectives.set_index(["member_code", "perspective"])["score"]
    before = previous.perspectives.set_index(["member_code", "perspective"])["score"]
    change = (now - before).dropna().rename("perspective_change").reset_index()
    change = change.loc[change["perspective_change"].abs().groupby(change["member_code"]).idxmax()]
    return moved.merge(
        change.rename(columns={"member_code": "code"}), on="code", how="left", sort=False
    )


def _own_movers(current: ProgrammeScores, previous: ProgrammeScores) -> pd.DataFrame:
    columns = ["perspective", "score", "status"]
    return movers(
        current.perspectives[columns],
        previous.perspectives[["perspective", "score"]],
        key="perspective",
        limit=4,
    )


def rollout_summary(session: Session, *, today: date | None = None) -> dict[str, Any]:
    """Counts for the rollout tile: members live, in progress and not started, and the stages
    that ended (or are still open) after their planned end."""
    today = today or date.today()
    rows = session.execute(
        select(
            col(RolloutStage.member_id),
            col(RolloutStage.stage),
            col(RolloutStage.actual_start),
            col(RolloutStage.actual_end),
            col(RolloutStage.planned_end),
        )
    ).all()
    members = {row.member_id for row in rows}
    live = {row.member_id for row in rows if row.stage == Stage.GO_LIVE and row.actual_end}
    started = {row.member_id for row in rows if row.actual_start}
    slipped = sum(
        1 for row in rows if row.planned_end and (row.actual_end or today) > row.planned_end
    )
    return {
        "members": len(members),
        "live": len(live),
        "in_progress": len(started - live),
        "not_started": len(members - started),
        "slipped": slipped,
    }


def pest_summary(session: Session) -> dict[str, Any]:
    """Counts for the PEST tile: the latest rated quarter, factors rated, negative factors."""
    latest = session.execute(select(func.max(col(PestRating.quarter_start)))).scalar()
    if latest is None:
        return {"quarter": None, "factors": 0, "negative": 0}
    quarter = as_date(latest)
    rows = session.execute(
        select(col(PestRating.factor_id), func.avg(col(PestRating.impact)))
        .where(col(PestRating.quarter_start) == quarter)
        .group_by(col(PestRating.factor_id))
    ).all()
    impacts = np.array([float(r[1]) for r in rows])
    total = session.execute(select(func.count(col(PestFactor.id)))).scalar() or 0
    index = month_index(quarter)
    return {
        "quarter": unit_label(index, 3),
        "factors": len(rows),
        "all_factors": int(total),
        "negative": int((impacts < 0).sum()),
    }


def overview(
    session: Session,
    *,
    principal: Principal,
    period: str,
    wave: str | None = None,
    segment: str | None = None,
) -> Overview:
    """Everything the overview page shows for ``principal`` and ``period``."""
    parsed = parse_scorecard_period(period)
    previous: Period = parsed.previous()
    programme = can_read_programme(principal)
    codes = member_codes(
        session,
        principal=principal,
        wave=wave if programme else None,
        segment=segment if programme else None,
    )
    scores = programme_periods(
        session, principal=principal, periods=[parsed.label, previous.label], member_codes=codes
    )
    current, before = scores[parsed.label], scores[previous.label]
    return Overview(
        period=parsed.label,
        previous_period=previous.label,
        scores=current,
        movers=_member_movers(current, before) if programme else _own_movers(current, before),
        freshness=data_freshness(session, principal=principal, period=parsed.label, codes=codes),
        member_status=_counts(current.members["status"]),
        kpi_status=_counts(current.kpis["status"]),
        peers=None if programme else peer_statistics(session, principal=principal, period=period),
        rollout=rollout_summary(session) if programme else None,
        pest=pest_summary(session) if programme else None,
        scope=codes,
    )
