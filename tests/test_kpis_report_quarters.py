"""The KPI report of a year (``kpis --write`` on a year's book, or ``--period 2026``)
holds the year's quarters, as a director reviewing the year reads it: the Table
``KpiReportQuarters`` (one row per quarter, the monthly trend's columns, then the
quarter's attainment, growth on the quarter before and on the same quarter last year —
each quarter's figures those of ``kpis --by quarter``) and its chart. A quarter's and a
month's report hold none; a re-run replaces the sheet, never doubling a table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from opencc import OpenCC
from openpyxl.utils.cell import range_boundaries
from sheet_values import table_rows
from test_kpis_quarter import QUARTERS, YEAR, year_tables
from test_kpis_write import NS, chart_parts, column_range
from test_package_writer import assert_consistent
from test_traditional_output import taiwan_book  # noqa: F401  (a fixture)

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.kpis_write import report_sheet_name
from xlsales.spec.declarations import KPI_REPORT
from xlsales.workbook_data import BuildOptions, WorkbookData

#: The quarters' headers: the trend's KPI columns after the quarter, then its ratios,
#: the growth labelled for a quarter (the quarter before; the same quarter last year).
HEADERS = {"zh": ["季度", "销售额", "目标", "新客户销售额", "老客户销售额", "目标完成率",
                  "环比增长（上季度）", "同比增长（去年同季度）"],
           "en": ["Quarter", "Revenue", "Target", "New customer revenue",
                  "Existing customer revenue", "Attainment", "Growth vs previous quarter",
                  "Growth vs same quarter last year"]}
#: The ratio columns, as ``kpis --by quarter --json`` keys them.
RATIOS = ("attainment", "mom_growth", "yoy_growth")
QUARTER_TABLES = ["KpiReportReps", "KpiReportTrend", "KpiReportQuarters", "KpiReportFunnel",
                  "KpiReportValues"]


@pytest.fixture
def year_book(tmp_path: Path) -> Path:
    """A region's year book of nine sales (tests/test_kpis_quarter.py): by quarter
    400 / 500, 400 / 400, 0 / 0 and 1000 / 1000 (revenue / target)."""
    path = tmp_path / "year_2026.xlsx"
    build_workbook(path, BuildOptions(lang="zh", period=YEAR, level="region",
                                      role="director", owner="华东大区"),
                   WorkbookData(info={"owner": "华东大区"}, tables=year_tables(),
                                lists={"rep": ["A", "B"]}))
    return path


@pytest.fixture
def sample_en(sample_books, tmp_path: Path) -> Path:
    path = tmp_path / "team_en.xlsx"
    shutil.copyfile(sample_books["en"], path)
    return path


def run(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def by_quarter(path: Path, *period: str) -> dict[str, dict[str, float | None]]:
    out, _ = run("kpis", str(path), *period, "--by", "quarter", "--json")
    return json.loads(out)["by"]


def tables_on(path: Path, lang: str) -> list[str]:
    """The report's Tables, top to bottom."""
    ws = openpyxl.load_workbook(path)[report_sheet_name(lang)]
    return sorted(ws.tables, key=lambda n: range_boundaries(ws.tables[n].ref)[1])


@pytest.mark.parametrize("which", ["year_book", "sample_en"])
def test_a_years_report_holds_its_quarters_as_kpis_by_quarter_gives_them(which, request):
    path: Path = request.getfixturevalue(which)
    period = () if which == "year_book" else ("--period", "2026")  # a month's book, its year
    lang = "zh" if which == "year_book" else "en"
    want = by_quarter(path, *period)
    _, err = run("kpis", str(path), *period, "--write")
    assert err.splitlines()[-1].endswith(
        "（2026：5 个表格，5 个图表）" if lang == "zh" else "(2026: 5 tables, 5 charts)")
    assert tables_on(path, lang) == QUARTER_TABLES  # below the trend, above the funnel

    wb = openpyxl.load_workbook(path, data_only=True)
    head, *rows = table_rows(wb, "KpiReportQuarters")
    assert head == HEADERS[lang]
    assert [r[0] for r in rows] == QUARTERS == list(want)
    for quarter, revenue, target, new, existing, *ratios in rows:
        k = want[quarter]
        assert all(isinstance(v, int | float) for v in (revenue, target, new, existing))
        assert revenue == pytest.approx(k["revenue"])
        assert target == pytest.approx(k["target"])
        assert new == pytest.approx(k["new_customer_revenue"])
        assert existing == pytest.approx(k["revenue"] - k["new_customer_revenue"])
        for key, value in zip(RATIOS, ratios, strict=True):  # empty where the JSON's null
            assert value == (None if k[key] is None else pytest.approx(k[key])), (quarter, key)
    if which == "year_book":  # worked out by hand; Q3 has no target and Q4 no quarter
        assert [r[1:3] for r in rows] == [[400, 500], [400, 400], [0, 0], [1000, 1000]]
        assert [r[5:] for r in rows] == [  # before it, only 2025-Q4 sold (500)
            [0.8, pytest.approx(-0.2), None], [1.0, 0.0, None], [None, -1.0, None],
            [1.0, None, 1.0]]
    else:  # the sample's records start 2025-05: no 2025-Q1 for 2026-Q1 to compare with
        assert rows[0][7] is None and all(isinstance(r[7], float) for r in rows[1:])
    ws = wb[report_sheet_name(lang)]
    c1, r1, _, _ = range_boundaries(ws.tables["KpiReportQuarters"].ref)
    money = ws.cell(r1 + 1, c1 + 1).number_format
    assert money == ws.cell(r1 + 1, c1 + 2).number_format and "#,##0.00" in money
    ratio_cells = [ws.cell(r1 + 1 + row, c1 + 5 + i) for row in range(4) for i in range(3)]
    assert {c.number_format for c in ratio_cells if c.value is not None} == {"0.00%"}
    assert ws.cell(r1 - 2, c1).value == {"zh": "各季度", "en": "By quarter"}[lang]


