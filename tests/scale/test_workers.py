"""Several processes on one PostgreSQL database behave as one service."""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bsc import migrate
from bsc.db import make_engine, session_scope
from tests import factories
from tests.conftest import POSTGRES_URL
from tests.scale.conftest import bsc_process

pytestmark = pytest.mark.postgres


def test_concurrent_starts_migrate_once(empty_postgres_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": empty_postgres_url, "BSC_HOME": str(tmp_path)}
    processes = [
        bsc_process(["init"], env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
    engine = make_engine(empty_postgres_url)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.schema_differences(engine) == []
    engine.dispose()


def test_servers_started_together_with_migrate_upgrade_once_and_serve(empty_postgres_url, serve):
    with ThreadPoolExecutor(3) as pool:
        bases = list(
            pool.map(lambda _: serve(empty_postgres_url, options=("--migrate",)), range(3))
        )
    assert all(httpx.get(base + "/login").status_code == 200 for base in bases)
    engine = make_engine(empty_postgres_url)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.schema_differences(engine) == []
    engine.dispose()


def _sign_in(client: httpx.Client, base: str, username: str) -> None:
    page = client.get(base + "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        base + "/login",
        data={"username": username, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, response.text


def test_a_session_started_on_one_server_is_served_by_another(empty_postgres_url, serve):
    engine = make_engine(empty_postgres_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        factories.standard_programme(session)
    engine.dispose()
    first = serve(empty_postgres_url, workers=2)
    second = serve(empty_postgres_url, workers=2)
    with httpx.Client(timeout=30) as client:
        _sign_in(client, first, "exec")
        cookies = dict(client.cookies)
    with httpx.Client(timeout=30, cookies=cookies) as other:
        layouts = [other.get(second + "/_dash-layout") for _ in range(6)]
        assert {response.status_code for response in layouts} == {200}
        assert all("exec" in response.text for response in layouts)
        with ThreadPoolExecutor(4) as pool:
            pages = list(pool.map(lambda _: other.get(second + "/").status_code, range(8)))
        assert pages == [200] * 8


def test_the_server_survives_the_database_going_away_and_coming_back(empty_postgres_url, serve):
    engine = make_engine(empty_postgres_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        factories.standard_programme(session)
    engine.dispose()
    base = serve(empty_postgres_url, workers=1)
    name = make_url(empty_postgres_url).database
    admin = make_engine(POSTGRES_URL)
    with httpx.Client(timeout=30) as client:
        _sign_in(client, base, "exec")
        assert client.get(base + "/_dash-layout").status_code == 200
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
                ),
                {"name": name},
            )
            down = client.get(base + "/_dash-layout")
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        assert down.status_code == 503
        assert "not reachable" in down.json()["error"] and "Traceback" not in down.text
        recovered = client.get(base + "/_dash-layout")
        assert recovered.status_code == 200 and "exec" in recovered.text
    admin.dispose()
