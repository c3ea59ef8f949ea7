"""HTTP hardening: headers, throttling, cookies over HTTPS and production error pages."""

from __future__ import annotations

import re
import uuid

import pytest
import redis

from bsc.settings import Settings
from tests.conftest import csrf_token, sign_in


def test_security_headers_and_a_policy_dash_can_live_with(client_for):
    client = client_for("exec")
    client.get("/")  # Dash finishes setting up on its first request
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    login = client_for(None).get("/login")
    assert "Content-Security-Policy" in login.headers


def test_sign_in_is_throttled_per_client_address(client_for):
    client = client_for(None)
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login", data={"username": "exec", "password": f"guess-{n}", "csrf_token": token}
        ).status_code
        for n in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    assert client.get("/login").status_code == 200  # only attempts are limited


def test_sign_in_works_with_throttling_off_after_garbage_collection(populated):
    import gc

    from dashboard import create_app

    app = create_app(populated.model_copy(update={"login_throttling": False}))
    gc.collect()
    client = app.server.test_client()
    assert client.get("/login").status_code == 200
    assert sign_in(client, "exec").status_code == 302


def test_throttling_counts_across_workers_through_redis(populated):
    from dashboard import create_app

    prefix = f"bsc-test-{uuid.uuid4().hex[:8]}"
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable: {exc}")
    settings = populated.model_copy(update={"redis_url": url, "limiter_prefix": prefix})
    first, second = (
        create_app(settings).server.test_client(),
        create_app(settings).server.test_client(),
    )
    try:
        for attempt in range(10):
            client = first if attempt % 2 else second
            client.post(
                "/login",
                data={"username": "exec", "password": "x", "csrf_token": csrf_token(client)},
            )
        assert sign_in(first, "exec").status_code == 429
    finally:
        connection = redis.Redis.from_url(url)
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)


def test_session_cookie_is_secure_over_https(client_for):
    client = client_for(None)
    page = client.get("/login", base_url="https://scorecard.example")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/login",
        base_url="https://scorecard.example",
        headers={"Referer": "https://scorecard.example/login"},  # CSRF checks it over HTTPS
        data={"username": "exec", "password": "correct-horse-battery", "csrf_token": token},
    )
    assert page.status_code == 200 and response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert "Strict-Transport-Security" in response.headers


def test_production_hides_tracebacks(populated: Settings):
    from dashboard import create_app

    app = create_app(populated.model_copy(update={"production": True}))

    @app.server.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    client = app.server.test_client()
    sign_in(client, "exec")
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    assert "Reference:" in body


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        {},
        {"output": "no-such-component.children", "outputs": {}, "inputs": []},
        {"output": "{known}", "inputs": "not a list"},
        {"output": "{known}", "inputs": [{"id": "x"}]},
        {"output": "{known}", "inputs": [], "state": [], "outputs": "x"},
    ],
)
def test_a_malformed_callback_request_is_a_400_not_a_server_error(app, client_for, body):
    if isinstance(body, dict) and body.get("output") == "{known}":
        body = {**body, "output": next(iter(app.callback_map))}  # a real callback, wrong shape
    client = client_for("exec")
    client.get("/_dash-layout")  # sets the CSRF cookie callbacks send back
    token = client.get_cookie("_csrf_token").value
    response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_the_renderer_s_own_callback_requests_pass_the_shape_check(app):
    from dashboard.security import callback_body_problem

    # Each registered callback, asked with as many inputs and states as it declares.
    for output, entry in app.callback_map.items():
        body = {
            "output": output,
            "outputs": [],
            "inputs": [{"id": "x", "property": "value"}] * len(entry["inputs"]),
            "state": [{"id": "x", "property": "value"}] * len(entry["state"]),
            "changedPropIds": [],
        }
        assert callback_body_problem(body, app.callback_map) is None, output
