"""Briefing books as PDFs: contents with the right page numbers, page numbers on every page,
bookmarks, Chinese text, the sections and members they cover, and who may have which book.

Making a book takes seconds, so each book (the programme's in English and member M001's in
Chinese, both asked for by an executive, on the two-member demo) is made by one test that checks
all of it; the checks are the functions below.
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
from bsc.services.scorecard import Scorecard, scorecard
from bsc.services.users import principal_for
from dashboard.briefing import compose_book, make_briefing
from dashboard.briefing.layout import lay_out
from dashboard.briefing.model import Book, Chart
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


def check_page_numbers(content: bytes, pages: list[str], counter: str) -> None:
    """A PDF whose every page but the cover says which it is, of how many."""
    assert content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]
    assert len(pages) >= 6
    for number, text in enumerate(pages[1:], start=2):
        assert counter.format(n=number, total=len(pages)) in text, number
    assert counter.format(n=1, total=len(pages)) not in pages[0]


def check_contents(content: bytes, pages: list[str]) -> list[str]:
    """The contents give each section the page it starts on, as the bookmarks do; returns the
    titles listed."""
    contents = _contents(pages)
    numbers = [page for _title, page in contents]
    assert len(contents) >= 5
    assert numbers == sorted(numbers) and numbers[0] == 3  # after the cover and the contents
    outline = _outline(content)
    for title, page in contents:
        assert title in pages[page - 1], (title, page)
        assert outline[title] == page, (title, outline)
    return [title for title, _page in contents]


def check_flagged_kpis(book: Book, card: Scorecard) -> None:
    """Every red, then amber, KPI of the card's member has its trend chart and why."""
    flagged = card.kpis[card.kpis["status"].isin(["red", "amber"])].set_index("code")
    assert len(flagged)
    start = next(n for n, s in enumerate(book.sections) if s.title.startswith(card.member))
    section = next(s for s in book.sections[start:] if s.title == "KPIs in red or amber")
    charts = [block for block in section.blocks if isinstance(block, Chart)]
    codes = [chart.title.split(" · ")[0] for chart in charts]
    assert sorted(codes) == sorted(flagged.index)
    statuses = [flagged.loc[code, "status"] for code in codes]
    assert statuses == sorted(statuses, key=["red", "amber"].index)  # red first
    for code, chart in zip(codes, charts, strict=True):
        assert chart.notes[0] == flagged.loc[code, "explanation"]
        assert chart.image.startswith("data:image/svg+xml;base64,")


def test_the_programme_book(engine):
    with session_scope(engine, write=False) as session, use_language("en"):
        executive = _principal(session, "exec")
        book = compose_book(
            session, actor=executive, member_code=None, period=PERIOD, progress=_ignore
        )
        card = scorecard(session, principal=executive, member_code="M002", period=PERIOD)
    pdf = lay_out(book)
    pages = _pages(pdf.content)
    assert len(pages) == pdf.pages
    check_page_numbers(pdf.content, pages, "Page {n} of {total}")
    assert check_contents(pdf.content, pages) == [
        "Overview",
        "Members",
        "M001 · Formosa Securities",
        "M002 · Keelung Commercial Bank",
        "PEST",
        "Rollout",
    ]
    text = "\n".join(pages)
    for heading in ("Scorecard", "Strategy map", "KPIs in red or amber", "Slipped stages"):
        assert heading in text
    check_flagged_kpis(book, card)


def test_a_member_book_is_in_chinese_and_names_no_other_member(engine):
    with session_scope(engine, write=False) as session, use_language("zh-TW"):
        executive = _principal(session, "exec")
        book = make_briefing(session, actor=executive, member_code="M001", period=PERIOD)
        others = [
            (m.code, m.name, m.name_zh)
            for m in session.exec(select(Member).where(Member.code != "M001")).all()
        ]
    pages = _pages(book.content)
    assert len(pages) == book.pages
    check_page_numbers(book.content, pages, "第 {n} 頁，共 {total} 頁")
    assert check_contents(book.content, pages)[:2] == ["總覽", "M001 · 福爾摩沙證券"]
    text = "\n".join(pages)
    for chinese in ("簡報手冊", "目錄", "計分卡", "策略地圖", "同業"):
        assert chinese in text
    assert len(others) == 13
    for code, name, name_zh in others:
        assert code not in text
        assert name not in text
        assert not name_zh or name_zh not in text


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
