"""The whole demo dataset for scorecard pages and browser tests.

Everything goes through the product's own demo loader (``bsc.services.demo.load_demo``): the
importers, the ingest service with its uploads, the strategy maps (published) and the programme
office's files (rollout plan, PEST ratings, survey, vendors).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from bsc.services.demo import load_demo

DEMO = Path(__file__).parents[1] / "data" / "demo"


def load_demo_data(engine: Engine) -> None:
    """The demo through the product's loader."""
    load_demo(engine, DEMO)


def load_two_member_demo(engine: Engine) -> None:
    """The demo with only M001 and M002 still active (the others stay, inactive: a book must
    not name them either), and users ``exec``, ``office`` (admin), ``m001`` and ``m002``."""
    from sqlmodel import select

    from bsc.db import session_scope
    from bsc.models import Member, Role
    from bsc.versioning import PROGRAMME, bump
    from tests import factories

    load_demo_data(engine)
    with session_scope(engine) as session:
        members = {m.code: m for m in session.exec(select(Member)).all()}
        for code, member in members.items():
            if code not in ("M001", "M002"):
                member.active = False
                session.add(member)
        bump(session, PROGRAMME)
        factories.user(session, "exec", Role.EXECUTIVE)
        factories.user(session, "office", Role.PROGRAM_OFFICE, is_admin=True)
        factories.user(session, "m001", Role.MEMBER, members["M001"])
        factories.user(session, "m002", Role.MEMBER, members["M002"])
