"""Which cells of a worksheet are formatted as percent (Excel shows 0.5 as ``50%``).

The cell readers (:mod:`xlsales.io.cells`) give values only; an export's percent cells
hold the fraction Excel shows as a percent, which matters to a column whose header says
``%`` (:mod:`xlsales.import_percent`). A cell is a percent cell when its style's number
format is a built-in percent one (``0%``, ``0.00%``) or a custom one holding ``%``
outside quotes. The sheet part is only searched for the cells of those styles.
"""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree as ET

from xlsales.io.cellxml import col_index
from xlsales.io.ooxml import REL_STYLES, read_rels, workbook_part

#: built-in number formats that are percent: ``0%`` and ``0.00%``
_BUILTIN_PERCENT = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the package's cell styles (``cellXfs``) whose number format is percent."""
    wb = workbook_part(zf)
    part = next((t for kind, t in read_rels(zf, wb).values() if kind == REL_STYLES),
                "xl/styles.xml")
    if part not in zf.NameToInfo:
        return frozenset()
    try:
        root = ET.fromstring(zf.read(part))
    except ET.ParseError:  # formats unknown: the values are read as the header says
        return frozenset()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    for section in root:
        name = _local(section.tag)
        if name == "numFmts":
            for fmt in section:
                if (fid := fmt.get("numFmtId", "")).isdigit():
                    custom[int(fid)] = fmt.get("formatCode", "")
        elif name == "cellXfs":
            xfs = [int(x.get("numFmtId", "0") or 0) for x in section if _local(x.tag) == "xf"]
    return frozenset(i for i, fid in enumerate(xfs)
                     if fid in _BUILTIN_PERCENT or "%" in _QUOTED.sub("", custom.get(fid, "")))


def percent_cells(zf: zipfile.ZipFile, sheet_part: str) -> set[tuple[int, int]]:
    """(row, column), both 0-based from A1, of the cells of ``sheet_part`` formatted as
    percent."""
    styles = percent_styles(zf)
    if not styles:
        return set()
    found = set()
    for m in _CELL.finditer(zf.read(sheet_part)):
        attrs = m[1]
        style, ref = _STYLE.search(attrs), _REF.search(attrs)
        if style is None or ref is None or int(style[1]) not in styles:
            continue
        found.add((int(ref[2]) - 1, col_index(ref[1].decode()) - 1))
    return found
