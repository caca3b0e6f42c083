"""Row masks and numeric columns of the KPI engine's evaluations, each computed once.

Many KPIs share a window or a condition; a breakdown by month (the report's trend, the
plan's months) evaluates the same whole tables for many periods: what does not depend
on the period (a column's numbers, a stage compared with ``won``, a window of a given
period) is kept across them in a shared cache, but for the calculated columns
recomputed for each period (``varying``). A group of a breakdown (a rep's rows) takes
its masks from the whole tables' (``parent``) at its rows, but for the columns
recounted within the group: row by row they are the same, and computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import numpy as np

from xlsales.kpis_arrays import equals_number, floats, is_in
from xlsales.kpis_calculated import _in_window
from xlsales.kpis_table import KpiTable
from xlsales.periods import Period
from xlsales.spec.kpi_model import Above, Window

#: A shared cache: (kind, table, column, ...) → mask or numbers of a whole table.
SharedMasks = dict[tuple[object, ...], np.ndarray]


class RowMasks:
    """The masks and numbers of one evaluation of ``period`` over ``tables``; of whole
    tables, kept in ``shared`` (when given) but for the ``varying`` (table, column)
    pairs; of a group's rows (positions ``rows`` of each table in the ``parent``'s),
    taken from the ``parent`` but for the ``varying`` ones."""

    def __init__(self, period: Period, tables: Mapping[str, KpiTable],
                 shared: SharedMasks | None = None,
                 varying: Collection[tuple[str, str]] = (),
                 parent: RowMasks | None = None,
                 rows: Mapping[str, np.ndarray] | None = None) -> None:
        self.period = period
        self.tables = tables
        self._own: SharedMasks = {}
        self._shared = shared
        self._varying = varying
        self._parent = parent
        self._rows = rows or {}

    def _get(self, key: tuple[object, ...], table: str, column: str,
             make: Callable[[KpiTable], np.ndarray],
             inherit: Callable[[RowMasks], np.ndarray]) -> np.ndarray:
        mine = (table, column) in self._varying
        cache = self._own if self._shared is None or mine else self._shared
        found = cache.get(key)
        if found is None:
            if self._parent is not None and not mine:
                found = inherit(self._parent)[self._rows[table]]
            else:
                found = make(self.tables[table])
            cache[key] = found
        return found

    def window(self, table: str, field: str, window: Window) -> np.ndarray:
        """Rows of ``table`` whose ``field`` (a parsed date) is in ``window``."""
        return self._get(("w", table, field, window, self.period), table, "_" + field,
                         lambda frame: _in_window(frame["_" + field], self.period, window),
                         lambda parent: parent.window(table, field, window))

    def where(self, table: str, key: str, value: object) -> np.ndarray:
        """Rows of ``table`` whose ``key`` is ``value`` (one of it, for a tuple)."""
        def make(frame: KpiTable) -> np.ndarray:
            if isinstance(value, str | tuple):  # the distinct values compared, not each row
                codes, uniques = frame.codes(key)
                return is_in(codes, uniques, (value,) if isinstance(value, str) else value)
            if isinstance(value, Above):  # NaN (empty, text) is above nothing
                with np.errstate(invalid="ignore"):
                    return floats(frame[key]) > value.bound
            return equals_number(frame[key], value)
        return self._get(("q", table, key, value), table, key, make,
                         lambda parent: parent.where(table, key, value))

    def number(self, table: str, key: str) -> np.ndarray:
        """``table``'s ``key`` as floats (NaN where not a number)."""
        return self._get(("n", table, key), table, key, lambda frame: floats(frame[key]),
                         lambda parent: parent.number(table, key))
