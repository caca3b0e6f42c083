"""A roll-up's rows rendered column-wise (:func:`xlsales.rollup_render.render_rows`) are
the cells the builder's typing gives one by one: no cell where a value is empty or cannot
be written (an infinite number, a date before 1900), each value typed as its column is,
text escaped — whatever mix of such values a column holds."""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime

import numpy as np

from xlsales.rollup_frames import CompactFrame
from xlsales.rollup_layout import CellPlan, TableLayout
from xlsales.rollup_render import _tail_of, render_rows

PLANS = (
    CellPlan("A", ' s="3"', "order_id", "value"),
    CellPlan("B", ' s="7"', "date", "date"),
    CellPlan("C", ' s="8"', "amount", "value"),
    CellPlan("D", ' s="3"', "stage", "choice", labels=(("won", "Won"), ("lost", "Lost"))),
    CellPlan("E", ' s="3"', "note", "value"),
    CellPlan("F", ' s="3"', "created", "date"),
    CellPlan("G", ' s="10"', None, "formula", "<f>1+1</f><v>0</v>"),
    CellPlan("H", ' s="3"', "Member", "value"),
)
LAYOUT = TableLayout("Sales", "xl/worksheets/sheet3.xml", "xl/tables/table2.xml", "A4:H5",
                     5, PLANS)


def _part() -> CompactFrame:
    return CompactFrame(7, {
        "order_id": (np.array([0, 1, -1, 2, 3, 4, 0], np.int32),
                     ["SO-1", "two\nlines", "x & <y>", "_x0041_", " padded "]),
        "date": (np.array([0, 1, 2, -1, 3, 0, 1], np.int32),
                 [date(2026, 1, 2), date(1899, 12, 1), datetime(2026, 3, 4, 5, 6),
                  date(1900, 2, 28)]),
        "amount": np.array([1.5, np.inf, np.nan, -0.0, 1e20, 3.0, -np.inf]),
        "stage": (np.array([0, 1, 2, 0, -1, 0, 0], np.int32), ["won", "Lost", "漏斗"]),
        "note": (np.array([0, 1, 2, 3, 4, 5, -1], np.int32),
                 [3, 2.5, True, "\x01bad", "ok", float("inf")]),
        "created": (np.full(7, -1, np.int32), []),
    })


def _expected(part: CompactFrame, first_row: int, member: str) -> bytes:
    """The rows as the cells typed one by one would be."""
    rows = []
    for i in range(part.length):
        r = first_row + i
        cells = []
        for plan in PLANS:
            if plan.kind == "formula":
                cells.append(f'<c r="{plan.letter}{r}"{plan.style}>{plan.formula}</c>')
                continue
            value = member if plan.key == "Member" else part.column(plan.key)[i]  # type: ignore[arg-type]
            tail = _tail_of(plan, "Sales")(value)
            if tail is not None:
                cells.append(f'<c r="{plan.letter}{r}{tail}')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(rows).encode("utf-8")


def test_rows_rendered_column_wise_are_the_cells_typed_one_by_one() -> None:
    part = _part()
    block = render_rows(LAYOUT, [(part, {"Member": "张伟"}, {}), (part, {"Member": "B"}, {})],
                        5)
    xml = zlib.decompressobj(-15).decompress(block.data)
    assert xml == _expected(part, 5, "张伟") + _expected(part, 12, "B")
    assert (block.rows, block.size, block.crc) == (14, len(xml), zlib.crc32(xml))
    # what makes it a fair check: some rows have no cell in a column, one column none
    assert b'<c r="C6"' not in xml and b'<c r="A7"' not in xml and b'<c r="F' not in xml
    assert re.search(rb'<c r="B6"', xml) is None  # a date Excel cannot show: no cell
