"""People who sign in, and the API tokens that let members' systems push feeds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from bsc.models.base import check_in, utcnow

__all__ = ["Role", "User", "ApiToken", "ApiTokenUse", "TokenScope"]


class Role(StrEnum):
    EXECUTIVE = "executive"
    PROGRAM_OFFICE = "program_office"
    MEMBER = "member"


class TokenScope(StrEnum):
    READ = "read"
    UPLOAD = "upload"


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        check_in("role", Role, "role"),
        check_in("language", ("en", "zh-TW"), "language"),
        # A member user is bound to exactly one member; the programme roles are bound to none.
        CheckConstraint(
            "(role = 'member' AND member_id IS NOT NULL) "
            "OR (role <> 'member' AND member_id IS NULL)",
            name="member_binding",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=32)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    is_admin: bool = False
    active: bool = True
    language: str = Field(default="en", max_length=8)
    failed_logins: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 digest is stored, the token itself is shown once."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(default="", max_length=120)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    #: Comma-separated subset of ``TokenScope``.
    scopes: str = Field(default="read,upload", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class ApiTokenUse(SQLModel, table=True):
    """One request made with a token (refused ones too): the token's own access log."""

    __tablename__ = "api_token_use"

    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(foreign_key="api_token.id", index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    method: str = Field(max_length=8)
    path: str = Field(max_length=255)
    status: int
    client: str = Field(default="", max_length=64)
