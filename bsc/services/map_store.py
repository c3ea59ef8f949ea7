"""Strategy-map versions in the database, as :class:`~strategy_maps.model.MapDocument` values.

Each version is a full copy: its own objectives (in document order), their KPIs (in list order,
with weights) and links (in document order, by id). ``member_id`` ``None`` is the programme
template. These helpers check no rights; :mod:`bsc.services.maps` does.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from bsc.models import KpiDefinition, Member, Objective, ObjectiveKpi, ObjectiveLink, StrategyMap
from strategy_maps.model import KpiRef, MapDocument, MapObjective

__all__ = [
    "of_member",
    "versions",
    "latest_version",
    "published_version",
    "find_version",
    "next_version_number",
    "read_version",
    "write_version",
    "kpi_ids",
    "published_maps",
]


def of_member(member_id: int | None) -> ColumnElement[bool]:
    """The filter for a member's versions (``None``: the programme template's)."""
    if member_id is None:
        return col(StrategyMap.member_id).is_(None)
    return col(StrategyMap.member_id) == member_id


def versions(session: Session, *, member_id: int | None) -> Sequence[StrategyMap]:
    """Every version, newest first."""
    query = select(StrategyMap).where(of_member(member_id))
    return session.exec(query.order_by(col(StrategyMap.version).desc())).all()


def latest_version(session: Session, *, member_id: int | None) -> StrategyMap | None:
    query = select(StrategyMap).where(of_member(member_id))
    return session.exec(query.order_by(col(StrategyMap.version).desc()).limit(1)).first()


def published_version(session: Session, *, member_id: int | None) -> StrategyMap | None:
    """The version in force: what scoring uses for a member."""
    query = select(StrategyMap).where(of_member(member_id), StrategyMap.status == "published")
    return session.exec(query).first()


def find_version(session: Session, *, member_id: int | None, version: int) -> StrategyMap | None:
    query = select(StrategyMap).where(of_member(member_id), StrategyMap.version == version)
    return session.exec(query).first()


def next_version_number(session: Session, *, member_id: int | None) -> int:
    query = select(func.max(StrategyMap.version)).where(of_member(member_id))
    return int(session.exec(query).one() or 0) + 1


def read_version(session: Session, row: StrategyMap, *, member_code: str | None) -> MapDocument:
    """The document a stored version holds."""
    objectives = session.exec(
        select(Objective)
        .where(Objective.map_id == row.id)
        .order_by(col(Objective.position), col(Objective.id))
    ).all()
    ids = [o.id for o in objectives]
    kpis: dict[int, list[KpiRef]] = {}
    for link, code in session.exec(
        select(ObjectiveKpi, KpiDefinition.code)
        .join(KpiDefinition, col(KpiDefinition.id) == ObjectiveKpi.kpi_id)
        .where(col(ObjectiveKpi.objective_id).in_(ids))
        .order_by(col(ObjectiveKpi.objective_id), col(ObjectiveKpi.position))
    ).all():
        kpis.setdefault(link.objective_id, []).append(KpiRef(code, link.weight))
    keys = {o.id: o.key for o in objectives}
    links = session.exec(
        select(ObjectiveLink).where(ObjectiveLink.map_id == row.id).order_by(col(ObjectiveLink.id))
    ).all()
    return MapDocument(
        name=row.name,
        member=member_code,
        objectives=tuple(
            MapObjective(
                key=o.key,
                perspective=o.perspective,
                title=o.title,
                title_zh=o.title_zh,
                description=o.description,
                kpis=tuple(kpis.get(o.id, [])) if o.id is not None else (),
                template_key=o.template_key,
            )
            for o in objectives
        ),
        links=tuple((keys[link.cause_id], keys[link.effect_id]) for link in links),
    )


def write_version(
    session: Session,
    document: MapDocument,
    *,
    member_id: int | None,
    kpi_id_of: dict[str, int],
    created_by: int | None,
    note: str | None,
) -> StrategyMap:
    """Store ``document`` (already validated: no errors) as the member's next draft version."""
    row = StrategyMap(
        member_id=member_id,
        name=document.name,
        version=next_version_number(session, member_id=member_id),
        status="draft",
        note=note,
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    ids: dict[str, int] = {}
    for position, objective in enumerate(document.objectives):
        stored = Objective(
            map_id=row.id,
            key=objective.key,
            perspective=objective.perspective,
            title=objective.title,
            title_zh=objective.title_zh,
            description=objective.description,
            template_key=objective.template_key,
            position=position,
        )
        session.add(stored)
        session.flush()
        assert stored.id is not None
        ids[objective.key] = stored.id
        session.add_all(
            ObjectiveKpi(
                objective_id=stored.id, kpi_id=kpi_id_of[ref.code], weight=ref.weight, position=i
            )
            for i, ref in enumerate(objective.kpis)
        )
    for cause, effect in document.links:
        session.add(ObjectiveLink(map_id=row.id, cause_id=ids[cause], effect_id=ids[effect]))
        session.flush()  # one at a time, so that ids follow the document's order
    return row


def kpi_ids(session: Session, *, member_id: int | None) -> dict[str, int]:
    """KPI code → id for what a map may use: programme-wide KPIs and the member's own."""
    query = select(KpiDefinition.code, KpiDefinition.id)
    owner = col(KpiDefinition.member_id)
    query = query.where(
        owner.is_(None) if member_id is None else owner.is_(None) | (owner == member_id)
    )
    return {code: kpi_id for code, kpi_id in session.exec(query).all() if kpi_id is not None}


def published_maps(session: Session) -> dict[str, tuple[StrategyMap, MapDocument]]:
    """Member code → its published version and document, for every member that has one."""
    rows = session.exec(
        select(StrategyMap, Member.code)
        .join(Member, col(Member.id) == StrategyMap.member_id)
        .where(StrategyMap.status == "published")
        .order_by(col(Member.code))
    ).all()
    return {code: (row, read_version(session, row, member_code=code)) for row, code in rows}
