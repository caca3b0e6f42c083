"""A roll-up's calculated columns as values (:func:`member_calculated`).

In a member's workbook the sales records' calculated columns (customer weights, the
new-customer flag, churn, prices of the previous period …) are formulas, each comparing
its row with every other row of the table (COUNTIFS, SUMIFS). Over a roll-up's rows that
is quadratic: LibreOffice took 109 s to open and compute a 40,000-row team roll-up, and a
company's 400,000 rows would take Excel far longer on every open. A roll-up is a record of
its members, not a form to fill, so it stores those columns as the values the formulas
give — computed over the whole (a customer served by two reps is one customer of the
team) by the KPI engine's counterparts of the formulas — and its KPI sheet's native
formulas sum them as in any workbook."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from xlsales.kpis import calculated_columns
from xlsales.periods import Period
from xlsales.rollup_frames import CompactFrame
from xlsales.rollup_member import MERGED_TABLES, Member
from xlsales.spec import SPEC

#: Merged tables whose calculated columns a roll-up stores as values.
VALUE_TABLES = frozenset(name for name in MERGED_TABLES
                         if any(not c.is_input for c in SPEC.table(name).columns))


def _values(part: CompactFrame, key: str) -> np.ndarray:
    """Column ``key`` of ``part`` as an array (None or NaN where empty)."""
    data = part.columns.get(key)
    if data is None:
        return np.full(part.length, None, dtype=object)
    if isinstance(data, np.ndarray):
        return data
    codes, uniques = data
    lookup = np.empty(len(uniques) + 1, dtype=object)
    lookup[:-1] = uniques
    lookup[-1] = None  # code -1: empty
    return lookup[codes]


def whole_frame(parts: Sequence[CompactFrame], table: str) -> pd.DataFrame:
    """The input columns of ``table`` over the rows of ``parts``, one after the other."""
    keys = [c.key for c in SPEC.table(table).columns if c.is_input]
    if not parts:
        return pd.DataFrame(columns=keys)
    return pd.DataFrame({k: np.concatenate([_values(p, k) for p in parts]) for k in keys})


def member_calculated(members: Sequence[Member], table: str,
                      period: Period) -> list[dict[str, np.ndarray]]:
    """For each of ``members`` (in order), the calculated columns of its rows of
    ``table`` as the formulas compute them over all the members' rows for ``period``:
    key → float array (NaN: an empty cell)."""
    parts = [m.compact(table) for m in members]
    present = [p for p in parts if p is not None]
    values = calculated_columns(whole_frame(present, table), period, table)
    out: list[dict[str, np.ndarray]] = []
    start = 0
    for part in parts:
        n = 0 if part is None else part.length
        out.append({k: values[k].to_numpy()[start:start + n] for k in values.columns})
        start += n
    return out
