"""The demo programme with scores and published strategy maps, for the map pages' tests.

Built once per test session into an SQLite file through the demo loader (members, catalogue,
measurements and the published maps of ``data/demo``), plus one user per role; each test gets a
copy. Test modules
import ``populated`` to serve it through the ``app`` fixture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.models import Member, Role
from bsc.repo import get_member
from bsc.services.demo import default_demo_folder, load_demo
from bsc.settings import Settings
from tests import factories

__all__ = ["demo_maps_template", "populated"]


@pytest.fixture(scope="session")
def demo_maps_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("maps") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_demo(engine, default_demo_folder())
    with session_scope(engine) as session:
        m001: Member = get_member(session, code="M001")
        m002: Member = get_member(session, code="M002")
        factories.user(session, "exec", Role.EXECUTIVE)
        factories.user(session, "office", Role.PROGRAM_OFFICE, is_admin=True)
        factories.user(session, "m001", Role.MEMBER, m001)
        factories.user(session, "m002", Role.MEMBER, m002)
    engine.dispose()
    return path


@pytest.fixture
def populated(demo_maps_template: Path, tmp_path: Path) -> Settings:
    """Overrides the shared fixture: the demo programme with published maps and scores."""
    path = tmp_path / "bsc.db"
    shutil.copy(demo_maps_template, path)
    return Settings(
        home=tmp_path / "home", database_url=f"sqlite:///{path}", secret_key="test-secret-key"
    )
