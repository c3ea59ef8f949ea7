"""Every page, chart and table in Traditional Chinese leaves no English behind but data.

On the demo programme, each page layout (with the navigation around it and its browser-tab
title) and each registered chart and table is built in zh-TW as every role that may see it, and
everything a reader sees is collected (:mod:`tests.visible_text`): texts, labels, placeholders,
grid headers, rows and menus, chart titles, axes, legends, annotations and hover texts, the
grids', charts' and dropdowns' own texts. A string fails when

* it is an English message of the catalogue: it was shown without ``t``;
* it holds the English name of something that has a Chinese one (a member, a KPI, an
  objective, a PEST factor, a survey item, a vendor criterion);
* an English word is left once data shown as stored (names without a Chinese one, notes,
  comments, descriptions, units, codes, user and file names) is taken out.
"""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dash
import pytest
from sqlalchemy import text
from sqlmodel import select

from bsc import i18n
from bsc.db import make_engine, session_scope
from bsc.models import Member, Role, Upload
from bsc.settings import Settings
from dashboard.access import allows
from dashboard.auth import require_principal
from dashboard.registry import ExportContext, build_chart, build_table, charts, tables
from dashboard.state import read_session
from tests import factories
from tests.conftest import SAMPLES, as_user
from tests.demo_data import load_demo_data
from tests.visible_text import component_texts, english_words, figure_texts, frame_texts

USERS = ("exec", "po", "office", "m001")
MEMBER = "M001"
#: Words that stay as they are in Chinese text: the product's name, file formats, acronyms
#: written in Latin letters in Taiwan too, and the names of the languages themselves.
KEPT_WORDS = {
    "Pilot",
    "Scorecard",
    "Excel",
    "Granger",
    "Plotly",
    "js",
    "Enter",
    *i18n.LANGUAGES.values(),
}
#: Columns that show records as they were stored: the audit log's before and after values, and
#: the messages of a stored upload's report, written when the file was checked, in the language
#: of the one who sent it.
RECORD_COLUMNS = {"Before", "After", "Message"}
_IDENTIFIER = re.compile(r"[_0-9]")


@dataclass(frozen=True)
class Data:
    """What the demo database holds that pages show as it is stored."""

    texts: list[str]  #: free text and names without a Chinese one, longest first
    words: set[str]  #: single words: units, codes, user names
    english_names: list[str]  #: names that have a Chinese one


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Settings:
    folder = tmp_path_factory.mktemp("zh-tw")
    shutil.copy(sqlite_template, folder / "bsc.db")
    settings = Settings(
        home=folder / "home",
        database_url=f"sqlite:///{folder / 'bsc.db'}",
        secret_key="zh-tw-secret",
        language="zh-TW",
    )
    engine = make_engine(settings.sqlalchemy_url)
    load_demo_data(engine)
    with session_scope(engine) as session:
        members = {m.code: m for m in session.exec(select(Member)).all()}
        factories.user(session, "exec", Role.EXECUTIVE, language="zh-TW")
        factories.user(session, "po", Role.PROGRAM_OFFICE, language="zh-TW")
        factories.user(session, "office", Role.PROGRAM_OFFICE, is_admin=True, language="zh-TW")
        factories.user(session, "m001", Role.MEMBER, members[MEMBER], language="zh-TW")
    engine.dispose()
    return settings


@pytest.fixture(scope="module")
def demo_app(demo_settings: Settings):  # type: ignore[no-untyped-def]
    from dashboard import create_app

    return create_app(demo_settings)


def _column(session: Any, sql: str) -> list[str]:
    return [str(value) for (value,) in session.execute(text(sql)).all() if value]


