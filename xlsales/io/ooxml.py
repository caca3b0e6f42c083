"""Read the structure of an xlsx/xlsm package: sheets, their parts, tables, names.

Only the small structural parts are parsed (workbook.xml, relationships, table
parts), never the sheet data, so this costs the same for 10 rows or 100k rows.
Works on files saved by Excel, WPS, LibreOffice and XlsxWriter.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol
from xml.etree import ElementTree as ET

from xlsales.io.reader_a1 import range_boundaries

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_TABLE = NS_REL + "/table"
REL_OFFICE_DOC = NS_REL + "/officeDocument"


@dataclass(frozen=True)
class SheetInfo:
    """A worksheet: its name, position, package part and relationship id."""

    name: str
    index: int
    part: str  # e.g. "xl/worksheets/sheet3.xml"
    rel_id: str
    sheet_id: int
    state: str = "visible"


@dataclass(frozen=True)
class TableInfo:
    """An Excel Table (ListObject): name, sheet, A1 range and header names."""

    name: str
    display_name: str
    sheet: str
    ref: str
    columns: tuple[str, ...]
    part: str
    header_rows: int = 1
    #: The string literals its calculated columns' formulas compare with (``赢单``, or
    #: ``贏單`` in a book whose formulas count the Traditional spelling).
    literals: frozenset[str] = frozenset()
    #: Rows of its totals row (Excel's Table Design > Total Row): 0 or 1, never data.
    totals_rows: int = 0

    def data_end(self) -> int:
        """The last row of its range that holds data: the totals row left out."""
        return range_boundaries(self.ref)[3] - self.totals_rows


@dataclass(frozen=True)
class PackageLayout:
    """What :func:`read_layout` finds in a package."""

    workbook_part: str
    sheets: tuple[SheetInfo, ...]
    tables: tuple[TableInfo, ...]
    defined_names: dict[str, str]

    def sheet(self, name: str) -> SheetInfo:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    def table(self, name: str) -> TableInfo | None:
        """Table by name, case-insensitively as Excel does."""
        return self._by_name.get(name.lower())

    @cached_property
    def _by_name(self) -> dict[str, TableInfo]:
        """Name and display name, in lower case → the first table of either: a read
        looks tables up by name a hundred times."""
        found: dict[str, TableInfo] = {}
        for t in self.tables:
            found.setdefault(t.name.lower(), t)
            found.setdefault(t.display_name.lower(), t)
        return found


def rels_part(part: str) -> str:
    """Relationships part of ``part``: ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """Absolute part name of a relationship ``target`` relative to ``source_part``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def read_rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, absolute target part) of ``part``; empty if none."""
    name = rels_part(part)
    if name not in zf.NameToInfo:
        return {}
    root = ET.fromstring(zf.read(name))
    out = {}
    for rel in root.findall(f"{{{NS_PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        out[rel.get("Id", "")] = (rel.get("Type", ""), resolve(part, rel.get("Target", "")))
    return out


def workbook_part(zf: zipfile.ZipFile) -> str:
    """The main workbook part named by the package's root relationships."""
    for rel_type, target in read_rels(zf, "").values():
        if rel_type == REL_OFFICE_DOC:
            return target
    return "xl/workbook.xml"


#: A formula's string literal (its text in group 1, a doubled quote for a quote).
_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def formula_literals(sheet_xml: bytes) -> frozenset[str]:
    """The string literals of the cell formulas of a worksheet's XML (``"赢单"``)."""
    found = set()
    for m in re.finditer(rb"<(?:\w+:)?f\b[^>]*>([^<]*)</(?:\w+:)?f>", sheet_xml):
        text = m[1].decode("utf-8", "replace").replace("&quot;", '"')
        found |= {x.replace('""', '"') for x in _LITERAL.findall(text)}
    return frozenset(found)


def read_layout(zf: zipfile.ZipFile) -> PackageLayout:
    """Sheets, tables and defined names of an open package."""
    wb_part = workbook_part(zf)
    root = ET.fromstring(zf.read(wb_part))
    rels = read_rels(zf, wb_part)
    sheets = []
    for i, el in enumerate(root.iter(f"{{{NS_MAIN}}}sheet")):
        rid = el.get(f"{{{NS_REL}}}id", "")
        rel_type, target = rels.get(rid, ("", ""))
        if rel_type != REL_WORKSHEET:
            continue  # chart sheets, dialog sheets
        sheets.append(SheetInfo(el.get("name", ""), i, target, rid, int(el.get("sheetId", "0")),
                                el.get("state", "visible")))
    names = {}
    for el in root.iter(f"{{{NS_MAIN}}}definedName"):
        if el.get("localSheetId") is None:
            names[el.get("name", "")] = el.text or ""
    tables = []
    for sheet in sheets:
        for rel_type, target in read_rels(zf, sheet.part).values():
            if rel_type != REL_TABLE or target not in zf.NameToInfo:
                continue
            t = ET.fromstring(zf.read(target))
            columns = tuple(c.get("name", "") for c in t.iter(f"{{{NS_MAIN}}}tableColumn"))
            literals = frozenset(m.replace('""', '"') for f in t.iter(
                f"{{{NS_MAIN}}}calculatedColumnFormula") for m in _LITERAL.findall(f.text or ""))
            tables.append(TableInfo(
                t.get("name", ""), t.get("displayName", t.get("name", "")), sheet.name,
                t.get("ref", ""), columns, target, int(t.get("headerRowCount", "1")),
                literals, int(t.get("totalsRowCount", "0") or "0"),
            ))
    return PackageLayout(wb_part, tuple(sheets), tuple(tables), names)


# --- Additions for package editing (xlsales.io.package) ------------------------------------
#
# The readers above only call ``zf.read(name)`` and test ``name in zf.NameToInfo``; any
# object with that shape (see :class:`PartSource`) can stand in for a ``zipfile.ZipFile``,
# e.g. a view of a package being edited in memory.

NS_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_STYLES = NS_REL + "/styles"
REL_CALC_CHAIN = NS_REL + "/calcChain"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CONTENT_TYPES_PART = "[Content_Types].xml"

# Children of <worksheet> in the order CT_Worksheet (ECMA-376 Part 1, 18.3.1.99) requires.
WORKSHEET_CHILD_ORDER: tuple[str, ...] = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)

