"""The column-wise read of large tables (xlsales.io.fastread, fastexcel) gives exactly
what the grid read (python-calamine) gives: the same tables (frames equal, dtypes, None
and NaN included), the same findings, the same custom columns — or it steps aside.

Every workbook here is read twice, with the fast path forced on and forced off."""

from __future__ import annotations

import logging
import os
import random
import re
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import team_options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlsales.build.workbook import build_workbook
from xlsales.errors import WorkbookError
from xlsales.io import cells as cells_module
from xlsales.io import fastread
from xlsales.io.ooxml import read_layout
from xlsales.io.reader import ReadWorkbook, read_workbook
from xlsales.io.safety_limits import SafetyLimits
from xlsales.periods import Period
from xlsales.spec import SPEC
from xlsales.spec.declarations import SALES
from xlsales.validation import validate
from xlsales.workbook_data import WorkbookData

pytest.importorskip("fastexcel")
pytest.importorskip("pyarrow")

PERIOD = Period.parse("2026-10")
FIRST = 5  # Excel row of the first data row of the sales table
LETTER = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(SALES.columns, 1)}


# --- reading twice and comparing ------------------------------------------------------------


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def fast_log():
    """Messages of xlsales.io.fastread: which blocks were read column-wise, which not."""
    logger = logging.getLogger(fastread.__name__)
    handler, level = _Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _cells(frame: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    """Every value with its type: None, NaN, '' and date vs datetime all differ."""
    return [(str(name), str(frame[name].dtype),
             [f"{type(v).__name__}:{v!r}" for v in frame[name].tolist()])
            for name in frame.columns]


def assert_same(fast: ReadWorkbook, grid: ReadWorkbook) -> None:
    assert (fast.lang, fast.info, fast.period, fast.lists, fast.assumptions) == (
        grid.lang, grid.info, grid.period, grid.lists, grid.assumptions)
    assert fast.tables.keys() == grid.tables.keys()
    for name, f in fast.tables.items():
        g = grid.tables[name]
        assert (f.sheet, f.header_row, f.columns, f.rows, f.found_by, f.unreadable) == (
            g.sheet, g.header_row, g.columns, g.rows, g.found_by, g.unreadable), name
        assert f.custom_columns == g.custom_columns, name
        assert all(type(r) is int for r in f.rows), name
        pd.testing.assert_frame_equal(f.frame, g.frame, check_exact=True)
        assert _cells(f.frame) == _cells(g.frame), name
    assert _findings(fast.findings) == _findings(grid.findings)
    assert _findings(validate(fast)) == _findings(validate(grid))


def _findings(findings) -> list[tuple[str, str, str]]:
    """Findings compared by their repr: a NaN value never equals itself."""
    return [(repr(f), type(f.value).__name__, type(f.row).__name__) for f in findings]


def read_both(path: Path) -> tuple[ReadWorkbook, list[str]]:
    """Read ``path`` with the fast path forced on and off; assert the same result; the
    fast read and fastread's messages."""
    with fast_log() as messages:
        fast = read_workbook(path, fast_read=True)
    grid = read_workbook(path, fast_read=False)
    assert_same(fast, grid)
    return fast, messages


def used(messages: list[str], table: str = "Sales") -> bool:
    """The table was read column-wise (else: it was tried and stepped aside)."""
    mine = [m for m in messages if m.startswith((f"fast read of {table}:",
                                                  f"fast read of {table} not used"))]
    assert mine, messages
    return not any(" not used" in m for m in mine)


# --- building workbooks -------------------------------------------------------------------


def clean_row(i: int) -> dict[str, object]:
    return {"order_id": f"O{i}", "date": date(2026, 10, 1 + i % 28), "rep": "A" if i % 2 else "B",
            "region": "East", "customer": f"C{i}", "product": "Standard", "quantity": 2.0,
            "unit_price": 100.0, "amount": 200.0, "stage": "won", "invoiced": 200.0,
            "collected": 150.0}


def sales_book(path: Path, rows: list[dict[str, object]], lang: str = "en", spec=SPEC,
               extra: dict[str, list[object]] | None = None) -> Path:
    sales = pd.DataFrame(rows, columns=None if rows else [c.key for c in SALES.columns
                                                          if c.is_input])
    sales = sales.astype(object).where(sales.notna(), None) if len(sales) else sales
    for name, values in (extra or {}).items():
        sales[name] = values
    data = WorkbookData(
        info={"period_type": "month", "period_start": PERIOD.start, "owner": "Team"},
        tables={"Sales": sales},
        lists={"rep": ["A", "B"], "region": ["East", "West"], "product": ["Standard", "Pro"]},
    )
    build_workbook(path, replace(team_options(lang), period=PERIOD), data, spec=spec)
    return path


def _header(path: Path) -> list[object]:
    """The header row of the sales table."""
    ws = openpyxl.load_workbook(path, read_only=True)[SPEC.sheet("sales").name.en]
    return [c.value for c in next(ws.iter_rows(min_row=FIRST - 1, max_row=FIRST - 1))]


def sheet_part(path: Path, sheet: str = "Sales") -> str:
    with zipfile.ZipFile(path) as zf:
        return read_layout(zf).sheet(sheet).part


def rewrite_part(path: Path, part: str, edit, stored: str | None = None) -> Path:
    """Replace one part of the package by ``edit(its text)``; the part ``stored`` is
    written uncompressed."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info.filename, edit(data.decode()).encode() if info.filename == part
                        else data, compress_type=zipfile.ZIP_STORED
                        if info.filename == stored else zipfile.ZIP_DEFLATED)
    return path


def set_cells(path: Path, cells: dict[str, str], sheet: str = "Sales") -> Path:
    """Overwrite cells of ``sheet`` with raw cell XML (attributes after ``r``, content),
    e.g. ``{"J6": 't="e"><v>#N/A</v>'}``; the cell must exist."""
    def edit(xml: str) -> str:
        for ref, body in cells.items():
            xml, n = re.subn(rf'<c r="{ref}"(?: [^>]*?)?(?:/>|>.*?</c>)',
                             f'<c r="{ref}" {body}</c>', xml, count=1, flags=re.S)
            assert n == 1, ref
        return xml
    return rewrite_part(path, sheet_part(path, sheet), edit)


def table_ref(path: Path, name: str, ref: str) -> Path:
    """Move a table's range (its part's ``ref`` and autoFilter)."""
    with zipfile.ZipFile(path) as zf:
        info = read_layout(zf).table(name)
    assert info is not None
    return rewrite_part(path, info.part, lambda xml: xml.replace(f'ref="{info.ref}"',
                                                                 f'ref="{ref}"'))


# --- the corpus -------------------------------------------------------------------------------


def test_sample_books_read_the_same(sample_books):
    for path in sample_books.values():
        book, messages = read_both(path)
        assert used(messages), messages
        assert len(book.frame("Sales")) > 100


def test_bad_inputs_fail_alike(tmp_path):
    from bad_inputs import BAD_INPUTS, _member_data_span, real_workbook

    for bad in BAD_INPUTS:
        folder = tmp_path / bad.id
        folder.mkdir()
        path = bad.build(folder)
        outcomes = []
        for fast in (True, False):
            try:
                read_workbook(path, fast_read=fast)
                outcomes.append(None)
            except WorkbookError as exc:
                outcomes.append(str(exc))
        assert outcomes[0] == outcomes[1] and outcomes[0] is not None, bad.id
    read_both(real_workbook(tmp_path))
    # a flipped byte deep inside the big sales sheet: both say the file is damaged
    deep = sales_book(tmp_path / "deep.xlsx", [clean_row(i) for i in range(3000)])
    part = sheet_part(deep)
    start, end = _member_data_span(deep, part)
    raw = bytearray(deep.read_bytes())
    for i in range(start + (end - start) // 2, start + (end - start) // 2 + 64):
        raw[i] ^= 0x5A
    deep.write_bytes(bytes(raw))
    for fast in (True, False):
        with pytest.raises(WorkbookError, match="damaged"):
            read_workbook(deep, fast_read=fast)
    # a digit changed in a stored (uncompressed) sales sheet too large for the safety
    # check's CRC budget: only its CRC-32 tells, and fastexcel does not check it; a wrong
    # amount is never read
    rows = [clean_row(i) for i in range(1500)]
    stored = rewrite_part(sales_book(tmp_path / "stored.xlsx", rows), part, lambda xml: xml,
                          stored=part)
    with zipfile.ZipFile(stored) as zf:
        assert zf.getinfo(part).file_size > SafetyLimits().crc_budget
    raw = bytearray(stored.read_bytes())
    at = raw.index(b"<v>200</v>", raw.index(b"<sheetData"))
    raw[at + 3] = ord("9")  # an amount of 200 becomes 900
    stored.write_bytes(bytes(raw))
    for fast in (True, False):
        with fast_log() as messages, pytest.raises(WorkbookError, match="damaged"):
            read_workbook(stored, fast_read=fast)
        assert not fast or used(messages)  # fastexcel read it: the check refused it


def test_clean_sales_with_blanks_blank_rows_and_rows_below_the_table(tmp_path):
    rows = [clean_row(i) for i in range(12)]
    rows[3] = {k: None for k in rows[3]}  # a blank row inside the table
    rows[5].update(invoiced=None, collected=None, stage="lost", region=None)
    rows[7].update(customer_type="new", probability=0.4, created=date(2026, 9, 1),
                   note="called twice")
    path = sales_book(tmp_path / "clean.xlsx", rows)
    table_ref(path, "Sales", f"A4:X{FIRST + 8}")  # the last rows are typed below the table
    book, messages = read_both(path)
    assert used(messages)
    assert any(f.rule == "rows_below_table" for f in book.findings)
    assert len(book.frame("Sales")) == 11


def test_repairs_are_the_same_findings_whether_read_fast_or_not(tmp_path):
    """Numbers as text, full-width digits, Chinese and text dates, spaces, aliases:
    whole columns typed that way read column-wise; mixed with clean cells, the sheet
    steps aside to the grid. Either way the same values and the same info findings."""
    rows = [clean_row(i) for i in range(8)]
    for i, r in enumerate(rows):
        r.update(order_id=f"{1000 + i}", amount=["¥200", "1,200", "１２３", "(300)", "12%",
                                                  "1.2万", " 42 ", "abc"][i],
                 date=["2026年10月9日", "2026/10/3", "2026-10-04", "20261005", "２０２６-１０-０６",
                       "46300", "next week", "2026年10月"][i],
                 customer=[" C9 ", "C1", "Ｃ２", "c3", "C4\u3000", "\tC5", "C6", "C7"][i])
    path = sales_book(tmp_path / "text.xlsx", rows)
    inline = '{}t="inlineStr"><is><t xml:space="preserve">{}</t></is>'
    set_cells(path, {f"K{FIRST + i}": inline.format('s="3" ' if i % 2 else "", label)
                     for i, label in enumerate(["成交", " lost ", "maybe", "赢单", "Ｗｏｎ",
                                                "won", "Lost", "lost"])})
    book, messages = read_both(path)
    assert used(messages)
    converted = {f.column for f in book.findings if f.rule == "converted"}
    assert {"amount", "date", "customer", "stage"} <= converted
    assert {"bad_number", "bad_date", "not_allowed"} <= {f.rule for f in validate(book)}
    mixed = [clean_row(i) for i in range(6)]
    mixed[2].update(amount="¥200", unit_price="１００", date="2026年10月9日")
    book, messages = read_both(sales_book(tmp_path / "mixed.xlsx", mixed))
    assert not used(messages)
    assert {f.column for f in book.findings if f.rule == "converted"} == {
        "amount", "unit_price", "date"}


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\u00a0", "\u3000"])
def test_one_spaced_text_among_clean_ones_is_trimmed_alike(tmp_path, space):
    """One text cell with a space normalise trims at its start or its end, among clean
    text: the column read column-wise steps aside to normalise (it finds such a cell by
    comparing the column with its trimmed self), and the value and its finding are the
    grid's."""
    rows = [clean_row(i) for i in range(6)]
    rows[2]["customer"] = f"{space}C2"
    rows[4]["order_id"] = f"O4{space}"
    book, messages = read_both(sales_book(tmp_path / "spaced.xlsx", rows))
    assert used(messages)
    converted = [f for f in book.findings if f.rule == "converted"]
    assert {(f.column, f.row) for f in converted} == {("customer", FIRST + 2),
                                                        ("order_id", FIRST + 4)}
    sales = book.frame("Sales")
    assert (sales["customer"].iloc[2], sales["order_id"].iloc[4]) == ("C2", "O4")


