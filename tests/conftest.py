"""Shared fixtures: databases on SQLite and PostgreSQL, settings, the app, signed-in clients."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from bsc import i18n, migrate
from bsc.db import make_engine, session_scope
from bsc.models import metadata
from bsc.settings import Settings
from tests import factories

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"
DEMO = Path(__file__).parents[1] / "data" / "demo"
POSTGRES_URL = os.environ.get(
    "BSC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("BSC_REQUIRE_POSTGRES") == "1"
REDIS_URL = os.environ.get("BSC_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("BSC_REQUIRE_REDIS") == "1"


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """An app made with BSC_LANGUAGE=zh-TW makes Chinese the process's default language; the
    next test in the same worker starts in English again, whichever test ran before."""
    yield
    i18n.set_default_language("en")


# --------------------------------------------------------------------------- SQLite


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "bsc.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def two_member_demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the demo data, only M001 and M002 active, and a user per role
    (``tests.demo_data.load_two_member_demo``); copy it before writing to it."""
    from tests.demo_data import load_two_member_demo

    path = tmp_path_factory.mktemp("two-member-demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_two_member_demo(engine)
    engine.dispose()
    return path


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """A database of our own on the test server, created for this run and dropped after."""
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means "no server here"
        admin.dispose()
        message = f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.__class__.__name__}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (BSC_REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    name = f"bsc_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    yield postgres_server_url
    engine = make_engine(postgres_server_url)
    truncate_all(engine)
    engine.dispose()


# --------------------------------------------------------------------------- Redis


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the test Redis; its keys are deleted after."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {REDIS_URL}: {exc.__class__.__name__}"
        if REQUIRE_REDIS:
            pytest.fail(message + " (BSC_REQUIRE_REDIS=1)")
        pytest.skip(message)
    prefix = f"bsc-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    for key in connection.scan_iter(f"{prefix}*", count=1000):
        connection.delete(key)
    connection.close()


# --------------------------------------------------------------------------- either


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated database: each test using it runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(home=tmp_path / "home", database_url=db_url, secret_key="test-secret-key")


# --------------------------------------------------------------------------- web app


class SignedIn:
    """A Flask test client signed in as one user."""

    def __init__(self, client, username: str) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.username = username

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.client, name)


def csrf_token(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert found, "the sign-in page has no CSRF token"
    return found.group(1)


def sign_in(client, username: str, password: str = factories.PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
    )


@pytest.fixture
def web_settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return Settings(home=tmp_path / "home", database_url=sqlite_url, secret_key="test-secret-key")


@pytest.fixture
def populated(web_settings: Settings) -> Settings:
    """Two members (M001, M002) and one user per role: exec, office (admin), m001, m002."""
    engine = make_engine(web_settings.sqlalchemy_url)
    with session_scope(engine) as db:
        factories.standard_programme(db)
    engine.dispose()
    return web_settings


@pytest.fixture
def app(populated: Settings):  # type: ignore[no-untyped-def]
    from dashboard import create_app

    return create_app(populated)


@pytest.fixture
def client_for(app):  # type: ignore[no-untyped-def]
    def make(username: str | None) -> SignedIn:
        client = app.server.test_client()
        if username:
            response = sign_in(client, username)
            assert response.status_code == 302, response.get_data(as_text=True)
        return SignedIn(client, username or "anonymous")

    return make


@contextmanager
def as_user(app, username: str, path: str = "/"):  # type: ignore[no-untyped-def]
    """A request context for ``path`` in which ``username`` is signed in: for calling layouts
    and callbacks as plain functions."""
    from flask_login import login_user
    from sqlmodel import select

    from bsc.models import User
    from bsc.services.users import principal_for
    from dashboard.auth import SessionUser
    from dashboard.state import read_session

    with app.server.test_request_context(path):
        with read_session() as session:
            user = session.exec(select(User).where(User.username == username)).one()
            login_user(SessionUser(principal_for(session, user)))
        yield


def page_module(name: str):  # type: ignore[no-untyped-def]
    """A page module as the running app loaded it (Dash imports pages when an app is created)."""
    import sys

    return sys.modules[f"dashboard.pages.{name}"]
