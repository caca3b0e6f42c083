"""Write a roll-up workbook fast, in parallel: the rows of the big tables (sales records
and activities of every member) are rendered and compressed by the worker processes,
member by member, and spliced into a workbook built by the standard builder (the other
merged tables — targets, problems, lessons — are rendered the same way by the main
process, while the workers render).

The standard builder (XlsxWriter) costs about 10 µs per cell and re-parses every
calculated-column formula in every row; a roll-up of 200 members of 2,000 sales rows
holds 400,000 rows, which would take minutes in one process. Here the builder writes
the *skeleton*: every sheet, the small tables, the KPI sheet, validations, names and
styles, with the big tables empty (one placeholder row carrying the calculated-column
formulas). The skeleton tells how each column of a merged table is written (style,
formula); :func:`render_rows` writes one member's rows the same way (values typed as
the builder types them, choice keys as labels, dates as serial numbers, text as inline
strings that never become formulas, the calculated columns' formulas), deflated as an
independent block ended by a sync flush, and :func:`splice_rows` puts the blocks in
place of the placeholder row as they come (the deflate streams concatenate; the CRC-32s
combine), widens the table and the sheet's dimension, and copies every other part as it
is.

Rendering is column-wise: each distinct value of a column is typed and escaped once, the
row numbers are written once per block, and the cells are laid out as a grid of byte
strings joined in one call, so no Python code runs per cell.
"""

from __future__ import annotations

import os
import pickle
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from xlsales.errors import WorkbookError
from xlsales.io.cellxml import col_index, col_letter, excel_serial, inline_string
from xlsales.io.ooxml import read_layout
from xlsales.spec import SPEC, ColumnType, Lang
from xlsales.values import is_blank

#: Tables whose rows are rendered in parallel (the others are small: the main process
#: renders them).
BIG_TABLES = ("Sales", "Activities")
#: Deflate level of the rendered rows. Level 3 deflates the rows' XML (mostly repeated
#: calculated-column formulas) about 2.8× as fast as level 6, for a file about 30 %
#: larger; the other parts keep level 6.
ROWS_LEVEL = 3
#: Rows rendered and deflated at a time (about 300 KB of a sales table's XML).
ROWS_PER_PIECE = 64
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
    """A member's table as it crosses processes: each column as integer codes into its
    distinct values (repeated reps, stages, dates and customers cost nothing), or as a
    float array when it is all numbers. Pickles in a fraction of the time of a data
    frame or of rows of Python objects, and renders each distinct value once."""

    length: int
    columns: dict[str, tuple[np.ndarray, list[object]] | np.ndarray]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> CompactFrame:
        columns: dict[str, tuple[np.ndarray, list[object]] | np.ndarray] = {}
        for key, values in frame.items():
            if values.dtype.kind == "f":
                columns[str(key)] = values.to_numpy(dtype=np.float64, copy=True)
                continue
            codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
            columns[str(key)] = (codes.astype(np.int32), uniques.tolist())
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


@dataclass(frozen=True)
class Sealed:
    """A :class:`CompactFrame` pickled and deflated by the worker that read it, with its
    length and columns in the clear: the main process keeps it and hands it on to the
    worker that renders it without opening it (one bytes object, about a sixth of the
    pickle: codes and repeated numbers deflate well)."""

    data: bytes
    length: int
    columns: tuple[str, ...]

    @classmethod
    def of(cls, frame: CompactFrame) -> Sealed:
        data = zlib.compress(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), 1)
        return cls(data, frame.length, tuple(frame.columns))

    def open(self) -> CompactFrame:
        frame = pickle.loads(zlib.decompress(self.data))
        assert isinstance(frame, CompactFrame)
        return frame


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


#: Text that :func:`inline_string` leaves as it is: no character to escape or drop, no
#: ``_xHHHH_`` look-alike (no ``_`` at all), no line break or control character.
_PLAIN_TEXT = re.compile(r"[^\x00-\x1f&<>_\ud800-\udfff\ufffe\uffff]{0,32767}")


