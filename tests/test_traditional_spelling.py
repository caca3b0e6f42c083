"""A workbook converted to Traditional writes its choices in Traditional (``贏單``,
``新客戶``): that is the book's spelling, not a repair, so ``validate`` does not report
every such cell as auto-corrected; a real alias (``成交`` for 赢单) still is one, and a
Simplified book where someone typed ``贏單`` still hears of it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from traditional_books import convert_workbook

from xlsales.findings import Severity
from xlsales.io.reader import read_workbook
from xlsales.validation import validate


def _infos(path: Path) -> list[tuple[str, object]]:
    return [(f.column, f.value) for f in validate(read_workbook(path))
            if f.severity is Severity.INFO]


def _set_first_stage(path: Path, sheet: str, value: str) -> None:
    """Type ``value`` in the first sales row's stage cell (a 赢单 row's)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = next(r for r in ws.iter_rows() if any(c.value == "阶段" or c.value == "階段"
                                                   for c in r))
    col = next(c.column for c in header if c.value in ("阶段", "階段"))
    for row in ws.iter_rows(min_row=header[0].row + 1):
        cell = row[col - 1]
        if cell.value in ("赢单", "贏單"):
            cell.value = value
            break
    wb.save(path)


def test_a_converted_books_own_spelling_is_no_repair(sample_books, tmp_path):
    book = tmp_path / "taiwan.xlsx"
    convert_workbook(sample_books["zh"], book, "s2twp")
    wb = openpyxl.load_workbook(book, read_only=True)
    stages = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
              for c in row if c == "贏單"]
    assert len(stages) > 50  # the sample's won rows, as Excel's 简转繁 writes them
    assert _infos(book) == []
    _set_first_stage(book, "銷售記錄", "成交")  # an alias, in any script
    assert _infos(book) == [("stage", "成交")]


def test_a_simplified_book_still_hears_of_a_traditional_spelling(sample_books, tmp_path):
    book = tmp_path / "mixed.xlsx"
    book.write_bytes(sample_books["zh"].read_bytes())
    _set_first_stage(book, "销售记录", "贏單")
    assert _infos(book) == [("stage", "贏單")]
