"""The REST API: every sample through it, and its status codes."""

from __future__ import annotations

import io
import json

import pytest
from sqlmodel import func, select

from bsc.authz import OPERATOR
from bsc.db import make_engine, session_scope
from bsc.models import Measurement, TokenScope
from bsc.services.users import issue_token
from bsc.settings import Settings
from tests import factories
from tests.conftest import SAMPLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def populated(web_settings: Settings) -> Settings:
    """The sample catalogue (M001–M008, eight KPIs) and one user per role."""
    engine = make_engine(web_settings.sqlalchemy_url)
    with session_scope(engine) as db:
        factories.standard_programme(db)
        factories.sample_catalogue(db)
    engine.dispose()
    return web_settings


@pytest.fixture
def tokens(populated: Settings) -> dict[str, str]:
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine) as db:
        made = {
            name: issue_token(db, username=name, actor=OPERATOR, source="cli")
            for name in ("office", "m001", "exec")
        }
        made["m001-read"] = issue_token(
            db, username="m001", actor=OPERATOR, source="cli", scopes=(TokenScope.READ,)
        )
    engine.dispose()
    return made


def _stored(populated: Settings) -> int:
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine, write=False) as db:
        count = db.exec(select(func.count()).select_from(Measurement)).one()
    engine.dispose()
    return count


def _post(app, token: str | None, path: str, data: bytes, mimetype: str = "text/csv", **query):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return app.server.test_client().post(
        path, data=data, headers=headers, content_type=mimetype, query_string=query
    )


def _cases() -> list[tuple[str, str, dict]]:
    cases = []
    for folder in ("feeds", "bad"):
        expected = json.loads((SAMPLES / folder / "expected.json").read_text(encoding="utf-8"))
        cases += [(folder, name, outcome) for name, outcome in expected.items()]
    return cases


@pytest.mark.parametrize(("folder", "name", "expected"), _cases())
def test_each_sample_gives_its_expected_outcome_through_the_api(
    app, tokens, populated, folder, name, expected
):
    member = expected["member"]
    path = f"/api/v1/members/{member}/measurements" if member else "/api/v1/measurements"
    mimetype = XLSX if name.endswith(".xlsx") else "text/csv"
    response = _post(
        app, tokens["office"], path, (SAMPLES / folder / name).read_bytes(), mimetype, filename=name
    )
    report = response.get_json()
    assert report["status"] == expected["status"], report["issues"][:3]
    if expected["status"] == "applied":
        assert response.status_code == 201
        assert report["rows"]["applied"] == expected["applied"] == _stored(populated)
        assert report["layout"] == expected["layout"]
    else:
        assert response.status_code == 422
        errors = [issue for issue in report["issues"] if issue["severity"] == "error"]
        assert errors[0]["reason"] == expected["reason"]
        assert errors[0].get("line") == expected.get("line", errors[0].get("line"))
        assert _stored(populated) == 0


def test_status_codes(app, tokens, populated):
    feed = (SAMPLES / "feeds" / "M004_synonyms.tsv").read_bytes()
    own = "/api/v1/members/M001/measurements"
    assert _post(app, None, own, feed).status_code == 401
    assert _post(app, "not-a-token", own, feed).status_code == 401
    assert _post(app, tokens["m001-read"], own, feed).status_code == 401
    assert _post(app, tokens["m001"], "/api/v1/members/M002/measurements", feed).status_code == 403
    assert _post(app, tokens["m001"], "/api/v1/members/M999/measurements", feed).status_code == 403
    assert (
        _post(app, tokens["office"], "/api/v1/members/M999/measurements", feed).status_code == 404
    )
    assert _post(app, tokens["exec"], own, feed).status_code == 403
    assert _post(app, tokens["m001"], own, feed, scale="x").status_code == 400
    dry = _post(app, tokens["m001"], own, feed, dry_run="true")
    assert dry.status_code == 200 and dry.get_json()["status"] == "dry_run"
    assert _stored(populated) == 0
    applied = _post(app, tokens["m001"], own, feed)
    assert applied.status_code == 201 and applied.get_json()["member"] == "M001"
    assert _stored(populated) == 12


def test_over_the_size_limit_is_413_with_a_report(app, tokens, populated):
    limit = populated.max_upload_bytes
    response = _post(app, tokens["m001"], "/api/v1/members/M001/measurements", b"x" * (limit + 1))
    assert response.status_code == 413
    assert response.get_json()["issues"][0]["reason"] == "too_large"


