"""Strategy maps as a use case: check, save, publish, restore, import and export, with rights.

A member's map (or, with no member, the programme template) lives in versions. Every save writes
a new draft version, a full copy; publishing a version archives the one published before, so a
member has at most one published version — the one scoring uses. Every write records what changed
in the audit log, one entry per change, and bumps the ``maps`` data version in its transaction.

Rights: members' maps are read by who may read the member and written by who may write it; the
template is read by everyone signed in and written by the program office.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bsc import audit, versioning
from bsc.authz import Principal, can_read_member, can_run_programme, can_write_member, require
from bsc.errors import Conflict, NotFound
from bsc.i18n import N_
from bsc.models import Member, StrategyMap, User
from bsc.models.base import utcnow
from bsc.repo import get_member, visible_members
from bsc.services import map_store
from kpi.messages import Text
from strategy_maps.editing import MapChange, adopt, map_changes
from strategy_maps.errors import MapFormatError
from strategy_maps.io import document_to_dict, read_map
from strategy_maps.issues import MapIssue, Rule, Severity, errors_in
from strategy_maps.model import MapDocument
from strategy_maps.validation import validate

__all__ = [
    "MapResult",
    "StoredMap",
    "check_map",
    "save_map",
    "publish_map",
    "restore_map",
    "import_map",
    "load_map",
    "current_map",
    "map_history",
    "starting_points",
    "start_from",
    "TEMPLATE",
]

#: The value that stands for the programme template where a member code is expected.
TEMPLATE = "template"


@dataclass
class MapResult:
    """What a save, publish, restore or import did. Errors in ``issues``: nothing was stored."""

    status: str  #: saved, published, unchanged or rejected
    member: str | None
    version: int | None = None
    issues: list[MapIssue] = field(default_factory=list)
    changes: list[MapChange] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "member": self.member,
            "version": self.version,
            "changes": [{"action": c.action, "target": c.target} for c in self.changes],
            "issues": [issue.to_dict() for issue in self.issues],
        }


@dataclass(frozen=True)
class StoredMap:
    """One stored version with its document."""

    member: str | None
    version: int
    status: str
    name: str
    note: str | None
    created_by: str | None
    created_at: datetime
    published_at: datetime | None
    document: MapDocument


def _member(session: Session, member_code: str | None) -> Member | None:
    return None if member_code in (None, TEMPLATE) else get_member(session, code=str(member_code))


def _member_id(member: Member | None) -> int | None:
    return None if member is None else member.id


def _require_read(principal: Principal, member: Member | None) -> None:
    if member is not None:
        assert member.id is not None
        require(
            can_read_member(principal, member.id),
            N_("the strategy map of member {member}"),
            member=member.code,
        )


def _require_write(principal: Principal, member: Member | None) -> None:
    if member is None:
        require(can_run_programme(principal), N_("editing the programme template"))
    else:
        assert member.id is not None
        require(
            can_write_member(principal, member.id),
            N_("editing the map of member {member}"),
            member=member.code,
        )


def check_map(
    session: Session, document: MapDocument, *, member_code: str | None
) -> list[MapIssue]:
    """Every issue of ``document`` as a map of ``member_code``, its KPI codes checked against the
    catalogue (programme-wide KPIs and the member's own)."""
    member = _member(session, member_code)
    known = map_store.kpi_ids(session, member_id=_member_id(member))
    return validate(document, known_kpis=known)


def save_map(
    session: Session,
    document: MapDocument,
    *,
    actor: Principal,
    source: str,
    member_code: str | None,
    note: str | None = None,
    publish: bool = False,
    base_version: int | None = None,
) -> MapResult:
    """Store ``document`` as a new version (and publish it), unless it has errors.

    ``base_version`` is the version the editor started from: when someone saved another version
    since, the save is refused with :class:`~bsc.errors.Conflict` rather than overwriting theirs.
    A document equal to the latest version stores nothing (it is published if asked).
    """
    member = _member(session, member_code)
    _require_write(actor, member)
    member_id = _member_id(member)
    code = None if member is None else member.code
    document = replace(document, member=code)
    known = map_store.kpi_ids(session, member_id=member_id)
    issues = validate(document, known_kpis=known)
    if errors_in(issues):
        return MapResult("rejected", code, issues=issues)
    latest = map_store.latest_version(session, member_id=member_id)
    if base_version is not None and latest is not None and latest.version != base_version:
        raise Conflict(
            N_(
                "version {version} of this map was saved by someone else after you opened "
                "version {base_version}; your changes are kept in the editor: open the latest "
                "version in another tab, then apply them again"
            ),
            version=latest.version,
            base_version=base_version,
        )
    previous = None if latest is None else map_store.read_version(session, latest, member_code=code)
    if previous is not None and latest is not None and previous == document:
        if publish and latest.status != "published":
            _publish(session, latest, actor=actor, source=source, member=member)
            return MapResult("published", code, latest.version, issues)
        return MapResult("unchanged", code, latest.version, issues)
    row = map_store.write_version(
        session,
        document,
        member_id=member_id,
        kpi_id_of=known,
        created_by=actor.user_id,
        note=note,
    )
    changes = map_changes(previous, document)
    _audit_changes(session, changes, row, actor=actor, source=source, member=member)
    audit.record(
        session,
        actor=actor,
        source=source,
        action="save_map",
        entity="strategy_map",
        entity_id=row.id,
        member_id=member_id,
        before=None if latest is None else _summary(latest, previous),
        after=dict(_summary(row, document), document=document_to_dict(document)),
    )
    status = "saved"
    if publish:
        _publish(session, row, actor=actor, source=source, member=member)
        status = "published"
    versioning.bump(session, versioning.MAPS)
    return MapResult(status, code, row.version, issues, changes)


def _summary(row: StrategyMap, document: MapDocument | None) -> dict[str, Any]:
    summary: dict[str, Any] = {"version": row.version, "status": row.status, "name": row.name}
    if document is not None:
        summary.update(objectives=len(document.objectives), links=len(document.links))
    return summary


def _audit_changes(
    session: Session,
    changes: list[MapChange],
    row: StrategyMap,
    *,
    actor: Principal,
    source: str,
    member: Member | None,
) -> None:
    for change in changes:
        entity = "objective_link" if change.action.endswith("_link") else "objective"
        if change.action == "rename_map":
            entity = "strategy_map"
        audit.record(
            session,
            actor=actor,
            source=source,
            action=change.action,
            entity=entity,
            entity_id=change.target[:64],
            member_id=_member_id(member),
            before=change.before,
            after=None if change.after is None else dict(change.after, version=row.version),
        )


def _publish(
    session: Session, row: StrategyMap, *, actor: Principal, source: str, member: Member | None
) -> None:
    current = map_store.published_version(session, member_id=_member_id(member))
    if current is not None and current.id != row.id:
        current.status = "archived"
        session.add(current)
        session.flush()  # before the new one is published: at most one published at any time
    before = {"published_version": None if current is None else current.version}
    row.status = "published"
    row.published_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        source=source,
        action="publish_map",
        entity="strategy_map",
        entity_id=row.id,
        member_id=_member_id(member),
        before=before,
        after={"published_version": row.version},
    )


