"""HTTP hardening: security headers with a Content-Security-Policy Dash works with, sign-in
throttling, secure cookies over HTTPS, proxies, and no tracebacks for users in production.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from typing import Any

import dash
import psycopg
from flask import Flask, jsonify, render_template_string, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from bsc.db import storage_problem
from bsc.i18n import t
from bsc.settings import Settings

__all__ = [
    "callback_body_problem",
    "install_security",
    "make_limiter",
    "LOGIN_LIMITS",
    "content_security_policy",
]

log = logging.getLogger(__name__)


#: Per client address, on top of the per-account lock-out after repeated failures.
LOGIN_LIMITS = "10 per minute;50 per hour"


class _SessionInterface(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request came over HTTPS (or always in production)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app) or request.is_secure)


def content_security_policy(app: dash.Dash) -> dict[str, Any]:
    """Scripts only from the app itself plus Dash's own inline scripts (by hash); plotly and
    ag-grid set inline styles, and charts use data: images."""
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *app.csp_hashes()],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "worker-src": ["'self'", "blob:"],
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def make_limiter(server: Flask, settings: Settings) -> Limiter:
    """Request limits, counted in Redis when configured (shared by all workers), else in memory."""
    limiter = Limiter(
        key_func=get_remote_address,
        app=server,
        storage_uri=settings.redis_url or "memory://",
        key_prefix=settings.limiter_prefix,
        strategy="fixed-window",
        default_limits=[],
        headers_enabled=True,
    )
    # A disabled limiter does not keep itself in the app, and the routes it wraps hold it only
    # weakly: without this, sign-in fails once it is garbage-collected.
    server.extensions["bsc_limiter"] = limiter
    return limiter


def install_security(app: dash.Dash, settings: Settings) -> None:
    server: Flask = app.server
    server.session_interface = _SessionInterface()
    if settings.trusted_proxies:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app,
            x_for=settings.trusted_proxies,
            x_proto=settings.trusted_proxies,
            x_host=settings.trusted_proxies,
        )
    talisman = Talisman(
        server,
        force_https=False,  # the reverse proxy terminates TLS; the demo runs on plain HTTP
        strict_transport_security=True,  # sent only on HTTPS requests
        session_cookie_secure=settings.production,
        content_security_policy=content_security_policy(app),
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    @server.before_request
    def _hash_inline_scripts_once() -> None:
        # Dash adds the inline scripts of its own clientside callbacks while it sets itself up
        # on the first request; only then can their hashes go into the policy.
        if not server.config.get("BSC_CSP_READY"):
            talisman.content_security_policy = content_security_policy(app)
            server.config["BSC_CSP_READY"] = True

    @server.before_request
    def _refuse_malformed_callbacks() -> Any:
        if request.method == "POST" and request.path.endswith("/_dash-update-component"):
            problem = callback_body_problem(request.get_json(silent=True), app.callback_map)
            if problem:
                return _error_response(400, problem)
        return None

    _install_error_pages(server, production=settings.production)


def callback_body_problem(body: Any, callback_map: dict[str, Any]) -> str | None:
    """What is wrong with a callback request's body, or None when Dash can take it.

    Dash trusts the renderer and answers a body of the wrong shape with a server error; a
    client that sends one is told so with a 400 instead.

    >>> callback_body_problem({"output": "x.children"}, {})
    'no callback has the output x.children'
    """
    if not isinstance(body, dict):
        return "a callback request is a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return f"no callback has the output {str(output)[:200]}"
    expected = len(_flat_indices(callback_map[output].get("inputs_state_indices", [])))
    given = [*_list(body.get("inputs")), *_list(body.get("state"))]
    if (
        any(not _is_prop(item) for item in given)
        or len(given) != expected
        or not isinstance(body.get("outputs", []), dict | list)
        or not isinstance(body.get("changedPropIds", []), list)
    ):
        return f"the request does not match the inputs and outputs of {output[:200]}"
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [None] if value is not None else []


def _is_prop(item: Any) -> bool:
    """An input or state: ``{"id": …, "property": …}``, or a list of them (pattern ALL)."""
    if isinstance(item, list):
        return all(_is_prop(part) for part in item if not isinstance(part, list))
    return isinstance(item, dict) and "id" in item and isinstance(item.get("property"), str)


def _flat_indices(indices: Any) -> list[int]:
    if isinstance(indices, int):
        return [indices]
    if isinstance(indices, dict):
        return [i for value in indices.values() for i in _flat_indices(value)]
    return [i for value in indices for i in _flat_indices(value)]


_ERROR_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{{ code }}</title>
<link rel="stylesheet" href="/assets/vendor/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:40rem;margin-top:12vh">
<h1 class="display-5">{{ code }}</h1><p class="lead">{{ message }}</p>
{% if reference %}<p class="text-muted small">{{ reference }}</p>{% endif %}
<a href="/">{{ back }}</a></main></body></html>"""


def _install_error_pages(server: Flask, *, production: bool) -> None:
    @server.errorhandler(429)
    def _too_many(error: HTTPException) -> Any:
        message = t("Too many attempts; wait a minute and try again.")
        return _error_response(429, message)

    @server.errorhandler(sqlite3.OperationalError)
    @server.errorhandler(psycopg.OperationalError)
    @server.errorhandler(OperationalError)
    def _database_unavailable(error: Exception) -> Any:
        problem = storage_problem(error)
        if problem:
            log.error(
                "database full or read-only on %s %s: %s",
                request.method,
                request.path,
                getattr(error, "orig", error),
            )
            return _error_response(507, problem)
        # The pool pre-pings connections, so the first request after the database is back works.
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.path,
            getattr(error, "orig", error),
        )
        return _error_response(
            503, t("The database is not reachable right now; try again shortly.")
        )

    if not production:
        return

    @server.errorhandler(Exception)
    def _unexpected(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return error
        reference = uuid.uuid4().hex[:12]
        log.exception("unhandled error %s on %s %s", reference, request.method, request.path)
        return _error_response(
            500, t("Something went wrong on the server. It has been logged."), reference
        )


def _error_response(code: int, message: str, reference: str | None = None) -> Any:
    if request.path.startswith(("/_dash-", "/api/")):
        body = {"error": message, **({"reference": reference} if reference else {})}
        return jsonify(body), code
    page = render_template_string(
        _ERROR_PAGE,
        code=code,
        message=message,
        reference=t("Reference: {reference}", reference=reference) if reference else None,
        back=t("Back to the overview"),
    )
    return page, code
