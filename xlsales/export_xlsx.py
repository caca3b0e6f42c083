"""The xlsx export: one sheet, a bold frozen header with a filter, and the rows.

XlsxWriter writes the frame of the sheet (header, column widths, frozen pane, filter);
the rows are rendered here with the cell writer every sheet xlsales writes uses
(:func:`~xlsales.io.cellxml.cell_xml`: text always text, never a formula or a link;
booleans as booleans; numbers as numbers), each distinct value of a column once, a chunk
of rows at a time, and streamed into the package. Writing 11 million cells one call
each through XlsxWriter took most of a 400,000-row export's time."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlsales.errors import UsageError
from xlsales.export_cells import FORMULA_PREFIXES, chunks, clean_frame, python_values
from xlsales.io.cellxml import MAX_ROWS, cell_xml, col_letter
from xlsales.io.rowgrid import RowGrid
from xlsales.text_width import display_width

#: Rows rendered at a time: each costs about 7 KB while rendered (its Python values,
#: their cells' XML, the grid joined into the row).
ROWS_PER_CHUNK = 5_000
#: The sheet's part in the package XlsxWriter writes.
SHEET_PART = "xl/worksheets/sheet1.xml"
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
_START = '<c r="@'  # a cell's XML up to its reference, rendered with "@" in its place


def _tail(value: object, styles: dict[str, str]) -> bytes:
    """A cell's XML after its reference (``"><v>2</v></c>``); empty for no cell. A date
    is its serial number in the date style ``styles`` gives its role (``' s="1"'``);
    text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is kept as
    typed, in the style of role ``quoted`` (Excel's quote prefix: shown and kept as text
    when edited), not with an apostrophe added to it as in CSV."""
    quoted = isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
    xml = cell_xml("@", value, lambda role: styles.get(
        "quoted" if quoted and role == "text" else role, ""), compact=True)
    return xml[len(_START):].encode("utf-8") if xml else b""


def _column_tails(values: pd.Series, styles: dict[str, str]) -> np.ndarray:
    """Each cell's tail (:func:`_tail`) of a column, each distinct value rendered once
    (values of different types apart: ``1``, ``1.0`` and ``True`` are three cells)."""
    if values.dtype.kind == "f" or str(values.dtype).startswith("str"):
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        rendered = [_tail(v, styles) for v in python_values(pd.Series(distinct))]
        return np.array([*rendered, b""], dtype=object)[codes]
    cache: dict[tuple[type, object], bytes] = {}
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(python_values(values)):
        key = (type(value), value)
        tail = cache.get(key)
        if tail is None:
            tail = cache[key] = _tail(value, styles)
        out[i] = tail
    return out


def _date_columns(frame: pd.DataFrame) -> list[int]:
    """Positions of the columns holding dates (a date column of a reader's frame holds
    ``date`` objects; a parsed one is ``datetime64``)."""
    out = []
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j]
        if values.dtype.kind == "M" or (values.dtype == object and values.map(
                lambda v: isinstance(v, date)).any()):
            out.append(j)
    return out


def _rows(frame: pd.DataFrame, first_row: int, styles: dict[str, str]) -> Iterator[bytes]:
    """The ``<row>`` elements of ``frame`` from sheet row ``first_row`` on, as UTF-8, a
    chunk of rows at a time; ``styles`` gives a date cell's style by its role."""
    row = first_row
    letters = [col_letter(j + 1) for j in range(frame.shape[1])]
    for chunk in chunks(frame, ROWS_PER_CHUNK):
        clean = clean_frame(chunk, dates_as_text=False, neutralise=False)
        if not len(clean):
            continue
        grid = RowGrid(row, len(clean))
        for j, letter in enumerate(letters):
            tails = _column_tails(clean.iloc[:, j], styles)
            grid.cells(letter, tails, blank=tails == b"")
        yield from grid.rows()
        row += len(clean)


#: What an xlsx export says it is, in its core properties (keywords): a folder being
#: exported may hold an earlier export's files, which are tables, not workbooks.
EXPORT_MARK = "xlsales export"
_KEYWORDS = re.compile(rb"<cp:keywords>([^<]*)</cp:keywords>")
#: How the CSV export starts (the byte-order mark, the first columns of every table).
_CSV_START = "\ufeffsource_file,report_owner,".encode()


