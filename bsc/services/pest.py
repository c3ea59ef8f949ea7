"""PEST factors and ratings: imports, entries from the page, and the frames the charts read.

Only the program office writes; everyone signed in reads the factors and ratings (they name no
member). Links to one member's objectives are shown only to those who may read that member.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from bsc.authz import Principal, can_read_member, can_run_programme, require
from bsc.errors import InvalidInput, NotFound
from bsc.i18n import N_
from bsc.models import FactorObjective, Member, Objective, PestFactor, PestRating, StrategyMap
from bsc.services.results import ImportResult
from bsc.services.scorecard import Scorecard, latest_period, scorecard
from bsc.services.upserts import finish, form_table, issue_text, read_records, remove, upsert
from kpi.issues import BadValue
from kpi.programme.pest_files import (
    FactorRecord,
    ObjectiveRef,
    RatingRecord,
    parse_factors,
    parse_objective_refs,
    parse_ratings,
)
from kpi.programme.rows import code_index, quarter_label
from kpi.reading import Limits

__all__ = [
    "import_factors",
    "import_ratings",
    "save_rating",
    "delete_rating",
    "update_factor",
    "factors_frame",
    "ratings_frame",
    "links_frame",
    "objective_statuses",
]


def _member_index(session: Session) -> dict[str, str]:
    members = session.exec(select(Member)).all()
    return code_index((m.code, m.name, m.name_zh or "") for m in members)


def _factor_index(session: Session) -> dict[str, str]:
    factors = session.exec(select(PestFactor)).all()
    return code_index((f.code, f.name, f.name_zh or "") for f in factors)


def import_factors(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update PEST factors by code, with their objective links when the file has them.

    A factor whose fields are stored already but whose links changed counts as updated.
    """
    require(can_run_programme(actor), N_("importing PEST factors needs the program_office role"))
    members = _member_index(session)
    records, result = read_records(
        data, filename, lambda table: parse_factors(table, members=members), limits=limits
    )
    if result.rejected:
        return result
    existing = {f.code: f for f in session.exec(select(PestFactor)).all()}
    member_ids = {m.code: m.id for m in session.exec(select(Member)).all()}
    for record in records:
        before = result.updated
        factor = upsert(
            session,
            existing.get(record.code),
            PestFactor,
            _factor_values(record),
            result,
            actor=actor,
            source=source,
        )
        if record.objectives is None:
            continue
        relinked = _relink(
            session, factor, record.objectives, member_ids, actor=actor, source=source
        )
        if relinked and result.updated == before and existing.get(record.code) is not None:
            result.unchanged -= 1
            result.updated += 1
    return finish(session, result)


def _factor_values(record: FactorRecord) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": record.code,
        "category": record.category.value,
        "name": record.name,
        "name_zh": record.name_zh,
    }
    if record.description is not None:
        values["description"] = record.description
    return values


def _relink(
    session: Session,
    factor: PestFactor,
    refs: tuple[ObjectiveRef, ...] | list[ObjectiveRef],
    member_ids: Mapping[str, int | None],
    *,
    actor: Principal,
    source: str,
) -> bool:
    """Make the factor's links exactly ``refs``; whether anything changed."""
    wanted = {
        (member_ids.get(ref.member_code) if ref.member_code else None, ref.key) for ref in refs
    }
    current = session.exec(
        select(FactorObjective).where(FactorObjective.factor_id == factor.id)
    ).all()
    have = {(link.member_id, link.objective_key): link for link in current}
    ignored = ImportResult()
    for member_id, key in sorted(wanted - set(have), key=lambda pair: (pair[0] or 0, pair[1])):
        values = {"factor_id": factor.id, "member_id": member_id, "objective_key": key}
        upsert(
            session,
            None,
            FactorObjective,
            values,
            ignored,
            actor=actor,
            source=source,
            member_id=member_id,
        )
    for pair in set(have) - wanted:
        remove(session, have[pair], actor=actor, source=source, member_id=pair[0])
    return wanted != set(have)


