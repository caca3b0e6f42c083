"""Splicing rendered rows into a roll-up's skeleton: :func:`splice_rows` writes the
workbook with each merged table's placeholder row replaced by its blocks
(:mod:`xlsales.rollup_render`) as they come — the deflate streams concatenate, the
CRC-32s combine (:mod:`xlsales.rollup_crc`) — widens the table and the sheet's
dimension, and copies every other part as it is (its deflate data untouched)."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from xlsales.errors import WorkbookError
from xlsales.rollup_crc import crc32_combine
from xlsales.rollup_layout import LayoutError, TableLayout, row_span
from xlsales.rollup_render import Block

COMPRESS_LEVEL = 6
_LIMIT = 0xFFFFFFFF

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
                span = row_span(text, layout.first_row)
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
