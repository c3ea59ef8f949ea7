"""Validation (DESIGN §6): each error and warning, each naming the objectives involved."""

from __future__ import annotations

import pytest

from strategy_maps.io import read_map
from strategy_maps.issues import Rule, Severity, errors_in
from strategy_maps.model import KpiRef, MapDocument, MapObjective, to_graph
from strategy_maps.validation import find_cycles, validate
from tests.conftest import DEMO


def objective(key: str, perspective: str, *kpis: str, title: str = "An objective") -> MapObjective:
    return MapObjective(key, perspective, title, kpis=tuple(KpiRef(code) for code in kpis))


#: A clean map: every lane used, every objective measured and linked, F1 reached from L1.
CLEAN = MapDocument(
    name="Clean",
    member="M001",
    objectives=(
        objective("F1", "financial", "OPEX"),
        objective("C1", "customer", "RECON"),
        objective("P1", "process", "FILE_AUTO"),
        objective("L1", "learning", "CLOUD_CERT"),
    ),
    links=(("L1", "P1"), ("P1", "C1"), ("C1", "F1")),
)


def with_(**changes) -> MapDocument:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(CLEAN, **changes)


def only(issues, rule):  # type: ignore[no-untyped-def]
    found = [issue for issue in issues if issue.rule is rule]
    assert len(found) == 1, [issue.message for issue in issues]
    return found[0]


def test_a_clean_map_has_no_issue():
    assert validate(CLEAN, known_kpis={"OPEX", "RECON", "FILE_AUTO", "CLOUD_CERT"}) == []


@pytest.mark.parametrize("name", ["template", "M001", "M003"])
def test_the_demo_maps_are_clean(name):
    document, _ = read_map((DEMO / "maps" / f"{name}.yaml").read_bytes(), filename="m.yaml")
    assert validate(document) == []


def test_m002s_new_objective_without_kpis_is_a_warning():
    document, _ = read_map((DEMO / "maps" / "M002.yaml").read_bytes(), filename="m.yaml")
    issue = only(validate(document), Rule.NO_KPIS)
    assert issue.severity is Severity.WARNING and issue.objectives == ("L3",)


# --------------------------------------------------------------------------- errors


def test_unknown_perspective_is_an_error_naming_the_objective_and_the_value():
    document = with_(objectives=(*CLEAN.objectives, objective("M1", "marketing", "X")))
    issue = only(validate(document), Rule.UNKNOWN_PERSPECTIVE)
    assert issue.is_error and issue.objectives == ("M1",)
    assert "marketing" in issue.message and "M1" in issue.message


def test_a_missing_perspective_is_an_error_too():
    document = with_(objectives=(*CLEAN.objectives, objective("M1", "", "X")))
    assert only(validate(document), Rule.UNKNOWN_PERSPECTIVE).objectives == ("M1",)


def test_duplicate_keys_are_an_error():
    document = with_(objectives=(*CLEAN.objectives, objective("C1", "customer", "RECON")))
    issue = only(validate(document), Rule.DUPLICATE_KEY)
    assert issue.is_error and issue.objectives == ("C1",) and "2 objectives" in issue.message


def test_a_link_to_a_missing_objective_is_an_error_naming_both_ends():
    issue = only(validate(with_(links=(*CLEAN.links, ("P1", "C9")))), Rule.MISSING_OBJECTIVE)
    assert issue.is_error and issue.objectives == ("P1", "C9")
    assert "C9" in issue.params["missing"]


def test_a_self_link_is_an_error():
    issue = only(validate(with_(links=(*CLEAN.links, ("C1", "C1")))), Rule.SELF_LINK)
    assert issue.is_error and issue.objectives == ("C1",)
    assert not [
        i for i in validate(with_(links=(*CLEAN.links, ("C1", "C1")))) if i.rule is Rule.CYCLE
    ]


def test_a_cycle_is_an_error_that_names_the_cycle():
    document = with_(links=(*CLEAN.links, ("F1", "P1")))
    issue = only(validate(document), Rule.CYCLE)
    assert issue.is_error
    assert issue.params["cycle"] == "F1 → P1 → C1 → F1"  # from the first objective of the map
    assert set(issue.objectives) == {"P1", "C1", "F1"}


def test_each_knot_of_cycles_is_named_once():
    graph = to_graph(
        with_(
            objectives=(
                *CLEAN.objectives,
                objective("C2", "customer"),
                objective("C3", "customer"),
            ),
            links=(*CLEAN.links, ("C1", "P1"), ("C2", "C3"), ("C3", "C2")),
        )
    )
    assert find_cycles(graph) == [["C1", "P1", "C1"], ["C2", "C3", "C2"]]


