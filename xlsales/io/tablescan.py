"""Appending rows to a table, reading side: one streamed scan of the sheet.

:func:`scan_sheet` finds the table's last row with content (one regex match per row;
only the rows at the end are looked into), the rows after it and any content below the
table, without loading the sheet.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from xlsales.io.cellxml import MAX_COLS, col_index
from xlsales.io.sheetstream import root_prefix
from xlsales.io.xmltext import decode_xml, malformed, parse_attrs
from xlsales.io.zipraw import CHUNK

#: What reading a damaged sheet part raises.
SCAN_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError)
_MAX_HEAD = 64 * CHUNK
#: The ``r`` attribute of a row (group 1: its number).
R_ROW = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
#: The ``r`` attribute of a cell (group 1: its column letters).
R_CELL = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{1,3})\$?\d+["']""")
_S_ATTR = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")


@dataclass(frozen=True)
class SheetPatterns:
    """Regular expressions for the elements of a worksheet written with ``prefix``."""

    prefix: str
    sheet_data: re.Pattern[bytes]
    data_end: re.Pattern[bytes]
    row_start: re.Pattern[bytes]
    row: re.Pattern[bytes]
    cell: re.Pattern[bytes]
    formula: re.Pattern[bytes]
    value: re.Pattern[bytes]
    dimension: re.Pattern[bytes]
    col: re.Pattern[bytes]


_PATTERNS: dict[bytes, SheetPatterns] = {}


def sheet_patterns(prefix: bytes) -> SheetPatterns:
    """The patterns of a worksheet whose main namespace has ``prefix`` (``b""``, ``b"x:"``)."""
    if prefix not in _PATTERNS:
        p = re.escape(prefix)
        _PATTERNS[prefix] = SheetPatterns(
            prefix.decode(),
            re.compile(rb"<" + p + rb"sheetData(?=[\s/>])[^>]*?(/?)>"),
            re.compile(rb"</" + p + rb"sheetData\s*>"),
            re.compile(rb"<" + p + rb"row(?=[\s/>])([^>]*)>"),
            re.compile(rb"<" + p + rb"row(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"row\s*>)",
                       re.S),
            re.compile(rb"<" + p + rb"c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"c\s*>)",
                       re.S),
            re.compile(rb"<" + p + rb"f(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"f\s*>)", re.S),
            re.compile(rb"<" + p + rb"[vt](?:\s[^>]*)?>[^<]"),
            re.compile(rb"<" + p + rb"dimension(?=[\s/>])[^>]*>"),
            re.compile(rb"<" + p + rb"col(?=[\s/>])[^>]*>"),
        )
    return _PATTERNS[prefix]


@dataclass
class _RowInfo:
    """A row of the sheet after the table's last row with content."""

    number: int
    start: int  # offsets in the part's decompressed content
    end: int
    in_table: bool
    styles: dict[int, str]
    formulas: dict[int, tuple[bytes, bytes]]


@dataclass
class _RowClass:
    """What a row holds in the table's columns."""

    content_col: int | None  # first table column holding input content (None: blank)
    any_col: int | None  # first table column holding anything, formulas included
    styles: dict[int, str]
    formulas: dict[int, tuple[bytes, bytes]]  # column → (<f> attributes, escaped text)


def row_cells(body: bytes, pats: SheetPatterns) -> Iterator[tuple[int, re.Match[bytes]]]:
    """(1-based column, match) of every cell of a row's XML; cells without ``r`` follow
    the previous one."""
    col = 0
    for m in pats.cell.finditer(body):
        ref = R_CELL.search(m.group(1))
        col = col_index(ref.group(1).decode()) if ref else col + 1
        yield col, m


#: ``[#This Row]`` in a formula: it computes from its own table row.
THIS_ROW = re.compile(rb"\[#This Row\]", re.I)


def _classify_row(body: bytes, pats: SheetPatterns, c1: int, c2: int,
                  calculated: set[int]) -> _RowClass:
    """What a row holds in columns ``c1``..``c2``. A value or formula is input content,
    except a formula of a calculated column or one computed from its own table row
    (``[#This Row]``, as LibreOffice saves calculated columns without declaring them): a
    table row holding only those is blank."""
    found = _RowClass(None, None, {}, {})
    for col, m in row_cells(body, pats):
        if not c1 <= col <= c2:
            continue
        style = _S_ATTR.search(m.group(1))
        if style:
            found.styles[col] = style.group(1).decode()
        inner = m.group(2)
        if not inner:
            continue
        f = pats.formula.search(inner)
        if f is not None:
            found.formulas[col] = (f.group(1), f.group(2) or b"")
            derived = col in calculated or THIS_ROW.search(f.group(2) or b"") is not None
        else:
            derived = False
            if pats.value.search(inner) is None:
                continue
        if found.any_col is None:
            found.any_col = col
        if found.content_col is None and not derived:
            found.content_col = col
    return found


