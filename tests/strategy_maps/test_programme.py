"""The programme view: objectives matched by template key or title, adoption and shared links."""

from __future__ import annotations

import pandas as pd

from strategy_maps.io import read_map
from strategy_maps.model import MapDocument, MapObjective
from strategy_maps.programme import adoption, objective_id, programme_graph, shared_links
from tests.conftest import DEMO


def demo(name: str) -> MapDocument:
    return read_map((DEMO / "maps" / f"{name}.yaml").read_bytes(), filename="m.yaml")[0]


MAPS = {code: demo(code) for code in ("M001", "M002", "M003")}


def test_template_objectives_are_counted_by_adoption_and_member_ones_appear_too():
    frame = adoption(MAPS, demo("template")).set_index("objective")
    assert frame.loc["F1", "adoption"] == 3 and frame.loc["F1", "members"] == "M001, M002, M003"
    assert frame.loc["title:shared-platform governance", "adoption"] == 1
    assert frame.loc["title:open data for investors", "members"] == "M003"
    assert list(frame.index[:9]) == demo("template").keys


def test_objectives_match_by_title_when_they_have_no_template_key():
    template = MapDocument("T", objectives=(MapObjective("C1", "customer", "Same-day recon"),))
    renamed = MapObjective("X", "customer", "  same-day   RECON ")
    assert objective_id(renamed, template) == "C1"
    assert objective_id(renamed) == "title:same-day recon"


def test_mean_scores_are_over_the_members_that_have_one():
    scores = pd.DataFrame(
        {
            "member": ["M001", "M002", "M003", "M002"],
            "objective_key": ["F1", "F1", "F1", "L3"],
            "score": [80.0, 60.0, None, 40.0],
        }
    )
    frame = adoption(MAPS, demo("template"), scores).set_index("objective")
    assert frame.loc["F1", "mean_score"] == 70.0 and frame.loc["F1", "scored"] == 2
    assert frame.loc["title:shared-platform governance", "mean_score"] == 40.0
    assert pd.isna(frame.loc["F2", "mean_score"]) and frame.loc["F2", "scored"] == 0


def test_links_most_members_share_come_first():
    links = shared_links(MAPS, demo("template"))
    top = links[links["count"] == 3]
    assert len(top) == 10 and ("F1", "F2") not in set(zip(top["cause"], top["effect"], strict=True))
    f1_f2 = links[(links["cause"] == "F1") & (links["effect"] == "F2")].iloc[0]
    assert f1_f2["members"] == "M001" and f1_f2["count"] == 1
    assert list(links["count"]) == sorted(links["count"], reverse=True)


def test_the_programme_graph_carries_adoption_and_link_counts():
    graph = programme_graph(MAPS, demo("template"))
    assert graph.nodes["C1"]["adoption"] == 3
    assert graph.edges["P1", "C1"]["count"] == 3
