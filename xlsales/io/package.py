"""Write results INTO a user's existing .xlsx/.xlsm by editing its zip package directly.

Loading and saving a workbook with openpyxl re-serialises everything: cached formula
results, shared strings, VML ids of VBA buttons and charts are lost or rewritten, and the
cost grows with the whole workbook. :class:`WorkbookPackage` instead

* reads the package structure with :mod:`xlsales.io.ooxml` (never the sheet data);
* edits only the few small structural parts it must (``[Content_Types].xml``,
  ``workbook.xml`` and its relationships, ``styles.xml``) by splicing text into them, so
  namespace prefixes, ``mc:Ignorable`` lists and unknown extensions survive byte for byte;
* writes new worksheets (inline strings: the shared-strings part is never touched), their
  table parts and their native charts (chart parts and the drawing anchoring them);
* changes an existing worksheet only at its tail, after ``</sheetData>`` (one
  conditional-formatting block owned by xlsales): the part is streamed through
  ``zlib``, the cell data itself is never parsed;
* appends rows to an existing Excel Table (:meth:`WorkbookPackage.append_table_rows`):
  one streamed pass over the sheet finds the table's last row with content (one regex
  match per row; only the rows at the end are looked into), and saving streams the
  sheet again, splicing the new rows in as bytes; the table part grows its range;
* copies every other part RAW when saving.

The work is split over these modules of :mod:`xlsales.io`:

* :mod:`~xlsales.io.sheetcontent` – the public content types (:class:`SheetContent`, …);
* :mod:`~xlsales.io.partstore` – the parts of the open package, content types and
  relationships (:class:`~xlsales.io.partstore.PartStore`, base of :class:`WorkbookPackage`);
* :mod:`~xlsales.io.xmltext` – the text-level XML toolkit;
* :mod:`~xlsales.io.stylesheet` – ``styles.xml``;
* :mod:`~xlsales.io.sheetxml` and :mod:`~xlsales.io.cellxml` – new worksheets and tables;
* :mod:`~xlsales.io.chartxml` – their charts and drawing;
* :mod:`~xlsales.io.sheetstream` and :mod:`~xlsales.io.highlights` – the tail of existing
  worksheets;
* :mod:`~xlsales.io.tablescan` and :mod:`~xlsales.io.tableappend` – rows appended to a table;
* :mod:`~xlsales.io.zipraw` – the zip writer and its raw copy of unchanged parts.

The output is written to a temporary file in the target's folder and moved over the
target with :func:`os.replace`; on any failure the original file is untouched and the
temporary file is removed. ``[Content_Types].xml`` is written first, the other parts keep
their order, new parts come last.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.cellxml import MAX_ROWS, col_letter
from xlsales.io.chartxml import CT_CHART, CT_DRAWING, REL_CHART, REL_DRAWING, chart_xml, drawing_xml
from xlsales.io.highlights import HIGHLIGHT_DXF, HIGHLIGHT_FORMULA, highlight_tail, sqref_of
from xlsales.io.partstore import PartStore
from xlsales.io.sheetcontent import (
    COLUMN_KINDS,
    Block,
    CellValue,
    Chart,
    Column,
    ColumnKind,
    Link,
    SheetContent,
    TextBox,
    placements,
)
from xlsales.io.sheetstream import Splice, edit_sheet_bytes, edit_sheet_stream
from xlsales.io.sheetxml import rels_xml, table_xml

# Called under this module's private name: tests/test_package_writer.py patches
# ``package._sheet_xml`` to make put_sheet fail after workbook.xml was edited.
from xlsales.io.sheetxml import sheet_xml as _sheet_xml
from xlsales.io.stylesheet import StyleCache, Styles
from xlsales.io.tableappend import (
    AppendColumn,
    TableShape,
    check_append_value,
    dimension_ref,
    row_formula,
    row_rebuilder,
)
from xlsales.io.tablescan import SCAN_FAILURES, SheetScan, scan_sheet
from xlsales.io.xmltext import (
    El,
    append_child,
    child_elements,
    decode_xml,
    esc_attr,
    esc_text,
    malformed,
    prefix_for,
    root_element,
    set_attr,
    splice,
)
from xlsales.io.zipraw import CHUNK

# Under its former name: tests/test_package_writer.py patches ``package._ZipWriter.copy_raw``.
from xlsales.io.zipraw import ZipWriter as _ZipWriter

__all__ = [
    "COLUMN_KINDS",
    "HIGHLIGHT_FORMULA",
    "Block",
    "CellValue",
    "Chart",
    "Column",
    "ColumnKind",
    "Link",
    "SheetContent",
    "TextBox",
    "WorkbookPackage",
]

_WORKBOOK_CHILD_ORDER: tuple[str, ...] = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
    "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
    "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
    "fileRecoveryPr", "webPublishObjects", "extLst",
)


@dataclass(frozen=True)
class _SheetEntry:
    name: str
    index: int
    rel_id: str


class WorkbookPackage(PartStore):
    """An .xlsx/.xlsm package opened for editing; see the module docstring.

    Use :meth:`open`, then :meth:`put_sheet` / :meth:`set_highlights` /
    :meth:`append_table_rows`, then :meth:`save`.
    After a successful save the object refers to the saved file and can be edited again.
    """

    def __init__(self, path: Path) -> None:
        """Open ``path``; prefer :meth:`open`."""
        self._load(Path(path))

    @classmethod
    def open(cls, path: Path) -> WorkbookPackage:
        """Open the workbook at ``path`` for editing (only its structure is read)."""
        return cls(Path(path))

    def __enter__(self) -> WorkbookPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workbook.xml ----------------------------------------------------------------------

    def _sheet_entries(self, text: str) -> tuple[El | None, list[El]]:
        root = root_element(text, self._wb_part)
        sheets = next((el for el in child_elements(text, root, self._wb_part)
                       if el.local == "sheets"), None)
        return sheets, ([] if sheets is None else
                        [el for el in child_elements(text, sheets, self._wb_part)
                         if el.local == "sheet"])

    def _workbook_children(self, text: str, local: str) -> list[El]:
        root = root_element(text, self._wb_part)
        out: list[El] = []
        for el in child_elements(text, root, self._wb_part):
            if el.local == local:
                out.extend(child_elements(text, el, self._wb_part))
        return out

    def _find_sheet(self, name: str) -> _SheetEntry | None:
        text = self._text(self._wb_part)
        _, sheets = self._sheet_entries(text)
        for i, el in enumerate(sheets):
            if el.attrs.get("name", "").casefold() == name.casefold():
                rel_id = next((v for k, v in el.attrs.items() if k.endswith(":id")), "")
                return _SheetEntry(el.attrs.get("name", ""), i, rel_id)
        return None

    def _worksheet(self, name: str) -> ooxml.SheetInfo:
        entry = self._find_sheet(name)
        sheet = None
        if entry is not None:
            sheet = next((s for s in self._layout().sheets if s.rel_id == entry.rel_id), None)
            if sheet is None:
                raise WorkbookError(f"“{entry.name}” 不是普通工作表（可能是图表工作表）。",
                                    f"'{entry.name}' is not a worksheet (a chart sheet?).")
        if sheet is None:
            raise WorkbookError(f"工作簿中没有名为 “{name}” 的工作表。",
                                f"The workbook has no sheet named '{name}'.")
        return sheet

    @property
    def sheet_names(self) -> list[str]:
        """Names of all sheets (worksheets and chart sheets), in tab order."""
        _, sheets = self._sheet_entries(self._text(self._wb_part))
        return [el.attrs.get("name", "") for el in sheets]

    def _shift_sheet_indexes(self, text: str, index: int) -> str:
        """Sheet-position references (local names, active/first tab) moved for a sheet
        inserted at ``index``."""
        edits = []
        for local, attrs in (("definedNames", ("localSheetId",)),
                             ("bookViews", ("activeTab", "firstSheet"))):
            for el in self._workbook_children(text, local):
                tag = text[el.start:el.tag_end]
                new = tag
                for attr in attrs:
                    value = el.attrs.get(attr)
                    if value is not None and value.isdigit() and int(value) >= index:
                        new = set_attr(new, attr, str(int(value) + 1))
                if new != tag:
                    edits.append((el.start, el.tag_end, new))
        return splice(text, edits)

    def _drop_filter_names(self, text: str, index: int) -> str:
        """Without the hidden autofilter names of the sheet at ``index`` (its old content)."""
        drop = [el for el in self._workbook_children(text, "definedNames")
                if el.attrs.get("name") == "_xlnm._FilterDatabase"
                and el.attrs.get("localSheetId") == str(index)]
        return splice(text, [(el.start, el.end, "") for el in drop])

    def _drop_calc_chain(self, sheet_id: int) -> None:
        """Remove calculation-chain entries of a sheet whose content is replaced."""
        rel = next((r for r in self._rels_of(self._wb_part)
                    if r.type == ooxml.REL_CALC_CHAIN and self._exists(r.target)), None)
        if rel is None:
            return
        text = self._text(rel.target)
        root = root_element(text, rel.target)
        kept: list[dict[str, str]] = []
        current = total = 0
        for el in child_elements(text, root, rel.target):
            if el.local != "c":
                continue
            total += 1
            current = int(el.attrs.get("i", current))
            if current != sheet_id:
                kept.append({**el.attrs, "i": str(current)})
        if len(kept) == total:
            return
        if not kept:
            self._remove_relationship(self._wb_part, rel.id)
            self._remove(rel.target)
            return
        p = root.prefix
        body = "".join(f"<{p}c" + "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items())
                       + "/>" for a in kept)
        self._put_text(rel.target, text[:root.tag_end] + body + text[root.close:])

    # -- public editing API ----------------------------------------------------------------

    def put_sheet(self, content: SheetContent, *, after: str | None = None) -> None:
        """Add ``content`` as a new worksheet with its tables and charts (after sheet
        ``after``, else last), or replace the worksheet of the same name in place, removing
        every part only it used (its new parts take the freed part names).

        A sheet name matches case-insensitively, as in Excel; a replaced sheet keeps its
        position, visibility and VBA code name (``after`` is then ignored). Highlights set
        on it before in this session are dropped with its old content.
        """
        with self._transaction():
            self._put_sheet(content, after)

    def _put_sheet(self, content: SheetContent, after: str | None) -> None:
        layout = self._layout()
        existing = self._find_sheet(content.name)
        old: ooxml.SheetInfo | None = None
        if existing is not None:
            old = self._worksheet(existing.name)
        tables = [(b, w.header) for b, w in zip(content.parts, placements(content), strict=True)
                  if isinstance(b, Block) and b.table_name is not None]
        for block, _ in tables:
            assert block.table_name is not None
            self._check_table_name_free(block.table_name, layout, old)
        if after is not None and existing is None and self._find_sheet(after) is None:
            raise WorkbookError(f"工作簿中没有名为 “{after}” 的工作表。",
                                f"The workbook has no sheet named '{after}'.")
        code_name = None
        if old is not None:
            part = old.part
            code_name = self._code_name(part)
            self._replace_sheet_entry(old, content.name)
            self._tail_edits.pop(part, None)
            rels = ooxml.rels_part(part)
            if self._exists(rels):
                self._remove(rels)
            self._collect_garbage()  # the old content's parts go first: their names are reused
        else:
            part = self._add_sheet_entry(content.name, after)
        self._set_override(part, ooxml.CT_WORKSHEET)
        styles = self._styles()
        cache = StyleCache(styles)
        sheet_rels: list[tuple[str, str, str]] = []
        table_id = self._next_table_id(layout, old)
        folder = self._part_folder(layout.tables[0].part if layout.tables else "xl/tables/x")
        for i, (block, header) in enumerate(tables):
            table_part = self._new_part_name(folder, "table")
            self._put(table_part, table_xml(block, header, table_id + i))
            self._set_override(table_part, ooxml.CT_TABLE)
            sheet_rels.append((f"rId{i + 1}", ooxml.REL_TABLE,
                               ooxml.relative_target(part, table_part)))
        drawing_rel = None
        if content.charts:
            drawing = self._put_drawing(content)
            drawing_rel = f"rId{len(sheet_rels) + 1}"
            sheet_rels.append((drawing_rel, REL_DRAWING, ooxml.relative_target(part, drawing)))
        if sheet_rels:
            self._put(ooxml.rels_part(part), rels_xml(sheet_rels))
        self._put(part, _sheet_xml(content, cache, [r[0] for r in sheet_rels[:len(tables)]],
                                   code_name, drawing_rel))
        if styles.changed:
            self._put_text(styles.part, styles.text)
        self._collect_garbage()

    def _put_drawing(self, content: SheetContent) -> str:
        """Put the chart parts of ``content`` and the drawing anchoring them; return the
        drawing's part name."""
        base = posixpath.dirname(self._wb_part)
        placed = placements(content)
        chart_rels = []
        for i, chart in enumerate(content.charts, 1):
            chart_part = self._new_part_name(posixpath.join(base, "charts"), "chart")
            self._put(chart_part, chart_xml(chart, content.name, placed[chart.block]))
            self._set_override(chart_part, CT_CHART)
            chart_rels.append((f"rId{i}", REL_CHART, chart_part))
        drawing = self._new_part_name(posixpath.join(base, "drawings"), "drawing")
        self._put(drawing, drawing_xml(content.charts))
        self._set_override(drawing, CT_DRAWING)
        self._put(ooxml.rels_part(drawing), rels_xml(
            [(i, t, ooxml.relative_target(drawing, target)) for i, t, target in chart_rels]))
        return drawing

    def set_highlights(self, sheet_name: str, cells: Sequence[str]) -> None:
        """Give ``cells`` (A1 references such as ``"C12"``) of worksheet ``sheet_name`` a
        light red fill through xlsales' own conditional-formatting block; a new call
        replaces the previous block, an empty list removes it. Other rules stay as they are.
        """
        sheet = self._worksheet(sheet_name)
        sqref = sqref_of(cells)
        dxf_id = None
        if sqref:
            with self._transaction():
                styles = self._styles()
                dxf_id = styles.ensure_dxf(HIGHLIGHT_DXF)
                if styles.changed:
                    self._put_text(styles.part, styles.text)
        part = sheet.part

        def edit(tail: str, prefix: str) -> str:
            return highlight_tail(tail, prefix, part, sqref, dxf_id)

        self._tail_edits[part] = edit

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
        info = self._layout().table(table_name)
        if info is None:
            raise WorkbookError(f"工作簿中没有名为 “{table_name}” 的表格（Excel 表）。",
                                f"The workbook has no Excel Table named '{table_name}'.")
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

    def _ensure_full_calc_on_load(self) -> None:
        """``<calcPr fullCalcOnLoad="1">`` in workbook.xml, so Excel and LibreOffice compute
        formulas that have no cached result when the file opens."""
        text = self._text(self._wb_part)
        root = root_element(text, self._wb_part)
        kids = child_elements(text, root, self._wb_part)
        calc = next((el for el in kids if el.local == "calcPr"), None)
        if calc is not None:
            if calc.attrs.get("fullCalcOnLoad") in ("1", "true"):
                return
            tag = set_attr(text[calc.start:calc.tag_end], "fullCalcOnLoad", "1")
            text = text[:calc.start] + tag + text[calc.tag_end:]
        else:
            order = _WORKBOOK_CHILD_ORDER
            later = [el for el in kids if el.local in order
                     and order.index(el.local) > order.index("calcPr")]
            pos = later[0].start if later else root.close
            text = text[:pos] + f'<{root.prefix}calcPr fullCalcOnLoad="1"/>' + text[pos:]
        self._put_text(self._wb_part, text)

    # -- helpers for put_sheet -------------------------------------------------------------

    def _code_name(self, part: str) -> str | None:
        """``codeName`` of a worksheet (its VBA document module), read from the part's
        head only; a replaced sheet keeps it so the VBA project still matches."""
        if part in self._data:
            head = self._data[part][:CHUNK]
        else:
            with self._zf.open(part) as stream:
                head = stream.read(CHUNK)
        m = re.search(rb"<(?:[\w.\-]+:)?sheetPr\b[^>]*?\scodeName\s*=\s*[\"']([^\"']*)", head)
        return html.unescape(m.group(1).decode("utf-8")) if m else None

    def _styles(self) -> Styles:
        rel = next((r for r in self._rels_of(self._wb_part)
                    if r.type == ooxml.REL_STYLES and self._exists(r.target)), None)
        if rel is not None:
            return Styles(rel.target, self._text(rel.target))
        part = posixpath.join(posixpath.dirname(self._wb_part), "styles.xml")
        self._add_relationship(self._wb_part, ooxml.REL_STYLES, part)
        self._set_override(
            part, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")
        text = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<styleSheet xmlns="{ooxml.NS_MAIN}"></styleSheet>')
        self._put_text(part, text)
        styles = Styles(part, text)
        styles.ensure_defaults()
        return styles

    def _check_table_name_free(self, name: str, layout: ooxml.PackageLayout,
                               replaced: ooxml.SheetInfo | None) -> None:
        clash = next((t for t in layout.tables if name.casefold() in
                      (t.name.casefold(), t.display_name.casefold())
                      and (replaced is None or t.sheet != replaced.name)), None)
        text = self._text(self._wb_part)
        names = {el.attrs.get("name", "").casefold()
                 for el in self._workbook_children(text, "definedNames")}
        if clash is not None or name.casefold() in names:
            where = f"（工作表 “{clash.sheet}”）" if clash else "（已有同名的名称）"
            where_en = f" (sheet '{clash.sheet}')" if clash else " (a defined name)"
            raise WorkbookError(f"表格名称 “{name}” 已被使用{where}；Excel 要求名称唯一。",
                                f"The table name '{name}' is already used{where_en}; Excel "
                                "requires unique names.")

    def _next_table_id(self, layout: ooxml.PackageLayout,
                       replaced: ooxml.SheetInfo | None) -> int:
        ids = []
        for t in layout.tables:
            if replaced is not None and t.sheet == replaced.name:
                continue
            value = root_element(self._text(t.part), t.part).attrs.get("id", "0")
            ids.append(int(value) if value.isdigit() else 0)
        return max(ids, default=0) + 1

    @staticmethod
    def _part_folder(part: str) -> str:
        return posixpath.dirname(part)

    def _new_part_name(self, folder: str, stem: str) -> str:
        """The next free ``folder/stemN.xml``; names of parts removed in this session are
        free again (a replaced sheet's new parts take its old parts' names)."""
        pattern = re.compile(rf"{re.escape(folder)}/{stem}(\d+)\.xml", re.IGNORECASE)
        names = self._names()
        taken = {n.lower() for n in names}
        used = [int(m.group(1)) for n in names if (m := pattern.fullmatch(n))]
        n = max(used, default=0) + 1
        while f"{folder}/{stem}{n}.xml".lower() in taken:
            n += 1
        return f"{folder}/{stem}{n}.xml"

    def _add_sheet_entry(self, name: str, after: str | None) -> str:
        layout = self._layout()
        folder = self._part_folder(layout.sheets[0].part if layout.sheets
                                   else posixpath.join(posixpath.dirname(self._wb_part),
                                                       "worksheets/x"))
        part = self._new_part_name(folder, "sheet")
        rel_id = self._add_relationship(self._wb_part, ooxml.REL_WORKSHEET, part)
        text = self._text(self._wb_part)
        container, sheets = self._sheet_entries(text)
        if container is None:
            raise malformed(self._wb_part)
        index = len(sheets)
        if after is not None:
            found = self._find_sheet(after)
            assert found is not None
            index = found.index + 1
        sheet_ids = [int(v) for el in sheets if (v := el.attrs.get("sheetId", "")).isdigit()]
        root = root_element(text, self._wb_part)
        r_prefix = prefix_for(text[root.start:root.tag_end], ooxml.NS_REL)
        rid_attr = (f'{r_prefix}id="{rel_id}"' if r_prefix else
                    f'xmlns:xr_="{ooxml.NS_REL}" xr_:id="{rel_id}"')
        element = (f'<{container.prefix}sheet name="{esc_attr(name)}" '
                   f'sheetId="{max(sheet_ids, default=0) + 1}" {rid_attr}/>')
        if index < len(sheets):
            text = self._shift_sheet_indexes(text, index)
            _, sheets = self._sheet_entries(text)
            pos = sheets[index].start
            text = text[:pos] + element + text[pos:]
        else:
            text = append_child(text, container, element)
        self._put_text(self._wb_part, text)
        return part

    def _replace_sheet_entry(self, old: ooxml.SheetInfo, name: str) -> None:
        text = self._text(self._wb_part)
        _, sheets = self._sheet_entries(text)
        el = sheets[old.index]
        new = text
        if el.attrs.get("name") != name:
            tag = set_attr(text[el.start:el.tag_end], "name", name)
            new = text[:el.start] + tag + text[el.tag_end:]
        new = self._drop_filter_names(new, old.index)
        if new != text:
            self._put_text(self._wb_part, new)
        self._drop_calc_chain(old.sheet_id)

    # -- saving ----------------------------------------------------------------------------

    def _output_order(self) -> list[str]:
        names = self._names()
        ct = ooxml.CONTENT_TYPES_PART
        return [ct] + [n for n in names if n != ct]

    def _write_member(self, writer: _ZipWriter, src: IO[bytes], name: str) -> None:
        like = self._raw.get(name) if self._raw is not None else None
        if like is None and self._raw is not None:
            like = self._raw.get(ooxml.CONTENT_TYPES_PART)
        edit = self._tail_edits.get(name)
        if self._splices.get(name):
            chunks = self._current_chunks(name)
            if edit is not None:
                chunks = edit_sheet_stream(chunks, edit, name)
            writer.write(name, chunks, like)
        elif name in self._data:
            data = self._data[name]
            if edit is not None:
                data = edit_sheet_bytes(data, edit, name)
            writer.write(name, [data], like)
        elif edit is not None:
            with self._zf.open(name) as stream:
                chunks = iter(lambda: stream.read(CHUNK), b"")
                writer.write(name, edit_sheet_stream(chunks, edit, name), like)
        elif self._raw is not None:
            writer.copy_raw(src, self._zf.getinfo(name), self._raw[name])
        else:
            with self._zf.open(name) as stream:
                writer.write(name, iter(lambda: stream.read(CHUNK), b""), like)

    def save(self, path: Path | None = None) -> None:
        """Write the workbook to ``path`` (default: the file it was opened from), atomically.

        Unchanged parts are copied raw. The target keeps its permission bits (a new
        target gets those of the source). Afterwards this object refers to the saved file.
        """
        target = Path(path) if path is not None else self._path
        if target.is_symlink():
            target = target.resolve()
        st = self._path.stat()
        if (st.st_size, st.st_mtime_ns) != self._stat:
            raise WorkbookError(f"{self._path} 在打开后被其他程序修改过，未保存任何内容。",
                                f"{self._path} was changed by another program after it was "
                                "opened; nothing was saved.")
        mode = stat.S_IMODE((target if target.exists() else self._path).stat().st_mode)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        tmp = Path(tmp_name)
        done = False
        try:
            with os.fdopen(fd, "wb") as out, self._path.open("rb") as src:
                writer = _ZipWriter(out)
                for name in self._output_order():
                    self._write_member(writer, src, name)
                writer.finish(self._zf.comment)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, mode)
            self._zf.close()  # Windows cannot replace a file that is open
            try:
                os.replace(tmp, target)
            except PermissionError as exc:
                raise WorkbookError(
                    f"无法写入 {target}：文件可能正在 Excel/WPS 中打开，请关闭后重试。",
                    f"Cannot write {target}: it may be open in Excel/WPS; close it and "
                    "try again.") from exc
            done = True
        finally:
            if not done:
                tmp.unlink(missing_ok=True)
                if self._zf.fp is None:  # reopen the untouched source, edits are kept
                    self._zf = zipfile.ZipFile(self._path)
        self._load(target)
