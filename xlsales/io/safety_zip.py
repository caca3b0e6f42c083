"""The zip-level checks of :mod:`xlsales.io.safety`, on declared values wherever possible:
the end-of-central-directory record (a file cut off, a forged directory), member sizes and
compression ratios (zip bombs), member extents, duplicates, encryption and compression
methods, the DTD scan of each XML part's first bytes, and the CRC-32 of the members read
whole."""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO
from urllib.parse import unquote
from xml.etree import ElementTree as ET

from xlsales.io.ooxml import rels_part, resolve
from xlsales.io.safety_limits import KiB, SafetyLimits
from xlsales.io.safety_messages import Refusals, size_text
from xlsales.io.safety_xml import XML_EXTENSIONS, has_dtd

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
# What reading a damaged member can raise (OSError: a seek before the start of the file).
_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
                  OSError)


def check_end_record(c: Refusals, f: BinaryIO, size: int, limits: SafetyLimits) -> None:
    """Case 5 and 7: a zip cut off has no end-of-central-directory record; a
    directory with too many entries is refused before it is loaded."""
    tail_len = min(size, 22 + 0xFFFF)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = tail.rfind(_EOCD)
    while pos >= 0 and pos + 22 > len(tail):
        pos = tail.rfind(_EOCD, 0, pos)
    if pos < 0:
        c.fail_truncated()
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack(
        "<4s4H2LH", tail[pos:pos + 22])
    if entries == 0xFFFF or 0xFFFFFFFF in (cd_size, cd_offset):
        eocd_at = size - tail_len + pos
        if eocd_at >= 20:
            f.seek(eocd_at - 20)
            locator = f.read(20)
            if locator.startswith(_EOCD64_LOCATOR):
                (offset,) = struct.unpack("<Q", locator[8:16])
                f.seek(offset)
                record = f.read(56)
                if len(record) == 56 and record.startswith(_EOCD64):
                    entries, cd_size = struct.unpack("<QQ", record[32:48])
    if entries > limits.max_members:
        c.fail_bomb(f"它包含 {entries:,} 个部件（上限 {limits.max_members:,}）",
                    f"it has {entries:,} parts (the limit is {limits.max_members:,})")
    if cd_size > limits.max_members * KiB:
        c.fail_bomb(f"它的 ZIP 目录有 {size_text(cd_size)}",
                    f"its ZIP directory takes {size_text(cd_size)}")