def test_what_a_taiwan_rep_types_reads_the_same(tmp_path):
    """NT$ and TWD amounts, 萬, ROC calendar dates, 舊客戶, 洽談中 and 失敗: repaired
    alike, whole columns of them read column-wise or cells among clean ones."""
    rows = [clean_row(i) for i in range(6)]
    for i, r in enumerate(rows):
        r.update(amount=["NT$61,600", "NT$ 1,200", "61,600 TWD", "6.16萬", "US$5", "元"][i],
                 date=["115/10/03", "115-10-04", "115年10月5日", "民國115年10月6日",
                       "26/10/03", "115/10/07"][i], customer_type="new")
    path = sales_book(tmp_path / "tw.xlsx", rows)
    inline = 't="inlineStr"><is><t>{}</t></is>'
    typed = {"customer_type": ["舊客戶", "舊客户", "新客戶", "VIP", "老客戶", "旧客户"],
             "stage": ["洽談中", "失敗", "結案", "won", "lost", "洽谈中"]}
    set_cells(path, {f"{LETTER[key]}{FIRST + i}": inline.format(text)
                     for key, texts in typed.items() for i, text in enumerate(texts)})
    book, messages = read_both(path)
    assert used(messages)
    sales = book.frame("Sales")
    assert sales["amount"].tolist()[:4] == [61600.0, 1200.0, 61600.0, 61600.0]
    assert sales["date"].tolist()[:4] == [date(2026, 10, d) for d in (3, 4, 5, 6)]
    assert sales["customer_type"].tolist()[:3] == ["existing", "existing", "new"]
    assert sales["stage"].tolist()[:2] == ["follow_up", "lost"]
    assert {f.column for f in book.findings if f.rule == "converted"} == {
        "amount", "date", "customer_type", "stage"}
    mixed = [clean_row(i) for i in range(6)]
    mixed[2].update(amount="NT$61,600", date="115/10/03")
    book, messages = read_both(sales_book(tmp_path / "mixed.xlsx", mixed))
    assert {f.column for f in book.findings if f.rule == "converted"} == {"amount", "date"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_list_entries_named_in_the_other_language_read_the_same(tmp_path, lang):
    """Built-in regions and products named otherwise than the book's list (East, West,
    Standard, Pro) names them — in Chinese, in lower case, with spaces — become the
    list's names, each an info finding, whether read fast or not; 华北 (North, not
    listed) stays as typed."""
    rows = [clean_row(i) for i in range(8)]
    for r, region, product in zip(rows, ["华东", "East", " 华东 ", "华北", "west", "华东", None,
                                          "West"],
                                  ["标准版", "Standard", "标准版", "Pro", "专业版 ", "standard",
                                   "Pro", None], strict=True):
        r.update(region=region, product=product)
    book, messages = read_both(sales_book(tmp_path / f"names_{lang}.xlsx", rows, lang=lang))
    assert used(messages)
    sales = book.frame("Sales")
    assert sales["region"].tolist()[:6] == ["East", "East", "East", "华北", "West", "East"]
    assert sales["product"].tolist()[:5] == ["Standard", "Standard", "Standard", "Pro", "专业版"]
    renamed = {f.cell: f.value for f in book.findings if f.rule == "converted"
               and "list names it" in f.message_en}
    assert renamed == {f"{LETTER['region']}{FIRST}": "华东",
                       f"{LETTER['region']}{FIRST + 2}": " 华东 ",
                       f"{LETTER['region']}{FIRST + 4}": "west",
                       f"{LETTER['region']}{FIRST + 5}": "华东",
                       f"{LETTER['product']}{FIRST}": "标准版",
                       f"{LETTER['product']}{FIRST + 2}": "标准版",
                       f"{LETTER['product']}{FIRST + 5}": "standard"}
    # all text: the column-wise read takes them as they are, the renaming is the reader's
    clean = [clean_row(i) for i in range(6)]
    for r in clean:
        r.update(region="华东", product="标准版")
    book, messages = read_both(sales_book(tmp_path / f"all_{lang}.xlsx", clean, lang=lang))
    assert used(messages)
    assert set(book.frame("Sales")["region"]) == {"East"}


def test_numbers_in_text_columns_and_text_that_reads_as_empty(tmp_path):
    rows = [clean_row(i) for i in range(6)]
    for i, r in enumerate(rows):
        r.update(order_id=float(1000 + i), customer=["NA", "null", "N/A", "#N/A", "nan", "None"][i])
    _, messages = read_both(sales_book(tmp_path / "ids.xlsx", rows))
    assert used(messages)
    for bad in ("NA", "nan", "null", "#N/A"):  # in a number column: fastexcel steps aside
        rows = [clean_row(i) for i in range(4)]
        rows[2]["amount"] = bad
        book, messages = read_both(sales_book(tmp_path / f"amount_{bad[-1]}.xlsx", rows))
        assert not used(messages), bad
        assert any(f.rule == "bad_number" and f.column == "amount" for f in validate(book))


def test_error_cells_are_findings_on_both_paths(tmp_path):
    rows = [clean_row(i) for i in range(8)]
    rows[7]["note"] = "x"  # the only note: made an error cell below
    path = sales_book(tmp_path / "errors.xlsx", rows)
    set_cells(path, {"J6": 't="e"><v>#N/A</v>', "H7": 't="e"><v>#REF!</v>',
                     "E8": 't="e"><v>#VALUE!</v>', "B9": 's="7" t="e"><v>#NUM!</v>',
                     "Q10": 't="e"><v>#NULL!</v>'})
    book, messages = read_both(path)
    assert used(messages)
    assert {(f.cell, f.value) for f in book.findings if f.rule == "error_value"} == {
        ("J6", "#N/A"), ("H7", "#REF!"), ("E8", "#VALUE!"), ("B9", "#NUM!")}
    # and in a column empty but for it (the note column): fastexcel names these too
    set_cells(path, {"J11": 't="e"><v>#DIV/0!</v>', "P12": 't="e"><v>#N/A</v>'})
    book, messages = read_both(path)
    assert used(messages)
    assert {("J11", "#DIV/0!"), ("P12", "#N/A")} <= {(f.cell, f.value) for f in book.findings}
    set_cells(path, {"I12": 't="e"><v>#NAME?</v>'})  # fastexcel refuses this one
    book, messages = read_both(path)
    assert not used(messages)
    assert ("I12", "#NAME?") in {(f.cell, f.value) for f in book.findings}


def test_dates_with_times_times_of_day_iso_dates_and_booleans(tmp_path):
    rng = random.Random(7)
    rows = [clean_row(i) for i in range(40)]
    for r in rows:
        r["date"] = datetime(2026, 10, 1) + timedelta(seconds=rng.random() * 2e6,
                                                      microseconds=rng.randrange(10**6))
        r["created"] = datetime(2026, 9, rng.randrange(1, 29))  # midnight: a date
    rows[0]["date"] = datetime(2026, 10, 2)
    book, messages = read_both(sales_book(tmp_path / "datetimes.xlsx", rows))
    assert used(messages)
    assert any(f.rule == "converted" and f.column == "date" for f in book.findings)
    path = sales_book(tmp_path / "time.xlsx", [clean_row(i) for i in range(4)])
    set_cells(path, {"B6": 's="7"><v>0.3958333</v>'})  # a time of day in a date column
    _, messages = read_both(path)
    assert not used(messages)
    # an ISO 8601 date-time at midnight: python-calamine reads a date-time, fastexcel a
    # date. The same to a date column (read column-wise, same result) …
    path = set_cells(sales_book(tmp_path / "iso.xlsx", [clean_row(i) for i in range(4)]),
                     {"B6": 't="d"><v>2026-10-05T00:00:00</v>'})
    book, messages = read_both(path)
    assert used(messages)
    assert book.frame("Sales")["date"].tolist()[1] == date(2026, 10, 5)
    # … not to a custom column, which keeps what it holds: the sheet is scanned, and read
    # from the grid
    visits = [datetime(2026, 10, 1 + i, 9) for i in range(4)]
    path = sales_book(tmp_path / "iso_custom.xlsx", [clean_row(i) for i in range(4)],
                      extra={"Visit": visits})
    _, messages = read_both(path)
    assert used(messages)
    letter = openpyxl.utils.get_column_letter(
        next(c for c, v in enumerate(_header(path), 1) if v == "Visit"))
    set_cells(path, {f"{letter}6": 't="d"><v>2026-10-05T00:00:00</v>'})
    book, messages = read_both(path)
    assert not used(messages)
    assert book.frame("Sales")["Visit"].tolist()[1] == datetime(2026, 10, 5)
    rows = [clean_row(i) for i in range(4)]
    for r in rows:
        r["note"] = True
    rows[2]["quantity"] = True  # a boolean among numbers
    _, messages = read_both(sales_book(tmp_path / "bools.xlsx", rows))
    assert not used(messages)


def test_reordered_renamed_and_extra_columns_and_tables_turned_into_ranges(tmp_path):
    rows = [clean_row(i) for i in range(10)]
    inputs = [c for c in SALES.columns if c.is_input]
    calcs = [c for c in SALES.columns if not c.is_input]
    reversed_sales = replace(SALES, columns=(*reversed(inputs), *calcs))
    spec = replace(SPEC, sheets=tuple(replace(s, tables=(reversed_sales,)) if s.key == "sales"
                                      else s for s in SPEC.sheets))
    extra = {"渠道": ["online", None, "3", "", "shop", None, "x", "y", "z", "w"],
             "Visits": [1.0, None] * 5}
    path = sales_book(tmp_path / "reordered.xlsx", rows, lang="zh", spec=spec, extra=extra)
    book, messages = read_both(path)
    assert used(messages)
    assert {"渠道", "Visits"} <= set(book.tables["Sales"].custom_columns)
    # a header renamed in the cell and in the table part: a custom column
    with zipfile.ZipFile(path) as zf:
        table_part = read_layout(zf).table("Sales").part
    rewrite_part(path, "xl/sharedStrings.xml", lambda x: x.replace(">备注<", ">跟进备注<"))
    rewrite_part(path, table_part, lambda x: x.replace('name="备注"', 'name="跟进备注"'))
    book, messages = read_both(path)
    assert used(messages)
    assert "跟进备注" in book.tables["Sales"].custom_columns
    # only the cell renamed (the table part not): header and table disagree, grid read
    rewrite_part(path, "xl/sharedStrings.xml", lambda x: x.replace(">跟进备注<", ">Memo<"))
    book, messages = read_both(path)
    assert not used(messages)
    assert "Memo" in book.tables["Sales"].custom_columns
    # converted to a range: located by its header, not by name; read from the grid
    wb = openpyxl.load_workbook(path)
    del wb["销售记录"].tables["Sales"]
    wb.save(path)
    book, _ = read_both(path)
    assert book.tables["Sales"].found_by == "header"


def test_empty_table_and_huge_gap_below(tmp_path):
    path = sales_book(tmp_path / "empty.xlsx", [])
    book, messages = read_both(path)
    assert used(messages) and book.frame("Sales").empty
    path = sales_book(tmp_path / "gap.xlsx", [clean_row(i) for i in range(3)])
    wb = openpyxl.load_workbook(path)
    wb["Sales"]["C900"] = "B"  # a rep typed far below, alone
    wb["Sales"]["AA950"] = "outside the table"
    wb.save(path)
    book, messages = read_both(path)
    assert used(messages)
    assert book.tables["Sales"].rows[-1] == 900


# --- random tables ----------------------------------------------------------------------------

_TEXT = st.sampled_from(["A", "B", "East", "Standard", " padded ", "Ｗｏｎ", "won", "成交",
                         "lost", "1,234", "¥5", "１２", "2026年10月9日", "2026-10-03", "abc",
                         "NA", "null", "nan", "#N/A", "", "C\u3000", "\tx"])
_NUMBER = st.one_of(st.floats(-1e9, 1e9, allow_nan=False).map(lambda v: round(v, 4)),
                    st.integers(0, 10**6).map(float), st.just(0.0), st.just(-0.0))
_DATE = st.dates(date(1950, 1, 1), date(2099, 12, 31))
_DATETIME = st.datetimes(datetime(1950, 1, 1), datetime(2099, 12, 31))
_KINDS = {
    "blank": st.none(),
    "text": st.one_of(st.none(), _TEXT),
    "number": st.one_of(st.none(), _NUMBER),
    "date": st.one_of(st.none(), _DATE),
    "datetime": st.one_of(st.none(), _DATETIME),
    "bool": st.one_of(st.none(), st.booleans()),
    "mixed": st.one_of(st.none(), _TEXT, _NUMBER, _DATE),
}


@st.composite
def sales_tables(draw) -> list[dict[str, object]]:
    keys = [c.key for c in SALES.columns if c.is_input]
    # mostly one kind of value per column, so that most tables are read column-wise
    mixed = draw(st.integers(0, 3)) == 0
    kinds = {k: draw(st.sampled_from(sorted(_KINDS) if mixed else
                                     sorted(set(_KINDS) - {"mixed"}))) for k in keys}
    n = draw(st.integers(0, 25))
    return [{k: draw(_KINDS[kinds[k]]) for k in keys} for _ in range(n)]


@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=sales_tables())
def test_random_tables_read_the_same(tmp_path, rows):
    path = tmp_path / "random.xlsx"
    path.unlink(missing_ok=True)
    _, messages = read_both(sales_book(path, rows))
    _RANDOM_FAST.append(used(messages))


