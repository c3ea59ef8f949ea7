"""Users and API tokens: creating them, signing in, and turning them into principals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bsc import audit
from bsc.authz import Principal, can_administer, require
from bsc.errors import Conflict, InvalidInput, NotFound
from bsc.i18n import N_
from bsc.models import ApiToken, ApiTokenUse, Member, Role, TokenScope, User
from bsc.models.base import utcnow
from bsc.repo import find_user, get_member, get_user
from bsc.security import (
    hash_api_token,
    hash_password,
    needs_rehash,
    new_api_token,
    password_problems,
    verify_password,
)
from kpi.messages import Text

__all__ = [
    "add_user",
    "issue_token",
    "authenticate",
    "principal_for",
    "principal_for_token",
    "LOCKOUT_AFTER",
    "LOCKOUT_FOR",
    "LoginOutcome",
    "set_active",
    "unlock",
    "set_password",
    "revoke_token",
    "find_token",
    "record_token_use",
]

LOCKOUT_AFTER = 5
LOCKOUT_FOR = timedelta(minutes=15)


def add_user(
    session: Session,
    *,
    username: str,
    role: Role,
    password: str,
    actor: Principal,
    source: str,
    member_code: str | None = None,
    is_admin: bool = False,
    language: str = "en",
) -> User:
    """Create a user after checking the role/member binding and the password policy."""
    require(can_administer(actor), N_("creating users needs an admin"))
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise InvalidInput(N_("a username is 1–64 characters without spaces"))
    if find_user(session, username=username) is not None:
        raise Conflict(N_("user {username!r} already exists"), username=username)
    if role is Role.MEMBER and not member_code:
        raise InvalidInput(N_("a user with role member needs --member CODE"))
    if role is not Role.MEMBER and member_code:
        raise InvalidInput(
            N_("role {role} sees the whole programme; leave out --member"), role=role.value
        )
    problems = password_problems(password, username=username)
    if problems:
        raise InvalidInput(N_("password too weak: {problems}"), problems=Text.join(problems))
    member: Member | None = get_member(session, code=member_code) if member_code else None
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        member_id=member.id if member else None,
        is_admin=is_admin,
        language=language,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        source=source,
        action="create",
        entity="user",
        entity_id=user.id,
        member_id=user.member_id,
        after=audit.snapshot(user, "username", "role", "member_id", "is_admin"),
    )
    return user


def issue_token(
    session: Session,
    *,
    username: str,
    actor: Principal,
    source: str,
    scopes: tuple[TokenScope, ...] = (TokenScope.READ, TokenScope.UPLOAD),
    expires_in: timedelta | None = timedelta(days=365),
    name: str = "",
) -> str:
    """Create an API token for ``username`` and return it; only its digest is stored."""
    require(can_administer(actor), N_("issuing API tokens needs an admin"))
    user = get_user(session, username=username)
    token, prefix, digest = new_api_token()
    row = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        name=name,
        prefix=prefix,
        token_hash=digest,
        scopes=",".join(scope.value for scope in scopes),
        expires_at=utcnow() + expires_in if expires_in else None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        source=source,
        action="create",
        entity="api_token",
        entity_id=row.id,
        member_id=user.member_id,
        after=audit.snapshot(row, "user_id", "prefix", "scopes", "expires_at"),
    )
    return token


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    #: why the sign-in failed: ``"invalid"`` (never says which part) or ``"locked"``
    reason: str | None = None


def authenticate(session: Session, *, username: str, password: str) -> LoginOutcome:
    """Check a password; count failures and lock the account for a while after too many."""
    user = find_user(session, username=username)
    if user is None:
        # Spend the same time as a real check so timing does not reveal which usernames exist.
        verify_password(_DUMMY_HASH, password)
        return LoginOutcome(None, "invalid")
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        return LoginOutcome(None, "locked")
    if not user.active or not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= LOCKOUT_AFTER:
            user.locked_until = now + LOCKOUT_FOR
            user.failed_logins = 0
        session.add(user)
        return LoginOutcome(None, "invalid")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    return LoginOutcome(user)


_DUMMY_HASH = hash_password("not-a-real-password-0")


def principal_for(session: Session, user: User) -> Principal:
    member_code = None
    if user.member_id is not None:
        member = session.get(Member, user.member_id)
        member_code = member.code if member else None
    return Principal(
        username=user.username,
        role=Role(user.role),
        user_id=user.id,
        member_id=user.member_id,
        member_code=member_code,
        is_admin=user.is_admin,
        language=user.language,
    )


def principal_for_token(
    session: Session, token: str, *, scope: TokenScope, now: datetime | None = None
) -> Principal | None:
    """The principal a bearer token stands for, if it is valid, unexpired and has ``scope``."""
    row = find_token(session, token)
    now = now or utcnow()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if scope.value not in row.scopes.split(","):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = now
    session.add(row)
    return principal_for(session, user)


def find_token(session: Session, token: str) -> ApiToken | None:
    """The stored token ``token`` stands for, whatever its state (by its digest)."""
    return session.exec(
        select(ApiToken).where(ApiToken.token_hash == hash_api_token(token))
    ).first()


def record_token_use(
    session: Session, *, token_id: int, method: str, path: str, status: int, client: str
) -> ApiTokenUse:
    """Log one request made with a token, refused ones included: what, when, from where, result.

    >>> record_token_use(session, token_id=1, method="GET", path="/api/v1/…", status=200,
    ...                  client="127.0.0.1")  # doctest: +SKIP
    """
    use = ApiTokenUse(
        token_id=token_id, method=method, path=path[:255], status=status, client=client[:64]
    )
    session.add(use)
    return use


def _admin_user(session: Session, actor: Principal, username: str, what: str) -> User:
    """The user ``username``, if ``actor`` is an admin; ``what`` (marked with ``N_``) is refused
    otherwise."""
    require(can_administer(actor), N_("{what} needs an admin"), what=Text(what))
    return get_user(session, username=username)


def _change_user(
    session: Session, user: User, *, actor: Principal, source: str, action: str, **changes: object
) -> User:
    """Apply ``changes`` to ``user`` and audit them with their values before and after."""
    before = audit.snapshot(user, *changes)
    for field, value in changes.items():
        setattr(user, field, value)
    session.add(user)
    audit.record(
        session,
        actor=actor,
        source=source,
        action=action,
        entity="user",
        entity_id=user.id,
        member_id=user.member_id,
        before=before,
        after=audit.snapshot(user, *changes),
    )
    return user


def set_active(
    session: Session, *, username: str, active: bool, actor: Principal, source: str
) -> User:
    """Activate or deactivate a user; a deactivated user can neither sign in nor use tokens."""
    user = _admin_user(session, actor, username, N_("changing users"))
    if user.id == actor.user_id and not active:
        raise InvalidInput(N_("you cannot deactivate yourself"))
    return _change_user(session, user, actor=actor, source=source, action="update", active=active)


def unlock(session: Session, *, username: str, actor: Principal, source: str) -> User:
    """Lift a sign-in lock-out before it expires."""
    user = _admin_user(session, actor, username, N_("unlocking users"))
    return _change_user(
        session,
        user,
        actor=actor,
        source=source,
        action="unlock",
        locked_until=None,
        failed_logins=0,
    )


def set_password(
    session: Session, *, username: str, password: str, actor: Principal, source: str
) -> User:
    """Set a user's password (admins for anyone; every user for themselves)."""
    if actor.username != username:
        require(can_administer(actor), N_("setting another user's password needs an admin"))
    user = get_user(session, username=username)
    problems = password_problems(password, username=username)
    if problems:
        raise InvalidInput(N_("password too weak: {problems}"), problems=Text.join(problems))
    user.password_hash = hash_password(password)
    session.add(user)
    audit.record(
        session,
        actor=actor,
        source=source,
        action="set_password",
        entity="user",
        entity_id=user.id,
        member_id=user.member_id,
    )
    return user


def revoke_token(session: Session, *, token_id: int, actor: Principal, source: str) -> ApiToken:
    require(can_administer(actor), N_("revoking API tokens needs an admin"))
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(N_("no API token with id {token_id}"), token_id=token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        owner = session.get(User, row.user_id)
        audit.record(
            session,
            actor=actor,
            source=source,
            action="revoke",
            entity="api_token",
            entity_id=row.id,
            member_id=owner.member_id if owner else None,
            after=audit.snapshot(row, "prefix", "revoked_at"),
        )
    return row
