"""A workbook reads the same whether the reader works in threads or not: the error scan of
a small sheet runs in the reading thread, that of a large one beside the cell reader
(:data:`xlsales.io.reader_session.SCAN_THREAD_MIN_BYTES`), and while a large table is
read column-wise in the background, the other sheets are read ahead, which changes nothing
either."""

from __future__ import annotations

import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from test_fast_read import assert_same, clean_row, sales_book, set_cells

from xlsales.errors import WorkbookError
from xlsales.io import cells as cells_module
from xlsales.io import fastread, reader_session
from xlsales.io.ooxml import read_layout
from xlsales.io.reader import read_workbook


class _Counted(ThreadPoolExecutor):
    started = 0

    def __init__(self, *args, **kwargs) -> None:
        _Counted.started += 1
        super().__init__(*args, **kwargs)


@pytest.fixture
def book_with_error_cells(tmp_path):
    rows = [clean_row(i) for i in range(8)]
    path = sales_book(tmp_path / "errors.xlsx", rows)
    return set_cells(path, {"J6": 't="e"><v>#N/A</v>', "H7": 't="e"><v>#REF!</v>'})


def test_error_scans_in_a_thread_or_not_read_the_same(book_with_error_cells, monkeypatch):
    monkeypatch.setattr(reader_session, "ThreadPoolExecutor", _Counted)
    _Counted.started = 0
    alone = read_workbook(book_with_error_cells, fast_read=False)
    assert _Counted.started == 0  # small sheets: scanned in the reading thread
    monkeypatch.setattr(reader_session, "SCAN_THREAD_MIN_BYTES", 0)
    beside = read_workbook(book_with_error_cells, fast_read=False)
    assert _Counted.started == 1  # one scanning thread for the whole read
    assert_same(alone, beside)
    assert {(f.cell, f.value) for f in alone.findings if f.rule == "error_value"} == {
        ("J6", "#N/A"), ("H7", "#REF!")}


def _sales_size(path) -> int:
    """Uncompressed size of the sales sheet's part of ``path``."""
    with zipfile.ZipFile(path) as zf:
        layout = read_layout(zf)
        return zf.getinfo(layout.sheet(layout.table("Sales").sheet).part).file_size


def _slow_blocks(monkeypatch) -> list[str]:
    """Make every column-wise read wait a little first, so that the reading thread reads
    the other sheets ahead meanwhile; the sheets it read ahead."""
    real_block, real_ahead = fastread.FastReader.block, reader_session.ReadSession._read_ahead
    ahead: list[str] = []

    def block(self, *args, **kwargs):
        time.sleep(0.2)
        return real_block(self, *args, **kwargs)

    def read_ahead(self):
        before = set(self._grids)
        real_ahead(self)
        ahead.extend(s for s in self._grids if s not in before)

    monkeypatch.setattr(fastread.FastReader, "block", block)
    monkeypatch.setattr(reader_session.ReadSession, "_read_ahead", read_ahead)
    return ahead


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sheets_read_ahead_of_a_column_wise_read_read_the_same(sample_books, lang,
                                                               monkeypatch):
    path = sample_books[lang]
    size = _sales_size(path)  # the sales sheet alone is read column-wise
    with monkeypatch.context() as patch:
        ahead = _slow_blocks(patch)
        early = read_workbook(path, fast_read=size)
        assert len(ahead) >= 3  # the settings, targets, activities … sheets
    with monkeypatch.context() as patch:
        patch.setattr(reader_session.ReadSession, "_read_ahead", lambda self: None)
        in_turn = read_workbook(path, fast_read=size)
    assert_same(early, in_turn)
    assert_same(early, read_workbook(path, fast_read=False))


def test_a_sheet_that_fails_when_read_ahead_fails_in_its_turn(book_with_error_cells,
                                                              monkeypatch):
    ahead = _slow_blocks(monkeypatch)
    real_rows = cells_module.CalamineReader.rows

    def rows(self, sheet):
        if sheet == "Targets":
            raise zipfile.BadZipFile("Bad CRC-32 for file 'xl/worksheets/sheet4.xml'")
        return real_rows(self, sheet)

    monkeypatch.setattr(cells_module.CalamineReader, "rows", rows)
    with pytest.raises(WorkbookError, match="Bad CRC-32"):
        read_workbook(book_with_error_cells, fast_read=_sales_size(book_with_error_cells))
    assert "Targets" not in ahead and ahead  # left out, the others read
