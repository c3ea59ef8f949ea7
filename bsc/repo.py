"""Keyword-only query helpers over the tables, shared by services and pages."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from bsc.authz import Principal, can_read_member
from bsc.errors import NotFound
from bsc.i18n import N_
from bsc.models import KpiDefinition, Member, RolloutWave, User

__all__ = [
    "get_member",
    "find_member",
    "list_members",
    "visible_members",
    "get_user",
    "find_user",
    "list_kpis",
    "list_waves",
]


def find_member(session: Session, *, code: str) -> Member | None:
    return session.exec(select(Member).where(Member.code == code)).first()


def get_member(session: Session, *, code: str) -> Member:
    member = find_member(session, code=code)
    if member is None:
        raise NotFound(
            N_("no member with code {code!r}; `bsc members import` adds members"), code=code
        )
    return member


def list_members(session: Session) -> Sequence[Member]:
    return session.exec(select(Member).order_by(Member.code)).all()


def visible_members(session: Session, *, principal: Principal) -> list[Member]:
    """Members whose named figures ``principal`` may see, in code order."""
    return [
        m for m in list_members(session) if m.id is not None and can_read_member(principal, m.id)
    ]


def find_user(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def get_user(session: Session, *, username: str) -> User:
    user = find_user(session, username=username)
    if user is None:
        raise NotFound(
            N_("no user named {username!r}; `bsc users add` creates one"), username=username
        )
    return user


def list_kpis(session: Session, *, member_id: int | None = None) -> Sequence[KpiDefinition]:
    """Programme-wide KPIs plus, when ``member_id`` is given, that member's own."""
    query = select(KpiDefinition).order_by(KpiDefinition.code)
    if member_id is None:
        query = query.where(col(KpiDefinition.member_id).is_(None))
    else:
        query = query.where(
            col(KpiDefinition.member_id).is_(None) | (col(KpiDefinition.member_id) == member_id)
        )
    return session.exec(query).all()


def list_waves(session: Session) -> Sequence[RolloutWave]:
    return session.exec(select(RolloutWave).order_by(col(RolloutWave.sequence))).all()
