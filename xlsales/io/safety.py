"""Refuse unusable workbook files before any reader touches them.

:func:`check_workbook_file` looks at a file the user gave and raises
:class:`~xlsales.errors.WorkbookError` with a short Chinese and English message
that names the file and says what to do, when the file is missing, empty, not a
spreadsheet, an old ``.xls``, password-protected, cut off or damaged, another kind
of document, a zip bomb, carries an XML document type declaration, or lists no
worksheets. It never writes to the file.

The check is cheap, whatever the size of the sheets:

* the zip central directory is read (``zipfile`` does that), after a look at the
  end-of-central-directory record for the member count, so that a forged directory
  of millions of entries is refused before it is loaded;
* sizes, ratios and member extents are judged on the *declared* values, without
  decompressing anything (Python's ``zipfile`` stops at the declared size and then
  checks the CRC, so a member that lies about its size fails instead of growing);
* of every XML part only the first few KB (``SafetyLimits.prologue_bytes``) are
  decompressed, to look for ``<!DOCTYPE``/``<!ENTITY`` in the prologue; this also
  proves that the member's local header matches the directory and that its
  compressed data starts as a valid stream;
* the CRC-32 is verified in full (by reading to the end) for the structural parts
  only, ``[Content_Types].xml``, ``_rels/.rels``, the workbook part and its
  relationships, and then for the other members smallest first while the total
  stays within ``SafetyLimits.crc_budget`` (4 MiB by default): styles, shared strings
  of small books, small sheets. ``ZipFile.testzip()`` is not used: it decompresses
  every member, seconds for a 100k-row book. A flipped byte deep inside a big sheet
  part is thus left to the reader, which gets ``zipfile.BadZipFile`` ("Bad CRC-32")
  when it reaches it.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import posixpath
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn
from urllib.parse import unquote
from xml.etree import ElementTree as ET

from xlsales.errors import WorkbookError
from xlsales.io.ooxml import rels_part, resolve

try:  # olefile comes with oletools / msoffcrypto-tool; a byte scan stands in without it
    import olefile
except ImportError:  # pragma: no cover - only where olefile is missing
    olefile = None

__all__ = ["SafetyLimits", "check_workbook_file", "describe_path"]

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True)
class SafetyLimits:
    """Limits beyond which a package is refused as a possible zip or XML bomb."""

    max_total_size: int = 2 * GiB
    """Declared uncompressed size of all members together."""
    max_part_size: int = 1 * GiB
    """Declared uncompressed size of any single member (sheet XML included)."""
    max_ratio: float = 100.0
    """Uncompressed:compressed ratio allowed for a member larger than ``ratio_min_size``
    (real sheet parts compress about 10:1)."""
    ratio_min_size: int = 10 * MiB
    max_members: int = 10_000
    max_structural_size: int = 64 * MiB
    """Parts read whole: content types, relationships, the workbook part."""
    prologue_bytes: int = 4 * KiB
    """How much of each XML part is decompressed to look for a DTD."""
    crc_budget: int = 4 * MiB
    """Uncompressed bytes of non-structural members whose CRC is verified in full."""


DEFAULT_LIMITS = SafetyLimits()

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_XML_EXTENSIONS = (".xml", ".rels", ".vml")
_SPREADSHEET_MAIN = (
    "spreadsheetml.sheet.main", "spreadsheetml.template.main",
    "ms-excel.sheet.macroenabled.main", "ms-excel.template.macroenabled.main",
    "ms-excel.addin.macroenabled.main",
)
# What reading a damaged member can raise (OSError: a seek before the start of the file).
_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
                  OSError)
_SAVE_AS_XLSX_EN = "open it in Excel or WPS and use File > Save As > Excel Workbook (.xlsx)"
_SAVE_AS_XLSX_ZH = "请用 Excel 或 WPS 打开，选择“文件 > 另存为 > Excel 工作簿 (.xlsx)”"
_RESTORE_EN = "Download or copy it again, or restore it from a backup."
_RESTORE_ZH = "请重新下载或复制该文件，或从备份中恢复。"


@dataclass(frozen=True)
class _Kind:
    """What a file that is not a workbook appears to be, in both languages."""

    zh: str
    en: str


# Leading bytes of common files that are not spreadsheets.
_MAGIC_KINDS: tuple[tuple[bytes, _Kind], ...] = (
    (b"%PDF", _Kind("PDF 文档", "a PDF document")),
    (b"\x89PNG", _Kind("PNG 图片", "a PNG image")),
    (b"\xff\xd8\xff", _Kind("JPEG 图片", "a JPEG image")),
    (b"GIF8", _Kind("GIF 图片", "a GIF image")),
    (b"BM", _Kind("BMP 图片", "a BMP image")),
    (b"Rar!", _Kind("RAR 压缩包", "a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", _Kind("7-Zip 压缩包", "a 7-Zip archive")),
    (b"\x1f\x8b", _Kind("gzip 压缩包", "a gzip archive")),
    (b"MZ", _Kind("程序文件（.exe）", "a program (.exe)")),
    (b"{\\rtf", _Kind("RTF 文档", "an RTF document")),
)


_CSV = _Kind("CSV 文本文件", "a CSV text file")
_TSV = _Kind("制表符分隔的文本文件（TSV）", "a tab-separated text file")
_HTML = _Kind("网页（HTML）文件", "a web page (HTML)")
_MHT = _Kind("网页存档（MHT）文件", "a web archive (MHT)")
_XML2003 = _Kind("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet")


def _zh(kind: _Kind) -> str:
    """``kind.zh`` spaced from the preceding Chinese text when it starts in Latin script."""
    return f" {kind.zh}" if kind.zh[:1].isascii() else kind.zh


def check_workbook_file(
    path: str | os.PathLike[str], limits: SafetyLimits = DEFAULT_LIMITS
) -> None:
    """Raise :class:`WorkbookError` if ``path`` cannot be used as an xlsx/xlsm
    workbook; return quietly if it looks fine. The file is only read."""
    _Checker(Path(path), str(path), limits).run()


def describe_path(path: str | os.PathLike[str], limits: SafetyLimits = DEFAULT_LIMITS) -> str:
    """A short English description of what is at ``path`` ("a folder", "a PDF
    document", "an Excel 97-2003 workbook (.xls)", "an Excel workbook (.xlsx/.xlsm)"...),
    as :func:`check_workbook_file` finds it."""
    checker = _Checker(Path(path), str(path), limits)
    try:
        checker.run()
    except WorkbookError:
        pass
    return checker.what


def _sniff_other(head: bytes, suffix: str = "") -> _Kind:
    """What a file that is neither OLE2 nor zip looks like, from its first bytes (and
    its extension ``suffix``, for text)."""
    for magic, kind in _MAGIC_KINDS:
        # two-byte magics ("BM", "MZ") also begin words: require binary content too
        if head.startswith(magic) and (len(magic) > 2 or b"\x00" in head[:64]):
            return kind
    text = _decode_text(head)
    if text is None:
        return _Kind("无法识别的二进制文件", "an unrecognised binary file")
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith(("<!doctype html", "<html", "<table")) or "<html" in low[:1024]:
        return _HTML
    if low.startswith("mime-version:"):
        return _MHT
    if low.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in low:
            return _XML2003
        return _Kind("XML 文本文件", "an XML text file")
    delimiter = _csv_delimiter(text)
    if delimiter is None and suffix.lower() in (".csv", ".tsv"):
        delimiter = "\t" if suffix.lower() == ".tsv" else ","
    if delimiter == "\t":
        return _TSV
    if delimiter is not None:
        return _CSV
    return _Kind("纯文本文件", "a plain text file")


def _decode_text(head: bytes) -> str | None:
    """``head`` as text if it looks like text in a usual encoding, else ``None``."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in head:
        return None
    else:
        encodings = ("utf-8-sig", "gb18030", "latin-1")  # latin-1 decodes any byte
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        if controls <= len(text) // 100:
            return text
    return None


def _csv_delimiter(text: str) -> str | None:
    """The delimiter if the first rows of ``text`` look like a table, else ``None``."""
    for delimiter in (",", "\t", ";", "|"):
        try:
            rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
        except csv.Error:
            continue
        if len(rows) > 1 and not text.endswith(("\n", "\r")):
            rows = rows[:-1]  # the sample may end mid-row
        widths = {len(row) for row in rows[:20]}
        if len(widths) == 1 and widths.pop() > 1:
            return delimiter
    return None


class _Checker:
    """One run of :func:`check_workbook_file`."""

    def __init__(self, path: Path, name: str, limits: SafetyLimits) -> None:
        self.path = path
        self.name = name
        self.limits = limits
        self.what = "an Excel workbook (.xlsx/.xlsm)"
        """What the file turned out to be, for :func:`describe_path`."""

    # -- messages ---------------------------------------------------------------------------

    def fail(self, what: str, zh: str, en: str) -> NoReturn:
        self.what = what
        raise WorkbookError(zh, en)

    def fail_damaged(self, zh_detail: str, en_detail: str) -> NoReturn:
        self.fail(
            "a damaged file",
            f"文件 {self.name} 已损坏（{zh_detail}），无法安全读取。{_RESTORE_ZH}",
            f"{self.name} is damaged ({en_detail}) and cannot be read safely. {_RESTORE_EN}",
        )

    def fail_truncated(self) -> NoReturn:
        self.fail(
            "an incomplete (cut off) file",
            f"文件 {self.name} 不完整：文件被截断了（下载、复制或邮件附件没有传完）。{_RESTORE_ZH}",
            f"{self.name} is incomplete: the file was cut off (the download, copy or e-mail "
            f"attachment did not finish). {_RESTORE_EN}",
        )

    def fail_bomb(self, zh_detail: str, en_detail: str) -> NoReturn:
        self.fail(
            "a suspected zip bomb",
            f"已拒绝文件 {self.name}，没有打开它：{zh_detail}。“压缩炸弹”就是这样构造的，"
            "任何销售工作簿都不需要这样。如果这确实是你的工作簿，"
            "请在 Excel 中删除不用的工作表和行后重新保存；如果不知道它的来历，请删除它。",
            f"{self.name} was refused without being opened: {en_detail}. This is how \"zip "
            "bombs\" are built, and no sales workbook needs it. If it is really your workbook, "
            "delete unused sheets and rows in Excel and save it again; if you do not know "
            "where it came from, delete it.",
        )

    def fail_save_as(self, kind: _Kind) -> NoReturn:
        self.fail(
            kind.en,
            f"文件 {self.name} 是{_zh(kind)}，不是 .xlsx 工作簿。"
            f"{_SAVE_AS_XLSX_ZH}，再使用新文件。",
            f"{self.name} is {kind.en}, not an .xlsx workbook: {_SAVE_AS_XLSX_EN}, "
            "then use the new file.",
        )

    def fail_wrong_document(self, kind: _Kind) -> NoReturn:
        self.fail(
            kind.en,
            f"文件 {self.name} 是{_zh(kind)}，不是 Excel 工作簿。请确认选对了文件；"
            "需要的是从 Excel 保存的 .xlsx 文件。",
            f"{self.name} is {kind.en}, not an Excel workbook. Check that you picked the "
            "right file: xlsales needs an .xlsx file saved from Excel.",
        )

    def fail_encrypted(self) -> NoReturn:
        self.fail(
            "a password-protected (encrypted) Excel workbook",
            f"文件 {self.name} 设置了打开密码，无法读取。请在 Excel 中打开它，"
            "依次选择“文件 > 信息 > 保护工作簿 > 用密码进行加密”，清空密码并保存"
            "（WPS：“文件 > 文档加密 > 密码加密”），然后再试。",
            f"{self.name} is protected with a password to open, so it cannot be read. Open it "
            "in Excel, go to File > Info > Protect Workbook > Encrypt with Password, clear the "
            "password, save, and try again.",
        )

    # -- the checks -------------------------------------------------------------------------

    def run(self) -> None:
        size = self.check_path()
        try:
            with self.path.open("rb") as f:
                head = f.read(8 * KiB)
                if head.startswith(_OLE_MAGIC):
                    self.check_ole(f)
                if not head.startswith(_ZIP_MAGICS):
                    self.check_not_spreadsheet(head)
                self.check_end_record(f, size)
                self.check_zip(f)
        except PermissionError as err:
            self.fail(
                "an unreadable file",
                f"无法读取文件 {self.name}（{err.strerror}）。请确认你有权限打开它，然后再试。",
                f"{self.name} cannot be read ({err.strerror}). Check that you have permission "
                "to open it, and try again.",
            )
        except OSError as err:
            self.fail(
                "an unreadable file",
                f"读取文件 {self.name} 时出错（{err.strerror or err}）。"
                "请把文件复制到本机磁盘后再试。",
                f"{self.name} could not be read ({err.strerror or err}). Copy it to a local "
                "disk and try again.",
            )

    def check_path(self) -> int:
        """Case 1: the path must be an existing, non-empty regular file."""
        try:
            st = self.path.stat()
        except (FileNotFoundError, NotADirectoryError):
            self.fail(
                "nothing (the path does not exist)",
                f"找不到文件 {self.name}。请检查文件名和所在文件夹；"
                "也可以把文件拖进终端窗口来粘贴完整路径。",
                f"{self.name} was not found. Check the file name and folder; you can also drag "
                "the file into the terminal window to paste its full path.",
            )
        except OSError as err:
            self.fail(
                "an unreadable path",
                f"无法访问 {self.name}（{err.strerror}）。请确认你有权限打开它，然后再试。",
                f"{self.name} cannot be accessed ({err.strerror}). Check that you have "
                "permission to open it, and try again.",
            )
        if stat.S_ISDIR(st.st_mode):
            self.fail(
                "a folder",
                f"{self.name} 是一个文件夹，不是工作簿。请指定其中的 .xlsx 文件。",
                f"{self.name} is a folder, not a workbook. Give the path of the .xlsx file "
                "inside it.",
            )
        if not stat.S_ISREG(st.st_mode):
            self.fail(
                "not a regular file",
                f"{self.name} 不是普通文件。请指定一个已保存的 .xlsx 工作簿。",
                f"{self.name} is not a regular file. Give the path of a saved .xlsx workbook.",
            )
        if st.st_size == 0:
            self.fail(
                "an empty file",
                f"文件 {self.name} 是空的（0 字节），可能下载或复制没有完成。{_RESTORE_ZH}",
                f"{self.name} is empty (0 bytes); the download or copy probably did not "
                f"finish. {_RESTORE_EN}",
            )
        return st.st_size

    def check_not_spreadsheet(self, head: bytes) -> NoReturn:
        """Case 2: a file that is neither a zip package nor an OLE2 file."""
        if self.path.name.startswith("~$") and len(head) < 1024:
            self.fail(
                "an Excel lock file",
                f"文件 {self.name} 是 Excel 打开工作簿时生成的临时锁定文件，不是工作簿。"
                "请使用不带“~$”前缀的那个文件。",
                f"{self.name} is the temporary lock file Excel creates while a workbook is "
                "open, not a workbook. Use the file without the \"~$\" prefix.",
            )
        kind = _sniff_other(head, self.path.suffix)
        if kind in (_CSV, _TSV):
            self.fail(
                kind.en,
                f"文件 {self.name} 是{_zh(kind)}，不是 Excel 工作簿。如果是从 CRM 导出的数据，"
                f"请用 `xlsales import` 导入；否则{_SAVE_AS_XLSX_ZH}。",
                f"{self.name} is {kind.en}, not an Excel workbook. If it is an export from your "
                f"CRM, bring it in with `xlsales import`; otherwise {_SAVE_AS_XLSX_EN}.",
            )
        if kind in (_HTML, _MHT, _XML2003):
            self.fail(
                kind.en,
                f"文件 {self.name} 是{_zh(kind)}（很多系统这样导出“Excel”文件），"
                f"不是真正的 .xlsx 工作簿。{_SAVE_AS_XLSX_ZH}，再使用新文件。",
                f"{self.name} is {kind.en} (many systems export \"Excel\" files this way), not a "
                f"real .xlsx workbook: {_SAVE_AS_XLSX_EN}, then use the new file.",
            )
        self.fail(
            kind.en,
            f"文件 {self.name} 是{_zh(kind)}，不是 Excel 工作簿（可能只是改了扩展名）。"
            "请向发送人索要 .xlsx 文件，"
            "或在 Excel 中用“文件 > 另存为 > Excel 工作簿 (.xlsx)”导出。",
            f"{self.name} is {kind.en}, not an Excel workbook (perhaps only its extension was "
            "changed). Ask the sender for the .xlsx file, or export it from Excel with "
            "File > Save As > Excel Workbook (.xlsx).",
        )

    def check_ole(self, f: BinaryIO) -> NoReturn:
        """Cases 3 and 4: an OLE2 compound file is an encrypted OOXML package, an old
        .xls, or another legacy Office file; none can be read."""
        streams = self.ole_streams(f)
        if {"encryptioninfo", "encryptedpackage"} <= streams:
            self.fail_encrypted()
        if "worddocument" in streams:
            self.fail_wrong_document(
                _Kind("Word 97-2003 文档（.doc）", "a Word 97-2003 document (.doc)")
            )
        if "powerpoint document" in streams:
            self.fail_wrong_document(
                _Kind("PowerPoint 97-2003 演示文稿（.ppt）",
                      "a PowerPoint 97-2003 presentation (.ppt)")
            )
        self.fail(
            "an Excel 97-2003 workbook (.xls)",
            f"文件 {self.name} 是旧版 Excel 97-2003 工作簿（.xls），xlsales 只能读取 .xlsx。"
            f"{_SAVE_AS_XLSX_ZH}，再使用新文件。",
            f"{self.name} is an old Excel 97-2003 workbook (.xls); xlsales reads only .xlsx: "
            f"{_SAVE_AS_XLSX_EN}, then use the new file.",
        )

    def ole_streams(self, f: BinaryIO) -> set[str]:
        """Lower-case names of the streams and storages of an OLE2 file."""
        if olefile is None:  # byte scan of the UTF-16 directory names
            f.seek(0)
            data = f.read().lower()
            names = ("encryptioninfo", "encryptedpackage", "worddocument", "powerpoint document")
            return {n for n in names if n.encode("utf-16-le") in data}
        try:
            ole = olefile.OleFileIO(str(self.path))
        except (OSError, ValueError, IndexError, KeyError, struct.error):
            self.fail_damaged("Office 97-2003 文件结构无法读取",
                              "its Office 97-2003 structure cannot be read")
        try:
            return {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
        finally:
            ole.close()

    def check_end_record(self, f: BinaryIO, size: int) -> None:
        """Case 5 and 7: a zip cut off has no end-of-central-directory record; a
        directory with too many entries is refused before it is loaded."""
        tail_len = min(size, 22 + 0xFFFF)
        f.seek(size - tail_len)
        tail = f.read(tail_len)
        pos = tail.rfind(_EOCD)
        while pos >= 0 and pos + 22 > len(tail):
            pos = tail.rfind(_EOCD, 0, pos)
        if pos < 0:
            self.fail_truncated()
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
        if entries > self.limits.max_members:
            self.fail_bomb(f"它包含 {entries:,} 个部件（上限 {self.limits.max_members:,}）",
                           f"it has {entries:,} parts (the limit is {self.limits.max_members:,})")
        if cd_size > self.limits.max_members * KiB:
            self.fail_bomb(f"它的 ZIP 目录有 {_size(cd_size)}",
                           f"its ZIP directory takes {_size(cd_size)}")

    def check_zip(self, f: BinaryIO) -> None:
        """Cases 5 to 9 on a zip package."""
        f.seek(0)
        try:
            zf = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, ValueError, NotImplementedError, struct.error, EOFError,
                OSError):  # OSError: a seek before the start, from offsets that do not add up
            self.fail_damaged("ZIP 目录无法读取", "its ZIP directory cannot be read")
        with zf:
            _Package(self, zf).check()


class _Package:
    """The zip-level checks of one open package."""

    def __init__(self, checker: _Checker, zf: zipfile.ZipFile) -> None:
        self.c = checker
        self.zf = zf
        self.limits = checker.limits
        self.infos = zf.infolist()
        self.by_lower = {i.filename.lower(): i for i in self.infos}
        self.verified: set[str] = set()

    def check(self) -> None:
        self.check_sizes()
        self.check_layout()
        self.check_package_kind()
        self.check_xml_prologues()
        main = self.main_part()
        self.check_sheets(main)
        self.verify_small_members()

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
            self.c.fail_bomb(f"解压后将达到 {_size(total)}（上限 {_size(limits.max_total_size)}）",
                             f"it would unpack to {_size(total)} (the limit is "
                             f"{_size(limits.max_total_size)})")
        for info in self.infos:
            if info.file_size > limits.max_part_size:
                self.c.fail_bomb(
                    f"其中的 {info.filename} 解压后有 {_size(info.file_size)}",
                    f"its part {info.filename} would unpack to {_size(info.file_size)}",
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_min_size and ratio > limits.max_ratio:
                self.c.fail_bomb(
                    f"其中的 {info.filename} 压缩比高达 {ratio:,.0f}:1",
                    f"its part {info.filename} is compressed {ratio:,.0f}:1",
                )

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
                self.c.fail(
                    "a password-protected ZIP archive",
                    f"文件 {self.c.name} 是设置了密码的 ZIP 压缩包，不是 Excel 工作簿。"
                    "请先用密码解压，再使用其中的 .xlsx 文件。",
                    f"{self.c.name} is a password-protected ZIP archive, not an Excel workbook. "
                    "Unzip it with its password first and use the .xlsx file inside.",
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                self.c.fail_damaged(
                    f"部件 {info.filename} 使用了 Excel 不会使用的压缩方式 {info.compress_type}",
                    f"its part {info.filename} uses compression method {info.compress_type}, "
                    "which Excel never writes",
                )

    # -- case 6 -----------------------------------------------------------------------------

    def check_package_kind(self) -> None:
        """Zips that are not OOXML packages: OpenDocument, Numbers, plain archives."""
        mimetype = self.by_lower.get("mimetype")
        if mimetype is not None and mimetype.file_size <= 256:
            value = self.read_whole(mimetype).decode("ascii", "replace").strip()
            if value == "application/vnd.oasis.opendocument.spreadsheet":
                self.c.fail_save_as(_Kind("OpenDocument 电子表格（.ods）",
                                          "an OpenDocument spreadsheet (.ods)"))
            if value.startswith("application/vnd.oasis.opendocument.text"):
                self.c.fail_wrong_document(_Kind("OpenDocument 文本文档（.odt）",
                                                 "an OpenDocument text document (.odt)"))
            if value.startswith("application/vnd.oasis.opendocument"):
                self.c.fail_wrong_document(_Kind("OpenDocument 文档", "an OpenDocument file"))
        if any(n.startswith("index/") and n.endswith(".iwa") for n in self.by_lower):
            self.c.fail(
                "an Apple Numbers document",
                f"文件 {self.c.name} 是 Apple Numbers 文档，不是 .xlsx 工作簿。请在 Numbers 中选择"
                "“文件 > 导出为 > Excel”，再使用导出的文件。",
                f"{self.c.name} is an Apple Numbers document, not an .xlsx workbook. In Numbers "
                "choose File > Export To > Excel, then use the exported file.",
            )
        if "[content_types].xml" not in self.by_lower:
            inner = [i.filename for i in self.infos
                     if i.filename.lower().endswith((".xlsx", ".xlsm"))]
            if inner:
                self.c.fail(
                    "a ZIP archive holding a workbook",
                    f"文件 {self.c.name} 是 ZIP 压缩包，不是 Excel 工作簿；其中包含 {inner[0]}。"
                    "请先解压，再使用其中的工作簿。",
                    f"{self.c.name} is a ZIP archive, not an Excel workbook; it contains "
                    f"{inner[0]}. Unzip it first and use the workbook inside.",
                )
            self.c.fail_wrong_document(_Kind("ZIP 压缩包", "a ZIP archive"))

    # -- case 8 -----------------------------------------------------------------------------

    def check_xml_prologues(self) -> None:
        """Decompress the first few KB of each XML part and refuse any DTD."""
        for info in self.infos:
            if info.filename.lower().endswith(_XML_EXTENSIONS) and info.file_size:
                self.check_prologue(info)

    def check_prologue(self, info: zipfile.ZipInfo) -> None:
        size = self.limits.prologue_bytes
        try:
            with self.zf.open(info) as member:
                head = member.read(size)
        except _MEMBER_ERRORS:
            self.c.fail_damaged(f"部件 {info.filename} 无法解压",
                                f"its part {info.filename} cannot be decompressed")
        if _has_dtd(head, info.file_size):
            self.fail_dtd(info.filename)

    def fail_dtd(self, part: str) -> NoReturn:
        """Case 8: refuse a part that declares a document type."""
        self.c.fail(
            "an Office package with an XML document type declaration",
            f"已拒绝文件 {self.c.name}：其中的 {part} 含有文档类型声明（<!DOCTYPE>/<!ENTITY>）。"
            "Excel 从不写入这种内容，它可被用来攻击读取文件的程序（“XML 炸弹”）。"
            "请让发送人从 Excel 重新保存该工作簿；如不知道文件来历，请删除它。",
            f"{self.c.name} was refused: its part {part} contains a document type declaration "
            "(<!DOCTYPE>/<!ENTITY>), which Excel never writes and which can be used to attack "
            "the program reading it (an \"XML bomb\"). Ask the sender to save the workbook "
            "again from Excel; if you do not know where it came from, delete it.",
        )

    # -- structural parts, cases 5, 6 and 9 ---------------------------------------------------

    def main_part(self) -> str:
        """The workbook part, after refusing packages whose main part is not one."""
        content_types = self.parse("[Content_Types].xml")
        root_rels = self.read_rels("")
        main = next((target for rel_type, target in root_rels.values()
                     if rel_type.endswith("/officeDocument")), None)
        if main is None:
            main = next((n for n in ("xl/workbook.xml", "xl/workbook.bin", "word/document.xml",
                                     "ppt/presentation.xml") if self.find(n)), None)
        if main is None:
            self.c.fail_wrong_document(_Kind("没有工作簿部件的 Office 文件包",
                                             "an Office package without a workbook part"))
        info = self.find(main)
        content_type = _content_type(content_types, main).lower()
        if "wordprocessingml" in content_type or main.startswith("word/"):
            self.c.fail_wrong_document(_Kind("Word 文档（.docx）", "a Word document (.docx)"))
        if "presentationml" in content_type or main.startswith("ppt/"):
            self.c.fail_wrong_document(_Kind("PowerPoint 演示文稿（.pptx）",
                                             "a PowerPoint presentation (.pptx)"))
        if "sheet.binary" in content_type or main.lower().endswith(".bin"):
            self.c.fail_save_as(_Kind("Excel 二进制工作簿（.xlsb）",
                                      "an Excel binary workbook (.xlsb)"))
        if not any(t in content_type for t in _SPREADSHEET_MAIN) and not main.endswith(
            "workbook.xml"
        ):
            self.c.fail_wrong_document(
                _Kind("其他类型的 Office 文件", "another kind of Office file")
            )
        if info is None:
            self.c.fail_damaged(f"缺少工作簿部件 {main}", f"the workbook part {main} is missing")
        return info.filename

    def check_sheets(self, main: str) -> None:
        """Case 9: the workbook must list at least one worksheet, whose part exists."""
        root = self.parse(main)
        rels = self.read_rels(main)
        worksheets = 0
        for el in root.iter():
            if not el.tag.endswith("}sheet"):
                continue
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
            rel_type, target = rels.get(rid, ("", ""))
            if not rel_type.endswith("/worksheet"):
                continue
            if self.find(target) is None:
                self.c.fail_damaged(f"缺少工作表部件 {target}",
                                    f"the worksheet part {target} is missing")
            worksheets += 1
        if worksheets == 0:
            self.c.fail(
                "an Excel workbook without worksheets",
                f"文件 {self.c.name} 中没有任何工作表。请确认选对了文件；"
                "或在 Excel 中恢复或添加工作表后保存再试（`xlsales new` 可以新建一个工作簿）。",
                f"{self.c.name} contains no worksheets. Check that you picked the right file, or "
                "restore or add the sheets in Excel, save, and try again (`xlsales new` creates "
                "a fresh workbook).",
            )

    def verify_small_members(self) -> None:
        """Verify the CRC of the other members, smallest first, within the budget."""
        budget = self.limits.crc_budget
        for info in sorted(self.infos, key=lambda i: i.file_size):
            if info.filename in self.verified:
                continue
            budget -= info.file_size
            if budget < 0:
                break
            self.read_whole(info)

    # -- helpers ----------------------------------------------------------------------------

    def find(self, part: str) -> zipfile.ZipInfo | None:
        """The member for a part name: exact, then case-insensitive (OPC part names are)."""
        for name in (part, unquote(part)):
            info = self.zf.NameToInfo.get(name) or self.by_lower.get(name.lower())
            if info is not None:
                return info
        return None

    def member(self, part: str) -> bytes:
        info = self.find(part)
        if info is None:
            self.c.fail_damaged(f"缺少部件 {part}", f"the part {part} is missing")
        return self.read_whole(info)

    def read_whole(self, info: zipfile.ZipInfo) -> bytes:
        """A member read to its end, so that ``zipfile`` verifies its CRC-32."""
        if info.file_size > self.limits.max_structural_size:
            self.c.fail_bomb(f"其中的 {info.filename} 解压后有 {_size(info.file_size)}",
                             f"its part {info.filename} would unpack to {_size(info.file_size)}")
        try:
            data = self.zf.read(info)
        except _MEMBER_ERRORS as err:
            if "CRC" in str(err):
                self.c.fail_damaged(f"部件 {info.filename} 的 CRC 校验失败",
                                    f"its part {info.filename} fails its CRC check")
            self.c.fail_damaged(f"部件 {info.filename} 无法解压",
                                f"its part {info.filename} cannot be decompressed")
        self.verified.add(info.filename)
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
        if _has_dtd(data[: self.limits.prologue_bytes], len(data)):
            self.fail_dtd(part)
        try:
            return ET.fromstring(data)
        except ET.ParseError:
            self.c.fail_damaged(f"部件 {part} 的 XML 结构错误",
                                f"its part {part} is not well-formed XML")


def _content_type(content_types: ET.Element, part: str) -> str:
    """Content type of ``part`` from ``[Content_Types].xml``."""
    wanted = "/" + part.lower()
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    default = ""
    for el in content_types:
        if el.tag.endswith("}Override") and el.get("PartName", "").lower() == wanted:
            return el.get("ContentType", "")
        if el.tag.endswith("}Default") and el.get("Extension", "").lower() == extension:
            default = el.get("ContentType", "")
    return default


def _has_dtd(head: bytes, size: int) -> bool:
    """Whether the first bytes ``head`` of an XML part of ``size`` bytes declare a
    document type or entities before the root element, or hold no root element at
    all in a part longer than ``head`` (a prologue that long is never legitimate)."""
    text = _prologue_text(head)
    root = _root_start(text)
    before = (text if root < 0 else text[:root]).upper()
    return "<!DOCTYPE" in before or "<!ENTITY" in before or (root < 0 and size > len(head))


def _prologue_text(head: bytes) -> str:
    """The first bytes of an XML part as text (UTF-8 or UTF-16, as OOXML allows)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def _root_start(text: str) -> int:
    """Index of the root element's ``<`` (the first ``<`` not followed by ``?`` or
    ``!``, skipping comments), or -1 if it is not in ``text``."""
    i = text.find("<")
    while i >= 0:
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return -1
            i = text.find("<", end + 3)
            continue
        if i + 1 < len(text) and text[i + 1] not in "?!":
            return i
        if i + 1 >= len(text):
            return -1
        i = text.find("<", i + 1)
    return -1


def _raw_name_len(info: zipfile.ZipInfo) -> int:
    """Length in bytes of a member's name as stored in its local header."""
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return len(info.orig_filename.encode(encoding))
    except UnicodeEncodeError:
        return len(info.orig_filename.encode("utf-8"))


def _size(n: int) -> str:
    """``n`` bytes for people: 3.0 GB, 12 MB."""
    if n >= GiB:
        return f"{n / GiB:.1f} GB"
    if n >= MiB:
        return f"{n / MiB:.0f} MB"
    return f"{n / KiB:.0f} KB"
