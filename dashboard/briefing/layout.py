"""Laying a briefing book out: charts drawn as SVG in the one kaleido browser, the book as HTML
from an autoescaping Jinja2 template, and the PDF from that HTML.

Charts are vector images: sharp in print, small, and their text stays text. Chromium measures a
chart's labels as it draws it and WeasyPrint draws them again from the SVG, so the book names
its fonts outright (both would otherwise pick different substitutes for plotly's default) —
Noto Sans CJK TC gives Chinese its Traditional glyphs.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bsc.exports import images
from bsc.exports.pdf import PdfFile, html_to_pdf
from bsc.i18n import current_language, t
from dashboard.briefing.model import Book, Chart

__all__ = ["CHART_WIDTH", "FONT_FAMILY", "draw_charts", "book_html", "lay_out", "css_string"]

#: Width in pixels charts are drawn at; the page scales them to its text width.
CHART_WIDTH = 1000
FONT_FAMILY = "Liberation Sans, Arial, Noto Sans CJK TC, sans-serif"
_TEMPLATES = Path(__file__).parents[1] / "templates"
_environment = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def draw_charts(charts: Sequence[Chart]) -> None:
    """Draw ``charts`` as SVG ``data:`` URLs, a batch per height, in the book's fonts."""
    ordered = sorted(charts, key=lambda chart: chart.height)
    for height, group in groupby(ordered, key=lambda chart: chart.height):
        batch = list(group)
        for chart in batch:
            chart.figure.update_layout(font_family=FONT_FAMILY)
        drawn = images.render_batch(
            [chart.figure for chart in batch], "svg", width=CHART_WIDTH, height=height
        )
        for chart, svg in zip(batch, drawn, strict=True):
            chart.image = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, every character but letters, digits and spaces escaped
    (so nothing in it can end the string or the style sheet).

    >>> str(css_string('第 "1" 頁</style>'))
    '"第 \\\\22 1\\\\22  頁\\\\3c \\\\2f style\\\\3e "'
    """
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def _page_counter() -> Markup:
    """``Page {page} of {pages}`` in the current language as CSS ``content``."""
    text = t("Page {page} of {pages}", page="\0page\0", pages="\0pages\0")
    parts = []
    for piece in text.split("\0"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts))


def book_html(book: Book) -> str:
    """The book as one HTML document, every name in it escaped as text."""
    for number, section in enumerate(book.sections, start=1):
        section.anchor = f"section-{number}"
    return _environment.get_template("briefing.html").render(
        book=book,
        language=current_language(),
        contents=[s for s in book.sections if s.level <= 2],
        page_counter=_page_counter(),
        font_family=FONT_FAMILY,
        t=t,
    )


def lay_out(book: Book) -> PdfFile:
    """The book as a PDF (its charts drawn already)."""
    return html_to_pdf(book_html(book))
