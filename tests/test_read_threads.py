"""A workbook reads the same whether the reader works in threads or not: the error scan of
a small sheet runs in the reading thread, that of a large one beside the cell reader
(:data:`xlsales.io.reader_session.SCAN_THREAD_MIN_BYTES`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from test_fast_read import assert_same, clean_row, sales_book, set_cells

from xlsales.io import reader_session
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
