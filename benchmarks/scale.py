"""Benchmark: the product scaled out on PostgreSQL and Redis (DESIGN.md §9).

Run ``python benchmarks/scale.py`` (a few minutes). It prints one JSON object with, measured in
the same run on this machine:

* **overview**: requests per second of the overview callback served by ``bsc serve`` (gunicorn)
  with 1, 2 and 4 workers on PostgreSQL, the cache on Redis, ``CLIENTS`` signed-in clients
  calling it back to back for ``SECONDS`` s — with the cache warm (every answer from Redis), and
  cold (each call preceded by a new data version, as after an upload, so each one is computed);
  the three servers run side by side and are measured in turn, ``ROUNDS`` times, the median
  reported; the baseline is the 1-worker figure of each;
* **ingest**: rows per second of applying one ``ROWS``-row feed through the background path
  (queued as a job, run by a ``bsc worker`` Celery process, finished when its row says so)
  against the direct path (the ingest service in the web process), same file, fresh database
  each.

PostgreSQL is ``BSC_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/
test``), Redis ``BSC_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``); the benchmark
creates and drops databases of its own and deletes its Redis keys. Everything runs on 127.0.0.1
and stops by itself.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get(
    "BSC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS = os.environ.get("BSC_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "benchmark-secret"
PASSWORD = "benchmark-password"
WORKERS = (1, 2, 4)
THREADS = 2
CLIENTS = 8
SECONDS = 8
ROUNDS = 3
ROWS = 200_000
MEMBERS, KPIS = 50, 20


# ---------------------------------------------------------------- databases and processes


@contextmanager
def database() -> Iterator[str]:
    """A new PostgreSQL database at the current schema, dropped after."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bsc import migrate
    from bsc.db import make_engine

    admin = make_engine(POSTGRES)
    name = f"bsc_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(url: str, home: Path, prefix: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "BSC_HOME": str(home),
        "BSC_SECRET_KEY": SECRET,
        "BSC_REDIS_URL": REDIS,
        "BSC_REDIS_PREFIX": prefix,
        "BSC_LOGIN_THROTTLING": "false",
        "BSC_MAX_UPLOAD_BYTES": str(200 * 1024 * 1024),
    }


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        child = subprocess.Popen(
            [sys.executable, "-m", "bsc", *args], env=env, stdout=output, stderr=output, cwd=ROOT
        )
        try:
            yield child
        finally:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("bsc serve exited before it served anything")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("bsc serve did not answer within two minutes")


def _delete_redis_keys(prefix: str) -> None:
    import redis

    connection = redis.Redis.from_url(REDIS)
    for key in connection.scan_iter(f"{prefix}*", count=1000):
        connection.delete(key)
    connection.close()


# ---------------------------------------------------------------- ingest: background vs direct


