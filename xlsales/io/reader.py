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
"""

from __future__ import annotations

import re
import sys
import zipfile
from bisect import bisect_right
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from xlsales.errors import UsageError, WorkbookError
from xlsales.findings import Finding, finding
from xlsales.io import fastread
from xlsales.io.cells import (
    READ_FAILURES,
    CalamineReader,
    CellReader,
    SheetScan,
    error_cells,
    open_cell_reader,
    scan_sheet,
)
from xlsales.io.ooxml import PackageLayout, read_layout
from xlsales.normalise import CONVERSIONS, normalise_column
from xlsales.periods import Period, PeriodType
from xlsales.spec import SPEC, ColumnType, Lang, SheetKind, Table, WorkbookSpec
from xlsales.values import fold, is_blank
from xlsales.workbook_data import WorkbookData

if TYPE_CHECKING:
    import pandas as pd

HEADER_SEARCH_ROWS = 30
_CELL_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?")


@lru_cache(maxsize=1024)
def get_column_letter(col: int) -> str:
    """Column letters of the 1-based column ``col`` (1 → A, 28 → AB), as openpyxl's
    (which this module does not import: openpyxl alone takes 0.07 s to import)."""
    if not 1 <= col <= 18278:
        raise ValueError(f"Invalid column index {col}")
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def range_boundaries(ref: str) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) of an A1 range such as a
    table's ``A4:X100004``; anything else as openpyxl reads it."""
    m = _CELL_RANGE.fullmatch(ref.upper())
    if m is None:
        from openpyxl.utils.cell import range_boundaries as openpyxl_boundaries

        return openpyxl_boundaries(ref)  # type: ignore[return-value]
    c1, r1 = _column_index(m[1]), int(m[2])
    c2, r2 = (_column_index(m[3]), int(m[4])) if m[3] else (c1, r1)
    return c1, r1, c2, r2


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


@dataclass
class ReadTable:
    """One table as read: typed frame plus where each value came from."""

    spec: Table
    sheet: str
    header_row: int  # Excel row number of the header
    columns: dict[str, int]  # field key (or custom header) → 1-based Excel column
    rows: list[int]  # Excel row number of each frame row
    frame: pd.DataFrame
    found_by: str = "name"  # "name" or "header"
    unreadable: dict[str, set[int]] = field(default_factory=dict)  # key → positions

    def readable(self, key: str) -> pd.Series:
        """True where ``key``'s cell was empty or could be read (no finding yet)."""
        import pandas as pd

        mask = pd.Series(True, index=self.frame.index)
        bad = sorted(self.unreadable.get(key, ()))
        if bad:
            mask.iloc[bad] = False
        return mask

    def cell(self, key: str, position: int) -> str:
        """A1 address of ``key``'s cell in the frame row at ``position``."""
        return f"{get_column_letter(self.columns[key])}{self.rows[position]}"

    @property
    def custom_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in self.spec.keys]


@dataclass
class ReadWorkbook:
    """A workbook as read: info, tables, settings and the reading findings."""

    path: Path
    lang: Lang
    layout: PackageLayout
    info: dict[str, object]
    period: Period | None
    tables: dict[str, ReadTable]
    lists: dict[str, list[str]]
    assumptions: dict[str, object]
    findings: list[Finding] = field(default_factory=list)

    def require_period(self, option: bool = True) -> Period:
        """The workbook's period, or an error naming the file and the two cells to fill
        (and, with ``option``, the CLI's ``--period``; buttons have no such option)."""
        if self.period is not None:
            return self.period
        info = SPEC.sheet("info").name
        fields = SPEC.table("Info").form_fields
        kind, start = (f.label for f in fields if f.key in ("period_type", "period_start"))
        zh = (f"{self.path.name} 没有周期：请在“{info.zh}”表填写“{kind.zh}”（月度/季度/年度）和"
              f"“{start.zh}”（如 2026-10-01）")
        en = (f"{self.path.name} has no period: fill in '{kind.en}' (Month/Quarter/Year) and "
              f"'{start.en}' (e.g. 2026-10-01) on the '{info.en}' sheet")
        if not option:
            raise UsageError(zh + "。", en + ".")
        raise UsageError(zh + "，或用 --period 指定（如 --period 2026-10）。",
                         en + ", or give --period (e.g. --period 2026-10).")

    def frame(self, name: str) -> pd.DataFrame:
        """The typed frame of table ``name`` (empty with the spec's columns if absent)."""
        if name in self.tables:
            return self.tables[name].frame
        import pandas as pd

        return pd.DataFrame(columns=SPEC.table(name).keys)

    def to_data(self) -> WorkbookData:
        """The content as :class:`WorkbookData` (e.g. to build a new workbook from it)."""
        skip = {"Info", "Assumptions"}
        return WorkbookData(
            info=dict(self.info),
            tables={n: t.frame for n, t in self.tables.items() if n not in skip},
            lists={k: list(v) for k, v in self.lists.items()},
            assumptions=dict(self.assumptions),
            budget_caps=self.tables["BudgetCaps"].frame if "BudgetCaps" in self.tables else None,
        )




