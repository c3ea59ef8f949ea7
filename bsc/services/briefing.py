"""Who may have which briefing book, and through whose eyes a member's book sees the data.

A briefing book is either the whole programme's (every member by name: executives and the
program office) or one member's. A member's book reads the data as that member's own users do —
the member by name, its peers only anonymised — whoever asks for it, so it can be handed to the
member as it is. The CLI, the pages' callbacks and the job runner all ask :func:`briefing_scope`.
"""

from __future__ import annotations

import dataclasses
import re

from sqlmodel import Session

from bsc.authz import Principal, can_read_member, can_read_programme, require
from bsc.errors import NotFound
from bsc.i18n import N_
from bsc.models import Member, Role
from bsc.repo import find_member
from bsc.services.scorecard import latest_period, parse_scorecard_period

__all__ = ["briefing_scope", "briefing_period", "member_reader", "book_filename"]


def briefing_scope(session: Session, *, actor: Principal, member_code: str | None) -> Member | None:
    """The member a book is about (None: the whole programme), if ``actor`` may have it.

    Raises
    ------
    Forbidden
        A member user asking for the programme's book or another member's (whether that member
        exists or not: a member learns nothing of other codes).
    NotFound
        An unknown member code, for the programme roles.
    """
    if member_code is None:
        require(can_read_programme(actor), N_("the whole programme's briefing book"))
        return None
    member = find_member(session, code=member_code)
    if member is None:
        require(
            can_read_programme(actor),
            N_("the briefing book of member {member}"),
            member=member_code,
        )
        raise NotFound(
            N_("no member with code {code!r}; `bsc members list` shows them"), code=member_code
        )
    require(
        member.id is not None and can_read_member(actor, member.id),
        N_("the briefing book of member {member}"),
        member=member_code,
    )
    return member


def briefing_period(session: Session, period: str | None) -> str:
    """The canonical label of ``period`` (:class:`InvalidInput` when it is not one); without
    one, the latest month with data."""
    if period is None:
        return latest_period(session)
    return parse_scorecard_period(period).label


def member_reader(actor: Principal, member: Member) -> Principal:
    """``actor`` reading as a user of ``member``: the member by name, its peers anonymised.

    Only ever narrower than ``actor``'s own rights, which :func:`briefing_scope` has checked.
    """
    return dataclasses.replace(
        actor, role=Role.MEMBER, member_id=member.id, member_code=member.code, is_admin=False
    )


def book_filename(member_code: str | None, period: str) -> str:
    """``briefing-M001-2026-09.pdf``, or ``briefing-programme-2026-09.pdf``.

    >>> book_filename("M001", "2026-Q3"), book_filename(None, "2026")
    ('briefing-M001-2026-Q3.pdf', 'briefing-programme-2026.pdf')
    """
    scope = re.sub(r"[^A-Za-z0-9_-]+", "_", member_code) if member_code else "programme"
    return f"briefing-{scope}-{period}.pdf"
