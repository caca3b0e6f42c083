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
* puts calculated-column formulas back into the rows of a table that lack them
  (:meth:`WorkbookPackage.restore_formulas`), the same way: one streamed pass finds
  those rows, saving splices them rewritten;
* retypes numbers and dates typed as text (:meth:`WorkbookPackage.retype_cells`,
  :mod:`~xlsales.io.cellretype`), the same way;
* copies every other part RAW when saving.

The work is split over these modules of :mod:`xlsales.io`:

* :mod:`~xlsales.io.sheetcontent` – the public content types (:class:`SheetContent`, …);
* :mod:`~xlsales.io.partstore` – the parts of the open package, content types and
  relationships (:class:`~xlsales.io.partstore.PartStore`, the root base of
  :class:`WorkbookPackage`);
* :mod:`~xlsales.io.workbookxml` – ``workbook.xml``: sheet entries, defined names, the
  calculation chain, the styles part, names of new parts;
* :mod:`~xlsales.io.sheetparts` – what a new sheet brings: chart and drawing parts, table
  ids and names, a replaced sheet's VBA code name;
* :mod:`~xlsales.io.tablerows` – :meth:`WorkbookPackage.append_table_rows`;
* :mod:`~xlsales.io.atomicsave` – :meth:`WorkbookPackage.save`;
* :mod:`~xlsales.io.xmltext` – the text-level XML toolkit;
* :mod:`~xlsales.io.stylesheet` – ``styles.xml``;
* :mod:`~xlsales.io.sheetxml` and :mod:`~xlsales.io.cellxml` – new worksheets and tables,
  the XML of one cell;
* :mod:`~xlsales.io.chartxml` – their charts and drawing;
* :mod:`~xlsales.io.sheetstream` and :mod:`~xlsales.io.highlights` – the tail of existing
  worksheets;
* :mod:`~xlsales.io.tablescan` and :mod:`~xlsales.io.tableappend` – rows appended to a table;
* :mod:`~xlsales.io.tableformulas` and :mod:`~xlsales.io.formulagaps` – formulas restored;
* :mod:`~xlsales.io.staleresults` – the cached formula results an edit makes stale,
  dropped when saving (LibreOffice shows a cached result as it is);
* :mod:`~xlsales.io.zipraw` – the zip writer and its raw copy of unchanged parts.

This module holds :class:`WorkbookPackage` itself (opening, :meth:`~WorkbookPackage.put_sheet`,
:meth:`~WorkbookPackage.set_highlights`) and re-exports the content types.

The output is written to a temporary file in the target's folder and moved over the
target with :func:`os.replace`; on any failure the original file is untouched and the
temporary file is removed. ``[Content_Types].xml`` is written first, the other parts keep
their order, new parts come last.
"""

from __future__ import annotations

# ``os`` is not used here: tests/test_package_writer.py patches ``package.os.replace`` (the
# os module, whose ``replace`` :mod:`~xlsales.io.atomicsave` calls).
import os  # noqa: F401
from collections.abc import Sequence
from pathlib import Path

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.atomicsave import PackageSaver
from xlsales.io.cellretype import CellRetype
from xlsales.io.chartxml import REL_DRAWING
from xlsales.io.highlights import HIGHLIGHT_DXF, HIGHLIGHT_FORMULA, highlight_tail, sqref_of
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
from xlsales.io.sheetparts import SheetParts
from xlsales.io.sheetxml import rels_xml, table_xml

# Called under this module's private name: tests/test_package_writer.py patches
# ``package._sheet_xml`` to make put_sheet fail after workbook.xml was edited.
from xlsales.io.sheetxml import sheet_xml as _sheet_xml
from xlsales.io.stylesheet import StyleCache
from xlsales.io.tableformulas import TableFormulas
from xlsales.io.tablerows import TableRows

# Under its former name: tests/test_package_writer.py patches ``package._ZipWriter.copy_raw``
# (the class :mod:`~xlsales.io.atomicsave` writes with).
from xlsales.io.zipraw import ZipWriter as _ZipWriter  # noqa: F401

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


class WorkbookPackage(SheetParts, TableRows, TableFormulas, CellRetype, PackageSaver):
    """An .xlsx/.xlsm package opened for editing; see the module docstring.

    Use :meth:`open`, then :meth:`put_sheet` / :meth:`set_highlights` /
    :meth:`append_table_rows` / :meth:`restore_formulas`, then :meth:`save`.
    After a successful save the object refers to the saved file and can be edited again.
    ``workbook.xml`` is edited by :class:`~xlsales.io.workbookxml.WorkbookXml`, rows are
    appended by :class:`~xlsales.io.tablerows.TableRows`, the package is written by
    :class:`~xlsales.io.atomicsave.PackageSaver`.
    """

    def __init__(self, path: Path) -> None:
        """Open ``path``; prefer :meth:`open`."""
        self._load(Path(path))

    @classmethod
    def open(cls, path: Path) -> WorkbookPackage:
        """Open the workbook at ``path`` for editing (only its structure is read)."""
        return cls(Path(path))

    def __enter__(self) -> WorkbookPackage:
        """The package itself; it is closed when the ``with`` block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the package (unsaved edits are dropped)."""
        self.close()

    # -- new and replaced worksheets -------------------------------------------------------

    def put_sheet(self, content: SheetContent, *, after: str | None = None) -> None:
        """Add ``content`` as a new worksheet with its tables and charts (after sheet
        ``after``, else last), or replace the worksheet of the same name (or of one of
        ``content.replaces``, renamed) in place, removing
        every part only it used (its new parts take the freed part names).

        A sheet name matches case-insensitively, as in Excel; a replaced sheet keeps its
        position, visibility and VBA code name (``after`` is then ignored). Highlights set
        on it before in this session are dropped with its old content.
        """
        with self._transaction():
            self._put_sheet(content, after)

    def _put_sheet(self, content: SheetContent, after: str | None) -> None:
        """:meth:`put_sheet` inside its transaction."""
        layout = self._layout()
        existing = next((e for e in map(self._find_sheet, (content.name, *content.replaces))
                         if e is not None), None)
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
            self._mark_edited(None, old.name, content.name)  # formulas that read it
            self._tail_edits.pop(part, None)
            rels = ooxml.rels_part(part)
            if self._exists(rels):
                self._remove(rels)
            self._collect_garbage()  # the old content's parts go first: their names are reused
        else:
            part = self._add_sheet_entry(content.name, after, content.hidden)
        self._set_override(part, ooxml.CT_WORKSHEET)
        styles = self._styles()
        kept = self._sheet_styles
        cache = StyleCache(styles, kept[1] if kept and self._read(styles.part) is kept[0]
                           else None)
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
        # the next sheet's styles are these while the styles part stays as now
        self._sheet_styles = (self._read(styles.part), cache.known)
        self._collect_garbage()

    # -- number formats --------------------------------------------------------------------

    def recode_number_format(self, old: str, new: str) -> bool:
        """Give the workbook's number format ``old`` the code ``new`` (an amount's currency
        after the book's changed: ``#,##0.00 "USD"`` → ``#,##0.00 "EUR"``); whether it had
        one."""
        with self._transaction():
            styles = self._styles()
            if not styles.recode_numfmt(old, new):
                return False
            self._put_text(styles.part, styles.text)
            return True

    # -- highlights ------------------------------------------------------------------------

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
