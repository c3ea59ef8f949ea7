"""Uploading KPI feeds: one service behind the Upload page, ``bsc ingest`` and the REST API.

:func:`ingest_feed` checks who uploads for whom, reads and validates the file against the
catalogue (:mod:`kpi.feeds`), records the upload with its raw bytes and report, and, when the file
has no error, stores its values all or nothing in the caller's transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable

from sqlmodel import Session, col, select

from bsc import audit, versioning
from bsc.authz import Principal, can_write_member, require
from bsc.errors import NotFound
from bsc.i18n import N_
from bsc.models import KpiDefinition, MappingTemplate, Member, Role, Upload, UploadFile
from bsc.models.base import utcnow
from bsc.repo import get_member
from bsc.services.measurement_store import compare_measurements, store_measurements
from bsc.services.results import IngestReport
from kpi.feeds import Catalogue, CatalogueKpi, CatalogueMember, FeedOptions, read_feed
from kpi.issues import Issue, Reason, Severity
from kpi.messages import Text
from kpi.reading import Limits
from kpi.vocabulary import Frequency

__all__ = ["ingest_feed", "load_catalogue", "upload_scope", "template_mapping"]


def load_catalogue(session: Session) -> Catalogue:
    """Every member and active KPI, as the pure validation takes them."""
    members = [
        CatalogueMember(m.id, m.code, m.name, m.name_zh)  # type: ignore[arg-type]
        for m in session.exec(select(Member).order_by(Member.code))
    ]
    kpis = [
        CatalogueKpi(
            k.id,  # type: ignore[arg-type]
            k.code,
            k.name,
            k.name_zh,
            Frequency(k.frequency),
            k.member_id,
        )
        for k in session.exec(
            select(KpiDefinition).where(col(KpiDefinition.active)).order_by(KpiDefinition.code)
        )
    ]
    return Catalogue(members=members, kpis=kpis)


def upload_scope(session: Session, *, actor: Principal, member_code: str | None) -> Member | None:
    """The member an upload is for, after checking the actor may upload for it.

    A member user uploads for its own member only; the program office for any member, or with
    no member for files that name their members; executives do not upload.
    """
    require(actor.role in (Role.PROGRAM_OFFICE, Role.MEMBER), N_("uploading KPI feeds"))
    if member_code is None:
        if actor.role is Role.MEMBER:
            return session.get(Member, actor.member_id)
        return None
    member = get_member(session, code=member_code)
    assert member.id is not None
    require(
        can_write_member(actor, member.id),
        N_("uploading KPI feeds for member {member}"),
        member=member_code,
    )
    return member


def ingest_feed(
    session: Session,
    *,
    data: bytes,
    filename: str,
    actor: Principal,
    source: str,
    member_code: str | None = None,
    options: FeedOptions | None = None,
    template: str | None = None,
    dry_run: bool = False,
    limits: Limits | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> IngestReport:
    """Validate a feed and, unless it has errors or this is a dry run, store it.

    Every upload that is not a dry run is recorded (raw bytes, SHA-256, encoding, layout, counts,
    report, who and when), rejected ones too; only a file without errors changes measurements.
    The caller's transaction makes it all or nothing. ``progress``, when given, is told the
    share done and the next step (a message id for :func:`bsc.i18n.t`); raising in it aborts.

    Raises
    ------
    Forbidden
        When ``actor`` may not upload, or not for ``member_code``.
    NotFound
        For an unknown ``member_code`` or ``template``.
    """
    scope = upload_scope(session, actor=actor, member_code=member_code)
    options = options or FeedOptions()
    if template is not None:
        options = dataclasses.replace(
            options,
            mapping={**template_mapping(session, member=scope, name=template), **options.mapping},
        )
    catalogue = load_catalogue(session)
    if progress:
        progress(0.05, N_("Reading and checking the file"))
    feed = read_feed(
        data,
        filename,
        catalogue,
        options=options,
        uploader_member_id=scope.id if scope else None,
        limits=limits,
    )
    member_ids = feed.member_ids
    member_id = scope.id if scope else (member_ids[0] if len(member_ids) == 1 else None)
    report = IngestReport(
        status="rejected" if feed.rejected else ("dry_run" if dry_run else "applied"),
        member=catalogue.member_code(member_id),
        encoding=feed.encoding,
        layout=feed.layout.family if feed.layout else None,
        read=feed.read,
        empty=feed.empty,
        ignored=feed.ignored,
        issues=feed.issues,
        preview=feed.preview,
        columns=feed.columns,
        header=feed.header,
    )
    if dry_run:
        if not feed.rejected:
            counts = compare_measurements(session, feed.measurements)
            report.applied, report.unchanged = counts.applied, counts.unchanged
        return report
    digest = hashlib.sha256(data).hexdigest()
    upload = Upload(
        member_id=member_id,
        user_id=actor.user_id,
        actor=actor.username,
        source=source,
        filename=filename[:255] or "upload",
        sha256=digest,
        size_bytes=len(data),
        encoding=report.encoding,
        layout=report.layout,
        status=report.status,
    )
    if not feed.rejected:
        earlier = _same_file(session, digest=digest, member_id=member_id)
    session.add(upload)
    session.flush()
    assert upload.id is not None
    report.upload_id = upload.id
    if progress:
        progress(0.5, N_("Storing the values"))
    if not feed.rejected:
        counts = store_measurements(
            session, feed.measurements, upload_id=upload.id, user_id=actor.user_id
        )
        report.applied, report.unchanged = counts.applied, counts.unchanged
        if counts.applied:
            versioning.bump_members(session, member_ids)
        else:
            report.issues.append(_nothing_changed(report.unchanged, earlier))
    if progress:
        progress(0.9, N_("Recording the upload"))
    # The measurements are stored: their memory is free for the driver's copy of the file.
    del feed
    session.add(UploadFile(upload_id=upload.id, content=data))
    upload.rows_read, upload.rows_applied = report.read, report.applied
    upload.rows_unchanged, upload.rows_empty = report.unchanged, report.empty
    upload.rows_ignored = report.ignored
    upload.report = report.to_record()
    session.add(upload)
    audit.record(
        session,
        actor=actor,
        source=source,
        action="apply" if report.status == "applied" else "reject",
        entity="upload",
        entity_id=upload.id,
        member_id=member_id,
        after={
            "filename": upload.filename,
            "sha256": digest,
            "status": report.status,
            "rows": report.to_dict()["rows"],
        },
    )
    session.flush()
    return report


def template_mapping(session: Session, *, member: Member | None, name: str) -> dict[str, str]:
    """The column mapping saved as ``name`` for ``member``."""
    if member is None:
        raise NotFound(N_("mapping templates belong to a member; give the member the file is for"))
    found = session.exec(
        select(MappingTemplate).where(
            MappingTemplate.member_id == member.id, MappingTemplate.name == name
        )
    ).first()
    if found is None:
        raise NotFound(
            N_("member {member} has no mapping template named {name!r}"),
            member=member.code,
            name=name,
        )
    return dict(found.mapping)


def _same_file(session: Session, *, digest: str, member_id: int | None) -> Upload | None:
    return session.exec(
        select(Upload)
        .where(Upload.sha256 == digest, Upload.status == "applied", Upload.member_id == member_id)
        .order_by(col(Upload.created_at).desc())
    ).first()


def _nothing_changed(unchanged: int, earlier: Upload | None) -> Issue:
    if earlier is None:
        message = Text(
            "nothing changed: all {count:,} values are already stored as they are", count=unchanged
        )
    else:
        message = Text(
            "nothing changed: all {count:,} values are already stored as they are (the same "
            "file was applied as upload {upload} on {day})",
            count=unchanged,
            upload=earlier.id,
            day=(earlier.created_at or utcnow()).strftime("%Y-%m-%d"),
        )
    return Issue(None, None, None, Reason.NOTHING_CHANGED, message, Severity.WARNING)
