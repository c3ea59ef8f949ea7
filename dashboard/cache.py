"""A thin cache in front of the scorecard services, keyed on the data versions.

Entries are keyed by what was asked (member, period, filters), by whose view it is (the
programme's, or one member's), by the language of the explanations, and by the current versions
of the measurements, the maps and the programme tables (:mod:`bsc.versioning`): any upload or
map publication anywhere changes the key, so nothing stale is ever served. Read rights are
checked *before* the cache is consulted, so a cached entry never reaches someone who may not
read it. The backend is Redis when ``BSC_REDIS_URL`` is set, shared by every worker and host (an
entry one computes, all use; the data versions live in the database, so an upload anywhere moves
every host to new keys at once), else Flask-Caching's ``SimpleCache`` (per process). When Redis
does not answer, pages are computed without it rather than fail. Outside the web app (``bsc
export``, background jobs) nothing is kept, except for the length of one piece of work that asks
for :func:`memo`.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, TypeVar

import pandas as pd
from flask import Flask, has_app_context
from flask_caching import Cache
from redis import RedisError
from sqlalchemy import text
from sqlmodel import Session

from bsc import versioning
from bsc.authz import Principal, can_read_member, can_read_programme, require
from bsc.i18n import N_, current_language
from bsc.repo import get_member
from bsc.services import kpi_detail as detail_service
from bsc.services import overview as overview_service
from bsc.services import peers as peer_service
from bsc.services import scorecard as scorecard_service
from bsc.settings import Settings
from bsc.versioning import member_scope

__all__ = [
    "cache",
    "install_cache",
    "cache_config",
    "remembered",
    "memo",
    "view_key",
    "scorecard",
    "overview",
    "kpi_detail",
    "peer_benchmark",
    "perspective_history",
    "latest_period",
    "period_choices",
]

T = TypeVar("T")
log = logging.getLogger(__name__)

cache = Cache()
_TIMEOUT_SECONDS = 3600
_memo: ContextVar[dict[str, Any] | None] = ContextVar("bsc_cache_memo", default=None)
#: How long a request waits for another thread computing the same entry before computing it too.
_WAIT_SECONDS = 30.0
_computing: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()
_computing_guard = threading.Lock()


def cache_config(settings: Settings) -> dict[str, Any]:
    """Flask-Caching's configuration: Redis under the installation's prefix, else in-process."""
    if settings.redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.redis_url,
            "CACHE_KEY_PREFIX": f"{settings.redis_prefix}:cache:",
            "CACHE_DEFAULT_TIMEOUT": _TIMEOUT_SECONDS,
            # A Redis that is away must slow a page down by a second at most, not hang it.
            "CACHE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    return {
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": _TIMEOUT_SECONDS,
        "CACHE_THRESHOLD": 2000,
    }


def install_cache(server: Flask, settings: Settings) -> None:
    cache.init_app(server, config=cache_config(settings))


def _versions(session: Session, member_id: int | None) -> tuple[int, ...]:
    """The versions a result depends on: everyone's measurements, or one member's only."""
    member = versioning.ANY_MEMBER if member_id is None else member_scope(member_id)
    scopes = (versioning.MEASUREMENTS, member, versioning.MAPS, versioning.PROGRAMME)
    # One query for the four scopes: this runs on every cached request.
    rows = dict(
        session.execute(
            text("SELECT scope, version FROM data_version WHERE scope IN (:a, :b, :c, :d)"),
            dict(zip("abcd", scopes, strict=True)),
        ).all()
    )
    return tuple(int(rows.get(scope) or 0) for scope in scopes)


def remembered(
    session: Session,
    kind: str,
    key: tuple[object, ...],
    compute: Callable[[], T],
    *,
    member_id: int | None = None,
) -> T:
    """The cached result of ``compute`` for ``kind`` and ``key`` at the current data versions.

    Callers check read rights first; ``key`` must say whose view it is when the result depends
    on the principal. ``member_id`` says the result reads no other member's measurements, so
    uploads of other members leave it cached. Outside the web app (``bsc export`` builds the
    same charts) there is no cache, only the :func:`memo` of the work under way if there is one.
    """
    working = _memo.get()
    if not has_app_context() and working is None:
        return compute()
    parts = (kind, *key, current_language(), member_id, *_versions(session, member_id))
    name = "bsc:" + "|".join("" if part is None else str(part) for part in parts)
    if working is not None:
        if name not in working:
            working[name] = compute()
        return working[name]
    try:
        found = cache.get(name)
    except RedisError as error:
        log.warning("cache unavailable, computing %s: %s", kind, error)
        return compute()
    if found is not None:
        return found
    # After an upload every thread of a worker misses at once; one computes, the others wait
    # for its entry instead of computing the same thing side by side on the same cores.
    with _computing_guard:
        lock = _computing.setdefault(name, threading.Lock())
    acquired = lock.acquire(timeout=_WAIT_SECONDS)
    try:
        found = cache.get(name) if acquired else None
        if found is None:
            found = compute()
            cache.set(name, found)
    except RedisError as error:
        log.warning("cache unavailable for %s: %s", kind, error)
        return compute() if found is None else found
    finally:
        if acquired:
            lock.release()
    return found


@contextmanager
def memo() -> Iterator[None]:
    """Remember what :func:`remembered` computes until the block ends, in this context only:
    for one long piece of work outside the web app (a briefing book draws the overview's heat
    map, counts and movers from one overview, each member's table and charts from one
    scorecard)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def view_key(principal: Principal) -> str:
    """Whose view a result is: the programme's (every member) or a single member's."""
    return "programme" if can_read_programme(principal) else f"member:{principal.member_id}"


