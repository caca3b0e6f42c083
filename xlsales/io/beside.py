"""Columns typed right beside an Excel Table, outside it.

A column typed next to a table's last column joins the table in Excel and WPS (the table
grows), not in LibreOffice or a script: outside the table it is no column of it, so
xlsales does not read it and the next period's workbook (``new --from``) does not carry
it. The reader warns (``column_beside_table``) at its header cell. The header row is
found in the grid when the sheet was read as one, else in the first rows of the sheet's
XML (a large sheet read column-wise)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence

from xlsales.io.cellxml import col_index
from xlsales.values import is_blank

#: How much of a sheet's XML is searched for the header row (it is one of the first).
_HEAD_LIMIT = 4 << 20
_ROW = re.compile(rb'<(?:[\w.\-]+:)?row\b[^>]*?\br="(\d+)"[^>]*?(/?)>')
_CELL = re.compile(rb'<(?:[\w.\-]+:)?c\b[^>]*?\br="([A-Z]+)\d+"[^>]*?(/?)>')
_VALUE = re.compile(rb"<(?:[\w.\-]+:)?(?:v|is)\b")
_CELL_END = re.compile(rb"</(?:[\w.\-]+:)?c>")


def beside_in_grid(header: Sequence[object], c2: int, taken: set[int]) -> list[int]:
    """The columns after ``c2`` (1-based) whose header cells in ``header`` (a grid row)
    hold something, up to the first blank one or one of ``taken`` (another table's)."""
    out = []
    col = c2 + 1
    while col <= len(header) and col not in taken and not is_blank(header[col - 1]):
        out.append(col)
        col += 1
    return out


def beside_in_xml(zf: zipfile.ZipFile, part: str, header_row: int, c2: int,
                  taken: set[int]) -> list[int]:
    """As :func:`beside_in_grid`, from the sheet part's XML; [] when the header row is
    not among its first rows or names no row number."""
    body = _row_body(zf, part, header_row)
    if body is None:
        return []
    filled = set()
    for m in _CELL.finditer(body):
        if m[2]:  # <c r="Y4" s="3"/>: a styled empty cell
            continue
        end = _CELL_END.search(body, m.end())  # a formula's <f> may come before its <v>
        if _VALUE.search(body, m.end(), end.start() if end else len(body)):
            filled.add(col_index(m[1].decode()))
    out = []
    col = c2 + 1
    while col in filled and col not in taken:
        out.append(col)
        col += 1
    return out


def _row_body(zf: zipfile.ZipFile, part: str, row: int) -> bytes | None:
    """The XML inside ``<row r="row">``, read from the start of the part."""
    buf = b""
    with zf.open(part) as stream:
        while len(buf) < _HEAD_LIMIT:
            chunk = stream.read(1 << 16)
            buf += chunk
            for m in _ROW.finditer(buf):
                number = int(m[1])
                if number > row:
                    return None
                if number == row:
                    if m[2]:
                        return b""
                    end = re.compile(rb"</(?:[\w.\-]+:)?row>").search(buf, m.end())
                    if end is not None:
                        return buf[m.end():end.start()]
                    break  # the row goes on in the next chunk
            if not chunk:
                return None
    return None