def import_ratings(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Principal,
    source: str,
    limits: Limits | None = None,
) -> ImportResult:
    """Create or update quarterly ratings, one per factor, quarter and rater."""
    require(can_run_programme(actor), N_("importing PEST ratings needs the program_office role"))
    factors = _factor_index(session)
    records, result = read_records(
        data, filename, lambda table: parse_ratings(table, factors=factors), limits=limits
    )
    if result.rejected:
        return result
    _store_ratings(session, records, result, actor=actor, source=source)
    return finish(session, result)


def _store_ratings(
    session: Session,
    records: list[RatingRecord],
    result: ImportResult,
    *,
    actor: Principal,
    source: str,
) -> None:
    factor_ids: dict[str, int | None] = {
        f.code: f.id for f in session.exec(select(PestFactor)).all()
    }
    existing: dict[tuple[int | None, date, str], PestRating] = {
        (r.factor_id, r.quarter_start, r.rater): r for r in session.exec(select(PestRating)).all()
    }
    for record in records:
        factor_id = factor_ids[record.factor]
        values = {
            "factor_id": factor_id,
            "quarter_start": record.quarter_start,
            "impact": record.impact,
            "likelihood": record.likelihood,
            "rater": record.rater,
            "note": record.note,
        }
        current = existing.get((factor_id, record.quarter_start, record.rater))
        upsert(session, current, PestRating, values, result, actor=actor, source=source)


def save_rating(
    session: Session, *, actor: Principal, source: str, values: Mapping[str, Any]
) -> ImportResult:
    """Store one rating entered in a form (``factor, quarter, impact, likelihood, rater, note``).

    Raises
    ------
    InvalidInput
        Naming every field that is wrong.
    """
    require(can_run_programme(actor), N_("rating PEST factors needs the program_office role"))
    records, issues = parse_ratings(form_table(values), factors=_factor_index(session))
    if issues:
        raise InvalidInput(issue_text(issues))
    result = ImportResult()
    _store_ratings(session, records, result, actor=actor, source=source)
    return finish(session, result)


def delete_rating(session: Session, *, actor: Principal, source: str, rating_id: int) -> None:
    require(can_run_programme(actor), N_("deleting PEST ratings needs the program_office role"))
    rating = session.get(PestRating, rating_id)
    if rating is None:
        raise NotFound(N_("no PEST rating {rating_id}"), rating_id=rating_id)
    remove(session, rating, actor=actor, source=source)
    finish(session, ImportResult(), deleted=1)


def update_factor(
    session: Session,
    *,
    actor: Principal,
    source: str,
    code: str,
    description: str | None,
    objectives: str | None,
) -> ImportResult:
    """Change a factor's description and its objective links (``C1; M001:P2``)."""
    require(can_run_programme(actor), N_("editing PEST factors needs the program_office role"))
    factor = session.exec(select(PestFactor).where(PestFactor.code == code)).first()
    if factor is None:
        raise NotFound(N_("no PEST factor {code!r}"), code=code)
    try:
        refs = parse_objective_refs(objectives, _member_index(session))
    except BadValue as exc:
        raise InvalidInput(N_("objectives: {problem}"), problem=exc.text) from exc
    result = ImportResult()
    upsert(
        session,
        factor,
        PestFactor,
        {"description": (description or "").strip() or None},
        result,
        actor=actor,
        source=source,
    )
    member_ids = {m.code: m.id for m in session.exec(select(Member)).all()}
    if (
        _relink(session, factor, refs, member_ids, actor=actor, source=source)
        and not result.updated
    ):
        result.unchanged, result.updated = 0, 1
    return finish(session, result)


def links_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """``factor, member_code, objective_key``: the links ``principal`` may see."""
    rows = session.exec(
        select(
            PestFactor.code, FactorObjective.member_id, Member.code, FactorObjective.objective_key
        )
        .join(PestFactor, col(PestFactor.id) == FactorObjective.factor_id)
        .outerjoin(Member, col(Member.id) == FactorObjective.member_id)
    ).all()
    visible = [
        {"factor": factor, "member_code": member_code, "objective_key": key}
        for factor, member_id, member_code, key in rows
        if member_id is None or can_read_member(principal, member_id)
    ]
    frame = pd.DataFrame(visible, columns=["factor", "member_code", "objective_key"])
    return frame.sort_values(
        ["factor", "member_code", "objective_key"], na_position="first", ignore_index=True
    )