def publish_map(
    session: Session, *, actor: Principal, source: str, member_code: str | None, version: int
) -> MapResult:
    """Make ``version`` the one in force; the previously published version is archived."""
    member = _member(session, member_code)
    _require_write(actor, member)
    code = None if member is None else member.code
    row = _version_or_fail(session, member, version)
    if row.status == "published":
        return MapResult("unchanged", code, version)
    _publish(session, row, actor=actor, source=source, member=member)
    versioning.bump(session, versioning.MAPS)
    return MapResult("published", code, version)


def _version_or_fail(session: Session, member: Member | None, version: int) -> StrategyMap:
    row = map_store.find_version(session, member_id=_member_id(member), version=version)
    if row is None:
        owner = "the programme template" if member is None else f"member {member.code}"
        raise NotFound(
            N_("{owner} has no map version {version}; `bsc maps list` shows the versions"),
            owner=owner,
            version=version,
        )
    return row


def restore_map(
    session: Session,
    *,
    actor: Principal,
    source: str,
    member_code: str | None,
    version: int,
    publish: bool = False,
) -> MapResult:
    """Save a copy of an earlier ``version`` as the newest version (history stays whole)."""
    member = _member(session, member_code)
    _require_write(actor, member)
    code = None if member is None else member.code
    row = _version_or_fail(session, member, version)
    document = map_store.read_version(session, row, member_code=code)
    result = save_map(
        session,
        document,
        actor=actor,
        source=source,
        member_code=member_code,
        note=f"restored from version {version}",
        publish=publish,
    )
    if not result.rejected:
        audit.record(
            session,
            actor=actor,
            source=source,
            action="restore_map",
            entity="strategy_map",
            entity_id=row.id,
            member_id=_member_id(member),
            before={"version": version},
            after={"version": result.version},
        )
    return result


