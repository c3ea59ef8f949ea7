"""Reads that lose their connection half-way are tried again on a new one; nothing else is."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from bsc.db import make_engine, read_with_retry


def _killer(url: str, attempts: list[int], *, times: int):  # type: ignore[no-untyped-def]
    """A read that counts its attempts and has its own connection killed the first ``times``."""
    admin = make_engine(url)

    def read(session: Session) -> int:
        attempts.append(1)
        if len(attempts) <= times:
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
            with admin.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return int(session.execute(text("SELECT 42")).scalar_one())

    return read, admin


@pytest.mark.postgres
def test_a_read_whose_connection_dies_is_tried_again(postgres_url):
    engine = make_engine(postgres_url)
    attempts: list[int] = []
    read, admin = _killer(postgres_url, attempts, times=1)
    assert read_with_retry(engine, read) == 42
    assert len(attempts) == 2
    engine.dispose()
    admin.dispose()


@pytest.mark.postgres
def test_a_read_that_keeps_losing_its_connection_gives_up(postgres_url):
    engine = make_engine(postgres_url)
    attempts: list[int] = []
    read, admin = _killer(postgres_url, attempts, times=10)
    with pytest.raises(OperationalError) as raised:
        read_with_retry(engine, read, attempts=3, first_wait_s=0.01)
    assert raised.value.connection_invalidated and len(attempts) == 3
    engine.dispose()
    admin.dispose()


def test_other_database_errors_are_raised_at_once(engine):
    attempts: list[int] = []

    def read(session: Session) -> None:
        attempts.append(1)
        session.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(DBAPIError):
        read_with_retry(engine, read)
    assert attempts == [1]
