"""``create_app()``: the Dash app with sign-in, pages and REST API, bound to one database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import dash
from flask import Flask
from flask_wtf.csrf import CSRFProtect

from bsc import i18n
from bsc.db import engine_for
from bsc.settings import Settings, get_settings
from dashboard.api import api
from dashboard.auth import install_auth
from dashboard.background import install_manager, make_manager
from dashboard.cache import install_cache
from dashboard.components.exportable import register_export_callbacks
from dashboard.components.jobs import register_job_callbacks
from dashboard.components.period_picker import register_period_callbacks
from dashboard.downloads import install_downloads
from dashboard.language import html_lang
from dashboard.layout import shell
from dashboard.security import LOGIN_LIMITS, install_security, make_limiter
from dashboard.state import AppState

__all__ = ["create_app", "ScorecardApp"]

_HERE = Path(__file__).parent
_PRODUCT = "Pilot Scorecard"


class ScorecardApp(dash.Dash):
    """The Dash app, its page declaring the reader's language (``<html lang="zh-TW">``): screen
    readers, fonts and the grids' number formatting follow it."""

    def interpolate_index(self, *args: Any, **kwargs: Any) -> Any:
        page = super().interpolate_index(*args, **kwargs)
        return page.replace("<html>", f'<html lang="{html_lang()}">', 1)


def _title_in_language(name: str) -> Callable[..., str]:
    def title(**_variables: str) -> str:
        return f"{i18n.t(name)} · {_PRODUCT}"

    return title


def _translate_page_titles() -> None:
    """Browser-tab titles in the reader's language: Dash calls a callable title per request."""
    for page in dash.page_registry.values():
        if not callable(page.get("title")):
            page["title"] = _title_in_language(page["name"])


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build the app for ``settings`` (default: from the environment). Nothing runs at import."""
    settings = settings or get_settings()
    i18n.set_default_language(settings.language)
    server = Flask("dashboard", static_folder=None)  # Dash serves /assets itself
    server.config.update(
        SECRET_KEY=settings.session_secret,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes * 2,
        WTF_CSRF_TIME_LIMIT=None,
        PROPAGATE_EXCEPTIONS=not settings.production,
        RATELIMIT_ENABLED=settings.login_throttling,
    )
    engine = engine_for(settings)
    AppState(settings=settings, engine=engine).attach(server)
    limiter = make_limiter(server, settings)
    # Flask-Limiter holds its limiter only weakly: without this reference a garbage collection
    # turns every sign-in into a ReferenceError.
    server.extensions["bsc_limiter"] = limiter
    # First: anonymous requests are answered before the CSRF check.
    install_auth(server, limit_login=limiter.limit(LOGIN_LIMITS, methods=["POST"]))
    install_cache(server, settings)
    server.register_blueprint(api)
    install_downloads(server)
    CSRFProtect(server).exempt(api)  # bearer tokens, not cookies: nothing to forge
    # Before the Dash app: page modules register their background callbacks as Dash imports them.
    background = make_manager(settings)
    install_manager(server, background)
    app = ScorecardApp(
        "dashboard",
        server=server,  # type: ignore[arg-type]  # Dash accepts a Flask app here
        use_pages=True,
        pages_folder=str(_HERE / "pages"),
        assets_folder=str(_HERE / "assets"),
        title=_PRODUCT,
        update_title=None,  # type: ignore[arg-type]  # None: keep the title while updating
        suppress_callback_exceptions=True,
        serve_locally=True,
        external_stylesheets=[],
        background_callback_manager=background,
    )
    server.extensions["dash_app"] = app
    _translate_page_titles()
    app.layout = shell
    register_export_callbacks(app)
    register_job_callbacks(app, settings)
    register_period_callbacks(app)
    install_security(app, settings)
    server.add_url_rule("/healthz", "bsc_health", lambda: "ok")
    return app
