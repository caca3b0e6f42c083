"""A table as the KPI engine reads it: column by column, never rebuilt as a frame.

The engine adds the calculated columns of each period to the parsed tables and, in a
breakdown, takes each group's rows: on a small book's or a member's few thousand rows,
setting a column of a pandas frame (~50 µs) or taking the rows of all its two dozen
columns (~0.2 ms) costs more than computing the column. A :class:`KpiTable` keeps the
frame as it is and the added columns beside it; a group's table takes from its parent
only the columns read, when first read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlsales.kpis_parsed import with_columns


class KpiTable:
    """The columns of ``frame`` (or of the ``rows`` positions of ``parent``), with the
    columns set on it over them."""

    def __init__(self, frame: pd.DataFrame | None = None, *,
                 parent: KpiTable | None = None, rows: np.ndarray | None = None,
                 added: dict[str, pd.Series] | None = None) -> None:
        self._frame = frame
        self._parent = parent
        self._rows = rows
        self._added: dict[str, pd.Series] = dict(added or {})
        self._index: pd.Index | None = None if frame is None else frame.index

    @property
    def index(self) -> pd.Index:
        """The rows' labels (a group's: its parent's, at its positions)."""
        if self._index is None:
            assert self._parent is not None and self._rows is not None
            self._index = self._parent.index.take(self._rows)
        return self._index

    def __len__(self) -> int:
        return len(self._rows) if self._frame is None else len(self._frame.index)

    @property
    def empty(self) -> bool:
        """Whether the table has no rows."""
        return len(self) == 0

    def __contains__(self, key: object) -> bool:
        if key in self._added:
            return True
        if self._frame is not None:
            return key in self._frame.columns
        return self._parent is not None and key in self._parent

    def __getitem__(self, key: str) -> pd.Series:
        found = self._added.get(key)
        if found is not None:
            return found
        if self._frame is not None:
            return self._frame[key]
        assert self._parent is not None and self._rows is not None
        if key not in self._parent:
            raise KeyError(key)
        column = self._parent[key].take(self._rows)
        self._added[key] = column  # taken once
        return column

    def __setitem__(self, key: str, values: pd.Series | np.ndarray) -> None:
        self._added[key] = (values if isinstance(values, pd.Series)
                            else pd.Series(values, index=self.index))

    def copy(self, deep: bool = False) -> KpiTable:
        """The same columns, those set on the copy its own (``deep`` is ignored: columns
        are never changed in place)."""
        out = KpiTable(self._frame, parent=self._parent, rows=self._rows, added=self._added)
        out._index = self._index
        return out

    def take(self, rows: np.ndarray) -> KpiTable:
        """The table of the rows at ``rows`` (positions), its columns taken when read."""
        return KpiTable(parent=self, rows=rows)

    def to_frame(self) -> pd.DataFrame:
        """As a pandas frame: the frame's columns, then those set on it."""
        if self._frame is None:
            assert self._parent is not None and self._rows is not None
            return self._parent.to_frame().take(self._rows)
        return with_columns(self._frame, self._added)


#: What the calculated columns read: a pandas frame or a :class:`KpiTable`.
Columns = pd.DataFrame | KpiTable
