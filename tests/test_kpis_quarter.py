"""KPIs by quarter (``kpis --by quarter``): a year's four quarters, each a period of its
own, on a small year worked out by hand."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.groupings import GROUPINGS
from xlsales.kpis import compute_kpis
from xlsales.periods import Period, PeriodType
from xlsales.workbook_data import BuildOptions, WorkbookData

YEAR = Period.parse("2026")
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
REPO = Path(__file__).resolve().parent.parent


def year_tables() -> dict[str, pd.DataFrame]:
    """A year of nine rows, nothing in Q3. By quarter (revenue / target):
    Q1 400 / 500 (Jan 100 of 200, Feb 300 of 300, Mar a lost deal), Q2 400 / 400,
    Q3 0 / 0, Q4 1000 / 1000; 2025-Q4 sold 500. Customer X buys in Q1 and Q4."""
    sales = pd.DataFrame([
        ("S0", date(2025, 12, 1), "A", "East", "W", "won", 500.0, 500.0, 500.0),
        ("S1", date(2026, 1, 10), "A", "East", "X", "won", 100.0, 100.0, 100.0),
        ("S2", date(2026, 2, 5), "B", "West", "Y", "won", 300.0, 300.0, 150.0),
        ("S3", date(2026, 3, 1), "A", "East", "Z", "lost", 50.0, None, None),
        ("S4", date(2026, 4, 3), "A", "East", "X", "won", 200.0, 200.0, 200.0),
        ("S5", date(2026, 6, 20), "B", "West", "Y", "won", 200.0, None, None),
        ("S6", date(2026, 10, 1), "B", "West", "Y", "won", 600.0, 600.0, 300.0),
        ("S7", date(2026, 11, 2), "A", "East", "Z", "lost", 100.0, None, None),
        ("S8", date(2026, 12, 24), "A", "East", "X", "won", 400.0, 400.0, 400.0),
    ], columns=["order_id", "date", "rep", "region", "customer", "stage", "amount",
                "invoiced", "collected"])
    targets = pd.DataFrame({
        "period": [date(2026, 1, 1), date(2026, 2, 1), date(2026, 4, 1), date(2026, 5, 1),
                   date(2026, 10, 1), date(2026, 12, 1)],
        "rep": ["A", "B", "A", "B", "B", "A"],
        "revenue_target": [200.0, 300.0, 200.0, 200.0, 500.0, 500.0]})
    return {"Sales": sales, "Targets": targets}


def test_a_year_by_quarter_is_its_four_quarters_in_order():
    result = compute_kpis(year_tables(), YEAR, by="quarter")
    assert list(result.groups) == QUARTERS
    assert [result.groups[q]["revenue"] for q in QUARTERS] == [400, 400, 0, 1000]
    assert [result.groups[q]["target"] for q in QUARTERS] == [500, 400, 0, 1000]


def test_the_quarters_add_up_to_the_year():
    """Sums add up; distinct customers are counted within each quarter (X buys in Q1,
    Q2 and Q4: three quarters' customers, one of the year's)."""
    result = compute_kpis(year_tables(), YEAR, by="quarter")
    year = result.kpis
    assert year["revenue"] == 1800 and year["target"] == 1900
    for key in ("revenue", "target", "deals", "lost_deals", "invoiced", "collected"):
        assert sum(g[key] for g in result.groups.values()) == year[key], key
    for q in result.groups.values():  # a quarter without a target has no gap to it
        assert q["gap"] == (q["target"] - q["revenue"] if q["target"] else None)
    assert [result.groups[q]["customers"] for q in QUARTERS] == [2, 2, 0, 2]
    assert year["customers"] == 2  # X and Y


def test_a_quarters_ratios_are_recomputed_from_its_sums_not_averaged():
    """Q1's attainment is 400 / 500 = 80%, not the mean of January's 50% and February's
    100% (75%); the year's is 1800 / 1900, not the mean of the quarters' (93.3%)."""
    result = compute_kpis(year_tables(), YEAR, by="quarter")
    q1, q4, year = result.groups["2026-Q1"], result.groups["2026-Q4"], result.kpis
    assert q1["attainment"] == pytest.approx(0.8)
    assert q1["win_rate"] == pytest.approx(2 / 3)  # two won, one lost
    assert q1["collection_rate"] == pytest.approx(250 / 400)
    assert q4["collection_rate"] == pytest.approx(700 / 1000)
    assert year["attainment"] == pytest.approx(1800 / 1900)
    assert year["win_rate"] == pytest.approx(6 / 8)
    assert year["collection_rate"] == pytest.approx(1150 / 1600)


def test_each_quarter_is_a_period_of_its_own():
    """Growth on the quarter before (Q1 on 2025-Q4) and on the same quarter last year,
    the same figures as ``--period 2026-Qn`` alone."""
    groups = compute_kpis(year_tables(), YEAR, by="quarter").groups
    assert groups["2026-Q1"]["revenue_previous"] == 500
    assert groups["2026-Q1"]["mom_growth"] == pytest.approx(400 / 500 - 1)
    assert groups["2026-Q2"]["mom_growth"] == pytest.approx(0.0)
    assert groups["2026-Q3"]["mom_growth"] == pytest.approx(-1.0)
    assert groups["2026-Q4"]["mom_growth"] is None  # nothing sold in Q3
    assert groups["2026-Q4"]["yoy_growth"] == pytest.approx(1000 / 500 - 1)
    for label, values in groups.items():
        assert values == compute_kpis(year_tables(), Period.parse(label)).kpis, label


def test_a_quarter_without_rows_gives_empty_ratios_not_errors():
    q3 = compute_kpis(year_tables(), YEAR, by="quarter").groups["2026-Q3"]
    assert (q3["revenue"], q3["target"], q3["deals"], q3["customers"]) == (0, 0, 0, 0)
    for key in ("attainment", "aov", "win_rate", "collection_rate", "yoy_growth",
                "new_customer_revenue_share"):
        assert q3[key] is None, key


def test_a_quarter_by_quarter_is_itself_and_a_month_has_no_whole_quarter():
    q4 = compute_kpis(year_tables(), Period.parse("2026-Q4"), by="quarter")
    assert q4.groups == {"2026-Q4": q4.kpis}
    from xlsales.errors import UsageError
    with pytest.raises(UsageError, match="--period 2026-Q4"):
        compute_kpis(year_tables(), Period.parse("2026-11"), by="quarter")


def test_period_parts():
    assert [p.label for p in YEAR.parts_in(PeriodType.QUARTER)] == QUARTERS
    assert [p.label for p in Period.parse("2026-Q2").parts_in(PeriodType.MONTH)] == \
        ["2026-04", "2026-05", "2026-06"]
    assert Period.parse("2026-11").parts_in(PeriodType.QUARTER) == []
    assert Period.parse("2026-11").within(PeriodType.QUARTER).label == "2026-Q4"
    assert Period.parse("2026-Q3").within(PeriodType.YEAR).label == "2026"


@pytest.fixture(scope="module")
def year_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("quarter") / "year_2026.xlsx"
    build_workbook(path, BuildOptions(lang="zh", period=YEAR, level="region",
                                      role="director", owner="华东大区"),
                   WorkbookData(info={"owner": "华东大区"}, tables=year_tables(),
                                lists={"rep": ["A", "B"]}))
    return path


def test_cli_json_by_quarter(year_book):
    out = CliRunner().invoke(main, ["kpis", str(year_book), "--by", "quarter", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["period"] == "2026" and data["kpis"]["revenue"] == 1800
    assert list(data["by"]) == QUARTERS
    assert data["by"]["2026-Q1"]["revenue"] == 400
    assert data["by"]["2026-Q1"]["attainment"] == pytest.approx(0.8)
    assert data["by"]["2026-Q3"]["attainment"] is None


def test_cli_text_by_quarter_lists_the_quarters_in_order(year_book):
    out = CliRunner().invoke(main, ["kpis", str(year_book), "--by", "Quarter"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("季度"))
    assert [line.split()[0] for line in lines[head + 1:head + 5]] == QUARTERS
    assert lines[head + 1].split()[1:4] == ["400.00", "500.00", "80.0%"]


def test_cli_by_quarter_on_a_month_names_the_period_to_use(year_book):
    """A month holds no whole quarter: exit 2, naming the quarter and the year to ask for
    (said before reading the book when --period gives the month)."""
    out = CliRunner().invoke(main, ["kpis", str(year_book), "--period", "2026-11",
                                    "--by", "quarter"])
    assert out.exit_code == 2
    assert "--period 2026-Q4" in out.output and "--period 2026" in out.output
    missing = CliRunner().invoke(main, ["kpis", "nowhere.xlsx", "--period", "2026-11",
                                        "--by", "quarter"])
    assert missing.exit_code == 2 and "--period 2026-Q4" in missing.output


def test_the_groupings_are_listed_from_one_place():
    """The CLI's --by choices and the README's command table list GROUPINGS."""
    option = next(p for p in main.commands["kpis"].params if p.name == "by")
    assert tuple(option.type.choices) == GROUPINGS
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"`xlsales kpis BOOK [^`]*--by ([^\]]+)\]", readme)
    assert listed is not None and tuple(listed[1].split("\\|")) == GROUPINGS


def test_export_kpis_by_quarter_gives_a_year_s_quarters_and_none_for_a_month(year_book,
                                                                            tmp_path):
    """Finance pulls a year's quarters (``export --tables kpis_by_quarter``): one row per
    quarter, the figures of ``kpis --by quarter``; a month's book adds no row, with the
    same columns, so months' and years' files stack."""
    from xlsales.export_schema import export_columns

    month = tmp_path / "month_2026-11.xlsx"
    build_workbook(month, BuildOptions(lang="zh", period=Period.parse("2026-11"),
                                       level="team", role="manager", owner="A 组"),
                   WorkbookData(info={"owner": "A 组"}, tables=year_tables(),
                                lists={"rep": ["A", "B"]}))
    out = CliRunner().invoke(main, ["export", str(year_book), str(month), "-o",
                                    str(tmp_path / "out"), "--tables",
                                    "kpis,kpis_by_quarter"])
    assert out.exit_code == 0, out.output
    quarters = pd.read_csv(tmp_path / "out" / "kpis_by_quarter.csv", encoding="utf-8-sig")
    assert list(quarters.columns) == export_columns("kpis_by_quarter")
    assert quarters["quarter"].tolist() == QUARTERS
    assert set(quarters["source_file"]) == {"year_2026.xlsx"}
    assert quarters["revenue"].tolist() == [400, 400, 0, 1000]
    assert quarters["attainment"].iloc[0] == pytest.approx(0.8)
    assert quarters["attainment"].isna().tolist() == [False, False, True, False]
    kpis = pd.read_csv(tmp_path / "out" / "kpis.csv", encoding="utf-8-sig")
    year = kpis[kpis["source_file"] == "year_2026.xlsx"].iloc[0]
    assert quarters["revenue"].sum() == year["revenue"] == 1800


def test_a_year_roll_up_reports_its_growth_as_year_on_year(tmp_path):
    """A year's previous period is last year: the roll-up's report says 同比 (growth on
    last year) of a year, as kpis does, not 环比 (sequential)."""
    (tmp_path / "regions").mkdir()
    for region, prefix in (("华东", "E"), ("华南", "S")):
        tables = year_tables()
        tables["Sales"]["order_id"] = prefix + tables["Sales"]["order_id"]
        build_workbook(tmp_path / "regions" / f"{region}.xlsx",
                       BuildOptions(lang="zh", period=YEAR, level="region", role="director",
                                    owner=region),
                       WorkbookData(info={"owner": region}, tables=tables,
                                    lists={"rep": ["A", "B"]}))
    out = CliRunner().invoke(main, ["consolidate", str(tmp_path / "regions"), "-o",
                                    str(tmp_path / "company.xlsx"), "--level", "company",
                                    "--no-plan"])
    assert out.exit_code == 0, out.output
    whole = next(line for line in out.stdout.splitlines() if "整体" in line)
    assert "同比 260.0%" in whole and "环比" not in whole  # 3600 on 2025's 1000
    assert "（名次：销售额，完成率，同比）" in out.stdout
