"""``bsc pest|rollout|survey|vendors``: imports with reports and exit codes, decisions, rights."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bsc.cli import app
from tests.conftest import DEMO

runner = CliRunner()

STEPS = [
    ("members", "import", "members.csv"),
    ("rollout", "import-waves", "waves.csv"),
    ("rollout", "import", "rollout.csv"),
    ("pest", "import-factors", "pest_factors.csv"),
    ("pest", "import", "pest_ratings.csv"),
    ("survey", "import-items", "survey_items.csv"),
    ("survey", "import", "survey_responses.csv"),
    ("vendors", "import-criteria", "vendor_criteria.csv"),
    ("vendors", "import", "vendor_scores.csv"),
    ("vendors", "import-decision", "vendor_decision.csv"),
]


def run(db_url: str, *args: str, input: str | None = None):
    return runner.invoke(app, ["--db", db_url, *args], input=input)


def test_every_demo_file_imports_and_again_is_unchanged(db_url):
    for group, command, name in STEPS:
        result = run(db_url, group, command, str(DEMO / name))
        assert result.exit_code == 0, (name, result.output)
        assert "created" in result.output
    again = run(db_url, "pest", "import", str(DEMO / "pest_ratings.csv"), "--format", "json")
    report = json.loads(again.stdout)
    assert (report["status"], report["created"], report["unchanged"]) == ("applied", 0, 224)


def test_a_bad_row_exits_1_with_line_column_and_reason(db_url, tmp_path):
    run(db_url, "members", "import", str(DEMO / "members.csv"))
    run(db_url, "rollout", "import-waves", str(DEMO / "waves.csv"))
    bad = tmp_path / "rollout.csv"
    bad.write_text(
        "member,wave,stage,planned_start,planned_end,percent_complete\n"
        "M001,pilot,design,2024-01-01,2024-02-01,0\n"
        "M001,pilot,test,2024-02-02,2024-01-01,0\n"
        "M777,pilot,build,,,0\n",
        encoding="utf-8",
    )
    result = run(db_url, "rollout", "import", str(bad), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["status"] == "rejected" and report["created"] == 0
    assert [(i["line"], i["column"], i["reason"]) for i in report["issues"]] == [
        (3, "planned_end", "bad_value"),
        (4, "member", "unknown_member"),
    ]
    text = run(db_url, "rollout", "import", str(bad))
    assert text.exit_code == 1 and "rejected, nothing stored" in text.output


def test_decide_and_ranking(db_url):
    for group, command, name in STEPS[:1] + STEPS[7:9]:
        run(db_url, group, command, str(DEMO / name))
    refused = run(db_url, "vendors", "decide", "V3")
    assert refused.exit_code == 1 and "not the top scorer" in refused.output
    chosen = run(db_url, "vendors", "decide", "V3", "--reason", "Local support")
    assert chosen.exit_code == 0 and "recorded" in chosen.output
    ranking = json.loads(run(db_url, "vendors", "ranking", "--format", "json").stdout)
    assert [r["vendor"] for r in ranking["ranking"]] == ["V1", "V2", "V4", "V3"]
    assert ranking["ranking"][0]["score"] == 81.22
    assert ranking["top_is_stable"] and len(ranking["stability"]) == 10
    assert ranking["decision"]["vendor"] == "V3"
    text = run(db_url, "vendors", "ranking")
    assert "stays on top when any weight moves ±10 %" in text.output


def test_acting_as_a_member_is_refused(db_url):
    run(db_url, "members", "import", str(DEMO / "members.csv"))
    added = run(
        db_url,
        "users",
        "add",
        "m1",
        "--role",
        "member",
        "--member",
        "M001",
        "--password-stdin",
        input="a-long-password-1\n",
    )
    assert added.exit_code == 0, added.output
    result = run(db_url, "--as", "m1", "rollout", "import-waves", str(DEMO / "waves.csv"))
    assert result.exit_code == 1 and "not allowed" in result.output
    ranking = run(db_url, "--as", "m1", "vendors", "ranking")
    assert ranking.exit_code == 1 and "not allowed" in ranking.output
