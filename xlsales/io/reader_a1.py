"""A1 references for the reader: column letters and the boundaries of a range such as a
table's ``A4:X100004``, without importing openpyxl for the usual cases."""

from __future__ import annotations

import re
from functools import lru_cache

from xlsales.io.cellxml import col_index, col_letter

_CELL_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?")


@lru_cache(maxsize=1024)
def get_column_letter(col: int) -> str:
    """Column letters of the 1-based column ``col`` (1 → A, 28 → AB), as openpyxl's
    (which this module does not import: openpyxl alone takes 0.07 s to import)."""
    if not 1 <= col <= 18278:
        raise ValueError(f"Invalid column index {col}")
    return col_letter(col)


def range_boundaries(ref: str) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row) of an A1 range such as a
    table's ``A4:X100004``; anything else as openpyxl reads it."""
    m = _CELL_RANGE.fullmatch(ref.upper())
    if m is None:
        from openpyxl.utils.cell import range_boundaries as openpyxl_boundaries

        return openpyxl_boundaries(ref)  # type: ignore[return-value]
    c1, r1 = col_index(m[1]), int(m[2])
    c2, r2 = (col_index(m[3]), int(m[4])) if m[3] else (c1, r1)
    return c1, r1, c2, r2