def _columns_of(grid: list[list[object]], first: int, last: int,
                cols: list[int]) -> dict[int, list[object]]:
    """Values of the 1-based columns ``cols`` for Excel rows ``first``..``last``,
    one list per column (transposed in C, not cell by cell)."""
    block = grid[first - 1:last]
    if not block:
        return {c: [] for c in cols}
    width = max(cols)
    if min(map(len, block)) < width:  # openpyxl rows can be ragged; calamine's are not
        block = [r if len(r) >= width else list(r) + [None] * (width - len(r)) for r in block]
    transposed = list(zip(*block, strict=False))  # rows are at least `width` long
    return {c: list(transposed[c - 1]) for c in cols}


def _kept_rows(cells: dict[int, fastread.FastColumn], input_cols: list[int],
               count: int) -> Any:
    """Positions (numpy) of the rows not blank in every input column, as in
    :meth:`_Reader.read_table`; None when every row is kept."""
    import numpy as np

    blank = np.ones(count, dtype=bool)
    for col in input_cols:
        blank &= cells[col].blank()
        if not blank.any():
            return None
    return np.flatnonzero(~blank)


class _Reader:
    def __init__(self, path: Path, spec: WorkbookSpec, engine: str,
                 live: LiveCells | None = None, layout: PackageLayout | None = None,
                 fast_read: bool | int | None = None) -> None:
        self.path, self.spec = path, spec
        # ``live``/``layout``: cells and structure of a workbook open in Excel (no file)
        self.zf = zipfile.ZipFile(path) if live is None else None
        self.layout = layout if layout is not None else read_layout(self.zf)
        self._live = live
        self._grids: dict[str, list[list[object]]] = {}
        self._errors: dict[str, dict[str, str]] = {}
        self.findings: list[Finding] = []
        self.lang_votes = {"zh": 0, "en": 0}
        self._pool = (ThreadPoolExecutor(1) if sys.platform != "emscripten" and live is None
                      else None)
        # large tables located by name are read column-wise (fastexcel) with the values
        # python-calamine would give, in the background: only where calamine is the reader
        self._fast_min = (fastread.min_bytes(fast_read)
                          if self._pool and engine in ("auto", "calamine") else None)
        self._fast: fastread.FastReader | None = None
        self._background: ThreadPoolExecutor | None = None
        self._blocks: dict[str, Future[fastread.Block | None]] = {}  # table name → block
        self._scans: dict[str, Future[SheetScan]] = {}  # sheet → its error cells …
        try:
            self.prefetch(t for s in spec.sheets
                          if s.kind in (SheetKind.INPUT, SheetKind.SETTINGS, SheetKind.PLAN)
                          for t in s.tables)  # first: it runs while calamine opens the file
            self.cells: CellReader = (live if live is not None
                                      else open_cell_reader(path, engine))
        except BaseException:
            self.close()
            raise
        if self._blocks and not isinstance(self.cells, CalamineReader):
            self._blocks.clear()  # openpyxl reads the other sheets: read these alike

    def grid(self, sheet: str) -> list[list[object]]:
        if sheet not in self._grids and self._live is not None:
            self._grids[sheet] = self._live.rows(sheet)
            self._errors[sheet] = self._live.errors(sheet)
        if sheet not in self._grids:
            part = self.layout.sheet(sheet).part
            # the error scan decompresses the sheet XML (zlib releases the GIL): run it
            # beside the cell reader where threads exist (not under Pyodide)
            scanned = self._scans.get(sheet)  # the scan that came with a column-wise read
            pending = (self._pool.submit(error_cells, self.zf, part)
                       if self._pool and scanned is None else None)
            self._grids[sheet] = self.cells.rows(sheet)
            self._errors[sheet] = (scanned.result().errors if scanned is not None
                                   else pending.result() if pending is not None
                                   else error_cells(self.zf, part))
        return self._grids[sheet]

    # --- large tables, read column-wise ------------------------------------------------

    def prefetch(self, tables: Iterable[Table]) -> None:
        """Start reading, in the background, the tables :meth:`read_table` will take
        column-wise (located by name on a sheet whose XML part is at least the fast-read
        size, fastexcel available), each with its sheet's error scan. fastexcel and zlib
        release the GIL, so both run beside the reading of the other tables."""
        if self._fast_min is None or self.zf is None:
            return
        for table in tables:
            info = self.layout.table(table.name)
            if info is None or table.form_fields or info.header_rows != 1:
                continue
            part = self.layout.sheet(info.sheet).part
            size = getattr(self.zf.NameToInfo.get(part), "file_size", -1)
            try:
                c1, r1, c2, _ = range_boundaries(info.ref)
            except ValueError:
                continue  # locate() says what is wrong with it
            if size < self._fast_min or not fastread.available():
                continue
            if self._background is None:
                self._background = ThreadPoolExecutor(2)
                self._fast = fastread.FastReader(self.path)
            assert self._fast is not None
            if info.sheet not in self._scans:
                self._scans[info.sheet] = self._background.submit(scan_sheet, self.zf, part)
            self._blocks[table.name] = self._background.submit(
                self._fast.block, table.name, info.sheet, r1, c1, c2, info.columns)

    def take_block(self, table: Table, sheet: str) -> fastread.Block | None:
        """The block of ``table`` read column-wise (see :mod:`xlsales.io.fastread`), or
        None to read the sheet's grid: not prefetched, or not readable exactly as the
        grid would give it."""
        pending = self._blocks.pop(table.name, None)
        if pending is None:
            return None
        block = pending.result()
        scan = self._scans[sheet].result()  # raises on a damaged part, as the grid would
        self._errors.setdefault(sheet, scan.errors)
        if scan.iso_dates and block is not None:
            # python-calamine reads those as datetimes, fastexcel not always
            fastread.log.debug("fast read of %s not used: ISO 8601 date cells", table.name)
            return None
        return block

    def close(self) -> None:
        if self._pool:
            self._pool.shutdown()
        if self._background:
            self._background.shutdown(cancel_futures=True)  # waits for a running read
        if self.zf is not None:
            self.zf.close()

    # --- locating tables ---------------------------------------------------------------

    def locate(self, table: Table) -> tuple[str, int, int, int, int | None, str] | None:
        """(sheet, header row, first col, last col, last row or None, how) of ``table``."""
        info = self.layout.table(table.name)
        if info is not None:
            c1, r1, c2, r2 = range_boundaries(info.ref)
            return info.sheet, r1, c1, c2, r2, "name"
        index = table.header_index()
        needed = max(2, min(4, len(table.columns)))
        sheet_spec = self.spec.sheet_of(table.name)
        preferred = [n for n in sheet_spec.name.all() if n in [s.name for s in
                                                               self.layout.sheets]]
        # sheets holding another spec table by name are that table's, not this one's
        known = {t.name.lower() for s in self.spec.sheets for t in s.tables} - {
            table.name.lower()}
        taken = {t.sheet for t in self.layout.tables if t.name.lower() in known}
        preferred = [n for n in preferred if n not in taken]
        others = [s.name for s in self.layout.sheets if s.name not in preferred
                  and s.name not in taken]
        for sheet in preferred + others:
            grid = self.grid(sheet)
            for r, row in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
                hits = [i for i, v in enumerate(row, 1) if not is_blank(v) and fold(v) in index]
                keys = {index[fold(row[i - 1])] for i in hits}
                if len(keys) >= needed:
                    c1, c2 = min(hits), max(hits)
                    while c2 < len(row) and not is_blank(row[c2]):
                        c2 += 1  # custom columns to the right of the spec's
                    self.findings.append(finding("table_by_header", sheet=sheet, row=r,
                                                 table=table.name))
                    return sheet, r, c1, c2, None, "header"
        return None

    # --- reading one table -------------------------------------------------------------

    def read_table(self, table: Table) -> ReadTable | None:
        where = self.locate(table)
        if where is None:
            return None
        sheet, header_row, c1, c2, last_row, how = where
        block = self.take_block(table, sheet) if how == "name" else None
        if block is not None:
            header: list[object] = [None] * (c1 - 1) + block.header
            height = block.last_row  # the grid's length: its last row
        else:
            grid = self.grid(sheet)
            header = grid[header_row - 1] if header_row - 1 < len(grid) else []
            height = len(grid)
        index = table.header_index()
        columns: dict[str, int] = {}
        for col in range(c1, c2 + 1):
            text = header[col - 1] if col - 1 < len(header) else None
            if is_blank(text):
                continue
            key = index.get(fold(text))
            if key is not None:
                columns.setdefault(key, col)
                column = table.column(key)
                self.lang_votes["zh" if fold(text) == fold(column.label.zh) else "en"] += (
                    fold(column.label.zh) != fold(column.label.en))
            else:
                columns.setdefault(str(text).strip(), col)
        for c in table.columns:
            if c.is_input and c.key not in columns:
                rule = "missing_column" if c.required else "absent_column"
                self.findings.append(finding(rule, sheet=sheet, row=header_row,
                                             table=table.name, label=c.label.get(self._lang())))
        input_cols = [col for key, col in columns.items()
                      if key not in table.keys or table.column(key).is_input]
        end = last_row if last_row is not None else height
        if last_row is not None and not table.form_fields:
            end = height  # rows typed just below the table belong to it
        first = header_row + 1
        cells: dict[int, list[object] | fastread.FastColumn]
        if block is not None:  # rows header_row + 1 .. height, columns c1..c2
            cells = {col: block.columns[col] for col in columns.values()}
            kept = _kept_rows(cells, input_cols, max(0, end - first + 1))
            if kept is not None:
                cells = {col: values.take(kept) for col, values in cells.items()}
            keep = kept.tolist() if kept is not None else range(max(0, end - first + 1))
        else:
            cells = _columns_of(grid, first, end, list(columns.values()))
            count = max(0, end - first + 1)
            blanks = list(range(count))  # positions blank in every input column so far
            for col in input_cols:
                values = cells[col]
                blanks = [i for i in blanks if values[i] is None or values[i] == ""]
                if not blanks:
                    break
            blank_set = set(blanks)
            keep = [i for i in range(count) if i not in blank_set] if blanks else range(count)
            if blanks:
                cells = {col: [values[i] for i in keep] for col, values in cells.items()}
        rows = (list(range(first, first + len(keep))) if isinstance(keep, range)
                else [first + i for i in keep])
        # rows ascend: those below the table are the last ones
        below = len(rows) - bisect_right(rows, last_row) if last_row is not None else 0
        if below and not table.form_fields:
            self.findings.append(finding("rows_below_table", sheet=sheet, table=table.name,
                                         count=below))
        unreadable: dict[str, set[int]] = {}
        frame = self._typed_frame(table, sheet, columns, rows, cells, unreadable)
        return ReadTable(table, sheet, header_row, columns, rows, frame, how, unreadable)

    def _typed_frame(self, table: Table, sheet: str, columns: dict[str, int], rows: list[int],
                     cells: dict[int, list[object] | fastread.FastColumn],
                     unreadable: dict[str, set[int]]) -> pd.DataFrame:
        data: dict[str, object] = {}
        errors = self._errors.get(sheet, {})
        position = {r: i for i, r in enumerate(rows)} if errors else {}
        lang = self._lang()
        for key, col in columns.items():
            raw = cells[col]
            spec_col = table.column(key) if key in table.keys else None
            letter = get_column_letter(col)
            for ref, error in errors.items():
                r = int(ref[len(letter):]) if ref.startswith(letter) and ref[
                    len(letter):].isdigit() else None
                if r in position and (spec_col is None or spec_col.is_input):
                    unreadable.setdefault(key, set()).add(position[r])
                    self.findings.append(finding(
                        "error_value", sheet=sheet, cell=ref, row=r, column=key, value=error,
                        table=table.name, label=spec_col.label.get(lang) if spec_col else key))
            fast = raw if isinstance(raw, fastread.FastColumn) else None
            if spec_col is None or not spec_col.is_input:
                # custom fields and formula columns are kept as they are
                data[key] = fast.kept() if fast is not None else raw
                continue
            typed = fast.typed(spec_col) if fast is not None else None
            if typed is not None:  # clean: normalising would change and report nothing
                data[key] = typed
                continue
            values, issues = normalise_column(spec_col, fast.values() if fast is not None
                                              else raw)
            for i, code, original in issues:
                if code == "invalid":
                    unreadable.setdefault(key, set()).add(i)
                self.findings.append(self._issue_finding(spec_col, code, original, sheet,
                                                         f"{letter}{rows[i]}", rows[i],
                                                         table.name))
            data[key] = values
        import pandas as pd  # imported while a large table is still being read (see above)

        frame = pd.DataFrame(data, columns=list(columns))
        for c in table.columns:  # every spec column is present, even if the sheet lacks it
            if c.key not in frame.columns:
                frame[c.key] = None
        return frame

    def _issue_finding(self, column, code: str, original: object, sheet: str, cell: str,
                       row: int, table: str) -> Finding:
        label = column.label.get(self._lang())
        common = dict(sheet=sheet, cell=cell, row=row, column=column.key, value=original,
                      table=table, label=label)
        if code != "invalid":
            zh, en = CONVERSIONS[code]
            return finding("converted", detail_zh=zh, detail_en=en, **common)
        t = column.type
        if t in (ColumnType.DATE, ColumnType.MONTH):
            return finding("bad_date", **common)
        if t is ColumnType.CHOICE and column.choices is not None:
            return finding("not_allowed", allowed=" / ".join(column.choices.labels(self._lang())),
                           **common)
        return finding("bad_number", **common)

    def _lang(self) -> Lang:
        return "en" if self.lang_votes["en"] > self.lang_votes["zh"] else "zh"


