"""The ingest service on both databases: revisions, rights, history, templates, versions."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bsc import versioning
from bsc.authz import OPERATOR
from bsc.db import session_scope
from bsc.errors import Forbidden, NotFound
from bsc.models import (
    AuditLog,
    Measurement,
    MeasurementRevision,
    Member,
    Role,
    Upload,
    UploadFile,
)
from bsc.services.ingest import ingest_feed
from bsc.services.measurements import measurement_table
from bsc.services.uploads import (
    list_mapping_templates,
    list_uploads,
    save_mapping_template,
    upload_file,
)
from bsc.services.users import principal_for
from bsc.versioning import ANY_MEMBER
from kpi.feeds import FeedOptions
from tests import factories

FEED = b"member_code,kpi_code,period,value\nM001,INCIDENTS,2025-01,3\nM001,INCIDENTS,2025-02,4\n"


@pytest.fixture
def people(engine):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        factories.sample_catalogue(session)
        members = {m.code: m for m in session.exec(select(Member)).all()}
        users = {
            "exec": factories.user(session, "exec", Role.EXECUTIVE),
            "office": factories.user(session, "office", Role.PROGRAM_OFFICE),
            "m001": factories.user(session, "m001", Role.MEMBER, members["M001"]),
        }
        return {name: principal_for(session, user) for name, user in users.items()}


def _ingest(engine, data: bytes, actor=OPERATOR, **options):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return ingest_feed(
            session, data=data, filename="feed.csv", actor=actor, source="cli", **options
        )


def _count(engine, model) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_a_changed_value_keeps_its_old_value_in_the_revisions(engine, people):
    _ingest(engine, FEED, actor=people["office"])
    changed = FEED.replace(b"2025-02,4", b"114/02,5")
    report = _ingest(engine, changed, actor=people["m001"])
    assert (report.applied, report.unchanged) == (1, 1)
    with session_scope(engine, write=False) as session:
        revision = session.exec(select(MeasurementRevision)).one()
        measurement = session.get(Measurement, revision.measurement_id)
        assert (revision.old_value, revision.new_value) == (4.0, 5.0)
        assert revision.user_id == people["m001"].user_id
        assert revision.upload_id == report.upload_id == measurement.upload_id
        assert measurement.value == 5.0


def test_an_applied_upload_is_recorded_audited_and_bumps_the_version(engine, people):
    m001 = versioning.member_scope(people["m001"].member_id)
    with session_scope(engine, write=False) as session:
        before = {scope: versioning.current(session, scope) for scope in (m001, ANY_MEMBER)}
    report = _ingest(engine, FEED, actor=people["m001"])
    with session_scope(engine, write=False) as session:
        upload = session.get(Upload, report.upload_id)
        assert upload.status == "applied" and upload.rows_applied == 2
        assert upload.user_id == people["m001"].user_id and upload.actor == "m001"
        assert upload.encoding == "utf-8" and upload.layout == "long"
        assert upload.report["rows"]["applied"] == 2
        assert session.get(UploadFile, upload.id).content == FEED
        entry = session.exec(select(AuditLog).where(AuditLog.entity == "upload")).one()
        assert entry.entity_id == str(upload.id) and entry.action == "apply"
        for scope, version in before.items():
            assert versioning.current(session, scope) == version + 1, scope


def test_a_rejected_upload_is_recorded_but_changes_no_measurement(engine, people):
    _ingest(engine, FEED, actor=people["office"])
    with session_scope(engine, write=False) as session:
        version = versioning.current(session, ANY_MEMBER)
    bad = FEED + b"M001,INCIDENTS,2025-03,x\n"
    report = _ingest(engine, bad, actor=people["office"])
    assert report.rejected and report.issues[0].line == 4
    assert _count(engine, Measurement) == 2
    with session_scope(engine, write=False) as session:
        rejected = session.get(Upload, report.upload_id)
        assert rejected.status == "rejected" and rejected.report["issues"][0]["line"] == 4
        assert versioning.current(session, ANY_MEMBER) == version


def test_who_may_upload_for_whom(engine, people):
    with pytest.raises(Forbidden):
        _ingest(engine, FEED, actor=people["exec"])
    with pytest.raises(Forbidden):
        _ingest(engine, FEED, actor=people["m001"], member_code="M002")
    with pytest.raises(NotFound):
        _ingest(engine, FEED, actor=people["office"], member_code="M999")
    other = FEED.replace(b"M001", b"M002")
    report = _ingest(engine, other, actor=people["m001"])
    assert report.rejected and report.issues[0].reason.value == "member_not_allowed"
    assert _ingest(engine, other, actor=people["office"]).status == "applied"
    assert _count(engine, Measurement) == 2


def test_history_and_original_files_follow_the_readers_rights(engine, people):
    own = _ingest(engine, FEED, actor=people["m001"])
    programme = _ingest(engine, FEED.replace(b"M001", b"M002"), actor=people["office"])
    with session_scope(engine, write=False) as session:
        assert [u.id for u in list_uploads(session, principal=people["m001"])] == [own.upload_id]
        assert len(list_uploads(session, principal=people["exec"])) == 2
        upload, content = upload_file(session, principal=people["m001"], upload_id=own.upload_id)
        assert content == FEED and upload.filename == "feed.csv"
        with pytest.raises(Forbidden):
            upload_file(session, principal=people["m001"], upload_id=programme.upload_id)
        with pytest.raises(Forbidden):
            list_uploads(session, principal=people["m001"], member_code="M002")
        with pytest.raises(Forbidden):
            measurement_table(session, principal=people["m001"], member_code="M002")
        table = measurement_table(session, principal=people["m001"])
        assert set(table["member_code"]) == {"M001"}
        assert table["period"].tolist() == ["2025-01", "2025-02"]


def test_a_saved_mapping_template_is_reused(engine, people):
    feed = "機構,項目,月份,本月營收\nM001,INCIDENTS,2025-01,7\n".encode()
    unmapped = _ingest(engine, feed, actor=people["m001"])
    assert unmapped.rejected
    mapping = {"member": "機構", "kpi": "項目", "value": "本月營收"}
    with session_scope(engine) as session:
        save_mapping_template(
            session,
            member_code="M001",
            name="ERP export",
            mapping=mapping,
            actor=people["m001"],
            source="web",
        )
    report = _ingest(engine, feed, actor=people["m001"], template="ERP export")
    assert report.status == "applied" and report.applied == 1
    with session_scope(engine, write=False) as session:
        templates = list_mapping_templates(session, principal=people["m001"], member_code="M001")
        assert [t.mapping for t in templates] == [mapping]
        with pytest.raises(Forbidden):
            save_mapping_template(
                session,
                member_code="M002",
                name="x",
                mapping=mapping,
                actor=people["m001"],
                source="web",
            )
    with pytest.raises(NotFound):
        _ingest(engine, feed, actor=people["m001"], template="missing")


def test_scale_and_explicit_mapping_through_the_service(engine, people):
    feed = '公司代號,資料年月,當月營收\nM001,11401,"1,234"\n'.encode()
    report = _ingest(
        engine,
        feed,
        actor=people["office"],
        options=FeedOptions(mapping={"NEW_REVENUE": "當月營收"}, scale=1000),
    )
    assert report.status == "applied", report.issues
    with session_scope(engine, write=False) as session:
        assert session.exec(select(Measurement.value)).one() == 1_234_000.0
