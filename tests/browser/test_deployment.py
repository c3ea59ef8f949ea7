"""The deployment of DESIGN.md §9 in a real browser: the demo data on PostgreSQL, two gunicorn
servers and a Celery worker sharing it through Redis. A user signs in on one server, uploads on
the other (the job runs on the worker) and finds the job and its outcome back on the first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.services.demo import default_demo_folder, ensure_demo_users, load_demo
from tests.browser.conftest import LiveServer
from tests.conftest import REDIS_URL
from tests.scale.conftest import celery_worker, empty_postgres_url, serve  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PASSWORD = "demo-password-1"
#: Twelve months the demo has no values for: applying them stores twelve values.
FEED = "kpi_code,period,value\n" + "".join(
    f"OPEX_SAVING,2019-{month:02d},{500000 + month}\n" for month in range(1, 13)
)


@pytest.fixture
def servers(empty_postgres_url, redis_prefix, serve, celery_worker):  # noqa: F811
    engine = make_engine(empty_postgres_url)
    migrate.upgrade(engine)
    load_demo(engine, default_demo_folder())
    with session_scope(engine) as session:
        ensure_demo_users(session, {"exec": PASSWORD, "office": PASSWORD, "m001": PASSWORD})
    engine.dispose()
    env = {
        "BSC_REDIS_URL": REDIS_URL,
        "BSC_REDIS_PREFIX": redis_prefix,
        "BSC_BACKGROUND_INGEST_BYTES": "0",
    }
    celery_worker(empty_postgres_url, redis_url=REDIS_URL, redis_prefix=redis_prefix)
    return serve(empty_postgres_url, workers=2, extra_env=env), serve(
        empty_postgres_url, workers=2, extra_env=env
    )


@pytest.fixture
def live_server(servers) -> LiveServer:  # type: ignore[no-untyped-def]
    return LiveServer(url=servers[0])


def test_an_upload_on_one_server_runs_on_the_worker_and_shows_on_the_other(
    page, live_server, servers, tmp_path
):
    first, second = servers
    feed = tmp_path / "opex_2019.csv"
    feed.write_text(FEED, encoding="utf-8")
    page.goto(first + "/login")
    page.fill("#username", "m001")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#navbar")

    page.goto(second + "/upload")  # the session cookie signed by the first server works here
    page.set_input_files("#upload-file input[type=file]", str(feed))
    expect(page.locator("#upload-summary-text")).to_contain_text("12 to apply")
    page.click("#upload-apply")
    expect(page.locator("#upload-result-text")).to_contain_text("12 values stored")
    expect(page.locator("#job-progress")).to_contain_text("100%")

    page.goto(first + "/upload")
    jobs = page.locator("#job-list")
    expect(jobs.locator(".ag-row").first).to_contain_text("opex_2019.csv")
    expect(jobs.locator(".ag-row").first).to_contain_text("done")
    jobs.locator(".ag-row").first.click()
    expect(page.locator("#upload-result-text")).to_contain_text("12 values stored")
    history = page.locator("#upload-history")
    expect(history.locator(".ag-row").first).to_contain_text("opex_2019.csv")
