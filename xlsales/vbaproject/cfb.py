"""A minimal, deterministic Compound File Binary writer (MS-CFB version 3).

512-byte sectors; streams shorter than 4096 bytes live in the mini stream (64-byte mini
sectors); the FAT, the DIFAT (for files past ~7 MB), the mini FAT and the directory follow
MS-CFB 2.2-2.6. The children of each storage form a valid red-black tree ordered by the
CFB name comparison. Timestamps are zero and every CLSID is the null GUID, so the same
streams always give the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

from xlsales.vbaproject.errors import VbaProjectError

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
MAX_NAME = 31
FREESECT, ENDOFCHAIN, FATSECT, DIFSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
NOSTREAM = 0xFFFFFFFF
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER_DIFAT = 109
_PER_SECTOR = SECTOR // 4
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_BAD_CHARS = set("/\\:!")


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def _bad_path(path: str, why_zh: str, why_en: str) -> VbaProjectError:
    return VbaProjectError(f"复合文件路径 {path!r} 无效：{why_zh}",
                           f"compound file path {path!r} is not valid: {why_en}")


def cfb_name_key(name: str) -> tuple[int, str]:
    """The MS-CFB sort key of a directory entry name: UTF-16 length first, then upper case."""
    upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in name)
    return len(name.encode("utf-16-le")) // 2, upper


def _build_tree(streams: Mapping[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        for part in parts:
            if not part or len(part.encode("utf-16-le")) // 2 > MAX_NAME:
                raise _bad_path(path, f"每一级名称须为 1 到 {MAX_NAME} 个字符",
                                f"each name must have 1 to {MAX_NAME} characters")
            if _BAD_CHARS & set(part) or any(ord(c) < 32 for c in part):
                raise _bad_path(path, "名称不能含 / \\ : ! 或控制字符",
                                "a name cannot hold / \\ : ! or control characters")
        node = root
        for i, part in enumerate(parts):
            key = cfb_name_key(part)[1]
            last = i == len(parts) - 1
            existing = node.children.get(key)
            if existing is None:
                existing = _Entry(part, _STREAM if last else _STORAGE, bytes(data) if last else b"")
                node.children[key] = existing
            elif last or existing.kind != _STORAGE:
                raise _bad_path(path, "与另一个流或存储重名",
                                "it clashes with another stream or storage")
            node = existing
    return root


def _link_children(storage: _Entry) -> None:
    """Make the children of ``storage`` a balanced red-black tree (deepest partial level red)."""
    ordered = sorted(storage.children.values(), key=lambda e: cfb_name_key(e.name))
    count = len(ordered)
    deepest = count.bit_length() - 1
    partial = (count + 1) & count != 0  # the deepest level is not full

    def link(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        entry = ordered[mid]
        entry.color = _RED if partial and depth == deepest else _BLACK
        entry.left = link(lo, mid, depth + 1)
        entry.right = link(mid + 1, hi, depth + 1)
        return entry.sid

    storage.child = link(0, count, 0)


def _flatten(root: _Entry) -> list[_Entry]:
    entries: list[_Entry] = []

    def visit(entry: _Entry) -> None:
        entry.sid = len(entries)
        entries.append(entry)
        for child in entry.children.values():
            visit(child)

    visit(root)
    for entry in entries:
        if entry.kind != _STREAM:
            _link_children(entry)
    return entries


def _sectors(size: int, unit: int = SECTOR) -> int:
    return -(-size // unit)


def _chain(table: list[int], start: int, count: int) -> int:
    """Link ``count`` consecutive sectors from ``start`` in ``table``; the chain's first sector."""
    if count == 0:
        return ENDOFCHAIN
    for i in range(start, start + count - 1):
        table[i] = i + 1
    table[start + count - 1] = ENDOFCHAIN
    return start


