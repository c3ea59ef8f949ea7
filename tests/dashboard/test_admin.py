"""The admin screen: users, tokens and the audit log, as functions and for each role."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bsc.authz import OPERATOR
from bsc.db import make_engine, session_scope
from bsc.errors import Forbidden
from bsc.models import ApiToken, AuditLog, User
from dashboard.registry import ExportContext, build_table
from tests.conftest import as_user, page_module


@pytest.fixture
def admin(app):  # type: ignore[no-untyped-def]
    return page_module("admin")


def _db(settings):  # type: ignore[no-untyped-def]
    return make_engine(settings.sqlalchemy_url)


def test_an_admin_adds_a_member_user_and_it_is_audited(app, admin, populated):
    with as_user(app, "office"):
        alert = admin.add_user("carol", "member", "M002", "a-long-enough-pass", False)
        assert alert.color == "success"
        weak = admin.add_user("dave", "executive", None, "short", False)
        assert weak.color == "danger" and "too weak" in weak.children
    engine = _db(populated)
    with session_scope(engine, write=False) as session:
        carol = session.exec(select(User).where(User.username == "carol")).one()
        assert carol.role == "member" and carol.password_hash.startswith("$argon2")
        entry = session.exec(select(AuditLog).where(AuditLog.entity == "user")).one()
        assert entry.actor == "office" and entry.after["username"] == "carol"
    engine.dispose()


def test_deactivated_users_cannot_sign_in(app, admin, client_for):
    with as_user(app, "office"):
        assert admin.change_user("deactivate", "m002").color == "success"
        assert admin.change_user("deactivate", "office").color == "danger"  # not yourself
    from tests.conftest import sign_in

    assert sign_in(client_for(None).client, "m002").status_code == 401


def test_tokens_are_shown_once_and_revocable(app, admin, populated):
    with as_user(app, "office"):
        alert = admin.create_token("m001", ["upload"], 30, "ERP feed")
        token = alert.children[1].children
        assert token.startswith("bsc_")
    engine = _db(populated)
    with session_scope(engine, write=False) as session:
        row = session.exec(select(ApiToken)).one()
        assert row.scopes == "upload" and token not in row.token_hash
        token_id = row.id
    with as_user(app, "office"):
        assert admin.revoke(token_id).color == "success"
    with session_scope(engine, write=False) as session:
        frame = build_table("api_tokens", ExportContext(session, OPERATOR))
        assert session.get(ApiToken, token_id).revoked_at is not None
    engine.dispose()
    assert frame.loc[0, "Revoked"] and frame.loc[0, "Label"] == "ERP feed"


@pytest.mark.parametrize("username", ["exec", "m001"])
def test_admin_actions_are_refused_to_non_admins(app, admin, username):
    with as_user(app, username):
        for action in (
            lambda: admin.add_user("x", "executive", None, "a-long-enough-pass", False),
            lambda: admin.change_user("deactivate", "m002"),
            lambda: admin.create_token("m001", ["upload"], 30, ""),
            lambda: admin.revoke(1),
        ):
            with pytest.raises(Forbidden):
                action()


def test_the_audit_log_filters_and_exports(app, admin, populated):
    with as_user(app, "office"):
        admin.add_user("erin", "executive", None, "a-long-enough-pass", False)
        admin.change_user("unlock", "m001")
    engine = _db(populated)
    with session_scope(engine, write=False) as session:
        everything = build_table("audit_log", ExportContext(session, OPERATOR))
        unlocks = build_table(
            "audit_log", ExportContext(session, OPERATOR, params={"entity": "user", "actor": "off"})
        )
    engine.dispose()
    assert len(everything) >= 2
    assert set(unlocks["Action"]) == {"created", "unlocked"}
