"""Cell values of a worksheet as a grid of Python values, from the fastest reader here.

python-calamine (Rust) when installed, openpyxl's read-only mode otherwise (for
environments without compiled wheels, such as xlwings Lite). Both give: str,
float/int, bool, date/datetime, and '' or None for empty cells; the grid starts
at A1. Error values (#REF!, #N/A …) are found by :func:`error_cells`, which scans
the sheet XML, because calamine reports them as empty.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from xlsales.io.deflate import crc32, raw_decompressor
from xlsales.io.keptzip import KeptZip


def _read_failures() -> tuple[type[BaseException], ...]:
    failures: list[type[BaseException]] = [zipfile.BadZipFile, zlib.error, EOFError]
    try:
        from python_calamine import CalamineError

        failures.append(CalamineError)
    except ImportError:
        pass
    return tuple(failures)


#: What the readers raise on a damaged package (a bad CRC deep inside a sheet part …).
READ_FAILURES = _read_failures()


class CellReader(Protocol):
    """Reads one worksheet's values as rows starting at A1."""

    def rows(self, sheet: str) -> list[list[object]]: ...


class CalamineReader:
    """Fast reader backed by python-calamine."""

    def __init__(self, path: Path) -> None:
        import python_calamine

        self._path = path
        self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        self._fallback: OpenpyxlReader | None = None

    def rows(self, sheet: str) -> list[list[object]]:
        import python_calamine

        try:
            return self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except python_calamine.CalamineError as exc:
            # error values newer than calamine (#SPILL!, #CALC!, #BLOCKED! … of dynamic
            # arrays) make it refuse the whole sheet: openpyxl reads that sheet instead
            if "error value" not in str(exc):
                raise
            if self._fallback is None:
                self._fallback = OpenpyxlReader(self._path)
            return self._fallback.rows(sheet)

    def close(self) -> None:
        """Close the file the openpyxl fallback holds open (if it was needed)."""
        if self._fallback is not None:
            self._fallback.close()


