"""Signing in and out, and the server-side guard in front of every page and callback."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bsc.db import make_engine, session_scope
from bsc.models import AuditLog, User
from tests.conftest import csrf_token, sign_in
from tests.factories import PASSWORD


def test_anonymous_users_are_sent_to_sign_in(client_for):
    client = client_for(None)
    response = client.get("/admin")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/admin")
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/_dash-layout").status_code == 401


def test_public_resources_need_no_sign_in(client_for):
    client = client_for(None)
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200
    with client.get("/assets/app.css") as response:
        assert response.status_code == 200


def test_wrong_password_is_refused_without_saying_which_part(client_for):
    client = client_for(None)
    for username in ("exec", "nobody"):
        response = sign_in(client, username, "wrong-password")
        assert response.status_code == 401
        assert "Wrong username or password." in response.get_data(as_text=True)


def test_sign_in_needs_the_csrf_token(client_for):
    client = client_for(None)
    response = client.post("/login", data={"username": "exec", "password": PASSWORD})
    assert response.status_code == 400


def test_sign_in_sets_a_fresh_httponly_lax_session_and_audits(client_for, populated):
    client = client_for(None)
    csrf_token(client)
    planted = client.get_cookie("session")
    response = sign_in(client, "exec")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert planted is None or client.get_cookie("session").value != planted.value
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine, write=False) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "login")).one()
        assert entry.actor == "exec"
        assert session.exec(select(User).where(User.username == "exec")).one().last_login_at
    engine.dispose()


def test_next_only_redirects_inside_the_app(client_for):
    for target, expected in (
        ("/admin", "/admin"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ):
        client = client_for(None)
        response = client.post(
            f"/login?next={target}",
            data={"username": "exec", "password": PASSWORD, "csrf_token": csrf_token(client)},
        )
        assert response.headers["Location"] == expected


def test_sign_out_ends_the_session(client_for):
    client = client_for("exec")
    assert client.get("/").status_code == 200
    token = csrf_token(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("username", "status"),
    [("exec", 403), ("office", 200), ("m001", 403)],
)
def test_pages_check_the_role_on_the_server(client_for, username, status):
    assert client_for(username).get("/admin").status_code == status


def test_callbacks_carry_a_csrf_cookie_for_the_renderer(client_for):
    client = client_for("exec")
    client.get("/")
    assert client.get_cookie("_csrf_token") is not None


def test_language_choice_is_remembered_per_user(client_for, populated):
    client = client_for("m001")
    token = csrf_token(client)
    response = client.post(
        "/language", data={"language": "zh-TW", "next": "/", "csrf_token": token}
    )
    assert response.status_code == 302
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine, write=False) as session:
        assert session.exec(select(User).where(User.username == "m001")).one().language == "zh-TW"
    engine.dispose()
    assert client.post("/language", data={"language": "xx", "csrf_token": token}).status_code == 400
