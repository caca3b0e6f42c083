"""Cells of the CSV and xlsx exports: in CSV, dates as ISO text and text a spreadsheet
would run as a formula neutralised (:func:`clean_cell`, a column at a time:
:func:`clean_frame`); rows a chunk at a time (:func:`chunks`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import numpy as np
import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: The cell types of dates (a date column of a reader's frame holds these).
_DATE_TYPES = [date, datetime, pd.Timestamp]
#: Rows turned into text and Python values at a time when writing CSV or xlsx: memory
#: stays that of the table, not of a copy of it as Python objects.
CHUNK_ROWS = 20_000


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain text (``'=1+1``)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def clean_cell(value: object, text: bool, dates_as_text: bool = True) -> object:
    """A cell for CSV and xlsx: a date as ISO text (unless not ``dates_as_text``); in a
    text column (``text``), text a spreadsheet would run as a formula neutralised."""
    if dates_as_text and isinstance(value, date | datetime):
        value = value.isoformat()[:10]
    return neutralise(value) if text else value


def _clean_column(values: pd.Series, dates_as_text: bool = True) -> pd.Series:
    """:func:`clean_cell` of every cell of ``values``, without a Python call per cell
    where the column holds only plain numbers, text and dates."""
    text = values.dtype == object or str(values.dtype).startswith("str")
    if values.dtype.kind in "biufc":  # numbers and booleans: nothing to clean
        return values
    if text and values.dtype != object:  # a string column: no dates in it
        risky = values.str.startswith(FORMULA_PREFIXES, na=False)
        return values.where(~risky, "'" + values) if risky.any() else values
    if values.dtype.kind == "M" and not dates_as_text:  # date-times kept for the cells
        return values
    if values.dtype != object:  # date-times, categories …: cell by cell
        return values.map(lambda v: clean_cell(v, text, dates_as_text))
    types = values.map(type)
    dates = types.isin(_DATE_TYPES).to_numpy()
    strings = types.isin([str]).to_numpy()
    others = {t for t in types[~(dates | strings)].unique()
              if issubclass(t, date | str)}  # subclasses: cell by cell, as above
    if others:
        return values.map(lambda v: clean_cell(v, text, dates_as_text))
    out = values.to_numpy(dtype=object, copy=True)
    if dates.any() and dates_as_text:  # each distinct date made ISO text once
        codes, distinct = pd.factorize(out[dates])
        out[dates] = np.array([d.isoformat()[:10] for d in distinct], dtype=object)[codes]
    if strings.any():
        risky = np.flatnonzero(strings)[
            pd.Series(out[strings], dtype=object).str.startswith(FORMULA_PREFIXES).to_numpy()]
        out[risky] = ["'" + v for v in out[risky]]
    return pd.Series(out, index=values.index, name=values.name)


def clean_frame(frame: pd.DataFrame, dates_as_text: bool = True,
                neutralise: bool = True) -> pd.DataFrame:
    """For CSV: dates as ISO text, formula-like text neutralised (:func:`clean_cell`).
    The xlsx export keeps both (its cells are typed: a date is a date, text is text),
    and gets ``frame`` itself."""
    if not (dates_as_text or neutralise):
        return frame
    out = frame.copy(deep=False)
    for i in range(frame.shape[1]):
        out.isetitem(i, _clean_column(frame.iloc[:, i], dates_as_text))
    return out


def chunks(frame: pd.DataFrame, rows: int | None = None) -> Iterator[pd.DataFrame]:
    """``frame``'s rows ``rows`` (:data:`CHUNK_ROWS`) at a time (``frame`` itself when
    empty)."""
    size = rows or CHUNK_ROWS
    if frame.empty:
        yield frame
    for start in range(0, len(frame), size):
        yield frame.iloc[start:start + size]


def python_values(values: pd.Series) -> list[object]:
    """A column's values as Python objects: empty (NaN, None, NaT) as None, numpy
    scalars as Python ones."""
    out = values.astype(object).where(values.notna(), None).tolist()
    return [v.item() if hasattr(v, "item") else v for v in out] if values.dtype == object \
        else out
