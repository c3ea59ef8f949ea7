"""Edits as pure functions, and the list of changes between two versions."""

from __future__ import annotations

from strategy_maps.editing import (
    add_link,
    add_objective,
    adopt,
    delete_objective,
    map_changes,
    next_key,
    remove_link,
    set_kpis,
    update_objective,
)
from strategy_maps.io import read_map
from strategy_maps.model import KpiRef, MapDocument, MapObjective
from tests.conftest import DEMO

BASE = MapDocument(
    name="Pilot",
    member="M001",
    objectives=(
        MapObjective("F1", "financial", "Cost", kpis=(KpiRef("OPEX", 2.0),)),
        MapObjective("C1", "customer", "Recon"),
    ),
    links=(("C1", "F1"),),
)


def test_new_objectives_get_the_next_free_key_of_their_perspective():
    document = add_objective(BASE, perspective="customer", title="Adoption")
    assert document.objectives[-1] == MapObjective("C2", "customer", "Adoption")
    assert next_key(document, "财务") == "F2"


def test_renaming_and_moving_an_objective():
    renamed = update_objective(BASE, "C1", title="Same-day reconciliation", title_zh="當日對帳")
    assert renamed.objective("C1").title_zh == "當日對帳"  # type: ignore[union-attr]
    moved = update_objective(BASE, "C1", perspective="process")
    assert moved.objective("C1").perspective == "process"  # type: ignore[union-attr]
    rekeyed = update_objective(BASE, "C1", key="C9")
    assert rekeyed.links == (("C9", "F1"),)


def test_deleting_an_objective_takes_its_links_with_it():
    document = delete_objective(BASE, "C1")
    assert document.keys == ["F1"] and document.links == ()


def test_links_are_added_once_and_removed():
    document = add_link(add_link(BASE, "F1", "C1"), "F1", "C1")
    assert document.links == (("C1", "F1"), ("F1", "C1"))
    assert remove_link(document, "F1", "C1").links == BASE.links


def test_attaching_kpis_keeps_the_weights_already_set():
    document = set_kpis(BASE, "F1", ["OPEX", "NEW_REVENUE", "OPEX"])
    assert document.objective("F1").kpis == (KpiRef("OPEX", 2.0), KpiRef("NEW_REVENUE"))  # type: ignore[union-attr]


def test_starting_from_the_template_marks_what_was_adopted():
    template, _ = read_map((DEMO / "maps" / "template.yaml").read_bytes(), filename="t.yaml")
    document = adopt(template, member="M009", name="New map")
    assert document.member == "M009" and document.name == "New map"
    assert all(o.template_key == o.key for o in document.objectives)
    assert document.links == template.links
    m003, _ = read_map((DEMO / "maps" / "M003.yaml").read_bytes(), filename="m.yaml")
    copied = adopt(m003, member="M009")
    assert copied.objective("C3").template_key is None  # type: ignore[union-attr]
    assert copied.objective("C1").template_key == "C1"  # type: ignore[union-attr]


def test_changes_are_listed_one_by_one():
    after = add_objective(BASE, perspective="learning", title="Skills")
    after = add_link(after, "L1", "C1")
    after = update_objective(after, "C1", perspective="process")
    after = update_objective(after, "F1", title="Lower cost")
    after = set_kpis(after, "L1", ["CLOUD_CERT"])
    after = remove_link(after, "C1", "F1")
    changes = [(change.action, change.target) for change in map_changes(BASE, after)]
    assert changes == [
        ("rename_objective", "F1"),
        ("move_objective", "C1"),
        ("add_objective", "L1"),
        ("add_link", "L1 → C1"),
        ("remove_link", "C1 → F1"),
    ]
    deleted = map_changes(BASE, delete_objective(BASE, "C1"))
    assert [(c.action, c.target) for c in deleted] == [
        ("delete_objective", "C1"),
        ("remove_link", "C1 → F1"),
    ]
    assert map_changes(BASE, BASE) == []
    assert [c.action for c in map_changes(None, BASE)][:2] == ["add_objective", "add_objective"]