def read_workbook(path: Path, spec: WorkbookSpec = SPEC, engine: str = "auto",
                  fast_read: bool | int | None = None) -> ReadWorkbook:
    """Read ``path`` per ``spec``; cell problems are findings, an unusable file raises
    :class:`WorkbookError`.

    ``fast_read``: read large tables column-wise with fastexcel (same result, faster):
    True always, False never, an int from that sheet size (uncompressed bytes); None
    follows the ``XLSALES_FAST_READ`` environment variable (see
    :func:`xlsales.io.fastread.min_bytes`)."""
    from xlsales.io.safety import check_workbook_file

    check_workbook_file(path)
    try:
        return _read(path, spec, engine, fast_read)
    except READ_FAILURES as exc:  # damage deep inside a large part, seen only when read
        raise WorkbookError(
            f"{path.name} 已损坏，无法读取（{exc}）。请重新下载或复制该文件，或从备份恢复。",
            f"{path.name} is damaged and cannot be read ({exc}). Download or copy it again, "
            "or restore it from a backup.",
        ) from exc


class LiveCells(CellReader, Protocol):
    """Cells of a workbook open in a spreadsheet program (e.g. read through xlwings)."""

    def errors(self, sheet: str) -> dict[str, str]:
        """Cell reference → error value (``#REF!``…) of the sheet's error cells."""
        ...