def _inline(text: str) -> str:
    """:func:`inline_string` of ``text``, without its escaping work for plain text."""
    if _PLAIN_TEXT.fullmatch(text) and text == text.strip():
        return f"<is><t>{text}</t></is>"
    return inline_string(text)


def _tail_of(plan: CellPlan, table: str) -> Callable[[object], str | None]:
    """What follows ``<c r="A12`` in a cell of the column for a value (None: no cell),
    typed as the builder types it."""
    s = plan.style
    choices, labels = None, dict(plan.labels)
    if plan.kind == "choice" and plan.key is not None:
        choices = SPEC.table(table).column(plan.key).choices

    def tail(value: object) -> str | None:
        if is_blank(value):
            return None
        if plan.kind == "date" and isinstance(value, date | datetime):
            serial = excel_serial(value.to_pydatetime() if isinstance(value, pd.Timestamp)
                                  else value)
            return None if serial is None else f'"{s}><v>{serial:.15g}</v></c>'
        if choices is not None:
            key = choices.key_of(str(value))
            text = labels.get(key, str(value)) if key else str(value)
            return f'"{s} t="inlineStr">{_inline(text)}</c>'
        if isinstance(value, bool):
            return f'"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            number = float(value)
            finite = number == number and abs(number) != float("inf")
            return f'"{s}><v>{number!r}</v></c>' if finite else None
        return f'"{s} t="inlineStr">{_inline(str(value))}</c>'

    return tail


_Cells = bytes | np.ndarray  # the same bytes in every row, or one per row


#: Lines of ``"\n".join(texts)`` holding a character :func:`inline_string` would change,
#: and lines with leading or trailing white space (kept with ``xml:space``).
_NOT_PLAIN = re.compile(r"[\x00-\x09\x0b-\x1f&<>_\ud800-\udfff\ufffe\uffff]")
_EDGE_SPACE = re.compile(r"(?m)^[^\S\n]|[^\S\n]$")


def _plain_texts(values: list[object]) -> bool:
    """All of ``values`` are texts :func:`inline_string` leaves as they are (checked on
    all of them at once)."""
    if not values or not all(type(v) is str for v in values):
        return False
    joined = "\n".join(values)  # type: ignore[arg-type]
    return (joined.count("\n") == len(values) - 1 and _NOT_PLAIN.search(joined) is None
            and _EDGE_SPACE.search(joined) is None
            and 0 < min(map(len, values))  # type: ignore[arg-type]
            and max(map(len, values)) <= 32767)  # type: ignore[arg-type]


def _tails(plan: CellPlan, table: str, values: list[object], numbers: bool) -> list[str | None]:
    """The tail of each of the distinct ``values`` of a column (all floats, NaN left out,
    when ``numbers``): plain texts and numbers at once, anything else one by one."""
    s = plan.style
    if plan.kind == "value" and numbers:
        return [f'"{s}><v>{v!r}</v></c>' if abs(v) != float("inf") else None
                for v in values]  # type: ignore[arg-type]
    if plan.kind == "value" and _plain_texts(values):
        return [f'"{s} t="inlineStr"><is><t>{v}</t></is></c>' for v in values]
    tail = _tail_of(plan, table)
    return [tail(v) for v in values]


def _encoded(texts: list[str | None]) -> np.ndarray:
    """``texts`` as UTF-8 bytes (None kept), in one call where no text holds a newline."""
    out = np.empty(len(texts), dtype=object)
    present = [t for t in texts if t is not None]
    joined = "\n".join(present)
    if joined.count("\n") == len(present) - 1:
        chunks = iter(joined.encode("utf-8").split(b"\n") if present else [])
        out[:] = [None if t is None else next(chunks) for t in texts]
    else:
        out[:] = [None if t is None else t.encode("utf-8") for t in texts]
    return out


