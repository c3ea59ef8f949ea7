"""Hostile text for the untrusted-content tests: HTML, script and spreadsheet formulas placed in
every name a user can type or upload (members, KPIs, objectives, file names)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from bsc.authz import OPERATOR
from bsc.db import session_scope
from bsc.models import KpiDefinition, Member
from bsc.services.ingest import ingest_feed
from bsc.services.maps import import_map
from bsc.versioning import MAPS, MEASUREMENTS, PROGRAMME, bump
from tests.conftest import DEMO

MEMBER_NAME = "<script>alert('member')</script>Formosa"
PEER_NAME = "<img src=x onerror=alert('peer')>Keelung"
KPI_NAME = '=HYPERLINK("http://evil.example","cost")<b>saving</b>'
OBJECTIVE_TITLE = "<img src=x onerror=alert('objective')>Lower cost"
FILE_NAME = "<img src=x onerror=alert('file')>../../etc/passwd.csv"


def plant(engine: Engine) -> None:
    """Put the hostile text into a database that holds the demo data."""
    with session_scope(engine) as session:
        for code, name in (("M001", MEMBER_NAME), ("M002", PEER_NAME)):
            member = session.exec(select(Member).where(Member.code == code)).one()
            member.name = name
            session.add(member)
        kpi = session.exec(select(KpiDefinition).where(KpiDefinition.code == "OPEX_SAVING")).one()
        kpi.name = KPI_NAME
        session.add(kpi)
        bump(session, PROGRAMME)
        bump(session, MEASUREMENTS)
    source = (DEMO / "maps" / "M001.yaml").read_text(encoding="utf-8")
    source = source.replace("title: Lower back-office cost", f'title: "{OBJECTIVE_TITLE}"')
    with session_scope(engine) as session:
        result = import_map(
            session, source.encode(), "M001.yaml", actor=OPERATOR, source="cli", publish=True
        )
        assert not result.rejected, result.issues
        bump(session, MAPS)
    feed = Path(DEMO / "measurements" / "M001_monthly.csv").read_bytes()
    with session_scope(engine) as session:
        report = ingest_feed(
            session,
            data=feed.replace(b'"509,036"', b'"509,037"'),
            filename=FILE_NAME,
            actor=OPERATOR,
            source="web",
            member_code="M001",
        )
        assert report.status == "applied", report.issues
