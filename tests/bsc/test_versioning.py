from __future__ import annotations

from bsc import versioning
from bsc.db import session_scope


def test_versions_start_at_zero_and_count_each_write(engine):
    with session_scope(engine) as session:
        assert versioning.current(session) == 0
        versioning.bump(session)
        versioning.bump(session)
        versioning.bump(session, versioning.MAPS)
    with session_scope(engine, write=False) as session:
        assert versioning.current(session) == 2
        assert versioning.current(session, versioning.MAPS) == 1


def test_a_rolled_back_write_does_not_bump(engine):
    try:
        with session_scope(engine) as session:
            versioning.bump(session)
            raise RuntimeError("write failed")
    except RuntimeError:
        pass
    with session_scope(engine, write=False) as session:
        assert versioning.current(session) == 0
