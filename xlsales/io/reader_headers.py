"""A table's header row pasted again among its rows (CRM rows copied with their header
into the sales table, or a second header row typed under the first): read as data it gave
an error in every column ('日期' is no date, '销售人员' no rep on the list) and
``validate --write`` filled the calculated columns' formulas into it. Such a row is not a
row of the table: it is left out of the read, with one warning per table saying where it
is and to delete it (the workbook's own formulas count nothing of it either: its texts
match no stage, no date, no amount)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from xlsales.io import fastread
from xlsales.spec import Table

#: How many of a row's cells must read as their column's header (all of them when the
#: table reads fewer columns).
MATCHES = 3


def header_texts(table: Table, key: str) -> frozenset[str]:
    """The texts of column ``key``'s header in either language, as the template writes
    them (a pasted header is a copy: compared exactly, which costs a set lookup a cell)."""
    column = table.column(key)
    return frozenset({column.label.zh, column.label.en})


def repeated_headers(table: Table, columns: Mapping[str, int], count: int,
                     fast: Mapping[int, fastread.FastColumn],
                     grid: Mapping[int, Sequence[object]]) -> list[int]:
    """Positions (of ``count`` rows) of the rows where at least :data:`MATCHES` input
    columns of ``table`` (``columns``: key → Excel column) hold their own header; the
    cells come column-wise from ``fast`` (Arrow) or ``grid`` (Python values)."""
    keys = [k for k in columns if k in table.key_set and table.column(k).is_input]
    if not keys or not count:
        return []
    need = min(MATCHES, len(keys))
    hits: Any = None
    for key in keys:
        col = columns[key]
        texts = header_texts(table, key)
        if col in fast:
            match = fast[col].holds_any(texts)
        elif any(v in texts for v in grid[col]):
            import numpy as np

            match = np.fromiter((v in texts for v in grid[col]), dtype=bool, count=count)
        else:
            match = None  # the usual case: none of its cells is the header
        if match is None:
            continue
        hits = match.astype("int8") if hits is None else hits + match
    if hits is None:
        return []
    import numpy as np

    return np.flatnonzero(hits >= need).tolist()