def read_live(cells: LiveCells, layout: PackageLayout, path: Path,
              spec: WorkbookSpec = SPEC) -> ReadWorkbook:
    """Read a workbook open in a spreadsheet program exactly as :func:`read_workbook`
    reads a file: ``cells`` gives each sheet's values, ``layout`` its sheets and tables,
    ``path`` names it in messages."""
    reader = _Reader(path, spec, "auto", cells, layout)
    try:
        return _read_with(reader, path, spec)
    finally:
        reader.close()


def _read(path: Path, spec: WorkbookSpec, engine: str,
          fast_read: bool | int | None = None) -> ReadWorkbook:
    reader = _Reader(path, spec, engine, fast_read=fast_read)
    try:
        return _read_with(reader, path, spec)
    finally:
        reader.close()


def _read_with(reader: _Reader, path: Path, spec: WorkbookSpec) -> ReadWorkbook:
    for sheet in reader.layout.sheets:  # sheet names vote for the language
        for s in spec.sheets:
            if sheet.name == s.name.zh and s.name.zh != s.name.en:
                reader.lang_votes["zh"] += 3
            elif sheet.name == s.name.en and s.name.zh != s.name.en:
                reader.lang_votes["en"] += 3
    tables: dict[str, ReadTable] = {}
    missing: list[tuple[str, Table]] = []
    for sheet in spec.sheets:
        if sheet.kind not in (SheetKind.INPUT, SheetKind.SETTINGS, SheetKind.PLAN):
            continue
        for table in sheet.tables:
            read = reader.read_table(table)
            if read is not None:
                tables[table.name] = read
            elif sheet.kind is not SheetKind.PLAN and not table.optional:
                missing.append((sheet.name.get(reader._lang()), table))
    if missing:
        raise _missing_tables_error(path, missing, found=bool(tables))
    lang = reader._lang()
    info = _form_values(tables.pop("Info"))
    assumptions = _form_values(tables.pop("Assumptions"))
    lists = {s.key: [str(v) for v in tables[s.table_name].frame["value"] if not is_blank(v)]
             for s in spec.lists}
    period = _period(info)
    result = ReadWorkbook(path, lang, reader.layout, info, period, tables, lists, assumptions,
                          reader.findings)
    if period is None:
        info_sheet = spec.sheet("info").name.get(lang)
        result.findings.append(finding("period_missing", sheet=info_sheet, table="Info"))
    return result


