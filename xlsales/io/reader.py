"""Read a filled workbook into typed frames per the spec.

Tables are located by their Excel Table names, else by their header labels in
either language (a table converted to a range, a sheet renamed). Columns are
matched by header, so reordered columns read the same; unknown headers are
custom fields and are kept. Blank rows are skipped, rows typed just below a
table are read too. Every repair of what people typed (numbers as text, Chinese
dates, 新/老 …) becomes an info finding; what cannot be read becomes an error
finding. Nothing here raises for bad cell content: only a file that cannot be
used at all raises :class:`~xlsales.errors.WorkbookError`.

Cells come from python-calamine as a grid of Python values. A large table located by
its name (a 100k-row sales sheet) is read column-wise instead, in the background, with
fastexcel where it is installed (:mod:`xlsales.io.fastread`): the same values, the same
findings, in about half the time; whatever it cannot read exactly so, the grid reads.

The reading is split by concern: :mod:`~xlsales.io.reader_session` (one read: the cells,
error cells and background column-wise reads), :mod:`~xlsales.io.reader_locate` (where a
table is), :mod:`~xlsales.io.reader_frames` (a table into a typed frame),
:mod:`~xlsales.io.reader_data` (:class:`ReadTable`, :class:`ReadWorkbook`) and
:mod:`~xlsales.io.reader_a1` (A1 references); :mod:`~xlsales.io.reader_order` makes
the tables in an order that lets the reading thread work while a large table is read.
Importing this module imports neither pandas nor fastexcel: a large sheet starts being
read before they load.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from xlsales.errors import WorkbookError, XlsalesError
from xlsales.io.cells import READ_FAILURES
from xlsales.io.ooxml import PackageLayout
from xlsales.io.reader_a1 import get_column_letter, range_boundaries
from xlsales.io.reader_data import ReadTable, ReadWorkbook
from xlsales.io.reader_form import form_currency, form_period, form_values
from xlsales.io.reader_frames import named_as_in_lists
from xlsales.io.reader_locate import HEADER_SEARCH_ROWS
from xlsales.io.reader_order import read_tables
from xlsales.io.reader_session import LiveCells, ReadSession
from xlsales.io.reader_yearless import yearless_in_period
from xlsales.script_errors import in_book_script, in_named_books_script
from xlsales.spec import SPEC, SheetKind, Table, WorkbookSpec
from xlsales.values import is_blank

__all__ = [
    "HEADER_SEARCH_ROWS",
    "LiveCells",
    "ReadTable",
    "ReadWorkbook",
    "get_column_letter",
    "range_boundaries",
    "read_live",
    "read_workbook",
]


def read_workbook(path: str | Path, spec: WorkbookSpec = SPEC, engine: str = "auto",
                  fast_read: bool | int | None = None,
                  count_formulas: bool = True) -> ReadWorkbook:
    """Read ``path`` per ``spec``; cell problems are findings, an unusable file raises
    :class:`WorkbookError`.

    ``fast_read``: read large tables column-wise with fastexcel (same result, faster):
    True always, False never, an int from that sheet size (uncompressed bytes); None
    follows the ``XLSALES_FAST_READ`` environment variable (see
    :func:`xlsales.io.fastread.min_bytes`). ``count_formulas=False`` leaves out the count
    of calculated cells without formula (no ``missing_formula`` finding): for a reader of
    the values only, such as a roll-up's members, where the count's CPU is not free."""
    from xlsales.io.safety import checked_parts

    path = Path(path)  # a script's str too: messages and roll-up checks use path.name
    try:
        kept = checked_parts(path)  # the parts it read whole: the read takes them from here
    except WorkbookError as error:  # a Traditional book's, its sheet names still listed
        raise in_named_books_script(error, path) from error.__cause__
    try:
        return _read(path, spec, engine, fast_read, count_formulas, kept)
    except READ_FAILURES as exc:  # damage deep inside a large part, seen only when read
        raise in_named_books_script(WorkbookError(
            f"{path.name} 已损坏，无法读取（{exc}）。请重新下载或复制该文件，或从备份恢复。",
            f"{path.name} is damaged and cannot be read ({exc}). Download or copy it again, "
            "or restore it from a backup.",
        ), path) from exc


def read_live(cells: LiveCells, layout: PackageLayout, path: Path,
              spec: WorkbookSpec = SPEC) -> ReadWorkbook:
    """Read a workbook open in a spreadsheet program exactly as :func:`read_workbook`
    reads a file: ``cells`` gives each sheet's values, ``layout`` its sheets and tables,
    ``path`` names it in messages."""
    reader = ReadSession(path, spec, "auto", cells, layout)
    try:
        book = _read_with(reader, path, spec)
        assert book is not None  # read in the spec's order
        return book
    finally:
        reader.close()


def _read(path: Path, spec: WorkbookSpec, engine: str,
          fast_read: bool | int | None = None, count_formulas: bool = True,
          kept: Mapping[str, bytes] | None = None) -> ReadWorkbook:
    reader = ReadSession(path, spec, engine, fast_read=fast_read,
                         count_formulas=count_formulas, kept=kept)
    try:
        book = _read_with(reader, path, spec, reorder=True)
    finally:
        reader.close()
    if book is not None:
        return book
    # the order of the reads would have changed the result (reader_order): in order
    reader = ReadSession(path, spec, engine, fast_read=fast_read,
                         count_formulas=count_formulas, kept=kept)
    try:
        book = _read_with(reader, path, spec, reorder=False)
        assert book is not None  # read in the spec's order
        return book
    finally:
        reader.close()


def _read_with(reader: ReadSession, path: Path, spec: WorkbookSpec,
               reorder: bool = False) -> ReadWorkbook | None:
    try:
        return _read_book(reader, path, spec, reorder)
    except XlsalesError as error:  # a Traditional book's: in Traditional
        in_book_script(error, reader.script,
                       [path, path.name, *(s.name for s in reader.layout.sheets)])
        raise


def _read_book(reader: ReadSession, path: Path, spec: WorkbookSpec,
               reorder: bool = False) -> ReadWorkbook | None:
    for sheet in reader.layout.sheets:  # sheet names vote for the language
        for s in spec.sheets:
            if sheet.name == s.name.zh and s.name.zh != s.name.en:
                reader.lang_votes["zh"] += 3
            elif sheet.name == s.name.en and s.name.zh != s.name.en:
                reader.lang_votes["en"] += 3
    tables: dict[str, ReadTable] = {}
    missing: list[tuple[str, Table]] = []
    jobs = [(sheet, table) for sheet in spec.sheets
            if sheet.kind in (SheetKind.INPUT, SheetKind.SETTINGS, SheetKind.PLAN)
            for table in sheet.tables]
    made = read_tables(reader, jobs, reorder)
    if made is None:
        return None
    for (sheet, table), read, lang in made:
        if read is not None:
            tables[table.name] = read
            read.error_cells = reader.cell_errors(read.sheet)
        elif sheet.kind is not SheetKind.PLAN and not table.optional:
            missing.append((sheet.name.get(lang), table))
    if missing:
        raise _missing_tables_error(path, missing, found=bool(tables))
    lang = reader.lang()
    info_table = tables.pop("Info")
    info = form_values(info_table, lang, reader.findings)
    assumptions = form_values(tables.pop("Assumptions"), lang, reader.findings).values
    lists = {s.key: [str(v) for v in tables[s.table_name].frame["value"] if not is_blank(v)]
             for s in spec.lists}
    named_as_in_lists(tables, lists, lang, reader.findings)
    period = form_period(info, info_table.sheet, reader.findings)
    if period is not None:  # 11月4日: the hint writes it in the period's year
        yearless_in_period(reader.findings, period.start.year, spec, lang)
    form_currency(info, info_table.sheet, reader.findings)
    # a Chinese book whose sheets were renamed in Traditional gets xlsales' text so
    script = reader.script if lang == "zh" else None
    return ReadWorkbook(path, lang, reader.layout, info.values, period, tables, lists,
                        assumptions, reader.findings, info.cells, script)


def _missing_tables_error(path: Path, missing: list[tuple[str, Table]],
                          found: bool) -> WorkbookError:
    names_zh = "、".join(f"{sheet}（{t.name}）" for sheet, t in missing)
    names_en = ", ".join(f"{sheet} ({t.name})" for sheet, t in missing)
    if not found:
        return WorkbookError(
            f"{path.name} 不是 xlsales 工作簿：找不到任何 xlsales 表格。"
            "请用 xlsales new 新建工作簿（其中的数据可用 xlsales import 导入新工作簿）。",
            f"{path.name} is not an xlsales workbook: none of its tables were found. Create one "
            "with `xlsales new` (data in this file can then be brought into it with `xlsales "
            f"import {path.name} --into NEW.xlsx`).",
        )
    return WorkbookError(
        f"{path.name} 缺少以下表格：{names_zh}。请从新模板（xlsales new）复制这些工作表后再试。",
        f"{path.name} is missing these tables: {names_en}. Copy those sheets from a new template "
        "(`xlsales new`) and try again.",
    )
