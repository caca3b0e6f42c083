"""One read of a workbook: the cells of its sheets (python-calamine or openpyxl, or a
workbook open in a spreadsheet program), each sheet's error cells, the large tables read
column-wise in the background (:mod:`xlsales.io.fastread`), whether the calculated cells of
its tables hold their formulas (counted in the same pass as the error cells or the CRC-32
check: :mod:`xlsales.io.formulacells`), and what the read has found so far (findings, the
votes for the workbook's language)."""

from __future__ import annotations

import functools
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

from xlsales.findings import Finding
from xlsales.io import fastread
from xlsales.io.cells import (
    CalamineReader,
    CellReader,
    Observer,
    SheetScan,
    open_cell_reader,
    scan_sheet,
    verify_part,
)
from xlsales.io.formulacells import CalcRange, FormulaTally
from xlsales.io.keptzip import KeptZip
from xlsales.io.mergecells import Merge, MergeTail, merged_ranges
from xlsales.io.ooxml import PackageLayout, read_layout
from xlsales.io.reader_a1 import range_boundaries
from xlsales.script_variant import Script, book_script
from xlsales.spec import Lang, SheetKind, Table, WorkbookSpec
from xlsales.spec.model import ColumnType
from xlsales.spec.traditional import name_key

_Scanned = TypeVar("_Scanned")

#: Smallest sheet part (uncompressed bytes) whose error scan runs in a thread beside the
#: cell reader: a smaller one is scanned in well under a millisecond, less than starting
#: and handing over to a thread costs (and, in a roll-up's worker processes, threads only
#: compete with the other workers for the cores).
SCAN_THREAD_MIN_BYTES = 1 << 20


class LiveCells(CellReader, Protocol):
    """Cells of a workbook open in a spreadsheet program (e.g. read through xlwings)."""

    def errors(self, sheet: str) -> dict[str, str]:
        """Cell reference → error value (``#REF!``…) of the sheet's error cells."""
        ...