def _form_values(read: ReadTable) -> dict[str, object]:
    """Field key → typed value of a key/item/value form table."""
    fields = {f.key: f for f in read.spec.form_fields}
    labels = {}
    for f in read.spec.form_fields:
        labels.update({fold(f.label.zh): f.key, fold(f.label.en): f.key})
    out: dict[str, object] = {}
    frame = read.frame.astype(object).where(read.frame.notna(), None)
    for row in frame.to_dict("records"):
        key = row.get("key")
        key = key if key in fields else labels.get(fold(row.get("item")))
        if key is None or fields[key].formula:
            continue
        values, issues = normalise_column(fields[key], [row.get("value")])
        out[key] = None if any(code == "invalid" for _, code, _ in issues) else values[0]
    return out


def _period(info: dict[str, object]) -> Period | None:
    from xlsales.spec.declarations import PERIOD_TYPE

    start, ptype = info.get("period_start"), info.get("period_type")
    key = PERIOD_TYPE.key_of(str(ptype)) if ptype else None
    if not start or key is None or not hasattr(start, "year"):
        return None
    return Period(start.replace(day=1), PeriodType(key))  # type: ignore[union-attr]


def _missing_tables_error(path: Path, missing: list[tuple[str, Table]],
                          found: bool) -> WorkbookError:
    names_zh = "、".join(f"{sheet}（{t.name}）" for sheet, t in missing)
    names_en = ", ".join(f"{sheet} ({t.name})" for sheet, t in missing)
    if not found:
        return WorkbookError(
            f"{path.name} 不是 xlsales 工作簿：找不到任何 xlsales 表格。"
            "请用 xlsales new 新建工作簿，或用 xlsales import 导入 CRM 数据。",
            f"{path.name} is not an xlsales workbook: none of its tables were found. Create one "
            "with `xlsales new`, or bring CRM data in with `xlsales import`.",
        )
    return WorkbookError(
        f"{path.name} 缺少以下表格：{names_zh}。请从新模板（xlsales new）复制这些工作表后再试。",
        f"{path.name} is missing these tables: {names_en}. Copy those sheets from a new template "
        "(`xlsales new`) and try again.",
    )