@dataclass
class SheetScan:
    """What :func:`scan_sheet` learns about a worksheet and a table on it."""

    patterns: SheetPatterns
    dimension: tuple[int, int, str] | None = None  # start tag range and its ref
    col_styles: dict[int, str] = field(default_factory=dict)
    empty_data: tuple[int, int] | None = None  # range of a self-closing <sheetData/>
    data_end: int = -1  # offset of </sheetData>
    last_row: int = 0  # last table row holding content (0: none)
    last_class: _RowClass | None = None  # what that row holds
    trail: list[_RowInfo] = field(default_factory=list)  # rows after last_row
    conflict: tuple[int, int] | None = None  # (row, column) of content below the table


def _scan_head(scan: SheetScan, head: bytes) -> None:
    pats = scan.patterns
    dim = pats.dimension.search(head)
    if dim:
        ref = parse_attrs(decode_xml(dim.group(0), "dimension")).get("ref", "")
        scan.dimension = (dim.start(), dim.end(), ref)
    scan.col_styles.update(col_styles(head, pats))


def col_styles(head: bytes, pats: SheetPatterns) -> dict[int, str]:
    """Column → the style index its ``<col>`` element gives, from ``head`` (a worksheet's
    content before ``<sheetData>``)."""
    styles: dict[int, str] = {}
    for m in pats.col.finditer(head):
        attrs = parse_attrs(decode_xml(m.group(0), "col"))
        style = attrs.get("style")
        if style and style.isdigit() and attrs.get("min", "").isdigit():
            low = int(attrs["min"])
            high = int(attrs["max"]) if attrs.get("max", "").isdigit() else low
            for col in range(low, min(high, MAX_COLS) + 1):
                styles[col] = style
    return styles


def scan_sheet(chunks: Iterable[bytes], part: str, c1: int, c2: int, calculated: set[int],
               header_end: int, table_end: int) -> SheetScan:
    """Stream a worksheet's content up to ``</sheetData>``: the last row of the table
    (columns ``c1``..``c2``, data rows ``header_end + 1``..``table_end``) that holds
    content, the rows after it, and content below the table. Rows are classified from
    the end of each buffered batch backwards, so a full table costs one regex match per
    row plus a few classified rows."""
    it = iter(chunks)
    buf = b""
    pats: SheetPatterns | None = None
    start_tag: re.Match[bytes] | None = None
    for chunk in it:
        buf += chunk
        if pats is None:
            prefix = root_prefix(buf, part)
            if prefix is None:
                continue
            pats = sheet_patterns(prefix)
        start_tag = pats.sheet_data.search(buf)
        if start_tag is not None or len(buf) > _MAX_HEAD:
            break
    if pats is None or start_tag is None:
        raise malformed(part)
    scan = SheetScan(pats)
    _scan_head(scan, buf[:start_tag.start()])
    if start_tag.group(1):
        scan.empty_data = (start_tag.start(), start_tag.end())
        scan.data_end = start_tag.start()
        return scan
    base, pos, previous = 0, start_tag.end(), 0
    while True:
        end = pats.data_end.search(buf, pos)
        limit = end.start() if end else len(buf)
        starts = [(m.start(), m.group(1)) for m in pats.row_start.finditer(buf, pos, limit)]
        complete = len(starts) if end else max(len(starts) - 1, 0)
        batch: list[tuple[int, int, int]] = []
        for k in range(complete):
            at, attrs = starts[k]
            number = R_ROW.search(attrs)
            previous = int(number.group(1)) if number else previous + 1
            batch.append((previous, at, starts[k + 1][0] if k + 1 < len(starts) else limit))
        _classify_batch(scan, buf, base, batch, c1, c2, calculated, header_end, table_end)
        if end:
            scan.data_end = base + end.start()
            return scan
        keep = starts[-1][0] if starts else pos
        base += keep
        buf = buf[keep:]
        pos = 0
        chunk = next(it, None)
        if chunk is None:
            raise malformed(part)
        buf += chunk


def _classify_batch(scan: SheetScan, buf: bytes, base: int, batch: list[tuple[int, int, int]],
                    c1: int, c2: int, calculated: set[int], header_end: int,
                    table_end: int) -> None:
    """Classify the rows of a batch from the last one back to the last table row holding
    content (or the table's header), and move ``scan.trail`` forward."""
    pats = scan.patterns
    infos: list[_RowInfo] = []
    stop = False
    for number, start, end in reversed(batch):
        if number <= header_end:
            stop = True
            break
        found = _classify_row(buf[start:end], pats, c1, c2, calculated)
        if number > table_end:  # below the table anything counts, formulas too
            if found.any_col is not None and (scan.conflict is None
                                              or number < scan.conflict[0]):
                scan.conflict = (number, found.any_col)
            infos.append(_RowInfo(number, base + start, base + end, False, {}, {}))
            continue
        if found.content_col is not None:
            scan.last_row, scan.last_class = number, found
            stop = True
            break
        infos.append(_RowInfo(number, base + start, base + end, True, found.styles,
                              found.formulas))
    infos.reverse()
    scan.trail = infos if stop else scan.trail + infos
