"""The cells of a table's calculated columns that hold no formula, named, and the rows
holding them rewritten with their formulas.

:func:`formula_gaps` streams the sheet's content once (never held whole) and cuts it into
batches of whole rows (:class:`~xlsales.io.formulacells.RowSegments`); a batch where each
row of the table's range has a formula in each calculated column, counted as
:class:`~xlsales.io.formulacells.FormulaTally` counts, is passed over; in the others each
row asked about is looked into, and a row short of a formula is parsed cell by cell (cells
without ``r`` attribute, attributes in any order). It is what validation runs when the
count made while reading fell short, and what
:meth:`~xlsales.io.package.WorkbookPackage.restore_formulas` runs to find the bytes to
rewrite: :func:`filled_row` is a row with the formula cells put in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from xlsales.io.cellxml import col_letter
from xlsales.io.formulacells import CalcRange, RowSegments, last_row_start, row_number
from xlsales.io.tablescan import (
    R_CELL,
    R_ROW,
    SheetPatterns,
    col_styles,
    row_cells,
    sheet_patterns,
)

_SPANS = re.compile(rb"""\sspans\s*=\s*(?:"[^"]*"|'[^']*')""")
_STYLE = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")


@dataclass(frozen=True)
class RowGap:
    """A row of the table whose calculated ``columns`` (1-based) hold no formula, and
    where its element is in the part's content (``start``..``end``, bytes)."""

    row: int
    start: int
    end: int
    columns: tuple[int, ...]


@dataclass
class GapScan:
    """What :func:`formula_gaps` found: the rows short of a formula, in order, the sheet's
    namespace prefix and the styles its ``<col>`` elements give."""

    gaps: list[RowGap] = field(default_factory=list)
    prefix: bytes = b""
    col_styles: dict[int, str] = field(default_factory=dict)

    def by_column(self) -> dict[int, list[int]]:
        """Column → the rows where it holds no formula, in order."""
        found: dict[int, list[int]] = {}
        for gap in self.gaps:
            for col in gap.columns:
                found.setdefault(col, []).append(gap.row)
        return found


def formula_gaps(chunks: Iterable[bytes], calc: CalcRange, rows: Collection[int]) -> GapScan:
    """The rows of ``rows`` (Excel row numbers; those outside ``calc``'s range are not
    looked at) whose cells in ``calc``'s columns hold no formula, from ``chunks``, the
    sheet's content."""
    wanted = {r for r in rows if calc.first_row <= r <= calc.last_row}
    segments = RowSegments(calc.columns)
    found = GapScan()
    previous = 0

    def look(data: bytes, start: int, end: int, base: int) -> None:
        nonlocal previous
        pats = segments.patterns
        assert pats is not None
        first = pats.row_start.search(data, start, end)
        if first is None:
            return  # the part's head or tail
        last = pats.row_start.match(data, last_row_start(data, pats.row_tag, first.start(),
                                                          end), end)
        low, high = row_number(first), row_number(last) if last is not None else None
        cells: list[bytes] | None = None  # row number of each formula cell, from ``first``
        if (low is not None and high is not None and calc.first_row <= low
                and high <= calc.last_row):  # rows of the range only: count them at once
            cells = pats.formula_cell.findall(data, first.start(), end)
            if len(cells) == (high - low + 1) * len(calc.columns):
                previous = high
                return  # each row here holds its formulas
        numbered: list[tuple[int, int]] = []  # (row, offset of its start tag)
        for tag in pats.row_start.finditer(data, start, end):
            number = row_number(tag)
            previous = number if number is not None else previous + 1
            numbered.append((previous, tag.start()))
        inside = [i for i, (n, _) in enumerate(numbered)
                  if calc.first_row <= n <= calc.last_row]
        if not inside or not wanted.intersection(numbered[i][0] for i in inside):
            return
        begin = numbered[inside[0]][1]
        stop = numbered[inside[-1] + 1][1] if inside[-1] + 1 < len(numbered) else end
        if cells is None or (begin, stop) != (first.start(), end):
            cells = pats.formula_cell.findall(data, begin, stop)
        per_row = Counter(cells)  # row number → its formula cells
        exact = sheet_patterns(pats.prefix)
        for i in inside:
            number, at = numbered[i]
            if number not in wanted or per_row.get(b"%d" % number, 0) >= len(calc.columns):
                continue
            upto = numbered[i + 1][1] if i + 1 < len(numbered) else end
            gap = _row_gap(data, at, upto, number, calc.columns, exact)
            if gap is not None:
                found.gaps.append(RowGap(number, base + gap[0], base + gap[1], gap[2]))

    for chunk in chunks:
        for segment in segments.feed(chunk):
            look(*segment)
    for segment in segments.finish():
        look(*segment)
    if segments.patterns is not None:
        found.prefix = segments.patterns.prefix
        found.col_styles = col_styles(segments.head, sheet_patterns(found.prefix))
    return found


def _row_gap(data: bytes, start: int, end: int, number: int, columns: tuple[int, ...],
             pats: SheetPatterns) -> tuple[int, int, tuple[int, ...]] | None:
    """(start, end, columns without a formula) of the row element at ``start``, parsed
    cell by cell; None when each of ``columns`` holds one."""
    row = pats.row.match(data, start, end)
    if row is None:
        return None
    have = {col for col, cell in row_cells(row.group(2) or b"", pats)
            if cell.group(2) and pats.formula.search(cell.group(2))}
    missing = tuple(c for c in columns if c not in have)
    return (row.start(), row.end(), missing) if missing else None


def filled_row(old: bytes, number: int, formulas: Mapping[int, str],
               styles: Mapping[int, str], pats: SheetPatterns) -> bytes:
    """The row element ``old`` (row ``number``) with the cell of each column of
    ``formulas`` (column → escaped formula text) holding that formula, without a cached
    result (the spreadsheet computes it on load): a cell there is replaced, keeping its
    style, else one is put in its place, in the style ``styles`` gives its column. The
    other cells stay byte for byte (given their ``r`` where they had none: a cell put in
    before them would move them); the row loses its ``spans`` hint."""
    p = pats.prefix
    row = pats.row.match(old)
    if row is None:
        raise ValueError(f"not a row element: {old[:40]!r}")
    attrs = _SPANS.sub(b"", row.group(1))
    if not R_ROW.search(attrs):
        attrs = f' r="{number}"'.encode() + attrs
    cells: list[tuple[int, bytes]] = []
    for col, cell in row_cells(row.group(2) or b"", pats):
        raw = cell.group(0)
        if col in formulas:
            style = _STYLE.search(cell.group(1))
            raw = _formula_cell(col, number, formulas[col],
                                style.group(1).decode() if style else styles.get(col), p)
        elif not R_CELL.search(cell.group(1)):
            cut = len(p) + 2
            raw = raw[:cut] + f' r="{col_letter(col)}{number}"'.encode() + raw[cut:]
        cells.append((col, raw))
    present = {col for col, _ in cells}
    cells += [(col, _formula_cell(col, number, text, styles.get(col), p))
              for col, text in formulas.items() if col not in present]
    cells.sort(key=lambda c: c[0])
    return (f"<{p}row".encode() + attrs + b">" + b"".join(raw for _, raw in cells)
            + f"</{p}row>".encode())


def _formula_cell(col: int, row: int, formula: str, style: str | None, prefix: str) -> bytes:
    s = f' s="{style}"' if style and style != "0" else ""
    return (f'<{prefix}c r="{col_letter(col)}{row}"{s}><{prefix}f>{formula}</{prefix}f>'
            f"</{prefix}c>").encode()
