"""Composing a briefing book section by section, drawing each section's charts as it goes (so
progress moves and a cancelled job stops between sections), then laying out the PDF."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlmodel import Session

from bsc.authz import Principal
from bsc.i18n import format_day, t
from bsc.models import Member
from bsc.repo import visible_members
from bsc.services.briefing import book_filename, briefing_period, briefing_scope, member_reader
from bsc.services.overview import member_codes
from dashboard import cache
from dashboard.briefing.layout import draw_charts, lay_out
from dashboard.briefing.model import Book, Chart, Section
from dashboard.briefing.sections import (
    member_sections,
    members_section,
    overview_section,
    pest_section,
    rollout_section,
)
from dashboard.figures.scorecard import localised
from dashboard.registry import ExportContext

__all__ = ["BookFile", "Progress", "make_briefing", "compose_book"]

#: Told the share done (0–1) and the section now under way, in the book's language.
Progress = Callable[[float, str], None]
_Step = tuple[str, Callable[[], list[Section]]]


@dataclass(frozen=True)
class BookFile:
    """A finished book: its file name, its PDF and how many pages it has."""

    filename: str
    content: bytes
    pages: int


def _programme_steps(session: Session, context: ExportContext) -> list[_Step]:
    shown = set(member_codes(session, principal=context.principal))
    members = [m for m in visible_members(session, principal=context.principal) if m.code in shown]
    steps: list[_Step] = [
        (
            t("Overview"),
            lambda: [overview_section(context, programme=True), members_section(context)],
        )
    ]
    for number, member in enumerate(members, start=1):
        step = t(
            "Member {code} ({number} of {count})",
            code=member.code,
            number=number,
            count=len(members),
        )
        own = dataclasses.replace(context, member_code=member.code)
        steps.append((step, partial(member_sections, own, member, level=2)))
    return steps


def _member_steps(context: ExportContext, member: Member) -> list[_Step]:
    own = dataclasses.replace(context, member_code=member.code)
    return [
        (t("Overview"), lambda: [overview_section(context, programme=False)]),
        (t("Member {code}", code=member.code), partial(member_sections, own, member, level=1)),
    ]


def make_briefing(
    session: Session,
    *,
    actor: Principal,
    member_code: str | None,
    period: str | None = None,
    progress: Progress | None = None,
) -> BookFile:
    """The briefing book of ``member_code`` (None: the whole programme) for ``period``
    (default: the latest month with data), in the current language, as ``actor`` may have it.

    Raises
    ------
    Forbidden, NotFound, InvalidInput
        As :func:`bsc.services.briefing.briefing_scope` and
        :func:`~bsc.services.briefing.briefing_period` do.
    """
    report = progress or (lambda _share, _step: None)
    book = compose_book(
        session, actor=actor, member_code=member_code, period=period, progress=report
    )
    pdf = lay_out(book)
    return BookFile(book_filename(member_code, book.period), pdf.content, pdf.pages)


def compose_book(
    session: Session,
    *,
    actor: Principal,
    member_code: str | None,
    period: str | None,
    progress: Progress,
) -> Book:
    """The book's sections with their charts drawn, ready for :func:`lay_out` (rights checked
    first); ``progress`` hears each section, and the layout last."""
    member = briefing_scope(session, actor=actor, member_code=member_code)
    chosen = briefing_period(session, period)
    reader = actor if member is None else member_reader(actor, member)
    context = ExportContext(session, reader, None, chosen)
    steps = _programme_steps(session, context) if member is None else _member_steps(context, member)
    steps += [
        (t("PEST"), lambda: [pest_section(context)]),
        (t("Rollout"), lambda: [rollout_section(context)]),
    ]
    book = Book(
        title=t("Briefing book"),
        scope=(
            t("Whole programme")
            if member is None
            else f"{member.code} · {localised(member.name, member.name_zh)}"
        ),
        period=chosen,
        prepared=t(
            "Prepared on {day} by {user}", day=format_day(date.today()), user=actor.username
        ),
    )
    total = len(steps) + 1
    with cache.memo():
        for number, (step, build) in enumerate(steps):
            progress(number / total, step)
            sections = build()
            draw_charts([b for s in sections for b in s.blocks if isinstance(b, Chart)])
            book.sections += sections
    progress(len(steps) / total, t("Laying out the pages"))
    return book
