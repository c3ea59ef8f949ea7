"""Which pages a user may open: one rule per page, checked on the server for every request.

A page declares its rule when it registers (``dash.register_page(..., access=Access.X)``); the
HTTP guard and the page's layout both ask :func:`allows`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Any

from bsc.authz import Principal, can_administer, can_read_programme, can_run_programme
from bsc.models.users import Role

__all__ = ["Access", "allows", "can_read_member_code", "match_page"]


class Access(StrEnum):
    SIGNED_IN = "signed_in"  #: anyone signed in
    PROGRAMME = "programme"  #: executives and the program office (all members by name)
    PROGRAM_OFFICE = "program_office"  #: the program office only
    ADMIN = "admin"  #: admins only
    MEMBER = "member"  #: the member named by the page's ``code`` (or the programme roles)
    UPLOADER = "uploader"  #: who may upload KPI feeds: the program office and member users
    MEMBER_EDITOR = "member_editor"  #: who may edit the member named by ``code``: the program
    #: office (any member, and ``template``, the programme's own map) and that member's users


def can_read_member_code(principal: Principal, code: str | None) -> bool:
    if can_read_programme(principal):
        return True
    return bool(code) and principal.member_code == code


def allows(access: Access | str, principal: Principal, variables: Mapping[str, Any]) -> bool:
    rule = Access(access)
    if rule is Access.SIGNED_IN:
        return True
    if rule is Access.PROGRAMME:
        return can_read_programme(principal)
    if rule is Access.PROGRAM_OFFICE:
        return can_run_programme(principal)
    if rule is Access.ADMIN:
        return can_administer(principal)
    if rule is Access.MEMBER:
        return can_read_member_code(principal, variables.get("code"))
    if rule is Access.MEMBER_EDITOR:
        return can_run_programme(principal) or (
            principal.role is Role.MEMBER and principal.member_code == variables.get("code")
        )
    return principal.role in (Role.PROGRAM_OFFICE, Role.MEMBER)


@lru_cache(maxsize=256)
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"<(\w+)>", template)
    regex = "".join(
        f"(?P<{part}>[^/]+)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}/?$")


def match_page(
    path: str, pages: Mapping[str, Mapping[str, Any]]
) -> tuple[Mapping[str, Any], dict[str, str]] | None:
    """The registered page serving ``path`` and its path variables, if any page does."""
    for page in pages.values():
        template = page.get("path_template") or page["path"]
        found = _pattern(template).match(path)
        if found:
            return page, found.groupdict()
    return None