class ReadSession:
    """The state of one read of ``path`` per ``spec``; :meth:`close` it when done."""

    def __init__(self, path: Path, spec: WorkbookSpec, engine: str,
                 live: LiveCells | None = None, layout: PackageLayout | None = None,
                 fast_read: bool | int | None = None, count_formulas: bool = True,
                 kept: Mapping[str, bytes] | None = None) -> None:
        self.path, self.spec = path, spec
        #: count the formula cells of calculated columns (:meth:`formulas_complete`)
        self._count_formulas = count_formulas
        # ``live``/``layout``: cells and structure of a workbook open in Excel (no file)
        # ``kept``: parts the safety check read whole (xlsales.io.safety.checked_parts)
        self.zf = (None if live is not None else KeptZip(path, kept) if kept
                   else zipfile.ZipFile(path))
        self.layout = layout if layout is not None else read_layout(self.zf)
        self._live = live
        self._grids: dict[str, list[list[object]]] = {}
        self._errors: dict[str, dict[str, str]] = {}
        self.findings: list[Finding] = []
        self.lang_votes = {"zh": 0, "en": 0}
        #: sheet → the runs of header cells among its first rows, with their name keys
        #: (:func:`~xlsales.io.reader_locate._header_blocks`)
        self.header_blocks: dict[str, list[tuple[int, int, int, list[str]]]] = {}
        # threads exist (not under Pyodide); the pool for the error scans of large sheets
        # starts with the first of them (:meth:`grid`)
        self._threads = sys.platform != "emscripten" and live is None
        self._pool: ThreadPoolExecutor | None = None
        # large tables located by name are read column-wise (fastexcel) with the values
        # python-calamine would give, in the background: only where calamine is the reader
        self._fast_min = (fastread.min_bytes(fast_read)
                          if self._threads and engine in ("auto", "calamine") else None)
        self._fast: fastread.FastReader | None = None
        self._background: ThreadPoolExecutor | None = None
        self._blocks: dict[str, Future[fastread.Block | None]] = {}  # table name → block
        self._scans: dict[str, Future[SheetScan]] = {}  # sheet → its error cells …
        self._checks: dict[str, Future[None]] = {}  # sheet → its part's CRC-32 checked
        self._scan_parts: dict[str, str] = {}  # sheet → its part, scanned when first needed
        self._tallies: dict[str, FormulaTally] = {}  # table → its formula cells, counted
        # sheet → its merged ranges, read from the end of the pass that inflated it (None:
        # that end could not tell, :meth:`merges` streams the part again)
        self._merges: dict[str, list[Merge] | None] = {}
        self._check_lock = threading.Lock()  # _check_of is called from two threads
        # sheet → the CRC-32 check of a block taken before it finished: waited for once
        # the table's frame is made (:meth:`_settle`), which it runs beside
        self._unsettled: dict[str, Future[None]] = {}
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
        """The values of ``sheet``, a list per row (read once, with its error cells)."""
        if sheet not in self._grids and self._live is not None:
            self._grids[sheet] = self._live.rows(sheet)
            self._errors[sheet] = self._live.errors(sheet)
        if sheet not in self._grids:
            part = self.layout.sheet(sheet).part
            # the error scan decompresses the sheet XML (zlib releases the GIL): run it
            # beside the cell reader where threads exist (not under Pyodide) and the
            # sheet is large enough for that to pay
            scanned = self._scan_of(sheet)  # the scan that came with a column-wise read
            scan = self._observed(sheet, scan_sheet)
            pool = self._scan_pool(part) if scanned is None else None
            pending = pool.submit(scan, self.zf, part) if pool is not None else None
            self._grids[sheet] = self.cells.rows(sheet)
            self._errors[sheet] = (scanned.result().errors if scanned is not None
                                   else pending.result().errors if pending is not None
                                   else scan(self.zf, part).errors)
        return self._grids[sheet]

    def _scan_pool(self, part: str) -> ThreadPoolExecutor | None:
        """The thread to scan ``part`` in beside the cell reader (started on first use);
        None to scan it in this thread: no threads here, or a small part
        (:data:`SCAN_THREAD_MIN_BYTES`)."""
        info = self.zf.NameToInfo.get(part) if self.zf is not None else None
        if not self._threads or info is None or info.file_size < SCAN_THREAD_MIN_BYTES:
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1)
        return self._pool

    def cell_errors(self, sheet: str) -> dict[str, str]:
        """Cell reference → error value of ``sheet``'s error cells, once it was read
        (by :meth:`grid` or :meth:`take_block`); empty before."""
        return self._errors.get(sheet, {})

    def formulas_complete(self, table: str) -> bool | None:
        """Whether every calculated cell of ``table`` (an Excel Table of the spec with
        calculated columns) holds a formula, as counted when its sheet was read
        (:class:`~xlsales.io.formulacells.FormulaTally`; False also when the count could
        not tell); None when not counted (another table, a workbook open in a
        spreadsheet program)."""
        info = self.layout.table(table)
        if info is not None:
            self._settle(info.sheet)
        tally = self._tallies.get(table)
        return None if tally is None else tally.complete

    def _settle(self, sheet: str) -> None:
        """Wait for the CRC-32 check of ``sheet``'s block (:meth:`take_block`), if one is
        still pending: raises on a damaged part."""
        pending = self._unsettled.pop(sheet, None)
        if pending is not None:
            pending.result()

    def _calc_ranges(self, sheet: str) -> dict[str, CalcRange]:
        """Table name → where the calculated cells are, of the spec's tables with
        calculated columns that are Excel Tables on ``sheet`` (none when this read does
        not count formulas)."""
        found: dict[str, CalcRange] = {}
        if not self._count_formulas:
            return found
        for spec_sheet in self.spec.sheets:
            for table in spec_sheet.tables:
                calc = _calculated(table)
                info = self.layout.table(table.name) if calc and not table.form_fields else None
                if info is None or info.sheet != sheet:
                    continue
                try:
                    c1, r1, _, _ = range_boundaries(info.ref)
                except ValueError:
                    continue
                index = table.header_index()
                columns = tuple(c1 + i for i, name in enumerate(info.columns)
                                if index.get(name_key(name)) in calc)
                if columns:
                    found[table.name] = CalcRange(columns, r1 + info.header_rows,
                                                  info.data_end())
        return found

    def merges(self, sheet: str) -> list[Merge]:
        """The merged ranges of ``sheet`` (:mod:`xlsales.io.mergecells`), once it was
        read (by :meth:`grid` or :meth:`take_block`); empty before, and for a workbook open
        in a spreadsheet program."""
        self._settle(sheet)
        if sheet not in self._merges:
            return []
        merges = self._merges[sheet]
        if merges is None and self.zf is not None:  # rare: much after the rows
            merges = self._merges[sheet] = merged_ranges(
                self.zf, self.layout.sheet(sheet).part)
        return merges or []

    def _observed(self, sheet: str, scan: Callable[[zipfile.ZipFile, str, Observer | None],
                                                   _Scanned]
                  ) -> Callable[[zipfile.ZipFile, str], _Scanned]:
        """``scan`` (:func:`~xlsales.io.cells.scan_sheet` or
        :func:`~xlsales.io.cells.verify_part`) of ``sheet``'s part that also reads its
        merged ranges from the last pieces (:class:`~xlsales.io.mergecells.MergeTail`) and
        counts the formula cells of the calculated columns of the tables on it: the count
        costs a search over the text the scan inflates anyway. The first scan to finish
        gives :meth:`merges` and :meth:`formulas_complete` their answers (a table counted
        already is not counted again)."""
        ranges = {name: calc for name, calc in self._calc_ranges(sheet).items()
                  if name not in self._tallies}
        tallies = {name: FormulaTally(calc) for name, calc in ranges.items()}

        def run(zf: zipfile.ZipFile, part: str) -> _Scanned:
            tail = MergeTail()
            feeds = [*(t.feed for t in tallies.values()), tail.feed]

            def observe(chunk: bytes) -> None:
                for feed in feeds:
                    feed(chunk)

            result = scan(zf, part, feeds[0] if len(feeds) == 1 else observe)
            for name, tally in tallies.items():
                tally.finish()
                self._tallies.setdefault(name, tally)
            self._merges.setdefault(sheet, tail.ranges())
            return result

        return run

    @functools.cached_property
    def script(self) -> Script | None:
        """The script the book's sheet names are written in (None: as the spec names
        them; ``s2tw``/``s2twp``: converted to Traditional, :func:`book_script`)."""
        return book_script([s.name for s in self.layout.sheets])

    def lang(self) -> Lang:
        """The workbook's language as the votes so far have it (Chinese on a tie)."""
        return "en" if self.lang_votes["en"] > self.lang_votes["zh"] else "zh"

    # --- large tables, read column-wise ------------------------------------------------

    def prefetch(self, tables: Iterable[Table]) -> None:
        """Start reading, in the background, the tables
        :func:`~xlsales.io.reader_frames.read_table` will take
        column-wise (located by name on a sheet whose XML part is at least the fast-read
        size, fastexcel available); each sheet's error scan follows when the block is
        taken (:meth:`_scan_of`). fastexcel and zlib release the GIL, so both run beside
        the main thread."""
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
                continue  # locate_table() says what is wrong with it
            if size < self._fast_min or not fastread.available():
                continue
            if self._background is None:
                self._background = ThreadPoolExecutor(2)
                self._fast = fastread.FastReader(self.path)
            assert self._fast is not None
            self._scan_parts[info.sheet] = part
            block = self._background.submit(
                self._fast.block, table.name, info.sheet, r1, c1, c2, info.columns)
            block.add_done_callback(lambda _, sheet=info.sheet: self._check_early(sheet))
            self._blocks[table.name] = block

    def _scan_of(self, sheet: str) -> Future[SheetScan] | None:
        """The scan of a sheet read column-wise, started when first needed: when the
        grid of that sheet is read after all, or when the block holds date-times outside
        date columns (:func:`_needs_iso_scan`). It inflates the whole sheet XML a second
        time (fastexcel names the error cells of the block itself)."""
        if sheet not in self._scans and sheet in self._scan_parts:
            assert self._background is not None
            self._scans[sheet] = self._background.submit(
                self._observed(sheet, scan_sheet), self.zf, self._scan_parts[sheet])
        return self._scans.get(sheet)

    def _check_of(self, sheet: str) -> Future[None]:
        """The CRC-32 check of a sheet read column-wise (fastexcel does not check it),
        started when first needed: once the main thread waits for the block, it runs
        beside fastexcel alone (started with the read, it would compete with fastexcel
        and the pandas import for two cores); or once the block is read, if that comes
        first (a sheet of some 10k rows, read before the main thread waits for it: the
        check, with its count of formula cells, then runs beside the main thread
        instead of after it)."""
        with self._check_lock:
            if sheet not in self._checks:
                assert self._background is not None
                self._checks[sheet] = self._background.submit(
                    self._observed(sheet, verify_part), self.zf, self._scan_parts[sheet])
            return self._checks[sheet]

    def _check_early(self, sheet: str) -> None:
        """:meth:`_check_of` ``sheet`` as its block is read (not once the read is over)."""
        try:
            self._check_of(sheet)
        except RuntimeError:  # the session was closed meanwhile: nothing left to check
            pass

    def reading(self, table: str) -> bool:
        """Whether ``table`` is being read column-wise in the background (not taken yet:
        :meth:`take_block`)."""
        return table in self._blocks

    def take_block(self, table: Table, sheet: str) -> fastread.Block | None:
        """The block of ``table`` read column-wise (see :mod:`xlsales.io.fastread`), or
        None to read the sheet's grid: not prefetched, or not readable exactly as the
        grid would give it."""
        pending = self._blocks.pop(table.name, None)
        if pending is None:
            return None
        checking = self._check_of(sheet)  # beside the rest of the read, from now on
        block = pending.result()
        if block is None:
            return None  # the grid's read checks the part
        # the check (with its count of formula cells) goes on while the frame is made:
        # waited for before the table's merged ranges and formula count are asked for,
        # so a damaged part still raises in the table's read, as the grid's would
        self._unsettled[sheet] = checking
        if _needs_iso_scan(block, table):
            self._settle(sheet)
            scan = self._scan_of(sheet)
            assert scan is not None
            if scan.result().iso_dates:  # raises on a damaged part, as the grid would
                # python-calamine reads a midnight one as a date-time, fastexcel as a date
                fastread.log.debug("fast read of %s not used: ISO 8601 date cells",
                                   table.name)
                return None
        self._errors.setdefault(sheet, block.errors)
        return block

    def close(self) -> None:
        """Stop the background reads and close the package and the cell reader."""
        close_cells = getattr(getattr(self, "cells", None), "close", None)
        if close_cells is not None and self._live is None:
            close_cells()
        if self._pool:
            self._pool.shutdown()
        if self._background:
            self._background.shutdown(cancel_futures=True)  # waits for a running read
        if self.zf is not None:
            self.zf.close()


def _calculated(table: Table) -> frozenset[str]:
    """The keys of ``table``'s calculated columns (kept per table: asked for every
    table of the spec on every sheet read)."""
    found = _CALCULATED.get(table.name)
    if found is None or found[0] is not table:
        found = _CALCULATED[table.name] = (
            table, frozenset(c.key for c in table.columns if not c.is_input))
    return found[1]


_CALCULATED: dict[str, tuple[Table, frozenset[str]]] = {}


def _needs_iso_scan(block: fastread.Block, table: Table) -> bool:
    """Whether ``block`` could read an ISO 8601 date-time cell otherwise than the grid:
    it holds a date-time column that is not one of ``table``'s date input columns. (In
    a date column a date-time at midnight and its date are the same value to the
    reader; elsewhere a date-time is kept as it is.)"""
    if not block.timestamps:
        return False
    index, first = table.header_index(), min(block.columns)
    for col in block.timestamps:
        key = index.get(name_key(block.header[col - first]))
        column = table.column(key) if key is not None else None
        if column is None or not column.is_input or column.type is not ColumnType.DATE:
            return True
    return False
