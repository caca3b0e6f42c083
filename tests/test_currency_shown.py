"""An English-speaking manager's SGD book: every amount xlsales shows says it is SGD.

`kpis` printed "Revenue 1,559,730.00" and a paragraph of bare numbers, and the KPI report
sheet of `kpis --write` had no currency anywhere: a finance analyst pulling it could not
tell SGD from CNY. The plan sheet's unit said `%` beside a value shown as `90.00%`. The
draft's gap sentence read "Revenue vs target -485,270: volume -219,857, mix -273,995,
price +8,582". Proved on the sample team's book kept in SGD, through the CLI, read back.
"""

from __future__ import annotations

import shutil
from copy import deepcopy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import team_options
from openpyxl.utils.cell import range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data


@pytest.fixture(scope="module")
def sgd_book(tmp_path_factory) -> Path:
    data = deepcopy(sample_workbook_data("en"))
    data.info["currency"] = "SGD"
    path = tmp_path_factory.mktemp("sgd") / "sg_team.xlsx"
    build_workbook(path, team_options("en"), data)
    return path


@pytest.fixture(scope="module")
def kpis(sgd_book) -> dict:
    tables = {n: t.frame for n, t in read_workbook(sgd_book).tables.items()}
    return compute_kpis(tables, SAMPLE_PERIOD).kpis


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def table_cells(ws, name: str) -> list[list]:
    """The cells (not values) of table ``name`` on ``ws``, header row first."""
    c1, r1, c2, r2 = range_boundaries(ws.tables[name].ref)
    return [list(row) for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2)]


def test_kpis_text_says_the_amounts_are_sgd(sgd_book, kpis) -> None:
    out = run("kpis", str(sgd_book))
    assert out.splitlines()[0] == "Period 2026-10 (2026-10-01 – 2026-10-31), amounts in SGD"
    assert (f"was SGD {kpis['revenue']:,.0f} against a target of SGD "
            f"{kpis['target']:,.0f}, ") in out


def test_kpi_report_sheet_shows_sgd_and_keeps_numbers(sgd_book, kpis, tmp_path) -> None:
    book = tmp_path / "sg.xlsx"
    shutil.copyfile(sgd_book, book)
    run("kpis", str(book), "--write")
    ws = openpyxl.load_workbook(book)["KPI Report"]
    assert ws["A1"].value == "KPI Report · 2026-10 · Sales Team 1 · amounts in SGD"
    sgd = '#,##0.00 "SGD"'
    for name, money in (("KpiReportReps", {"Revenue", "Target"}),
                        ("KpiReportTrend", {"Revenue", "Target", "New customer revenue",
                                            "Existing customer revenue"})):
        head, *rows = table_cells(ws, name)
        for j, cell in enumerate(head):
            formats = {r[j].number_format for r in rows}
            assert (formats == {sgd}) == (cell.value in money), (name, cell.value, formats)
        assert all(isinstance(r[j].value, float) for r in rows for j, h in enumerate(head)
                   if h.value in money)  # numbers stay numbers
    head, *rows = table_cells(ws, "KpiReportValues")
    assert [c.value for c in head] == ["key", "name", "value", "unit"]  # stable keys
    shown = {r[0].value: (r[2].value, r[2].number_format) for r in rows}
    assert shown["revenue"] == (kpis["revenue"], sgd)
    assert shown["price_effect"][1] == sgd
    assert shown["attainment"][1] == "0.00%" and shown["deals"][1] == "#,##0"
    text = next(ws.cell(r, 1).value for r in range(1, 12)
                if str(ws.cell(r, 1).value or "").startswith("Revenue this month"))
    assert f"Open pipeline SGD {kpis['open_pipeline']:,.0f} is " in text


def test_a_zh_cny_report_says_yuan_and_keeps_its_paragraph(sample_books, tmp_path) -> None:
    """A Chinese CNY book is no worse: 元 on the sheet, its paragraph's amounts unmarked
    as before."""
    book = tmp_path / "zh.xlsx"
    shutil.copyfile(sample_books["zh"], book)
    out = run("kpis", str(book), "--write")
    assert out.splitlines()[0].endswith("，金额单位：元")
    ws = openpyxl.load_workbook(book)["KPI报告"]
    assert ws["A1"].value.endswith(" · 金额单位：元")
    _head, *rows = table_cells(ws, "KpiReportReps")
    assert {r[2].number_format for r in rows} == {'#,##0.00 "元"'}
    assert ws["A5"].value.startswith("本月（2026-10）销售额 1,559,730，目标 2,045,000，")


