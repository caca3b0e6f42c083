"""Write a roll-up workbook fast, in parallel: the rows of the big tables (sales records
and activities of every member) are rendered and compressed by the worker processes,
member by member, and spliced into a workbook built by the standard builder.

The standard builder (XlsxWriter) costs about 10 µs per cell and re-parses every
calculated-column formula in every row; a roll-up of 200 members of 2,000 sales rows
holds 400,000 rows, which would take minutes in one process. Here the builder writes
the *skeleton*: every sheet, the small tables, the KPI sheet, validations, names and
styles, with the big tables empty (one placeholder row carrying the calculated-column
formulas). The skeleton tells how each column of a big table is written (style,
formula); :func:`render_rows` writes one member's rows the same way (values typed as
the builder types them, choice keys as labels, dates as serial numbers, text as inline
strings that never become formulas, the calculated columns' formulas), deflated as an
independent block ended by a sync flush, and :func:`splice_rows` puts the blocks in
place of the placeholder row (the deflate streams concatenate; the CRC-32s combine),
widens the table and the sheet's dimension, and copies every other part as it is.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from xlsales.errors import WorkbookError
from xlsales.io.cellxml import col_index, col_letter, excel_serial, inline_string
from xlsales.io.ooxml import read_layout
from xlsales.spec import SPEC, ColumnType, Lang
from xlsales.values import is_blank

#: Tables whose rows are rendered in parallel (the others are small: the builder writes them).
BIG_TABLES = ("Sales", "Activities")
COMPRESS_LEVEL = 6
_LIMIT = 0xFFFFFFFF


class LayoutError(Exception):
    """The skeleton does not look as expected (the caller falls back to the builder)."""


@dataclass(frozen=True)
class CellPlan:
    """How one column of a table is written in every row."""

    letter: str
    style: str  # ' s="N"' or ""
    key: str | None  # the frame column its values come from (None: formula or nothing)
    kind: str  # "date", "choice", "value" or "formula"
    formula: str = ""  # a calculated column's cell content (``<f>…</f><v>0</v>``)
    labels: tuple[tuple[str, str], ...] = ()  # choice key → label in the workbook language


@dataclass(frozen=True)
class TableLayout:
    """Where a big table sits in the skeleton and how its columns are written."""

    name: str
    sheet_part: str
    table_part: str
    ref: str  # the skeleton's table range, e.g. A4:W5
    first_row: int  # first data row (the placeholder row)
    cells: tuple[CellPlan, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.cells if c.key is not None]


@dataclass
class Block:
    """Rendered rows: raw deflate data ended by a sync flush, CRC-32 and length of the XML."""

    data: bytes
    crc: int
    size: int
    rows: int


@dataclass
class CompactFrame:
    """A member's big table as it crosses processes: each column as integer codes into
    its distinct values (repeated reps, stages, dates and customers cost nothing), or as
    a float array when it is all numbers. Pickles in a fraction of the time of rows of
    Python objects, and renders each distinct value once."""

    length: int
    columns: dict[str, tuple[np.ndarray, list[object]] | np.ndarray]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> CompactFrame:
        columns: dict[str, tuple[np.ndarray, list[object]] | np.ndarray] = {}
        for key in frame.columns:
            values = frame[key]
            if values.dtype.kind == "f":
                columns[str(key)] = values.to_numpy(dtype=np.float64, copy=True)
                continue
            codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
            columns[str(key)] = (codes.astype(np.int32), list(uniques))
        return cls(len(frame), columns)

    def column(self, key: str) -> list[object]:
        """The values of ``key`` (None where empty)."""
        data = self.columns[key]
        if isinstance(data, np.ndarray):
            return [None if v != v else v for v in data.tolist()]
        codes, uniques = data
        return [uniques[c] if c >= 0 else None for c in codes.tolist()]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({k: self.column(k) for k in self.columns}, index=range(self.length))


# --- the skeleton's layout -------------------------------------------------------------

_COL = re.compile(r'<col\b[^>]*?\bmin="(\d+)"[^>]*?\bmax="(\d+)"[^>]*?>')
_STYLE = re.compile(r'\bstyle="(\d+)"')
_CELL = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ATTR_R = re.compile(r'\br="([A-Z]+)\d+"')
_ATTR_S = re.compile(r'\bs="(\d+)"')
_FORMULA = re.compile(r"<f(?:\s[^>]*)?>(.*?)</f>", re.S)


def _row_span(xml: str, row: int) -> tuple[int, int] | None:
    """Start and end offsets of ``<row r="row">…</row>`` in a sheet's XML."""
    m = re.search(rf'<row\b[^>]*\br="{row}"[^>]*?(/>|>)', xml)
    if m is None:
        return None
    if m.group(1) == "/>":
        return m.start(), m.end()
    end = xml.find("</row>", m.end())
    return (m.start(), end + len("</row>")) if end >= 0 else None


