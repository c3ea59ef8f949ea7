"""Upload history, the original files, and members' saved column mappings."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from bsc import audit
from bsc.authz import Principal, can_read_member, can_read_programme, can_write_member, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_
from bsc.models import MappingTemplate, Upload, UploadFile
from bsc.repo import get_member
from kpi.layouts import FIELDS

__all__ = [
    "list_uploads",
    "upload_file",
    "save_mapping_template",
    "list_mapping_templates",
]


def list_uploads(
    session: Session, *, principal: Principal, member_code: str | None = None, limit: int = 100
) -> Sequence[Upload]:
    """The latest uploads ``principal`` may see: a member's own, or (programme roles) any."""
    query = select(Upload).order_by(col(Upload.created_at).desc(), col(Upload.id).desc())
    if member_code is not None:
        member = get_member(session, code=member_code)
        assert member.id is not None
        require(
            can_read_member(principal, member.id),
            N_("uploads of member {member}"),
            member=member_code,
        )
        query = query.where(Upload.member_id == member.id)
    elif not can_read_programme(principal):
        query = query.where(Upload.member_id == principal.member_id)
    return session.exec(query.limit(limit)).all()


def upload_file(session: Session, *, principal: Principal, upload_id: int) -> tuple[Upload, bytes]:
    """An upload and its original bytes, for who may see that member's figures."""
    upload = session.get(Upload, upload_id)
    if upload is None:
        raise NotFound(N_("no upload {upload_id}"), upload_id=upload_id)
    allowed = (
        can_read_programme(principal)
        if upload.member_id is None
        else can_read_member(principal, upload.member_id)
    )
    require(allowed, N_("the file of upload {upload_id}"), upload_id=upload_id)
    stored = session.get(UploadFile, upload_id)
    if stored is None:
        raise NotFound(N_("upload {upload_id} has no stored file"), upload_id=upload_id)
    return upload, stored.content


def list_mapping_templates(
    session: Session, *, principal: Principal, member_code: str
) -> Sequence[MappingTemplate]:
    member = get_member(session, code=member_code)
    assert member.id is not None
    require(
        can_read_member(principal, member.id),
        N_("mapping templates of member {member}"),
        member=member_code,
    )
    return session.exec(
        select(MappingTemplate)
        .where(MappingTemplate.member_id == member.id)
        .order_by(MappingTemplate.name)
    ).all()


def save_mapping_template(
    session: Session,
    *,
    member_code: str,
    name: str,
    mapping: dict[str, str],
    actor: Principal,
    source: str,
) -> MappingTemplate:
    """Create or replace ``member_code``'s mapping template ``name`` (field → column header)."""
    if not member_code:
        raise InvalidInput(N_("a mapping template belongs to a member; give --member CODE"))
    member = get_member(session, code=member_code)
    assert member.id is not None
    require(
        can_write_member(actor, member.id),
        N_("saving mapping templates of {member}"),
        member=member_code,
    )
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput(N_("a template name is 1–120 characters"))
    cleaned = {str(key): str(value) for key, value in mapping.items() if key and value}
    if not cleaned:
        raise InvalidInput(N_("the mapping is empty; nothing to save"))
    template = session.exec(
        select(MappingTemplate).where(
            MappingTemplate.member_id == member.id, MappingTemplate.name == name
        )
    ).first()
    before = audit.snapshot(template, "mapping") if template else None
    if template is None:
        template = MappingTemplate(
            member_id=member.id, name=name, mapping=cleaned, created_by=actor.user_id
        )
    else:
        template.mapping = cleaned
    session.add(template)
    session.flush()
    audit.record(
        session,
        actor=actor,
        source=source,
        action="update" if before else "create",
        entity="mapping_template",
        entity_id=template.id,
        member_id=member.id,
        before=before,
        after={"name": name, "mapping": cleaned, "fields": [k for k in cleaned if k in FIELDS]},
    )
    return template
