"""Column-wise reading of one large table with fastexcel, giving exactly the cell values
python-calamine gives.

The reader (:mod:`xlsales.io.reader`) builds every table from a grid of Python values,
which python-calamine makes row by row: about 2.4 s for a 100k-row sales sheet. fastexcel
reads the same cells into Arrow columns in less than half that time. This module reads
the block of a table that is located by its Excel Table name (header row, its columns,
every row below it to the end of the sheet). Each column then goes to the typed frame
either straight from Arrow, when normalising it would change and report nothing
(:meth:`FastColumn.typed`, :meth:`FastColumn.kept`), or as the list of values
python-calamine would have put in the grid (:meth:`FastColumn.values`): ``str``,
``float``, ``bool``, ``date`` or ``datetime``, and ``''`` for an empty or error cell.

Wherever that equivalence cannot be guaranteed it gives up (``None``) and the reader
reads the sheet as before:

- a column holding more than one kind of value (a number typed as text among numbers,
  a text date among dates, ``TRUE`` among numbers …): fastexcel's strict type guess,
  over every row, refuses it;
- text that fastexcel would read as empty or as NaN in a typed column (``"NA"``,
  ``"null"``, ``"nan"`` … among numbers or dates): it reports those cells, or they
  come out as NaN;
- times of day, durations, dates before 1 March 1900, ISO-date cells, integers: types
  python-calamine converts differently;
- a header that is not the text the table part names (numbers as headers, duplicates,
  a header row edited by another program), or a table fastexcel cannot find;
- a cell error fastexcel refuses (``#NAME?``) or a damaged file.

Error cells it accepts (``#N/A``, ``#REF!``, ``#VALUE!``, ``#DIV/0!`` …) come out empty,
as python-calamine gives them, and fastexcel names each one (:attr:`Block.errors`): the
reader makes its findings from those. fastexcel does not check the part's CRC-32, so the
reader does (:func:`xlsales.io.cells.verify_part`, beside the read). The one value it
reads differently from python-calamine, an ISO 8601 date-time at midnight (``t="d"``,
rare: a few writers use them; a date here, a date-time there), only matters outside date
columns, where the reader scans the sheet XML for such cells
(:func:`xlsales.io.cells.scan_sheet`) before it takes the block.

Only used for sheets whose XML part is large (see :func:`min_bytes`), where it pays for
itself; small files never import fastexcel. Neither it nor pyarrow exists under Pyodide
(xlwings Lite): :func:`available` is then False and nothing changes.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsales.io.fast_columns import FastColumn, Unsupported, checked
from xlsales.io.reader_a1 import get_column_letter

log = logging.getLogger(__name__)

#: Environment variable: ``off`` (never), ``always`` (every table located by name), or
#: the smallest uncompressed size in bytes of a sheet part read this way.
ENV = "XLSALES_FAST_READ"
#: Default size from which a sheet is read column-wise: about 220 rows of the sales
#: sheet as xlsales writes it (one formula per calculated cell), 2k+ as Excel saves it
#: (shared formulas). About there the two reads cost the same (python-calamine holds the
#: GIL and reads such a sheet at half fastexcel's speed); below it the background read
#: costs more than it saves.
DEFAULT_MIN_BYTES = 1 << 20

_OFF = {"off", "never", "no", "false", "0"}
_ON = {"always", "on", "yes", "true"}


def min_bytes(setting: bool | int | None = None) -> int | None:
    """Smallest sheet part (uncompressed bytes) read column-wise; None: never.

    ``setting`` wins over the environment: True forces the fast path on, False off, an
    int is the threshold; None reads :data:`ENV`, else :data:`DEFAULT_MIN_BYTES`."""
    if setting is True:
        return 0
    if setting is False:
        return None
    if isinstance(setting, int):
        return max(0, setting)
    raw = os.environ.get(ENV, "").strip().lower()
    if not raw:
        return DEFAULT_MIN_BYTES
    if raw in _OFF:
        return None
    if raw in _ON:
        return 0
    try:
        return max(0, int(float(raw)))
    except ValueError:
        log.warning("%s=%r is not off/always/a size in bytes; using the default", ENV, raw)
        return DEFAULT_MIN_BYTES


_AVAILABLE: bool | None = None


def available() -> bool:
    """fastexcel and pyarrow are installed (never under Pyodide). Asked only once a sheet
    is large enough, so small files never import them; found, not imported: the
    background read imports them while the main thread goes on (a failed import there
    sends the table back to the grid, as any fastexcel failure does)."""
    global _AVAILABLE
    if _AVAILABLE is None:
        _AVAILABLE = sys.platform != "emscripten" and all(
            _installed(name) for name in ("fastexcel", "numpy", "pyarrow"))
    return _AVAILABLE


def _installed(name: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(name) is not None
    except (ImportError, ValueError):  # blocked, or set to None in sys.modules
        return False


@dataclass
class Block:
    """A table's block, each column as python-calamine's grid would give it."""

    header: list[object]  # values of the header row, columns c1..c2
    columns: dict[int, FastColumn]  # 1-based column → rows header+1 .. last_row
    last_row: int  # Excel row number of the last row read
    errors: dict[str, str]  # cell reference → error value (#N/A …) of the error cells
    timestamps: frozenset[int]  # 1-based columns read as date-times (dates, serials)


class _QuietDtypeGuess(logging.Filter):
    """fastexcel warns for every empty column ('Could not determine dtype … falling
    back to string'): normal in a template with optional columns."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Could not determine dtype" not in record.getMessage()


class FastReader:
    """Reads table blocks of one workbook file with fastexcel (opened on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._book: Any = None
        self._lock = threading.Lock()  # one load at a time from any thread

    def block(self, table: str, sheet: str, header_row: int, c1: int, c2: int,
              names: tuple[str, ...]) -> Block | None:
        """The block of ``table`` whose header is Excel row ``header_row`` of ``sheet``,
        columns ``c1``..``c2`` (1-based), with every row below it to the end of the
        sheet; ``names`` are the table part's column names. None when it cannot be read
        exactly as python-calamine reads it."""
        try:
            with self._lock:
                block = self._block(sheet, header_row, c1, c2, names)
            log.debug("fast read of %s: %d columns, %d rows", table, len(block.columns),
                      block.last_row - header_row)
            return block
        except Unsupported as exc:
            log.debug("fast read of %s not used: %s", table, exc)
        except Exception as exc:  # fastexcel refused: strict types, cell errors, damage …
            log.debug("fast read of %s not used: %s: %s", table, type(exc).__name__,
                      str(exc).splitlines()[0] if str(exc) else "")
        return None

    def _block(self, sheet: str, header_row: int, c1: int, c2: int,
               names: tuple[str, ...]) -> Block:
        import fastexcel

        if len(names) != c2 - c1 + 1:
            raise Unsupported("the table part's columns do not match its range")
        if self._book is None:
            logging.getLogger("fastexcel.types.dtype").addFilter(_QUIET)
            self._book = fastexcel.read_excel(str(self.path))
        # header_row and the column indices are 0-based sheet positions
        loaded = self._book.load_sheet_by_name(
            sheet, header_row=header_row - 1, use_columns=list(range(c1 - 1, c2)),
            dtype_coercion="strict", schema_sample_rows=None)
        columns = loaded.selected_columns
        if [c.absolute_index for c in columns] != list(range(c1 - 1, c2)):
            raise Unsupported("columns out of place")
        for info, name in zip(columns, names, strict=True):
            if info.column_name_from != "looked_up" or info.name != name or _not_text(name):
                raise Unsupported(f"header {info.name!r} is not the table's {name!r}")
        batch, errors = loaded.to_arrow_with_errors()
        found: dict[str, str] = {}
        for error in errors.errors if errors is not None else ():
            # a typed column's cell it could not read: only the accepted error values
            # (python-calamine: empty) are fine; text such as "NA" is not
            kind = _ERROR_KIND.search(error.detail)
            if kind is None or kind[1] not in ERROR_VALUES:
                raise Unsupported(f"cell {error.position}: {error.detail}")
            row, col = error.offset_position  # data row from 0; sheet column from 0
            found[f"{get_column_letter(col + 1)}{header_row + 1 + row}"] = ERROR_VALUES[kind[1]]
        out = {c1 + i: FastColumn(checked(batch.column(i)))
               for i in range(batch.num_columns)}
        import pyarrow as pa

        stamps = frozenset(col for col, c in out.items() if pa.types.is_timestamp(c.array.type))
        return Block([info.name for info in columns], out, header_row + batch.num_rows, found,
                     stamps)


#: fastexcel's names of the error values (calamine's ``CellErrorType``) → Excel's text
ERROR_VALUES = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!",
                "Num": "#NUM!", "Ref": "#REF!", "Value": "#VALUE!",
                "GettingData": "#GETTING_DATA"}
_ERROR_KIND = re.compile(r"got 'Error\((\w+)\)'")



_QUIET = _QuietDtypeGuess()


def _not_text(name: str) -> bool:
    """Header text that might have been a number, a date or TRUE/FALSE in the cell
    (python-calamine would give the value, fastexcel its text)."""
    text = name.strip().lower()
    if text in ("true", "false"):
        return True
    try:
        float(text)
        return True
    except ValueError:
        pass
    return len(text) >= 8 and text[:4].isdigit() and text[4:5] == "-"
