"""The outcome of an import or an upload: counts, and every issue found.

:meth:`to_dict` gives the messages in the current language (for the API, the CLI and the
pages); :meth:`IngestReport.to_record` keeps their English templates and parameters as well, so
that a stored report is shown later in whichever language its reader has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bsc.i18n import t
from kpi.issues import Issue, errors_in

__all__ = ["ImportResult", "IngestReport"]


@dataclass
class ImportResult:
    """What an import did. ``issues`` with an error mean nothing was stored."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(errors_in(self.issues))

    @property
    def status(self) -> str:
        return "rejected" if self.rejected else "applied"

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON shows it, messages in the current language."""
        return {
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "issues": [issue.to_dict(t) for issue in self.issues],
        }


@dataclass
class IngestReport:
    """The outcome of one KPI feed upload, in the JSON shape of DESIGN.md §5 (:meth:`to_dict`).

    ``applied`` counts values inserted or changed, ``unchanged`` values already stored as they
    are, ``empty`` cells that said "no value", ``ignored`` footnote, total and other lines left out.
    """

    status: str
    member: str | None = None
    upload_id: int | None = None
    encoding: str | None = None
    layout: str | None = None
    read: int = 0
    applied: int = 0
    unchanged: int = 0
    empty: int = 0
    ignored: int = 0
    issues: list[Issue] = field(default_factory=list)
    #: The first rows as the feed was understood, for the upload page's preview.
    preview: list[dict[str, Any]] = field(default_factory=list)
    #: Field → the header of the column it was read from.
    columns: dict[str, str] = field(default_factory=dict)
    #: The header's cells, for choosing columns to map.
    header: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"

    def to_dict(self) -> dict[str, Any]:
        """The report in the JSON shape of DESIGN.md §5, messages in the current language."""
        return {
            "status": self.status,
            "member": self.member,
            "upload_id": self.upload_id,
            "encoding": self.encoding,
            "layout": self.layout,
            "rows": {
                "read": self.read,
                "applied": self.applied,
                "unchanged": self.unchanged,
                "empty": self.empty,
                "ignored": self.ignored,
            },
            "issues": [issue.to_dict(t) for issue in self.issues],
        }

    def to_record(self) -> dict[str, Any]:
        """:meth:`to_dict` for storing (an upload's report, a background job's result): the
        messages in English with their templates and parameters."""
        return {**self.to_dict(), "issues": [issue.to_record() for issue in self.issues]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IngestReport:
        """The report again from :meth:`to_record`, or from a report stored before messages
        kept their templates (its messages are then shown as they were stored)."""
        rows = data.get("rows", {})
        issues = [Issue.from_record(item) for item in data.get("issues", [])]
        return cls(
            status=data["status"],
            member=data.get("member"),
            upload_id=data.get("upload_id"),
            encoding=data.get("encoding"),
            layout=data.get("layout"),
            read=int(rows.get("read", 0)),
            applied=int(rows.get("applied", 0)),
            unchanged=int(rows.get("unchanged", 0)),
            empty=int(rows.get("empty", 0)),
            ignored=int(rows.get("ignored", 0)),
            issues=issues,
        )
