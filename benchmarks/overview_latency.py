"""Benchmark: latency of the overview callback under gunicorn against a trivial callback.

Generates a database (100 members × 20 KPIs × 36 months, a published map each), starts the
app under gunicorn on 127.0.0.1 (2 workers, 4 threads each) with one extra trivial callback
(echo a value), signs in 10 clients as the executive and has them call, concurrently, first the
trivial callback and then the overview callback (period, wave and segment as the page sends
them). Each client makes a few warm-up calls (every worker's first overview is computed, later
ones come from the data-version cache) before :data:`CALLS` timed calls. Reports p50/p95 of both
and their ratio; target: overview ≤ 3 × trivial. The server is stopped at the end.

Run: ``python benchmarks/overview_latency.py`` (about a minute).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from support.serving import free_port, wait_until_up

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

MEMBERS, KPIS, MONTHS = 100, 20, 36
CLIENTS = 10
WARM_UP = 3
CALLS = 40
TARGET_RATIO = 3.0
TRIVIAL_INPUT, TRIVIAL_OUTPUT = "benchmark-ping", "benchmark-echo"


def served_app() -> Any:
    """The WSGI app gunicorn serves: the product, plus a trivial callback as the baseline."""
    from dash import Input, Output

    from dashboard import create_app

    app = create_app()

    @app.callback(Output(TRIVIAL_OUTPUT, "children"), Input(TRIVIAL_INPUT, "value"))
    def echo(value: str) -> str:
        return value

    return app.server


def _signed_in(base: str, username: str, password: str) -> requests.Session:
    client = requests.Session()
    page = client.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    answer = client.post(
        base + "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"sign-in failed: {answer.status_code}"
    client.get(base + "/_dash-layout", timeout=60)  # sets the CSRF cookie the callbacks need
    client.headers["X-CSRFToken"] = client.cookies["_csrf_token"]
    return client


def _parse_outputs(output: str) -> list[dict[str, Any]]:
    """Dash's ``..id.prop...id.prop..`` into the request's ``outputs`` list."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    outputs = []
    for part in parts:
        identifier, prop = part.rsplit(".", 1)
        outputs.append(
            {
                "id": json.loads(identifier) if identifier.startswith("{") else identifier,
                "property": prop,
            }
        )
    return outputs


def _identifier(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _request(dependency: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    """The body the Dash renderer posts when the first input of ``dependency`` changes."""
    outputs = _parse_outputs(dependency["output"])
    inputs = [
        {"id": _identifier(item["id"]), "property": item["property"], "value": value}
        for item, value in zip(dependency["inputs"], values, strict=True)
    ]
    first = dependency["inputs"][0]
    return {
        "output": dependency["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "changedPropIds": [f"{first['id']}.{first['property']}"],
        "state": [],
    }


def _dependency(client: requests.Session, base: str, input_id: str) -> dict[str, Any]:
    for dependency in client.get(base + "/_dash-dependencies", timeout=30).json():
        if any(input_id in item["id"] for item in dependency["inputs"]):
            return dependency
    raise RuntimeError(f"no callback takes {input_id}")


def _timed_calls(
    clients: list[requests.Session], base: str, body: dict[str, Any]
) -> tuple[list[float], list[float]]:
    url = base + "/_dash-update-component"

    def run(client: requests.Session) -> tuple[list[float], list[float]]:
        cold, warm = [], []
        for call in range(WARM_UP + CALLS):
            started = time.perf_counter()
            answer = client.post(url, json=body, timeout=120)
            elapsed = time.perf_counter() - started
            assert answer.status_code == 200, answer.text[:300]
            (cold if call < WARM_UP else warm).append(elapsed)
        return cold, warm

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        results = list(pool.map(run, clients))
    return [t for cold, _ in results for t in cold], [t for _, warm in results for t in warm]


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "calls": len(ordered),
    }


def main() -> None:
    from support.programme import PASSWORD, build_database

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.db"
        engine, count = build_database(database, members=MEMBERS, kpis=KPIS, months=MONTHS)
        engine.dispose()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "BSC_HOME": folder,
            "BSC_SECRET_KEY": "benchmark-secret",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
        }
        command = [
            sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
            "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--timeout", "120",
            "--no-control-socket", "--log-level", "warning", "overview_latency:served_app()",
        ]  # fmt: skip
        with open(Path(folder) / "gunicorn.log", "wb") as log:
            server = subprocess.Popen(command, env=environment, stdout=log, stderr=log, cwd=HERE)
            try:
                wait_until_up(base, server, time.monotonic() + 120)
                clients = [_signed_in(base, "exec", PASSWORD) for _ in range(CLIENTS)]
                trivial = _request(_dependency(clients[0], base, TRIVIAL_INPUT), ["ping"])
                overview = _request(
                    _dependency(clients[0], base, "overview-wave"), ["2026-10", None, None]
                )
                _trivial_cold, trivial_times = _timed_calls(clients, base, trivial)
                overview_cold, overview_times = _timed_calls(clients, base, overview)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    trivial_stats, overview_stats = _percentiles(trivial_times), _percentiles(overview_times)
    ratios = {
        "p50": round(overview_stats["p50_ms"] / trivial_stats["p50_ms"], 2),
        "p95": round(overview_stats["p95_ms"] / trivial_stats["p95_ms"], 2),
    }
    print(
        json.dumps(
            {
                "benchmark": "overview_callback_latency",
                "server": "gunicorn, 2 workers × 4 threads (gthread), SQLite",
                "database": {
                    "members": MEMBERS,
                    "kpis": KPIS,
                    "months": MONTHS,
                    "measurements": count,
                },
                "clients": CLIENTS,
                "baseline_trivial_callback": trivial_stats,
                "overview_callback": overview_stats,
                "overview_first_calls_max_ms": round(max(overview_cold) * 1000, 1),
                "ratio": ratios,
                "target_ratio": TARGET_RATIO,
                "meets_target": max(ratios.values()) <= TARGET_RATIO,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
