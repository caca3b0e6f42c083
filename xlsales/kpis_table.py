"""A table as the KPI engine reads it: column by column, never rebuilt as a frame.

The engine adds the parsed and calculated columns of each period to the tables and, in a
breakdown, takes each group's rows: on a small book's or a member's few thousand rows,
setting a column of a pandas frame (~50 µs), concatenating columns, or taking the rows of
all its two dozen columns (~0.2 ms) costs more than computing the column. A
:class:`KpiTable` keeps the frame as it is and the added columns beside it; a group's
table takes from its parent only the columns read, when first read. A frame's columns
and their text codes are read once for every copy of the table (the frame never changes).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from xlsales.kpis_arrays import text_codes

#: A text column's codes and distinct values (see :func:`~xlsales.kpis_arrays.text_codes`).
Codes = tuple[np.ndarray, np.ndarray]


class KpiTable:
    """The columns of ``frame`` (or of the ``rows`` positions of ``parent``), with the
    columns set on it over them."""

    def __init__(self, frame: pd.DataFrame | None = None, *,
                 parent: KpiTable | None = None, rows: np.ndarray | None = None) -> None:
        self._frame = frame
        self._parent = parent
        self._rows = rows
        #: the columns set on this table (and its copies made after)
        self._added: dict[str, pd.Series] = {}
        #: the frame's or the parent's columns read, and their codes: shared by the copies
        self._read: dict[str, pd.Series] = {}
        self._codes: dict[str, Codes] = {}
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
        if found is None:
            found = self._read.get(key)
        if found is not None:
            return found
        if self._frame is not None:
            found = self._frame[key]
        else:
            assert self._parent is not None and self._rows is not None
            found = self._parent[key].take(self._rows)
        self._read[key] = found
        return found

    def __setitem__(self, key: str, values: pd.Series | np.ndarray) -> None:
        self._added[key] = (values if isinstance(values, pd.Series)
                            else pd.Series(values, index=self.index))
        self._codes.pop(key, None)

    def add(self, columns: Mapping[str, pd.Series | np.ndarray]) -> None:
        """Set each of ``columns``."""
        for key, values in columns.items():
            self[key] = values

    def codes(self, key: str) -> Codes:
        """Column ``key``'s codes and distinct values, coded once (a group's: its
        parent's at its rows, the distinct values the parent's)."""
        found = self._codes.get(key) if key not in self._added else None
        if found is None:
            if key in self._added or self._parent is None:
                found = text_codes(self[key])
            else:
                codes, uniques = self._parent.codes(key)
                found = (codes.take(self._rows), uniques)
            if key not in self._added:
                self._codes[key] = found
        return found

    def copy(self, deep: bool = False) -> KpiTable:
        """The same columns, those set on the copy its own (``deep`` is ignored: columns
        are never changed in place)."""
        out = KpiTable(self._frame, parent=self._parent, rows=self._rows)
        out._added = dict(self._added)
        out._read, out._codes, out._index = self._read, self._codes, self._index
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


def with_columns(frame: pd.DataFrame, columns: Mapping[str, pd.Series]) -> pd.DataFrame:
    """``frame`` with ``columns`` (on its index) added, or replacing its own of the same
    name, the new ones in one concatenation; ``frame`` itself unchanged (copy-on-write)."""
    new = {k: v for k, v in columns.items() if k not in frame.columns}
    if len(new) < 2:  # one column is inserted faster than concatenated (50 µs, not 100)
        new = {}
    if new:  # by position (.array): the frame's index need not be unique
        added = pd.DataFrame({k: v.array for k, v in new.items()}, index=frame.index)
        out = pd.concat([frame, added], axis=1)
    else:
        out = frame.copy(deep=False)
    for key, values in columns.items():
        if key not in new:
            out[key] = values
    return out
