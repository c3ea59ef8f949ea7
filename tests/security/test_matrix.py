"""The authorisation matrix: every page, callback, route and ``bsc`` command, enumerated from the
app itself, called as every actor against the expected rights in ``tests/security/rights.py``.

One demo database (all fourteen members, their uploads and maps) serves the module; users:
``exec`` (executive), ``po`` (program office), ``office`` (program office and admin), ``m001``
(member A) and ``m002`` (member B).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bsc import backup
from bsc.authz import OPERATOR
from bsc.cli import app as cli_app
from bsc.db import make_engine, session_scope
from bsc.models import Member, Role, TokenScope, Upload
from bsc.services import maps as map_service
from bsc.services.users import issue_token
from bsc.settings import Settings
from strategy_maps.io import document_to_dict
from tests import factories
from tests.conftest import DEMO, csrf_token, sign_in
from tests.demo_data import load_demo_data
from tests.security import harness
from tests.security.rights import CALLBACKS, COMMANDS, KPI, PAGES, PERIOD, ROUTES, Rule, allowed

ACTOR_NAMES = [actor.name for actor in harness.ACTORS]
ACTORS = {actor.name: actor for actor in harness.ACTORS}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def matrix_settings(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Settings:
    import shutil

    folder = tmp_path_factory.mktemp("matrix")
    shutil.copy(sqlite_template, folder / "bsc.db")
    settings = Settings(
        home=folder / "home",
        database_url=f"sqlite:///{folder / 'bsc.db'}",
        secret_key="matrix-secret",
        login_throttling=False,  # every actor signs in from the same test address
    )
    engine = make_engine(settings.sqlalchemy_url)
    load_demo_data(engine)
    with session_scope(engine) as session:
        members = {m.code: m for m in session.exec(select(Member)).all()}
        factories.user(session, "exec", Role.EXECUTIVE)
        factories.user(session, "po", Role.PROGRAM_OFFICE)
        factories.user(session, "office", Role.PROGRAM_OFFICE, is_admin=True)
        factories.user(session, "m001", Role.MEMBER, members["M001"])
        factories.user(session, "m002", Role.MEMBER, members["M002"])
    engine.dispose()
    return settings


@pytest.fixture(scope="module")
def matrix_app(matrix_settings: Settings):  # type: ignore[no-untyped-def]
    from dashboard import create_app

    app = create_app(matrix_settings)
    client = app.server.test_client()
    sign_in(client, "exec")
    client.get("/")  # Dash registers its callbacks on the first request
    return app


@pytest.fixture(scope="module")
def clients(matrix_app):  # type: ignore[no-untyped-def]
    made = {}
    for actor in harness.ACTORS:
        client = matrix_app.server.test_client()
        if actor.username:
            assert sign_in(client, actor.username).status_code == 302
        client.get("/")
        made[actor.name] = client
    return made


@pytest.fixture(scope="module")
def tokens(matrix_settings: Settings) -> dict[str, str]:
    engine = make_engine(matrix_settings.sqlalchemy_url)
    with session_scope(engine) as session:
        issued = {
            actor.name: issue_token(
                session,
                username=actor.username,
                actor=OPERATOR,
                source="cli",
                scopes=(TokenScope.READ, TokenScope.UPLOAD),
            )
            for actor in harness.ACTORS
            if actor.username
        }
    engine.dispose()
    return issued


@pytest.fixture(scope="module")
def context(matrix_settings: Settings, matrix_app, tmp_path_factory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What placeholders stand for, per member code."""
    engine = make_engine(matrix_settings.sqlalchemy_url)
    found: dict[str, Any] = {"documents": {}, "uploads": {}}
    with session_scope(engine, write=False) as session:
        for code in ("M001", "M002"):
            stored = map_service.load_map(session, principal=OPERATOR, member_code=code)
            assert stored is not None
            found["documents"][code] = document_to_dict(stored.document)
            member = session.exec(select(Member).where(Member.code == code)).one()
            upload = session.exec(select(Upload).where(Upload.member_id == member.id)).first()
            assert upload is not None
            found["uploads"][code] = upload.id
    engine.dispose()
    index = matrix_app.server.test_client()
    sign_in(index, "exec")
    page = index.get("/").get_data(as_text=True)
    found["component_suite"] = re.search(r'src="(/_dash-component-suites/[^"]+)"', page).group(1)
    tmp = tmp_path_factory.mktemp("matrix-files")
    found["tmp"] = str(tmp)
    engine = make_engine(matrix_settings.sqlalchemy_url)
    backup.backup(engine, tmp / "existing.zip")  # what `bsc restore` is given
    engine.dispose()
    return found


