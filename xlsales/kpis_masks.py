"""Row masks and numeric columns of the KPI engine's evaluations, each computed once.

Many KPIs share a window or a condition; and a breakdown by month (the report's trend,
the plan's trailing months) evaluates the same whole tables for many periods: what
does not depend on the period (a column's numbers, a stage compared with ``won``, a
window of a given period) is kept across them in a shared cache. Only the calculated
columns recomputed for each period (``varying``) are cached per evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from xlsales.kpis_calculated import _in_window, _number
from xlsales.periods import Period
from xlsales.spec.model import Window

#: A shared cache: (kind, table, column, ...) → mask or numbers of a whole table.
SharedMasks = dict[tuple[object, ...], np.ndarray]


class RowMasks:
    """The masks and numbers of one evaluation of ``period``; of whole tables, kept in
    ``shared`` (when given) but for the ``varying`` (table, column) pairs."""

    def __init__(self, period: Period, shared: SharedMasks | None = None,
                 varying: Collection[tuple[str, str]] = ()) -> None:
        self.period = period
        self._own: SharedMasks = {}
        self._shared = shared
        self._varying = varying

    def _get(self, key: tuple[object, ...], table: str, column: str,
             make: Callable[[], np.ndarray]) -> np.ndarray:
        cache = (self._own if self._shared is None or (table, column) in self._varying
                 else self._shared)
        found = cache.get(key)
        if found is None:
            found = cache[key] = make()
        return found

    def window(self, frame: pd.DataFrame, table: str, field: str, window: Window) -> np.ndarray:
        """Rows of ``table`` whose ``field`` (a parsed date) is in ``window``."""
        return self._get(("w", table, field, window, self.period), table, "_" + field,
                         lambda: _in_window(frame["_" + field], self.period, window))

    def where(self, frame: pd.DataFrame, table: str, key: str, value: object) -> np.ndarray:
        """Rows of ``table`` whose ``key`` is ``value`` (one of it, for a tuple)."""
        def make() -> np.ndarray:
            column = frame[key]
            if isinstance(value, str):
                return column.eq(value).to_numpy(dtype=bool, na_value=False)
            if isinstance(value, tuple):
                return column.isin(value).to_numpy(dtype=bool)
            return (_number(column) == value).to_numpy(dtype=bool, na_value=False)
        return self._get(("q", table, key, value), table, key, make)

    def number(self, frame: pd.DataFrame, table: str, key: str) -> np.ndarray:
        """``table``'s ``key`` as floats (NaN where not a number)."""
        return self._get(("n", table, key), table, key, lambda: _number(
            frame[key]).to_numpy(dtype=float, na_value=np.nan))
