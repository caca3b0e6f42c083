"""The parts a new worksheet brings besides its own XML (:mod:`~xlsales.io.sheetxml`):
its charts and the drawing anchoring them (:mod:`~xlsales.io.chartxml`), the ids and
names of its tables, and the VBA code name a replaced worksheet keeps.

:class:`SheetParts` is a base of :class:`~xlsales.io.package.WorkbookPackage`, used by
:meth:`~xlsales.io.package.WorkbookPackage.put_sheet`.
"""

from __future__ import annotations

import html
import posixpath
import re

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.chartxml import CT_CHART, CT_DRAWING, REL_CHART, chart_xml, drawing_xml
from xlsales.io.sheetcontent import SheetContent, placements
from xlsales.io.sheetxml import rels_xml
from xlsales.io.workbookxml import WorkbookXml
from xlsales.io.xmltext import root_element
from xlsales.io.zipraw import CHUNK


class SheetParts(WorkbookXml):
    """The chart, drawing and table helpers of :meth:`WorkbookPackage.put_sheet`."""

    # -- charts ----------------------------------------------------------------------------

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

    # -- the worksheet replaced ------------------------------------------------------------

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

    # -- tables ----------------------------------------------------------------------------

    def _check_table_name_free(self, name: str, layout: ooxml.PackageLayout,
                               replaced: ooxml.SheetInfo | None) -> None:
        """Refuse (:class:`WorkbookError`) a table ``name`` another table (not one of the
        ``replaced`` sheet's) or a defined name already has."""
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
        """The first free table id, the ``replaced`` sheet's tables not counted."""
        ids = []
        for t in layout.tables:
            if replaced is not None and t.sheet == replaced.name:
                continue
            value = root_element(self._text(t.part), t.part).attrs.get("id", "0")
            ids.append(int(value) if value.isdigit() else 0)
        return max(ids, default=0) + 1