def _column_cells(plan: CellPlan, table: str, part: CompactFrame,
                  constants: dict[str, object]) -> tuple[np.ndarray, np.ndarray] | bytes | None:
    """The cell tails of the column in the rows of ``part``: one for every row (bytes),
    none (None), or the distinct tails (bytes, None for no cell) and each row's code."""
    if plan.key in constants:
        one = _tail_of(plan, table)(constants[plan.key])
        return None if one is None else one.encode("utf-8")
    data = part.columns.get(plan.key or "")
    if data is None:
        return None
    if isinstance(data, np.ndarray):
        codes, uniques = pd.factorize(data, use_na_sentinel=True)
        values: list[object] = uniques.tolist()
    else:
        codes, values = data
    distinct = [*_tails(plan, table, values, isinstance(data, np.ndarray)), None]  # -1: empty
    return _encoded(distinct), np.where(codes < 0, len(distinct) - 1, codes)


def _render_part(layout: TableLayout, part: CompactFrame, constants: dict[str, object],
                 first_row: int) -> Iterator[bytes]:
    """The ``<row>`` elements of ``part`` from row ``first_row`` on, as UTF-8, in pieces
    of :data:`ROWS_PER_PIECE` rows (each is deflated while it is in the CPU's cache)."""
    count = part.length
    numbers = np.empty(count, dtype=object)
    numbers[:] = [str(r).encode("ascii") for r in range(first_row, first_row + count)]
    pieces: list[_Cells] = []  # one grid column each: constant bytes or one per row

    def constant(text: bytes) -> None:
        if pieces and isinstance(pieces[-1], bytes):
            pieces[-1] += text
        else:
            pieces.append(text)

    constant(b'<row r="')
    pieces.append(numbers)
    constant(b'">')
    for plan in layout.cells:
        start = f'<c r="{plan.letter}'.encode("ascii")
        if plan.kind == "formula":
            constant(start)
            pieces.append(numbers)
            constant(f'"{plan.style}>{plan.formula}</c>'.encode())
            continue
        cells = _column_cells(plan, layout.name, part, constants)
        if cells is None:
            continue
        if isinstance(cells, bytes):
            constant(start)
            pieces.append(numbers)
            constant(cells)
            continue
        distinct, codes = cells
        tails = distinct[codes]
        blank = np.array([t is None for t in distinct])[codes]
        if not blank.any():
            constant(start)
            pieces += [numbers, tails]
            continue
        if blank.all():
            continue
        starts = np.full(count, start, dtype=object)
        rows = numbers.copy()
        starts[blank] = rows[blank] = tails[blank] = b""
        pieces += [starts, rows, tails]
    constant(b"</row>")
    grid = np.empty((count, len(pieces)), dtype=object)
    for i, piece in enumerate(pieces):
        grid[:, i] = piece
    for start in range(0, count, ROWS_PER_PIECE):
        yield b"".join(grid[start:start + ROWS_PER_PIECE].ravel().tolist())


