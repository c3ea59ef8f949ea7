"""Briefing books as PDFs: contents with the right page numbers, page numbers on every page,
bookmarks, Chinese text, the sections and members they cover, and who may have which book.

Two books are made once for the module (the programme's in English and member M001's in
Chinese, both asked for by an executive) on the two-member demo.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import select

from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden, InvalidInput, NotFound
from bsc.i18n import use_language
from bsc.models import Member, User
from bsc.services.scorecard import scorecard
from bsc.services.users import principal_for
from dashboard.briefing import compose_book, make_briefing
from dashboard.briefing.layout import lay_out
from dashboard.briefing.model import Chart
from tests.security.rights import PERIOD

_LEADER = re.compile(r"^(?P<title>.+?)\s*\.{4,}\s*(?P<page>\d+)$")


def _principal(session, username: str):  # type: ignore[no-untyped-def]
    return principal_for(session, session.exec(select(User).where(User.username == username)).one())


@pytest.fixture(scope="module")
def engine(two_member_demo: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("briefing") / "demo.db"
    shutil.copy(two_member_demo, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def books(engine) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        executive = _principal(session, "exec")
        with use_language("en"):
            composed = compose_book(
                session, actor=executive, member_code=None, period=PERIOD, progress=_ignore
            )
            programme = lay_out(composed)
            card = scorecard(session, principal=executive, member_code="M002", period=PERIOD)
        with use_language("zh-TW"):
            member = make_briefing(session, actor=executive, member_code="M001", period=PERIOD)
        members = [(m.code, m.name, m.name_zh) for m in session.exec(select(Member)).all()]
    return {
        "programme": programme,
        "composed": composed,
        "member": member,
        "members": members,
        "M002": card,
        # Extracting the text is slow (CJK fonts): once per book.
        "text": {"programme": _pages(programme.content), "member": _pages(member.content)},
    }


def _ignore(share: float, step: str) -> None:
    pass


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _contents(pages: list[str]) -> list[tuple[str, int]]:
    """The (title, page) entries of the contents page (the second)."""
    found = [_LEADER.match(line.strip()) for line in pages[1].splitlines()]
    return [(m["title"], int(m["page"])) for m in found if m]


def _outline(content: bytes) -> dict[str, int]:
    reader = PdfReader(io.BytesIO(content))
    pages: dict[str, int] = {}

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return pages


@pytest.mark.parametrize("which", ["programme", "member"])
def test_a_book_is_a_pdf_with_its_page_numbers(books, which):
    book = books[which]
    assert book.content.startswith(b"%PDF-") and b"%%EOF" in book.content[-1024:]
    pages = books["text"][which]
    assert len(pages) == book.pages >= 6
    counter = "Page {n} of {total}" if which == "programme" else "第 {n} 頁，共 {total} 頁"
    for number, text in enumerate(pages[1:], start=2):  # the cover has none
        assert counter.format(n=number, total=len(pages)) in text, (number, text[-200:])
    assert counter.format(n=1, total=len(pages)) not in pages[0]


@pytest.mark.parametrize("which", ["programme", "member"])
def test_the_contents_give_each_section_its_page(books, which):
    book = books[which]
    pages = books["text"][which]
    contents = _contents(pages)
    assert len(contents) >= 5
    numbers = [page for _title, page in contents]
    assert numbers == sorted(numbers) and numbers[0] == 3  # after the cover and the contents
    outline = _outline(book.content)
    for title, page in contents:
        assert title in pages[page - 1], (title, page)
        assert outline[title] == page, (title, outline)  # the PDF's bookmarks agree


def test_the_programme_book_covers_the_overview_every_member_pest_and_rollout(books):
    titles = [title for title, _page in _contents(books["text"]["programme"])]
    assert titles == [
        "Overview",
        "Members",
        "M001 · Formosa Securities",
        "M002 · Keelung Commercial Bank",
        "PEST",
        "Rollout",
    ]
    text = "\n".join(books["text"]["programme"])
    for heading in ("Scorecard", "Strategy map", "KPIs in red or amber", "Slipped stages"):
        assert heading in text


def test_a_member_book_is_in_chinese_and_names_no_other_member(books):
    text = "\n".join(books["text"]["member"])
    for chinese in ("簡報手冊", "目錄", "總覽", "計分卡", "策略地圖", "福爾摩沙證券", "同業"):
        assert chinese in text
    assert "M001" in text
    others = [m for m in books["members"] if m[0] != "M001"]
    assert len(others) == 13
    for code, name, name_zh in others:
        assert code not in text
        assert name not in text
        assert not name_zh or name_zh not in text


def test_every_red_or_amber_kpi_has_its_trend_and_why(books):
    card = books["M002"]
    flagged = card.kpis[card.kpis["status"].isin(["red", "amber"])]
    assert len(flagged)
    sections = books["composed"].sections
    member = next(n for n, s in enumerate(sections) if s.title.startswith("M002 · "))
    section = next(s for s in sections[member:] if s.title == "KPIs in red or amber")
    charts = [block for block in section.blocks if isinstance(block, Chart)]
    codes = [chart.title.split(" · ")[0] for chart in charts]
    assert sorted(codes) == sorted(flagged["code"])
    why = flagged.set_index("code")
    statuses = [why.loc[code, "status"] for code in codes]
    assert statuses == sorted(statuses, key=["red", "amber"].index)  # red first
    for code, chart in zip(codes, charts, strict=True):
        assert chart.notes[0] == why.loc[code, "explanation"]
        assert chart.image.startswith("data:image/svg+xml;base64,")


def test_who_may_have_which_book(engine):
    with session_scope(engine, write=False) as session:
        m001 = _principal(session, "m001")
        office = _principal(session, "office")
        for member_code in (None, "M002", "NOPE"):
            with pytest.raises(Forbidden):
                make_briefing(session, actor=m001, member_code=member_code)
        with pytest.raises(NotFound, match="no member with code 'NOPE'"):
            make_briefing(session, actor=office, member_code="NOPE")
        with pytest.raises(InvalidInput, match="month 13"):
            make_briefing(session, actor=office, member_code="M001", period="2026-13")