class OpenpyxlReader:
    """Pure-Python fallback backed by openpyxl's read-only mode."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)

    def rows(self, sheet: str) -> list[list[object]]:
        # error cells read empty, as python-calamine gives them (the error scan of the
        # sheet XML reports them, with their value)
        return [[None if c.data_type == "e" else c.value for c in r]
                for r in self._book[sheet].iter_rows()]

    def close(self) -> None:
        """Close the file (a read-only openpyxl workbook holds it open; on Windows an open
        file cannot be replaced by the atomic save)."""
        self._book.close()


def open_cell_reader(path: Path, engine: str = "auto") -> CalamineReader | OpenpyxlReader:
    """The fastest available reader (``auto``), or ``calamine`` / ``openpyxl``; close it
    when done (:func:`cells_of` does)."""
    if engine in ("auto", "calamine"):
        try:
            return CalamineReader(path)
        except ImportError:
            if engine == "calamine":
                raise
    return OpenpyxlReader(path)


@contextmanager
def cells_of(path: Path, cells: CellReader | None = None) -> Iterator[CellReader]:
    """``cells`` when given (the caller's, a live workbook's: left open), else a reader of
    the file at ``path``, closed when done: its openpyxl fallback holds the file open, and
    on Windows an open file cannot be replaced by the atomic save that follows a read."""
    if cells is not None:
        yield cells
        return
    reader = open_cell_reader(path)
    try:
        yield reader
    finally:
        reader.close()


_ERROR_CELL = re.compile(rb'<c\b([^>]*?\bt="e"[^>]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


_MARKS = re.compile(rb't="[de]"')  # error cells, ISO 8601 date cells
_MARK_LEN = 5


@dataclass(frozen=True)
class SheetScan:
    """What the scan of a sheet's XML finds: its error cells (reference → error value)
    and whether it holds ISO 8601 date cells (``t="d"``, rare: a few writers use them)."""

    errors: dict[str, str]
    iso_dates: bool = False


#: Also given each piece of a part's content as a scan inflates it (see
#: :class:`xlsales.io.formulacells.FormulaTally`).
Observer = Callable[[bytes], None]


def error_cells(zf: zipfile.ZipFile, sheet_part: str) -> dict[str, str]:
    """Cell reference → error value (``#REF!``…) of every error cell in a sheet part."""
    return scan_sheet(zf, sheet_part).errors


def scan_sheet(zf: zipfile.ZipFile, sheet_part: str,
               observe: Observer | None = None) -> SheetScan:
    """Error cells and ISO date cells of a sheet part (``observe`` is given every piece
    of its content).

    The part is decompressed a piece at a time and only searched for their marks
    (a 100k-row sheet is ~0.5 GB of XML, never held whole; zlib releases the GIL, so
    this runs beside a reader in another thread); only a part holding one is read
    whole and parsed."""
    tail = b""
    pieces = _inflated(zf, sheet_part)
    for chunk in pieces:
        if observe is not None:
            observe(chunk)
        if _MARKS.search(chunk) or _MARKS.search(tail + chunk[:_MARK_LEN - 1]):
            break
        tail = (tail + chunk[1 - _MARK_LEN:])[1 - _MARK_LEN:]
    else:
        return SheetScan({})
    if observe is not None:
        for chunk in pieces:
            observe(chunk)
    data = zf.read(sheet_part)
    found = {}
    if b't="e"' in data:
        for m in _ERROR_CELL.finditer(data):
            ref, value = _REF.search(m[1]), _VALUE.search(m[2])
            if ref:
                found[ref[1].decode()] = value[1].decode() if value else "#ERROR"
    return SheetScan(found, b't="d"' in data)


def verify_part(zf: zipfile.ZipFile, part: str, observe: Observer | None = None) -> None:
    """Inflate ``part`` and check it against its CRC-32, keeping nothing (but what
    ``observe``, given every piece, keeps): a damaged part raises the errors
    :meth:`zipfile.ZipFile.read` raises. (A reader that stops at the closing tag, as
    fastexcel's does, never checks it: a changed digit would be read.) About half the
    cost of :func:`scan_sheet`, which checks it too."""
    for chunk in _inflated(zf, part):
        if observe is not None:
            observe(chunk)


def inflated(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The content of ``part``, a piece at a time, checked against its CRC-32 (a damaged
    part raises what :meth:`zipfile.ZipFile.read` raises)."""
    return _inflated(zf, part)


_LOCAL_HEADER = b"PK\x03\x04"
#: Compressed bytes inflated at a time. Small enough that each piece of a sheet written
#: with its formulas (some 40 times smaller deflated) inflates to a few hundred KB, which
#: the allocator reuses from piece to piece; 64 KiB pieces came out at megabytes each, and
#: allocating those fresh cost a 4.6 MB sheet part 3 ms more than inflating it.
_PIECE = 1 << 13


def _inflated(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The bytes of ``part``, a piece at a time, checked against its CRC-32 as
    :meth:`zipfile.ZipFile.read` checks them (a damaged part raises the same errors).

    A deflated member of a file on disk is inflated straight from its compressed bytes
    (about twice as fast as :meth:`zipfile.ZipFile.open`); anything else is streamed
    through zipfile; a part the safety check kept whole (:class:`~xlsales.io.keptzip.KeptZip`,
    checked against its CRC-32 there) comes from memory."""
    if isinstance(zf, KeptZip) and (data := zf.kept(part)) is not None:
        yield data
        return
    info = zf.getinfo(part)
    raw = _compressed(zf, info)
    if raw is None:
        with zf.open(info) as stream:
            while chunk := stream.read(1 << 20):
                yield chunk
        return
    crc = 0
    inflate = raw_decompressor()
    view = memoryview(raw)
    for start in range(0, len(raw), _PIECE):
        chunk = inflate.decompress(view[start:start + _PIECE])
        crc = crc32(chunk, crc)
        yield chunk
    chunk = inflate.flush()
    crc = crc32(chunk, crc)
    yield chunk
    if not inflate.eof:
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")
    if crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")


def _compressed(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The compressed bytes of a plain deflated member of a zip file on disk, or None."""
    if (info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1
            or not isinstance(zf.filename, str) or not Path(zf.filename).is_file()):
        return None
    with open(zf.filename, "rb") as f:
        f.seek(info.header_offset)
        header = f.read(30)
        if len(header) < 30 or header[:4] != _LOCAL_HEADER:
            return None
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        f.seek(info.header_offset + 30 + name_len + extra_len)
        raw = f.read(info.compress_size)
    return raw if len(raw) == info.compress_size else None
