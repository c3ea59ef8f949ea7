"""Every message a user can see is a template the translation catalogue knows.

Errors and issues carry English templates with parameters (:class:`kpi.messages.Text`), shown
in the reader's language. These tests find templates that are not marked for extraction (an
f-string or a bare literal where ``N_`` or ``Text`` belongs), templates without a translation,
and vocabulary codes without a label.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bsc import i18n
from kpi.issues import Reason, Severity
from strategy_maps.issues import Rule

ROOT = Path(__file__).parents[1]

#: Callables whose message argument (by position) is a template: it must be marked with ``N_``
#: (or be a Text or text built elsewhere), never a literal or an f-string written in place.
_MESSAGE_ARGUMENT = {
    "BscError": 0,
    "NotFound": 0,
    "Forbidden": 0,
    "Conflict": 0,
    "InvalidInput": 0,
    "TextError": 0,
    "BadValue": 0,
    "BadNumber": 0,
    "BadPeriod": 0,
    "InvalidPeriod": 0,
    "MapFormatError": 0,
    "require": 1,
    "Issue": 4,
}


def _python_files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def _unmarked(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name == "Text" and node.args and isinstance(node.args[0], ast.JoinedStr | ast.BinOp):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: Text(f-string)")
        position = _MESSAGE_ARGUMENT.get(name or "")
        if position is None:
            continue
        argument = (
            node.args[position]
            if len(node.args) > position
            else next((k.value for k in node.keywords if k.arg in ("message", "what")), None)
        )
        written_in_place = isinstance(argument, ast.JoinedStr | ast.BinOp) or (
            isinstance(argument, ast.Constant) and isinstance(argument.value, str)
        )
        if written_in_place:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(...) message not marked")
    return found


def test_messages_are_marked_templates_not_text_written_in_place():
    unmarked = [
        problem
        for path in _python_files("kpi", "strategy_maps", "bsc", "dashboard")
        for problem in _unmarked(path)
    ]
    assert unmarked == [], 'write the message as N_("…", …) or Text("…", …)'


def _marked_inside_f_strings(path: Path) -> list[tuple[str, str]]:
    """(where, message) of every ``t("…")`` or ``N_("…")`` written inside an f-string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (f"{path.relative_to(ROOT)}:{call.lineno}", call.args[0].value)
        for joined in ast.walk(tree)
        if isinstance(joined, ast.JoinedStr)
        for call in ast.walk(joined)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id in ("t", "N_")
        and call.args
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    ]


def test_messages_marked_inside_f_strings_are_extracted_elsewhere():
    """Extraction reads an f-string as one token, so what is marked only there has no
    translation and the test of the catalogue cannot see it."""
    from tests.test_i18n import wrapped_messages

    extracted = wrapped_messages()
    hidden = [
        f"{where}: {message!r}"
        for path in _python_files("kpi", "strategy_maps", "bsc", "dashboard")
        for where, message in _marked_inside_f_strings(path)
        if message not in extracted
    ]
    assert hidden == [], "call t() outside the f-string"


def _domain_templates() -> set[str]:
    templates: set[str] = set()
    for package in ("kpi", "strategy_maps"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package,
            method_map=[("**.py", "python")],
            keywords={"N_": None, "Text": None},
        ):
            templates.add(message if isinstance(message, str) else message[0])
    return templates


def test_every_template_of_the_domain_packages_is_translated():
    templates = _domain_templates()
    assert len(templates) > 150  # the extraction found the templates (and not nothing)
    catalogue = i18n.catalogue("zh-TW")
    missing = sorted(template for template in templates if template not in catalogue)
    assert missing == [], f"add these to bsc/i18n/zh_TW.po (make translations): {missing}"


@pytest.mark.parametrize(
    "code", sorted({*(r.value for r in Reason), *(r.value for r in Rule), *Severity})
)
def test_every_reason_rule_and_severity_has_a_translated_label(code):
    assert code in i18n.LABELS
    assert i18n.LABELS[code] in i18n.catalogue("zh-TW")
