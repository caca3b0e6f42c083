"""Cell values of a worksheet as a grid of Python values, from the fastest reader here.

python-calamine (Rust) when installed, openpyxl's read-only mode otherwise (for
environments without compiled wheels, such as xlwings Lite). Both give: str,
float/int, bool, date/datetime, and '' or None for empty cells; the grid starts
at A1. Error values (#REF!, #N/A …) are found by :func:`error_cells`, which scans
the sheet XML, because calamine reports them as empty.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Protocol


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

        self._book = python_calamine.CalamineWorkbook.from_path(str(path))

    def rows(self, sheet: str) -> list[list[object]]:
        return self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


class OpenpyxlReader:
    """Pure-Python fallback backed by openpyxl's read-only mode."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)

    def rows(self, sheet: str) -> list[list[object]]:
        return [list(r) for r in self._book[sheet].iter_rows(values_only=True)]


def open_cell_reader(path: Path, engine: str = "auto") -> CellReader:
    """The fastest available reader (``auto``), or ``calamine`` / ``openpyxl``."""
    if engine in ("auto", "calamine"):
        try:
            return CalamineReader(path)
        except ImportError:
            if engine == "calamine":
                raise
    return OpenpyxlReader(path)


_ERROR_CELL = re.compile(rb'<c\b([^>]*?\bt="e"[^>]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def error_cells(zf: zipfile.ZipFile, sheet_part: str) -> dict[str, str]:
    """Cell reference → error value (``#REF!``…) of every error cell in a sheet part."""
    data = zf.read(sheet_part)
    if b't="e"' not in data:
        return {}
    found = {}
    for m in _ERROR_CELL.finditer(data):
        ref, value = _REF.search(m[1]), _VALUE.search(m[2])
        if ref:
            found[ref[1].decode()] = value[1].decode() if value else "#ERROR"
    return found
