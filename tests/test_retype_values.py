"""Numbers and dates typed as text in a KPI table: the warning names each cell with the
value to type, and ``validate --write`` retypes them so the KPI sheet counts them."""

from __future__ import annotations

import zipfile
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest
from conftest import require_libreoffice, team_options
from sheet_values import kpi_values
from test_validate import FIRST, PERIOD, clean_sales

from xlsales.build.workbook import build_workbook
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.spec.declarations import SALES
from xlsales.validation import validate
from xlsales.validation.write import write_validation
from xlsales.workbook_data import WorkbookData

AMOUNT = openpyxl.utils.get_column_letter(SALES.keys.index("amount") + 1)
DATE = openpyxl.utils.get_column_letter(SALES.keys.index("date") + 1)
TYPED = {1: "2.94万", 3: "¥22,680", 5: "6460元", 6: "1,000", 7: "2千", 8: "3k"}


def typed_book(folder, lang: str = "en"):
    """A built book whose amounts in six rows, and a date, were typed as text."""
    rows = clean_sales(10)
    data = WorkbookData(info={"owner": "Team"}, tables={"Sales": pd.DataFrame(rows)},
                        lists={"rep": ["A", "B"]})
    path = folder / f"typed_{lang}.xlsx"
    build_workbook(path, replace(team_options(lang), period=PERIOD), data)
    wb = openpyxl.load_workbook(path)
    ws = wb["Sales" if lang == "en" else "销售记录"]
    for i, text in TYPED.items():
        ws[f"{AMOUNT}{FIRST + i}"] = text
    ws[f"{DATE}{FIRST + 5}"] = "2026/10/20 14:30"
    wb.save(path)
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_warning_names_each_cell_with_the_value_to_type(tmp_path, lang):
    findings = validate(read_workbook(typed_book(tmp_path, lang)))
    amount = next(f for f in findings if f.rule == "values_not_counted" and f.column == "amount")
    date_ = next(f for f in findings if f.rule == "values_not_counted" and f.column == "date")
    if lang == "en":
        assert (f"{AMOUNT}{FIRST + 1}: 29400 (typed '2.94万'); {AMOUNT}{FIRST + 3}: 22680 "
                f"(typed '¥22,680'); {AMOUNT}{FIRST + 5}: 6460 (typed '6460元')"
                ) in amount.message_en
        assert amount.message_en.count("(typed ") == 5 and "; and 1 more." in amount.message_en
        assert "`xlsales validate --write` retypes" in amount.message_en
        assert f"{DATE}{FIRST + 5}: 2026-10-20 (typed '2026/10/20 14:30')" in date_.message_en
    assert f"{AMOUNT}{FIRST + 1}：29400（原为 '2.94万'）" in amount.message_zh
    assert "另有 1 个" in amount.message_zh


def test_write_retypes_them_and_the_kpi_sheet_then_counts_them(tmp_path):
    """After ``--write`` LibreOffice's KPI sheet has the revenue of ``xlsales kpis`` (before,
    it left the text amounts out); only those cells changed, and a second run changes
    nothing."""
    require_libreoffice()
    path = typed_book(tmp_path)
    book = read_workbook(path)
    engine = compute_kpis({n: t.frame for n, t in book.tables.items()}, PERIOD).kpis
    before = kpi_values(openpyxl.load_workbook(recalculate(path, tmp_path / "lo0"),
                                               data_only=True))
    assert before["revenue"] < engine["revenue"] - 29400
    written = write_validation(book, validate(book), "en")
    retyped = {f.column: f for f in written.restored if f.rule == "values_retyped"}
    assert set(retyped) == {"amount", "date"}
    assert retyped["amount"].value == 6
    again = read_workbook(path)
    found = validate(again)
    assert not [f for f in found if f.rule in ("values_not_counted", "converted")]
    assert [f.rule for f in write_validation(again, found, "en").restored] == []
    ws = openpyxl.load_workbook(path)["Sales"]
    assert ws[f"{AMOUNT}{FIRST + 1}"].value == 29400
    assert ws[f"{DATE}{FIRST + 5}"].is_date
    after = kpi_values(openpyxl.load_workbook(recalculate(path, tmp_path / "lo1"),
                                              data_only=True))
    assert after["revenue"] == pytest.approx(engine["revenue"])
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None


def test_write_deletes_the_spaces_around_names_the_kpi_sheet_counts(tmp_path):
    """``李娜 `` / ``B `` typed with a space: the KPI sheet's formulas count it as another
    rep. The warning says ``--write`` deletes the spaces; after it the cells hold the
    names (as text, their style kept), LibreOffice's by-rep figures equal ``xlsales
    kpis``, and a second run changes nothing."""
    require_libreoffice()
    path = typed_book(tmp_path)
    rep = openpyxl.utils.get_column_letter(SALES.keys.index("rep") + 1)
    customer = openpyxl.utils.get_column_letter(SALES.keys.index("customer") + 1)
    wb = openpyxl.load_workbook(path)
    ws = wb["Sales"]
    ws[f"{rep}{FIRST + 2}"] = f"{ws[f'{rep}{FIRST + 2}'].value} "
    typed_customer = f"\u3000{ws[f'{customer}{FIRST + 3}'].value} & Co "
    ws[f"{customer}{FIRST + 3}"] = typed_customer
    style = ws[f"{rep}{FIRST + 2}"].style
    wb.save(path)
    book = read_workbook(path)
    spaced = next(f for f in validate(book) if f.rule == "spaces_not_counted"
                  and f.column == "rep")
    assert "`xlsales validate --write` deletes the spaces." in spaced.message_en
    written = write_validation(book, validate(book), "en")
    trimmed = {f.column for f in written.restored if f.rule == "spaces_trimmed"}
    assert trimmed == {"rep", "customer"}
    ws = openpyxl.load_workbook(path)["Sales"]
    assert ws[f"{rep}{FIRST + 2}"].value == "B" and ws[f"{rep}{FIRST + 2}"].style == style
    assert ws[f"{customer}{FIRST + 3}"].value == typed_customer.strip("\u3000 ")
    again = read_workbook(path)
    found = validate(again)
    assert not [f for f in found if f.rule == "spaces_not_counted"]
    assert [f.rule for f in write_validation(again, found, "en").restored] == []
    engine = compute_kpis({n: t.frame for n, t in again.tables.items()}, PERIOD).kpis
    after = kpi_values(openpyxl.load_workbook(recalculate(path, tmp_path / "lo"),
                                              data_only=True))
    assert after["revenue"] == pytest.approx(engine["revenue"])
    assert after["customers"] == pytest.approx(engine["customers"])


