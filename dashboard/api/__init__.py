"""The REST API under ``/api/v1``: members' systems push KPI feeds with a bearer token.

Routes authenticate themselves (no session, no CSRF): 401 without a valid token of the needed
scope, 403 when the token's user may not act for the member, 413 over the upload limit, then
201 with the report (applied), 200 (dry run) or 422 with the report (rejected).

Messages are in the language ``Accept-Language`` asks for (``zh-TW``, ``zh-Hant``, ``en``),
else in the token user's language; codes (``reason``, ``severity``, ``status``) never change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from bsc import i18n
from bsc.authz import Principal
from bsc.errors import Forbidden, InvalidInput, NotFound
from bsc.i18n import N_
from bsc.models import TokenScope
from bsc.services.ingest import ingest_feed, upload_scope
from bsc.services.measurements import measurement_table
from bsc.services.results import IngestReport
from bsc.services.users import find_token, principal_for_token, record_token_use
from dashboard.api.schemas import openapi_document
from dashboard.state import app_state, write_session
from kpi.feeds import FeedOptions
from kpi.issues import Issue, Reason
from kpi.messages import Text

__all__ = ["api"]

log = logging.getLogger(__name__)

api = Blueprint("api_v1", __name__, url_prefix="/api/v1")

_SUFFIXES = {
    "application/json": "rows.json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "feed.xlsx",
    "application/vnd.ms-excel": "feed.xls",
    "text/tab-separated-values": "feed.tsv",
}
_TRUE = {"1", "true", "yes", "on"}


class _Unauthorised(Exception):
    pass


def _asked_language() -> str | None:
    """The first language of ``Accept-Language`` (by preference) that the app speaks."""
    for tag, _quality in request.accept_languages:
        language = i18n.language_of(tag)
        if language is not None:
            return language
    return None


@api.before_request
def _speak_the_asked_language() -> None:
    # The request's teardown (dashboard.auth) restores the language, however often it is set.
    asked = _asked_language()
    if asked is not None:
        i18n.activate(asked)


@api.errorhandler(_Unauthorised)
def _unauthorised(error: _Unauthorised) -> Response:
    response = jsonify(error=str(error))
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.errorhandler(Forbidden)
def _forbidden(error: Forbidden) -> tuple[Response, int]:
    return jsonify(error=str(error)), 403


@api.errorhandler(NotFound)
def _not_found(error: NotFound) -> tuple[Response, int]:
    return jsonify(error=str(error)), 404


@api.errorhandler(InvalidInput)
def _invalid(error: InvalidInput) -> tuple[Response, int]:
    return jsonify(error=str(error)), 400


def _principal(session: Any, scope: TokenScope) -> Principal:
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise _Unauthorised(i18n.t("send an API token as 'Authorization: Bearer TOKEN'"))
    stored = find_token(session, token.strip())
    if stored is not None:
        g.api_token_id = stored.id  # logged with the response's status, refused or not
    principal = principal_for_token(session, token.strip(), scope=scope)
    if principal is None:
        raise _Unauthorised(
            i18n.t(
                "the token is unknown, expired, revoked or lacks the {scope} scope",
                scope=scope.value,
            )
        )
    if _asked_language() is None:
        i18n.activate(principal.language)
    return principal


@api.after_request
def _log_token_use(response: Response) -> Response:
    token_id = g.pop("api_token_id", None)
    if token_id is None:
        return response
    try:
        with write_session() as session:
            record_token_use(
                session,
                token_id=token_id,
                method=request.method,
                path=request.full_path.rstrip("?"),
                status=response.status_code,
                client=request.remote_addr or "",
            )
    except SQLAlchemyError as error:
        # The request itself is done; losing its log line must not turn it into an error.
        log.error("API token use not logged (%s %s): %s", request.method, request.path, error)
    return response


@api.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@api.get("/members/<code>/measurements")
def read_measurements(code: str) -> Response:
    with write_session() as session:  # writes the token's last use
        principal = _principal(session, TokenScope.READ)
        table = measurement_table(session, principal=principal, member_code=code)
    return jsonify(table.to_dict(orient="records"))


@api.post("/members/<code>/measurements")
def upload_member_measurements(code: str) -> tuple[Response, int]:
    return _upload(code)


@api.post("/measurements")
def upload_measurements() -> tuple[Response, int]:
    """A file that names its members (the program office), or a member's own file."""
    return _upload(None)


def _upload(code: str | None) -> tuple[Response, int]:
    settings = app_state().settings
    options = _options()
    with write_session() as session:
        principal = _principal(session, TokenScope.UPLOAD)
        _check_member(session, principal, code)
        body = _body(settings.max_upload_bytes)
        if isinstance(body, IngestReport):
            return jsonify(body.to_dict()), 413
        data, filename = body
        report = ingest_feed(
            session,
            data=data,
            filename=request.args.get("filename") or filename,
            actor=principal,
            source="api",
            member_code=code,
            options=options,
            template=request.args.get("template") or None,
            dry_run=request.args.get("dry_run", "").lower() in _TRUE,
            limits=settings.limits,
        )
    status = {"applied": 201, "dry_run": 200}.get(report.status, 422)
    return jsonify(report.to_dict()), status


def _check_member(session: Any, principal: Principal, code: str | None) -> None:
    """403 before 404 for members, so a member's token cannot probe other members' codes."""
    if principal.is_member and code is not None and principal.member_code != code:
        raise Forbidden(N_("not allowed: uploading KPI feeds for member {member}"), member=code)
    upload_scope(session, actor=principal, member_code=code)


def _options() -> FeedOptions:
    arguments = request.args
    mapping = {}
    for pair in arguments.getlist("map"):
        field, separator, column = pair.partition("=")
        if not separator:
            raise InvalidInput(N_("map={pair!r} is not FIELD=COLUMN"), pair=pair)
        mapping[field.strip()] = column.strip()
    scale = _number(arguments.get("scale"), float, "scale") or 1.0
    if scale <= 0:
        raise InvalidInput(N_("scale must be greater than 0"))
    return FeedOptions(
        mapping=mapping,
        header_row=_number(arguments.get("header_row"), int, "header_row"),
        period_format=arguments.get("period_format") or None,
        scale=scale,
        ignore_unknown_members=arguments.get("ignore_unknown_members", "").lower() in _TRUE,
        encoding=arguments.get("encoding") or None,
        sheet=arguments.get("sheet") or None,
    )


def _number(text: str | None, kind: Callable[[str], Any], name: str) -> Any:
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise InvalidInput(N_("{name}={text!r} is not a number"), name=name, text=text) from None


def _body(limit: int) -> tuple[bytes, str] | IngestReport:
    """The uploaded bytes and a file name, or a ``too_large`` report."""
    too_large = IngestReport(
        status="rejected",
        issues=[
            Issue(
                None,
                None,
                None,
                Reason.TOO_LARGE,
                Text(
                    "the upload is larger than the limit of {limit:,} bytes; split it", limit=limit
                ),
            )
        ],
    )
    if request.content_length is not None and request.content_length > limit:
        return too_large
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise InvalidInput(N_("send the feed as the form field 'file'"))
        data = upload.read(limit + 1)
        name = upload.filename or "feed.csv"
    else:
        data = request.stream.read(limit + 1)
        name = _SUFFIXES.get(request.mimetype, "feed.csv")
    if len(data) > limit:
        return too_large
    return data, name
