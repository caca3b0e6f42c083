"""Rows appended to an Excel Table of the package:
:meth:`~xlsales.io.package.WorkbookPackage.append_table_rows`.

The values are checked, the sheet is scanned once as a stream (:mod:`~xlsales.io.tablescan`)
for the table's last row with content and what lies below it, and the new rows are queued
as byte splices of the sheet (:mod:`~xlsales.io.tableappend`), applied when saving; the
table part grows its range, the sheet its dimension. :class:`TableRows` is a base of
:class:`~xlsales.io.package.WorkbookPackage`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from xlsales.errors import WorkbookError
from xlsales.io.cellxml import MAX_ROWS, col_letter
from xlsales.io.sheetcontent import CellValue
from xlsales.io.sheetstream import Splice
from xlsales.io.stylesheet import StyleCache
from xlsales.io.tableappend import (
    AppendColumn,
    TableShape,
    check_append_value,
    dimension_ref,
    row_formula,
    row_rebuilder,
)
from xlsales.io.tablescan import SCAN_FAILURES, SheetScan, scan_sheet
from xlsales.io.workbookxml import WorkbookXml
from xlsales.io.xmltext import decode_xml, esc_text, set_attr


class TableRows(WorkbookXml):
    """:meth:`append_table_rows` of :class:`~xlsales.io.package.WorkbookPackage`."""

    def append_table_rows(self, table_name: str, columns: Sequence[str],
                          rows: Sequence[Sequence[CellValue]]) -> None:
        """Append ``rows`` to the Excel Table ``table_name``; ``columns`` are the table's
        header names the values fill, in order (case-insensitive; other columns stay
        empty).

        The rows go right after the table's last row holding content: trailing blank
        rows of the table (a template's placeholder row; calculated-column formulas alone
        count as blank) are reused. Calculated columns get their formula in every new row
        and ``workbook.xml`` asks for a full recalculation on load. New cells take the
        style of the column's cell in the last data row, else the ``<cols>`` style. Text
        is written as text (``"=1+1"`` is not a formula), dates as serial numbers,
        ``None`` as no cell. The table's range, its autofilter and the sheet's dimension
        grow. Content below the table in its columns is refused with a
        :class:`WorkbookError`. The sheet is streamed, never loaded; on any error nothing
        changes.
        """
        with self._transaction():
            self._append_table_rows(table_name, list(columns), rows)

    def _append_table_rows(self, table_name: str, columns: list[str],
                           rows: Sequence[Sequence[CellValue]]) -> None:
        info = self._table(table_name)
        sheet = self._worksheet(info.sheet)
        table = TableShape.read(self._read(info.part), info)
        value_cols = table.value_columns(columns)
        width = len(columns)
        checked: list[tuple[CellValue, ...]] = []
        for i, row in enumerate(rows):
            if len(row) > width:
                raise ValueError(f"Row {i} has {len(row)} values for {width} columns")
            for j, value in enumerate(row):
                check_append_value(value, f"row {i}, column {columns[j]!r}")
            checked.append(tuple(row))
        if not checked:
            return
        try:
            scan = scan_sheet(self._current_chunks(sheet.part), sheet.part, table.c1,
                              table.c2, set(table.formulas), table.header_end, table.end)
        except SCAN_FAILURES as exc:
            raise WorkbookError(
                f"工作表 “{sheet.name}” 的数据已损坏，无法读取（{exc}）。",
                f"The data of sheet '{sheet.name}' is damaged and cannot be read ({exc}).",
            ) from exc
        if scan.conflict is not None:
            row, col = scan.conflict
            cell = f"{col_letter(col)}{row}"
            raise WorkbookError(
                f"工作表 “{sheet.name}” 第 {row} 行（单元格 {cell}）在表格 “{info.name}” 下方的"
                "同一列中有内容，无法在表格末尾追加行。请删除或移走表格下方的这些内容（或把它们"
                "纳入表格）后重试；工作簿未做任何修改。",
                f"Sheet '{sheet.name}' has content in row {row} (cell {cell}) below the "
                f"table '{info.name}', in the table's columns, so rows cannot be appended to "
                "the table. Delete or move what is below the table (or make it part of the "
                "table) and try again; the workbook was not changed.")
        first = max(scan.last_row, table.header_end) + 1
        last_new = first + len(checked) - 1
        if last_new > MAX_ROWS:
            raise WorkbookError(
                f"追加 {len(checked):,} 行后，工作表 “{sheet.name}” 将超过 Excel 的行数上限 "
                f"{MAX_ROWS:,}。",
                f"Appending {len(checked):,} rows would take sheet '{sheet.name}' past "
                f"Excel's limit of {MAX_ROWS:,} rows.")
        last = max(table.end, last_new)
        region = [r for r in scan.trail if r.number <= last]
        targets = self._append_columns(scan, table, value_cols, checked)
        pats = scan.patterns
        rebuild = row_rebuilder(pats, [r.number for r in region], first, last_new, last,
                                table.c1, table.c2, targets, checked)
        if scan.empty_data is not None:
            start, end = scan.empty_data
            p = pats.prefix

            def fill(old: bytes) -> Iterator[bytes]:
                yield re.sub(rb"\s*/>$", b">", old)
                yield from rebuild(b"")
                yield f"</{p}sheetData>".encode()

            splices: list[Splice] = [(start, end, fill)]
        else:
            if region:
                start, end = region[0].start, region[-1].end
            else:
                start = end = scan.trail[0].start if scan.trail else scan.data_end
            splices = [(start, end, rebuild)]
        if scan.dimension is not None:
            d_start, d_end, ref = scan.dimension
            new_ref = dimension_ref(ref, table.c1, table.c2, last_new)
            if new_ref is not None and new_ref != ref:
                def dimension(old: bytes, new_ref: str = new_ref) -> Iterator[bytes]:
                    yield set_attr(decode_xml(old, sheet.part), "ref", new_ref).encode("utf-8")

                splices.append((d_start, d_end, dimension))
        self._splices.setdefault(sheet.part, []).append(splices)
        self._mark_edited(sheet.part)
        self._put_text(info.part, table.resized(decode_xml(self._read(info.part), info.part),
                                                last_new))
        written = {col for col, c in enumerate(targets, table.c1) if c.formula is not None}
        if any(r.number > last_new or not set(r.formulas) <= written
               for r in region if r.in_table and r.formulas):
            self._drop_calc_chain(sheet.sheet_id)  # formula cells leave: no stale entries
        if any(c.formula is not None for c in targets):
            self._ensure_full_calc_on_load()

    def _append_columns(self, scan: SheetScan, table: TableShape,
                        value_cols: dict[int, int],
                        rows: list[tuple[CellValue, ...]]) -> list[AppendColumn]:
        """How each table column of the new rows is written (style, value or formula).

        Styles and undeclared calculated formulas come from the last data row (else the
        first blank row of the table, a template's placeholder)."""
        styles: dict[int, str] = {}
        found: dict[int, tuple[bytes, bytes]] = {}
        if scan.last_class is not None:
            styles, found = scan.last_class.styles, scan.last_class.formulas
        else:
            first_blank = next((r for r in scan.trail if r.in_table), None)
            if first_blank is not None:
                styles, found = first_blank.styles, first_blank.formulas
        cache: StyleCache | None = None
        out = []
        for col in range(table.c1, table.c2 + 1):
            style = styles.get(col) or scan.col_styles.get(col)
            s_attr = f' s="{style}"' if style and style != "0" else ""
            date_s = datetime_s = s_attr
            index = value_cols.get(col)
            if not s_attr and index is not None and any(
                    index < len(r) and isinstance(r[index], date) for r in rows):
                cache = cache or StyleCache(self._styles())
                date_s, datetime_s = f' s="{cache("date")}"', f' s="{cache("datetime")}"'
            formula: str | None = None
            array = False
            if col in table.formulas:
                text, array = table.formulas[col]
                formula = esc_text(text)
            elif index is None and col in found:
                formula = row_formula(*found[col])
            out.append(AppendColumn(col_letter(col), s_attr, date_s, datetime_s, index,
                                    formula, array))
        if cache is not None and cache.styles.changed:
            self._put_text(cache.styles.part, cache.styles.text)
        return out
