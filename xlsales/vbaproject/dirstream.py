"""The ``VBA/dir`` stream (MS-OVBA 2.3.4.2): its records, written and read back.

The project-level values are those Excel wrote for xlwings' quickstart project (64-bit
Windows, English (US) locale, code page 1252); module cookies are 0xFFFF as MS-OVBA asks
of writers.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from xlsales.vbaproject.errors import CorruptVbaDataError
from xlsales.vbaproject.module import CODEPAGE, ENCODING, VbaModule, module_docstring
from xlsales.vbaproject.references import Reference

SYSKIND_WIN64 = 3
LCID_EN_US = 0x0409
VERSION_MAJOR, VERSION_MINOR = 0x68FBFAC5, 4
COOKIE = 0xFFFF
PROJECTVERSION = 0x0009
MODULENAME, MODULESTREAMNAME, MODULEDOCSTRING, MODULEOFFSET = 0x0019, 0x001A, 0x001C, 0x0031
MODULETYPE_PROCEDURAL, MODULETYPE_OTHER, MODULE_TERMINATOR = 0x0021, 0x0022, 0x002B
DIR_TERMINATOR = 0x0010


@dataclass(frozen=True)
class DirRecord:
    """One record of a ``dir`` stream: its id and the bytes after its size field."""

    id: int
    data: bytes


@dataclass(frozen=True)
class DirModule:
    """What the ``dir`` stream says of one module."""

    name: str
    stream_name: str
    docstring: str
    text_offset: int
    procedural: bool


def _record(record_id: int, data: bytes = b"") -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _u32(record_id: int, value: int) -> bytes:
    return _record(record_id, struct.pack("<I", value))


def _u16(record_id: int, value: int) -> bytes:
    return _record(record_id, struct.pack("<H", value))


def _texts(record_id: int, unicode_id: int, text: str) -> bytes:
    return _record(record_id, text.encode(ENCODING)) + _record(unicode_id,
                                                               text.encode("utf-16-le"))


def build_dir_stream(project_name: str, modules: Sequence[VbaModule],
                     references: Sequence[Reference]) -> bytes:
    """The decompressed ``dir`` stream of a source-only project."""
    out = bytearray()
    out += _u32(0x0001, SYSKIND_WIN64) + _u32(0x0002, LCID_EN_US) + _u32(0x0014, LCID_EN_US)
    out += _u16(0x0003, CODEPAGE) + _record(0x0004, project_name.encode(ENCODING))
    out += _texts(0x0005, 0x0040, "") + _texts(0x0006, 0x003D, "")
    out += _u32(0x0007, 0) + _u32(0x0008, 0)
    out += struct.pack("<HIIH", PROJECTVERSION, 4, VERSION_MAJOR, VERSION_MINOR)
    out += _texts(0x000C, 0x003C, "")
    for reference in references:
        out += reference.records()
    out += _u16(0x000F, len(modules)) + _u16(0x0013, COOKIE)
    for module in modules:
        out += _texts(MODULENAME, 0x0047, module.name)
        out += _texts(MODULESTREAMNAME, 0x0032, module.name)
        out += _texts(MODULEDOCSTRING, 0x0048, module_docstring(module))
        out += _u32(MODULEOFFSET, 0) + _u32(0x001E, 0) + _u16(0x002C, COOKIE)
        kind = MODULETYPE_PROCEDURAL if module.kind == "standard" else MODULETYPE_OTHER
        out += _record(kind) + _record(MODULE_TERMINATOR)
    out += _record(DIR_TERMINATOR, b"")
    return bytes(out)


def parse_dir_stream(data: bytes) -> list[DirRecord]:
    """The records of a decompressed ``dir`` stream, in order."""
    records: list[DirRecord] = []
    pos = 0
    while pos < len(data):
        if pos + 6 > len(data):
            raise CorruptVbaDataError(f"dir 流在第 {pos} 字节处被截断",
                                      f"the dir stream is cut off at byte {pos}")
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == PROJECTVERSION:  # its size field is a constant 4; 6 bytes follow
            size = 6
        end = pos + 6 + size
        if end > len(data):
            raise CorruptVbaDataError(
                f"dir 流第 {pos} 字节处的记录 0x{record_id:04X} 超出流的末尾",
                f"the dir stream record 0x{record_id:04X} at byte {pos} runs past its end")
        records.append(DirRecord(record_id, data[pos + 6:end]))
        pos = end
        if record_id == DIR_TERMINATOR:
            break
    return records


def project_codepage(records: Sequence[DirRecord]) -> str:
    """The Python codec of the project's code page (PROJECTCODEPAGE)."""
    for record in records:
        if record.id == 0x0003:
            return f"cp{struct.unpack('<H', record.data)[0]}"
    raise CorruptVbaDataError("dir 流没有 PROJECTCODEPAGE 记录",
                              "the dir stream has no PROJECTCODEPAGE record")


def dir_modules(records: Sequence[DirRecord]) -> list[DirModule]:
    """The modules a parsed ``dir`` stream describes, in order."""
    codec = project_codepage(records)
    modules: list[DirModule] = []
    fields: dict[int, bytes] = {}
    for record in records:
        if record.id == MODULENAME:
            fields = {}
        fields[record.id] = record.data
        if record.id == MODULE_TERMINATOR:
            try:
                modules.append(DirModule(
                    name=fields[MODULENAME].decode(codec),
                    stream_name=fields[MODULESTREAMNAME].decode(codec),
                    docstring=fields.get(MODULEDOCSTRING, b"").decode(codec),
                    text_offset=struct.unpack("<I", fields[MODULEOFFSET])[0],
                    procedural=MODULETYPE_PROCEDURAL in fields))
            except (KeyError, struct.error) as exc:
                raise CorruptVbaDataError("dir 流中的某个模块缺少必需的记录",
                                          "a module in the dir stream lacks a required "
                                          f"record ({exc})") from None
    return modules
