"""Reports and errors in the reader's language on the web: the API (``Accept-Language``, else
the token user's language), the Upload page and the map editor."""

from __future__ import annotations

import base64

import pytest
from sqlmodel import select

from bsc.authz import OPERATOR
from bsc.db import make_engine, session_scope
from bsc.i18n import use_language
from bsc.models import User
from bsc.services.users import issue_token
from bsc.settings import Settings
from strategy_maps.io import read_map
from strategy_maps.validation import validate
from tests import factories
from tests.conftest import SAMPLES, as_user

BAD_PERIOD = (SAMPLES / "bad" / "bad_period.csv").read_bytes()
MESSAGES = {
    "en": ["month 13 does not exist", "month 13 does not exist"],
    "zh-TW": ["沒有 13 月", "沒有 13 月"],
}


@pytest.fixture
def populated(web_settings: Settings) -> Settings:
    """The sample catalogue and one user per role; m001 reads Traditional Chinese."""
    engine = make_engine(web_settings.sqlalchemy_url)
    with session_scope(engine) as db:
        factories.standard_programme(db)
        factories.sample_catalogue(db)
        db.exec(select(User).where(User.username == "m001")).one().language = "zh-TW"
    engine.dispose()
    return web_settings


@pytest.fixture
def tokens(populated: Settings) -> dict[str, str]:
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine) as db:
        made = {
            name: issue_token(db, username=name, actor=OPERATOR, source="cli")
            for name in ("office", "m001")
        }
    engine.dispose()
    return made


def _post(app, token: str | None, path: str = "/api/v1/members/M001/measurements", **headers):  # type: ignore[no-untyped-def]
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return app.server.test_client().post(
        path, data=BAD_PERIOD, headers=headers, content_type="text/csv"
    )


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [issue["message"] for issue in response.get_json()["issues"]][:2]


@pytest.mark.parametrize(
    ("user", "accept", "language"),
    [
        ("office", None, "en"),  # the program office reads English
        ("m001", None, "zh-TW"),  # m001 reads Chinese
        ("office", "zh-TW", "zh-TW"),  # the header wins
        ("office", "zh-Hant-HK, en;q=0.5", "zh-TW"),
        ("m001", "en-GB,zh-TW;q=0.8", "en"),
        ("m001", "zh-CN, fr", "zh-TW"),  # nothing the app speaks: the user's language
    ],
)
def test_the_api_answers_in_the_asked_or_the_users_language(app, tokens, user, accept, language):
    headers = {"Accept-Language": accept} if accept else {}
    response = _post(app, tokens[user], **headers)
    assert response.status_code == 422
    assert _messages(response) == MESSAGES[language]
    issues = response.get_json()["issues"]
    assert [(i["line"], i["value"], i["reason"]) for i in issues] == [
        (2, "2025-13", "bad_period"),
        (3, "114/13", "bad_period"),
        (4, "soon", "bad_period"),
    ]


def test_api_errors_follow_the_language_too(app, tokens):
    unauthorised = _post(app, None, **{"Accept-Language": "zh-TW"})
    assert unauthorised.status_code == 401
    assert unauthorised.get_json()["error"] == "請以 'Authorization: Bearer TOKEN' 送出 API 權杖"
    missing = _post(app, tokens["office"], "/api/v1/members/M999/measurements")
    assert missing.status_code == 404
    assert missing.get_json()["error"].startswith("no member with code 'M999'")
    forbidden = _post(app, tokens["m001"], "/api/v1/members/M002/measurements")
    assert forbidden.get_json()["error"] == "不允許：為會員 M002 上傳指標資料"


def _contents(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("user", "language", "headers", "labels"),
    [
        ("m001", "zh-TW", ("說明", "數值", "原因", "嚴重度"), ("期間錯誤", "錯誤")),
        ("office", "en", ("Message", "Value", "Reason", "Severity"), ("Bad period", "Error")),
    ],
)
def test_the_upload_page_reports_in_the_users_language(app, user, language, headers, labels):
    from dashboard.pages import upload

    form = (None, None, None, None, False, [None, None, None, None])
    with as_user(app, user, "/upload"):
        app.server.preprocess_request()  # the request guard sets the signed-in user's language
        summary, _, rows, _, disabled, *_ = upload.check_file(
            _contents(BAD_PERIOD), "M001", None, "bad_period.csv", *form
        )
    message, value, reason, severity = headers
    assert disabled is True
    assert [row[message] for row in rows][:2] == MESSAGES[language]
    assert [row[value] for row in rows] == ["2025-13", "114/13", "soon"]
    assert {(row[reason], row[severity]) for row in rows} == {labels}
    assert (
        summary.children
        == {
            "zh-TW": "已退回：有 3 個問題需要修正；未儲存任何資料。",
            "en": "Rejected: 3 problems to fix; nothing was stored.",
        }[language]
    )


def test_the_map_editor_shows_validation_messages_in_chinese():
    from dashboard.components.map_editor import issue_text

    document, _ = read_map(
        "name: x\nobjectives:\n- {key: F1, perspective: financial, title: Cost}\n"
        "- {key: C1, perspective: customer, title: Service}\nlinks: [[F1, C1]]\n"
    )
    issues = validate(document, known_kpis=None)
    with use_language("zh-TW"):
        texts = [issue_text(issue) for issue in issues]
    assert "學習成長構面沒有任何目標" in texts
    assert any("F1" in text and "C1" in text and "財務" in text for text in texts), texts
    assert "the learning perspective has no objectives" in [issue.message for issue in issues]
