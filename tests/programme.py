"""Test helpers for the programme office: the demo programme files loaded through the services,
and principals for each role."""

from __future__ import annotations

from sqlmodel import Session, select

from bsc.authz import OPERATOR, Principal
from bsc.models import Member, Role
from bsc.services import pest, rollout, survey, vendors
from bsc.services.catalogue import import_members
from bsc.services.results import ImportResult
from tests.conftest import DEMO

#: The demo files of the programme office, in the order they depend on each other.
FILES = [
    ("members.csv", import_members),
    ("waves.csv", rollout.import_waves),
    ("rollout.csv", rollout.import_stages),
    ("pest_factors.csv", pest.import_factors),
    ("pest_ratings.csv", pest.import_ratings),
    ("survey_items.csv", survey.import_items),
    ("survey_responses.csv", survey.import_responses),
    ("vendor_criteria.csv", vendors.import_criteria),
    ("vendor_scores.csv", vendors.import_scores),
    ("vendor_decision.csv", vendors.import_decision),
]
EXECUTIVE = Principal("exec", Role.EXECUTIVE)


def load(session: Session, *, upto: str | None = None) -> dict[str, ImportResult]:
    """Import the demo files (all, or up to and including ``upto``) as the operator."""
    results = {}
    for name, importer in FILES:
        results[name] = importer(
            session, (DEMO / name).read_bytes(), name, actor=OPERATOR, source="cli"
        )
        assert not results[name].rejected, (name, results[name].issues[:3])
        if name == upto:
            break
    session.flush()
    return results


def member_principal(session: Session, code: str = "M001") -> Principal:
    member = session.exec(select(Member).where(Member.code == code)).one()
    return Principal(code.lower(), Role.MEMBER, member_id=member.id, member_code=code)
