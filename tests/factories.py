"""Small factories for test data: a row with sensible defaults, overridable by keyword."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bsc.models import KpiDefinition, Member, Role, User
from bsc.security import hash_password

PASSWORD = "correct-horse-battery"
_HASH = hash_password(PASSWORD)


def member(session: Session, code: str = "M001", **values: Any) -> Member:
    row = Member(
        code=code,
        name=values.pop("name", f"Member {code}"),
        segment=values.pop("segment", "broker"),
        region=values.pop("region", "north"),
        capital_structure=values.pop("capital_structure", "private"),
        **values,
    )
    session.add(row)
    session.flush()
    return row


def user(
    session: Session, username: str, role: Role, member: Member | None = None, **values: Any
) -> User:
    row = User(
        username=username,
        password_hash=_HASH,
        role=role.value,
        member_id=member.id if member else None,
        **values,
    )
    session.add(row)
    session.flush()
    return row


def kpi(session: Session, code: str = "RECON_SAMEDAY", **values: Any) -> KpiDefinition:
    defaults: dict[str, Any] = {
        "name": code.replace("_", " ").title(),
        "unit": "%",
        "polarity": "higher_is_better",
        "target": 99.0,
        "amber": 95.0,
        "floor": 80.0,
        "frequency": "monthly",
        "aggregation": "mean",
        "perspective": "customer",
    }
    defaults.update(values)
    row = KpiDefinition(code=code, **defaults)
    session.add(row)
    session.flush()
    return row


def standard_programme(session: Session) -> dict[str, Any]:
    """Members M001 and M002 and one user per role (``exec``, ``office``, ``m001``, ``m002``)."""
    m1 = member(session, "M001", name="Formosa Securities", name_zh="福爾摩沙證券")
    m2 = member(session, "M002", name="Keelung Commercial Bank", segment="bank")
    return {
        "members": (m1, m2),
        "exec": user(session, "exec", Role.EXECUTIVE),
        "office": user(session, "office", Role.PROGRAM_OFFICE, is_admin=True),
        "m001": user(session, "m001", Role.MEMBER, m1),
        "m002": user(session, "m002", Role.MEMBER, m2),
    }


def demo_catalogue(session: Session) -> None:
    """The demo's programme KPI catalogue (13 KPIs), through the real importer."""
    from bsc.authz import OPERATOR
    from bsc.services.catalogue import import_kpis
    from tests.conftest import DEMO

    result = import_kpis(
        session, (DEMO / "kpis.csv").read_bytes(), "kpis.csv", actor=OPERATOR, source="cli"
    )
    assert not result.rejected, result.issues


def demo_map(session: Session, name: str, *, publish: bool = True) -> None:
    """A demo strategy map (``template``, ``M001`` … ``M003``) imported through the service."""
    from bsc.authz import OPERATOR
    from bsc.services.maps import import_map
    from tests.conftest import DEMO

    path = DEMO / "maps" / f"{name}.yaml"
    result = import_map(
        session, path.read_bytes(), path.name, actor=OPERATOR, source="cli", publish=publish
    )
    assert not result.rejected, [issue.message for issue in result.issues]


def sample_catalogue(session: Session) -> None:
    """The members and KPIs of ``tests/fixtures/samples/catalogue``, imported as the CLI would."""
    from pathlib import Path

    from bsc.authz import OPERATOR
    from bsc.services.catalogue import import_kpis, import_members

    folder = Path(__file__).parent / "fixtures" / "samples" / "catalogue"
    for importer, name in ((import_members, "members.csv"), (import_kpis, "kpis.csv")):
        result = importer(session, (folder / name).read_bytes(), name, actor=OPERATOR, source="cli")
        assert not result.rejected, result.issues
