"""The one engine factory and the session helpers every service uses.

SQLite runs in WAL mode with foreign keys on and a busy timeout, so that readers never block the
writer and concurrent writers wait instead of failing with "database is locked". PostgreSQL runs
through psycopg 3 with a pre-pinged connection pool; reads that lose their connection half-way
(a server restart, a fail-over) are tried again on a new one by :func:`read_with_retry`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg
from sqlalchemy import event
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from bsc.i18n import N_, t

if TYPE_CHECKING:
    from bsc.settings import Settings

__all__ = [
    "make_engine",
    "engine_for",
    "session_scope",
    "read_with_retry",
    "is_transient",
    "is_sqlite",
    "is_postgres",
    "storage_problem",
    "STORAGE_FULL",
    "STORAGE_ERRORS",
]

T = TypeVar("T")


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 30_000,
    pool_size: int = 5,
    max_overflow: int = 10,
    echo: bool = False,
) -> Engine:
    """Create an engine for ``url`` with the product's connection settings.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> engine.dialect.name
    'sqlite'
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )
        _configure_sqlite(engine, busy_timeout_ms=busy_timeout_ms, in_memory=not database)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=1800,
    )


def engine_for(settings: Settings) -> Engine:
    """The engine for an installation's configured database and pool sizes."""
    return make_engine(
        settings.sqlalchemy_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )


def _configure_sqlite(engine: Engine, *, busy_timeout_ms: int, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN until the first write, which lets two
        # writers both read and then deadlock on upgrade; we issue BEGIN IMMEDIATE ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front so it waits (busy timeout) rather than failing
        # when it later upgrades a read lock; readers stay deferred and never block anyone in WAL.
        writes = connection.get_execution_options().get("bsc_write", True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error.

    ``write=False`` marks a read-only unit of work: on SQLite it starts a deferred transaction
    that never waits for writers.
    """
    bind = engine if write else engine.execution_options(bsc_write=False)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


#: Errors that may mean the storage is full: SQLAlchemy's, and the drivers' own where the
#: product writes through a raw cursor (SQLite executemany, PostgreSQL COPY).
STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    sqlalchemy_exc.OperationalError,
    sqlite3.OperationalError,
    psycopg.OperationalError,
    OSError,
)

STORAGE_FULL = N_(
    "The database cannot store anything more (the disk is full or read-only): nothing was "
    "saved. Free space or ask the administrator, then try again."
)

#: What SQLite, PostgreSQL and the operating system say when nothing more can be written.
_STORAGE_SIGNS = (
    "database or disk is full",  # SQLite: SQLITE_FULL (disk, quota or max_page_count)
    "attempt to write a readonly database",  # SQLite: SQLITE_READONLY
    "could not extend file",  # PostgreSQL: disk full while growing a table
    "no space left on device",  # PostgreSQL and the OS: ENOSPC
    "disk quota exceeded",  # EDQUOT
    "read-only file system",  # EROFS
    "cannot execute",  # PostgreSQL: "... in a read-only transaction" (a read-only replica)
)


def storage_problem(error: BaseException) -> str | None:
    """A message for the user when ``error`` means the database cannot store anything more
    (disk full, quota, read-only), else None: the caller then handles ``error`` as before.

    >>> storage_problem(OSError(28, "No space left on device")) == STORAGE_FULL
    True
    """
    text = str(getattr(error, "orig", None) or error).lower()
    if isinstance(error, OSError) and error.errno in (28, 30, 122):
        text += " no space left on device"
    if not any(sign in text for sign in _STORAGE_SIGNS):
        return None
    if "cannot execute" in text and "read-only transaction" not in text:
        return None
    return t(STORAGE_FULL)


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` is a lost connection, which a new connection may not meet again."""
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def read_with_retry(
    engine: Engine, read: Callable[[Session], T], *, attempts: int = 3, first_wait_s: float = 0.1
) -> T:
    """Run the idempotent ``read`` in a read-only session; again on a new connection if the
    connection is lost half-way, up to ``attempts`` times in all.

    Only reads are retried: a write that lost its connection may or may not have committed,
    so its caller must decide. Other errors (bad SQL, a locked SQLite file) are raised at once.

    Examples
    --------
    >>> from sqlalchemy import text
    >>> read_with_retry(make_engine("sqlite://"), lambda s: s.execute(text("SELECT 2")).scalar())
    2
    """
    retrying = Retrying(
        retry=retry_if_exception(is_transient),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=first_wait_s, max=2),
        reraise=True,
    )

    def once() -> T:
        with session_scope(engine, write=False) as session:
            return read(session)

    return retrying(once)
