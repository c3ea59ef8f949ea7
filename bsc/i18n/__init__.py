"""Translations (English and Traditional Chinese) and locale-aware number and date formatting.

Every user-facing string is written in English and wrapped in :func:`t`; the Traditional Chinese
text lives in ``zh_TW.po`` (edit it with any PO editor). A test fails when a wrapped string has no
translation. The language of the current request is set with :func:`use_language`.

Messages of the domain packages are :class:`~kpi.messages.Text` values (an English template and
its parameters); :func:`t` translates them too, and shows their :class:`~kpi.messages.Term`
parameters (vocabulary codes) by their display names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from kpi.messages import N_, Term, Text

__all__ = [
    "LANGUAGES",
    "LABELS",
    "label",
    "localised",
    "N_",
    "t",
    "language_of",
    "current_language",
    "use_language",
    "activate",
    "deactivate",
    "set_default_language",
    "catalogue",
    "format_number",
    "format_compact",
    "format_percent_value",
    "format_day",
    "format_timestamp",
]

LANGUAGES = {"en": "English", "zh-TW": "繁體中文"}

#: Display names of the closed vocabularies (roles, segments, regions, perspectives, statuses,
#: the reasons of input issues and the rules of strategy maps), shown through :func:`label`;
#: marked with ``N_`` so extraction finds them.
LABELS: dict[str, str] = {
    "executive": N_("Executive"),
    "program_office": N_("Program office"),
    "member": N_("Member"),
    "broker": N_("Broker"),
    "bank": N_("Bank"),
    "investment_trust": N_("Investment trust"),
    "futures": N_("Futures"),
    "insurance": N_("Insurance"),
    "other": N_("Other"),
    "private": N_("Private"),
    "state": N_("State-owned"),
    "foreign": N_("Foreign"),
    "mixed": N_("Mixed"),
    "north": N_("North"),
    "central": N_("Central"),
    "south": N_("South"),
    "east": N_("East"),
    "islands": N_("Islands"),
    "financial": N_("Financial"),
    "customer": N_("Customer"),
    "process": N_("Internal process"),
    "learning": N_("Learning & growth"),
    "green": N_("Green"),
    "amber": N_("Amber"),
    "red": N_("Red"),
    "grey": N_("No data"),
    "political": N_("Political"),
    "economic": N_("Economic"),
    "social": N_("Social"),
    "technological": N_("Technological"),
    "design": N_("Design"),
    "test": N_("Test"),
    "build": N_("Build"),
    "trial": N_("Trial run"),
    "go_live": N_("Go-live"),
    "not_started": N_("Not started"),
    "live": N_("Live"),
    "planned": N_("Planned"),
    "actual": N_("Actual"),
    "overdue": N_("Overdue"),
    "late_start": N_("Late start"),
    "finished_late": N_("Finished late"),
    "worsening": N_("Worsening"),
    "improving": N_("Improving"),
    "steady": N_("Steady"),
    "low": N_("Low"),
    "middle": N_("Middle"),
    "high": N_("High"),
    "all": N_("All"),
    "unknown": N_("Unknown"),
    "revenue_band": N_("Revenue band"),
    "investor_band": N_("Investor-count band"),
    "region": N_("Region"),
    "capital_structure": N_("Capital structure"),
    "is_industry_leader": N_("Industry leader"),
    "is_cloud_leader": N_("Cloud leader"),
    "has_state_shareholding": N_("State shareholding"),
    "prior_cooperation": N_("Prior cooperation"),
    "pilot_kpis_green": N_("Pilot KPIs green"),
    "previous_wave_live": N_("Previous wave live"),
    "draft": N_("Draft"),
    "published": N_("Published"),
    "archived": N_("Archived"),
    "supported": N_("Supported"),
    "not_supported": N_("Not supported"),
    "too_little_data": N_("Too little data"),
    # kpi.issues.Reason and Severity
    "unknown_kpi": N_("Unknown KPI"),
    "unknown_member": N_("Unknown member"),
    "member_not_allowed": N_("Member not allowed"),
    "bad_period": N_("Bad period"),
    "bad_number": N_("Bad number"),
    "bad_value": N_("Bad value"),
    "duplicate_row": N_("Duplicate row"),
    "duplicate_code": N_("Duplicate code"),
    "period_too_fine": N_("Period too fine"),
    "missing_column": N_("Missing column"),
    "missing_value": N_("Missing value"),
    "encoding": N_("Encoding"),
    "empty_file": N_("Empty file"),
    "too_large": N_("Too large"),
    "not_tabular": N_("Not a table"),
    "ignored_row": N_("Ignored row"),
    "ignored_column": N_("Ignored column"),
    "conflict": N_("Conflict"),
    "nothing_changed": N_("Nothing changed"),
    "error": N_("Error"),
    "warning": N_("Warning"),
    # strategy_maps.issues.Rule (unknown_kpi is above)
    "bad_entry": N_("Bad entry"),
    "unknown_field": N_("Unknown field"),
    "unknown_perspective": N_("Unknown perspective"),
    "duplicate_key": N_("Duplicate key"),
    "missing_objective": N_("Missing objective"),
    "self_link": N_("Self-link"),
    "duplicate_link": N_("Duplicate link"),
    "cycle": N_("Cycle"),
    "duplicate_kpi": N_("Duplicate KPI"),
    "downward_link": N_("Downward link"),
    "orphan": N_("Orphan"),
    "no_kpis": N_("No KPIs"),
    "empty_perspective": N_("Empty perspective"),
    "financial_unreachable": N_("Financial unreachable"),
}

_LOCALES = {"en": "en_US", "zh-TW": "zh_Hant_TW"}
_CATALOGUES = {"zh-TW": Path(__file__).with_name("zh_TW.po")}
_language: ContextVar[str | None] = ContextVar("bsc_language", default=None)
_default = ["en"]


@cache
def catalogue(language: str) -> dict[str, str]:
    """Message id → translation for ``language`` (empty for English, the source language)."""
    path = _CATALOGUES.get(language)
    if path is None:
        return {}
    with path.open("rb") as handle:
        po = read_po(handle)
    return {
        str(message.id): str(message.string)
        for message in po
        if message.id and message.string and not message.fuzzy
    }


def set_default_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _default[0] = language


def current_language() -> str:
    return _language.get() or _default[0]


def activate(language: str | None) -> Token[str | None]:
    """Make ``language`` current (unknown or empty: the default) until :func:`deactivate`."""
    return _language.set(language if language in LANGUAGES else None)


def deactivate(token: Token[str | None]) -> None:
    _language.reset(token)


@contextmanager
def use_language(language: str | None) -> Iterator[None]:
    token = activate(language)
    try:
        yield
    finally:
        deactivate(token)


def t(message: str, **values: object) -> str:
    """``message`` in the current language, with ``{placeholders}`` filled from ``values``.

    A :class:`~kpi.messages.Text` is translated from its template and filled in with its own
    parameters (``values`` are not taken then); a :class:`~kpi.messages.Term` gives its label.

    Examples
    --------
    >>> with use_language("zh-TW"):
    ...     t("Overview"), t(Text("the {perspective} perspective has no objectives",
    ...                           perspective=Term("learning")))
    ('總覽', '學習成長構面沒有任何目標')
    """
    translations = catalogue(current_language())
    if isinstance(message, Text):
        return message.render(lambda template: translations.get(template, template), label)
    if isinstance(message, Term):
        return label(message)
    text = translations.get(message, message)
    return text.format(**values) if values else text


def label(code: str) -> str:
    """The display name of a vocabulary code (``"investment_trust"`` → "Investment trust").

    Examples
    --------
    >>> with use_language("zh-TW"):
    ...     label("investment_trust")
    '投信'
    >>> label("unknown-code")
    'unknown-code'
    """
    return t(LABELS[code]) if code in LABELS else code


def language_of(tag: str) -> str | None:
    """The language of the app a language tag (as in ``Accept-Language``) asks for, if any.

    Traditional Chinese is ``zh-TW`` or any ``zh-Hant``; other Chinese is not offered.

    Examples
    --------
    >>> language_of("zh-Hant-HK"), language_of("en-GB"), language_of("zh-CN"), language_of("*")
    ('zh-TW', 'en', None, None)
    """
    parts = tag.strip().lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] == "zh" and ("hant" in parts[1:] or parts[1:] == ["tw"]):
        return "zh-TW"
    return None


def localised(english: object, chinese: object) -> str:
    """A name kept in both languages (member, KPI, objective, factor, criterion), in the current
    language: the Chinese one for Chinese readers when there is one, else the English.

    Examples
    --------
    >>> with use_language("zh-TW"):
    ...     localised("Formosa Securities", "福爾摩沙證券"), localised("Pilot", None)
    ('福爾摩沙證券', 'Pilot')
    >>> localised("Formosa Securities", "福爾摩沙證券")
    'Formosa Securities'
    """
    if current_language() == "zh-TW" and isinstance(chinese, str) and chinese.strip():
        return chinese
    return "" if english is None or english != english else str(english)


def _locale() -> Locale:
    return Locale.parse(_LOCALES[current_language()])


def format_number(value: float | None, decimals: int = 1) -> str:
    """A number with the locale's grouping, or an en dash when there is none."""
    if value is None or value != value:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale())


def format_compact(value: float | None, decimals: int = 1) -> str:
    """A large number in the language's short form (``2.8B`` in English, ``28億`` in Chinese).

    Examples
    --------
    >>> with use_language("zh-TW"):
    ...     format_compact(2_800_000_000)
    '28億'
    """
    if value is None or value != value:
        return "–"
    return format_compact_decimal(value, locale=_locale(), fraction_digits=decimals)


def format_percent_value(share: float | None, decimals: int = 0) -> str:
    """A share (0–1) as a percentage."""
    if share is None or share != share:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(share, format=pattern, locale=_locale())


def format_day(value: date | None) -> str:
    return "–" if value is None else _babel_format_date(value, format="medium", locale=_locale())


def format_timestamp(value: datetime | None) -> str:
    if value is None:
        return "–"
    return _babel_format_datetime(value, format="short", locale=_locale())
