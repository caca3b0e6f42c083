"""A roll-up's calculated columns as values (:func:`calculated_parts`).

In a member's workbook the sales records' calculated columns (customer weights, the
new-customer flag, churn, prices of the previous period …) are formulas, each comparing
its row with every other row of the table (COUNTIFS, SUMIFS). Over a roll-up's rows that
is quadratic: LibreOffice took 109 s to open and compute a 40,000-row team roll-up, and a
company's 400,000 rows would take Excel far longer on every open. A roll-up is a record of
its members, not a form to fill, so it stores those columns as the values the formulas
give — computed over the whole (a customer served by two reps is one customer of the
team) by the KPI engine's counterparts of the formulas — and its KPI sheet's native
formulas sum them as in any workbook.

The whole's values are computed by a worker while the main process builds the
skeleton (:func:`~xlsales.rollup_write.write_rollup`): it opens each member's sealed
rows and keeps the few columns the formulas read (:func:`formula_inputs`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from xlsales.build.formulas import referenced_columns
from xlsales.kpis import calculated_columns
from xlsales.periods import Period
from xlsales.rollup_frames import CompactFrame, merged_codes
from xlsales.spec import SPEC, ColumnType

_NUMBERS = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.PERCENT, ColumnType.INTEGER)
_DATES = (ColumnType.DATE, ColumnType.MONTH)


@cache
def formula_inputs(table: str) -> tuple[str, ...]:
    """The input columns of ``table`` its calculated columns' formulas read."""
    spec = SPEC.table(table)
    read = {k for c in spec.columns if not c.is_input and c.formula
            for k in referenced_columns(c.formula)}
    return tuple(c.key for c in spec.columns if c.is_input and c.key in read)


def _column(parts: Sequence[CompactFrame], key: str, kind: ColumnType) -> object:
    """Column ``key`` over ``parts``: numbers as floats, dates as datetime64 (NaN, NaT
    where empty or not one), text as a categorical; each distinct value converted once."""
    data = [p.columns.get(key) for p in parts]
    if kind in _NUMBERS and all(isinstance(d, np.ndarray) for d in data):
        return np.concatenate(data)  # type: ignore[arg-type]
    codes, values = merged_codes(parts, key)
    column = pd.Series([*values, None], dtype=object)
    if kind in _NUMBERS:
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)[codes]
    if kind in _DATES:
        return pd.to_datetime(column, errors="coerce").to_numpy(dtype="datetime64[ns]")[codes]
    categories, distinct = pd.factorize(column.iloc[:-1])
    return pd.Categorical.from_codes(np.append(categories, -1)[codes],
                                     categories=pd.Index(distinct))


def whole_frame(parts: Sequence[CompactFrame], table: str) -> pd.DataFrame:
    """The input columns ``table``'s formulas read, over the rows of ``parts`` one after
    the other, typed (text as categoricals)."""
    spec = SPEC.table(table)
    keys = formula_inputs(table)
    if not parts:
        return pd.DataFrame(columns=list(keys))
    return pd.DataFrame({k: _column(parts, k, spec.column(k).type) for k in keys})


def calculated_parts(parts: Sequence[CompactFrame | None], table: str,
                     period: Period) -> list[dict[str, np.ndarray]]:
    """For each of ``parts`` (members' rows of ``table`` in order, None for a member
    without the table), its rows' calculated columns as the formulas compute them over
    all of the parts' rows for ``period``: key → float array (NaN: an empty cell)."""
    values = calculated_columns(whole_frame([p for p in parts if p is not None], table),
                                period, table)
    columns = {k: values[k].to_numpy() for k in values.columns}
    out: list[dict[str, np.ndarray]] = []
    start = 0
    for part in parts:
        n = 0 if part is None else part.length
        out.append({k: v[start:start + n] for k, v in columns.items()})
        start += n
    return out
