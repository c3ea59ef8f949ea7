from __future__ import annotations

from kpi.catalogue import parse_kpis, parse_members
from kpi.issues import Reason
from kpi.reading import read_table
from kpi.vocabulary import Perspective, Polarity
from tests.conftest import SAMPLES


def _table(text: str):
    return read_table(text.encode(), "catalogue.csv")


def test_the_sample_catalogue_parses_without_issues():
    members, issues = parse_members(
        read_table((SAMPLES / "catalogue" / "members.csv").read_bytes(), "m.csv")
    )
    assert issues == [] and len(members) == 8
    assert members[0].code == "M001" and members[0].name_zh == "福爾摩沙證券"
    assert members[0].is_industry_leader and members[0].wave == "pilot"
    kpis, issues = parse_kpis(
        read_table((SAMPLES / "catalogue" / "kpis.csv").read_bytes(), "k.csv")
    )
    assert issues == [] and len(kpis) == 8
    band = next(k for k in kpis if k.code == "CPU_UTIL")
    assert band.polarity is Polarity.IN_BAND and (band.band_low, band.band_high) == (40, 75)


HEADER = (
    "code,name,unit,polarity,target,amber,floor,band_low,band_high,band_tolerance,"
    "frequency,aggregation,perspective\n"
)


def test_every_bad_cell_is_reported_with_line_column_and_reason():
    text = HEADER + (
        "GOOD,Fine,%,higher_is_better,99,95,80,,,,monthly,mean,customer\n"
        "BAD1,Wrong polarity,%,sideways,99,95,80,,,,monthly,mean,customer\n"
        "BAD2,Bad number,%,higher_is_better,9O,95,80,,,,monthly,mean,customer\n"
        "BAD3,Order,%,higher_is_better,80,95,99,,,,monthly,mean,customer\n"
        "BAD4,Band,%,in_band,,,,75,40,10,monthly,mean,process\n"
        "GOOD,Again,%,higher_is_better,99,95,80,,,,monthly,mean,顧客\n"
        ",No code,%,higher_is_better,99,95,80,,,,weekly,mean,marketing\n"
    )
    records, issues = parse_kpis(_table(text))
    found = {(issue.line, issue.column, issue.reason) for issue in issues}
    assert (3, "polarity", Reason.BAD_VALUE) in found
    assert (4, "target", Reason.BAD_NUMBER) in found
    assert (5, "amber", Reason.BAD_VALUE) in found
    assert (6, "band_high", Reason.BAD_VALUE) in found
    assert (7, "code", Reason.DUPLICATE_CODE) in found
    assert {
        (8, "code", Reason.MISSING_VALUE),
        (8, "frequency", Reason.BAD_VALUE),
        (8, "perspective", Reason.BAD_VALUE),
    } <= found
    assert [record.code for record in records] == ["GOOD", "GOOD"]


def test_chinese_perspective_names_are_accepted():
    records, issues = parse_kpis(
        _table(HEADER + "A,x,%,higher_is_better,1,0.5,0,,,,monthly,sum,學習成長\n")
    )
    assert issues == [] and records[0].perspective is Perspective.LEARNING


def test_missing_columns_are_named():
    _, issues = parse_members(_table("code,name\nM1,x\n"))
    assert {issue.column for issue in issues} == {"segment", "region", "capital_structure"}
    assert {issue.reason for issue in issues} == {Reason.MISSING_COLUMN}


def test_member_flags_and_waves_are_validated():
    header = "code,name,segment,region,capital_structure,is_cloud_leader,wave\n"
    records, issues = parse_members(
        _table(
            header + "M1,A,broker,north,private,yes,Wave 2\nM2,B,broker,north,private,maybe,soon\n"
        )
    )
    assert records[0].is_cloud_leader and records[0].wave == "wave-2"
    assert {(i.line, i.column) for i in issues} == {(3, "is_cloud_leader"), (3, "wave")}