@pytest.fixture(scope="module")
def data(demo_settings: Settings) -> Data:
    engine = make_engine(demo_settings.sqlalchemy_url)
    pairs = (
        ("member", "name", "name_zh"),
        ("kpi_definition", "name", "name_zh"),
        ("objective", "title", "title_zh"),
        ("pest_factor", "name", "name_zh"),
        ("survey_item", "text", "text_zh"),
        ("vendor_criterion", "name", "name_zh"),
    )
    free_text = (
        "SELECT name FROM rollout_wave",
        "SELECT name FROM vendor",
        "SELECT expert FROM vendor_score",
        "SELECT reason FROM vendor_decision",
        "SELECT description FROM pest_factor",
        "SELECT rater FROM pest_rating",
        "SELECT note FROM pest_rating",
        "SELECT description FROM objective",
        "SELECT name FROM strategy_map",
        "SELECT note FROM strategy_map",
        "SELECT comment FROM survey_response",
        "SELECT note FROM survey_remediation",
        "SELECT note FROM rollout_stage",
        "SELECT filename FROM upload",
    )
    single_words = (
        "SELECT unit FROM kpi_definition",
        "SELECT username FROM user_account",
        "SELECT actor FROM upload",
        "SELECT actor FROM audit_log",
        "SELECT code FROM rollout_wave",
    )
    with session_scope(engine, write=False) as session:
        english_names: list[str] = []
        untranslated: list[str] = []
        for table, english, chinese in pairs:
            rows = session.execute(text(f"SELECT {english}, {chinese} FROM {table}")).all()
            for name, name_zh in rows:
                (english_names if name_zh and name_zh != name else untranslated).append(name)
        texts = [value for sql in free_text for value in _column(session, sql)]
        words = {value for sql in single_words for value in _column(session, sql)}
    engine.dispose()
    return Data(
        texts=sorted({*texts, *untranslated}, key=len, reverse=True),
        words=words | KEPT_WORDS,
        english_names=sorted(set(english_names), key=len, reverse=True),
    )


def _english_messages() -> set[str]:
    return {
        message
        for message, translation in i18n.catalogue("zh-TW").items()
        if translation != message and re.search(r"[A-Za-z]{2}", message)
    }


def problems(texts: Iterable[str], data: Data) -> list[str]:
    """The strings a Chinese reader would find English in, each saying why."""
    untranslated = _english_messages()
    found = []
    for shown in dict.fromkeys(texts):
        if shown.strip() in untranslated:
            found.append(f"not translated: {shown!r}")
            continue
        stripped = shown
        for allowed in data.texts:
            stripped = stripped.replace(allowed, " ")
        named = [name for name in data.english_names if name in stripped]
        if named:
            found.append(f"English name {named[0]!r} in {shown!r}")
            continue
        words = [
            word
            for word in english_words(stripped, allowed_words=data.words)
            if not _IDENTIFIER.search(word) and not word.isupper()
        ]
        if words:
            found.append(f"English {words} in {shown!r}")
    return found


def _report(shown: dict[str, list[str]]) -> str:
    """One line per problem, with where it was seen (the first few places)."""
    return "\n".join(
        f"{problem}  ({', '.join(where[:4])}{' …' if len(where) > 4 else ''})"
        for problem, where in shown.items()
    )


# --------------------------------------------------------------------------- pages


def _cases() -> Iterator[tuple[str, str, dict[str, str], str]]:
    """(page template, path, path variables, user) for every page and user; pages about a
    member for M001, and the map editor for the programme template too."""
    for page in sorted(dash.page_registry.values(), key=lambda p: p["path"]):
        template = page.get("path_template") or page["path"]
        codes = [MEMBER, "template"] if template.endswith("/map/edit") else [MEMBER]
        for code in codes if "<code>" in template else [None]:
            path = template.replace("<code>", code) if code else template
            variables = {"code": code} if code else {}
            for user in USERS:
                yield template, path, variables, user


def _page(template: str) -> dict[str, Any]:
    return next(
        page
        for page in dash.page_registry.values()
        if (page.get("path_template") or page["path"]) == template
    )


@pytest.mark.parametrize("user", USERS)
def test_the_navigation_is_in_chinese(demo_app, data, user):
    from dashboard.layout import shell

    with as_user(demo_app, user), i18n.use_language("zh-TW"):
        texts = list(component_texts(shell()))
        titles = [page["title"]() for page in dash.page_registry.values()]
    assert problems([*texts, *titles], data) == []
    assert "總覽" in texts


