"""Every user-facing string has a Traditional Chinese translation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bsc import i18n
from bsc.i18n import t, use_language

ROOT = Path(__file__).parents[1]
PACKAGES = ("kpi", "strategy_maps", "bsc", "dashboard")


def wrapped_messages() -> set[str]:
    """Every literal message given to ``t`` or ``N_``: as Babel extracts them, and those inside
    f-strings, which Babel does not look into."""
    messages: set[str] = _messages_in_fstrings()
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package,
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")],
            keywords={"t": None, "N_": None, "Text": None},
        ):
            messages.add(message if isinstance(message, str) else message[0])
    return messages


def _messages_in_fstrings() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for fstring in (n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)):
                for call in (n for n in ast.walk(fstring) if isinstance(n, ast.Call)):
                    name = getattr(call.func, "id", None)
                    if name in ("t", "N_") and call.args:
                        first = call.args[0]
                        if isinstance(first, ast.Constant) and isinstance(first.value, str):
                            found.add(first.value)
    return found


def test_every_wrapped_message_is_translated():
    catalogue = i18n.catalogue("zh-TW")
    missing = sorted(message for message in wrapped_messages() if message not in catalogue)
    assert missing == [], f"add these to bsc/i18n/zh_TW.po (make translations): {missing}"


@pytest.mark.parametrize("code", sorted(i18n.LABELS))
def test_vocabulary_labels_are_translated(code):
    assert i18n.LABELS[code] in i18n.catalogue("zh-TW")


def test_placeholders_survive_translation():
    catalogue = i18n.catalogue("zh-TW")
    for message, translation in catalogue.items():
        assert set(_placeholders(message)) == set(_placeholders(translation)), message


def _placeholders(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_numbers_and_dates_follow_the_language():
    from datetime import date

    with use_language("en"):
        assert i18n.format_number(1234567.891) == "1,234,567.9"
        assert t("Overview") == "Overview"
    with use_language("zh-TW"):
        assert i18n.format_number(1234567.891) == "1,234,567.9"
        assert i18n.format_day(date(2025, 1, 31)) == "2025年1月31日"
        assert t("Overview") == "總覽"


def test_page_names_in_the_navigation_are_translated(app):
    import dash

    catalogue = i18n.catalogue("zh-TW")
    names = {
        page["name"] for page in dash.page_registry.values() if page.get("nav_order") is not None
    }
    assert names and names <= set(catalogue)
