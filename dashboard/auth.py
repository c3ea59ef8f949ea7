"""Signing in and out (Flask-Login), and the guard that every request passes.

Anonymous requests reach only the sign-in page and static files; pages answer 403 (with the app's
own 403 page) when the user's role or member does not allow them, callbacks answer 401/403 JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dash
from flask import (
    Flask,
    Response,
    abort,
    g,
    jsonify,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlmodel import Session

from bsc import audit, i18n
from bsc.authz import Principal
from bsc.errors import Forbidden
from bsc.i18n import N_, t
from bsc.models import User
from bsc.services.users import authenticate, principal_for
from dashboard.access import allows, match_page
from dashboard.state import read_retrying, write_session

__all__ = ["install_auth", "current_principal", "require_principal", "SessionUser"]

_TEMPLATE = (Path(__file__).parent / "templates" / "login.html").read_text(encoding="utf-8")
_PUBLIC_PREFIXES = (
    "/login",
    "/language",  # the sign-in page has the language switch too
    "/assets/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/healthz",
    "/api/",
)
_CSRF_COOKIE = "_csrf_token"


class SessionUser(UserMixin):
    """The signed-in user of a request, carrying the principal the rules check."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.id = str(principal.user_id)


def current_principal() -> Principal | None:
    if current_user and current_user.is_authenticated:
        return current_user.principal
    return None


def require_principal() -> Principal:
    """The signed-in principal; raises :class:`Forbidden` (answered as 403) for anonymous calls."""
    principal = current_principal()
    if principal is None:
        raise Forbidden(N_("sign in first"))
    return principal


def _load_user(user_id: str) -> SessionUser | None:
    if not user_id.isdigit():
        return None

    def load(db: Session) -> SessionUser | None:
        user = db.get(User, int(user_id))
        if user is None or not user.active:
            return None
        return SessionUser(principal_for(db, user))

    # Every signed-in request starts here: a connection lost under it is tried again once more.
    return read_retrying(load)


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect to another site would help phishing."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login() -> Any:
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        with write_session() as db:
            outcome = authenticate(db, username=username, password=password)
            if outcome.user is not None:
                principal = principal_for(db, outcome.user)
                audit.record(
                    db,
                    actor=principal,
                    source="web",
                    action="login",
                    entity="user",
                    entity_id=outcome.user.id,
                    member_id=outcome.user.member_id,
                )
        if outcome.user is not None:
            session.clear()  # a fresh session on sign-in: no fixation of a planted session id
            login_user(SessionUser(principal))
            return redirect(_safe_next(request.args.get("next")))
        error = (
            t("Too many failed attempts; try again in a few minutes.")
            if outcome.reason == "locked"
            else t("Wrong username or password.")
        )
    status = 401 if error else 200
    return render_template_string(
        _TEMPLATE,
        t=t,
        error=error,
        username=username,
        csrf_token=generate_csrf(),
        language=i18n.current_language(),
        languages=i18n.LANGUAGES,
    ), status


def _logout() -> Any:
    logout_user()
    session.clear()
    return redirect(url_for("bsc_login"))


def _set_language() -> Any:
    language = request.form.get("language", "")
    if language not in i18n.LANGUAGES:
        abort(400)
    principal = current_principal()
    if principal is not None:
        with write_session() as db:
            user = db.get(User, principal.user_id)
            if user is not None:
                user.language = language
                db.add(user)
    session["language"] = language
    return redirect(_safe_next(request.form.get("next")))


def _guard() -> Any:
    """Runs before every request: language, then sign-in and page rights."""
    principal = current_principal()
    language = principal.language if principal else session.get("language")
    g.language_token = i18n.activate(language)
    path = request.path
    if path.startswith(_PUBLIC_PREFIXES):
        return None
    if principal is None:
        if path.startswith("/_dash-"):
            return jsonify(error=i18n.t("sign in first")), 401
        return redirect(url_for("bsc_login", next=request.full_path.rstrip("?")))
    if request.method == "GET" and not path.startswith("/_dash-"):
        found = match_page(path, dash.page_registry)
        if found is not None:
            page, variables = found
            if not allows(page.get("access", "signed_in"), principal, variables):
                return Response(_dash_index(), status=403, mimetype="text/html")
    return None


def _dash_index() -> str:
    from flask import current_app

    return current_app.extensions["dash_app"].index()


def _after(response: Response) -> Response:
    # The Dash renderer sends this cookie back as the X-CSRFToken header of every callback.
    # Only a user already loaded for this request counts: loading it here would query the
    # database again while an error response (say, database unavailable) is on its way out.
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        response.set_cookie(
            _CSRF_COOKIE, generate_csrf(), samesite="Lax", secure=request.is_secure, httponly=False
        )
    return response


def _teardown(_exc: BaseException | None) -> None:
    token = g.pop("language_token", None)
    if token is not None:
        i18n.deactivate(token)


def install_auth(
    server: Flask, *, limit_login: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> None:
    """Sign-in, sign-out, language and the request guard; ``limit_login`` throttles sign-ins."""
    manager = LoginManager()
    manager.login_view = "bsc_login"
    manager.user_loader(_load_user)
    manager.init_app(server)
    server.add_url_rule("/login", "bsc_login", limit_login(_login), methods=["GET", "POST"])
    server.add_url_rule("/logout", "bsc_logout", _logout, methods=["POST"])
    server.add_url_rule("/language", "bsc_language", _set_language, methods=["POST"])
    server.before_request(_guard)
    server.after_request(_after)
    server.teardown_request(_teardown)

    @server.errorhandler(Forbidden)
    def _forbidden(error: Forbidden) -> Any:
        return jsonify(error=str(error)), 403

    @server.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Any:
        return jsonify(
            error=i18n.t("{problem}; reload the page and try again", problem=error.description)
        ), 400
