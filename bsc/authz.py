"""Who may do what: the product's authorisation rules, in one place.

Every page, callback, API route and CLI command turns its user into a :class:`Principal` and asks
these functions; nothing relies on hiding a button.
"""

from __future__ import annotations

from dataclasses import dataclass

from bsc.errors import Forbidden
from bsc.i18n import N_
from bsc.models.users import Role
from kpi.messages import Text

__all__ = [
    "Principal",
    "OPERATOR",
    "can_read_member",
    "can_write_member",
    "can_read_programme",
    "can_run_programme",
    "can_administer",
    "require",
    "readable_member_ids",
]


@dataclass(frozen=True)
class Principal:
    """The acting user as the rules see it."""

    username: str
    role: Role
    user_id: int | None = None
    member_id: int | None = None
    member_code: str | None = None
    is_admin: bool = False
    language: str = "en"

    @property
    def is_member(self) -> bool:
        return self.role is Role.MEMBER


#: The person at the server's shell running ``bsc`` without ``--as``: they can open the database
#: directly anyway, so the CLI treats them as program office with admin rights.
OPERATOR = Principal(username="operator", role=Role.PROGRAM_OFFICE, is_admin=True)


def can_read_member(principal: Principal, member_id: int) -> bool:
    """Named figures of a member: the programme roles see all, a member only itself."""
    if principal.role in (Role.EXECUTIVE, Role.PROGRAM_OFFICE):
        return True
    return principal.member_id is not None and principal.member_id == member_id


def can_write_member(principal: Principal, member_id: int) -> bool:
    """Uploading KPIs and editing the strategy map of a member."""
    if principal.role is Role.PROGRAM_OFFICE:
        return True
    return principal.is_member and principal.member_id == member_id


def can_read_programme(principal: Principal) -> bool:
    """Programme-wide named views (every member side by side)."""
    return principal.role in (Role.EXECUTIVE, Role.PROGRAM_OFFICE)


def can_run_programme(principal: Principal) -> bool:
    """Editing members, the catalogue, PEST, rollout, survey and vendor evaluation."""
    return principal.role is Role.PROGRAM_OFFICE


def can_administer(principal: Principal) -> bool:
    """Users, tokens, settings and the audit log."""
    return principal.is_admin


def readable_member_ids(principal: Principal, all_ids: list[int]) -> list[int]:
    return [member_id for member_id in all_ids if can_read_member(principal, member_id)]


def require(allowed: bool, what: str, /, **params: object) -> None:
    """Raise :class:`Forbidden` naming ``what`` was refused, unless ``allowed``.

    ``what`` is a template marked with ``N_``, filled in from ``params``.

    Examples
    --------
    >>> require(False, N_("the scorecard of member {member}"), member="M002")
    Traceback (most recent call last):
    ...
    bsc.errors.Forbidden: not allowed: the scorecard of member M002
    """
    if not allowed:
        raise Forbidden(N_("not allowed: {what}"), what=Text(what, **params))