def test_a_link_listed_twice_is_an_error():
    issue = only(validate(with_(links=(*CLEAN.links, ("L1", "P1")))), Rule.DUPLICATE_LINK)
    assert issue.is_error and issue.objectives == ("L1", "P1")


def test_a_kpi_listed_twice_on_one_objective_is_an_error():
    document = with_(
        objectives=(objective("F1", "financial", "OPEX", "OPEX"), *CLEAN.objectives[1:])
    )
    assert only(validate(document), Rule.DUPLICATE_KPI).objectives == ("F1",)


def test_kpi_codes_missing_from_the_catalogue_are_errors_when_a_catalogue_is_given():
    assert not [i for i in validate(CLEAN) if i.rule is Rule.UNKNOWN_KPI]
    issues = validate(CLEAN, known_kpis={"OPEX", "RECON", "FILE_AUTO"})
    issue = only(issues, Rule.UNKNOWN_KPI)
    assert issue.objectives == ("L1",) and "CLOUD_CERT" in issue.message


def test_a_map_without_a_name_is_an_error():
    assert only(validate(with_(name=" ")), Rule.BAD_ENTRY).objectives == ()


def test_an_objective_without_a_title_is_an_error():
    document = with_(objectives=(*CLEAN.objectives[:3], MapObjective("L1", "learning", " ")))
    assert only(validate(document), Rule.BAD_ENTRY).objectives == ("L1",)


# --------------------------------------------------------------------------- warnings


def test_a_downward_link_is_a_warning_naming_both_perspectives():
    issue = only(validate(with_(links=(*CLEAN.links, ("F1", "L1")))), Rule.DOWNWARD_LINK)
    assert not issue.is_error and issue.objectives == ("F1", "L1")
    assert issue.params["cause_perspective"] == "financial"
    assert issue.params["effect_perspective"] == "learning"


def test_links_inside_a_lane_are_not_downward():
    document = with_(
        objectives=(*CLEAN.objectives, objective("F2", "financial", "NEW")),
        links=(*CLEAN.links, ("F1", "F2")),
    )
    assert not [i for i in validate(document) if i.rule is Rule.DOWNWARD_LINK]


def test_an_orphan_is_a_warning():
    document = with_(objectives=(*CLEAN.objectives, objective("C2", "customer", "NPS")))
    issue = only(validate(document), Rule.ORPHAN)
    assert not issue.is_error and issue.objectives == ("C2",)


def test_an_objective_without_kpis_is_a_warning():
    document = with_(objectives=(*CLEAN.objectives[:3], objective("L1", "learning")))
    issue = only(validate(document), Rule.NO_KPIS)
    assert not issue.is_error and issue.objectives == ("L1",)


def test_an_empty_perspective_is_a_warning_naming_it():
    document = with_(objectives=CLEAN.objectives[:3], links=CLEAN.links[1:])
    issues = validate(document)
    issue = only(issues, Rule.EMPTY_PERSPECTIVE)
    assert not issue.is_error and issue.params["perspective"] == "learning"


def test_a_financial_objective_no_learning_objective_leads_to_is_a_warning():
    document = with_(
        objectives=(*CLEAN.objectives, objective("F2", "financial", "NEW")),
        links=(*CLEAN.links, ("C1", "F2")),
    )
    assert not [i for i in validate(document) if i.rule is Rule.FINANCIAL_UNREACHABLE]
    cut = with_(links=(("P1", "C1"), ("C1", "F1"), ("L1", "C1")))
    assert not [i for i in validate(cut) if i.rule is Rule.FINANCIAL_UNREACHABLE]
    broken = with_(links=(("L1", "P1"), ("C1", "F1")))
    issue = only(validate(broken), Rule.FINANCIAL_UNREACHABLE)
    assert not issue.is_error and issue.objectives == ("F1",)


def test_errors_come_before_warnings_and_lines_are_kept():
    text = (
        "name: x\n"
        "objectives:\n"
        "- {key: F1, perspective: financial, title: A}\n"
        "- {key: F1, perspective: financial, title: B}\n"
        "links:\n"
        "- [F1, F1]\n"
    )
    document, _ = read_map(text, filename="x.yaml")
    issues = validate(document)
    severities = [issue.severity for issue in issues]
    assert severities == sorted(severities, key=lambda s: s is Severity.WARNING)
    assert only(issues, Rule.DUPLICATE_KEY).line == 4
    assert only(issues, Rule.SELF_LINK).line == 6
    assert len(errors_in(issues)) == 2
