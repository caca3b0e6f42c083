"""The columns of a fast-read block (:mod:`xlsales.io.fastread`): an Arrow array each,
handed to the typed frame straight from Arrow when normalising it would change and
report nothing, or turned into exactly the Python values python-calamine gives."""

from __future__ import annotations

from datetime import date
from typing import Any

from xlsales.spec.model import Column, ColumnType, Lang

_DAY_MS = 86_400_000
_EPOCH = date(1970, 1, 1)
_NUMBER_TYPES = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)
# the spaces normalise trims (clean_text), at either end of a text
_EDGE_SPACES = " \t\r\n\u00a0\u3000"
# Serial 61 (1900-03-01): before it Excel counts the 29 February 1900 that never was, and
# serials below 1 are times of day, which python-calamine returns as ``time``.
_FIRST_MS = (date(1900, 3, 1) - _EPOCH).days * _DAY_MS


class Unsupported(Exception):
    """The block holds something the fast read cannot read exactly like python-calamine."""


def checked(column: Any) -> Any:
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