def factors_frame(session: Session, *, principal: Principal) -> pd.DataFrame:
    """``code, category, name, name_zh, description, objectives`` (links joined ``C1; M001:P2``)."""
    links = links_frame(session, principal=principal)
    refs = links.assign(
        ref=[
            f"{member}:{key}" if isinstance(member, str) else key
            for member, key in zip(links["member_code"], links["objective_key"], strict=True)
        ]
    )
    joined = refs.groupby("factor")["ref"].agg("; ".join)
    factors = session.exec(select(PestFactor).order_by(PestFactor.category, PestFactor.code)).all()
    frame = pd.DataFrame(
        [
            {
                "code": f.code,
                "category": f.category,
                "name": f.name,
                "name_zh": f.name_zh,
                "description": f.description,
            }
            for f in factors
        ],
        columns=["code", "category", "name", "name_zh", "description"],
    )
    frame["objectives"] = frame["code"].map(joined).fillna("")
    return frame


def ratings_frame(session: Session) -> pd.DataFrame:
    """Every rating: ``id, factor, category, quarter, impact, likelihood, rater, note``."""
    rows = session.exec(
        select(PestRating, PestFactor.code, PestFactor.category).join(
            PestFactor, col(PestFactor.id) == PestRating.factor_id
        )
    ).all()
    frame = pd.DataFrame(
        [
            {
                "id": rating.id,
                "factor": code,
                "category": category,
                "quarter": quarter_label(rating.quarter_start),
                "impact": rating.impact,
                "likelihood": rating.likelihood,
                "rater": rating.rater,
                "note": rating.note,
            }
            for rating, code, category in rows
        ],
        columns=["id", "factor", "category", "quarter", "impact", "likelihood", "rater", "note"],
    )
    return frame.sort_values(["quarter", "factor", "rater"], ignore_index=True)


def objective_statuses(
    session: Session,
    *,
    principal: Principal,
    keys: Iterable[str] | None = None,
    score: Callable[..., Scorecard] = scorecard,
) -> pd.DataFrame:
    """``member_code, objective_key, title, status, score``: the objectives (of those ``keys``)
    in the published strategy maps of the active members ``principal`` may read, with their
    status in the latest scored month (``grey`` and no score when the scorecard has none).

    ``score`` computes a member's scorecard (the web app passes its cached one)."""
    wanted = None if keys is None else set(keys)
    rows = session.exec(
        select(Member.id, Member.code, Objective.key, Objective.title)
        .join(StrategyMap, col(StrategyMap.member_id) == Member.id)
        .join(Objective, col(Objective.map_id) == StrategyMap.id)
        .where(StrategyMap.status == "published", col(Member.active))
    ).all()
    frame = pd.DataFrame(
        [
            {"member_code": code, "objective_key": key, "title": title}
            for member_id, code, key, title in rows
            if member_id is not None
            and can_read_member(principal, member_id)
            and (wanted is None or key in wanted)
        ],
        columns=["member_code", "objective_key", "title"],
    )
    if frame.empty:
        return frame.assign(status=pd.Series(dtype=object), score=pd.Series(dtype=float))
    # Only the members whose maps hold these objectives are scored: scoring is per member.
    period = latest_period(session)
    scored = [
        score(session, principal=principal, member_code=code, period=period)
        .objectives[["key", "status", "score"]]
        .assign(member_code=code)
        for code in sorted(frame["member_code"].unique())
    ]
    statuses = pd.concat(scored, ignore_index=True).rename(columns={"key": "objective_key"})
    merged = frame.merge(statuses, on=["member_code", "objective_key"], how="left")
    return merged.assign(status=merged["status"].fillna("grey"))
