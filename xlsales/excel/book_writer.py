"""Results written into an open ``xlwings.Book`` in blocks, and offending cells shaded.

Writing costs one call per block of values, per number-formatted column (or run of equal
formats in a column), per column width, per sheet deleted or added, per table and per
contiguous block of shaded cells (at most :data:`MAX_SHADED_BLOCKS`). Nothing is per row
or per cell, so the number of calls to Excel does not grow with the rows. Sheets look like
the CLI's (:mod:`xlsales.io.package`): title lines, a blank row, an Excel Table.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xlsales.io.cellxml import CELL_REF, col_index, col_letter, excel_serial
from xlsales.io.sheetcontent import CellValue, ColumnKind, Link, SheetContent

if TYPE_CHECKING:
    import xlwings as xw

#: Number formats by column kind, as the package writer's (see ``Column``).
NUMBER_FORMATS: dict[str, str] = {
    "money": "#,##0.00", "percent": "0.00%", "integer": "#,##0", "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
#: The light red fill of the CLI's highlighted cells.
SHADE_COLOR = "#FFC7CE"
#: Blocks of offending cells shaded (and cleared) per run; the rest are only listed.
MAX_SHADED_BLOCKS = 200
TABLE_STYLE = "TableStyleMedium2"
_DEFAULT_WIDTH = {"date": 12, "datetime": 18, "money": 14, "percent": 10, "integer": 10}


@dataclass(frozen=True)
class Block:
    """A table written in one call, laid out as the CLI lays out a result sheet: title
    lines, a blank row, the header, the rows. Number formats follow each column's kind,
    or ``row_kinds[column]`` row by row for a column of mixed units."""

    content: SheetContent
    row_kinds: Mapping[int, Sequence[ColumnKind]] = field(default_factory=dict)


def _text(value: str) -> str | None:
    """Text stored as text: the apostrophe prefix keeps Excel from reading ``2026-11`` as
    a date, ``00123`` as a number or ``=…`` as a formula."""
    return "'" + value if value else None


def _formula_text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def cell_value(value: CellValue, kind: str) -> Any:
    """A cell as sent in a block: text as text, dates as serial numbers (formatted by
    their column), links as ``HYPERLINK`` formulas, missing and non-finite numbers empty."""
    if value is None:
        return None
    if isinstance(value, Link):
        return f"=HYPERLINK({_formula_text('#' + value.target)},{_formula_text(value.text)})"
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, date):
        if value != value:  # NaT
            return None
        serial = excel_serial(value) if kind in ("date", "datetime") else None
        return serial if serial is not None else _text(value.isoformat())
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return _text(str(value))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column_widths(blocks: Sequence[Block]) -> list[float]:
    """Characters per column: the spec's width, else fitted to header and text (≤ 60)."""
    widths: dict[int, float] = {}
    for block in blocks:
        for j, col in enumerate(block.content.columns):
            if col.width is not None:
                width = col.width
            else:
                longest = max(_width(col.header), *(
                    _width((v.text if isinstance(v, Link) else v)[:100])
                    for row in block.content.rows[:500] if j < len(row)
                    for v in (row[j],) if isinstance(v, str | Link)), 0)
                width = float(min(max(longest + 2, _DEFAULT_WIDTH.get(col.kind, 8)), 60))
            widths[j] = max(widths.get(j, 0.0), width)
    return [widths[j] for j in sorted(widths)]