_RANDOM_FAST: list[bool] = []


def test_random_tables_mostly_took_the_fast_path():
    if not _RANDOM_FAST:
        pytest.skip("the random tables did not run")
    assert sum(_RANDOM_FAST) >= len(_RANDOM_FAST) // 2, _RANDOM_FAST


# --- the switch, the threshold and the error scan ----------------------------------------


def test_threshold_and_environment(monkeypatch, sample_books):
    monkeypatch.delenv(fastread.ENV, raising=False)
    assert fastread.min_bytes() == fastread.DEFAULT_MIN_BYTES
    assert (fastread.min_bytes(True), fastread.min_bytes(False), fastread.min_bytes(5)) == (
        0, None, 5)
    for raw, expected in (("off", None), ("never", None), ("always", 0), ("1e6", 1_000_000),
                          ("12345", 12345), ("nonsense", fastread.DEFAULT_MIN_BYTES)):
        monkeypatch.setenv(fastread.ENV, raw)
        assert fastread.min_bytes() == expected, raw
    assert fastread.min_bytes(False) is None  # the parameter wins
    path = sample_books["en"]
    size = zipfile.ZipFile(path).getinfo(sheet_part(path)).file_size
    monkeypatch.delenv(fastread.ENV)
    with fast_log() as messages:
        read_workbook(path, fast_read=size)  # just large enough: Sales only
    assert used(messages) and not any("ListRep" in m for m in messages)
    with fast_log() as messages:
        read_workbook(path, fast_read=size + 1)
    assert messages == []
    monkeypatch.setenv(fastread.ENV, "always")
    with fast_log() as messages:
        read_workbook(path)
    assert used(messages)


