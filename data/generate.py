"""Write the demo dataset into ``data/demo/`` — deterministically, in the formats members upload.

Run ``python -m data.generate`` after changing this file; the files are committed so the demo and
the tests do not depend on running it. The same seed always gives the same bytes.

What it writes:

* ``members.csv``, ``kpis.csv`` — the catalogue (14 members, 13 programme KPIs);
* ``measurements/`` — 36 months of monthly KPIs, one file per member in that member's own format
  (Big5 with ROC months, UTF-8 with BOM wide by month, XLSX, TSV, UTF-16, GB18030, plain CSV),
  quarterly KPIs of all members in one wide-by-KPI workbook as a regulator would export it, and
  yearly KPIs in one long CSV;
* ``maps/`` — the programme template and a strategy map for each pilot member (YAML);
* ``pest_factors.csv``, ``pest_ratings.csv`` — 14 PEST factors rated over 8 quarters;
* ``waves.csv``, ``rollout.csv`` — the rollout plan with some slippage;
* ``survey_items.csv``, ``survey_responses.csv`` — the demand and willingness survey;
* ``vendor_criteria.csv``, ``vendor_scores.csv``, ``vendor_decision.csv`` — the vendor evaluation.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import yaml
from openpyxl import Workbook

OUT = Path(__file__).with_name("demo")
SEED = 20261126
FIRST_MONTH = date(2023, 11, 1)
MONTHS = 36  # 2023-11 … 2026-10
LAST_MONTH = date(2026, 10, 1)


@dataclass(frozen=True)
class MemberSpec:
    code: str
    name: str
    name_zh: str
    segment: str
    region: str
    revenue: int
    investors: int
    capital: str
    leader: int
    cloud: int
    state: int
    coop: int
    wave: str
    maturity: float  # 0.6 lags far behind target … 1.1 beats it
    feed: str  # the format of the member's monthly file


MEMBERS = [
    MemberSpec(
        "M001",
        "Formosa Securities",
        "福爾摩沙證券",
        "broker",
        "north",
        18_500_000_000,
        1_200_000,
        "private",
        1,
        0,
        0,
        1,
        "pilot",
        1.05,
        "big5_roc",
    ),
    MemberSpec(
        "M002",
        "Keelung Commercial Bank",
        "基隆商業銀行",
        "bank",
        "north",
        42_000_000_000,
        2_400_000,
        "state",
        0,
        0,
        1,
        1,
        "pilot",
        0.92,
        "wide_bom",
    ),
    MemberSpec(
        "M003",
        "Cloudway Securities",
        "雲道證券",
        "broker",
        "central",
        6_200_000_000,
        310_000,
        "private",
        0,
        1,
        0,
        0,
        "pilot",
        1.1,
        "xlsx_wide",
    ),
    MemberSpec(
        "M004",
        "Tainan Investment Trust",
        "台南投信",
        "investment_trust",
        "south",
        2_100_000_000,
        95_000,
        "private",
        0,
        0,
        0,
        1,
        "wave-2",
        0.85,
        "tsv_synonyms",
    ),
    MemberSpec(
        "M005",
        "Harbor Futures",
        "港都期貨",
        "futures",
        "south",
        1_400_000_000,
        60_000,
        "private",
        0,
        0,
        0,
        0,
        "wave-2",
        0.7,
        "long_en",
    ),
    MemberSpec(
        "M006",
        "Eastern Coast Bank",
        "東岸銀行",
        "bank",
        "east",
        9_800_000_000,
        640_000,
        "state",
        0,
        0,
        1,
        0,
        "wave-2",
        0.9,
        "utf16_tsv",
    ),
    MemberSpec(
        "M007",
        "Pacific Rim Securities",
        "環太平洋證券",
        "broker",
        "north",
        11_300_000_000,
        870_000,
        "foreign",
        1,
        1,
        0,
        0,
        "wave-3",
        0.95,
        "long_en",
    ),
    MemberSpec(
        "M008",
        "Jade Mountain Securities",
        "玉山嶺證券",
        "broker",
        "central",
        3_300_000_000,
        150_000,
        "private",
        0,
        0,
        0,
        0,
        "wave-3",
        0.65,
        "big5_roc",
    ),
    MemberSpec(
        "M009",
        "Hsinchu Tech Bank",
        "竹科銀行",
        "bank",
        "north",
        15_600_000_000,
        980_000,
        "private",
        0,
        1,
        0,
        1,
        "wave-2",
        1.0,
        "gb18030_long",
    ),
    MemberSpec(
        "M010",
        "Penghu Island Securities",
        "澎湖證券",
        "broker",
        "islands",
        800_000_000,
        40_000,
        "private",
        0,
        0,
        0,
        0,
        "wave-3",
        0.75,
        "long_en",
    ),
    MemberSpec(
        "M011",
        "Taichung Futures",
        "台中期貨",
        "futures",
        "central",
        2_600_000_000,
        120_000,
        "mixed",
        0,
        0,
        0,
        1,
        "wave-3",
        0.8,
        "wide_bom",
    ),
    MemberSpec(
        "M012",
        "Kaohsiung Harbour Bank",
        "高雄港銀行",
        "bank",
        "south",
        12_400_000_000,
        760_000,
        "state",
        0,
        0,
        1,
        1,
        "wave-2",
        0.88,
        "long_en",
    ),
    MemberSpec(
        "M013",
        "Hualien Investment Trust",
        "花蓮投信",
        "investment_trust",
        "east",
        1_100_000_000,
        52_000,
        "private",
        0,
        0,
        0,
        0,
        "wave-3",
        0.7,
        "long_en",
    ),
    MemberSpec(
        "M014",
        "Taipei Global Securities",
        "台北環球證券",
        "broker",
        "north",
        24_800_000_000,
        1_650_000,
        "foreign",
        1,
        0,
        0,
        0,
        "wave-3",
        0.98,
        "xlsx_wide",
    ),
]

# code, name, name_zh, unit, polarity, target, amber, floor, band_low, band_high, tolerance,
# frequency, aggregation, perspective, weight, objective_key
KPIS = [
    (
        "OPEX_SAVING",
        "IT operating cost saving",
        "資訊營運成本節省",
        "TWD",
        "higher_is_better",
        2_000_000,
        1_000_000,
        0,
        None,
        None,
        None,
        "monthly",
        "sum",
        "financial",
        2,
        "F1",
    ),
    (
        "NEW_REVENUE",
        "Revenue from new cloud services",
        "雲端新服務營收",
        "TWD",
        "higher_is_better",
        5_000_000,
        3_000_000,
        0,
        None,
        None,
        None,
        "monthly",
        "sum",
        "financial",
        1,
        "F2",
    ),
    (
        "COST_PER_TRADE",
        "Back-office cost per trade",
        "每筆交易後台成本",
        "TWD",
        "lower_is_better",
        12,
        15,
        25,
        None,
        None,
        None,
        "monthly",
        "mean",
        "financial",
        1,
        "F1",
    ),
    (
        "RECON_SAMEDAY",
        "Same-day reconciliation rate",
        "當日對帳完成率",
        "%",
        "higher_is_better",
        99,
        95,
        80,
        None,
        None,
        None,
        "monthly",
        "mean",
        "customer",
        2,
        "C1",
    ),
    (
        "API_ADOPTION",
        "Clients on the cloud API",
        "使用雲端API之客戶數",
        "clients",
        "higher_is_better",
        400,
        250,
        0,
        None,
        None,
        None,
        "monthly",
        "last",
        "customer",
        1,
        "C2",
    ),
    (
        "CLIENT_SAT",
        "Member satisfaction score",
        "會員滿意度",
        "points",
        "higher_is_better",
        85,
        75,
        50,
        None,
        None,
        None,
        "quarterly",
        "mean",
        "customer",
        1,
        "C2",
    ),
    (
        "FILE_AUTO",
        "Automated file exchange share",
        "檔案交換自動化比率",
        "%",
        "higher_is_better",
        90,
        70,
        0,
        None,
        None,
        None,
        "monthly",
        "last",
        "process",
        2,
        "P1",
    ),
    (
        "INCIDENTS",
        "Settlement incidents",
        "交割異常件數",
        "count",
        "lower_is_better",
        0,
        2,
        10,
        None,
        None,
        None,
        "monthly",
        "sum",
        "process",
        2,
        "P2",
    ),
    (
        "CPU_UTIL",
        "Cloud capacity utilisation",
        "雲端資源使用率",
        "%",
        "in_band",
        None,
        None,
        None,
        40,
        75,
        10,
        "monthly",
        "mean",
        "process",
        1,
        "P3",
    ),
    (
        "BATCH_DELAY",
        "Night batch delay",
        "夜間批次延遲",
        "minutes",
        "lower_is_better",
        5,
        15,
        60,
        None,
        None,
        None,
        "monthly",
        "mean",
        "process",
        1,
        "P2",
    ),
    (
        "CLOUD_CERT",
        "Cloud-certified staff",
        "雲端認證人數",
        "people",
        "higher_is_better",
        20,
        10,
        0,
        None,
        None,
        None,
        "quarterly",
        "last",
        "learning",
        1,
        "L1",
    ),
    (
        "TRAINING_HRS",
        "Training hours per IT staff",
        "每人訓練時數",
        "hours",
        "higher_is_better",
        40,
        24,
        0,
        None,
        None,
        None,
        "quarterly",
        "sum",
        "learning",
        1,
        "L1",
    ),
    (
        "IMPROVEMENT_IDEAS",
        "Improvement proposals adopted",
        "採納之改善提案數",
        "count",
        "higher_is_better",
        12,
        6,
        0,
        None,
        None,
        None,
        "yearly",
        "sum",
        "learning",
        1,
        "L2",
    ),
]

TEMPLATE_OBJECTIVES = [
    ("F1", "financial", "Lower back-office cost", "降低後台作業成本"),
    ("F2", "financial", "Grow revenue from cloud services", "擴大雲端服務營收"),
    ("C1", "customer", "Same-day reconciliation for members", "會員當日完成對帳"),
    ("C2", "customer", "Members adopt the cloud service", "會員採用雲端服務"),
    ("P1", "process", "Automate file exchange", "檔案交換自動化"),
    ("P2", "process", "Stable settlement operations", "穩定交割作業"),
    ("P3", "process", "Right-size cloud capacity", "雲端資源適量配置"),
    ("L1", "learning", "Cloud skills for IT staff", "資訊人員雲端技能"),
    ("L2", "learning", "A culture of improvement", "持續改善文化"),
]
TEMPLATE_LINKS = [
    ("L1", "P1"),
    ("L1", "P3"),
    ("L2", "P2"),
    ("L2", "P1"),
    ("P1", "C1"),
    ("P2", "C1"),
    ("P3", "F1"),
    ("C1", "C2"),
    ("C1", "F1"),
    ("C2", "F2"),
]

PEST_FACTORS = [
    (
        "POL-REG",
        "political",
        "Regulator's cloud outsourcing rules",
        "主管機關雲端委外規範",
        "C1;P2",
    ),
    ("POL-SUB", "political", "Government digital-finance incentives", "政府數位金融獎勵措施", "F2"),
    ("POL-DATA", "political", "Data-residency requirements", "資料在地化要求", "P3"),
    ("ECO-RATE", "economic", "Interest-rate environment", "利率環境", "F2"),
    ("ECO-VOL", "economic", "Market trading volume", "市場成交量", "F1;F2"),
    ("ECO-IT", "economic", "IT budgets of members", "會員資訊預算", "L1;P1"),
    ("SOC-TRUST", "social", "Investor trust in cloud services", "投資人對雲端服務之信任", "C2"),
    ("SOC-TALENT", "social", "Supply of cloud engineers", "雲端工程人才供給", "L1"),
    ("SOC-AGE", "social", "Ageing investor base", "投資人結構高齡化", "C2"),
    ("TEC-CLOUD", "technological", "Maturity of local cloud regions", "本地雲端區域成熟度", "P3"),
    ("TEC-SEC", "technological", "Cyber-attack threat level", "資安攻擊威脅程度", "P2"),
    ("TEC-API", "technological", "Open-API standards in finance", "金融開放API標準", "C2;P1"),
    ("TEC-AI", "technological", "AI tools for operations", "營運AI工具", "P1;L2"),
    ("TEC-LEGACY", "technological", "Legacy mainframe lock-in", "既有大型主機綁定", "P1;F1"),
]

SURVEY_ITEMS = [
    ("S01", "Same-day reconciliation files on the cloud", "雲端當日對帳檔案", "operations"),
    ("S02", "Real-time settlement status notifications", "即時交割狀態通知", "operations"),
    ("S03", "Open data API for investors", "投資人開放資料API", "data"),
    ("S04", "Shared disaster-recovery site", "共用異地備援", "resilience"),
    ("S05", "Cloud training for IT staff", "資訊人員雲端訓練", "people"),
    ("S06", "Analytics on historical trading data", "歷史交易資料分析", "data"),
    ("S07", "Automated regulatory reporting", "自動化法規申報", "operations"),
    ("S08", "Cost-sharing of the cloud platform", "雲端平台費用分攤", "finance"),
]
SURVEY_COMMENTS = [
    "Worried about build cost",
    "Business secrets on a shared platform",
    "Staff too busy this year",
    "Needs board approval first",
    "Wants a reference customer",
    "Looks useful, send details",
    "Depends on our core-system vendor",
    "",
    "",
    "",
]

VENDORS = [
    ("V1", "Formosa Cloud Systems"),
    ("V2", "Pacific Data Services"),
    ("V3", "Harbor IT Consulting"),
    ("V4", "Jade Digital"),
]
CRITERIA = [
    ("ARCH", "Architecture and technology", "架構與技術", 25),
    ("SEC", "Security and compliance", "資安與法遵", 20),
    ("OPS", "Operations and support", "運維與支援", 20),
    ("COST", "Cost", "成本", 20),
    ("EXP", "Financial-sector experience", "金融業經驗", 15),
]
EXPERTS = ["Prof. Lin", "Dr. Chen", "Ms. Wang", "Mr. Huang", "Dr. Tsai"]
STAGES = ["design", "test", "build", "trial", "go_live"]


def month_add(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_label(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def main() -> None:
    rng = np.random.default_rng(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "measurements").mkdir(exist_ok=True)
    (OUT / "maps").mkdir(exist_ok=True)
    write_catalogue()
    series = simulate(rng)
    write_monthly_feeds(series)
    write_quarterly_feed(series)
    write_yearly_feed(series)
    write_maps()
    write_pest(rng)
    write_rollout(rng)
    write_survey(rng)
    write_vendors(rng)
    print(f"demo data written to {OUT}")


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    line_end: str = "\n",
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_catalogue() -> None:
    write_csv(
        OUT / "members.csv",
        [
            "code",
            "name",
            "name_zh",
            "segment",
            "region",
            "revenue_twd",
            "investor_count",
            "capital_structure",
            "is_industry_leader",
            "is_cloud_leader",
            "has_state_shareholding",
            "prior_cooperation",
            "wave",
        ],
        [
            [
                m.code,
                m.name,
                m.name_zh,
                m.segment,
                m.region,
                m.revenue,
                m.investors,
                m.capital,
                m.leader,
                m.cloud,
                m.state,
                m.coop,
                m.wave,
            ]
            for m in MEMBERS
        ],
    )
    write_csv(
        OUT / "kpis.csv",
        [
            "code",
            "name",
            "name_zh",
            "unit",
            "polarity",
            "target",
            "amber",
            "floor",
            "band_low",
            "band_high",
            "band_tolerance",
            "frequency",
            "aggregation",
            "perspective",
            "weight",
            "objective_key",
        ],
        [list(row) for row in KPIS],
    )


def first_month(member: MemberSpec) -> date:
    return {"pilot": FIRST_MONTH, "wave-2": date(2024, 5, 1)}.get(member.wave, date(2025, 5, 1))


def simulate(rng: np.random.Generator) -> dict[tuple[str, str], dict[date, float | None]]:
    """Monthly values per (member, KPI): a learning curve towards the member's level, plus noise."""
    series: dict[tuple[str, str], dict[date, float | None]] = {}
    for member in MEMBERS:
        start = first_month(member)
        months = [month_add(start, i) for i in range(MONTHS) if month_add(start, i) <= LAST_MONTH]
        if member.code == "M010":  # an overdue member: nothing for the last two months
            months = months[:-2]
        progress = 1 / (
            1 + np.exp(-(np.arange(len(months)) - len(months) * 0.45) / (len(months) / 7))
        )
        for code, *_rest in KPIS:
            kpi = dict(
                zip(
                    [
                        "code",
                        "name",
                        "name_zh",
                        "unit",
                        "polarity",
                        "target",
                        "amber",
                        "floor",
                        "band_low",
                        "band_high",
                        "tolerance",
                        "frequency",
                        "aggregation",
                        "perspective",
                        "weight",
                        "objective",
                    ],
                    (code, *_rest),
                    strict=True,
                )
            )
            values = kpi_values(kpi, member, progress, rng)
            gaps = rng.random(len(months)) < 0.03
            series[(member.code, code)] = {
                month: None if gap else value
                for month, value, gap in zip(months, values, gaps, strict=True)
            }
    return series