def fill(value: Any, values: dict[str, Any]) -> Any:
    """Placeholders replaced: ``"{name}"`` alone by the value itself, inside text by its text."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole and whole.group(1) in values:
            return values[whole.group(1)]
        return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), value)
    if isinstance(value, list):
        return [fill(item, values) for item in value]
    if isinstance(value, tuple):
        return tuple(fill(item, values) for item in value)
    if isinstance(value, dict):
        return {key: fill(item, values) for key, item in value.items()}
    return value


def placeholders(actor: harness.Actor, context: dict[str, Any]) -> dict[str, Any]:
    feed = f"member,kpi,period,value\n{actor.code},{KPI},{PERIOD},7\n".encode()
    return {
        "code": actor.code,
        "actor": actor.name,
        "tmp": context["tmp"],
        "demo": str(DEMO),
        "document": context["documents"][actor.code],
        "upload": context["uploads"][actor.code],
        "component_suite": context["component_suite"],
        "feed": "data:text/csv;base64," + base64.b64encode(feed).decode(),
    }


# --------------------------------------------------------------------------- completeness


def test_every_page_has_an_entry(matrix_app):
    assert harness.page_templates() == set(PAGES)


def test_every_callback_has_an_entry(matrix_app):
    names = {harness.callback_name(entry, key) for key, entry in matrix_app.callback_map.items()}
    assert len(names) == len(matrix_app.callback_map), "two callbacks share a name"
    assert names == set(CALLBACKS)


def test_every_route_has_an_entry(matrix_app):
    assert harness.route_keys(matrix_app.server) == set(ROUTES)


def test_every_command_has_an_entry():
    assert harness.cli_commands(cli_app) == set(COMMANDS)


# --------------------------------------------------------------------------- pages


def _page_path(template: str, actor: harness.Actor) -> str:
    return template.replace("<code>", actor.code)


@pytest.mark.parametrize("actor_name", ACTOR_NAMES)
@pytest.mark.parametrize("template", sorted(PAGES))
def test_pages(template, actor_name, matrix_app, clients):  # type: ignore[no-untyped-def]
    actor = ACTORS[actor_name]
    client = clients[actor_name]
    path = _page_path(template, actor)
    response = client.get(path)
    if actor.username is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        return
    expected = allowed(PAGES[template], actor_name)
    assert response.status_code == (200 if expected else 403), path
    # The layout itself, as the renderer asks for it through Dash's page router.
    layout = _route_layout(matrix_app, client, path)
    shows_forbidden = '"forbidden"' in layout
    assert shows_forbidden is not expected, layout[:300]


_ROUTER = "dash.dash.Dash.enable_pages.<locals>.router_sync.<locals>.update"


def _route_layout(app, client, path: str) -> str:  # type: ignore[no-untyped-def]
    key, entry = _callback(app, _ROUTER)
    values = {"_pages_location.pathname": path, "_pages_location.search": ""}
    body = harness.callback_payload(key, entry, values=values, wildcards={}, trigger=None)
    response = _post_callback(client, body, path)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _callback(app, name: str) -> tuple[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return next(
        (key, entry)
        for key, entry in app.callback_map.items()
        if harness.callback_name(entry, key) == name
    )


# --------------------------------------------------------------------------- callbacks


def _post_callback(client, body: dict[str, Any], page: str):  # type: ignore[no-untyped-def]
    cookie = client.get_cookie("_csrf_token")
    headers = {"Referer": f"http://localhost{page}"}
    if cookie is not None:
        headers["X-CSRFToken"] = cookie.value
    return client.post("/_dash-update-component", json=body, headers=headers)


_SERVER_CALLBACKS = sorted(
    name for name, spec in CALLBACKS.items() if spec.rule is not Rule.CLIENTSIDE
)
#: Named figures and rows that must never come back from a refused callback.
_DATA_KEYS = ("rowData", "figure", "elements", '"data":', "children")


@pytest.mark.parametrize("actor_name", ACTOR_NAMES)
@pytest.mark.parametrize("name", _SERVER_CALLBACKS)
def test_callbacks(name, actor_name, matrix_app, clients, context):  # type: ignore[no-untyped-def]
    actor = ACTORS[actor_name]
    spec = CALLBACKS[name]
    if spec.not_driven and actor.username is not None:
        return  # spec.not_driven says where the signed-in calls are tested
    key, entry = _callback(matrix_app, name)
    values = placeholders(actor, context)
    body = harness.callback_payload(
        key,
        entry,
        values=fill(dict(spec.values), values),
        wildcards=dict(spec.wildcards),
        trigger=spec.trigger,
    )
    response = _post_callback(clients[actor_name], body, fill(spec.page, values))
    text = response.get_data(as_text=True)
    if actor.username is None:
        assert response.status_code == 401, text[:300]
    elif allowed(spec.rule, actor_name):
        assert response.status_code in (200, 204), text[:500]
        if response.status_code == 200:
            assert "response" in json.loads(text), text[:300]
    else:
        assert response.status_code == 403, text[:500]
        assert set(json.loads(text)) == {"error"}, text[:300]
        assert not any(marker in text for marker in _DATA_KEYS), text[:300]


def test_the_clientside_callbacks_have_no_server_function(matrix_app):
    clientside = [n for n, spec in CALLBACKS.items() if spec.rule is Rule.CLIENTSIDE]
    for key, entry in matrix_app.callback_map.items():
        if harness.callback_name(entry, key) in clientside:
            assert entry.get("callback") is None


# --------------------------------------------------------------------------- routes


_ROUTES = sorted(name for name, spec in ROUTES.items() if spec.rule is not Rule.PAGES)


@pytest.mark.parametrize("actor_name", ACTOR_NAMES)
@pytest.mark.parametrize("name", _ROUTES)
def test_routes(name, actor_name, matrix_app, clients, tokens, context):  # type: ignore[no-untyped-def]
    actor = ACTORS[actor_name]
    spec = ROUTES[name]
    method = name.split(" ", 1)[0]
    path = fill(spec.path, placeholders(actor, context))
    headers: dict[str, str] = {}
    if spec.auth == "token":
        client = matrix_app.server.test_client()
        if actor.username:
            headers["Authorization"] = f"Bearer {tokens[actor_name]}"
    else:
        client = clients[actor_name] if method == "GET" else _fresh_client(matrix_app, actor)
    data: Any = spec.body
    if data == "{router}":
        key, entry = _callback(matrix_app, _ROUTER)
        values = {"_pages_location.pathname": "/", "_pages_location.search": ""}
        data = json.dumps(
            harness.callback_payload(key, entry, values=values, wildcards={}, trigger=None)
        )
        cookie = client.get_cookie("_csrf_token")
        headers["X-CSRFToken"] = cookie.value if cookie else ""
    if spec.form is not None:
        data = {**spec.form, "csrf_token": csrf_token(client)}
    response = client.open(
        path, method=method, data=data, content_type=spec.content_type, headers=headers
    )
    text = response.get_data().decode("utf-8", "replace")
    if spec.rule is Rule.PUBLIC or allowed(spec.rule, actor_name):
        assert response.status_code in spec.ok, (path, response.status_code, text[:300])
        if spec.redirect is not None:
            assert response.headers["Location"] == spec.redirect
    elif actor.username is None:
        if spec.auth == "token" or path.startswith("/_dash-"):
            assert response.status_code == 401, text[:300]
        else:
            assert response.status_code == 302, text[:300]
            assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == 403, (path, response.status_code, text[:300])
    response.close()


def _fresh_client(app, actor: harness.Actor):  # type: ignore[no-untyped-def]
    """A client of its own for a request that may sign the user out."""
    client = app.server.test_client()
    if actor.username:
        sign_in(client, actor.username)
        client.get("/")
    return client


# --------------------------------------------------------------------------- commands


@pytest.mark.parametrize("actor_name", ACTOR_NAMES)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_commands(name, actor_name, matrix_settings, context):  # type: ignore[no-untyped-def]
    actor = ACTORS[actor_name]
    spec = COMMANDS[name]
    expected = allowed(spec.rule, actor_name)
    if expected and spec.serves:
        return  # the refusals are what this command can show here
    values = placeholders(actor, context)
    feed = Path(context["tmp"]) / "feed.csv"
    feed.write_text(f"kpi,period,value\n{KPI},{PERIOD},3\n", encoding="utf-8")
    args = [
        "--db",
        matrix_settings.sqlalchemy_url,
        "--home",
        str(matrix_settings.home),
        "--as",
        actor.username or "ghost",
        *fill(spec.args, values),
    ]
    result = CliRunner().invoke(cli_app, args, input=spec.stdin)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    if actor.username is None:
        assert result.exit_code == 1 and "no active user" in output, output
    elif expected:
        assert result.exit_code == spec.ok_exit, (output, result.exception)
        assert spec.ok_text in output, output
    else:
        assert result.exit_code == 1, (output, result.exception)
        assert "not allowed" in output or "needs an admin" in output, output


_MEMBER_SLOTS = {
    name: {slot: value for slot, value in spec.values.items() if "{code}" in json.dumps(value)}
    for name, spec in CALLBACKS.items()
}


@pytest.mark.parametrize("actor_name", [a for a in ACTOR_NAMES if a != "anonymous"])
@pytest.mark.parametrize("name", _SERVER_CALLBACKS)
def test_refusals_come_before_anything_else(name, actor_name, matrix_app, clients, context):  # type: ignore[no-untyped-def]
    """With nothing but the member chosen (no click, no period, no file), a refused user still
    gets 403: a callback checks rights before it decides there is nothing to do."""
    spec = CALLBACKS[name]
    if allowed(spec.rule, actor_name) or spec.not_driven:
        return
    actor = ACTORS[actor_name]
    key, entry = _callback(matrix_app, name)
    values = fill(_MEMBER_SLOTS[name], placeholders(actor, context))
    body = harness.callback_payload(
        key, entry, values=values, wildcards=dict(spec.wildcards), trigger=spec.trigger
    )
    for item in body["inputs"]:
        for one in item if isinstance(item, list) else [item]:
            if one["property"] == "n_clicks":
                one["value"] = None
    response = _post_callback(
        clients[actor_name], body, fill(spec.page, placeholders(actor, context))
    )
    assert response.status_code == 403, response.get_data(as_text=True)[:300]