def table_layout(zf: zipfile.ZipFile, name: str, lang: Lang) -> TableLayout:
    """How the skeleton writes table ``name`` (header labels → spec keys or custom names)."""
    layout = read_layout(zf)
    info = layout.table(name)
    if info is None:
        raise LayoutError(f"no table {name}")
    sheet = layout.sheet(info.sheet)
    xml = zf.read(sheet.part).decode("utf-8")
    m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", info.ref)
    if m is None or info.header_rows != 1:
        raise LayoutError(f"unexpected range {info.ref}")
    c1, header, c2, last = col_index(m[1]), int(m[2]), col_index(m[3]), int(m[4])
    if last != header + 1 or c2 - c1 + 1 != len(info.columns):
        raise LayoutError(f"{name} is not empty in the skeleton")
    styles: dict[int, str] = {}
    for col in _COL.finditer(xml):
        style = _STYLE.search(col.group(0))
        for i in range(int(col[1]), int(col[2]) + 1):
            styles[i] = style.group(1) if style else ""
    span = _row_span(xml, header + 1)
    placeholder: dict[str, tuple[str, str]] = {}  # letter → (style, formula cell content)
    if span is not None:
        for cell in _CELL.finditer(xml[span[0]:span[1]]):
            ref, s = _ATTR_R.search(cell[1]), _ATTR_S.search(cell[1])
            if ref and _FORMULA.search(cell[2] or ""):
                other = _ATTR_S.sub("", _ATTR_R.sub("", cell[1])).strip()
                style = f' s="{s[1]}"' if s else ""
                placeholder[ref[1]] = (style + (" " + other if other else ""), cell[2])
    spec_table = SPEC.table(name)
    by_label = {c.label.get(lang): c for c in spec_table.columns}
    cells = []
    for i, header_text in enumerate(info.columns):
        letter = col_letter(c1 + i)
        column = by_label.get(header_text)
        if letter in placeholder:
            attrs, content = placeholder[letter]
            cells.append(CellPlan(letter, attrs, None, "formula", content))
            continue
        style = styles.get(c1 + i, "")
        s = f' s="{style}"' if style and style != "0" else ""
        if column is not None and not column.is_input:
            cells.append(CellPlan(letter, s, None, "value"))  # a formula column left empty
        elif column is None:
            cells.append(CellPlan(letter, s, header_text, "value"))  # a custom field
        elif column.type in (ColumnType.DATE, ColumnType.MONTH):
            cells.append(CellPlan(letter, s, column.key, "date"))
        elif column.type is ColumnType.CHOICE and column.choices is not None:
            labels = tuple((c.key, c.label.get(lang)) for c in column.choices.choices)
            cells.append(CellPlan(letter, s, column.key, "choice", labels=labels))
        else:
            cells.append(CellPlan(letter, s, column.key, "value"))
    return TableLayout(name, sheet.part, info.part, info.ref, header + 1, tuple(cells))


# --- rendering rows (in the workers) -------------------------------------------------------


