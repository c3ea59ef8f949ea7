"""Briefing books: a PDF of the whole programme or of one member — cover, contents with page
numbers, the overview, per member the scorecard, strategy map and the trends of red and amber
KPIs with why, then PEST and rollout — built from the registered charts and tables the pages
show (:mod:`dashboard.registry`) and laid out by WeasyPrint."""

from dashboard.briefing.book import BookFile, Progress, compose_book, make_briefing

__all__ = ["BookFile", "Progress", "compose_book", "make_briefing"]
