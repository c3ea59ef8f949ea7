"""A database that cannot grow (SQLite's SQLITE_FULL, as on a full disk): the API, the Upload
page and the CLI each say so clearly, and nothing is half-written."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import func, select
from typer.testing import CliRunner

from bsc.authz import OPERATOR
from bsc.cli import app as cli_app
from bsc.db import STORAGE_FULL, make_engine, session_scope, storage_problem
from bsc.models import Measurement, Upload
from bsc.services.users import issue_token
from tests import factories
from tests.conftest import as_user, page_module

FEED = "kpi_code,period,value\n" + "".join(
    f"RECON_SAMEDAY,{year}-{month:02d},{year % 97}\n"
    for year in range(1900, 2100)
    for month in range(1, 13)
)


@contextmanager
def full_disk(url: str) -> Iterator[None]:
    """Every new SQLite connection may not grow the file beyond its current size."""
    probe = make_engine(url)
    with probe.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    probe.dispose()

    def cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Engine, "connect", cap)
    try:
        yield
    finally:
        event.remove(Engine, "connect", cap)


def _stored(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with session_scope(engine, write=False) as session:
        counts = (
            session.exec(select(func.count()).select_from(Measurement)).one(),
            session.exec(select(func.count()).select_from(Upload)).one(),
        )
    engine.dispose()
    return counts


def _prepare(url: str) -> str:
    engine = make_engine(url)
    with session_scope(engine) as session:
        factories.kpi(session)
        token = issue_token(session, username="m001", actor=OPERATOR, source="cli")
    engine.dispose()
    return token


def test_the_api_answers_507_and_stores_nothing(populated):
    from dashboard import create_app

    url = populated.sqlalchemy_url
    token = _prepare(url)
    with full_disk(url):
        app = create_app(populated)
        response = app.server.test_client().post(
            "/api/v1/members/M001/measurements",
            data=FEED.encode(),
            content_type="text/csv",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 507
    assert response.get_json() == {"error": storage_problem(OSError(28, "full"))}
    assert _stored(url) == (0, 0)


def test_the_upload_page_shows_an_alert_and_stores_nothing(populated):
    from dashboard import create_app

    url = populated.sqlalchemy_url
    _prepare(url)
    contents = "data:text/csv;base64," + base64.b64encode(FEED.encode()).decode()
    with full_disk(url):
        app = create_app(populated)
        upload = page_module("upload")
        with as_user(app, "m001", "/upload"):
            alert, disabled, *_history_and_job = upload.apply_file(
                1, contents, "feed.csv", "M001", None, None, None, None, None, None, [None] * 4
            )
    assert "disk is full or read-only" in str(alert.children) and disabled is False
    assert _stored(url) == (0, 0)


def test_the_cli_exits_1_with_advice_and_stores_nothing(populated, tmp_path):
    url = populated.sqlalchemy_url
    _prepare(url)
    feed = tmp_path / "feed.csv"
    feed.write_text(FEED, encoding="utf-8")
    with full_disk(url):
        result = CliRunner().invoke(cli_app, ["--db", url, "ingest", str(feed), "--member", "M001"])
    assert result.exit_code == 1, result.output
    assert "disk is full or read-only" in result.output.replace("\n", " ")
    assert _stored(url) == (0, 0)


def test_storage_errors_are_told_apart_from_others():
    assert storage_problem(OSError(28, "No space left on device")) == STORAGE_FULL
    assert storage_problem(Exception("database or disk is full")) == STORAGE_FULL
    assert storage_problem(Exception("could not extend file base/1/2")) == STORAGE_FULL
    assert storage_problem(Exception("cannot execute INSERT in a read-only transaction"))
    assert storage_problem(Exception("connection refused")) is None
    assert storage_problem(Exception("cannot execute: permission denied")) is None
