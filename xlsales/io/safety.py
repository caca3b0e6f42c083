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

The checks live beside this module: :mod:`~xlsales.io.safety_filekind` (what a file is
from its first bytes: OLE2, old ``.xls``, encrypted, CSV, PDF…),
:mod:`~xlsales.io.safety_zip` (end record, sizes, member layout, CRC),
:mod:`~xlsales.io.safety_package` (the Office package and its workbook part),
:mod:`~xlsales.io.safety_xml` (the DTD scan), :mod:`~xlsales.io.safety_limits` and
:mod:`~xlsales.io.safety_messages` (every refusal, in both languages).
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO, NoReturn

from xlsales.errors import WorkbookError
from xlsales.io.safety_filekind import (
    CSV,
    HTML,
    MHT,
    OLE_MAGIC,
    TSV,
    XML2003,
    ZIP_MAGICS,
    ole_streams,
    sniff_other,
)
from xlsales.io.safety_limits import DEFAULT_LIMITS, KiB, SafetyLimits
from xlsales.io.safety_messages import Kind, Refusals
from xlsales.io.safety_package import OfficePackage
from xlsales.io.safety_zip import check_end_record

try:  # olefile comes with oletools / msoffcrypto-tool; a byte scan stands in without it
    import olefile
except ImportError:  # pragma: no cover - only where olefile is missing
    olefile = None

__all__ = ["SafetyLimits", "check_workbook_file", "checked_parts", "describe_path"]


def check_workbook_file(
    path: str | os.PathLike[str], limits: SafetyLimits = DEFAULT_LIMITS
) -> None:
    """Raise :class:`WorkbookError` if ``path`` cannot be used as an xlsx/xlsm
    workbook; return quietly if it looks fine. The file is only read."""
    _Checker(Path(path), str(path), limits).run()


def checked_parts(
    path: str | os.PathLike[str], limits: SafetyLimits = DEFAULT_LIMITS
) -> dict[str, bytes]:
    """:func:`check_workbook_file`, and the parts the check read to their end (their
    CRC-32 verified: the structural parts and the small ones), name → content: the reader
    needs several of them again (:class:`xlsales.io.keptzip.KeptZip`)."""
    checker = _Checker(Path(path), str(path), limits)
    checker.run()
    return checker.kept


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


class _Checker(Refusals):
    """One run of :func:`check_workbook_file`."""

    def __init__(self, path: Path, name: str, limits: SafetyLimits) -> None:
        super().__init__(name)
        self.path = path
        self.limits = limits
        self.kept: dict[str, bytes] = {}  # the parts read to their end (checked_parts)

    def run(self) -> None:
        """Check the file; the first problem found raises :class:`WorkbookError`."""
        size = self.check_path()
        try:
            with self.path.open("rb") as f:
                head = f.read(8 * KiB)
                if head.startswith(OLE_MAGIC):
                    self.check_ole(f)
                if not head.startswith(ZIP_MAGICS):
                    self.check_not_spreadsheet(head)
                check_end_record(self, f, size, self.limits)
                self.check_zip(f)
        except PermissionError as err:
            self.fail_no_permission(err)
        except OSError as err:
            self.fail_unreadable(err)

    def check_path(self) -> int:
        """Case 1: the path must be an existing, non-empty regular file."""
        try:
            st = self.path.stat()
        except (FileNotFoundError, NotADirectoryError):
            self.fail_not_found(self._meant())
        except OSError as err:
            self.fail_inaccessible(err)
        if stat.S_ISDIR(st.st_mode):
            self.fail_folder()
        if not stat.S_ISREG(st.st_mode):
            self.fail_not_regular()
        if st.st_size == 0:
            self.fail_empty()
        return st.st_size

    def _meant(self) -> str | None:
        """The name given with a workbook's extension added, when that file exists (a
        name typed without its extension); None otherwise."""
        if self.path.suffix.lower() in (".xlsx", ".xlsm"):
            return None
        for ext in (".xlsx", ".xlsm"):
            beside = Path(f"{self.path}{ext}")
            if beside.is_file():
                return f"{self.name}{ext}"
        return None

    def check_not_spreadsheet(self, head: bytes) -> NoReturn:
        """Case 2: a file that is neither a zip package nor an OLE2 file."""
        if self.path.name.startswith("~$") and len(head) < 1024:
            self.fail_lock_file()
        kind = sniff_other(head, self.path.suffix)
        if kind in (CSV, TSV):
            self.fail_text_table(kind)
        if kind in (HTML, MHT, XML2003):
            self.fail_exported_page(kind)
        self.fail_renamed(kind)

    def check_ole(self, f: BinaryIO) -> NoReturn:
        """Cases 3 and 4: an OLE2 compound file is an encrypted OOXML package, an old
        .xls, or another legacy Office file; none can be read."""
        # ``olefile`` is looked up here, at run time: tests set it to None for the byte scan
        streams = ole_streams(self, f, self.path, olefile)
        if {"encryptioninfo", "encryptedpackage"} <= streams:
            self.fail_encrypted()
        if "worddocument" in streams:
            self.fail_wrong_document(
                Kind("Word 97-2003 文档（.doc）", "a Word 97-2003 document (.doc)")
            )
        if "powerpoint document" in streams:
            self.fail_wrong_document(
                Kind("PowerPoint 97-2003 演示文稿（.ppt）",
                     "a PowerPoint 97-2003 presentation (.ppt)")
            )
        self.fail_legacy_xls()

    def check_zip(self, f: BinaryIO) -> None:
        """Cases 5 to 9 on a zip package."""
        f.seek(0)
        try:
            zf = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, ValueError, NotImplementedError, struct.error, EOFError,
                OSError):  # OSError: a seek before the start, from offsets that do not add up
            self.fail_damaged("ZIP 目录无法读取", "its ZIP directory cannot be read")
        with zf:
            package = OfficePackage(self, zf, self.limits)
            package.check()
            self.kept = package.kept
