"""Strategy maps in the database: versions, publishing, restoring, rights and the audit trail."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import col, func, select

from bsc import versioning
from bsc.authz import OPERATOR
from bsc.errors import Conflict, Forbidden, NotFound
from bsc.models import AuditLog, Objective, ObjectiveLink, StrategyMap
from bsc.services.maps import (
    TEMPLATE,
    current_map,
    import_map,
    load_map,
    map_history,
    publish_map,
    restore_map,
    save_map,
    start_from,
    starting_points,
)
from bsc.services.users import principal_for
from strategy_maps.editing import add_link, add_objective, set_kpis
from strategy_maps.io import dump_map
from strategy_maps.issues import Rule
from tests import factories
from tests.conftest import DEMO


@pytest.fixture
def programme(session):  # type: ignore[no-untyped-def]
    people = factories.standard_programme(session)
    factories.member(session, "M003", name="Third")
    factories.demo_catalogue(session)
    return {
        name: principal_for(session, people[name]) for name in ("exec", "office", "m001", "m002")
    }


def demo_file(name: str) -> bytes:
    return (DEMO / "maps" / f"{name}.yaml").read_bytes()


def statuses(session, member_code: str) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [
        (r["version"], r["status"])
        for r in map_history(session, principal=OPERATOR, member_code=member_code)
    ]


def test_an_imported_map_exports_exactly_as_it_was_written(session, programme):
    for name in ("template", "M001", "M002", "M003"):
        result = import_map(session, demo_file(name), f"{name}.yaml", actor=OPERATOR, source="cli")
        assert result.status == "saved" and result.version == 1, result.issues
        stored = load_map(
            session, principal=OPERATOR, member_code=None if name == "template" else name
        )
        assert stored is not None and stored.status == "draft"
        assert dump_map(stored.document) == demo_file(name).decode("utf-8")


def test_publishing_archives_the_previous_version_and_keeps_history(session, programme):
    factories.demo_map(session, "M001")
    assert statuses(session, "M001") == [(1, "published")]
    stored = current_map(session, principal=OPERATOR, member_code="M001")
    assert stored is not None
    changed = add_objective(stored.document, perspective="customer", title="Faster onboarding")
    saved = save_map(
        session, changed, actor=OPERATOR, source="web", member_code="M001", base_version=1
    )
    assert (saved.status, saved.version) == ("saved", 2)
    assert statuses(session, "M001") == [(2, "draft"), (1, "published")]
    assert current_map(session, principal=OPERATOR, member_code="M001").version == 1  # type: ignore[union-attr]
    publish_map(session, actor=OPERATOR, source="web", member_code="M001", version=2)
    assert statuses(session, "M001") == [(2, "published"), (1, "archived")]
    published = session.exec(
        select(func.count()).select_from(StrategyMap).where(StrategyMap.status == "published")
    ).one()
    assert published == 1
    assert current_map(session, principal=OPERATOR, member_code="M001").document == changed  # type: ignore[union-attr]


def test_saving_an_unchanged_map_stores_nothing(session, programme):
    factories.demo_map(session, "M001")
    again = import_map(session, demo_file("M001"), "M001.yaml", actor=OPERATOR, source="cli")
    assert (again.status, again.version) == ("unchanged", 1)
    assert session.exec(select(func.count()).select_from(StrategyMap)).one() == 1


def test_a_map_with_errors_is_rejected_and_stores_nothing(session, programme):
    text = (
        demo_file("M001").decode().replace("- FILE_AUTO", "- NOT_A_KPI")
        + "- - F2\n  - L1\n- - L1\n  - F2\n"
    )
    result = import_map(session, text.encode(), "M001.yaml", actor=OPERATOR, source="cli")
    assert result.rejected
    rules = {issue.rule for issue in result.issues if issue.is_error}
    assert rules == {Rule.UNKNOWN_KPI, Rule.CYCLE}
    assert session.exec(select(func.count()).select_from(StrategyMap)).one() == 0
    broken = import_map(
        session, b"name: [", "x.yaml", actor=OPERATOR, source="cli", member_code="M001"
    )
    assert broken.rejected and "not valid YAML" in broken.issues[0].message


def test_the_file_member_and_the_chosen_member_must_agree(session, programme):
    result = import_map(
        session, demo_file("M001"), "M001.yaml", actor=OPERATOR, source="cli", member_code="M002"
    )
    assert result.rejected and "M001" in result.issues[-1].message


def test_a_members_own_kpis_may_be_used_on_its_map_but_not_on_anothers(session, programme):
    own = factories.kpi(session, "M001_OWN", member_id=programme["m001"].member_id)
    text = demo_file("M001").decode().replace("- FILE_AUTO", f"- {own.code}")
    assert not import_map(session, text.encode(), "a.yaml", actor=OPERATOR, source="cli").rejected
    other = text.replace("member: M001", "member: M002")
    assert import_map(session, other.encode(), "b.yaml", actor=OPERATOR, source="cli").rejected


def test_restoring_copies_an_old_version_to_the_top(session, programme):
    factories.demo_map(session, "M001")
    original = current_map(session, principal=OPERATOR, member_code="M001").document  # type: ignore[union-attr]
    save_map(
        session,
        add_link(original, "L1", "C1"),
        actor=OPERATOR,
        source="web",
        member_code="M001",
        publish=True,
    )
    result = restore_map(session, actor=OPERATOR, source="web", member_code="M001", version=1)
    assert (result.status, result.version) == ("saved", 3)
    assert [(c.action, c.target) for c in result.changes] == [("remove_link", "L1 → C1")]
    assert load_map(session, principal=OPERATOR, member_code="M001").document == original  # type: ignore[union-attr]
    assert statuses(session, "M001") == [(3, "draft"), (2, "published"), (1, "archived")]
    with pytest.raises(NotFound, match="no map version 9"):
        restore_map(session, actor=OPERATOR, source="web", member_code="M001", version=9)


def test_every_change_is_audited_and_bumps_the_maps_version(session, programme):
    factories.demo_map(session, "M001")
    before = versioning.current(session, versioning.MAPS)
    document = current_map(session, principal=OPERATOR, member_code="M001").document  # type: ignore[union-attr]
    document = add_objective(document, perspective="customer", title="Faster onboarding")
    document = set_kpis(add_link(document, "C3", "F2"), "C3", ["CLIENT_SAT"])
    save_map(
        session, document, actor=programme["m001"], source="web", member_code="M001", publish=True
    )
    assert versioning.current(session, versioning.MAPS) == before + 1
    entries = session.exec(
        select(AuditLog).where(col(AuditLog.actor) == "m001").order_by(col(AuditLog.id))
    ).all()
    assert [(e.action, e.entity_id) for e in entries] == [
        ("add_objective", "C3"),
        ("add_link", "C3 → F2"),
        ("save_map", entries[2].entity_id),
        ("publish_map", entries[2].entity_id),
    ]
    assert entries[0].after["title"] == "Faster onboarding" and entries[0].after["kpis"] == [
        "CLIENT_SAT"
    ]
    assert entries[2].before["version"] == 1 and entries[2].after["version"] == 2
    assert entries[3].before == {"published_version": 1}
    assert all(e.member_id == programme["m001"].member_id for e in entries)


def test_a_stale_editor_cannot_overwrite_a_newer_version(session, programme):
    factories.demo_map(session, "M001")
    document = current_map(session, principal=OPERATOR, member_code="M001").document  # type: ignore[union-attr]
    save_map(
        session, add_link(document, "L1", "C1"), actor=OPERATOR, source="web", member_code="M001"
    )
    with pytest.raises(Conflict, match="version 2"):
        save_map(
            session,
            add_link(document, "L2", "C1"),
            actor=OPERATOR,
            source="web",
            member_code="M001",
            base_version=1,
        )


def test_who_may_read_and_write_which_map(session, programme):
    factories.demo_map(session, "template")
    factories.demo_map(session, "M001")
    factories.demo_map(session, "M002")
    m001, m002, executive = programme["m001"], programme["m002"], programme["exec"]
    document = current_map(session, principal=m001, member_code="M001").document  # type: ignore[union-attr]
    assert load_map(session, principal=m001, member_code=None) is not None  # the template
    with pytest.raises(Forbidden):
        current_map(session, principal=m001, member_code="M002")
    with pytest.raises(Forbidden):
        save_map(session, replace(document, name="x"), actor=m002, source="web", member_code="M001")
    with pytest.raises(Forbidden):
        save_map(
            session, replace(document, name="x"), actor=executive, source="web", member_code="M001"
        )
    with pytest.raises(Forbidden):
        publish_map(session, actor=m001, source="web", member_code=None, version=1)
    assert (
        save_map(
            session, replace(document, name="x"), actor=m001, source="web", member_code="M001"
        ).version
        == 2
    )
    assert current_map(session, principal=executive, member_code="M002") is not None


def test_a_new_map_starts_from_the_template_or_a_readable_map(session, programme):
    factories.demo_map(session, "template")
    factories.demo_map(session, "M001")
    factories.demo_map(session, "M002")
    assert [
        s for s, _name in starting_points(session, principal=programme["m001"], member_code="M001")
    ] == [TEMPLATE]
    office = [
        s for s, _ in starting_points(session, principal=programme["office"], member_code="M003")
    ]
    assert office == [TEMPLATE, "M001", "M002"]
    document = start_from(
        session, principal=programme["office"], member_code="M003", source=TEMPLATE
    )
    assert document.member == "M003" and all(o.template_key == o.key for o in document.objectives)
    with pytest.raises(Forbidden):
        start_from(session, principal=programme["m001"], member_code="M001", source="M002")
    saved = save_map(session, document, actor=OPERATOR, source="web", member_code="M003")
    assert saved.status == "saved"
    rows = session.exec(
        select(ObjectiveLink)
        .join(StrategyMap, col(StrategyMap.id) == ObjectiveLink.map_id)
        .where(StrategyMap.version == 1)
    ).all()
    assert rows and session.exec(select(func.count()).select_from(Objective)).one() >= 9
