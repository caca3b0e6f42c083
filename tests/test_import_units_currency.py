"""``xlsales import`` of an export whose units row under the header names the amounts'
currency (``,,,USD,,,`` under ``金额``, as Chinese CRMs and ERPs export it). Real files
through the real command."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import team_options
from test_import import all_sales, run, write_csv
from test_import_crm_exports import ZH

from xlsales.build.workbook import build_workbook
from xlsales.io.reader import read_workbook
from xlsales.periods import Period
from xlsales.sample import REPS
from xlsales.validation import validate
from xlsales.workbook_data import WorkbookData


def _book(path: Path, currency: str) -> Path:
    """A blank Chinese book for 2026-11 kept in ``currency``."""
    build_workbook(path, replace(team_options("zh"), period=Period.parse("2026-11")),
                   WorkbookData(info={"currency": currency}, lists={"rep": REPS["zh"]}))
    return path


def _export(path: Path, unit: str) -> Path:
    return write_csv(path, ZH, [["", "", "", unit, "", "", ""], *[
        [f"U-{i}", REPS["zh"][0], "标准版", amount, "赢单", "2026-11-03", f"客户{i}"]
        for i, amount in enumerate(["1200", "3,000.50"])]])


@pytest.mark.parametrize(("book_currency", "unit", "written"), [
    ("CNY", "USD", ["1,200 USD", "3,000.5 USD"]),
    ("USD", "人民币", ["1,200 CNY", "3,000.5 CNY"]),
    ("USD", "CNY", ["1,200 CNY", "3,000.5 CNY"])])
def test_a_units_row_naming_another_currency_marks_the_amounts(
        tmp_path: Path, book_currency: str, unit: str, written: list[str]) -> None:
    """``USD`` under ``金额`` in a CNY book was set aside and the amounts imported as
    bare numbers, counted as yuan (the report only said to convert them if they were
    not in the book's currency). They are that currency's amounts, as a ``US$`` in the
    amount or a currency column naming it are: written with it, flagged by validation
    until converted, and the report says where the currency was named."""
    book = _book(tmp_path / "book.xlsx", book_currency)
    result = run(_export(tmp_path / "units.csv", unit), "--into", book)
    assert result.exit_code == 0, result.output
    code = written[0].split()[-1]
    assert (f"{code} 2 个（如第 3 行：金额 '1200'，表头下注明 '{unit}'，写为 '{written[0]}'）"
            in result.stdout), result.stdout
    assert "未采用的单位" not in result.stdout
    flagged = [f for f in validate(read_workbook(book)) if f.rule == "currency_mismatch"]
    assert [f.value for f in flagged] == written  # the cells, as typed


@pytest.mark.parametrize("unit", ["CNY", "人民币", "RMB"])
def test_a_units_row_naming_the_books_currency_leaves_the_amounts_numbers(
        tmp_path: Path, unit: str) -> None:
    """``CNY`` under ``金额`` in a CNY book is what the book holds: the amounts are its
    numbers, and nothing is said to be set aside or in another currency."""
    book = _book(tmp_path / "book.xlsx", "CNY")
    result = run(_export(tmp_path / "units.csv", unit), "--into", book)
    assert result.exit_code == 0, result.output
    assert all_sales(book)["amount"].tolist() == [1200, 3000.5]
    assert "未采用的单位" not in result.stdout
    assert "金额所标货币" not in result.stdout
