"""``xlsales kpis --write``: the KPI report sheet in the user's workbook.

Proved on the sample workbooks through the CLI: the report's tables read back (openpyxl,
calamine) equal the KPI engine; its four charts are native charts whose series point at
those tables; LibreOffice opens, prints and re-saves the file with the charts; nothing
else in the file changes (byte for byte), a re-run gives the same file, an edited summary
survives a re-run, and an .xlsm keeps its VBA.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pandas as pd
import pytest
import python_calamine
from click.testing import CliRunner
from conftest import require_libreoffice, team_options
from oletools.olevba import VBA_Parser
from openpyxl.utils.cell import get_column_letter, range_boundaries
from sheet_values import table_rows
from test_package_writer import assert_consistent, members
from test_spec import STRUCTURED_REF_SPECIALS

from xlsales.build.macros import macro_finish
from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io import ooxml
from xlsales.io.reader import read_workbook
from xlsales.io.xmltext import esc_text
from xlsales.kpis import compute_kpis
from xlsales.kpis_write import (
    FINGERPRINT_PREFIX,
    HEADING,
    kpi_report_content,
    report_sheet_name,
)
from xlsales.libreoffice import convert, pdf_page_texts
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.spec import SPEC
from xlsales.spec.declarations import KPI_REPORT
from xlsales.workbook_data import BuildOptions

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "r": ooxml.NS_REL, "m": ooxml.NS_MAIN}
REPORT_TABLES = ["KpiReportReps", "KpiReportTrend", "KpiReportFunnel", "KpiReportValues"]


def write(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["kpis", str(path), "--write", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def book(request, tmp_path, sample_books) -> Path:
    lang = getattr(request, "param", "zh")
    path = tmp_path / f"team_{lang}.xlsx"
    shutil.copyfile(sample_books[lang], path)
    return path


def close(got: object, want: object) -> bool:
    if want is None:
        return got is None
    return isinstance(got, int | float) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6)


def engine_tables(path: Path) -> dict:
    return {n: t.frame for n, t in read_workbook(path).tables.items()}


def test_report_declaration_follows_the_spec_rules() -> None:
    """The same rules tests/test_spec.py holds every declared table to."""
    names = [t.name for t in KPI_REPORT.tables]
    # the quarters are on a year's report only (tests/test_kpis_report_quarters.py)
    assert names == [*REPORT_TABLES[:2], "KpiReportQuarters", *REPORT_TABLES[2:]]
    assert KPI_REPORT in SPEC.sheets  # listed on the instructions sheet like the others
    every_table = [t.name for s in SPEC.sheets for t in s.tables]
    assert all(every_table.count(n) == 1 for n in names)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", n) for n in names)
    other_names = [n for s in SPEC.sheets if s is not KPI_REPORT for n in s.name.all()]
    assert {KPI_REPORT.name.zh, KPI_REPORT.name.en}.isdisjoint(other_names)
    for table in KPI_REPORT.tables:
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in table.keys)
        for lang in ("zh", "en"):
            labels = [c.label.get(lang) for c in table.columns]
            assert len(labels) == len(set(labels))
            assert not [x for x in labels if STRUCTURED_REF_SPECIALS.search(x)], table.name


# --------------------------------------------------------------------------------------
# The figures equal the engine's
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("book", ["zh", "en"], indirect=True)
def test_report_tables_equal_the_kpi_engine(book: Path) -> None:
    tables = engine_tables(book)
    write(book)
    lang = read_workbook(book).lang
    wb = openpyxl.load_workbook(book, data_only=True)
    ws = wb[report_sheet_name(lang)]
    assert sorted(ws.tables) == sorted(REPORT_TABLES)
    assert wb.sheetnames.index(ws.title) == wb.sheetnames.index(
        SPEC.sheet("kpis").name.get(lang)) + 1

    overall = compute_kpis(tables, SAMPLE_PERIOD)
    values = table_rows(wb, "KpiReportValues")
    assert values[0] == ["key", "name", "value", "unit"]
    assert [r[0] for r in values[1:]] == [k.key for k in SPEC.kpis]
    for key, name, value, unit in values[1:]:
        assert close(value, overall.kpis[key]), key
        assert name == SPEC.kpi(key).label.get(lang) and unit == SPEC.kpi(key).unit
    formats = {r[0].value: r[2].number_format for r in ws.iter_rows(min_row=2)
               if r[0].value in ("revenue", "attainment", "deals")}
    # an amount's format names the book's currency (CNY: 元 in a zh book), numbers stay numbers
    money = {"zh": '#,##0.00 "元"', "en": '#,##0.00 "CNY"'}[lang]
    assert formats == {"revenue": money, "attainment": "0.00%", "deals": "#,##0"}

    by_rep = compute_kpis(tables, SAMPLE_PERIOD, by="rep")
    ranking = table_rows(wb, "KpiReportReps")[1:]
    assert [r[0] for r in ranking] == list(range(1, len(by_rep.groups) + 1))
    assert {r[1] for r in ranking} == set(by_rep.groups)  # every rep, once
    assert [r[2] for r in ranking] == sorted((r[2] for r in ranking), reverse=True)
    for _, rep, revenue, target, attainment, growth, deals, win_rate in ranking:
        k = by_rep.groups[rep]
        for got, key in ((revenue, "revenue"), (target, "target"), (attainment, "attainment"),
                         (growth, "mom_growth"), (deals, "deals"), (win_rate, "win_rate")):
            assert close(got, k[key]), (rep, key)
    assert close(sum(r[2] for r in ranking), overall.kpis["revenue"])
    assert close(sum(r[3] for r in ranking), overall.kpis["target"])

    trend = table_rows(wb, "KpiReportTrend")[1:]
    months = [SAMPLE_PERIOD.shift(i) for i in range(-11, 1)]
    assert [r[0] for r in trend] == [datetime(m.start.year, m.start.month, 1) for m in months]
    year = compute_kpis(tables, Period.parse("2026"), by="month").groups
    for (_, revenue, target, new, existing), month in zip(trend, months, strict=True):
        k = compute_kpis(tables, month).kpis
        assert close(revenue, k["revenue"]) and close(target, k["target"])
        assert close(new, k["new_customer_revenue"]) and close(new + existing, revenue)
        if month.label in year:  # the engine's by-month breakdown says the same
            assert close(revenue, year[month.label]["revenue"])
            assert close(target, year[month.label]["target"])
    assert close(trend[-1][1], overall.kpis["revenue"])

    funnel = table_rows(wb, "KpiReportFunnel")[1:]
    keys = ["opportunities", "reached_follow_up", "reached_proposal", "deals"]
    assert [r[0] for r in funnel] == keys
    assert [r[2] for r in funnel] == [overall.kpis[k] for k in keys]
    assert funnel[0][3] is None
    assert close(funnel[1][3], overall.kpis["lead_to_follow_up_rate"])
    assert close(funnel[3][3], overall.kpis["proposal_to_won_rate"])

    # calamine reads the same numbers and real dates
    cal = python_calamine.CalamineWorkbook.from_path(str(book))
    grid = cal.get_sheet_by_name(ws.title).to_python()
    c1, r1, _, _ = range_boundaries(ws.tables["KpiReportTrend"].ref)
    assert grid[r1][c1 - 1] == trend[0][0].date() and grid[r1][1] == trend[0][1]


def test_summary_paragraph_is_drafted_from_the_numbers(book: Path) -> None:
    write(book)
    ws = openpyxl.load_workbook(book)[report_sheet_name("zh")]
    text = ws["A5"].value
    merged = [r for r in ws.merged_cells.ranges if r.min_row == 5]
    assert ws["A5"].alignment.wrap_text and len(merged) == 1
    assert (merged[0].min_col, merged[0].max_col) == (1, 8) and merged[0].max_row >= 10
    k = compute_kpis(engine_tables(book), SAMPLE_PERIOD).kpis
    assert text.startswith(f"本月（2026-10）销售额 {k['revenue']:,.0f}，")
    assert f"完成目标的 {k['attainment']:.1%}" in text and f"环比 {k['mom_growth']:+.1%}" in text
    for part in (f"整体转化率 {k['overall_conversion']:.1%}", f"{k['pipeline_coverage']:.1f} 倍",
                 f"流失率 {k['churn_rate']:.1%}", f"销量影响 {k['volume_effect']:+,.0f}",
                 f"产品结构影响 {k['mix_effect']:+,.0f}", f"价格影响 {k['price_effect']:+,.0f}"):
        assert part in text
    assert ws["A2"].value.startswith(FINGERPRINT_PREFIX + "2026-10 · ")


def test_a_rep_with_a_target_and_no_sales_is_ranked_as_kpis_by_rep_lists_him(
        tmp_path, sample_data) -> None:
    """王五 has a target and no orders: the report's ranking, its drafted summary ("最低的是
    王五") and `kpis --by rep` all name him, at revenue 0 and attainment 0."""
    data = sample_data["zh"]
    hire = pd.DataFrame({"period": [date(2026, 10, 1)], "rep": ["王五"],
                         "revenue_target": [20000.0]})
    book = tmp_path / "team.xlsx"
    build_workbook(book, team_options("zh"), replace(
        data, tables={**data.tables,
                      "Targets": pd.concat([data.tables["Targets"], hire], ignore_index=True)},
        lists={**data.lists, "rep": [*data.lists["rep"], "王五"]}))
    result = CliRunner().invoke(main, ["kpis", str(book), "--by", "rep", "--json", "--write"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["by"]["王五"]["revenue"] == 0 and payload["by"]["王五"]["attainment"] == 0
    assert sum(g["target"] for g in payload["by"].values()) == pytest.approx(
        payload["kpis"]["target"])
    wb = openpyxl.load_workbook(book, data_only=True)
    ranking = table_rows(wb, "KpiReportReps")[1:]
    assert [r[1] for r in ranking][-1] == "王五" and set(payload["by"]) == {r[1] for r in ranking}
    assert "最低的是 王五（0.0%）" in wb[report_sheet_name("zh")]["A5"].value


# --------------------------------------------------------------------------------------
# The charts are native charts over the tables
# --------------------------------------------------------------------------------------


def column_range(ws, table: str, header: str) -> tuple[str, str]:
    """(header cell, data range) of a table column, as a chart formula refers to them."""
    c1, r1, _, r2 = range_boundaries(ws.tables[table].ref)
    headers = [c.value for c in ws[r1][c1 - 1:]]
    col = get_column_letter(c1 + headers.index(header))
    sheet = "'" + ws.title.replace("'", "''") + "'"
    return f"{sheet}!${col}${r1}", f"{sheet}!${col}${r1 + 1}:${col}${r2}"


def chart_parts(path: Path, sheet: str) -> list[ET.Element]:
    """The chart parts of ``sheet``, in the drawing's order."""
    with zipfile.ZipFile(path) as zf:
        info = ooxml.read_layout(zf).sheet(sheet)
        drawing = next(t for kind, t in ooxml.read_rels(zf, info.part).values()
                       if kind.endswith("/drawing"))
        rels = ooxml.read_rels(zf, drawing)
        anchors = ET.fromstring(zf.read(drawing)).iter(f"{{{NS['c']}}}chart")
        return [ET.fromstring(zf.read(rels[a.get(f"{{{NS['r']}}}id")][1])) for a in anchors]


@pytest.mark.parametrize("book", ["zh", "en"], indirect=True)
def test_four_native_charts_refer_to_the_report_tables(book: Path) -> None:
    write(book)
    lang = read_workbook(book).lang
    wb = openpyxl.load_workbook(book)
    ws = wb[report_sheet_name(lang)]
    assert len(ws._charts) == 4
    label = {c.key: c.label.get(lang) for t in KPI_REPORT.tables for c in t.columns}
    expected = [  # (bar/line kind, categories, [series])
        ("bar", ("KpiReportReps", label["rep"]),
         [("bar", "KpiReportReps", "revenue"), ("bar", "KpiReportReps", "target")]),
        ("col", ("KpiReportTrend", label["month"]),
         [("bar", "KpiReportTrend", "revenue"), ("line", "KpiReportTrend", "target")]),
        ("col", ("KpiReportTrend", label["month"]),
         [("bar", "KpiReportTrend", "new_customer_revenue"),
          ("bar", "KpiReportTrend", "existing_customer_revenue")]),
        ("bar", ("KpiReportFunnel", label["stage"]), [("bar", "KpiReportFunnel", "count")]),
    ]
    charts = chart_parts(book, ws.title)
    assert len(charts) == 4
    for chart, (direction, (cat_table, cat_header), series) in zip(charts, expected,
                                                                  strict=True):
        assert chart.find(".//c:barChart/c:barDir", NS).get("val") == direction
        found = []
        for kind in ("bar", "line"):
            for ser in chart.findall(f".//c:{kind}Chart/c:ser", NS):
                found.append((kind, ser.find("c:tx/c:strRef/c:f", NS).text,
                              ser.find("c:cat/*/c:f", NS).text,
                              ser.find("c:val/c:numRef/c:f", NS).text))
        want = []
        for kind, table, key in series:
            name, values = column_range(ws, table, label[key])
            want.append((kind, name, column_range(ws, cat_table, cat_header)[1], values))
        assert found == want
    grouping = [c.find(".//c:barChart/c:grouping", NS).get("val") for c in charts]
    assert grouping == ["clustered", "clustered", "stacked", "clustered"]
    assert_consistent(book)


@pytest.mark.libreoffice
def test_libreoffice_opens_prints_and_keeps_the_charts(tmp_path, sample_books) -> None:
    require_libreoffice()
    books = []
    for lang in ("zh", "en"):
        path = tmp_path / f"report_{lang}.xlsx"
        shutil.copyfile(sample_books[lang], path)
        write(path)
        books.append(path)
    blank = tmp_path / "blank_en.xlsx"  # no data at all: empty tables, empty charts
    build_workbook(blank, BuildOptions(lang="en", period=Period.parse("2026-Q4")))
    write(blank)
    books.append(blank)
    saved = convert(books, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    for path, lo in zip(books, saved, strict=True):
        lang = read_workbook(path).lang
        name = report_sheet_name(lang)
        ours, theirs = openpyxl.load_workbook(path), openpyxl.load_workbook(lo)
        assert len(theirs[name]._charts) == 4
        assert sorted(theirs[name].tables) == sorted(REPORT_TABLES)
        for table in REPORT_TABLES:  # LibreOffice keeps 15 significant digits
            for a, b in zip(table_rows(theirs, table), table_rows(ours, table), strict=True):
                assert all(close(x, y) if isinstance(y, float) else x == y
                           for x, y in zip(a, b, strict=True)), (table, a, b)
        assert len(chart_parts(lo, name)) == 4
    pdfs = convert(books[:2], tmp_path / "pdf", "pdf")
    for pdf, path in zip(pdfs, books[:2], strict=True):
        report = kpi_report_content(read_workbook(path))
        pages = pdf_page_texts(pdf)
        first = next(i for i, page in enumerate(pages) if report.content.title[0] in page)
        page, both = pages[first], pages[first] + pages[first + 1]
        # printed one page wide (A4 landscape): the paragraph's last words are on the
        # title's page, the charts right of the tables on it and the next (a page break
        # keeps each chart whole: test_print_formats)
        assert report.paragraph.split()[-1][-12:] in page
        assert all(chart.title in both for chart in report.content.charts), page[:400]


# --------------------------------------------------------------------------------------
# Nothing else changes; re-runs
# --------------------------------------------------------------------------------------


def test_untouched_parts_are_byte_identical_and_a_rerun_changes_nothing(book: Path) -> None:
    before = members(book)
    with zipfile.ZipFile(book) as zf:
        layout = ooxml.read_layout(zf)
    write(book)
    after = members(book)
    with zipfile.ZipFile(book) as zf:
        new = ooxml.read_layout(zf)
        sheet = new.sheet(report_sheet_name("zh")).part
        drawing = next(t for _, t in ooxml.read_rels(zf, sheet).values()
                       if t.startswith("xl/drawings/"))
        charts = [t for _, t in ooxml.read_rels(zf, drawing).values()]
    tables = {t.part for t in new.tables if t.name in REPORT_TABLES}
    added = {sheet, ooxml.rels_part(sheet), drawing, ooxml.rels_part(drawing), *charts, *tables}
    assert len(added) == 12 and set(after) == set(before) | added
    changed = {"[Content_Types].xml", layout.workbook_part,
               ooxml.rels_part(layout.workbook_part), "xl/styles.xml",
               "docProps/core.xml"}  # its last-saved time, as any program saving it sets
    for name in set(before) - changed:
        assert after[name] == before[name], f"{name} changed"
    kpi_sheet = layout.sheet(SPEC.sheet("kpis").name.zh).part
    assert after[kpi_sheet] == before[kpi_sheet]  # the native-formula KPI sheet
    assert_consistent(book)

    with zipfile.ZipFile(book) as zf:
        order = zf.namelist()
    write(book)  # the same figures: the same parts, names and bytes
    again = members(book)
    with zipfile.ZipFile(book) as zf:
        assert zf.namelist() == order
    assert {n: m.data for n, m in again.items() if n != "docProps/core.xml"} == {
        n: m.data for n, m in after.items() if n != "docProps/core.xml"}
    for name in set(before) - changed:
        assert again[name].raw == before[name].raw  # still copied raw


def edit_cell_text(path: Path, old: str, new: str) -> None:
    """Change a cell's inline text in the report sheet, as a user typing in Excel would."""
    with zipfile.ZipFile(path) as zf:
        part = ooxml.read_layout(zf).sheet(report_sheet_name("zh")).part
    tmp = path.with_name("edit.tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                old_xml, new_xml = esc_text(old).encode(), esc_text(new).encode()
                assert data.count(old_xml) == 1
                data = data.replace(old_xml, new_xml)
            dst.writestr(info, data)
    tmp.replace(path)


def paragraph(path: Path) -> str:
    return openpyxl.load_workbook(path)[report_sheet_name("zh")]["A5"].value


def test_an_edited_summary_survives_reruns(book: Path) -> None:
    write(book)
    draft = paragraph(book)
    mine = "本月回款偏慢，重点跟进华南大客户。" + draft[:20]
    edit_cell_text(book, draft, mine)
    edit_cell_text(book, HEADING["zh"], "我的总结")  # a renamed heading does not matter
    for _ in range(2):
        output = write(book)
        assert "保留了 “KPI报告” 上编辑过的总结" in output  # said in the book's language
        assert paragraph(book) == mine
    # the tables and charts were still refreshed
    wb = openpyxl.load_workbook(book)
    assert len(wb[report_sheet_name("zh")]._charts) == 4
    assert table_rows(wb, "KpiReportValues")[1][0] == "revenue"
    # another period: the kept paragraph says which period it was written for
    output = write(book, "--period", "2026-09")
    assert "（为 2026-10 所写）" in output and paragraph(book) == mine
    # clearing it asks for a fresh draft
    edit_cell_text(book, mine, "")
    output = write(book)
    assert "kept" not in output and paragraph(book) == draft


def test_an_untouched_summary_follows_the_numbers(book: Path) -> None:
    write(book)
    october = paragraph(book)
    output = write(book, "--period", "2026-09")
    assert "kept" not in output
    september = paragraph(book)
    assert september != october and september.startswith("本月（2026-09）")
    ws = openpyxl.load_workbook(book)[report_sheet_name("zh")]
    assert ws["A1"].value.startswith("KPI报告 · 2026-09")


def test_json_output_stays_json_with_write(book: Path) -> None:
    result = CliRunner().invoke(main, ["kpis", str(book), "--write", "--json", "--by", "rep"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["period"] == "2026-10" and set(data["by"]) == set(
        compute_kpis(engine_tables(book), SAMPLE_PERIOD, by="rep").groups)
    assert "已写入工作表 “KPI报告”" in result.stderr


def test_a_workbook_without_a_period_is_refused_untouched(tmp_path) -> None:
    path = tmp_path / "no_period.xlsx"
    build_workbook(path, BuildOptions(lang="zh"))
    original = path.read_bytes()
    result = CliRunner().invoke(main, ["kpis", str(path), "--write"])
    assert result.exit_code == 2
    assert "no_period.xlsx" in result.output and "周期开始" in result.output
    assert "'Period start'" in result.output and "--period" in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == original


# --------------------------------------------------------------------------------------
# .xlsm
# --------------------------------------------------------------------------------------


def vba_modules(path: Path) -> list[tuple[str, str]]:
    parser = VBA_Parser(str(path))
    try:
        return sorted((stream, code) for _, stream, _, code in parser.extract_macros())
    finally:
        parser.close()


def test_xlsm_keeps_its_vba_and_buttons(tmp_path) -> None:
    path = tmp_path / "team.xlsm"
    build_workbook(path, team_options("en"), sample_workbook_data("en"),
                   finish=macro_finish("en"))
    before = members(path)
    modules = vba_modules(path)
    write(path)
    after = members(path)
    assert after["xl/vbaProject.bin"].raw == before["xl/vbaProject.bin"].raw
    vml = [n for n in before if n.endswith(".vml")]
    assert vml and all(after[n].raw == before[n].raw for n in vml)  # the buttons
    assert vba_modules(path) == modules and len(modules) >= 3
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml").decode()
    assert re.search(r"macroEnabled\.main\+xml", types)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert len(wb["KPI Report"]._charts) == 4
    assert_consistent(path)


@pytest.mark.parametrize(("command", "sheet"), [(["kpis", "--write"], "KPI报告"),
                                                (["validate", "--write"], "校验结果")])
def test_a_sheet_the_user_made_under_xlsales_name_is_never_overwritten(sample_books, tmp_path,
                                                                       command, sheet):
    """A rep's own 'KPI报告' for her manager was replaced by `kpis --write` without a word
    (and her '校验结果' by `validate --write`): refused now, the file unchanged."""
    book = tmp_path / "own.xlsx"
    wb = openpyxl.load_workbook(sample_books["zh"])
    wb.create_sheet(sheet)["A1"] = "我自己的报告：给经理看的"
    wb.save(book)
    before = book.read_bytes()
    result = CliRunner().invoke(main, [command[0], str(book), command[1]])
    assert result.exit_code == 2, result.output
    assert f"已有名为“{sheet}”的工作表，但它不是 xlsales 写的" in result.output
    assert f"Rename that sheet (e.g. '{sheet} (mine)')" in result.output
    assert book.read_bytes() == before
    # xlsales' own sheet is refreshed as before
    written = tmp_path / "written.xlsx"
    shutil.copy(sample_books["zh"], written)
    for _ in range(2):
        result = CliRunner().invoke(main, [command[0], str(written), command[1]])
        assert result.exit_code in (0, 1), result.output
