"""Reports and errors in the reader's language: ``bsc --language``, the ``--as`` user's language,
stored reports read back in either language, and every sample's messages translated."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bsc.cli import app
from bsc.db import session_scope
from bsc.errors import NotFound
from bsc.i18n import N_, catalogue, current_language, use_language
from bsc.models import Upload, User
from bsc.services.results import IngestReport
from kpi.issues import Issue, Reason
from kpi.messages import Text
from tests import factories
from tests.bsc.test_maps_cli import CYCLIC, prepared
from tests.conftest import SAMPLES

runner = CliRunner()
BAD_PERIOD = str(SAMPLES / "bad" / "bad_period.csv")


def _ingest(db_url: str, *arguments: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", db_url, *arguments])


@pytest.fixture
def catalogue_db(engine, db_url: str) -> str:
    with session_scope(engine) as session:
        factories.standard_programme(session)
        factories.sample_catalogue(session)
    return db_url


def test_a_rejected_feed_in_chinese_keeps_values_lines_and_codes(catalogue_db):
    english = _ingest(catalogue_db, "ingest", BAD_PERIOD, "--format", "json")
    chinese = _ingest(catalogue_db, "--language", "zh-TW", "ingest", BAD_PERIOD, "--format", "json")
    assert english.exit_code == chinese.exit_code == 1
    en, zh = json.loads(english.stdout)["issues"], json.loads(chinese.stdout)["issues"]
    assert [i["message"] for i in en] == [
        "month 13 does not exist",
        "month 13 does not exist",
        "'soon' is not a period; write it as 2025-01, 2025-Q1 or 2025 (ROC forms such as 114/01 "
        "or 114年第1季 work too)",
    ]
    assert [i["message"] for i in zh] == [
        "沒有 13 月",
        "沒有 13 月",
        "'soon' 不是期間；請寫成 2025-01、2025-Q1 或 2025"
        "（也可使用民國格式，如 114/01 或 114年第1季）",
    ]
    for issue in (*en, *zh):
        issue.pop("message")
    assert en == zh  # lines, columns, values, reason and severity codes as they were
    assert [(i["line"], i["value"], i["reason"]) for i in zh] == [
        (2, "2025-13", "bad_period"),
        (3, "114/13", "bad_period"),
        (4, "soon", "bad_period"),
    ]


def test_the_text_report_is_chinese_too(catalogue_db):
    result = _ingest(catalogue_db, "--language", "zh-TW", "ingest", BAD_PERIOD)
    assert result.exit_code == 1
    assert "bad_period.csv：已退回，未儲存任何資料" in result.output
    assert "原因" in result.output and "期間錯誤" in result.output and "soon" in result.output
    assert "rejected" not in result.output


def test_the_as_users_language_is_the_default_and_language_overrides_it(catalogue_db, engine):
    with session_scope(engine) as session:
        session.exec(select(User).where(User.username == "m001")).one().language = "zh-TW"
    feed = str(SAMPLES / "bad" / "other_member.csv")
    theirs = _ingest(catalogue_db, "--as", "m001", "ingest", feed, "--format", "json")
    [issue] = json.loads(theirs.stdout)["issues"]
    assert issue["message"] == "此次上傳屬於會員 M001；不允許其他會員的資料列"
    assert issue["reason"] == "member_not_allowed"
    ours = _ingest(
        catalogue_db, "--as", "m001", "--language", "en", "ingest", feed, "--format", "json"
    )
    assert json.loads(ours.stdout)["issues"][0]["message"].startswith("this upload is for member")


def test_errors_are_in_the_language_too(catalogue_db):
    unknown = _ingest(catalogue_db, "--language", "zh-TW", "ingest", BAD_PERIOD, "--member", "M999")
    assert unknown.exit_code == 2
    assert "查無代號為 'M999' 的會員" in unknown.output


def test_the_language_ends_with_the_command(catalogue_db):
    _ingest(catalogue_db, "--language", "zh-TW", "ingest", BAD_PERIOD)
    assert current_language() == "en"
    assert str(NotFound(N_("no upload {upload_id}"), upload_id=1)) == "no upload 1"


def test_a_map_validation_in_chinese(tmp_path, sqlite_url):
    path = tmp_path / "cyclic.yaml"
    path.write_text(CYCLIC, encoding="utf-8")
    prepared(sqlite_url)
    result = _ingest(sqlite_url, "--language", "zh-TW", "maps", "validate", str(path))
    assert result.exit_code == 1
    assert "循環" in result.output and "無效" in result.output
    report = json.loads(
        _ingest(
            sqlite_url, "--language", "zh-TW", "maps", "validate", str(path), "--format", "json"
        ).stdout
    )
    [cycle] = [issue for issue in report["issues"] if issue["rule"] == "cycle"]
    assert "F1 → P1 → C1 → F1" in cycle["message"] and "循環" in cycle["message"]


def test_a_stored_report_reads_back_in_either_language(catalogue_db, engine):
    _ingest(catalogue_db, "ingest", BAD_PERIOD)
    with session_scope(engine, write=False) as session:
        stored = session.exec(select(Upload)).one().report
    assert stored is not None
    assert stored["issues"][0]["message"] == "month 13 does not exist"
    assert stored["issues"][0]["text"] == {
        "template": "month {month} does not exist",
        "params": {"month": 13},
    }
    report = IngestReport.from_dict(stored)
    with use_language("zh-TW"):
        assert report.to_dict()["issues"][0]["message"] == "沒有 13 月"
    assert report.to_dict()["issues"][0]["message"] == "month 13 does not exist"


def test_a_report_stored_before_messages_kept_their_templates_still_reads():
    old = {
        "status": "rejected",
        "rows": {"read": 3},
        "issues": [
            {"line": 2, "column": "period", "value": "x", "reason": "bad_period",
             "message": "the period is empty", "severity": "error"},
            {"line": 3, "column": "period", "value": "y", "reason": "bad_period",
             "message": "month 13 does not exist", "severity": "error"},
        ],
    }  # fmt: skip
    report = IngestReport.from_dict(old)
    with use_language("zh-TW"):
        messages = [issue["message"] for issue in report.to_dict()["issues"]]
    # A message without parameters is its own template; the others read as they were stored.
    assert messages == ["期間為空白", "month 13 does not exist"]
    assert report.read == 3 and report.issues[1].reason is Reason.BAD_PERIOD


BAD = json.loads((SAMPLES / "bad" / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(BAD))
def test_every_message_of_the_bad_samples_has_a_translation(catalogue_db, engine, name):
    member = BAD[name]["member"]
    _ingest(
        catalogue_db, "ingest", str(SAMPLES / "bad" / name), *(["--member", member] * bool(member))
    )
    with session_scope(engine, write=False) as session:
        [upload] = session.exec(select(Upload)).all()
    issues = [Issue.from_record(item) for item in upload.report["issues"]]  # type: ignore[index]
    assert issues
    for issue in issues:
        for text in _texts(issue.message):
            assert text.template in catalogue("zh-TW"), text.template


def _texts(text: Text) -> list[Text]:
    nested = [value for value in text.params.values() if isinstance(value, Text)]
    return [text, *(inner for value in nested for inner in _texts(value))]


def test_the_scorecards_explanations_and_tables_in_chinese(db_url, engine):
    from tests.scoring_factories import worked_programme

    with session_scope(engine) as session:
        worked_programme(session)
    arguments = ["scorecard", "--member", "M001", "--period", "2025-Q3"]
    english = json.loads(_ingest(db_url, *arguments, "--format", "json").stdout)
    chinese = json.loads(
        _ingest(db_url, "--language", "zh-TW", *arguments, "--format", "json").stdout
    )
    assert chinese["status"] == english["status"] == "amber"  # codes stay
    cost = {kpi["code"]: kpi["explanation"] for kpi in chinese["kpis"]}["COST"]
    assert cost.startswith("2025-Q3：13 TWD，目標值 12 TWD；黃燈需 ≤ 15 TWD ⇒ 黃燈")
    assert "vs target" in {kpi["code"]: kpi["explanation"] for kpi in english["kpis"]}["COST"]
    table = _ingest(db_url, "--language", "zh-TW", *arguments)
    assert table.exit_code == 0
    for text in ("策略目標", "構面", "資料涵蓋率", "黃燈", "學習成長", "改善中"):
        assert text in table.output