def test_every_page_in_chinese_as_every_role_that_may_open_it(demo_app, data):
    shown: dict[str, list[str]] = {}
    opened = []
    for template, path, variables, user in _cases():
        page = _page(template)
        with as_user(demo_app, user, path), i18n.use_language("zh-TW"):
            if not allows(page.get("access", "signed_in"), require_principal(), variables):
                continue
            layout = page["layout"](**variables)
            texts = list(component_texts(layout, skip_fields=record_columns()))
        opened.append(f"{user} {path}")
        for problem in problems(texts, data):
            shown.setdefault(problem, []).append(f"{user} {path}")
    assert len(opened) >= 30, opened
    assert not shown, _report(shown)


def record_columns() -> set[str]:
    """The headers of raw-record columns in the current language."""
    return {i18n.t(name) for name in RECORD_COLUMNS}


# --------------------------------------------------------------------------- charts, tables


def _params(demo_settings: Settings) -> dict[str, Any]:
    engine = make_engine(demo_settings.sqlalchemy_url)
    with session_scope(engine, write=False) as session:
        member = session.exec(select(Member).where(Member.code == MEMBER)).one()
        upload = session.exec(select(Upload).where(Upload.member_id == member.id)).first()
        assert upload is not None
        upload_id = upload.id
    engine.dispose()
    return {"kpi": "OPEX_SAVING", "upload": upload_id, "kinds": ["ingest"]}


def test_every_chart_and_table_in_chinese_as_every_role_that_may_see_it(
    demo_app, demo_settings, data
):
    params = _params(demo_settings)
    shown: dict[str, list[str]] = {}
    built = []
    for user in USERS:
        with as_user(demo_app, user), i18n.use_language("zh-TW"), read_session() as session:
            context = ExportContext(session, require_principal(), MEMBER, None, params)
            for name, entry in charts().items():
                if entry.allowed(context):
                    texts = [i18n.t(entry.title), *figure_texts(build_chart(name, context))]
                    built.append(f"{user} chart {name}")
                    for problem in problems(texts, data):
                        shown.setdefault(problem, []).append(f"{user} {name}")
            for name, entry in tables().items():
                if entry.allowed(context):
                    frame = build_table(name, context)
                    frame = frame.drop(columns=record_columns(), errors="ignore")
                    texts = [i18n.t(entry.title), *frame_texts(frame)]
                    built.append(f"{user} table {name}")
                    for problem in problems(texts, data):
                        shown.setdefault(problem, []).append(f"{user} {name}")
    assert set(charts()) <= {b.split()[-1] for b in built}
    assert set(tables()) <= {b.split()[-1] for b in built}
    assert not shown, _report(shown)


# --------------------------------------------------------------------------- callbacks


def test_what_callbacks_show_is_in_chinese(demo_app, data):
    """The texts pages show only after a click or a file: an objective's panel on the map, the
    outcome of checking a KPI file."""
    from dashboard.pages import strategy_map, upload

    feed = (SAMPLES / "feeds" / "M001_big5_roc.csv").read_bytes()
    contents = "data:text/csv;base64," + base64.b64encode(feed).decode()
    with as_user(demo_app, "m001", "/upload"), i18n.use_language("zh-TW"):
        panels = [
            strategy_map._on_objective({"key": key}, None, MEMBER)
            for key in ("F1", "C1", "P1", "L1", "L2")
        ]
        checked = upload.check_file(contents, MEMBER, None, "M001.csv", *UPLOAD_FORM)
        texts = [
            *component_texts(panels),
            *component_texts(checked[0]),
            *(
                value
                for row in checked[2]
                for column, value in row.items()
                if isinstance(value, str) and column not in record_columns()
            ),
        ]
    assert "F1 · 降低後台作業成本" in texts and len(texts) > 50
    assert not (found := problems(texts, data)), "\n".join(found)


UPLOAD_FORM = (None, None, None, None, False, [None, None, None, None])


def test_the_check_catches_what_it_should(demo_app, data):
    assert problems(["Overview"], data) == ["not translated: 'Overview'"]
    assert problems(["M001 Formosa Securities"], data) != []
    assert problems(["尚無資料 (no data yet)"], data) != []
    assert problems(["M001 福爾摩沙證券", "OPEX_SAVING", "12 TWD", "Wave 2", "PNG"], data) == []
    # The walk sees the page: the same overview in English is all English.
    with as_user(demo_app, "exec", "/"), i18n.use_language("en"):
        english = list(component_texts(_page("/")["layout"]()))
    assert len(problems(english, data)) > 20