def import_map(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    member_code: str | None = None,
    publish: bool = False,
    note: str | None = None,
) -> MapResult:
    """Read a map file and save it as a new version of ``member_code``'s map (else of the member
    the file names; a member user's own map when neither does; else the programme template)."""
    try:
        document, issues = read_map(data, filename=filename)
    except MapFormatError as exc:
        issue = MapIssue(Rule.BAD_ENTRY, Severity.ERROR, (), exc.text)
        return MapResult("rejected", member_code, issues=[issue], changes=[])
    target = member_code or document.member or actor.member_code
    if member_code and document.member and document.member != member_code:
        issue = MapIssue(
            Rule.BAD_ENTRY,
            Severity.ERROR,
            (),
            Text(
                "the file is the map of member {file_member}, not of {member}; correct one of them",
                file_member=document.member,
                member=member_code,
            ),
        )
        return MapResult("rejected", member_code, issues=[*issues, issue])
    if errors_in(issues):
        return MapResult("rejected", target, issues=issues)
    result = save_map(
        session,
        document,
        actor=actor,
        source=source,
        member_code=target,
        note=note or f"imported from {filename}",
        publish=publish,
    )
    result.issues = [*issues, *result.issues]
    return result


def _stored(session: Session, row: StrategyMap, member: Member | None) -> StoredMap:
    code = None if member is None else member.code
    author = None if row.created_by is None else session.get(User, row.created_by)
    return StoredMap(
        member=code,
        version=row.version,
        status=row.status,
        name=row.name,
        note=row.note,
        created_by=None if author is None else author.username,
        created_at=row.created_at,
        published_at=row.published_at,
        document=map_store.read_version(session, row, member_code=code),
    )


def load_map(
    session: Session, *, principal: Principal, member_code: str | None, version: int | None = None
) -> StoredMap | None:
    """A stored version (the latest when ``version`` is None), or None when there is none."""
    member = _member(session, member_code)
    _require_read(principal, member)
    member_id = _member_id(member)
    row = (
        map_store.latest_version(session, member_id=member_id)
        if version is None
        else map_store.find_version(session, member_id=member_id, version=version)
    )
    return None if row is None else _stored(session, row, member)


def current_map(
    session: Session, *, principal: Principal, member_code: str | None
) -> StoredMap | None:
    """The published version (what scoring uses), or None when nothing is published yet."""
    member = _member(session, member_code)
    _require_read(principal, member)
    row = map_store.published_version(session, member_id=_member_id(member))
    return None if row is None else _stored(session, row, member)


def map_history(
    session: Session, *, principal: Principal, member_code: str | None
) -> list[dict[str, Any]]:
    """Every version, newest first: number, status, name, note, author and dates."""
    member = _member(session, member_code)
    _require_read(principal, member)
    rows = map_store.versions(session, member_id=_member_id(member))
    authors = {
        user.id: user.username
        for user in session.exec(
            select(User).where(col(User.id).in_({row.created_by for row in rows}))
        ).all()
    }
    return [
        {
            "version": row.version,
            "status": row.status,
            "name": row.name,
            "note": row.note,
            "created_by": authors.get(row.created_by),
            "created_at": row.created_at,
            "published_at": row.published_at,
        }
        for row in rows
    ]


def starting_points(
    session: Session, *, principal: Principal, member_code: str | None
) -> list[tuple[str, str]]:
    """``(source, name)`` of the maps a new map may start from: the programme template and the
    published maps of the other members the principal may read."""
    points = []
    template = map_store.latest_version(session, member_id=None)
    if template is not None:
        points.append((TEMPLATE, template.name))
    for member in visible_members(session, principal=principal):
        if member.code == member_code:
            continue
        row = map_store.published_version(session, member_id=member.id)
        if row is not None:
            points.append((member.code, f"{member.code} · {row.name}"))
    return points


def start_from(
    session: Session, *, principal: Principal, member_code: str | None, source: str
) -> MapDocument:
    """A new, unsaved map for ``member_code`` copied from ``source`` (:func:`starting_points`)."""
    stored = (
        load_map(session, principal=principal, member_code=None)
        if source == TEMPLATE
        else current_map(session, principal=principal, member_code=source)
    )
    if stored is None:
        raise NotFound(N_("there is no map to start from at {source!r}"), source=source)
    return adopt(stored.document, member=member_code)
