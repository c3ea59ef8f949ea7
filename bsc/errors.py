"""Exceptions of the application core. Each carries a message that says what to do."""

from __future__ import annotations

__all__ = ["BscError", "NotFound", "Forbidden", "Conflict", "InvalidInput"]


class BscError(Exception):
    """Base of every error the application reports to a user."""


class NotFound(BscError):
    """A member, user, KPI or other record named by the user does not exist."""


class Forbidden(BscError):
    """The acting user's role or member does not allow this."""


class Conflict(BscError):
    """The request contradicts what is stored (e.g. a username already taken)."""


class InvalidInput(BscError):
    """A value the user gave is not acceptable; the message says which and why."""
