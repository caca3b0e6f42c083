"""A table's columns as NumPy arrays, for the KPI engine's calculated columns and masks.

On a member's or a small book's few thousand rows, a pandas operation costs its fixed
~20-100 µs whatever the rows; the same in NumPy on the column's array costs a few µs.
Each helper gives exactly what the pandas expression it names gives (NaN where pandas
gives NaN or NA, False where a comparison with an empty cell is false).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa


def floats(column: pd.Series) -> np.ndarray:
    """``pd.to_numeric(column, errors="coerce")`` as floats, NaN where not a number: a
    float column's own array, without pandas' conversion."""
    if column.dtype == np.float64:
        return column.to_numpy()
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def equals_number(column: pd.Series, value: float) -> np.ndarray:
    """``pd.to_numeric(column, errors="coerce") == value`` (False where empty)."""
    return floats(column) == value


def text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``column``'s codes and distinct values (``pd.factorize``: -1 for an empty cell):
    comparing the few distinct values, then the codes, is comparing every cell."""
    codes, uniques = pd.factorize(column)
    return codes, np.asarray(uniques, dtype=object)


def is_in(codes: np.ndarray, uniques: np.ndarray, values: Collection[object]) -> np.ndarray:
    """Per row, whether its value (coded as :func:`text_codes` gives) is one of ``values``:
    ``column.isin(values)``, an empty cell not in them."""
    hit = np.array([u in values for u in uniques.tolist()], dtype=bool)
    return _take(hit, codes, False)


def mapped(codes: np.ndarray, uniques: np.ndarray, mapping: Mapping[object, float]) -> np.ndarray:
    """Per row, ``mapping``'s number for its value, NaN for another value or an empty
    cell (as ``np.select`` over ``column.eq(key)`` with NaN by default)."""
    numbers = np.array([mapping.get(u, np.nan) for u in uniques.tolist()], dtype=float)
    return _take(numbers, codes, np.nan)


def _take(per_value: np.ndarray, codes: np.ndarray, empty: object) -> np.ndarray:
    if not len(per_value):
        return np.full(len(codes), empty, dtype=per_value.dtype)
    out = per_value.take(codes)  # code -1 takes the last: overwritten below
    out[codes < 0] = empty
    return out


def days_between(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    """``(later - earlier).dt.days`` as floats (whole days, rounded down; NaN where either
    date is empty) of two parsed date columns."""
    a, b = later.to_numpy(), earlier.to_numpy()
    if a.dtype.kind != "M" or b.dtype.kind != "M":  # not parsed dates (an empty table)
        return (later - earlier).dt.days.astype(float).to_numpy()
    delta = a - b
    missing = np.isnat(delta)
    per_day = np.timedelta64(1, "D").astype(delta.dtype).view(np.int64)
    days = (delta.view(np.int64) // per_day).astype(float)
    days[missing] = np.nan
    return days


def arrow_texts(column: pd.Series) -> pa.ChunkedArray | None:
    """A text column's Arrow strings (its own, not copied), for Arrow's compute
    functions; None for a column of another type or storage (an object column of mixed
    values; text without pyarrow, under Pyodide)."""
    if not isinstance(column.dtype, pd.StringDtype) or column.dtype.storage != "pyarrow":
        return None
    import pyarrow as pa  # installed: the column is stored in it

    texts = column.array.__arrow_array__()
    return texts if isinstance(texts, pa.ChunkedArray) else pa.chunked_array([texts])