def _dir_entry(entry: _Entry | None, size: int = 0) -> bytes:
    if entry is None:
        return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                           bytes(16), 0, 0, 0, 0, 0)
    name = (entry.name + "\0").encode("utf-16-le")
    start = 0 if entry.kind == _STORAGE else entry.start
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), entry.kind, entry.color,
                       entry.left, entry.right, entry.child, bytes(16), 0, 0, 0, start, size)


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding ``streams`` (paths like ``"VBA/dir"``; storages implied)."""
    entries = _flatten(_build_tree(streams))
    files = [e for e in entries if e.kind == _STREAM]
    small = [e for e in files if len(e.data) < MINI_CUTOFF]
    large = [e for e in files if len(e.data) >= MINI_CUTOFF]

    minifat: list[int] = []
    mini_data = bytearray()
    for entry in small:
        count = _sectors(len(entry.data), MINI_SECTOR)
        minifat += [FREESECT] * count
        entry.start = _chain(minifat, len(minifat) - count, count)
        mini_data += entry.data.ljust(count * MINI_SECTOR, b"\0")

    dir_count = _sectors(len(entries) * 128)
    minifat_count = _sectors(len(minifat) * 4)
    mini_count = _sectors(len(mini_data))
    other = dir_count + minifat_count + mini_count + sum(_sectors(len(e.data)) for e in large)
    fat_count = difat_count = 0
    while True:
        need_fat = _sectors(other + fat_count + difat_count, _PER_SECTOR)
        need_difat = max(0, _sectors(need_fat - _HEADER_DIFAT, _PER_SECTOR - 1))
        if (need_fat, need_difat) == (fat_count, difat_count):
            break
        fat_count, difat_count = need_fat, need_difat

    fat = [FREESECT] * (fat_count * _PER_SECTOR)
    fat[:fat_count] = [FATSECT] * fat_count
    fat[fat_count:fat_count + difat_count] = [DIFSECT] * difat_count
    at = fat_count + difat_count
    first_dir = _chain(fat, at, dir_count)
    at += dir_count
    first_minifat = _chain(fat, at, minifat_count)
    at += minifat_count
    entries[0].start = _chain(fat, at, mini_count)
    at += mini_count
    for entry in large:
        count = _sectors(len(entry.data))
        entry.start = _chain(fat, at, count)
        at += count

    fat_ids = list(range(fat_count))
    head = fat_ids[:_HEADER_DIFAT]
    header_difat = head + [FREESECT] * (_HEADER_DIFAT - len(head))
    difat_body = bytearray()
    rest = fat_ids[_HEADER_DIFAT:]
    for i in range(difat_count):
        part = rest[i * 127:(i + 1) * 127]
        nxt = fat_count + i + 1 if i + 1 < difat_count else ENDOFCHAIN
        difat_body += struct.pack("<128I", *part, *[FREESECT] * (127 - len(part)), nxt)

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I", _SIGNATURE, bytes(16), 0x003E, 0x0003, 0xFFFE, 9, 6,
        bytes(6), 0, fat_count, first_dir, 0, MINI_CUTOFF,
        first_minifat, minifat_count, fat_count if difat_count else ENDOFCHAIN, difat_count,
        *header_difat)

    directory = bytearray()
    for entry in entries:
        size = len(mini_data) if entry.kind == _ROOT else len(entry.data)
        directory += _dir_entry(entry, size if entry.kind != _STORAGE else 0)
    directory += b"".join(_dir_entry(None) for _ in range(dir_count * 4 - len(entries)))

    body = bytearray(struct.pack(f"<{len(fat)}I", *fat))
    body += difat_body + directory
    body += struct.pack(f"<{len(minifat)}I", *minifat).ljust(minifat_count * SECTOR, b"\xff")
    body += mini_data.ljust(mini_count * SECTOR, b"\0")
    for entry in large:
        body += entry.data.ljust(_sectors(len(entry.data)) * SECTOR, b"\0")
    return header + bytes(body)
