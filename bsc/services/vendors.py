"""Vendor evaluation: criteria and weights, expert scores, and the recorded decision.

Only the program office writes; the programme roles read. A decision for a vendor other than the
top scorer is refused without a written reason, whichever door it comes through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from bsc import audit
from bsc.authz import Principal, can_read_programme, can_run_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_
from bsc.models import User, Vendor, VendorCriterion, VendorDecision, VendorScore
from bsc.services.results import ImportResult
from bsc.services.upserts import finish, form_table, issue_text, read_records, upsert
from kpi.issues import Issue, Reason
from kpi.programme.rows import code_index
from kpi.programme.vendor_files import parse_criteria, parse_decision, parse_scores
from kpi.programme.vendors import decision_problem, ranking
from kpi.reading import Limits

__all__ = [
    "import_criteria",
    "import_scores",
    "import_decision",
    "save_weights",
    "decide",
    "criteria_frame",
    "scores_frame",
    "vendors_frame",
    "decision",
]


def import_criteria(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update evaluation criteria and their weights by code."""
    require(can_run_programme(actor), N_("importing vendor criteria needs the program_office role"))
    records, result = read_records(data, filename, parse_criteria, limits=limits)
    if result.rejected:
        return result
    existing = {c.code: c for c in session.exec(select(VendorCriterion)).all()}
    for record in records:
        values = {
            "code": record.code,
            "name": record.name,
            "name_zh": record.name_zh,
            "weight": record.weight,
        }
        upsert(
            session,
            existing.get(record.code),
            VendorCriterion,
            values,
            result,
            actor=actor,
            source=source,
        )
    return finish(session, result)


def save_weights(
    session: Session, *, actor: Principal, source: str, rows: Sequence[Mapping[str, Any]]
) -> ImportResult:
    """Store criteria edited in a grid (``code, name, name_zh, weight``)."""
    require(can_run_programme(actor), N_("editing vendor criteria needs the program_office role"))
    records, issues = parse_criteria(form_table(*rows))
    if issues:
        raise InvalidInput(
            issue_text(issues, {n: str(r.get("code")) for n, r in enumerate(rows, 2)})
        )
    existing = {c.code: c for c in session.exec(select(VendorCriterion)).all()}
    result = ImportResult()
    for record in records:
        values = {"name": record.name, "name_zh": record.name_zh, "weight": record.weight}
        current = existing.get(record.code)
        if current is None:
            raise NotFound(
                N_("no criterion {code!r}; import new criteria from a file"), code=record.code
            )
        upsert(session, current, VendorCriterion, values, result, actor=actor, source=source)
    return finish(session, result)


