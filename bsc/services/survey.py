"""The demand and willingness survey: items, responses and the program office's remediation notes.

Responses name members, so only the programme roles read them; only the program office writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from bsc.authz import Principal, can_read_programme, can_run_programme, require
from bsc.i18n import N_
from bsc.models import Member, SurveyItem, SurveyRemediation, SurveyResponse, User
from bsc.repo import get_member
from bsc.services.results import ImportResult
from bsc.services.upserts import finish, read_records, remove, upsert
from kpi.programme.rows import code_index
from kpi.programme.survey_files import parse_items, parse_responses
from kpi.reading import Limits

__all__ = [
    "import_items",
    "import_responses",
    "save_remediation",
    "save_remediations",
    "items_frame",
    "responses_frame",
    "remediation_notes",
]


def import_items(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update survey items by code."""
    require(can_run_programme(actor), N_("importing survey items needs the program_office role"))
    records, result = read_records(data, filename, parse_items, limits=limits)
    if result.rejected:
        return result
    existing = {item.code: item for item in session.exec(select(SurveyItem)).all()}
    for record in records:
        values = {
            "code": record.code,
            "text": record.text,
            "text_zh": record.text_zh,
            "category": record.category,
        }
        upsert(
            session,
            existing.get(record.code),
            SurveyItem,
            values,
            result,
            actor=actor,
            source=source,
        )
    return finish(session, result)


def import_responses(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update responses, one per member and item."""
    require(
        can_run_programme(actor), N_("importing survey responses needs the program_office role")
    )
    members = session.exec(select(Member)).all()
    items = session.exec(select(SurveyItem)).all()
    member_index = code_index((m.code, m.name, m.name_zh or "") for m in members)
    item_index = code_index((i.code,) for i in items)
    records, result = read_records(
        data,
        filename,
        lambda table: parse_responses(table, members=member_index, items=item_index),
        limits=limits,
    )
    if result.rejected:
        return result
    member_ids = {m.code: m.id for m in members}
    item_ids = {i.code: i.id for i in items}
    existing: dict[tuple[int | None, int | None], SurveyResponse] = {
        (r.member_id, r.item_id): r for r in session.exec(select(SurveyResponse)).all()
    }
    for record in records:
        member_id, item_id = member_ids[record.member], item_ids[record.item]
        values: dict[str, Any] = {
            "member_id": member_id,
            "item_id": item_id,
            "demand": record.demand,
            "willingness": record.willingness,
            "comment": record.comment,
        }
        upsert(
            session,
            existing.get((member_id, item_id)),
            SurveyResponse,
            values,
            result,
            actor=actor,
            source=source,
            member_id=member_id,
        )
    return finish(session, result)


def save_remediation(
    session: Session, *, actor: Principal, source: str, member_code: str, note: str | None
) -> ImportResult:
    """Set (or, with an empty note, clear) the program office's remediation note for a member."""
    require(
        can_run_programme(actor),
        N_("annotating the remediation list needs the program_office role"),
    )
    member = get_member(session, code=member_code)
    current = session.exec(
        select(SurveyRemediation).where(SurveyRemediation.member_id == member.id)
    ).first()
    text = (note or "").strip()
    result = ImportResult()
    if not text:
        if current is None:
            result.unchanged += 1
            return result
        remove(session, current, actor=actor, source=source, member_id=member.id)
        result.updated += 1  # a cleared note counts as a change of the list
        return finish(session, result)
    values = {"member_id": member.id, "note": text, "updated_by": actor.user_id}
    if current is not None and current.note == text:
        values["updated_by"] = current.updated_by  # an unchanged note keeps its author
    upsert(
        session,
        current,
        SurveyRemediation,
        values,
        result,
        actor=actor,
        source=source,
        member_id=member.id,
    )
    return finish(session, result)


def save_remediations(
    session: Session, *, actor: Principal, source: str, rows: Sequence[Mapping[str, Any]]
) -> ImportResult:
    """Apply a grid of ``member_code, note`` (see :func:`save_remediation`)."""
    total = ImportResult()
    for row in rows:
        result = save_remediation(
            session,
            actor=actor,
            source=source,
            member_code=str(row.get("member_code") or ""),
            note=row.get("note"),
        )
        total.created += result.created
        total.updated += result.updated
        total.unchanged += result.unchanged
    return total


def items_frame(session: Session) -> pd.DataFrame:
    """``item, text, text_zh, category`` in code order."""
    items = session.exec(select(SurveyItem).order_by(SurveyItem.code)).all()
    return pd.DataFrame(
        [
            {"item": i.code, "text": i.text, "text_zh": i.text_zh, "category": i.category}
            for i in items
        ],
        columns=["item", "text", "text_zh", "category"],
    )


def responses_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """Every response with its member: ``member_code, member_name, item, demand, willingness,
    comment`` (programme roles only: responses name members)."""
    require(can_read_programme(principal), N_("reading survey responses"))
    rows = session.exec(
        select(SurveyResponse, Member.code, Member.name, SurveyItem.code)
        .join(Member, col(Member.id) == SurveyResponse.member_id)
        .join(SurveyItem, col(SurveyItem.id) == SurveyResponse.item_id)
    ).all()
    columns = ["member_code", "member_name", "item", "demand", "willingness", "comment"]
    frame = pd.DataFrame(
        [
            {
                "member_code": code,
                "member_name": name,
                "item": item,
                "demand": response.demand,
                "willingness": response.willingness,
                "comment": response.comment,
            }
            for response, code, name, item in rows
        ],
        columns=columns,
    )
    return frame.sort_values(["member_code", "item"], ignore_index=True)


def remediation_notes(session: Session, *, principal: Principal) -> pd.DataFrame:
    """``member_code, note, updated_by, updated_at``: the program office's notes."""
    require(can_read_programme(principal), N_("reading the remediation list"))
    rows = session.exec(
        select(SurveyRemediation, Member.code, User.username)
        .join(Member, col(Member.id) == SurveyRemediation.member_id)
        .outerjoin(User, col(User.id) == SurveyRemediation.updated_by)
    ).all()
    return pd.DataFrame(
        [
            {
                "member_code": code,
                "note": note.note,
                "updated_by": username,
                "updated_at": note.updated_at,
            }
            for note, code, username in rows
        ],
        columns=["member_code", "note", "updated_by", "updated_at"],
    )
