"""Zip writing with raw copy of unchanged members.

Raw copy
--------
Python's :mod:`zipfile` has no public API to copy a member without decompressing and
recompressing it, so :class:`ZipWriter` writes the output archive itself. For an
unchanged member it copies the original bytes of the local file header, the compressed
data and, if the member has one (general-purpose flag bit 3, as LibreOffice writes), the
data descriptor, exactly as they are in the source file. Its central-directory record is
the original record, read from the source's central directory by :func:`raw_central_records`,
with only the 4-byte "offset of local header" field patched to the new position. Extra
fields, timestamps, attributes and flags therefore stay identical. ``zipfile`` is used only
to read (the :class:`zipfile.ZipInfo` offsets and sizes, which are public attributes, and to
stream the decompressed content of the parts that change). Sources the raw path does not
handle (ZIP64, split or prefixed archives) fall back to decompress + recompress, which is
slower but gives the same content.
"""

from __future__ import annotations

import os
import struct
import time
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from xlsales.errors import WorkbookError

#: Size of the blocks parts are read, streamed and copied in.
CHUNK = 1 << 20
_COMPRESS_LEVEL = 6

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5HLL")
_EOCD = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF


def raw_central_records(path: Path, zf: zipfile.ZipFile) -> dict[str, bytes] | None:
    """Original central-directory record of every member, or None if the archive is not
    a plain single-disk, non-ZIP64 zip starting at offset 0 (then raw copy is not used)."""
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        tail_len = min(size, _EOCD.size + 0xFFFF)
        f.seek(size - tail_len)
        tail = f.read()
        pos = tail.rfind(b"PK\x05\x06")
        while pos >= 0 and pos + _EOCD.size + struct.unpack(
                "<H", tail[pos + 20:pos + 22])[0] != len(tail):
            pos = tail.rfind(b"PK\x05\x06", 0, pos)
        if pos < 0:
            return None
        _, disk, cd_disk, n_here, n_total, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, pos)
        if (disk or cd_disk or n_here != n_total or n_total == 0xFFFF
                or _LIMIT in (cd_size, cd_offset)
                or cd_offset + cd_size != size - tail_len + pos):
            return None
        f.seek(cd_offset)
        directory = f.read(cd_size)
    infos = zf.infolist()
    if len(infos) != n_total:
        return None
    records: dict[str, bytes] = {}
    at = 0
    for info in infos:
        if directory[at:at + 4] != b"PK\x01\x02":
            return None
        fields = _CENTRAL.unpack_from(directory, at)
        n, m, k = fields[10], fields[11], fields[12]
        offset, csize = fields[16], fields[8]
        if (offset != info.header_offset or csize != info.compress_size or _LIMIT in fields[8:10]
                or info.filename in records):
            return None
        records[info.filename] = directory[at:at + _CENTRAL.size + n + m + k]
        at += _CENTRAL.size + n + m + k
    return records


def _has_zip64_extra(extra: bytes) -> bool:
    at = 0
    while at + 4 <= len(extra):
        header_id, size = struct.unpack_from("<2H", extra, at)
        if header_id == 0x0001:
            return True
        at += 4 + size
    return False


def _dos_time() -> tuple[int, int]:
    t = time.localtime()
    year = max(t.tm_year, 1980)
    return (t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2,
            (year - 1980) << 9 | t.tm_mon << 5 | t.tm_mday)


class ZipWriter:
    """Writes a zip archive: raw copies of source members and new deflated members."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._central: list[bytes] = []

    def _offset(self) -> int:
        offset = self._out.tell()
        if offset > _LIMIT or len(self._central) >= 0xFFFF:
            raise WorkbookError("结果超过 4 GB 或 65535 个部件（ZIP64），暂不支持。",
                                "The result needs ZIP64 (over 4 GB or 65535 parts); "
                                "not supported.")
        return offset

    def copy_raw(self, src: IO[bytes], info: zipfile.ZipInfo, central: bytes) -> None:
        """Copy local header, compressed data and data descriptor of ``info`` as they are."""
        offset = self._offset()
        src.seek(info.header_offset)
        header = src.read(_LOCAL.size)
        if header[:4] != b"PK\x03\x04":
            raise WorkbookError(f"工作簿已损坏：找不到 {info.filename} 的数据。",
                                f"The workbook is damaged: no local header for {info.filename}.")
        n, m = struct.unpack("<2H", header[26:30])
        length = _LOCAL.size + n + m + info.compress_size
        if info.flag_bits & 0x08:
            extra = src.read(n + m)[n:]
            sizes = 8 if _has_zip64_extra(extra) else 4
            src.seek(info.header_offset + length)
            length += 4 + 2 * sizes + (4 if src.read(4) == b"PK\x07\x08" else 0)
        src.seek(info.header_offset)
        while length:
            block = src.read(min(length, CHUNK))
            if not block:
                raise WorkbookError(f"工作簿已损坏：{info.filename} 的数据不完整。",
                                    f"The workbook is damaged: {info.filename} is truncated.")
            self._out.write(block)
            length -= len(block)
        self._central.append(central[:42] + struct.pack("<L", offset) + central[46:])

    def write(self, name: str, chunks: Iterable[bytes], like: bytes | None) -> None:
        """Deflate ``chunks`` as member ``name``; attributes (system, permissions) are
        taken from the central record ``like`` when given."""
        offset = self._offset()
        raw_name = name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        dos_time, dos_date = _dos_time()
        self._out.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, 8, dos_time, dos_date, 0, 0, 0,
                                    len(raw_name), 0) + raw_name)
        compressor = zlib.compressobj(_COMPRESS_LEVEL, zlib.DEFLATED, -15)
        crc = size = csize = 0
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            block = compressor.compress(chunk)
            csize += len(block)
            self._out.write(block)
        block = compressor.flush()
        csize += len(block)
        self._out.write(block)
        if max(size, csize, self._out.tell()) > _LIMIT:
            self._offset()
            raise WorkbookError(f"部件 {name} 超过 4 GB（ZIP64），暂不支持。",
                                f"The part {name} is over 4 GB (ZIP64); not supported.")
        end = self._out.tell()
        self._out.seek(offset + 14)
        self._out.write(struct.pack("<3L", crc, csize, size))
        self._out.seek(end)
        made_by, internal, external = 20 | 3 << 8, 0, 0o100644 << 16
        if like is not None:
            made_by, = struct.unpack("<H", like[4:6])
            internal, external = struct.unpack("<HL", like[36:42])
        self._central.append(_CENTRAL.pack(
            b"PK\x01\x02", made_by, 20, flags, 8, dos_time, dos_date, crc, csize, size,
            len(raw_name), 0, 0, 0, internal, external, offset) + raw_name)

    def finish(self, comment: bytes) -> None:
        """Write the central directory and the end record."""
        start = self._offset()
        for record in self._central:
            self._out.write(record)
        size = self._out.tell() - start
        self._out.write(_EOCD.pack(b"PK\x05\x06", 0, 0, len(self._central),
                                   len(self._central), size, start, len(comment)) + comment)