def test_write_retypes_dates_typed_in_a_new_books_general_cells(tmp_path):
    """Sales rows put into a book `xlsales new` made the way a paste keeping its source
    formatting or a script (openpyxl) puts them: cells of no number format (General) or
    in the Text format, not the column's date style, in the table's first row and below
    it, the dates as text (``2026年11月3日``, ``2026/11/12``). The warning says
    ``--write`` retypes them; after it they are dates shown as dates (not a serial such
    as 46329), the warning is gone and LibreOffice's KPI sheet counts the sales as
    ``xlsales kpis`` does; a target's month typed ``2026-11`` shows as it was typed."""
    require_libreoffice()
    from click.testing import CliRunner

    from xlsales.cli import main

    path = tmp_path / "张伟_2026-11.xlsx"
    made = CliRunner().invoke(main, ["new", "--period", "2026-11", "--owner", "张伟",
                                     "-o", str(path)])
    assert made.exit_code == 0, made.output
    wb = openpyxl.load_workbook(path)
    ws = wb["销售记录"]
    typed = {5: "2026年11月3日", 6: "2026/11/12"}
    for row, when in typed.items():
        for col, value in zip("ABCDEFGHIJK", [f"SO-{row}", when, "张伟", "华东", f"客户{row}",
                                              "新客户", "标准版", 1, 1000 * row, 1000 * row,
                                              "赢单"], strict=True):
            ws[f"{col}{row}"] = value
    ws["B6"].number_format = "@"  # pasted from a CRM's sheet: a Text cell
    for col, value in zip("ABC", ["2026-11", "张伟", 20000], strict=True):
        wb["目标"][f"{col}5"] = value  # the month typed as text, shown as typed
    wb.save(path)
    book = read_workbook(path)
    warned = [f for f in validate(book) if f.rule == "values_not_counted" and f.column == "date"]
    assert warned and "validate --write 可把其中的数字和日期自动改写好" in warned[0].message_zh
    write_validation(book, validate(book), "zh")
    again = read_workbook(path)
    assert not [f for f in validate(again) if f.rule == "values_not_counted"]
    ws = openpyxl.load_workbook(path)["销售记录"]
    for row, day in ((5, 3), (6, 12)):
        cell = ws[f"B{row}"]
        assert cell.is_date and cell.value == pd.Timestamp(2026, 11, day), (row, cell.value)
        assert cell.number_format == "yyyy-mm-dd"
    targets = openpyxl.load_workbook(path)
    assert targets["目标"]["A5"].number_format == "yyyy-mm", "the month typed '2026-11'"
    engine = compute_kpis({n: t.frame for n, t in again.tables.items()}, again.period).kpis
    sheet = kpi_values(openpyxl.load_workbook(recalculate(path, tmp_path / "lo"),
                                              data_only=True))
    assert engine["revenue"] == 11000 and sheet["revenue"] == pytest.approx(11000)


def test_one_write_retypes_the_rows_it_takes_in_from_below_the_table(tmp_path):
    """Rows typed below the sales table: their warning is the rows' own (rows_not_counted),
    not the cells'. ``validate --write`` takes them into the table and, in the same run,
    retypes their amount typed in full-width digits and deletes the space after their
    region: a second run has nothing left to do."""
    from click.testing import CliRunner

    from xlsales.cli import main

    path = tmp_path / "李娜_2026-11.xlsx"
    made = CliRunner().invoke(main, ["new", "--period", "2026-11", "--owner", "李娜",
                                     "-o", str(path)])
    assert made.exit_code == 0, made.output
    wb = openpyxl.load_workbook(path)
    ws = wb["销售记录"]
    rows = {5: ["SO-5", pd.Timestamp(2026, 11, 5), "李娜", "华东", "甲", "新客户", "标准版", 1,
                1000, 1000, "赢单"],
            6: ["SO-6", pd.Timestamp(2026, 11, 6), "李娜", "华东 ", "乙", "老客户", "标准版", 2,
                1500, "３０００", "赢单"]}
    for row, values in rows.items():
        for col, value in zip("ABCDEFGHIJK", values, strict=True):
            ws[f"{col}{row}"] = value
    wb.save(path)
    book = read_workbook(path)
    found = validate(book)
    assert [f.rule for f in found if f.rule.endswith("_not_counted")] == ["rows_not_counted"]
    written = write_validation(book, found, "zh")
    assert {f.rule for f in written.restored} >= {"values_retyped", "spaces_trimmed"}
    again = read_workbook(path)
    assert not [f for f in validate(again) if f.rule.endswith("_not_counted")]
    ws = openpyxl.load_workbook(path)["销售记录"]
    assert (ws["D6"].value, ws["J6"].value) == ("华东", 3000)
