"""Calculated-column formulas put back into the rows of an Excel Table that lack them:
:meth:`~xlsales.io.package.WorkbookPackage.restore_formulas`.

The sheet is streamed once (:func:`~xlsales.io.formulagaps.formula_gaps`) to find the rows
whose calculated cells hold no formula; each such row is queued as a byte splice of the
sheet (:func:`~xlsales.io.formulagaps.filled_row`), applied when saving. Every other byte
of the sheet, and every other part but ``workbook.xml`` (which asks for a full
recalculation on load, if it did not), stays as it was. :class:`TableFormulas` is a base
of :class:`~xlsales.io.package.WorkbookPackage`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from xml.etree import ElementTree as ET

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.formulacells import CalcRange
from xlsales.io.formulagaps import GapScan, RowGap, filled_row, formula_gaps
from xlsales.io.reader_a1 import range_boundaries
from xlsales.io.sheetstream import Splice
from xlsales.io.tableappend import TableShape
from xlsales.io.tablescan import SCAN_FAILURES, sheet_patterns
from xlsales.io.workbookxml import WorkbookXml
from xlsales.io.xmltext import decode_xml, esc_text, malformed

#: A cell's formula element and a table column's calculated formula: (start tag, text,
#: end tag), with or without a namespace prefix.
_CELL_FORMULA = re.compile(rb"(<(?:\w+:)?f\b[^>]*>)([^<]*)(</(?:\w+:)?f>)")
_COLUMN_FORMULA = re.compile(
    rb"(<(?:\w+:)?calculatedColumnFormula\b[^>]*>)([^<]*)(</(?:\w+:)?calculatedColumnFormula>)")
#: Sheets of more XML than this are not rewritten in memory (Find and Replace instead).
REWRITE_LIMIT = 256 * 1024 * 1024


class TableFormulas(WorkbookXml):
    """:meth:`restore_formulas` of :class:`~xlsales.io.package.WorkbookPackage`."""

    def restore_formulas(self, table_name: str, formulas: Mapping[int, str],
                         rows: Collection[int]) -> GapScan:
        """Give the cells of ``rows`` (Excel row numbers; those outside the data rows of
        the Excel Table ``table_name`` are left alone) that hold no formula in a column of
        ``formulas`` (sheet column, 1-based → the formula as a cell stores it: no leading
        ``=``, ``Sales[[#This Row],[Amount]]`` for the current row) that formula, without
        a cached result; a value typed there is replaced, the cell's style kept.

        Returns what was found, which :meth:`save` writes. ``workbook.xml`` asks for a
        full recalculation on load. The sheet is streamed, never loaded; on any error
        nothing changes."""
        with self._transaction():
            return self._restore_formulas(table_name, formulas, rows)

    def _restore_formulas(self, table_name: str, formulas: Mapping[int, str],
                          rows: Collection[int]) -> GapScan:
        info = self._table(table_name)
        sheet = self._worksheet(info.sheet)
        c1, first, c2, last = self._data_rows(info)
        columns = tuple(sorted(c for c in formulas if c1 <= c <= c2))
        if not columns or first > last:
            return GapScan()
        try:
            scan = formula_gaps(self._current_chunks(sheet.part), CalcRange(columns, first, last),
                                rows)
        except SCAN_FAILURES as exc:
            raise WorkbookError(
                f"工作表 “{sheet.name}” 的数据已损坏，无法读取（{exc}）。",
                f"The data of sheet '{sheet.name}' is damaged and cannot be read ({exc}).",
            ) from exc
        if not scan.gaps:
            return scan
        pats = sheet_patterns(scan.prefix)
        escaped = {c: esc_text(formulas[c]) for c in columns}

        def rebuild(gap: RowGap) -> Splice:
            wanted = {c: escaped[c] for c in gap.columns}

            def edit(old: bytes) -> Iterator[bytes]:
                yield filled_row(old, gap.row, wanted, scan.col_styles, pats)

            return gap.start, gap.end, edit

        self._splices.setdefault(sheet.part, []).append([rebuild(g) for g in scan.gaps])
        self._mark_edited(sheet.part)
        self._ensure_full_calc_on_load()
        return scan

    def rewrite_formula_text(self, spellings: Mapping[str, str]) -> tuple[list[str], list[str]]:
        """Have every formula (cell formulas of every worksheet, tables' calculated-column
        formulas) count the book's spellings: each string literal ``"赢单"`` of
        ``spellings`` becomes ``"贏單"``; text outside formulas is left alone and the
        cached results go (a full recalculation on load). Returns the parts changed and the
        sheets too large to rewrite here (over :data:`REWRITE_LIMIT` bytes of XML)."""
        with self._transaction():
            layout = self._layout()
            pairs = [(f'"{a}"'.encode(), f'"{b}"'.encode()) for a, b in spellings.items()]
            pairs += [(f"&quot;{a}&quot;".encode(), f"&quot;{b}&quot;".encode())
                      for a, b in spellings.items()]
            changed, too_big = [], []
            sheet_parts = {s.name: s.part for s in layout.sheets}
            parts = [(s.name, s.part, _CELL_FORMULA, s.part) for s in layout.sheets] + [
                (t.name, t.part, _COLUMN_FORMULA, sheet_parts.get(t.sheet))
                for t in layout.tables]
            for name, part, element, sheet_part in parts:
                if self._size(part) > REWRITE_LIMIT:
                    too_big.append(name)
                    continue
                data = b"".join(self._current_chunks(part))
                if not any(a in data for a, _ in pairs):
                    continue

                def respell(m: re.Match[bytes]) -> bytes:
                    text = m[2]
                    for a, b in pairs:
                        text = text.replace(a, b)
                    return m[1] + text + m[3]

                new = element.sub(respell, data)
                if new != data:
                    self._put(part, new)
                    changed.append(part)
                    self._mark_edited(sheet_part)
            if changed:
                self._ensure_full_calc_on_load()
            return changed, too_big

    def extend_table(self, table_name: str, last_row: int) -> bool:
        """Make the Excel Table ``table_name`` reach down to ``last_row`` (rows typed just
        below it, which LibreOffice does not take into the table): its range, autofilter
        and sort range grow; the cells are untouched. False, nothing changed, when it
        reaches that row already, has a totals row, or would take in another table's
        cells. Fill the new rows' calculated cells with :meth:`restore_formulas`."""
        with self._transaction():
            layout = self._layout()
            info = layout.table(table_name)
            if info is None:
                return False
            text = decode_xml(self._read(info.part), info.part)
            c1, _, c2, end = self._data_rows(info)
            totals = ET.fromstring(text).get("totalsRowCount", "0") not in ("0", "")
            if last_row <= end or totals:
                return False
            for other in layout.tables:
                if other.sheet == info.sheet and other.name != info.name:
                    o1, r1, o2, r2 = range_boundaries(other.ref)
                    if o1 <= c2 and c1 <= o2 and r1 <= last_row and end < r2:
                        return False
            self._put_text(info.part, TableShape.read(text.encode("utf-8"), info)
                           .resized(text, last_row))
            self._mark_edited(self._worksheet(info.sheet).part)  # its formulas count more rows
            return True

    def _data_rows(self, info: ooxml.TableInfo) -> tuple[int, int, int, int]:
        """(first column, first data row, last column, last data row) of a table: its
        range without the header and totals rows."""
        try:
            root = ET.fromstring(self._read(info.part))
            c1, r1, c2, r2 = range_boundaries(root.get("ref", ""))
            headers = int(root.get("headerRowCount", "1") or "1")
            totals = int(root.get("totalsRowCount", "0") or "0")
        except (ET.ParseError, ValueError) as exc:
            raise malformed(info.part) from exc
        return c1, r1 + headers, c2, r2 - totals