def _readable(session: Session, principal: Principal, member_code: str) -> int:
    """The member's id, once the principal may read it."""
    member = get_member(session, code=member_code)
    require(
        member.id is not None and can_read_member(principal, member.id),
        N_("the scorecard of member {member}"),
        member=member_code,
    )
    assert member.id is not None
    return member.id


def scorecard(
    session: Session, *, principal: Principal, member_code: str, period: str
) -> scorecard_service.Scorecard:
    member_id = _readable(session, principal, member_code)
    return remembered(
        session,
        "scorecard",
        (member_code, period),
        lambda: scorecard_service.scorecard(
            session, principal=principal, member_code=member_code, period=period
        ),
        member_id=member_id,
    )


def overview(
    session: Session,
    *,
    principal: Principal,
    period: str,
    wave: str | None = None,
    segment: str | None = None,
) -> overview_service.Overview:
    return remembered(
        session,
        "overview",
        (view_key(principal), period, wave, segment),
        lambda: overview_service.overview(
            session, principal=principal, period=period, wave=wave, segment=segment
        ),
    )


def kpi_detail(
    session: Session, *, principal: Principal, member_code: str, kpi_code: str, period: str
) -> detail_service.KpiDetail:
    member_id = _readable(session, principal, member_code)
    return remembered(
        session,
        "kpi_detail",
        (member_code, kpi_code, period),
        lambda: detail_service.kpi_detail(
            session, principal=principal, member_code=member_code, kpi_code=kpi_code, period=period
        ),
        member_id=member_id,
    )


def peer_benchmark(
    session: Session, *, principal: Principal, member_code: str, period: str
) -> pd.DataFrame:
    """The member's anonymised standing; every member's comes from one entry per period."""
    member_id = _readable(session, principal, member_code)
    # Internal: it holds every member's values; only ``member_id``'s rows leave this function.
    table = remembered(
        session, "peer_table", (period,), lambda: peer_service.peer_table(session, period)
    )
    return peer_service.benchmark_of(table, member_id)


def perspective_history(
    session: Session, *, principal: Principal, member_code: str
) -> pd.DataFrame:
    member_id = _readable(session, principal, member_code)
    return remembered(
        session,
        "perspective_history",
        (member_code,),
        lambda: scorecard_service.perspective_history(
            session, principal=principal, member_code=member_code
        ),
        member_id=member_id,
    )


def latest_period(session: Session) -> str:
    # The latest complete month also moves when a month ends, without any new data.
    this_month = date.today().strftime("%Y-%m")
    return remembered(
        session, "latest_period", (this_month,), lambda: scorecard_service.latest_period(session)
    )


def period_choices(session: Session, kind: str) -> list[str]:
    return remembered(
        session,
        "period_choices",
        (kind, date.today().strftime("%Y-%m")),
        lambda: scorecard_service.period_choices(session, kind=kind),
    )
