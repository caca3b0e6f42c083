"""A currency mark in a column that is no amount (a quantity, a probability) is an error
naming the number to type, never a quantity read without its currency: ``¥2,000`` typed
as a quantity is an amount in the wrong column, and ``10 KGS`` (Kyrgyz som) reads as a
currency only where amounts go. Amount columns keep reading marks as before."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from xlsales.cli import main

QUANTITIES = ["¥2,000", "10 KGS", "$5", "10 kg", "3,000"]


def cli(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def typed_book(tmp_path: Path, lang: str) -> Path:
    """A CNY book as `xlsales new` makes it, one won sale per quantity of
    :data:`QUANTITIES` typed in its Quantity cell (H5 …), amount 100 each."""
    made = tmp_path / "new.xlsx"
    assert cli("new", "--lang", lang, "--period", "2026-10", "-o", made).exit_code == 0
    wb = openpyxl.load_workbook(made)
    ws = wb.worksheets[[s.title for s in wb.worksheets].index("Sales" if lang == "en"
                                                             else "销售记录")]
    assert ws["H4"].value == ("Quantity" if lang == "en" else "数量")
    for i, quantity in enumerate(QUANTITIES):
        row = 5 + i
        ws[f"A{row}"], ws[f"B{row}"], ws[f"C{row}"] = f"O{i}", date(2026, 10, 3), "Alice"
        ws[f"E{row}"], ws[f"H{row}"], ws[f"J{row}"] = "Acme", quantity, 100
        ws[f"K{row}"] = "Won" if lang == "en" else "成交"
    book = tmp_path / f"typed_{lang}.xlsx"
    wb.save(book)
    return book


def test_a_currency_in_the_quantity_column_is_an_error_naming_the_number(tmp_path):
    result = cli("validate", typed_book(tmp_path, "en"), "--json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    quantity = {f["cell"]: f for f in findings if f["column"] == "quantity"}
    assert {cell: f["rule"] for cell, f in quantity.items()} == {
        "H5": "currency_not_amount", "H6": "currency_not_amount", "H7": "currency_not_amount",
        "H8": "bad_number", "H9": "converted"}
    assert quantity["H5"]["severity"] == "error"
    assert quantity["H5"]["message_en"].startswith(
        "'Quantity' must be a number without a currency; '¥2,000' carries a currency mark "
        "or code: if it is the Quantity, type 2000;"), quantity["H5"]["message_en"]
    assert "type 10;" in quantity["H6"]["message_en"]
    assert "请输入 2000；金额请填在金额列" in quantity["H5"]["message_zh"]


def test_the_amount_column_still_reads_its_own_currency(tmp_path):
    made = tmp_path / "new.xlsx"
    assert cli("new", "--lang", "en", "--period", "2026-10", "-o", made).exit_code == 0
    wb = openpyxl.load_workbook(made)
    ws = wb["Sales"]
    ws["A5"], ws["B5"], ws["C5"], ws["E5"] = "O1", date(2026, 10, 3), "Alice", "Acme"
    ws["H5"], ws["J5"], ws["K5"] = 2, "¥2,000", "Won"
    wb.save(made)
    result = cli("kpis", made, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kpis"]["revenue"] == 2000