def _runs(values: Sequence[object]) -> Iterator[tuple[int, int, object]]:
    """(first, last, value) of each run of equal consecutive values."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            yield start, i - 1, values[start]
            start = i


def _write_block(sheet: xw.Sheet, block: Block, top: int) -> int:
    """Write ``block`` with its first line on row ``top``; return its last row."""
    c = block.content
    width = len(c.columns)
    kinds = [col.kind for col in c.columns]
    values: list[list[Any]] = [[_text(line)] + [None] * (width - 1) for line in c.title]
    if c.title:
        values.append([None] * width)
    header = top + len(values)
    values.append([_text(col.header) for col in c.columns])
    values += [[cell_value(v, kinds[j]) for j, v in enumerate(row)] + [None] * (width - len(row))
               for row in c.rows]
    sheet.range((top, 1)).value = values
    if c.title:
        sheet.range((top, 1)).font.bold = True
    first = header + 1
    for j, kind in enumerate(kinds):
        runs = (_runs(block.row_kinds[j]) if j in block.row_kinds
                else [(0, len(c.rows) - 1, kind)] if c.rows else [])
        for r1, r2, k in runs:
            if k in NUMBER_FORMATS:
                sheet.range((first + r1, j + 1), (first + r2, j + 1)).number_format = \
                    NUMBER_FORMATS[str(k)]
    last = header + max(len(c.rows), 1 if c.table_name else 0)
    if c.table_name:
        sheet.tables.add(source=sheet.range((header, 1), (last, width)), name=c.table_name,
                         table_style_name=TABLE_STYLE, has_headers=True)
    return last


def _fresh_sheet(book: xw.Book, name: str, after: str | None) -> xw.Sheet:
    """An empty sheet ``name``: one of that name is replaced in place; a new one goes
    after ``after`` (at the end without it)."""
    names = [s.name for s in book.sheets]
    old = next((n for n in names if n.casefold() == name.casefold()), None)
    if old is not None:
        i = names.index(old)
        after = names[i - 1] if i > 0 else None
        book.sheets[old].delete()
        names.remove(old)
        if after is None:
            return book.sheets.add(name, before=book.sheets[0])
    anchor = after if after in names else names[-1]
    return book.sheets.add(name, after=book.sheets[anchor])


def _is_remote(book: xw.Book) -> bool:
    with suppress(Exception):
        return bool(book.app.engine.name == "remote")
    return False


def write_sheet(book: xw.Book, name: str, blocks: Sequence[Block],
                after: str | None = None) -> xw.Sheet:
    """Write ``blocks`` one below the other (a blank row between) on sheet ``name``,
    replacing a sheet of that name; a fixed number of calls, whatever the rows."""
    sheet = _fresh_sheet(book, name, after)
    top = 1
    for block in blocks:
        top = _write_block(sheet, block, top) + 2
    remote = _is_remote(book)
    for j, chars in enumerate(_column_widths(blocks), 1):
        # desktop Excel takes characters, the remote engine points (Calibri 11: 7 px a char)
        sheet.range((1, j)).column_width = (chars * 7 + 5) * 0.75 if remote else chars
    first = blocks[0].content if blocks else None
    if first is not None and len(blocks) == 1 and first.freeze_header:
        with suppress(AttributeError, NotImplementedError):  # desktop engines lack it
            sheet.freeze_panes.freeze_at(f"1:{first.header_row}")
    return sheet


def put_sheet(book: xw.Book, content: SheetContent, after: str | None = None) -> xw.Sheet:
    """Write one result sheet as the package writer's ``put_sheet`` writes it to a file."""
    return write_sheet(book, content.name, [Block(content)], after)


# --- shading offending cells -----------------------------------------------------------


def _row_runs(numbers_: Sequence[int]) -> Iterator[tuple[int, int]]:
    start = prev = numbers_[0]
    for n in numbers_[1:]:
        if n != prev + 1:
            yield start, prev
            start = n
        prev = n
    yield start, prev


def blocks_of(cells: Iterable[str]) -> list[str]:
    """A1 ranges covering exactly ``cells``: runs down each column, equal runs in
    adjacent columns joined into rectangles."""
    by_col: dict[int, set[int]] = defaultdict(set)
    for ref in cells:
        m = CELL_REF.match(str(ref))
        if m:
            by_col[col_index(m.group(1))].add(int(m.group(2)))
    runs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for col in sorted(by_col):
        for r1, r2 in _row_runs(sorted(by_col[col])):
            runs[(r1, r2)].append(col)
    out = []
    for (r1, r2), cols in sorted(runs.items()):
        for c1, c2 in _row_runs(cols):
            first, last = f"{col_letter(c1)}{r1}", f"{col_letter(c2)}{r2}"
            out.append(first if first == last else f"{first}:{last}")
    return out


def _capped_blocks(cells: Mapping[str, Iterable[str]], names: set[str]) -> list[tuple[str, str]]:
    blocks = [(sheet, ref) for sheet in sorted(cells) if sheet in names
              for ref in blocks_of(cells[sheet])]
    return blocks[:MAX_SHADED_BLOCKS]


def shade(book: xw.Book, new: Mapping[str, Iterable[str]],
          old: Mapping[str, Iterable[str]] | None = None) -> int:
    """Fill the ``new`` cells (sheet → A1 cells) light red and take the fill off the ``old``
    ones not in ``new``: one call per contiguous block, at most :data:`MAX_SHADED_BLOCKS`
    each way. Returns the number of ``new`` blocks left unshaded by that cap."""
    names = {s.name for s in book.sheets}
    keep = {s: set(c) for s, c in new.items()}
    gone = {s: set(c) - keep.get(s, set()) for s, c in (old or {}).items()}
    for sheet, ref in _capped_blocks(gone, names):
        book.sheets[sheet].range(ref).color = None
    wanted = sum(len(blocks_of(c)) for s, c in keep.items() if s in names)
    for sheet, ref in _capped_blocks(keep, names):
        book.sheets[sheet].range(ref).color = SHADE_COLOR
    return max(0, wanted - MAX_SHADED_BLOCKS)