def write_feed(path: Path, rows: int) -> None:
    """A long CSV of MEMBERS × KPIS monthly series, as many months as ``rows`` needs."""
    months = -(-rows // (MEMBERS * KPIS))
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("member_code,kpi_code,period,value\n")
        for member in range(MEMBERS):
            for kpi in range(KPIS):
                count = min(months, rows - written)
                handle.writelines(
                    f"M{member:03d},KPI_{kpi:02d},{1900 + m // 12}-{m % 12 + 1:02d},"
                    f"{(member * 7 + kpi * 3 + m) % 1000}.5\n"
                    for m in range(count)
                )
                written += count


def _catalogue(url: str) -> Any:
    """MEMBERS members, KPIS monthly KPIs and a program office user; returns its principal."""
    from bsc.db import make_engine, session_scope
    from bsc.models import KpiDefinition, Member, Role, User
    from bsc.security import hash_password
    from bsc.services.users import principal_for

    engine = make_engine(url)
    with session_scope(engine) as session:
        session.add_all(
            Member(
                code=f"M{m:03d}",
                name=f"Member {m}",
                segment="broker",
                region="north",
                capital_structure="private",
            )
            for m in range(MEMBERS)
        )
        session.add_all(
            KpiDefinition(
                code=f"KPI_{k:02d}",
                name=f"KPI {k}",
                polarity="higher_is_better",
                target=900,
                amber=500,
                floor=0,
                frequency="monthly",
                aggregation="mean",
                perspective="process",
            )
            for k in range(KPIS)
        )
        user = User(
            username="office",
            password_hash=hash_password(PASSWORD),
            role=Role.PROGRAM_OFFICE.value,
        )
        session.add(user)
        session.flush()
        principal = principal_for(session, user)
    engine.dispose()
    return principal


def ingest_direct(feed: Path) -> dict[str, float]:
    from bsc.db import make_engine, session_scope
    from bsc.services.ingest import ingest_feed
    from kpi.reading import Limits

    with database() as url:
        actor = _catalogue(url)
        engine = make_engine(url)
        started = time.perf_counter()
        with session_scope(engine) as session:
            report = ingest_feed(
                session,
                data=feed.read_bytes(),
                filename=feed.name,
                actor=actor,
                source="web",
                limits=Limits(max_bytes=10**9, max_rows=10**8),
            )
        seconds = time.perf_counter() - started
        engine.dispose()
    assert report.applied == ROWS, report.issues[:3]
    return {"seconds": round(seconds, 2), "rows_per_second": round(ROWS / seconds)}


def ingest_background(feed: Path, folder: Path) -> dict[str, float]:
    """Submit as the Upload page does, hand the ticket to Celery as Dash does, wait for the row."""
    from bsc.db import make_engine, session_scope
    from bsc.models import Job
    from bsc.services.ingest_jobs import submit_ingest
    from bsc.services.jobs import ticket_for
    from bsc.settings import Settings
    from dashboard import create_app

    prefix = f"bsc-bench-{uuid.uuid4().hex[:8]}"
    with database() as url:
        actor = _catalogue(url)
        env = _environment(url, folder / "home", prefix)
        settings = Settings(
            home=folder / "home",
            database_url=url,
            secret_key=SECRET,
            redis_url=REDIS,
            redis_prefix=prefix,
        )
        manager = create_app(settings)._background_manager
        key = next(k for k, fn, _ in manager.functions if fn.__name__ == "run_in_background")
        engine = make_engine(url)

        def run(data: bytes, name: str) -> tuple[float, float]:
            started = time.perf_counter()
            with session_scope(engine) as session:
                job = submit_ingest(session, actor=actor, data=data, filename=name)
            ticket = {"job": job.id, "ticket": ticket_for(job.id, secret=SECRET)}
            manager.call_job_fn(f"{prefix}-{job.id}", manager.func_registry[key], [ticket], {})
            while True:
                with session_scope(engine, write=False) as session:
                    row = session.get(Job, job.id)
                    assert row is not None
                    if row.status not in ("queued", "running"):
                        break
                time.sleep(0.02)
            assert row.status == "done" and row.result, (row.status, row.message)
            assert row.started_at is not None and row.finished_at is not None
            in_worker = (row.finished_at - row.started_at).total_seconds()
            return time.perf_counter() - started, in_worker

        with process(["worker", "--concurrency", "1"], env, folder / "worker.log"):
            # One-row jobs first: the first waits for the worker to start, the second measures
            # what the queue adds to any job.
            one_row = b"member_code,kpi_code,period,value\nM000,KPI_00,1800-01,1\n"
            run(one_row, "start.csv")
            latency, _ = run(one_row.replace(b",1\n", b",2\n"), "one.csv")
            seconds, in_worker = run(feed.read_bytes(), feed.name)
        engine.dispose()
    _delete_redis_keys(prefix)
    return {
        "seconds": round(seconds, 2),
        "rows_per_second": round(ROWS / seconds),
        "seconds_in_the_worker": round(in_worker, 2),
        "one_row_job_seconds": round(latency, 3),
    }


# ---------------------------------------------------------------- overview requests per second


def _signed_in(base: str) -> httpx.Client:
    client = httpx.Client(timeout=120)
    page = client.get(base + "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, f"no CSRF token on the sign-in page: {page.status_code} {page.text[:300]}"
    answer = client.post(
        base + "/login",
        data={"username": "office", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 302, f"sign-in failed: {answer.status_code}"
    client.get(base + "/_dash-layout")  # sets the CSRF cookie the callbacks need
    client.headers["X-CSRFToken"] = client.cookies["_csrf_token"]
    return client


def _identifier(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _overview_request(client: httpx.Client, base: str, period: str) -> dict[str, Any]:
    """The body the renderer posts for the overview callback when its wave filter changes."""
    for dependency in client.get(base + "/_dash-dependencies").json():
        inputs = dependency["inputs"]
        if any(item["id"] == "overview-wave" for item in inputs):
            outputs = [part.rsplit(".", 1) for part in dependency["output"].strip(".").split("...")]
            return {
                "output": dependency["output"],
                "outputs": [{"id": _identifier(i), "property": p} for i, p in outputs],
                "inputs": [
                    {"id": _identifier(item["id"]), "property": item["property"], "value": value}
                    for item, value in zip(inputs, [period, None, None], strict=True)
                ],
                "changedPropIds": [f"{inputs[1]['id']}.{inputs[1]['property']}"],
                "state": [],
            }
    raise RuntimeError("the app has no overview callback")


def _requests_per_second(base: str, url: str, period: str, *, cold: bool) -> float:
    from sqlalchemy import text

    from bsc.db import make_engine

    clients = [_signed_in(base) for _ in range(CLIENTS)]
    body = _overview_request(clients[0], base, period)
    engine = make_engine(url, pool_size=CLIENTS)
    for client in clients:  # every worker computes its first answer outside the timing
        assert client.post(base + "/_dash-update-component", json=body).status_code == 200
    counts = [0] * CLIENTS
    deadline = time.monotonic() + SECONDS

    def run(index: int) -> None:
        client = clients[index]
        while time.monotonic() < deadline:
            if cold:  # what an upload does to every cached answer: a new data version
                with engine.begin() as connection:
                    connection.execute(
                        text(
                            "UPDATE data_version SET version = version + 1 "
                            "WHERE scope = 'measurements'"
                        )
                    )
            answer = client.post(base + "/_dash-update-component", json=body)
            assert answer.status_code == 200, answer.text[:300]
            counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    for client in clients:
        client.close()
    engine.dispose()
    return round(sum(counts) / elapsed, 1)


def overview(folder: Path) -> dict[str, Any]:
    from rich.console import Console

    from bsc.db import make_engine, session_scope
    from bsc.services.demo import default_demo_folder, ensure_demo_users, load_demo
    from bsc.services.scorecard import latest_period

    with database() as url:
        engine = make_engine(url)
        # Its progress bars go to stderr: stdout carries only the JSON.
        load_demo(engine, default_demo_folder(), console=Console(stderr=True))
        with session_scope(engine) as session:
            ensure_demo_users(session, {"exec": PASSWORD, "office": PASSWORD, "m001": PASSWORD})
        with session_scope(engine, write=False) as session:
            period = latest_period(session)
        engine.dispose()
        prefixes = {workers: f"bsc-bench-{uuid.uuid4().hex[:8]}" for workers in WORKERS}
        with ExitStack() as servers:
            bases = {}
            for workers in WORKERS:
                port = _free_port()
                bases[workers] = f"http://127.0.0.1:{port}"
                args = ["serve", "--port", str(port), "--workers", str(workers)]
                args += ["--threads", str(THREADS)]
                env = _environment(url, folder / "home", prefixes[workers])
                log = folder / f"serve-{workers}.log"
                _wait_until_up(bases[workers], servers.enter_context(process(args, env, log)))
            # Rounds of every configuration in turn, so that whatever else the machine does
            # weighs on all of them alike; the median of the rounds is reported.
            measured: dict[int, dict[str, list[float]]] = {
                workers: {"warm": [], "cold": []} for workers in WORKERS
            }
            for _round in range(ROUNDS):
                for workers in WORKERS:
                    for kind in ("warm", "cold"):
                        measured[workers][kind].append(
                            _requests_per_second(bases[workers], url, period, cold=kind == "cold")
                        )
        for prefix in prefixes.values():
            _delete_redis_keys(prefix)
    return {
        str(workers): {kind: statistics.median(values) for kind, values in kinds.items()}
        for workers, kinds in measured.items()
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        feed = folder / "feed.csv"
        write_feed(feed, ROWS)
        rps = overview(folder)
        direct = ingest_direct(feed)
        background = ingest_background(feed, folder)
    print(
        json.dumps(
            {
                "benchmark": "scale_out",
                "machine_cores": os.cpu_count(),
                "overview_requests_per_second": {
                    "server": f"bsc serve: gunicorn, N workers × {THREADS} threads, PostgreSQL, "
                    "cache on Redis",
                    "clients": CLIENTS,
                    "seconds_each": SECONDS,
                    "rounds_median_of": ROUNDS,
                    "by_workers": rps,
                    "baseline_1_worker": rps["1"],
                    "speed_up_2_workers": {
                        kind: round(rps["2"][kind] / rps["1"][kind], 2) for kind in ("warm", "cold")
                    },
                    "speed_up_4_workers": {
                        kind: round(rps["4"][kind] / rps["1"][kind], 2) for kind in ("warm", "cold")
                    },
                },
                "ingest": {
                    "rows": ROWS,
                    "database": "PostgreSQL",
                    "background_celery": background,
                    "baseline_direct": direct,
                    "background_over_direct": round(background["seconds"] / direct["seconds"], 2),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