# Children of <styleSheet> in the order CT_Stylesheet (18.8.39) requires.
STYLESHEET_CHILD_ORDER: tuple[str, ...] = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
    "tableStyles", "colors", "extLst",
)


class PartSource(Protocol):
    """What the readers of this module need from a package: ``zipfile.ZipFile`` has it."""

    NameToInfo: Mapping[str, object]

    def read(self, name: str) -> bytes:
        """The (decompressed) bytes of part ``name``."""
        ...


@dataclass(frozen=True)
class Relationship:
    """One ``<Relationship>`` of a relationships part; ``target`` is absolute unless external."""

    id: str
    type: str
    target: str
    external: bool = False


def parse_rels(data: bytes, source_part: str) -> list[Relationship]:
    """All relationships in the relationships part ``data`` of ``source_part``, in order."""
    root = ET.fromstring(data)
    out = []
    for rel in root.findall(f"{{{NS_PKG_REL}}}Relationship"):
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target", "")
        out.append(Relationship(rel.get("Id", ""), rel.get("Type", ""),
                                target if external else resolve(source_part, target), external))
    return out


def relative_target(source_part: str, target_part: str) -> str:
    """Relationship target of ``target_part`` as written in the rels of ``source_part``."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


def reachable_parts(source: PartSource) -> set[str]:
    """Every part reachable by internal relationships from the package root.

    Relationships parts themselves and ``[Content_Types].xml`` are not included; targets
    that do not exist in the package are ignored.
    """
    seen: set[str] = set()
    todo = [""]
    while todo:
        part = todo.pop()
        rels = rels_part(part)
        if rels not in source.NameToInfo:
            continue
        for rel in parse_rels(source.read(rels), part):
            if rel.external or rel.target in seen or rel.target not in source.NameToInfo:
                continue
            seen.add(rel.target)
            todo.append(rel.target)
    return seen