def _in_fresh_python(code: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, **(env or {})}, check=True)
    return result.stdout.strip()


def test_small_files_never_import_fastexcel_and_it_may_be_absent(tmp_path):
    path = str(sales_book(tmp_path / "small.xlsx", [clean_row(i) for i in range(200)]))
    code = ("import sys; from pathlib import Path; from xlsales.io.reader import read_workbook;"
            f"read_workbook(Path({path!r})); print('fastexcel' in sys.modules)")
    env = {fastread.ENV: ""}
    assert _in_fresh_python(code, env) == "False"
    assert _in_fresh_python(code, {fastread.ENV: "always"}) == "True"
    # fastexcel missing (as in Pyodide): the grid read, nothing else changes
    absent = ("import sys; sys.modules['fastexcel'] = None; import logging;"
              "logging.basicConfig(level=logging.DEBUG);"
              "from pathlib import Path; from xlsales.io.reader import read_workbook;"
              f"b = read_workbook(Path({path!r}), fast_read=True); print(len(b.frame('Sales')))")
    assert _in_fresh_python(absent) == "200"


def test_error_scan_finds_marks_across_pieces_and_checks_the_crc(tmp_path):
    rng = random.Random(3)
    for n in range(30):
        pad = rng.randbytes(rng.randrange(50_000, 300_000)).hex().encode()
        cell = b'<c r="B7" s="1" t="e"><v>#REF!</v></c>'
        xml = b"<worksheet><sheetData>" + pad + cell + pad[:rng.randrange(2000)] + b"</sheetData>"
        for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
            path = tmp_path / f"s{n}.zip"
            with zipfile.ZipFile(path, "w", method) as zf:
                zf.writestr("s.xml", xml)
            with zipfile.ZipFile(path) as zf:
                assert cells_module.error_cells(zf, "s.xml") == {"B7": "#REF!"}, n
                scan = cells_module.scan_sheet(zf, "s.xml")
                assert not scan.iso_dates
    path = tmp_path / "crc.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("s.xml", b"<w>" + rng.randbytes(200_000).hex().encode() + b"</w>")
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("s.xml")
    raw = bytearray(path.read_bytes())
    central = raw.rindex(b"PK\x01\x02")  # the CRC-32 zipfile checks is the directory's
    raw[central + 16:central + 20] = (info.CRC ^ 1).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf, pytest.raises(zipfile.BadZipFile, match="CRC"):
        cells_module.error_cells(zf, "s.xml")
