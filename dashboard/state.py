"""What a running app holds (settings, database engine), reachable from any request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, current_app
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bsc.db import read_with_retry, session_scope
from bsc.settings import Settings

__all__ = ["AppState", "app_state", "read_session", "write_session", "read_retrying"]

T = TypeVar("T")

_KEY = "pilot_scorecard"


@dataclass(frozen=True)
class AppState:
    settings: Settings
    engine: Engine

    def attach(self, server: Flask) -> None:
        server.extensions[_KEY] = self


def app_state() -> AppState:
    state = current_app.extensions[_KEY]
    assert isinstance(state, AppState)
    return state


@contextmanager
def read_session() -> Iterator[Session]:
    with session_scope(app_state().engine, write=False) as session:
        yield session


@contextmanager
def write_session() -> Iterator[Session]:
    with session_scope(app_state().engine) as session:
        yield session


def read_retrying(read: Callable[[Session], T]) -> T:
    """Run the idempotent ``read`` in a read-only session, again if its connection is lost."""
    return read_with_retry(app_state().engine, read)
