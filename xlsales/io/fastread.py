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
from datetime import date
from pathlib import Path
from typing import Any

from xlsales.io.reader_a1 import get_column_letter
from xlsales.spec.model import Column, ColumnType, Lang

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
_DAY_MS = 86_400_000
_EPOCH = date(1970, 1, 1)
_NUMBER_TYPES = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)
# the spaces normalise trims (clean_text), at either end of a text
_EDGE_SPACES = " \t\r\n\u00a0\u3000"
# Serial 61 (1900-03-01): before it Excel counts the 29 February 1900 that never was, and
# serials below 1 are times of day, which python-calamine returns as ``time``.
_FIRST_MS = (date(1900, 3, 1) - _EPOCH).days * _DAY_MS


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


class Unsupported(Exception):
    """The block holds something this module cannot read exactly like python-calamine."""


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
        out = {c1 + i: FastColumn(_checked(batch.column(i)))
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


def _checked(column: Any) -> Any:
    """``column`` if every value in it converts exactly to python-calamine's value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = column.type
    if pa.types.is_null(t) or pa.types.is_string(t) or pa.types.is_large_string(t):
        return column
    if pa.types.is_boolean(t):
        return column
    if pa.types.is_floating(t):
        if pc.any(pc.is_nan(column)).as_py():  # text "nan"/"NaN" read as a number
            raise Unsupported("NaN in a number column")
        return column
    if pa.types.is_timestamp(t) and t.tz is None:
        first = pc.min(column.cast(pa.int64())).as_py()
        if first is not None and first < _FIRST_MS:
            raise Unsupported("time of day or a date before March 1900")
        return column
    raise Unsupported(f"column type {t}")


class FastColumn:
    """One column of a :class:`Block`: an Arrow array whose :meth:`values` are the
    python-calamine values, and which hands clean columns to the typed frame without
    going through Python values (:meth:`typed`, :meth:`kept`)."""

    __slots__ = ("_values", "array")

    def __init__(self, array: Any) -> None:
        self.array = array
        self._values: list[object] | None = None

    def __len__(self) -> int:
        return len(self.array)

    def values(self) -> list[object]:
        """The values python-calamine gives: ``''`` for an empty cell."""
        if self._values is None:
            self._values = _values(self.array)
        return self._values

    def blank(self) -> Any:
        """numpy bool array: True where the cell is empty (``None`` or ``''``)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        a = self.array
        if pa.types.is_null(a.type):
            return np.ones(len(a), dtype=bool)
        mask = a.is_null()
        if pa.types.is_string(a.type) or pa.types.is_large_string(a.type):
            mask = pc.or_(mask, pc.fill_null(pc.equal(a, ""), False))
        return mask.to_numpy(zero_copy_only=False)

    def holds_any(self, texts: frozenset[str]) -> Any:
        """numpy bool array: True where the cell is one of ``texts``; None for a column
        holding none of them (no text at all, or other text: the usual case, told
        without making the array)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        a = self.array
        if not (pa.types.is_string(a.type) or pa.types.is_large_string(a.type)):
            return None
        found = pc.is_in(a, value_set=pa.array(sorted(texts), type=a.type))
        if not pc.any(found).as_py():
            return None
        return pc.fill_null(found, False).to_numpy(zero_copy_only=False).astype(bool)

    def take(self, positions: Any) -> FastColumn:
        return FastColumn(self.array.take(positions))

    def kept(self) -> object:
        """The column for a frame that keeps the values as read (custom and formula
        columns): what ``pd.DataFrame`` makes of :meth:`values`, built from Arrow."""
        import pyarrow as pa
        import pyarrow.compute as pc

        a = self.array
        if len(a):
            if pa.types.is_floating(a.type) and not a.null_count:
                return a.to_numpy(zero_copy_only=False)  # floats: float64 either way
            if _is_text(a.type) and _STR_FROM_ARROW():
                return _str_array(pc.fill_null(a, "") if a.null_count else a)
        return self.values()

    def typed(self, column: Column, lang: Lang | None = None) -> object | None:
        """What :func:`~xlsales.normalise.normalise_column` returns for
        :meth:`values` (in a workbook of ``lang``), ready for the frame, when it would
        change nothing and report nothing (numbers in a number column, trimmed text,
        exact choices); None otherwise (the caller normalises :meth:`values`)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        a = self.array
        n, nulls = len(a), a.null_count
        t = column.type
        if not n or nulls == n or pa.types.is_null(a.type):
            return None  # the frame makes an object column of these: the caller's way
        if t in _NUMBER_TYPES:
            if pa.types.is_floating(a.type):
                return a.to_numpy(zero_copy_only=False)  # NaN where empty: float64
            return None
        if not (_is_text(a.type) and _STR_FROM_ARROW()):
            return None
        empty = pc.equal(a, "")
        if pc.any(empty).as_py():  # cells holding "" (rare): blank, as the empty ones
            blank = pc.fill_null(empty, True)
            if pc.all(blank).as_py():
                return None
            a = pc.if_else(blank, pa.scalar(None, a.type), a)
        # else the blank cells are the nulls, and not every cell is one (above)
        if t in (ColumnType.TEXT, ColumnType.LIST):
            # text to trim (normalise reports it): a text its trimmed self is not (a
            # quarter of the time of a regex for a space at either end)
            if pc.any(pc.not_equal(pc.utf8_trim(a, _EDGE_SPACES), a)).as_py():
                return None
            return _str_array(a)
        if t is ColumnType.CHOICE and column.choices is not None:
            return _choice_keys(column, a, lang)
        return None


def _choice_keys(column: Column, array: Any, lang: Lang | None) -> object | None:
    """Choice keys of ``array`` (null where blank) when every label is exact (else
    None)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from xlsales.normalise import normalise_column

    encoded = pc.dictionary_encode(array)
    labels = encoded.dictionary.to_pylist()  # each distinct label once, no empty one
    keys, issues = normalise_column(column, labels, lang)
    if issues:
        return None  # aliases, spaces, unknown values: normalise reports them
    return _str_array(pa.array(keys, pa.large_string()).take(encoded.indices))


def _is_text(t: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


_STR_DTYPE: Any = None


def _STR_FROM_ARROW() -> bool:
    """pandas makes an Arrow-backed string column of a list of str (pandas 3 with
    pyarrow): such a column can be built from the Arrow array directly."""
    global _STR_DTYPE
    if _STR_DTYPE is None:
        import pandas as pd

        dtype = pd.DataFrame({"a": ["a"]})["a"].dtype
        _STR_DTYPE = (dtype if isinstance(dtype, pd.StringDtype)
                      and dtype.storage == "pyarrow" else False)
    return _STR_DTYPE is not False


def _str_array(array: Any) -> object:
    import pandas as pd

    return pd.array(array, dtype=_STR_DTYPE)


def _values(column: Any) -> list[object]:
    """One Arrow column as the values python-calamine gives (``''`` when empty)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = column.type
    n = len(column)
    if pa.types.is_null(t):
        return [""] * n
    if _is_text(t):
        if column.null_count:
            column = pc.fill_null(column, "")
        return column.to_pylist()
    if pa.types.is_floating(t) or pa.types.is_boolean(t):
        return _with_blanks(column.to_numpy(zero_copy_only=False).tolist(), column, np)
    if pa.types.is_timestamp(t):
        ms = column.cast(pa.int64())
        if column.null_count:
            ms = pc.fill_null(ms, _FIRST_MS)
        ms = ms.to_numpy(zero_copy_only=False)
        midnight = ms % _DAY_MS == 0
        # python-calamine: a date when the serial number is whole, else a datetime. Both
        # round to the millisecond, so a serial within half a millisecond of midnight but
        # not whole (no date typed in Excel is) would be a date here, a datetime there.
        if midnight.all():
            values = (ms // _DAY_MS).astype("datetime64[D]").astype(object).tolist()
        else:
            values = ms.astype("datetime64[ms]").astype(object).tolist()
            days = (ms // _DAY_MS).astype("datetime64[D]").astype(object)
            for i in np.flatnonzero(midnight):
                values[i] = days[i]
        return _with_blanks(values, column, np)
    raise Unsupported(f"column type {t}")  # never: _checked refused it


def _with_blanks(values: list[object], column: Any, np: Any) -> list[object]:
    if column.null_count:
        for i in np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False)):
            values[i] = ""
    return values
