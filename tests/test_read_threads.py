"""A workbook reads the same whether the reader works in threads or not: the error scan of
a small sheet runs in the reading thread, that of a large one beside the cell reader
(:data:`xlsales.io.reader_session.SCAN_THREAD_MIN_BYTES`), and a table read column-wise
in the background is made after the others (:mod:`xlsales.io.reader_order`), which
changes nothing either."""

from __future__ import annotations

import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from test_fast_read import assert_same, clean_row, sales_book, set_cells

from xlsales.errors import WorkbookError
from xlsales.io import reader_order, reader_session
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


# --- the tables read column-wise made last (xlsales.io.reader_order) ------------------------


def _in_order(monkeypatch) -> None:
    """Read every table in the spec's order (as if none were read in the background)."""
    monkeypatch.setattr(reader_session.ReadSession, "reading", lambda self, table: False)


def _order_seen(monkeypatch) -> list[str]:
    """The tables in the order they are read."""
    seen: list[str] = []
    real = reader_order.read_table

    def read_table(session, table):
        seen.append(table.name)
        return real(session, table)

    monkeypatch.setattr(reader_order, "read_table", read_table)
    return seen


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_table_read_column_wise_is_made_last_and_nothing_changes(sample_books, lang,
                                                                    monkeypatch):
    path = sample_books[lang]
    size = _sales_size(path)
    with monkeypatch.context() as patch:
        seen = _order_seen(patch)
        last = read_workbook(path, fast_read=size)
    assert seen[-1] == "Sales" and seen.index("Info") == 0
    with monkeypatch.context() as patch:
        _in_order(patch)
        seen = _order_seen(patch)
        in_order = read_workbook(path, fast_read=size)
    assert seen[1] == "Sales"
    assert_same(last, in_order)
    assert [f.rule for f in last.findings] == [f.rule for f in in_order.findings]


def test_the_first_error_in_the_spec_order_is_raised(book_with_error_cells, monkeypatch):
    real = reader_order.read_table

    def read_table(session, table):
        if table.name in ("Sales", "Targets"):
            raise zipfile.BadZipFile(f"{table.name} is damaged")
        return real(session, table)

    monkeypatch.setattr(reader_order, "read_table", read_table)
    size = _sales_size(book_with_error_cells)
    with pytest.raises(WorkbookError, match="Sales is damaged"):
        read_workbook(book_with_error_cells, fast_read=size)
    _in_order(monkeypatch)
    with pytest.raises(WorkbookError, match="Sales is damaged"):
        read_workbook(book_with_error_cells, fast_read=size)


def test_a_language_the_order_would_change_reads_again_in_order(sample_books, monkeypatch):
    path = sample_books["zh"]
    size = _sales_size(path)
    real = reader_order.read_table

    def read_table(session, table):  # the targets' headers outvote all others for English
        read = real(session, table)
        if table.name == "Targets":
            session.lang_votes["en"] += 1000
        return read

    monkeypatch.setattr(reader_order, "read_table", read_table)
    sessions = []
    real_init = reader_session.ReadSession.__init__

    def init(self, *args, **kwargs):
        sessions.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(reader_session.ReadSession, "__init__", init)
    again = read_workbook(path, fast_read=size)
    assert len(sessions) == 2  # Sales read after Targets would be read in English
    _in_order(monkeypatch)
    in_order = read_workbook(path, fast_read=size)
    assert_same(again, in_order)
    assert again.lang == "en"
