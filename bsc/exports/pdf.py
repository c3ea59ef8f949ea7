"""HTML with CSS paged media to PDF through WeasyPrint.

WeasyPrint lays out pages (page numbers in margin boxes, ``target-counter()`` for a table of
contents, bookmarks from headings) and draws text with pango, which finds fonts through
fontconfig: Debian's ``fonts-noto-cjk`` gives Chinese its glyphs. The HTML is the product's own,
but names in it come from users, so nothing outside it is ever fetched: images must be inline
``data:`` URLs and every other URL is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bsc.errors import BscError
from bsc.i18n import N_

__all__ = ["PdfFile", "html_to_pdf", "PDF_MIME_TYPE"]

PDF_MIME_TYPE = "application/pdf"


@dataclass(frozen=True)
class PdfFile:
    """A laid-out PDF and how many pages it has."""

    content: bytes
    pages: int


def html_to_pdf(html: str) -> PdfFile:
    """Lay out ``html`` (a whole document with its ``<style>``) as a PDF.

    Examples
    --------
    >>> pdf = html_to_pdf("<h1>Briefing book</h1><p>簡報</p>")  # doctest: +SKIP
    >>> pdf.content[:5], pdf.pages  # doctest: +SKIP
    (b'%PDF-', 1)
    """
    try:
        import weasyprint
    except OSError as error:  # pango or its friends are missing
        raise BscError(
            N_(
                "PDF export needs the pango library: install Debian's chromium (which brings "
                "it) or libpango-1.0-0 ({error})"
            ),
            error=str(error),
        ) from error
    # WeasyPrint reports each refused URL and CSS it skips as a warning in its log; the book
    # uses neither, so those would only be noise in the server's log.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    inline_only = weasyprint.urls.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=inline_only).render()
    return PdfFile(content=document.write_pdf(), pages=len(document.pages))
