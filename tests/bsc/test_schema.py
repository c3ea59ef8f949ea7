"""The tables and the migrations describe the same schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bsc import migrate
from bsc.db import make_engine, session_scope
from bsc.models import KpiDefinition, Measurement, User, metadata
from tests import factories


def test_migrations_reach_head_and_match_the_models(engine):
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.schema_differences(engine) == []
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)


def test_upgrading_twice_changes_nothing(engine):
    migrate.upgrade(engine)
    assert migrate.schema_differences(engine) == []


def test_member_codes_are_unique(engine):
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        factories.member(session, "M001")
        factories.member(session, "M001")


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(User(username="ghost", password_hash="x", role="member", member_id=999))
        session.flush()


@pytest.mark.parametrize(
    "values",
    [
        {"polarity": "sideways"},
        {"frequency": "weekly"},
        {"perspective": "marketing"},
        {"weight": 0},
        {"polarity": "in_band", "band_low": None},
        {"target": None},
    ],
    ids=["polarity", "frequency", "perspective", "weight", "band", "thresholds"],
)
def test_check_constraints_keep_the_catalogue_consistent(engine, values):
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        factories.kpi(session, "BROKEN", **values)


def test_a_member_user_must_be_bound_to_a_member(engine):
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(User(username="loose", password_hash="x", role="member"))
        session.flush()


def test_one_measurement_per_member_kpi_and_period(engine):
    from datetime import date

    with pytest.raises(IntegrityError), session_scope(engine) as session:
        member = factories.member(session)
        kpi = factories.kpi(session)
        for value in (1.0, 2.0):
            session.add(
                Measurement(
                    member_id=member.id,
                    kpi_id=kpi.id,
                    period_start=date(2025, 1, 1),
                    granularity="month",
                    value=value,
                )
            )
            session.flush()


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(sqlite_url):
    engine = make_engine(sqlite_url, busy_timeout_ms=1234)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 1234
    engine.dispose()


def test_a_reader_does_not_block_a_writer_on_sqlite(sqlite_url):
    engine = make_engine(sqlite_url, busy_timeout_ms=200)
    with session_scope(engine, write=False) as reader:
        reader.exec(text("SELECT count(*) FROM member")).one()  # type: ignore[call-overload]
        with session_scope(engine) as writer:
            factories.member(writer, "M777")
    with Session(engine) as check:
        assert check.exec(text("SELECT code FROM member")).all() == [("M777",)]  # type: ignore[call-overload]
    engine.dispose()


def test_kpi_codes_are_unique_across_the_catalogue(engine):
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        member = factories.member(session)
        factories.kpi(session, "SHARED")
        session.add(
            KpiDefinition(
                code="SHARED",
                member_id=member.id,
                name="x",
                polarity="higher_is_better",
                target=1,
                amber=0.5,
                floor=0,
                frequency="monthly",
                aggregation="sum",
                perspective="financial",
            )
        )
        session.flush()
