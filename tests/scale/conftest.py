"""Fixtures for multi-process tests: fresh PostgreSQL databases, running gunicorn servers and
Celery workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bsc.db import make_engine
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES

ROOT = Path(__file__).parents[2]


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema), dropped after the test."""
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means "no server here"
        admin.dispose()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    name = f"bsc_scale_{uuid.uuid4().hex[:10]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bsc_process(args: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:  # type: ignore[type-arg, no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "bsc", *args], cwd=ROOT, env=env, **kwargs)


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up within {timeout} s")


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start ``bsc serve`` (gunicorn) on a free port; returns its base URL; stopped after."""
    processes: list[subprocess.Popen] = []  # type: ignore[type-arg]
    logs = []

    def start(
        database_url: str,
        *,
        workers: int = 1,
        extra_env: dict[str, str] | None = None,
        options: tuple[str, ...] = (),
    ) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BSC_HOME": str(tmp_path / "home"),
            "BSC_SECRET_KEY": SHARED_SECRET,
            **(extra_env or {}),
        }
        log = (tmp_path / f"serve-{port}.log").open("w")
        logs.append(log)
        processes.append(
            bsc_process(
                ["serve", "--port", str(port), "--workers", str(workers), *options],
                env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url)
        return url

    yield start
    _stop(processes)
    for log in logs:
        log.close()


SHARED_SECRET = "shared-secret-for-all-workers"


def _stop(processes: list[subprocess.Popen]) -> None:  # type: ignore[type-arg]
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def celery_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:  # type: ignore[type-arg]
    """Start ``bsc worker`` for a database and Redis prefix; stopped (warm shutdown) after."""
    processes: list[subprocess.Popen] = []  # type: ignore[type-arg]
    logs = []

    def start(
        database_url: str, *, redis_url: str, redis_prefix: str, concurrency: int = 1
    ) -> subprocess.Popen:  # type: ignore[type-arg]
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BSC_HOME": str(tmp_path / "home"),
            "BSC_SECRET_KEY": SHARED_SECRET,
            "BSC_REDIS_URL": redis_url,
            "BSC_REDIS_PREFIX": redis_prefix,
        }
        log = (tmp_path / f"worker-{len(processes)}.log").open("w")
        logs.append(log)
        process = bsc_process(
            ["worker", "--concurrency", str(concurrency)], env, stdout=log, stderr=subprocess.STDOUT
        )
        processes.append(process)
        return process

    yield start
    _stop(processes)
    for log in logs:
        log.close()
