"""A table's totals row (Excel's Table Design > Total Row; LibreOffice keeps it) is not a
row of data: not read, not validated, not given formulas, not counted by either side."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import kpi_values
from table_edits import with_totals_row
from test_golden_libreoffice import assert_kpis_match

from xlsales.cli import main
from xlsales.io.ooxml import read_layout
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.sample import SAMPLE_PERIOD
from xlsales.validation import validate


def _kpis(path: Path) -> dict[str, object]:
    book = read_workbook(path)
    return compute_kpis({n: t.frame for n, t in book.tables.items()}, SAMPLE_PERIOD).kpis


@pytest.mark.parametrize("fast_read", ["off", "always"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_totals_row_is_neither_read_nor_validated(sample_books, tmp_path, lang, fast_read,
                                                    monkeypatch):
    """It was read as a sale: four 'required' errors and eight missing formulas in a book
    with nothing wrong."""
    monkeypatch.setenv("XLSALES_FAST_READ", fast_read)
    path = tmp_path / "totals.xlsx"
    totals = with_totals_row(sample_books[lang], path)
    book = read_workbook(path)
    assert book.tables["Sales"].rows[-1] == totals - 1
    assert len(book.tables["Sales"].frame) == len(read_workbook(
        sample_books[lang]).tables["Sales"].frame)
    assert [f for f in validate(book) if f.row == totals] == []
    assert _kpis(path) == _kpis(sample_books[lang])


def test_write_leaves_the_totals_row_as_it_was(sample_books, tmp_path):
    path = tmp_path / "totals.xlsx"
    totals = with_totals_row(sample_books["en"], path)
    result = CliRunner().invoke(main, ["validate", str(path), "--write"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)["Sales"]
    assert [c.value for c in ws[totals] if c.value is not None] == [
        "Total", "=SUBTOTAL(109,Sales[Amount])"]
    assert ws.tables["Sales"].totalsRowCount == 1


def test_a_row_below_the_totals_row_is_read_and_says_how_to_move_it(sample_books, tmp_path):
    """Not silently dropped; and not promised to `--write`, which cannot take a row under
    a totals row into the table. (A sale: a row filling none of date, rep, customer and
    stage would be a note, test_rows_under_tables.)"""
    path = tmp_path / "below.xlsx"
    row = 0
    with zipfile.ZipFile(sample_books["en"]) as zf:
        ref = next(t.ref for t in read_layout(zf).tables if t.name == "Sales")
    row = int(re.search(r"(\d+)$", ref).group(1)) + 2
    text = '<c r="{}{}" t="inlineStr"><is><t>{}</t></is></c>'.format
    cells = (f'<row r="{row}">{text("A", row, "LATE-1")}<c r="B{row}"><v>46315</v></c>'
             f'{text("C", row, "Alice Chen")}{text("E", row, "Late Co")}'
             f'<c r="J{row}"><v>5000</v></c>{text("K", row, "Won")}</row>')
    with_totals_row(sample_books["en"], path, below=cells)
    book = read_workbook(path)
    assert book.tables["Sales"].rows[-1] == row
    found = [f for f in validate(book) if f.rule == "rows_not_counted"]
    assert [f.cell for f in found] == [f"A{row}"]
    assert "below the table's totals row" in found[0].message_en
    assert "汇总行下方" in found[0].message_zh


def test_libreoffice_keeps_the_totals_row_and_its_kpi_sheet_agrees(sample_books, tmp_path):
    """The real round trip: LibreOffice opens the book, recalculates and saves it (the
    totals row kept); read again it gives the same KPIs, which the KPI sheet shows."""
    require_libreoffice()
    path = tmp_path / "totals.xlsx"
    with_totals_row(sample_books["zh"], path)
    saved = recalculate(path, tmp_path / "lo")
    with zipfile.ZipFile(saved) as zf:
        assert next(t for t in read_layout(zf).tables if t.name == "Sales").totals_rows == 1
    engine = _kpis(saved)
    assert engine == _kpis(sample_books["zh"])
    assert_kpis_match(kpi_values(openpyxl.load_workbook(saved, data_only=True)), engine)