def test_the_readme_shows_the_quarters_the_sample_gets(sample_en):
    """The README's KpiReportQuarters (the KPI report section) is the sample's year."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    block = readme.split("<!-- quarters:")[1].split("<!-- /quarters -->")[0]
    shown = [[c.strip() for c in line.strip("|").split("|")]
             for line in block.splitlines()[1:] if line.startswith("|")]
    run("kpis", str(sample_en), "--period", "2026", "--write")
    head, *rows = table_rows(openpyxl.load_workbook(sample_en, data_only=True),
                             "KpiReportQuarters")
    assert shown[0] == head and shown[1][0] == "---"
    assert shown[2:] == [[r[0], *(f"{v:,.2f}" for v in r[1:5]),
                          *("" if v is None else f"{v:.2%}" for v in r[5:])] for r in rows]


def test_the_quarter_chart_draws_the_quarters_and_the_funnel_chart_still_the_funnel(
        year_book):
    """Five charts on a year's report: the fourth revenue (columns) vs target (a line)
    by quarter, the funnel's chart after it still over the funnel's Table."""
    run("kpis", str(year_book), "--write")
    ws = openpyxl.load_workbook(year_book)[report_sheet_name("zh")]
    label = {c.key: c.label.zh for t in KPI_REPORT.tables for c in t.columns}
    charts = chart_parts(year_book, ws.title)
    assert len(charts) == len(ws._charts) == 5

    def series(chart):
        return [(kind, ser.find("c:cat/*/c:f", NS).text, ser.find("c:val/c:numRef/c:f", NS).text)
                for kind in ("bar", "line") for ser in chart.findall(f".//c:{kind}Chart/c:ser", NS)]

    quarters = column_range(ws, "KpiReportQuarters", "季度")[1]
    assert series(charts[3]) == [
        ("bar", quarters, column_range(ws, "KpiReportQuarters", label["revenue"])[1]),
        ("line", quarters, column_range(ws, "KpiReportQuarters", label["target"])[1])]
    stages = column_range(ws, "KpiReportFunnel", label["stage"])[1]
    assert series(charts[4]) == [
        ("bar", stages, column_range(ws, "KpiReportFunnel", label["count"])[1])]
    assert charts[3].find(".//c:title//a:t", NS | {
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}).text == "季度销售额与目标"


def test_a_second_write_replaces_the_quarters_not_doubles_them(year_book):
    run("kpis", str(year_book), "--write")
    first = openpyxl.load_workbook(year_book, data_only=True)
    run("kpis", str(year_book), "--write")
    again = openpyxl.load_workbook(year_book, data_only=True)
    assert again.sheetnames == first.sheetnames
    assert tables_on(year_book, "zh") == QUARTER_TABLES
    assert len(again[report_sheet_name("zh")]._charts) == 5
    for name in QUARTER_TABLES:
        assert table_rows(again, name) == table_rows(first, name), name
    assert_consistent(year_book)


@pytest.mark.parametrize("period", [(), ("--period", "2026-Q4")])
def test_a_months_or_a_quarters_report_holds_no_quarters(sample_en, period):
    _, err = run("kpis", str(sample_en), *period, "--write")
    assert err.splitlines()[-1].endswith(": 4 tables, 4 charts)")
    assert "KpiReportQuarters" not in tables_on(sample_en, "en")
    assert len(openpyxl.load_workbook(sample_en)["KPI Report"]._charts) == 4


def test_a_year_report_goes_back_to_no_quarters_when_the_period_is_a_month(sample_en):
    """The report follows the period written: the year's, then October's, is October's
    alone (the quarters' Table and chart gone, not left over)."""
    run("kpis", str(sample_en), "--period", "2026", "--write")
    run("kpis", str(sample_en), "--write")
    assert tables_on(sample_en, "en") == [n for n in QUARTER_TABLES if n != "KpiReportQuarters"]
    assert len(openpyxl.load_workbook(sample_en)["KPI Report"]._charts) == 4
    assert_consistent(sample_en)


def test_a_traditional_books_quarters_are_headed_in_traditional(taiwan_book):  # noqa: F811
    run("kpis", str(taiwan_book), "--period", "2026", "--write")
    wb = openpyxl.load_workbook(taiwan_book, data_only=True)
    head = table_rows(wb, "KpiReportQuarters")[0]
    to_tw = OpenCC("s2twp").convert
    assert head == [to_tw(h) for h in HEADERS["zh"]]
    assert "新客戶銷售額" in head and head != HEADERS["zh"]
