"""``bsc export briefing``: the PDF for who may have it, a clear refusal for who may not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bsc.cli import app
from tests.security.rights import PERIOD

runner = CliRunner()


@pytest.fixture(scope="module")
def db(two_member_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("briefing-cli") / "demo.db"
    shutil.copy(two_member_demo, path)
    return f"sqlite:///{path}"


def run(db: str, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["--db", db, *args])
    return result, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_a_member_user_gets_its_own_book_in_chinese(db, tmp_path):
    output = tmp_path / "book.pdf"
    result, text = run(
        db,
        "--as",
        "m001",
        "export",
        "briefing",
        "--member",
        "M001",
        "--period",
        PERIOD,
        "--language",
        "zh-TW",
        "-o",
        str(output),
    )
    assert result.exit_code == 0, text
    reader = PdfReader(output)
    # The book is in Chinese; what the command prints is in the user's language (m001: English).
    assert f"wrote {output} ({len(reader.pages)} pages)" in text
    assert "簡報手冊" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--member", "NOPE"), "no member with code 'NOPE'; `bsc members list` shows"),
        (("--as", "m001"), "not allowed: the whole programme's briefing book"),
        (("--as", "m001", "--member", "M002"), "not allowed: the briefing book of member M002"),
        # A member user learns nothing of which codes exist.
        (("--as", "m001", "--member", "NOPE"), "not allowed: the briefing book of member NOPE"),
    ],
)
def test_an_unknown_or_forbidden_book_is_refused_before_anything_is_drawn(
    db, tmp_path, args, message
):
    acting = list(args[:2]) if args[0] == "--as" else []
    rest = list(args[2:]) if acting else list(args)
    output = tmp_path / "book.pdf"
    result, text = run(db, *acting, "export", "briefing", *rest, "-o", str(output))
    assert result.exit_code == 1, text
    assert message in " ".join(text.split())
    assert not output.exists()


def test_a_period_that_is_not_one_is_a_usage_error(db, tmp_path):
    result, text = run(db, "export", "briefing", "--period", "2026-13", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2, text
    assert "month 13 does not exist" in text