def import_scores(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update expert scores (and the vendors they name) by vendor, criterion, expert."""
    require(can_run_programme(actor), N_("importing vendor scores needs the program_office role"))
    criteria = session.exec(select(VendorCriterion)).all()
    index = code_index((c.code, c.name, c.name_zh or "") for c in criteria)
    records, result = read_records(
        data, filename, lambda table: parse_scores(table, criteria=index), limits=limits
    )
    if result.rejected:
        return result
    vendors = {v.code: v for v in session.exec(select(Vendor)).all()}
    for record in records:
        if record.vendor not in vendors or (
            record.vendor_name and vendors[record.vendor].name != record.vendor_name
        ):
            vendors[record.vendor] = upsert(
                session,
                vendors.get(record.vendor),
                Vendor,
                {"code": record.vendor, "name": record.vendor_name or record.vendor},
                ImportResult(),
                actor=actor,
                source=source,
            )
    criterion_ids = {c.code: c.id for c in criteria}
    existing: dict[tuple[int | None, int | None, str], VendorScore] = {
        (s.vendor_id, s.criterion_id, s.expert): s for s in session.exec(select(VendorScore)).all()
    }
    for record in records:
        vendor_id, criterion_id = vendors[record.vendor].id, criterion_ids[record.criterion]
        values: dict[str, Any] = {
            "vendor_id": vendor_id,
            "criterion_id": criterion_id,
            "expert": record.expert,
            "score": record.score,
        }
        current = existing.get((vendor_id, criterion_id, record.expert))
        upsert(session, current, VendorScore, values, result, actor=actor, source=source)
    return finish(session, result)


def import_decision(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Record the decision in a file (one row: vendor, reason); the same decision twice is one."""
    require(
        can_run_programme(actor), N_("recording the vendor decision needs the program_office role")
    )
    vendors = session.exec(select(Vendor)).all()
    index = code_index((v.code, v.name) for v in vendors)
    records, result = read_records(
        data, filename, lambda table: parse_decision(table, vendors=index), limits=limits
    )
    if result.rejected:
        return result
    [record] = records
    problem = decision_problem(_ranking(session), record.vendor, record.reason)
    if problem:
        result.issues.append(
            Issue(record.line, "reason", record.reason, Reason.MISSING_VALUE, problem)
        )
        return result
    _record(session, record.vendor, record.reason, result, actor=actor, source=source)
    return finish(session, result)


def decide(
    session: Session, *, actor: Principal, source: str, vendor_code: str, reason: str | None
) -> ImportResult:
    """Record the vendor chosen; raises :class:`InvalidInput` when a needed reason is missing."""
    require(
        can_run_programme(actor), N_("recording the vendor decision needs the program_office role")
    )
    problem = decision_problem(_ranking(session), vendor_code, reason)
    if problem:
        raise InvalidInput(problem)
    result = ImportResult()
    _record(session, vendor_code, reason, result, actor=actor, source=source)
    return finish(session, result)


def _record(
    session: Session,
    vendor_code: str,
    reason: str | None,
    result: ImportResult,
    *,
    actor: Principal,
    source: str,
) -> None:
    """A new decision row, unless the latest decision is the same vendor with the same reason."""
    vendor = session.exec(select(Vendor).where(Vendor.code == vendor_code)).one()
    assert vendor.id is not None
    text = (reason or "").strip() or None
    latest = _latest(session)
    if latest is not None and latest.vendor_id == vendor.id and latest.reason == text:
        result.unchanged += 1
        return
    row = VendorDecision(vendor_id=vendor.id, reason=text, decided_by=actor.user_id)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        source=source,
        action="create",
        entity="vendor_decision",
        entity_id=row.id,
        before=None if latest is None else audit.snapshot(latest, "vendor_id", "reason"),
        after=audit.snapshot(row, "vendor_id", "reason"),
    )
    result.created += 1


def _latest(session: Session) -> VendorDecision | None:
    return session.exec(
        select(VendorDecision).order_by(
            col(VendorDecision.decided_at).desc(), col(VendorDecision.id).desc()
        )
    ).first()


def _ranking(session: Session) -> pd.DataFrame:
    return ranking(_scores(session), _criteria(session))


def _criteria(session: Session) -> pd.DataFrame:
    criteria = session.exec(select(VendorCriterion).order_by(VendorCriterion.code)).all()
    return pd.DataFrame(
        [
            {"criterion": c.code, "name": c.name, "name_zh": c.name_zh, "weight": c.weight}
            for c in criteria
        ],
        columns=["criterion", "name", "name_zh", "weight"],
    )


def _scores(session: Session) -> pd.DataFrame:
    rows = session.exec(
        select(VendorScore, Vendor.code, VendorCriterion.code)
        .join(Vendor, col(Vendor.id) == VendorScore.vendor_id)
        .join(VendorCriterion, col(VendorCriterion.id) == VendorScore.criterion_id)
    ).all()
    return pd.DataFrame(
        [
            {"vendor": vendor, "criterion": criterion, "expert": s.expert, "score": s.score}
            for s, vendor, criterion in rows
        ],
        columns=["vendor", "criterion", "expert", "score"],
    )


def criteria_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """``criterion, name, name_zh, weight`` in code order."""
    require(can_read_programme(principal), N_("reading the vendor evaluation"))
    return _criteria(session)


def scores_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """Every expert score: ``vendor, criterion, expert, score``."""
    require(can_read_programme(principal), N_("reading the vendor evaluation"))
    return _scores(session)


def vendors_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """``vendor, name`` in code order."""
    require(can_read_programme(principal), N_("reading the vendor evaluation"))
    vendors = session.exec(select(Vendor).order_by(Vendor.code)).all()
    return pd.DataFrame(
        [{"vendor": v.code, "name": v.name} for v in vendors], columns=["vendor", "name"]
    )


def decision(session: Session, *, principal: Principal) -> dict[str, Any] | None:
    """The latest decision: ``vendor, reason, decided_by, decided_at``, or ``None``."""
    require(can_read_programme(principal), N_("reading the vendor evaluation"))
    latest = _latest(session)
    if latest is None:
        return None
    vendor = session.get(Vendor, latest.vendor_id)
    user = session.get(User, latest.decided_by) if latest.decided_by else None
    return {
        "vendor": vendor.code if vendor else None,
        "reason": latest.reason,
        "decided_by": user.username if user else None,
        "decided_at": latest.decided_at,
    }