def is_export_output(path: Path) -> bool:
    """Whether ``path`` is a table ``xlsales export`` wrote: an xlsx marked
    :data:`EXPORT_MARK`, a CSV starting with the export's columns (False when it cannot
    be read: the reader then says why)."""
    try:
        if path.suffix.lower() == ".csv":
            with open(path, "rb") as f:
                return f.read(len(_CSV_START)) == _CSV_START
        with zipfile.ZipFile(path) as zf:
            found = _KEYWORDS.search(zf.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return found is not None and found[1].decode("utf-8", "replace") == EXPORT_MARK


def creation_time(books: Sequence[Path]) -> datetime:
    """The time an xlsx export says it was created (UTC): ``SOURCE_DATE_EPOCH`` when set,
    else the latest modification time of ``books`` — so that exporting unchanged books
    again gives the same bytes, as CSV and parquet do. A ``SOURCE_DATE_EPOCH`` that is
    not a number of seconds is a :class:`UsageError`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            seconds = float(int(epoch))
        except ValueError:
            raise UsageError(
                f"环境变量 SOURCE_DATE_EPOCH 应为自 1970-01-01 起的秒数，而它是 {epoch!r}。",
                f"The environment variable SOURCE_DATE_EPOCH must be a number of seconds "
                f"since 1970-01-01; it is {epoch!r}.") from None
    else:
        seconds = max((b.stat().st_mtime for b in books), default=0.0)
    return datetime.fromtimestamp(int(seconds), timezone.utc).replace(tzinfo=None)


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str,
               created: datetime | None = None,
               meanings: Sequence[Sequence[str]] = ()) -> None:
    """``frame`` as one sheet (dates as Excel dates shown ``yyyy-mm-dd``, formula-like
    text as typed with Excel's quote prefix): a bold frozen header with a filter and the
    rows below, converted and written a chunk of rows at a time, so memory does not grow
    with the rows. Text stays text, never a formula or a link. With ``meanings`` (each
    column's key, type, meaning, 含义: :func:`~xlsales.export_docs.meaning_rows`), a
    second sheet, :data:`COLUMNS_SHEET`, lists them. The file says it was
    created at ``created`` (UTC; default the Unix epoch), nothing else in it depends on
    when it is written: the same frame gives the same bytes. More rows than an Excel
    sheet holds is a :class:`UsageError`."""
    import xlsxwriter

    if len(frame) + 1 > MAX_ROWS:
        raise UsageError(
            f"{sheet} 有 {len(frame):,} 行，超过 Excel 工作表的 {MAX_ROWS - 1:,} 行上限："
            "请改用 --format csv 或 parquet。",
            f"{sheet} has {len(frame):,} rows, more than the {MAX_ROWS - 1:,} an Excel sheet "
            "holds: use --format csv or parquet.")
    header = [str(c) for c in frame.columns]
    with tempfile.TemporaryDirectory() as tmp:
        skeleton = Path(tmp) / "skeleton.xlsx"
        book = xlsxwriter.Workbook(str(skeleton), {"constant_memory": True,
                                                   "strings_to_formulas": False,
                                                   "strings_to_urls": False,
                                                   "strings_to_numbers": False})
        book.set_properties({"created": created or datetime(1970, 1, 1),
                             "keywords": EXPORT_MARK})  # not read back as a workbook
        try:
            ws = book.add_worksheet(sheet)
            ws.freeze_panes(1, 0)
            day = book.add_format({"num_format": "yyyy-mm-dd"})
            moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
            dated = _date_columns(frame)
            for j, name in enumerate(header):
                ws.set_column(j, j, min(40, max(11, len(name) + 2)),
                              day if j in dated else None)
            ws.set_column(len(header) + 1, len(header) + 1, None, moment)  # registers it
            quoted = book.add_format({"quote_prefix": True})
            ws.set_column(len(header) + 2, len(header) + 2, None, quoted)  # and this one
            ws.write_row(0, 0, header, book.add_format({"bold": True}))
            if header:
                ws.autofilter(0, 0, len(frame), len(header) - 1)
            if meanings:
                _meanings_sheet(book, meanings)
        finally:
            book.close()
        styles = {"date": f' s="{day.xf_index}"', "midnight": f' s="{day.xf_index}"',
                  "datetime": f' s="{moment.xf_index}"', "quoted": f' s="{quoted.xf_index}"'}
        _with_rows(skeleton, path, frame, len(header), styles)


#: The sheet of an xlsx export saying what each column of its table holds.
COLUMNS_SHEET = "columns"
#: Its header, and each column's width.
COLUMNS_HEADER = (("column", 24), ("type", 10), ("meaning", 80), ("含义", 60))


def _meanings_sheet(book: Any, meanings: Sequence[Sequence[str]]) -> None:
    """The :data:`COLUMNS_SHEET` of ``book`` (an XlsxWriter workbook): a bold frozen
    header, then each column's key, type, meaning and 含义, wrapped to be read whole."""
    ws = book.add_worksheet(COLUMNS_SHEET)
    ws.freeze_panes(1, 0)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for j, (_, width) in enumerate(COLUMNS_HEADER):
        ws.set_column(j, j, width, wrap)
    ws.write_row(0, 0, [h for h, _ in COLUMNS_HEADER], book.add_format({"bold": True}))
    for i, row in enumerate(meanings, 1):
        # a spreadsheet does not fit a row's height to wrapped text it did not write
        lines = max(-(-_text_width(text) // int(width * 0.9)) for text, (_, width)
                    in zip(row, COLUMNS_HEADER, strict=True))
        ws.set_row(i, 15 * max(lines, 1))
        for j, text in enumerate(row):
            ws.write_string(i, j, text, wrap)


def _text_width(text: str) -> int:
    """How many character widths ``text`` takes in a cell: a Chinese character two."""
    return display_width(text) + 2


def _with_rows(skeleton: Path, path: Path, frame: pd.DataFrame, columns: int,
               styles: dict[str, str]) -> None:
    """``skeleton`` copied to ``path`` with ``frame``'s rows after its header row."""
    last = f"A1:{col_letter(max(columns, 1))}{len(frame) + 1}"
    with zipfile.ZipFile(skeleton) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != SHEET_PART:
                out.writestr(info, data)
                continue
            xml = data.decode("utf-8").replace("<sheetData/>", "<sheetData></sheetData>", 1)
            head, tail = xml.split("</sheetData>", 1)  # (no header: an empty element)
            head = _DIMENSION.sub(f'<dimension ref="{last}"/>', head, count=1)
            part = zipfile.ZipInfo(info.filename, info.date_time)
            part.compress_type = zipfile.ZIP_DEFLATED
            with out.open(part, "w", force_zip64=len(frame) * columns > 5_000_000) as sink:
                sink.write(head.encode("utf-8"))
                for rows in _rows(frame, 2, styles):
                    sink.write(rows)
                sink.write(("</sheetData>" + tail).encode("utf-8"))
