"""Make ``docs/screenshot.png``: the real app on the demo data, in headless Chromium.

Run ``make screenshot`` (or ``python -m docs.screenshot [PATH …]``) after changing a page.
"""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from rich.console import Console
from werkzeug.serving import make_server

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.services.demo import DEMO_USERS, default_demo_folder, ensure_demo_users, load_demo
from bsc.settings import Settings
from dashboard import create_app

OUT = Path(__file__).with_name("screenshot.png")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(paths: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="bsc-screenshot-"))
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'demo.db'}")
    engine = make_engine(settings.sqlalchemy_url)
    migrate.upgrade(engine)
    load_demo(engine, default_demo_folder(), console=Console(stderr=True))
    password = secrets.token_urlsafe(12)
    with session_scope(engine) as session:
        ensure_demo_users(session, {user.username: password for user in DEMO_USERS})
    engine.dispose()
    server = make_server("127.0.0.1", 0, create_app(settings).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=FLAGS
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(base + "/login")
            page.fill("#username", "exec")
            page.fill("#password", password)
            page.click("#login-submit")
            for path in paths or ["/"]:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT), full_page=False)
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
