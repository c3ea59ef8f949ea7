"""Exceptions of the application core. Each carries a message that says what to do.

The message is a :class:`~kpi.messages.Text` (:attr:`BscError.text`): an English template marked
with ``N_`` and its parameters. ``str(error)`` gives it in the current language, so a page, the
API and the CLI each show it in their reader's words.
"""

from __future__ import annotations

from typing import Any

from bsc.i18n import t
from kpi.messages import Text

__all__ = ["BscError", "NotFound", "Forbidden", "Conflict", "InvalidInput"]


class BscError(Exception):
    """Base of every error the application reports to a user.

    Examples
    --------
    >>> from bsc.i18n import N_, use_language
    >>> error = NotFound(N_("no upload {upload_id}"), upload_id=7)
    >>> with use_language("zh-TW"):
    ...     str(error)
    '查無上傳紀錄 7'
    >>> error.text
    'no upload 7'
    """

    def __init__(self, message: str, /, **params: Any) -> None:
        #: The message in English, with its template and parameters.
        self.text = message if isinstance(message, Text) and not params else Text(message, **params)
        super().__init__(self.text)

    def __str__(self) -> str:
        return t(self.text)


class NotFound(BscError):
    """A member, user, KPI or other record named by the user does not exist."""


class Forbidden(BscError):
    """The acting user's role or member does not allow this."""


class Conflict(BscError):
    """The request contradicts what is stored (e.g. a username already taken)."""


class InvalidInput(BscError):
    """A value the user gave is not acceptable; the message says which and why."""
