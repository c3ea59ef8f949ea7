"""Load test: 50 signed-in readers browse for 60 s while 4 members push KPI feeds.

Creates a PostgreSQL database of its own on the local server (``BSC_TEST_POSTGRES_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), loads the demo data through the product's
loader, starts the app under gunicorn on 127.0.0.1 (2 workers × 8 threads), then for
:data:`DURATION` seconds:

* :data:`READERS` users (35 executives, 15 member users) each sign in and loop over the
  overview, a scorecard and a strategy map: the page itself, then its layout through Dash's page
  router, as the browser asks for them; every few pages the health check, the baseline;
* :data:`UPLOADERS` member users (M001–M004) each push, through the REST API with their token,
  one new month of their monthly KPIs after another.

Then it reads every uploaded value back through the API and counts what is missing or different.
It prints one JSON object: requests, 5xx and other failures, p50/p95/p99 latency per kind of
request (``healthz`` is the baseline), uploads done, measurements expected and found. The server
is stopped and the database dropped at the end; every request goes to 127.0.0.1 only.

Run: ``python benchmarks/load_test.py`` (about two minutes).
"""

from __future__ import annotations

import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from support.serving import free_port, wait_until_up

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

DURATION = 60.0
READERS = 50
EXECUTIVES = 35
UPLOADERS = ("M001", "M002", "M003", "M004")
PASSWORD = "load-test-passphrase-1"
SERVER_URL = os.environ.get(
    "BSC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def served_app() -> Any:
    from dashboard import create_app

    return create_app().server


# --------------------------------------------------------------------------- database


def _create_database() -> tuple[str, str]:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bsc.db import make_engine

    name = f"bsc_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(SERVER_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _drop_database(name: str) -> None:
    from sqlalchemy import text

    from bsc.db import make_engine

    admin = make_engine(SERVER_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _prepare(url: str) -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    """Demo data, reader and uploader users; returns the uploaders' tokens, the readers and the
    monthly KPI codes."""
    from rich.console import Console
    from sqlmodel import select

    from bsc import migrate
    from bsc.authz import OPERATOR
    from bsc.db import make_engine, session_scope
    from bsc.models import Member, Role, User
    from bsc.security import hash_password
    from bsc.services.demo import default_demo_folder, load_demo
    from bsc.services.users import issue_token

    engine = make_engine(url)
    migrate.upgrade(engine)
    load_demo(engine, default_demo_folder(), console=Console(stderr=True))  # stdout: JSON
    digest = hash_password(PASSWORD)
    readers: list[tuple[str, str]] = []
    with session_scope(engine) as session:
        members = {m.code: m.id for m in session.exec(select(Member)).all()}
        viewed = sorted(code for code in members if code not in UPLOADERS)
        for number in range(READERS):
            username = f"reader{number:02d}"
            if number < EXECUTIVES:
                role, code = Role.EXECUTIVE, viewed[number % len(viewed)]
            else:
                role, code = Role.MEMBER, viewed[number % len(viewed)]
            session.add(
                User(
                    username=username,
                    password_hash=digest,
                    role=role.value,
                    member_id=members[code] if role is Role.MEMBER else None,
                )
            )
            readers.append((username, code))
        for code in UPLOADERS:
            session.add(
                User(
                    username=f"up-{code}",
                    password_hash=digest,
                    role=Role.MEMBER.value,
                    member_id=members[code],
                )
            )
        session.flush()
        tokens = {
            code: issue_token(session, username=f"up-{code}", actor=OPERATOR, source="cli")
            for code in UPLOADERS
        }
    engine.dispose()
    with open(default_demo_folder() / "kpis.csv", encoding="utf-8") as handle:
        kpis = [row["code"] for row in csv.DictReader(handle) if row["frequency"] == "monthly"]
    return tokens, readers, kpis


# --------------------------------------------------------------------------- clients


class Tally:
    """Latencies and outcomes per kind of request, shared by all client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.server_errors: list[str] = []
        self.failures: list[str] = []

    def time(
        self, kind: str, call: Any, *, ok: tuple[int, ...] = (200,)
    ) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = call()
        except requests.RequestException as error:
            with self.lock:
                self.failures.append(f"{kind}: {error.__class__.__name__}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(elapsed)
            if response.status_code >= 500:
                self.server_errors.append(f"{kind}: {response.status_code}")
            elif response.status_code not in ok:
                self.failures.append(f"{kind}: {response.status_code} {response.text[:120]}")
        return response


def _sign_in(base: str, username: str) -> requests.Session:
    client = requests.Session()
    page = client.get(base + "/login", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    answer = client.post(
        base + "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        timeout=60,
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"sign-in of {username} failed: {answer.status_code}"
    client.get(base + "/_dash-layout", timeout=120)  # sets the CSRF cookie callbacks send back
    client.headers["X-CSRFToken"] = client.cookies["_csrf_token"]
    return client


def _router_body(path: str) -> dict[str, Any]:
    """What the renderer posts to lay out ``path`` (Dash's page router callback)."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "state": [],
        "changedPropIds": ["_pages_location.pathname"],
    }


def _browse(base: str, client: requests.Session, code: str, tally: Tally, until: float) -> int:
    pages = (("overview", "/"), ("scorecard", f"/members/{code}"), ("map", f"/members/{code}/map"))
    turns = 0
    while time.monotonic() < until:
        for kind, path in pages:
            tally.time(kind, lambda path=path: client.get(base + path, timeout=120))
            tally.time(
                f"{kind}_layout",
                lambda path=path: client.post(
                    base + "/_dash-update-component",
                    json=_router_body(path),
                    headers={"Referer": base + path},
                    timeout=120,
                ),
            )
        turns += 1
        if turns % 3 == 0:
            tally.time("healthz", lambda: client.get(base + "/healthz", timeout=120))
    return turns


def _upload(
    base: str, code: str, token: str, kpis: list[str], tally: Tally, until: float
) -> dict[tuple[str, str], float]:
    """New months of ``code``'s monthly KPIs, one upload after another; what was applied."""
    sent: dict[tuple[str, str], float] = {}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    month = 0
    while time.monotonic() < until:
        period = f"{2030 + month // 12}-{month % 12 + 1:02d}"
        rows = {(kpi, period): float(month * 100 + index + 1) for index, kpi in enumerate(kpis)}
        body = "kpi,period,value\n" + "".join(f"{k},{p},{v}\n" for (k, p), v in rows.items())
        response = tally.time(
            "upload",
            lambda body=body: requests.post(
                f"{base}/api/v1/members/{code}/measurements",
                data=body.encode(),
                headers=headers,
                timeout=120,
            ),
            ok=(201,),
        )
        if response is not None and response.status_code == 201:
            sent.update(rows)
        month += 1
    return sent


def _found(base: str, code: str, token: str) -> dict[tuple[str, str], float]:
    answer = requests.get(
        f"{base}/api/v1/members/{code}/measurements",
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    answer.raise_for_status()
    rows = answer.json()
    return {
        (row["kpi_code"], str(row["period"])[:7]): float(row["value"])
        for row in rows
        if str(row["period"]) >= "2030"
    }


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)

    def at(share: float) -> float:
        return round(ordered[int(share * (len(ordered) - 1))] * 1000, 1)

    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
    }


# --------------------------------------------------------------------------- run


def _load(
    base: str, tokens: dict[str, str], readers: list[tuple[str, str]], kpis: list[str]
) -> dict[str, Any]:
    tally = Tally()
    with ThreadPoolExecutor(max_workers=16) as pool:
        clients = list(pool.map(lambda reader: _sign_in(base, reader[0]), readers))
    until = time.monotonic() + DURATION
    with ThreadPoolExecutor(max_workers=READERS + len(UPLOADERS)) as pool:
        browsing = [
            pool.submit(_browse, base, client, code, tally, until)
            for client, (_name, code) in zip(clients, readers, strict=True)
        ]
        uploading = {
            code: pool.submit(_upload, base, code, tokens[code], kpis, tally, until)
            for code in UPLOADERS
        }
        sent = {code: future.result() for code, future in uploading.items()}
        turns = sum(future.result() for future in browsing)
    expected = sum(len(rows) for rows in sent.values())
    found = missing = different = 0
    for code, rows in sent.items():
        stored = _found(base, code, tokens[code])
        found += sum(1 for key in rows if key in stored)
        missing += sum(1 for key in rows if key not in stored)
        different += sum(1 for key, value in rows.items() if key in stored and stored[key] != value)
    latencies = {kind: _percentiles(times) for kind, times in sorted(tally.latencies.items())}
    return {
        "requests": sum(len(times) for times in tally.latencies.values()),
        "server_errors_5xx": len(tally.server_errors),
        "other_failures": len(tally.failures),
        "failure_examples": sorted(set(tally.server_errors + tally.failures))[:5],
        "reader_rounds": turns,
        "latency": latencies,
        "baseline": latencies.get("healthz"),
        "uploads_done": len(tally.latencies["upload"]),
        "measurements_expected": expected,
        "measurements_found": found,
        "measurements_missing": missing,
        "measurements_different": different,
    }


def main() -> None:
    name, url = _create_database()
    try:
        tokens, readers, kpis = _prepare(url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as folder:
            environment = {
                **os.environ,
                "DATABASE_URL": url,
                "BSC_HOME": folder,
                "BSC_SECRET_KEY": "load-test-secret",
                "BSC_LOGIN_THROTTLING": "false",  # 50 sign-ins from one address in seconds
                "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
            }
            command = [
                sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "8",
                "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--timeout", "120",
                "--no-control-socket", "--log-level", "warning", "load_test:served_app()",
            ]  # fmt: skip
            with open(Path(folder) / "gunicorn.log", "wb") as log:
                server = subprocess.Popen(
                    command, env=environment, stdout=log, stderr=log, cwd=HERE
                )
                try:
                    wait_until_up(base, server, time.monotonic() + 120)
                    result = _load(base, tokens, readers, kpis)
                finally:
                    server.terminate()
                    try:
                        server.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        server.kill()
                        server.wait()
    finally:
        _drop_database(name)
    print(
        json.dumps(
            {
                "benchmark": "load_test",
                "server": "gunicorn, 2 workers × 8 threads (gthread), PostgreSQL",
                "duration_s": DURATION,
                "readers": READERS,
                "uploaders": len(UPLOADERS),
                **result,
                "zero_5xx": result["server_errors_5xx"] == 0,
                "no_lost_measurement": result["measurements_missing"] == 0
                and result["measurements_different"] == 0,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