def test_plan_units_read_right(sgd_book, tmp_path) -> None:
    """A rate's unit is no second % sign; amounts are SGD, said once."""
    book = tmp_path / "plan.xlsx"
    shutil.copyfile(sgd_book, book)
    run("plan", str(book))
    ws = openpyxl.load_workbook(book)["Plan Targets"]
    head, *rows = table_cells(ws, "PlanTargets")
    col = {c.value: j for j, c in enumerate(head)}
    units = {}
    for r in rows:
        kpi, value = r[col["KPI key"]].value, r[col["Target value"]]
        units.setdefault(kpi, set()).add((r[col["Unit"]].value, value.number_format))
    assert units["collection_rate"] == {("of invoiced", "0.00%")}  # 90.00% of invoiced
    assert units["revenue"] == units["pipeline"] == {("SGD", "#,##0.00")}
    # sheets without a unit column say it by the amounts' format: 3,000.00 SGD
    budget = openpyxl.load_workbook(book)["Plan Budget"]
    head, *rows = table_cells(budget, "PlanBudget")
    amount = [c.value for c in head].index("Amount")
    assert {r[amount].number_format for r in rows} == {'#,##0.00 "SGD"'}
    assert all(isinstance(r[amount].value, float) for r in rows)


def test_the_gap_to_target_reads_in_one_go(sgd_book, kpis, tmp_path) -> None:
    book = tmp_path / "gap.xlsx"
    shutil.copyfile(sgd_book, book)
    run("kpis", str(book), "--write")
    ws = openpyxl.load_workbook(book)["KPI Report"]
    text = ws["A5"].value
    gap = kpis["target"] - kpis["revenue"]
    assert (f" Revenue was SGD {gap:,.0f} below target. Volume cost SGD "
            f"{-kpis['volume_effect']:,.0f} (the units sold, at last month's average price, "
            "fall that short of the target), product mix cost SGD "
            f"{-kpis['mix_effect']:,.0f} (more of the lower-priced products) and prices "
            f"added SGD {kpis['price_effect']:,.0f} (above last month's).") in text
    assert "vs target" not in text


def test_the_gap_sentence_words_each_sign() -> None:
    from xlsales.gap_words import gap_sentence_en

    assert gap_sentence_en(12_000.4, (5_000, 8_000, -1_000), "SGD") == (
        " Revenue was SGD 12,000 above target. Volume added SGD 5,000 (the units sold, at "
        "last period's average price, beat the target by that much), product mix added SGD "
        "8,000 (more of the higher-priced products) and prices cost SGD 1,000 (below last "
        "period's).")
    assert gap_sentence_en(-300, None, "CNY") == (
        " Revenue was CNY 300 below target; with no quantities for the previous period, the "
        "gap cannot be split into volume, product mix and prices.")
    assert gap_sentence_en(0, (0, 0, 0)).startswith(" Revenue was on target. Volume made no")


def test_readme_shows_the_sgd_output_as_it_is(sgd_book, tmp_path) -> None:
    """The README's SGD example is what the commands print and write."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    book = tmp_path / "readme.xlsx"
    shutil.copyfile(sgd_book, book)
    run("kpis", str(book), "--write")
    text_lines = run("kpis", str(book)).splitlines()
    for line in (*text_lines[:3], text_lines[-1]):
        assert line in readme, line
    ws = openpyxl.load_workbook(book)["KPI Report"]
    assert f"`{ws['A1'].value}`" in readme
    gap = ws["A5"].value[ws["A5"].value.index(" Revenue was SGD"):]
    assert f"…{gap}" in readme


def test_amounts_with_their_currency_print_whole(sgd_book, tmp_path) -> None:
    """LibreOffice prints every amount with its SGD, none as ### (a column as narrow as
    for a bare number would not hold 1,746,900.00 SGD)."""
    from conftest import require_libreoffice

    from xlsales.libreoffice import convert, pdf_page_texts

    require_libreoffice()
    book = tmp_path / "printed.xlsx"
    shutil.copyfile(sgd_book, book)
    run("plan", str(book))
    run("kpis", str(book), "--write")
    text = "\n".join(pdf_page_texts(convert([book], tmp_path / "pdf", "pdf")[0]))
    assert "###" not in text
    assert "1,746,900.00 SGD" in text and "4,370,550.00 SGD" in text
