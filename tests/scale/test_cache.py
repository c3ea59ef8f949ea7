"""The cache on Redis is one cache for every server: what one computes, another serves, and an
upload through any server moves all of them to fresh entries at once."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
import redis
from plotly.utils import PlotlyJSONEncoder

from bsc import migrate
from bsc.authz import OPERATOR
from bsc.db import make_engine, session_scope
from bsc.services.users import issue_token
from bsc.settings import Settings
from tests import factories
from tests.conftest import REDIS_URL
from tests.scale.conftest import SHARED_SECRET
from tests.scoring_factories import worked_programme

pytestmark = pytest.mark.postgres

PERIOD = "2025-Q3"
MARKER = "served-from-the-shared-cache"


def _signed_in(base: str) -> httpx.Client:
    client = httpx.Client(timeout=60)
    page = client.get(base + "/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    answer = client.post(
        base + "/login",
        data={"username": "exec", "password": factories.PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 302
    client.get(base + "/_dash-layout")  # sets the CSRF cookie callbacks send back
    client.headers["X-CSRFToken"] = client.cookies["_csrf_token"]
    return client


def _identifier(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _overview_body(client: httpx.Client, base: str) -> dict[str, Any]:
    """What the browser posts when the overview's wave filter changes."""
    for dependency in client.get(base + "/_dash-dependencies").json():
        inputs = dependency["inputs"]
        if any(item["id"] == "overview-wave" for item in inputs):
            outputs = [part.rsplit(".", 1) for part in dependency["output"].strip(".").split("...")]
            return {
                "output": dependency["output"],
                "outputs": [{"id": _identifier(i), "property": p} for i, p in outputs],
                "inputs": [
                    {"id": _identifier(item["id"]), "property": item["property"], "value": value}
                    for item, value in zip(inputs, [PERIOD, None, None], strict=True)
                ],
                "changedPropIds": [f"{inputs[1]['id']}.{inputs[1]['property']}"],
                "state": [],
            }
    raise AssertionError("no overview callback")


def _tiles(answer: httpx.Response) -> Any:
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()["response"]["overview-tiles"]["children"]


def test_servers_share_one_cache_and_an_upload_on_one_refreshes_all(
    empty_postgres_url, redis_prefix, serve, tmp_path
):
    engine = make_engine(empty_postgres_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        worked_programme(session)
        token = issue_token(session, username="office", actor=OPERATOR, source="cli")
    engine.dispose()
    env = {"BSC_REDIS_URL": REDIS_URL, "BSC_REDIS_PREFIX": redis_prefix}
    first = serve(empty_postgres_url, extra_env=env)
    second = serve(empty_postgres_url, extra_env=env)
    one, other = _signed_in(first), _signed_in(second)
    body = _overview_body(one, first)
    computed = _tiles(one.post(first + "/_dash-update-component", json=body))
    assert MARKER not in str(computed)

    # The entry the first server stored is in Redis, under this installation's prefix. Mark it,
    # through the product's own cache: the second server answers with the mark, so it read it.
    connection = redis.Redis.from_url(REDIS_URL)
    cached = [k.decode() for k in connection.scan_iter(f"{redis_prefix}:cache:*overview_outputs*")]
    assert len(cached) == 1
    from dashboard import create_app
    from dashboard.cache import cache

    reader = create_app(
        Settings(
            home=tmp_path / "reader",
            database_url=empty_postgres_url,
            secret_key=SHARED_SECRET,
            redis_url=REDIS_URL,
            redis_prefix=redis_prefix,
        )
    )
    name = cached[0].removeprefix(f"{redis_prefix}:cache:")
    with reader.server.app_context():
        outputs = cache.get(name)
        assert json.loads(json.dumps(outputs[-1], cls=PlotlyJSONEncoder)) == computed
        cache.set(name, (*outputs[:-1], MARKER))
    assert _tiles(other.post(second + "/_dash-update-component", json=body)) == MARKER
    assert _tiles(one.post(first + "/_dash-update-component", json=body)) == MARKER

    # An upload through the second server's API: both servers compute afresh.
    feed = "kpi_code,period,value\nOPEX,2025-07,40\nOPEX,2025-08,40\nOPEX,2025-09,40\n"
    answer = httpx.post(
        second + "/api/v1/members/M002/measurements",
        content=feed.encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
    )
    assert answer.status_code == 201, answer.text
    after_first = _tiles(one.post(first + "/_dash-update-component", json=body))
    after_second = _tiles(other.post(second + "/_dash-update-component", json=body))
    assert MARKER not in str(after_first) and after_first == after_second
    assert len(list(connection.scan_iter(f"{redis_prefix}:cache:*overview_outputs*"))) == 2
    connection.close()
    one.close()
    other.close()