class ZipPackage:
    """The zip-level checks of one open package, and its members read safely."""

    def __init__(self, checker: Refusals, zf: zipfile.ZipFile, limits: SafetyLimits) -> None:
        self.c = checker
        self.zf = zf
        self.limits = limits
        self.infos = zf.infolist()
        self.by_lower = {i.filename.lower(): i for i in self.infos}
        self.verified: set[str] = set()
        # members whose prologue was the whole of them, read to the end: their CRC-32 is
        # verified (zipfile checks it there), :meth:`verify_small_members` need not read
        # them again
        self.read_to_end: set[str] = set()
        #: the members read to their end (their CRC-32 verified), name → content: the
        #: reader needs several again (:func:`xlsales.io.safety.checked_parts`)
        self.kept: dict[str, bytes] = {}

    # -- case 7 -----------------------------------------------------------------------------

    def check_sizes(self) -> None:
        """Declared sizes only: nothing is decompressed."""
        limits = self.limits
        if len(self.infos) > limits.max_members:
            self.c.fail_bomb(f"它包含 {len(self.infos):,} 个部件（上限 {limits.max_members:,}）",
                             f"it has {len(self.infos):,} parts (the limit is "
                             f"{limits.max_members:,})")
        total = sum(i.file_size for i in self.infos)
        if total > limits.max_total_size:
            self.c.fail_bomb(
                f"解压后将达到 {size_text(total)}（上限 {size_text(limits.max_total_size)}）",
                f"it would unpack to {size_text(total)} (the limit is "
                f"{size_text(limits.max_total_size)})")
        for info in self.infos:
            if info.file_size > limits.max_part_size:
                self.c.fail_bomb(
                    f"其中的 {info.filename} 解压后有 {size_text(info.file_size)}",
                    f"its part {info.filename} would unpack to {size_text(info.file_size)}",
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_min_size and ratio > limits.max_ratio:
                self.c.fail_bomb(
                    f"其中的 {info.filename} 压缩比高达 {ratio:,.0f}:1",
                    f"its part {info.filename} is compressed {ratio:,.0f}:1",
                )

    # -- case 5 -----------------------------------------------------------------------------

    def check_layout(self) -> None:
        """Member extents, duplicates, encryption and compression methods (case 5)."""
        seen: set[str] = set()
        for info in self.infos:
            if info.filename in seen:
                self.c.fail_damaged(f"部件 {info.filename} 出现了两次",
                                    f"the part {info.filename} appears twice")
            seen.add(info.filename)
        extents = sorted(((i.header_offset, 30 + _raw_name_len(i) + i.compress_size, i)
                          for i in self.infos), key=lambda e: (e[0], e[1]))
        end = self.zf.start_dir
        for n, (offset, length, info) in enumerate(extents):
            limit = extents[n + 1][0] if n + 1 < len(extents) else end
            if offset + length > end:
                self.c.fail_truncated()
            if offset + length > limit:
                self.c.fail_bomb(f"部件 {info.filename} 与其他部件重叠",
                                 f"its part {info.filename} overlaps another part")
        for info in self.infos:
            if info.flag_bits & 0x1:
                self.c.fail_password_zip()
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                self.c.fail_damaged(
                    f"部件 {info.filename} 使用了 Excel 不会使用的压缩方式 {info.compress_type}",
                    f"its part {info.filename} uses compression method {info.compress_type}, "
                    "which Excel never writes",
                )

    # -- case 8 -----------------------------------------------------------------------------

    def check_xml_prologues(self) -> None:
        """Decompress the first few KB of each XML part and refuse any DTD."""
        for info in self.infos:
            if info.filename.lower().endswith(XML_EXTENSIONS) and info.file_size:
                self.check_prologue(info)

    def check_prologue(self, info: zipfile.ZipInfo) -> None:
        """Decompress the first few KB of the member ``info`` and refuse any DTD."""
        size = self.limits.prologue_bytes
        try:
            with self.zf.open(info) as member:
                head = member.read(size)
        except _MEMBER_ERRORS:
            self.c.fail_damaged(f"部件 {info.filename} 无法解压",
                                f"its part {info.filename} cannot be decompressed")
        if has_dtd(head, info.file_size):
            self.c.fail_dtd(info.filename)
        if len(head) < size:  # read short of ``size``: to the end, its CRC-32 checked
            self.read_to_end.add(info.filename)
            if len(head) == info.file_size:
                self.kept[info.filename] = head

    # -- CRC --------------------------------------------------------------------------------

    def verify_small_members(self) -> None:
        """Verify the CRC of the other members, smallest first, within the budget."""
        budget = self.limits.crc_budget
        for info in sorted(self.infos, key=lambda i: i.file_size):
            if info.filename in self.verified:
                continue
            budget -= info.file_size
            if budget < 0:
                break
            if info.filename not in self.read_to_end:  # else: verified already
                self.read_whole(info)

    # -- members ----------------------------------------------------------------------------

    def find(self, part: str) -> zipfile.ZipInfo | None:
        """The member for a part name: exact, then case-insensitive (OPC part names are)."""
        for name in (part, unquote(part)):
            info = self.zf.NameToInfo.get(name) or self.by_lower.get(name.lower())
            if info is not None:
                return info
        return None

    def member(self, part: str) -> bytes:
        """The part ``part`` read whole; refused as damaged if it is missing."""
        info = self.find(part)
        if info is None:
            self.c.fail_damaged(f"缺少部件 {part}", f"the part {part} is missing")
        return self.read_whole(info)

    def read_whole(self, info: zipfile.ZipInfo) -> bytes:
        """A member read to its end, so that ``zipfile`` verifies its CRC-32."""
        if info.file_size > self.limits.max_structural_size:
            self.c.fail_bomb(
                f"其中的 {info.filename} 解压后有 {size_text(info.file_size)}",
                f"its part {info.filename} would unpack to {size_text(info.file_size)}")
        try:
            data = self.zf.read(info)
        except _MEMBER_ERRORS as err:
            if "CRC" in str(err):
                self.c.fail_damaged(f"部件 {info.filename} 的 CRC 校验失败",
                                    f"its part {info.filename} fails its CRC check")
            self.c.fail_damaged(f"部件 {info.filename} 无法解压",
                                f"its part {info.filename} cannot be decompressed")
        self.verified.add(info.filename)
        self.kept[info.filename] = data
        return data

    def read_rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, absolute target) of ``part``; empty if none."""
        name = rels_part(part)
        if self.find(name) is None:
            return {}
        out = {}
        for rel in self.parse(name):
            if rel.get("TargetMode") == "External":
                continue
            target = resolve(part, rel.get("Target", ""))
            out[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return out

    def parse(self, part: str) -> ET.Element:
        """Read a structural part whole (verifying its CRC) and parse it, after checking
        again that it declares no document type: it may not end in ``.xml``."""
        data = self.member(part)
        if has_dtd(data[: self.limits.prologue_bytes], len(data)):
            self.c.fail_dtd(part)
        try:
            return ET.fromstring(data)
        except ET.ParseError:
            self.c.fail_damaged(f"部件 {part} 的 XML 结构错误",
                                f"its part {part} is not well-formed XML")


def _raw_name_len(info: zipfile.ZipInfo) -> int:
    """Length in bytes of a member's name as stored in its local header."""
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return len(info.orig_filename.encode(encoding))
    except UnicodeEncodeError:
        return len(info.orig_filename.encode("utf-8"))