def _tail_of(plan: CellPlan):  # -> Callable[[object], str | None]
    """What follows ``<c r="A12"`` in a cell of the column for a value (None: no cell),
    typed as the builder types it."""
    s = plan.style
    choices, labels = None, dict(plan.labels)
    if plan.kind == "choice":
        column = next(c for t in (SPEC.table(n) for n in BIG_TABLES) for c in t.columns
                      if c.key == plan.key and c.choices is not None)
        choices = column.choices

    def tail(value: object) -> str | None:
        if is_blank(value):
            return None
        if plan.kind == "date" and isinstance(value, date | datetime):
            serial = excel_serial(value.to_pydatetime() if isinstance(value, pd.Timestamp)
                                  else value)
            return None if serial is None else f"{s}><v>{serial:.15g}</v></c>"
        if choices is not None:
            key = choices.key_of(str(value))
            text = labels.get(key, str(value)) if key else str(value)
            return f'{s} t="inlineStr">{inline_string(text)}</c>'
        if isinstance(value, bool):
            return f'{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            number = float(value)
            finite = number == number and abs(number) != float("inf")
            return f"{s}><v>{number!r}</v></c>" if finite else None
        return f'{s} t="inlineStr">{inline_string(str(value))}</c>'

    return tail


def _tails(plan: CellPlan, part: CompactFrame, constants: dict[str, object]
           ) -> list[str | None] | str | None:
    """The tails of the column in every row of ``part``: a list, or one tail for all."""
    tail = _tail_of(plan)
    if plan.key in constants:
        return tail(constants[plan.key])
    data = part.columns.get(plan.key or "")
    if data is None:
        return None
    if isinstance(data, np.ndarray):
        return [tail(v) for v in data.tolist()]
    codes, uniques = data
    distinct = [tail(u) for u in uniques] + [None]  # code -1: empty
    return [distinct[c] for c in codes.tolist()]


def render_rows(layout: TableLayout, parts: Sequence[tuple[CompactFrame, dict[str, object]]],
                first_row: int, level: int = COMPRESS_LEVEL) -> Block:
    """The XML of the rows of ``parts`` (a member's rows and the values constant over
    them, such as its name) from row ``first_row`` on, deflated as a block that others
    can follow."""
    rows: list[str] = []
    r = first_row
    for part, constants in parts:
        columns = []
        for plan in layout.cells:
            if plan.kind == "formula":
                columns.append((plan.letter, f"{plan.style}>{plan.formula}</c>"))
            else:
                tails = _tails(plan, part, constants)
                if tails is not None:
                    columns.append((plan.letter, tails))
        for i in range(part.length):
            n = str(r)
            cells = []
            for letter, tails in columns:
                tail = tails if isinstance(tails, str) else tails[i]
                if tail is not None:
                    cells.append(f'<c r="{letter}{n}"{tail}')
            rows.append(f'<row r="{n}">{"".join(cells)}</row>')
            r += 1
    xml = "".join(rows).encode("utf-8")
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(xml) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return Block(data, zlib.crc32(xml), len(xml), r - first_row)


# --- CRC-32 of concatenated blocks (zlib's crc32_combine, which Python does not expose) ---