def kpi_values(
    kpi: dict, member: MemberSpec, progress: np.ndarray, rng: np.random.Generator
) -> list[float]:
    level = member.maturity * rng.uniform(0.92, 1.05)
    noise = rng.normal(0, 1, len(progress))
    polarity = kpi["polarity"]
    if polarity == "in_band":
        centre = 30 + (57 - 30) * progress * min(level, 1.05)
        return list(np.round(centre + noise * 4, 1))
    target, floor = float(kpi["target"]), float(kpi["floor"])
    start_share = rng.uniform(0.15, 0.45)
    share = start_share + (level - start_share) * progress
    if polarity == "higher_is_better":
        values = floor + (target - floor) * share
        values = values * (1 + noise * 0.03)
    else:
        values = floor - (floor - target) * share
        values = values + noise * (floor - target) * 0.04
    values = np.maximum(values, 0)
    if kpi["unit"] == "%":
        return list(np.round(np.minimum(values, 100), 1))
    if kpi["unit"] in ("count", "clients", "people"):
        return list(np.round(values).astype(int).astype(float))
    if kpi["unit"] == "TWD":
        return list(np.round(values))
    return list(np.round(values, 1))


def frequency_of(code: str) -> str:
    return next(row[11] for row in KPIS if row[0] == code)


