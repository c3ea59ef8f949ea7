from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bsc.authz import OPERATOR, Principal
from bsc.errors import Conflict, Forbidden, InvalidInput
from bsc.models import ApiToken, Role, TokenScope, User
from bsc.models.base import utcnow
from bsc.services.users import (
    LOCKOUT_AFTER,
    add_user,
    authenticate,
    issue_token,
    principal_for_token,
)
from tests import factories

GOOD = "a-long-enough-pass"


def test_users_get_argon2_hashes(session):
    factories.member(session, "M001")
    user = add_user(
        session,
        username="alice",
        role=Role.MEMBER,
        member_code="M001",
        password=GOOD,
        actor=OPERATOR,
        source="cli",
    )
    assert user.password_hash.startswith("$argon2id$") and GOOD not in user.password_hash
    assert authenticate(session, username="alice", password=GOOD).user is not None


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"role": Role.MEMBER}, InvalidInput),
        ({"role": Role.EXECUTIVE, "member_code": "M001"}, InvalidInput),
        ({"role": Role.EXECUTIVE, "password": "short"}, InvalidInput),
        ({"role": Role.EXECUTIVE, "username": "has space"}, InvalidInput),
        ({"role": Role.EXECUTIVE, "username": "taken"}, Conflict),
    ],
)
def test_user_rules(session, kwargs, error):
    factories.member(session, "M001")
    factories.user(session, "taken", Role.EXECUTIVE)
    values = {"username": "bob", "password": GOOD, "actor": OPERATOR, "source": "cli", **kwargs}
    with pytest.raises(error):
        add_user(session, **values)


def test_only_admins_create_users(session):
    office = Principal("po", Role.PROGRAM_OFFICE, user_id=1)
    with pytest.raises(Forbidden):
        add_user(
            session, username="bob", role=Role.EXECUTIVE, password=GOOD, actor=office, source="web"
        )


def test_repeated_failures_lock_the_account(session):
    factories.user(session, "carol", Role.EXECUTIVE)
    for _ in range(LOCKOUT_AFTER):
        assert authenticate(session, username="carol", password="wrong").user is None
    locked = authenticate(session, username="carol", password=factories.PASSWORD)
    assert locked.user is None and locked.reason == "locked"
    user = session.exec(select(User).where(User.username == "carol")).one()
    user.locked_until = utcnow() - timedelta(seconds=1)
    assert authenticate(session, username="carol", password=factories.PASSWORD).user is not None


def test_tokens_are_shown_once_stored_hashed_scoped_and_expiring(session):
    factories.member(session, "M001")
    factories.user(session, "feed", Role.MEMBER, session.exec(select(factories.Member)).one())
    token = issue_token(
        session, username="feed", actor=OPERATOR, source="cli", scopes=(TokenScope.UPLOAD,)
    )
    row = session.exec(select(ApiToken)).one()
    assert token not in row.token_hash and token.startswith(row.prefix)
    principal = principal_for_token(session, token, scope=TokenScope.UPLOAD)
    assert principal is not None and principal.member_code == "M001"
    assert principal_for_token(session, token, scope=TokenScope.READ) is None
    assert principal_for_token(session, token + "x", scope=TokenScope.UPLOAD) is None
    later = utcnow() + timedelta(days=400)
    assert principal_for_token(session, token, scope=TokenScope.UPLOAD, now=later) is None
    row.revoked_at = utcnow()
    assert principal_for_token(session, token, scope=TokenScope.UPLOAD) is None