def _gf2_times(matrix: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= matrix[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


_ZERO_BYTES: list[list[int]] = []  # [k]: the operator that appends 2**k zero bytes


def _zeros_operator(k: int) -> list[int]:
    while len(_ZERO_BYTES) <= k:
        if _ZERO_BYTES:
            _ZERO_BYTES.append(_gf2_square(_ZERO_BYTES[-1]))
        else:
            bit = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
            _ZERO_BYTES.append(_gf2_square(_gf2_square(_gf2_square(bit))))  # eight bits
    return _ZERO_BYTES[k]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from CRC-32 of A, CRC-32 of B and the length of B."""
    k = 0
    while len2 > 0:
        if len2 & 1:
            crc1 = _gf2_times(_zeros_operator(k), crc1)
        len2 >>= 1
        k += 1
    return crc1 ^ crc2


# --- splicing the blocks into the skeleton ---------------------------------------------------

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5HLL")
_EOCD = struct.Struct("<4s4H2LH")


class _Zip:
    """A plain zip writer: deflated members, from whole bytes or from prepared blocks."""

    def __init__(self, path: Path) -> None:
        self.out = path.open("wb")
        self.central: list[bytes] = []

    def add(self, info: zipfile.ZipInfo, blocks: Iterable[bytes], crc: int, size: int) -> None:
        offset = self.out.tell()
        name = info.filename.encode("utf-8")
        flags = 0 if info.filename.isascii() else 0x800
        dos_time = info.date_time[3] << 11 | info.date_time[4] << 5 | info.date_time[5] // 2
        dos_date = (max(info.date_time[0], 1980) - 1980) << 9 | info.date_time[1] << 5 | \
            info.date_time[2]
        self.out.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, 8, dos_time, dos_date, 0, 0, 0,
                                   len(name), 0) + name)
        csize = 0
        for block in blocks:
            self.out.write(block)
            csize += len(block)
        end = self.out.tell()
        if max(end, size, csize) > _LIMIT:
            raise WorkbookError("合并结果超过 4 GB，无法写成一个工作簿：请分批合并"
                                "（例如先按区域）。",
                                "The roll-up would exceed 4 GB: consolidate in steps (for "
                                "example region by region first).")
        self.out.seek(offset + 14)
        self.out.write(struct.pack("<3L", crc, csize, size))
        self.out.seek(end)
        self.central.append(_CENTRAL.pack(
            b"PK\x01\x02", 20 | 3 << 8, 20, flags, 8, dos_time, dos_date, crc, csize, size,
            len(name), 0, 0, 0, 0, 0o100644 << 16, offset) + name)

    def add_bytes(self, info: zipfile.ZipInfo, data: bytes) -> None:
        compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
        self.add(info, [compressor.compress(data) + compressor.flush()], zlib.crc32(data),
                 len(data))

    def close(self) -> None:
        start = self.out.tell()
        for record in self.central:
            self.out.write(record)
        size = self.out.tell() - start
        self.out.write(_EOCD.pack(b"PK\x05\x06", 0, 0, len(self.central), len(self.central),
                                  size, start, 0))
        self.out.close()


def _deflate(data: bytes, final: bool) -> bytes:
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final
                                                        else zlib.Z_SYNC_FLUSH)


def _new_ref(ref: str, last_row: int) -> str:
    head, tail = ref.split(":")
    return head + ":" + re.sub(r"\d+$", str(last_row), tail)


def splice_rows(skeleton: Path, out: Path, layouts: dict[str, TableLayout],
                blocks: dict[str, list[Block]]) -> None:
    """Write ``out``: the skeleton with each big table's placeholder row replaced by its
    rendered blocks (tables without rows keep the placeholder)."""
    by_sheet = {layouts[n].sheet_part: n for n in blocks if blocks[n]}
    by_table = {layouts[n].table_part: n for n in blocks if blocks[n]}
    writer = _Zip(out)
    try:
        with zipfile.ZipFile(skeleton) as zf:
            for info in zf.infolist():
                data = zf.read(info.filename)
                name = by_sheet.get(info.filename) or by_table.get(info.filename)
                if name is None:
                    writer.add_bytes(info, data)
                    continue
                layout = layouts[name]
                rows = sum(b.rows for b in blocks[name])
                last = layout.first_row + rows - 1
                text = data.decode("utf-8")
                if info.filename == layout.table_part:
                    new = _new_ref(layout.ref, last)
                    writer.add_bytes(info, text.replace(f'ref="{layout.ref}"',
                                                        f'ref="{new}"').encode("utf-8"))
                    continue
                span = _row_span(text, layout.first_row)
                if span is None:
                    at = text.find("</sheetData>")
                    if at < 0:
                        raise LayoutError("no sheetData")
                    span = (at, at)
                head = re.sub(r'(<dimension\b[^>]*\bref=")([^"]*)(")',
                              lambda m, last=last: m[1] + _new_ref(m[2], last) + m[3]
                              if ":" in m[2] else m[0], text[:span[0]], count=1)
                head_b, tail_b = head.encode("utf-8"), text[span[1]:].encode("utf-8")
                crc, size = zlib.crc32(head_b), len(head_b)
                for block in blocks[name]:
                    crc, size = crc32_combine(crc, block.crc, block.size), size + block.size
                crc, size = crc32_combine(crc, zlib.crc32(tail_b), len(tail_b)), size + len(
                    tail_b)
                parts = [_deflate(head_b, False), *(b.data for b in blocks[name]),
                         _deflate(tail_b, True)]
                writer.add(info, parts, crc, size)
    finally:
        writer.close()


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