def monthly_codes() -> list[str]:
    return [row[0] for row in KPIS if row[11] == "monthly"]


def member_rows(series, member: MemberSpec) -> list[tuple[str, date, float | None]]:
    rows = []
    for code in monthly_codes():
        for month, value in series[(member.code, code)].items():
            rows.append((code, month, value))
    return rows


def plain(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def write_monthly_feeds(series) -> None:
    for member in MEMBERS:
        writer = FEED_WRITERS[member.feed]
        writer(series, member)


def feed_big5_roc(series, member: MemberSpec) -> None:
    """Big5, CRLF, ROC months like 115/01, thousand separators, '--' for gaps, a footnote line."""
    rows = []
    for code, month, value in member_rows(series, member):
        shown = "--" if value is None else (f"{value:,.0f}" if abs(value) >= 1000 else plain(value))
        rows.append([code, f"{month.year - 1911}/{month.month:02d}", shown, ""])
    rows.append(["註：本表資料來源為本公司內部系統，單位：新臺幣元", "", "", ""])
    write_csv(
        OUT / "measurements" / f"{member.code}_monthly.csv",
        ["指標代碼", "資料年月", "實際值", "備註"],
        rows,
        encoding="cp950",
        line_end="\r\n",
    )


def wide_by_month(series, member: MemberSpec) -> tuple[list[date], list[list[object]]]:
    months = sorted({month for code in monthly_codes() for month in series[(member.code, code)]})
    names = {row[0]: row[2] for row in KPIS}
    table = []
    for code in monthly_codes():
        values = series[(member.code, code)]
        table.append([code, names[code], *(values.get(month) for month in months)])
    return months, table


def feed_wide_bom(series, member: MemberSpec) -> None:
    """UTF-8 with BOM, wide by month (2025/01 headers), Chinese headers, N/A for gaps."""
    months, table = wide_by_month(series, member)
    rows = [
        [
            r[0],
            r[1],
            *("N/A" if v is None else (f"{v:,.0f}" if abs(v) >= 1000 else plain(v)) for v in r[2:]),
        ]
        for r in table
    ]
    write_csv(
        OUT / "measurements" / f"{member.code}_monthly.csv",
        ["指標代碼", "指標名稱", *(f"{m.year}/{m.month:02d}" for m in months)],
        rows,
        encoding="utf-8-sig",
    )


def feed_xlsx_wide(series, member: MemberSpec) -> None:
    """XLSX with a title line above the header, wide by month with real date headers."""
    months, table = wide_by_month(series, member)
    book = Workbook()
    sheet = book.active
    sheet.title = "KPI"
    sheet.append([f"{member.name_zh} 關鍵績效指標月報"])
    sheet.append(["指標代碼", "指標名稱", *months])
    for row in table:
        sheet.append(row)
    book.properties.creator = "Pilot Scorecard demo"
    save_workbook(book, OUT / "measurements" / f"{member.code}_monthly.xlsx")


def save_workbook(book: Workbook, path: Path) -> None:
    book.properties.created = datetime(2026, 11, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(rezip_deterministically(buffer.getvalue()))


def rezip_deterministically(data: bytes) -> bytes:
    """openpyxl stamps the time into the zip; fix it so the same seed gives the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on every save
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-11-01T00:00:00Z", content
                )
            target.writestr(fixed, content)
    return out.getvalue()


def feed_tsv_synonyms(series, member: MemberSpec) -> None:
    """Tab-separated with English synonyms (KPI, Month, Actual) and 'Jan 2025' months."""
    rows = [
        [code, month.strftime("%b %Y"), "" if value is None else plain(value)]
        for code, month, value in member_rows(series, member)
    ]
    write_csv(
        OUT / "measurements" / f"{member.code}_monthly.tsv",
        ["KPI", "Month", "Actual"],
        rows,
        delimiter="\t",
    )


def feed_utf16_tsv(series, member: MemberSpec) -> None:
    """What Excel's 'Unicode text' export gives: UTF-16 with BOM, tabs, 114年1月 style months."""
    rows = [
        [code, f"{month.year - 1911}年{month.month}月", "" if value is None else plain(value)]
        for code, month, value in member_rows(series, member)
    ]
    write_csv(
        OUT / "measurements" / f"{member.code}_monthly.txt",
        ["指標代碼", "年月", "數值"],
        rows,
        encoding="utf-16",
        delimiter="\t",
        line_end="\r\n",
    )


def feed_gb18030_long(series, member: MemberSpec) -> None:
    """GB18030 with Simplified Chinese headers and 2025年1月 months."""
    rows = [
        [member.code, code, f"{month.year}年{month.month}月", "" if value is None else plain(value)]
        for code, month, value in member_rows(series, member)
    ]
    write_csv(
        OUT / "measurements" / f"{member.code}_monthly.csv",
        ["机构代号", "指标代码", "期间", "数值"],
        rows,
        encoding="gb18030",
    )


def feed_long_en(series, member: MemberSpec) -> None:
    rows = [
        [member.code, code, f"{month.year}-{month.month:02d}", plain(value)]
        for code, month, value in member_rows(series, member)
        if value is not None
    ]
    write_csv(
        OUT / "measurements" / f"{member.code}_monthly.csv",
        ["member_code", "kpi_code", "period", "value"],
        rows,
    )


FEED_WRITERS = {
    "big5_roc": feed_big5_roc,
    "wide_bom": feed_wide_bom,
    "xlsx_wide": feed_xlsx_wide,
    "tsv_synonyms": feed_tsv_synonyms,
    "utf16_tsv": feed_utf16_tsv,
    "gb18030_long": feed_gb18030_long,
    "long_en": feed_long_en,
}


def quarter_value(code: str, monthly: dict[date, float | None], quarter: date) -> float | None:
    """A quarterly KPI's value: the simulated monthly levels are already on the quarter's scale."""
    months = [month_add(quarter, i) for i in range(3)]
    present = [monthly[month] for month in months if monthly.get(month) is not None]
    if len(present) < 2:
        return None
    aggregation = next(row[12] for row in KPIS if row[0] == code)
    return present[-1] if aggregation == "last" else round(sum(present) / len(present), 1)


def write_quarterly_feed(series) -> None:
    """All members' quarterly KPIs in one wide-by-KPI workbook with ROC quarters, as a regulator
    would export them."""
    codes = [row[0] for row in KPIS if row[11] == "quarterly"]
    book = Workbook()
    sheet = book.active
    sheet.title = "季報"
    sheet.append(["會員季度指標彙總表（單位：如各欄所示）"])
    sheet.append(["機構代號", "機構名稱", "資料季別", *codes])
    for member in MEMBERS:
        base = series[(member.code, "RECON_SAMEDAY")]
        quarter = date(FIRST_MONTH.year, 10, 1)
        while quarter <= date(2026, 7, 1):
            if all(month_add(quarter, i) in base for i in range(3)):
                values = []
                for code in codes:
                    shadow = series[(member.code, code)]
                    value = quarter_value(code, shadow, quarter)
                    values.append(value if value is not None else "-")
                label = f"{quarter.year - 1911}年第{(quarter.month - 1) // 3 + 1}季"
                sheet.append([member.code, member.name_zh, label, *values])
            quarter = month_add(quarter, 3)
    sheet.append(["合計", "", "", "", ""])
    save_workbook(book, OUT / "measurements" / "quarterly_all_members.xlsx")


def write_yearly_feed(series) -> None:
    rows = []
    for member in MEMBERS:
        monthly = series[(member.code, "IMPROVEMENT_IDEAS")]
        for year in (2024, 2025):
            months = [m for m in monthly if m.year == year]
            if len(months) == 12:
                present = [monthly[m] for m in months if monthly[m] is not None]
                rows.append(
                    [
                        member.code,
                        "IMPROVEMENT_IDEAS",
                        str(year),
                        round(sum(present) / len(present)),
                    ]
                )
    write_csv(
        OUT / "measurements" / "yearly_all_members.csv",
        ["member_code", "kpi_code", "period", "value"],
        rows,
    )


def write_maps() -> None:
    kpis_by_objective: dict[str, list[str]] = {}
    for row in KPIS:
        kpis_by_objective.setdefault(row[15], []).append(row[0])
    template = {
        "name": "Programme template",
        "objectives": [
            {
                "key": key,
                "perspective": perspective,
                "title": title,
                "title_zh": title_zh,
                "kpis": kpis_by_objective.get(key, []),
            }
            for key, perspective, title, title_zh in TEMPLATE_OBJECTIVES
        ],
        "links": [list(link) for link in TEMPLATE_LINKS],
    }
    dump_yaml(OUT / "maps" / "template.yaml", template)
    variations = {
        "M001": ("Cloud settlement pilot 2026", [], [("F1", "F2")]),
        "M002": (
            "Bank back-office on the cloud",
            [("L3", "learning", "Shared-platform governance", "共用平台治理", [])],
            [("L3", "P2")],
        ),
        "M003": (
            "Cloud-native broker",
            [("C3", "customer", "Open data for investors", "投資人開放資料", ["API_ADOPTION"])],
            [("P1", "C3"), ("C3", "F2")],
        ),
    }
    for code, (name, extra, extra_links) in variations.items():
        objectives = [
            dict(objective, template_key=objective["key"]) for objective in template["objectives"]
        ]
        for key, perspective, title, title_zh, kpis in extra:
            objectives.append(
                {
                    "key": key,
                    "perspective": perspective,
                    "title": title,
                    "title_zh": title_zh,
                    "kpis": kpis,
                }
            )
        document = {
            "member": code,
            "name": name,
            "objectives": objectives,
            "links": template["links"] + [list(link) for link in extra_links],
        }
        dump_yaml(OUT / "maps" / f"{code}.yaml", document)


def dump_yaml(path: Path, document: dict) -> None:
    path.write_text(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )


def write_pest(rng: np.random.Generator) -> None:
    write_csv(
        OUT / "pest_factors.csv",
        ["code", "category", "name", "name_zh", "objectives"],
        [list(row) for row in PEST_FACTORS],
    )
    quarters = [month_add(date(2024, 10, 1), 3 * i) for i in range(8)]  # 2024-Q4 … 2026-Q3
    rows = []
    for code, *_ in PEST_FACTORS:
        impact = int(rng.integers(-2, 3))
        likelihood = int(rng.integers(2, 5))
        for quarter in quarters:
            if rng.random() < 0.3:
                impact = int(np.clip(impact + rng.choice([-1, 1]), -2, 2))
            if rng.random() < 0.3:
                likelihood = int(np.clip(likelihood + rng.choice([-1, 1]), 1, 5))
            for rater in ("Strategy office", "IT department"):
                shift = int(rng.choice([0, 0, 0, 1, -1]))
                rows.append(
                    [
                        code,
                        quarter_label(quarter),
                        int(np.clip(impact + shift, -2, 2)),
                        likelihood,
                        rater,
                        "",
                    ]
                )
    write_csv(
        OUT / "pest_ratings.csv",
        ["factor", "quarter", "impact", "likelihood", "rater", "note"],
        rows,
    )


def write_rollout(rng: np.random.Generator) -> None:
    waves = [
        ("pilot", "Pilot", 1, "2024-01-01", "", ""),
        ("wave-2", "Wave 2", 2, "2025-07-01", "0.6", "1.0"),
        ("wave-3", "Wave 3", 3, "2026-10-01", "0.6", "0.8"),
    ]
    write_csv(
        OUT / "waves.csv",
        ["code", "name", "sequence", "planned_start", "gate_green_share", "gate_live_share"],
        [list(w) for w in waves],
    )
    starts = {"pilot": date(2024, 1, 8), "wave-2": date(2025, 7, 7), "wave-3": date(2026, 10, 5)}
    durations = [45, 40, 60, 45, 14]
    today = date(2026, 11, 26)
    rows = []
    for member in MEMBERS:
        planned = starts[member.wave] + timedelta(days=int(rng.integers(0, 20)))
        actual: date | None = planned + timedelta(days=int(rng.integers(0, 12)))
        for stage, days in zip(STAGES, durations, strict=True):
            planned_end = planned + timedelta(days=days)
            slip = int(rng.integers(0, 25)) if member.maturity < 0.9 else int(rng.integers(0, 8))
            actual_start = actual
            actual_end = actual_start + timedelta(days=days + slip) if actual_start else None
            if actual_end and actual_end > today:
                percent = round(
                    max(0.0, min(95.0, (today - actual_start).days / (days + slip) * 100))
                )
                actual_end = None
            elif actual_start and actual_start > today:
                actual_start, actual_end, percent = None, None, 0
            else:
                percent = 100 if actual_end else 0
            rows.append(
                [
                    member.code,
                    member.wave,
                    stage,
                    planned.isoformat(),
                    planned_end.isoformat(),
                    actual_start.isoformat() if actual_start else "",
                    actual_end.isoformat() if actual_end else "",
                    percent,
                    "",
                ]
            )
            planned = planned_end + timedelta(days=1)
            actual = actual_end + timedelta(days=1) if actual_end else None
    write_csv(
        OUT / "rollout.csv",
        [
            "member",
            "wave",
            "stage",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "percent_complete",
            "note",
        ],
        rows,
    )


def write_survey(rng: np.random.Generator) -> None:
    write_csv(
        OUT / "survey_items.csv",
        ["code", "text", "text_zh", "category"],
        [list(i) for i in SURVEY_ITEMS],
    )
    rows = []
    for member in MEMBERS:
        base = 1 + 4 * (member.maturity - 0.6) / 0.5
        for code, *_ in SURVEY_ITEMS:
            demand = int(
                np.clip(round(rng.normal(3.4 if code in ("S01", "S02", "S07") else 2.8, 1)), 1, 5)
            )
            willing = int(np.clip(round(base + rng.normal(0, 0.7)), 1, 5))
            comment = (
                SURVEY_COMMENTS[int(rng.integers(0, len(SURVEY_COMMENTS)))] if willing <= 3 else ""
            )
            rows.append([member.code, code, demand, willing, comment])
    write_csv(
        OUT / "survey_responses.csv", ["member", "item", "demand", "willingness", "comment"], rows
    )


def write_vendors(rng: np.random.Generator) -> None:
    write_csv(
        OUT / "vendor_criteria.csv",
        ["code", "name", "name_zh", "weight"],
        [list(c) for c in CRITERIA],
    )
    strength = {"V1": 80, "V2": 76, "V3": 70, "V4": 73}
    rows = []
    for code, name in VENDORS:
        for criterion, *_ in CRITERIA:
            bias = {"COST": 8 if code == "V2" else -3, "SEC": 5 if code == "V1" else 0}.get(
                criterion, 0
            )
            for expert in EXPERTS:
                score = float(np.clip(round(strength[code] + bias + rng.normal(0, 5)), 0, 100))
                rows.append([code, name, criterion, expert, score])
    write_csv(
        OUT / "vendor_scores.csv", ["vendor", "vendor_name", "criterion", "expert", "score"], rows
    )
    write_csv(
        OUT / "vendor_decision.csv",
        ["vendor", "reason"],
        [["V1", "Highest weighted score; strongest security and compliance record."]],
    )


if __name__ == "__main__":
    main()
