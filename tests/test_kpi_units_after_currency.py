"""A book started in USD, its currency changed to EUR (or back to CNY) on the basic-info
sheet: ``kpis --write`` leaves its KPI sheet's Unit column in the book's currency now,
not the one it was made with, and its amounts formatted so (every money cell of the
book's format); the other units and the cells' styles as they were."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.spec import SPEC

MONEY = {k.key for k in SPEC.kpis if k.unit == "money"}


def _units(path) -> dict[str, tuple[object, int]]:
    """KPI code → its Unit cell's value and style, on the KPI sheet."""
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        if "KPIs" in ws.tables:
            top = ws[ws.tables["KPIs"].ref][1:]
            return {row[0].value: (row[3].value, row[3].style_id) for row in top}
    raise AssertionError("no KPI table")


def _formats(path) -> set[str]:
    """The number formats of the KPI sheet's money values."""
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb if "KPIs" in ws.tables)
    return {row[2].number_format for row in ws[ws.tables["KPIs"].ref][1:]
            if row[0].value in MONEY}


@pytest.mark.parametrize(("lang", "now", "shown", "code"), [
    ("zh", "EUR", "EUR", '#,##0.00 "EUR"'), ("en", "EUR", "EUR", '#,##0.00 "EUR"'),
    ("zh", "CNY", "金额", "¥#,##0.00")])
def test_the_kpi_sheet_says_the_books_currency_after_a_change(tmp_path, lang, now, shown,
                                                              code):
    book = tmp_path / "book.xlsx"
    made = CliRunner().invoke(main, ["new", "-o", str(book), "--currency", "USD", "--period",
                                     "2026-10", "--owner", "张伟", "--lang", lang])
    assert made.exit_code == 0, made.output
    before = _units(book)
    assert {before[k][0] for k in MONEY} == {"USD"}
    assert _formats(book) == {'#,##0.00 "USD"'}
    cell, _ = read_workbook(book).info_cells["currency"]
    wb = openpyxl.load_workbook(book)
    info = next(ws for ws in wb if ws[cell].value == "USD")
    info[cell] = now
    wb.save(book)
    done = CliRunner().invoke(main, ["kpis", str(book), "--write"])
    assert done.exit_code == 0, done.output
    after = _units(book)
    assert {after[k][0] for k in MONEY} == {shown}, after
    assert {k: v for k, v in after.items() if k not in MONEY} == \
        {k: v for k, v in before.items() if k not in MONEY}
    assert all(after[k][1] == before[k][1] for k in MONEY)  # styles kept
    assert _formats(book) == {code}
