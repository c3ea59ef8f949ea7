"""``bsc maps``: validate names the cycle, import and export round-trip, versions, rights."""

from __future__ import annotations

import json

from sqlmodel import select

from bsc.db import make_engine, session_scope
from bsc.models import StrategyMap
from tests import factories
from tests.bsc.test_cli import run
from tests.conftest import DEMO

MAPS = DEMO / "maps"
CYCLIC = """\
member: M001
name: Cyclic
objectives:
- {key: F1, perspective: 財務, title: Lower cost, kpis: [OPEX_SAVING]}
- {key: C1, perspective: 顧客, title: Same-day reconciliation, kpis: [RECON_SAMEDAY]}
- {key: P1, perspective: 內部流程, title: Automate files, kpis: [FILE_AUTO]}
- {key: L1, perspective: 學習成長, title: Cloud skills, kpis: [CLOUD_CERT]}
links: [[L1, P1], [P1, C1], [C1, F1], [F1, P1]]
"""


def prepared(db_url: str) -> str:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        factories.standard_programme(session)
        factories.demo_catalogue(session)
    engine.dispose()
    return db_url


def test_validate_names_the_cycle_and_exits_1(tmp_path, sqlite_url):
    path = tmp_path / "cyclic.yaml"
    path.write_text(CYCLIC, encoding="utf-8")
    prepared(sqlite_url)
    result = run(sqlite_url, "maps", "validate", str(path), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    cycles = [i for i in report["issues"] if i["rule"] == "cycle"]
    assert [c["objectives"] for c in cycles] == [["F1", "P1", "C1"]]
    assert "F1 → P1 → C1 → F1" in cycles[0]["message"]
    assert report["kpis_checked"] and len(cycles) == len(
        [i for i in report["issues"] if i["severity"] == "error"]
    )
    text = run(sqlite_url, "maps", "validate", str(path))
    assert text.exit_code == 1 and "cycle" in text.output and "invalid" in text.output


def test_validate_prints_warnings_and_exits_0(tmp_path):
    result = run(f"sqlite:///{tmp_path / 'none.db'}", "maps", "validate", str(MAPS / "M002.yaml"))
    assert result.exit_code == 0, result.output
    assert "L3" in result.output and "no KPIs" in result.output
    assert "KPI codes not checked" in result.output
    assert not (tmp_path / "none.db").exists()


def test_validate_checks_kpi_codes_against_the_catalogue(tmp_path, sqlite_url):
    prepared(sqlite_url)
    path = tmp_path / "m.yaml"
    path.write_text((MAPS / "M001.yaml").read_text().replace("- FILE_AUTO", "- FILE_AUTOMATION"))
    result = run(sqlite_url, "maps", "validate", str(path), "--format", "json")
    assert result.exit_code == 1
    assert [i["rule"] for i in json.loads(result.stdout)["issues"]] == ["unknown_kpi"]
    offline = run(sqlite_url, "maps", "validate", str(path), "--offline")
    assert offline.exit_code == 0


def test_import_publish_export_and_restore(db_url, tmp_path):
    prepared(db_url)
    imported = run(db_url, "maps", "import", str(MAPS / "M001.yaml"), "--publish")
    assert imported.exit_code == 0 and "version 1 published" in imported.output, imported.output
    exported = run(db_url, "maps", "export", "--member", "M001")
    assert exported.stdout == (MAPS / "M001.yaml").read_text(encoding="utf-8")
    as_json = run(db_url, "maps", "export", "--member", "M001", "--format", "json")
    assert json.loads(as_json.stdout)["objectives"][0]["kpis"] == ["OPEX_SAVING", "COST_PER_TRADE"]
    edited = tmp_path / "M001.json"
    document = json.loads(as_json.stdout)
    document["links"].append(["L1", "C1"])
    edited.write_text(json.dumps(document), encoding="utf-8")
    second = run(db_url, "maps", "import", str(edited), "--format", "json")
    assert json.loads(second.stdout)["changes"] == [{"action": "add_link", "target": "L1 → C1"}]
    listed = json.loads(run(db_url, "maps", "list", "--member", "M001", "--format", "json").stdout)
    assert [(v["version"], v["status"]) for v in listed] == [(2, "draft"), (1, "published")]
    assert run(db_url, "maps", "publish", "--member", "M001", "--version", "2").exit_code == 0
    restored = run(db_url, "maps", "restore", "--member", "M001", "--version", "1")
    assert restored.exit_code == 0 and "version 3 saved" in restored.output
    out = tmp_path / "v1.yaml"
    assert (
        run(
            db_url, "maps", "export", "--member", "M001", "--version", "1", "-o", str(out)
        ).exit_code
        == 0
    )
    assert out.read_text(encoding="utf-8") == (MAPS / "M001.yaml").read_text(encoding="utf-8")


def test_a_rejected_import_exits_1_and_stores_nothing(db_url, tmp_path):
    prepared(db_url)
    path = tmp_path / "cyclic.yaml"
    path.write_text(CYCLIC, encoding="utf-8")
    result = run(db_url, "maps", "import", str(path))
    assert result.exit_code == 1 and "rejected, nothing stored" in result.output
    engine = make_engine(db_url)
    with session_scope(engine, write=False) as session:
        assert session.exec(select(StrategyMap)).all() == []
    engine.dispose()


def test_a_member_user_works_on_its_own_map_only(db_url):
    prepared(db_url)
    own = run(db_url, "--as", "m001", "maps", "import", str(MAPS / "M001.yaml"), "--publish")
    assert own.exit_code == 0, own.output
    assert run(db_url, "--as", "m001", "maps", "export").stdout.startswith("member: M001")
    other = run(db_url, "--as", "m001", "maps", "export", "--member", "M002")
    assert other.exit_code == 1 and "not allowed" in other.output
    template = run(db_url, "--as", "m001", "maps", "import", str(MAPS / "template.yaml"))
    assert template.exit_code == 0 and "M001 version 2 saved" in template.output  # its own map
    programme = run(
        db_url, "--as", "m001", "maps", "publish", "--member", "template", "--version", "1"
    )
    assert programme.exit_code == 1
    nothing = run(db_url, "maps", "export", "--member", "M002")
    assert nothing.exit_code == 1 and "no such map" in nothing.output


def test_the_demo_publishes_the_template_and_the_pilot_maps(sqlite_engine):
    from bsc.services.demo import default_demo_folder, load_demo

    assert load_demo(sqlite_engine, default_demo_folder())
    with session_scope(sqlite_engine, write=False) as session:
        published = session.exec(select(StrategyMap).where(StrategyMap.status == "published")).all()
        assert len(published) == 4 and {m.version for m in published} == {1}


def test_the_coloured_map_exports_from_the_shell(sqlite_url, tmp_path):
    from bsc.services.demo import default_demo_folder, load_demo

    engine = make_engine(sqlite_url)
    load_demo(engine, default_demo_folder())
    engine.dispose()
    out = tmp_path / "map.svg"
    result = run(
        sqlite_url,
        "export",
        "chart",
        "strategy_map",
        "--member",
        "M003",
        "--period",
        "2026-10",
        "--format",
        "svg",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "Learning &amp; growth" in svg and "C3 · Open data for" in svg
    assert "#fff3cd" in svg or "rgb(255, 243, 205)" in svg  # L2 is amber in 2026-10
