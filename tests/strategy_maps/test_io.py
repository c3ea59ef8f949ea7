"""Map files: the demo files read and write back byte for byte; any map survives a round trip."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategy_maps.errors import MapFormatError
from strategy_maps.io import MapFormat, document_to_dict, dump_map, parse_document, read_map
from strategy_maps.issues import Rule
from strategy_maps.model import KpiRef, MapDocument, MapObjective, from_graph, to_graph
from tests.conftest import DEMO

DEMO_MAPS = sorted((DEMO / "maps").glob("*.yaml"))


@pytest.mark.parametrize("path", DEMO_MAPS, ids=lambda p: p.name)
def test_the_demo_maps_read_without_problems_and_write_back_identically(path):
    document, issues = read_map(path.read_bytes(), filename=path.name)
    assert issues == []
    assert dump_map(document) == path.read_text(encoding="utf-8")
    again, _ = read_map(dump_map(document, MapFormat.JSON), filename="map.json")
    assert again == document


def test_the_template_has_no_member_and_a_member_map_keeps_its_own():
    template, _ = read_map((DEMO / "maps" / "template.yaml").read_bytes(), filename="t.yaml")
    member, _ = read_map((DEMO / "maps" / "M003.yaml").read_bytes(), filename="m.yaml")
    assert template.member is None and "member" not in document_to_dict(template)
    assert member.member == "M003"
    assert member.objective("C3") == MapObjective(
        "C3",
        "customer",
        "Open data for investors",
        "投資人開放資料",
        kpis=(KpiRef("API_ADOPTION"),),
    )
    assert ("C3", "F2") in member.links


@pytest.mark.parametrize(
    ("alias", "perspective"),
    [
        ("financial", "financial"),
        ("財務", "financial"),
        ("customer", "customer"),
        ("顧客", "customer"),
        ("客戶", "customer"),
        ("internal_process", "process"),
        ("作業", "process"),
        ("內部流程", "process"),
        ("learning_growth", "learning"),
        ("組織與成長", "learning"),
        ("學習成長", "learning"),
        ("Learning & Growth", "learning"),
    ],
)
def test_perspectives_are_read_from_english_and_chinese_aliases(alias, perspective):
    text = f"name: x\nobjectives:\n- {{key: A1, perspective: '{alias}', title: T}}\n"
    document, issues = read_map(text, filename="x.yaml")
    assert issues == [] and document.objectives[0].perspective == perspective


def test_an_unknown_perspective_is_kept_as_written_for_validation_to_report():
    document, _ = read_map("name: x\nobjectives:\n- {key: A1, perspective: marketing, title: T}\n")
    assert document.objectives[0].perspective == "marketing"


def test_entries_know_their_lines_and_bad_entries_are_collected_not_raised():
    text = (
        "name: Pilot\n"
        "extra: 1\n"
        "objectives:\n"
        "- key: F1\n"
        "  perspective: financial\n"
        "  title: Cost\n"
        "  kpis: [OPEX, {code: NEW_REVENUE, weight: 2}, {code: X, weight: -1}]\n"
        "- title: no key here\n"
        "links:\n"
        "- [F1]\n"
        "- [F1, F1]\n"
    )
    document, issues = read_map(text, filename="p.yaml")
    assert document.objectives[0].line == 4
    assert document.objectives[0].kpis == (KpiRef("OPEX"), KpiRef("NEW_REVENUE", 2.0))
    assert document.links == (("F1", "F1"),) and document.link_lines == (11,)
    found = {(issue.rule, issue.line) for issue in issues}
    assert found == {
        (Rule.UNKNOWN_FIELD, None),
        (Rule.BAD_ENTRY, 4),
        (Rule.BAD_ENTRY, 8),
        (Rule.BAD_ENTRY, 10),
    }
    assert any("weight" in issue.message for issue in issues if issue.line == 4)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "m.yaml", "empty"),
        (b"name: [unclosed\n", "m.yaml", "line 2"),
        (b"- just\n- a list\n", "m.yaml", "mapping"),
        (b'{"name": "x",}', "m.json", "line 1"),
        (b"name: x\nobjectives: nope\n", "m.yaml", "objectives must be a list"),
    ],
)
def test_files_that_are_not_maps_are_rejected_with_the_reason(data, filename, message):
    with pytest.raises(MapFormatError, match=message):
        read_map(data, filename=filename)


def test_encodings_other_than_utf8_are_read():
    text = "name: 試辦\nobjectives:\n- {key: F1, perspective: 財務, title: 降低成本}\n"
    document, _ = read_map(text.encode("cp950"), filename="m.yaml")
    assert document.name == "試辦" and document.objectives[0].title == "降低成本"


# --------------------------------------------------------------------------- round trips

_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s.strip())
_keys = st.from_regex(r"[A-Z][A-Z0-9_]{0,5}", fullmatch=True)
_optional = st.none() | _text
_objectives = st.builds(
    MapObjective,
    key=_keys,
    perspective=st.sampled_from(["financial", "customer", "process", "learning"]),
    title=_text,
    title_zh=_optional,
    description=_optional,
    kpis=st.lists(st.builds(KpiRef, _keys, st.sampled_from([1.0, 0.5, 2.0, 3.25])), max_size=3).map(
        tuple
    ),
    template_key=st.none() | _keys,
)


@st.composite
def documents(draw: st.DrawFn) -> MapDocument:
    objectives = draw(st.lists(_objectives, max_size=8, unique_by=lambda o: o.key))
    keys = [o.key for o in objectives]
    links = (
        draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=12))
        if keys
        else []
    )
    return MapDocument(
        name=draw(_text),
        member=draw(st.none() | _keys),
        objectives=tuple(objectives),
        links=tuple(links),
    )


@settings(max_examples=150, deadline=None)
@given(documents(), st.sampled_from(list(MapFormat)))
def test_any_map_survives_a_round_trip_with_a_stable_text(document, fmt):
    text = dump_map(document, fmt)
    again, issues = read_map(text, fmt=fmt)
    assert again == document
    assert not [issue for issue in issues if issue.rule is Rule.UNKNOWN_FIELD]
    assert dump_map(again, fmt) == text


@settings(max_examples=100, deadline=None)
@given(documents())
def test_field_order_is_fixed(document):
    content = json.loads(dump_map(document, MapFormat.JSON))
    expected_top = [k for k in ("member", "name", "objectives", "links") if k in content]
    assert list(content) == expected_top
    order = ["key", "perspective", "title", "title_zh", "description", "kpis", "template_key"]
    for entry in content["objectives"]:
        assert list(entry) == [name for name in order if name in entry]


@settings(max_examples=100, deadline=None)
@given(documents())
def test_the_graph_keeps_a_valid_map_whole(document):
    unique_links = tuple(dict.fromkeys(document.links))
    document = MapDocument(document.name, document.member, document.objectives, unique_links)
    assert from_graph(to_graph(document)) == document


def test_parse_document_reads_the_editor_store_form():
    content = document_to_dict(
        MapDocument("x", "M001", (MapObjective("F1", "financial", "Cost"),), ())
    )
    document, issues = parse_document(content)
    assert issues == [] and document.objectives[0].key == "F1"
