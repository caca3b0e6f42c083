"""Rendering a roll-up's rows (in the workers): :func:`render_rows` writes members' rows
of a merged table as the skeleton writes that table (:mod:`xlsales.rollup_layout`) —
values typed as the builder types them, choice keys as labels, dates as serial numbers,
text as inline strings that never become formulas, the calculated columns' formulas
(or, in a roll-up's sales records, their values: :mod:`xlsales.rollup_calc`) —
deflated as an independent :class:`Block` ended by a sync flush, so that blocks rendered
apart can follow one another in the file (:mod:`xlsales.rollup_splice`).

Rendering is column-wise: each distinct value of a column is typed and escaped once, the
row numbers are written once per block, and the cells are laid out as a grid of byte
strings joined in one call, so no Python code runs per cell.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from xlsales.io.cellxml import excel_serial, inline_string
from xlsales.io.deflate import raw_compressor
from xlsales.io.rowgrid import RowGrid
from xlsales.rollup_frames import CompactFrame, Sealed, in_language
from xlsales.rollup_layout import CellPlan, TableLayout
from xlsales.rollup_within import render_named
from xlsales.spec import SPEC
from xlsales.values import is_blank

#: Deflate level of the rendered rows. Level 1 deflates the rows' XML (mostly repeated
#: cell markup) about 1.5× as fast as level 3 and 3.6× as fast as level 6 with zlib, for
#: a file about 6 % larger than level 3 (400,000 sales rows: 361 MB of XML in 38 MB, not
#: 36 MB); where python-isal is installed, ISA-L deflates it, faster still and no larger
#: (:mod:`xlsales.io.deflate`). The other parts keep level 6.
ROWS_LEVEL = 1
#: Excel's day 0 (1900 system), as :func:`excel_serial` counts, as an ordinal.
_EPOCH_ORDINAL = date(1899, 12, 30).toordinal()
#: Rows rendered and deflated at a time (about 300 KB of a sales table's XML).
ROWS_PER_PIECE = 64


@dataclass
class Block:
    """Rendered rows: raw deflate data ended by a sync flush, CRC-32 and length of the XML."""

    data: bytes
    crc: int
    size: int
    rows: int


#: Text that :func:`inline_string` leaves as it is: no character to escape or drop, no
#: ``_xHHHH_`` look-alike (no ``_`` at all), no line break or control character.
_PLAIN_TEXT = re.compile(r"[^\x00-\x1f&<>_\ud800-\udfff\ufffe\uffff]{0,32767}")


def _inline(text: str) -> str:
    """:func:`inline_string` of ``text``, without its escaping work for plain text."""
    if _PLAIN_TEXT.fullmatch(text) and text == text.strip():
        return f"<is><t>{text}</t></is>"
    return inline_string(text)


def _tail_of(plan: CellPlan, table: str) -> Callable[[object], str | None]:
    """What follows ``<c r="A12`` in a cell of the column for a value (None: no cell),
    typed as the builder types it."""
    s = plan.style
    choices, labels = None, dict(plan.labels)
    if plan.kind == "choice" and plan.key is not None:
        choices = SPEC.table(table).column(plan.key).choices

    def tail(value: object) -> str | None:
        if is_blank(value):
            return None
        if plan.kind == "date" and isinstance(value, date | datetime):
            serial = excel_serial(value.to_pydatetime() if isinstance(value, pd.Timestamp)
                                  else value)
            return None if serial is None else f'"{s}><v>{serial:.15g}</v></c>'
        if choices is not None:
            key = choices.key_of(str(value))
            text = labels.get(key, str(value)) if key else str(value)
            return f'"{s} t="inlineStr">{_inline(text)}</c>'
        if isinstance(value, bool):
            return f'"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            number = float(value)
            finite = number == number and abs(number) != float("inf")
            return f'"{s}><v>{number!r}</v></c>' if finite else None
        return f'"{s} t="inlineStr">{_inline(str(value))}</c>'

    return tail


#: Lines of ``"\n".join(texts)`` holding a character :func:`inline_string` would change.
_NOT_PLAIN = re.compile(r"[\x00-\x09\x0b-\x1f&<>_\ud800-\udfff\ufffe\uffff]")


def _plain_texts(values: list[object]) -> bool:
    """All of ``values`` are texts :func:`inline_string` leaves as they are (checked on
    all of them at once)."""
    if not values or set(map(type, values)) != {str}:
        return False
    joined = "\n".join(values)  # type: ignore[arg-type]
    # no line break in a text (else the count is off), so a text with white space at an
    # edge is one that strip changes
    return (joined.count("\n") == len(values) - 1 and _NOT_PLAIN.search(joined) is None
            and "" not in values
            and list(map(str.strip, values)) == values  # type: ignore[arg-type]
            and (len(joined) <= 32767
                 or max(map(len, values)) <= 32767))  # type: ignore[arg-type]


def _day_serials(days: list[date]) -> list[int | None]:
    """:func:`excel_serial` of each of ``days`` (dates, not datetimes), by their ordinals
    (a tenth of the time of numpy's conversion of date objects)."""
    serials = [d.toordinal() - _EPOCH_ORDINAL for d in days]
    return [None if n < 2 else n - 1 if n < 61 else n  # Excel's 1900-02-29
            for n in serials]


def _tails(plan: CellPlan, table: str, values: list[object], numbers: bool) -> list[str | None]:
    """The tail of each of the distinct ``values`` of a column (all floats, NaN left out,
    when ``numbers``): plain texts and numbers at once, anything else one by one."""
    s = plan.style
    if plan.kind == "value" and numbers:
        return [f'"{s}><v>{v!r}</v></c>' if abs(v) != float("inf") else None
                for v in values]  # type: ignore[arg-type]
    if plan.kind == "value" and _plain_texts(values):
        return [f'"{s} t="inlineStr"><is><t>{v}</t></is></c>' for v in values]
    if plan.kind == "date" and values and set(map(type, values)) == {date}:
        serials = _day_serials(values)  # type: ignore[arg-type]
        return [None if n is None else f'"{s}><v>{n}</v></c>' for n in serials]
    tail = _tail_of(plan, table)
    return [tail(v) for v in values]


def _encoded(texts: list[str]) -> np.ndarray:
    """``texts`` as UTF-8 bytes, in one call where no text holds a newline."""
    out = np.empty(len(texts), dtype=object)
    joined = "\n".join(texts)
    if joined.count("\n") == len(texts) - 1:
        out[:] = joined.encode("utf-8").split(b"\n")
    else:
        out[:] = [t.encode("utf-8") for t in texts]
    return out


#: A column's cells in the rows of a part: its distinct tails (bytes) with each row's
#: code into them and, when some rows have no cell, which tails are none.
Coded = tuple[np.ndarray, np.ndarray, np.ndarray | None]


def _column_cells(plan: CellPlan, table: str, part: CompactFrame,
                  constants: dict[str, object]) -> Coded | bytes | None:
    """The cell tails of the column in the rows of ``part``: one for every row (bytes),
    none (None), or :data:`Coded` (the distinct tails and each row's code, an empty
    value's the last one, which is no cell)."""
    if plan.key in constants:
        one = _tail_of(plan, table)(constants[plan.key])
        return None if one is None else one.encode("utf-8")
    data = part.columns.get(plan.key or "")
    if data is None:
        return None
    if isinstance(data, np.ndarray):
        codes, uniques = pd.factorize(data, use_na_sentinel=True)
        values: list[object] = uniques.tolist()
    else:
        codes, values = data
    tails = _tails(plan, table, values, isinstance(data, np.ndarray))
    none = [i for i, t in enumerate(tails) if t is None] if None in tails else []
    distinct = _encoded([*(t or "" for t in tails), ""] if none  # type: ignore[misc]
                        else [*tails, ""])  # the last one: code -1, empty
    empty = codes < 0
    if not none and not empty.any():
        return distinct, codes, None
    missing = np.zeros(len(distinct), dtype=bool)
    missing[none] = missing[-1] = True
    return distinct, np.where(empty, len(distinct) - 1, codes), missing


def _render_part(layout: TableLayout, part: CompactFrame, constants: dict[str, object],
                 first_row: int) -> Iterator[bytes]:
    """The ``<row>`` elements of ``part`` from row ``first_row`` on, as UTF-8, in pieces
    of :data:`ROWS_PER_PIECE` rows (each is deflated while it is in the CPU's cache)."""
    grid = RowGrid(first_row, part.length)
    for plan in layout.cells:
        if plan.kind == "formula":
            grid.cells(plan.letter, f'"{plan.style}>{plan.formula}</c>'.encode())
            continue
        cells = _column_cells(plan, layout.name, part, constants)
        if cells is None:
            continue
        if isinstance(cells, bytes):
            grid.cells(plan.letter, cells)
            continue
        distinct, codes, missing = cells
        grid.cells(plan.letter, distinct[codes],
                   blank=None if missing is None else missing[codes])
    yield from grid.rows(ROWS_PER_PIECE)


#: Rows to render: a member's rows, the values constant over them (such as its name) and
#: columns computed apart (a roll-up's calculated columns: key → float array).
Part = tuple[CompactFrame | Sealed, dict[str, object], dict[str, np.ndarray]]


def render_rows(layout: TableLayout, parts: Sequence[Part], first_row: int,
                level: int = ROWS_LEVEL) -> Block:
    """The XML of the rows of ``parts`` from row ``first_row`` on, deflated as a block
    that others can follow."""
    compressor = raw_compressor(level)
    deflated: list[bytes] = []
    crc = size = 0
    r = first_row
    for part, constants, computed in parts:
        frame = part.open() if isinstance(part, Sealed) else part
        if layout.lang is not None:
            frame = in_language(frame, layout.name, layout.lang, layout.script)
        if computed:
            frame = CompactFrame(frame.length, {**frame.columns, **computed})
        frame = render_named(frame, layout.keys)  # a member roll-up's members below
        for xml in _render_part(layout, frame, constants, r):
            deflated.append(compressor.compress(xml))
            crc, size = zlib.crc32(xml, crc), size + len(xml)
        r += frame.length
    deflated.append(compressor.flush(zlib.Z_SYNC_FLUSH))
    return Block(b"".join(deflated), crc, size, r - first_row)