def test_json_rows_and_multipart_files(app, tokens, populated):
    rows = {
        "rows": [
            {"kpi": "INCIDENTS", "period": "114/01", "value": 3},
            {"kpi": "INCIDENTS", "period": "2025-02", "value": None},
            {"kpi": "INCIDENTS", "period": "2025-13", "value": "x"},
        ]
    }
    path = "/api/v1/members/M001/measurements"
    rejected = _post(app, tokens["m001"], path, json.dumps(rows).encode(), "application/json")
    assert rejected.status_code == 422
    assert [(i["line"], i["reason"]) for i in rejected.get_json()["issues"]] == [
        (3, "bad_period"),
        (3, "bad_number"),
    ]
    rows["rows"].pop()
    applied = _post(app, tokens["m001"], path, json.dumps(rows).encode(), "application/json")
    assert applied.status_code == 201
    assert applied.get_json()["rows"] == {
        "read": 2,
        "applied": 1,
        "unchanged": 0,
        "empty": 1,
        "ignored": 0,
    }
    client = app.server.test_client()
    upload = client.post(
        path,
        headers={"Authorization": f"Bearer {tokens['m001']}"},
        data={
            "file": (io.BytesIO((SAMPLES / "feeds" / "M004_synonyms.tsv").read_bytes()), "M4.tsv")
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201
    assert upload.get_json()["rows"]["applied"] == 12  # one of them changes 114/01's value


def test_reading_back_and_the_openapi_document(app, tokens, populated):
    feed = (SAMPLES / "feeds" / "M004_synonyms.tsv").read_bytes()
    _post(app, tokens["office"], "/api/v1/members/M001/measurements", feed)
    client = app.server.test_client()
    headers = {"Authorization": f"Bearer {tokens['m001-read']}"}
    rows = client.get("/api/v1/members/M001/measurements", headers=headers).get_json()
    assert rows[0] == {
        "member_code": "M001",
        "kpi_code": "FILE_AUTO",
        "period": "2025-01",
        "value": 40.3,
    }
    assert client.get("/api/v1/members/M002/measurements", headers=headers).status_code == 403
    assert client.get("/api/v1/members/M001/measurements").status_code == 401
    document = client.get("/api/v1/openapi.json").get_json()
    assert set(document["paths"]) == {"/measurements", "/members/{code}/measurements"}
    post = document["paths"]["/members/{code}/measurements"]["post"]
    assert {"201", "401", "403", "413", "422"} <= set(post["responses"])
    assert "UploadReport" in document["components"]["schemas"]


def test_every_use_of_a_token_is_logged_refused_ones_too(app, tokens, populated):
    from bsc.models import ApiToken, ApiTokenUse
    from bsc.services.users import revoke_token
    from dashboard.figures.admin import token_uses_table
    from dashboard.registry import ExportContext

    feed = (SAMPLES / "feeds" / "M004_synonyms.tsv").read_bytes()
    own = "/api/v1/members/M001/measurements"
    assert _post(app, tokens["m001"], own, feed, dry_run="1").status_code == 200
    assert _post(app, tokens["m001"], "/api/v1/members/M002/measurements", feed).status_code == 403
    assert _post(app, tokens["m001-read"], own, feed).status_code == 401  # lacks the scope
    read = app.server.test_client().get(own, headers={"Authorization": f"Bearer {tokens['m001']}"})
    assert read.status_code == 200
    assert _post(app, "not-a-token", own, feed).status_code == 401  # no token: nothing to log
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine) as db:
        token_id = db.exec(select(ApiToken.id).where(ApiToken.scopes == "read")).one()
        revoke_token(db, token_id=token_id, actor=OPERATOR, source="cli")
    engine.dispose()
    assert _post(app, tokens["m001-read"], own, feed).status_code == 401
    engine = make_engine(populated.sqlalchemy_url)
    with session_scope(engine, write=False) as db:
        uses = db.exec(select(ApiTokenUse).order_by(ApiTokenUse.id)).all()
        logged = [(use.method, use.path, use.status) for use in uses]
        table = token_uses_table(ExportContext(db, OPERATOR))
    engine.dispose()
    assert logged == [
        ("POST", f"{own}?dry_run=1", 200),
        ("POST", "/api/v1/members/M002/measurements", 403),
        ("POST", own, 401),
        ("GET", own, 200),
        ("POST", own, 401),
    ]
    assert all(use.client == "127.0.0.1" for use in uses)
    assert list(table["Request"])[0] == f"POST {own}" and len(table) == 5
