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
from table_edits import typed_sales

from xlsales.cli import main

QUANTITIES = ["¥2,000", "10 KGS", "$5", "10 kg", "3,000", "5 cent"]


def cli(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def typed_book(tmp_path: Path, lang: str) -> Path:
    """One won sale per quantity of :data:`QUANTITIES` typed in its Quantity cell (H5 …),
    amount 100 each."""
    return typed_sales(tmp_path, lang, {"H": QUANTITIES}, f"typed_{lang}.xlsx")


def test_a_currency_in_the_quantity_column_is_an_error_naming_the_number(tmp_path):
    result = cli("validate", typed_book(tmp_path, "en"), "--json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    quantity = {f["cell"]: f for f in findings if f["column"] == "quantity"}
    assert {cell: f["rule"] for cell, f in quantity.items()} == {
        "H5": "currency_not_amount", "H6": "currency_not_amount", "H7": "currency_not_amount",
        "H8": "bad_number", "H9": "converted",
        "H10": "bad_number"}  # 5 cent: no number beside a mark (nt), so no number to type
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


AMOUNTS = ["2000块", "3,000块钱", "1,500 Dollars", "2000元左右", "两千块"]


def test_an_amount_with_a_word_says_to_convert_and_kuai_is_the_yuan(tmp_path):
    """``1,500 Dollars`` in a CNY book: retyped as 1500 as "cannot be read" suggested, it
    would count as 1,500 yuan; the message says to convert first. ``2000块`` is 2,000
    yuan, as ``2000元`` is."""
    made = typed_sales(tmp_path, "zh", {"J": AMOUNTS})
    result = cli("validate", made, "--json")
    findings = json.loads(result.stdout)["findings"]
    amount = {f["cell"]: f for f in findings if f["column"] == "amount"}
    assert {cell: (f["severity"], f["rule"]) for cell, f in amount.items()} == {
        "J5": ("info", "converted"), "J6": ("info", "converted"),
        "J7": ("error", "amount_with_word"), "J8": ("error", "amount_with_word"),
        "J9": ("error", "bad_number")}, findings
    assert amount["J7"]["message_zh"] == (
        "“金额”应为数字，'1,500 Dollars' 无法识别：请只输入数字，以本工作簿的货币计（若是其他货币，"
        "请先换算再输入）。")
    assert "convert it first" in amount["J7"]["message_en"]
    kpis = cli("kpis", made, "--json")
    assert json.loads(kpis.stdout)["kpis"]["revenue"] == 5000  # 2000块 + 3,000块钱
