"""Password hashing (argon2), password policy and API-token generation."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kpi.messages import Text

__all__ = [
    "hash_password",
    "verify_password",
    "needs_rehash",
    "password_problems",
    "new_api_token",
    "hash_api_token",
    "MIN_PASSWORD_LENGTH",
]

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "bsc_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, *, username: str = "") -> list[Text]:
    """Why ``password`` is too weak; an empty list means it is acceptable.

    Examples
    --------
    >>> password_problems("short")
    ['at least 10 characters']
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Text("at least {count} characters", count=MIN_PASSWORD_LENGTH))
    if password.strip() != password or not password.strip():
        problems.append(Text("no leading or trailing spaces"))
    if username and username.lower() in password.lower():
        problems.append(Text("must not contain the username"))
    if len(set(password)) < 4:
        problems.append(Text("at least 4 different characters"))
    return problems


def new_api_token() -> tuple[str, str, str]:
    """A new token as ``(token, prefix, sha256 hex digest)``; only the last two are stored.

    Tokens carry 256 bits of randomness, so a fast digest is safe to store and to look up by.
    """
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token[: len(TOKEN_PREFIX) + 6], hash_api_token(token)


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
