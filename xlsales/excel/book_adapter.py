"""An open ``xlwings.Book`` as the library reads a file: one bulk read per sheet.

Reading costs one call per sheet (its values from A1 to the used range's last cell) plus
the sheet and table names, whatever the rows; :mod:`xlsales.excel.book_writer` writes the
results back in blocks. The same code runs on desktop Excel (``RunPython``: COM or
AppleScript, one round trip per call) and on xlwings' remote engine (xlwings Lite,
xlwings Server), whose payload carries the values and the tables' ranges.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.io.cellxml import col_letter
from xlsales.io.ooxml import PackageLayout, SheetInfo, TableInfo
from xlsales.io.reader import ReadWorkbook, read_live
from xlsales.spec import SPEC, Lang, WorkbookSpec

if TYPE_CHECKING:
    import xlwings as xw

#: What Excel shows for a formula error; read with ``err_to_str`` they arrive as text.
ERROR_VALUES = frozenset({
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#GETTING_DATA",
})


# --- reading ---------------------------------------------------------------------------


class XlwingsCells:
    """The reader's cell source over an open workbook: one bulk read per sheet. Error
    values (``#REF!``…) become empty cells and are reported by :meth:`errors`, as the file
    readers do."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book
        self._errors: dict[str, dict[str, str]] = {}

    def rows(self, sheet: str) -> list[list[object]]:
        """The sheet's values from A1 to its last used cell, read in one call."""
        sh = self.book.sheets[sheet]
        last = sh.used_range.last_cell
        values = sh.range((1, 1), (last.row, last.column)).options(
            ndim=2, err_to_str=True).value
        grid = [list(row) for row in values]
        errors: dict[str, str] = {}
        for r, row in enumerate(grid, 1):
            for c, v in enumerate(row):
                if type(v) is str and v[:1] == "#" and v in ERROR_VALUES:
                    errors[f"{col_letter(c + 1)}{r}"] = v
                    row[c] = None
        self._errors[sheet] = errors
        return grid

    def errors(self, sheet: str) -> dict[str, str]:
        """Cell reference → error value of the sheet's error cells (after :meth:`rows`)."""
        return self._errors.get(sheet, {})


def layout_of(book: xw.Book) -> PackageLayout:
    """The sheets and Excel Tables of ``book`` (names and ranges only, no cell values)."""
    sheets, tables = [], []
    for i, sheet in enumerate(book.sheets):
        sheets.append(SheetInfo(sheet.name, i, "", "", i + 1))
        for table in sheet.tables:
            rng = table.range
            if rng is not None:
                ref = rng.address.replace("$", "")
                tables.append(TableInfo(table.name, table.name, sheet.name, ref, (), "",
                                        totals_rows=1 if table.show_totals else 0))
    return PackageLayout("", tuple(sheets), tuple(tables), {})


def book_path(book: xw.Book) -> Path:
    """The workbook's full path (just its name when it was never saved, or in the browser)."""
    return Path(book.fullname)


def read_book(book: xw.Book, spec: WorkbookSpec = SPEC) -> tuple[ReadWorkbook, XlwingsCells]:
    """``book`` read as :func:`~xlsales.io.reader.read_workbook` reads a file (per
    ``spec``), and the cell source it was read through (its sheets are not read twice)."""
    cells = XlwingsCells(book)
    return read_live(cells, layout_of(book), book_path(book), spec), cells


def book_lang(book: xw.Book) -> Lang:
    """The workbook's language from its sheet names (the CLI's first vote), default zh."""
    names = {s.name for s in book.sheets}
    votes = {"zh": 0, "en": 0}
    for sheet in SPEC.sheets:
        if sheet.name.zh != sheet.name.en:
            votes["zh"] += sheet.name.zh in names
            votes["en"] += sheet.name.en in names
    return "en" if votes["en"] > votes["zh"] else "zh"


# --- talking to the user ---------------------------------------------------------------


def show_status(book: xw.Book, text: str | None) -> None:
    """Progress on Excel's status bar (``None`` hands it back to Excel); skipped where the
    engine has no status bar (xlwings Lite)."""
    with suppress(Exception):
        book.app.status_bar = text if text is not None else False


def alert(book: xw.Book, text: str, title: str, error: bool = False) -> bool:
    """A message box; False when the engine cannot show one."""
    try:
        book.app.alert(text, title=title, mode="critical" if error else "info")
    except Exception:
        return False
    return True