def render_rows(layout: TableLayout,
                parts: Sequence[tuple[CompactFrame | Sealed, dict[str, object]]],
                first_row: int, level: int = ROWS_LEVEL) -> Block:
    """The XML of the rows of ``parts`` (a member's rows and the values constant over
    them, such as its name) from row ``first_row`` on, deflated as a block that others
    can follow."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated: list[bytes] = []
    crc = size = 0
    r = first_row
    for part, constants in parts:
        frame = part.open() if isinstance(part, Sealed) else part
        for xml in _render_part(layout, frame, constants, r):
            deflated.append(compressor.compress(xml))
            crc, size = zlib.crc32(xml, crc), size + len(xml)
        r += frame.length
    deflated.append(compressor.flush(zlib.Z_SYNC_FLUSH))
    return Block(b"".join(deflated), crc, size, r - first_row)


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
    """A plain zip writer: deflated members, from whole bytes, from raw deflate data or
    from blocks written as they come."""

    def __init__(self, path: Path) -> None:
        self.out = path.open("wb")
        self.central: list[bytes] = []

    def add(self, info: zipfile.ZipInfo, blocks: Iterable[Block]) -> int:
        """Write the member ``info`` from raw deflate ``blocks`` (the last one final);
        returns the number of rows the blocks held."""
        offset = self.out.tell()
        name = info.filename.encode("utf-8")
        flags = 0 if info.filename.isascii() else 0x800
        dos_time = info.date_time[3] << 11 | info.date_time[4] << 5 | info.date_time[5] // 2
        dos_date = (max(info.date_time[0], 1980) - 1980) << 9 | info.date_time[1] << 5 | \
            info.date_time[2]
        self.out.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, 8, dos_time, dos_date, 0, 0, 0,
                                   len(name), 0) + name)
        crc = csize = size = rows = 0
        for block in blocks:
            self.out.write(block.data)
            crc = crc32_combine(crc, block.crc, block.size) if size else block.crc
            csize, size, rows = csize + len(block.data), size + block.size, rows + block.rows
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
        return rows

    def add_bytes(self, info: zipfile.ZipInfo, data: bytes) -> None:
        self.add(info, [_deflate(data, True)])

    def close(self) -> None:
        start = self.out.tell()
        for record in self.central:
            self.out.write(record)
        size = self.out.tell() - start
        self.out.write(_EOCD.pack(b"PK\x05\x06", 0, 0, len(self.central), len(self.central),
                                  size, start, 0))
        self.out.close()


def _deflate(data: bytes, final: bool, level: int = COMPRESS_LEVEL) -> Block:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final
                                                            else zlib.Z_SYNC_FLUSH)
    return Block(deflated, zlib.crc32(data), len(data), 0)


def _raw(source: BinaryIO, info: zipfile.ZipInfo) -> Block | None:
    """The deflate data of a deflated member of an open zip file, as it is (no
    inflating and deflating again); None if it is stored otherwise."""
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        return None
    source.seek(info.header_offset)
    header = source.read(_LOCAL.size)
    fields = _LOCAL.unpack(header)
    if fields[0] != b"PK\x03\x04":
        return None
    source.seek(info.header_offset + _LOCAL.size + fields[9] + fields[10])
    return Block(source.read(info.compress_size), info.CRC, info.file_size, 0)


def _new_ref(ref: str, last_row: int) -> str:
    head, tail = ref.split(":")
    return head + ":" + re.sub(r"\d+$", str(last_row), tail)


def splice_rows(skeleton: Path, out: Path, layouts: Mapping[str, TableLayout],
                rows: Mapping[str, int], blocks: Mapping[str, Iterable[Block]]) -> None:
    """Write ``out``: the skeleton with the placeholder row of each table of ``rows``
    (table → number of rows, > 0) replaced by its rendered ``blocks``, written as they
    come (an iterable may wait for workers); every other part is copied as it is."""
    by_part = {layouts[n].sheet_part: n for n in rows} | {layouts[n].table_part: n
                                                          for n in rows}
    if len(by_part) != 2 * len(rows):
        raise LayoutError("two tables share a sheet")
    writer = _Zip(out)
    try:
        with zipfile.ZipFile(skeleton) as zf, skeleton.open("rb") as source:
            for info in zf.infolist():
                name = by_part.get(info.filename)
                if name is None:
                    raw = _raw(source, info)
                    if raw is not None:
                        writer.add(info, [raw])
                    else:
                        writer.add_bytes(info, zf.read(info.filename))
                    continue
                layout = layouts[name]
                last = layout.first_row + rows[name] - 1
                text = zf.read(info.filename).decode("utf-8")
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
                written = writer.add(info, chain([_deflate(head_b, False)], blocks[name],
                                                 [_deflate(tail_b, True)]))
                if written != rows[name]:
                    raise LayoutError(f"{name}: {written} rows rendered, {rows[name]} expected")
    finally:
        writer.close()


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
