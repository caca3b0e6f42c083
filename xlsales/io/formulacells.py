"""Whether every cell of a table's calculated columns holds its formula: a count made
while the sheet XML is inflated anyway.

The workbook's own formulas (the KPI sheet) add up an Excel Table's calculated columns; a
row whose calculated cell holds no formula (a row added by a script, a table extended in
LibreOffice, a value typed or pasted over the formula) is left out of them. Finding such a
cell means looking at every cell of those columns in the sheet XML, which for a 100k-row
sales sheet is about half a gigabyte of text.

:class:`FormulaTally` is fed the chunks of a pass the reader makes over the sheet anyway
(the CRC-32 check of a sheet read column-wise, the error scan of a sheet read as a grid)
and counts the cells of the calculated columns in the table's data rows that hold an
``<f>`` element: one regular-expression search over the text, no cell parsed. When the
count is every cell of the table's range — the table as xlsales, Excel or LibreOffice
writes it — there is nothing to find; otherwise :mod:`xlsales.io.formulagaps` names the
cells, streaming the sheet once more.

A cell counts as holding its formula whatever its cached result (none, as xlsales writes
formulas, or a value): ``<f>…</f>``, and a shared formula's ``<f t="shared" si=".."/>``.
A cell the tally cannot place (no ``r`` attribute, attributes in another order, another
encoding) makes it incomplete, never wrong: the exact scan then decides.

The reader imports this module: it imports no more than it needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from xlsales.io.formulacount import count_matches
from xlsales.io.reader_a1 import get_column_letter

#: The worksheet root element's start tag; group 1: its namespace prefix with colon.
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?worksheet[\s>/]")
#: The ``r`` attribute of a row's start tag (group 1: its number).
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
#: Bytes read before giving up on finding the root element (not a worksheet as expected).
_HEAD_LIMIT = 1 << 20
_AFTER_TAG = frozenset(b" \t\r\n/>")


@dataclass(frozen=True)
class CalcRange:
    """Where a table's calculated cells are: the sheet columns of its calculated columns
    (1-based) and its data rows, from the first after the header to the range's last."""

    columns: tuple[int, ...]
    first_row: int
    last_row: int

    @property
    def cells(self) -> int:
        """How many calculated cells the range has."""
        return len(self.columns) * max(0, self.last_row - self.first_row + 1)


@dataclass(frozen=True)
class RowPatterns:
    """The byte patterns of a worksheet written with namespace ``prefix`` that find rows
    and the formula cells of some columns."""

    prefix: bytes
    row_tag: bytes  # ``<row`` (``<x:row``), followed by a space, ``/`` or ``>``
    row_start: re.Pattern[bytes]  # a row's start tag, group 1: its attributes
    formula_cell: re.Pattern[bytes]  # a cell of the columns holding a formula; group 1:
    # its row number

    @classmethod
    def of(cls, prefix: bytes, columns: tuple[int, ...]) -> RowPatterns:
        """The patterns for ``columns`` (1-based) in a sheet of namespace ``prefix``."""
        p = re.escape(prefix)
        names = sorted({get_column_letter(c).encode() for c in columns})
        single = [n for n in names if len(n) == 1]
        # a character class is a third faster than an alternation of letters
        letters = b"|".join(([b"[" + b"".join(single) + b"]"] if single else [])
                            + [n for n in names if len(n) > 1])
        return cls(prefix, b"<" + prefix + b"row",
                   re.compile(rb"<" + p + rb"row(?=[\s/>])([^>]*)>"),
                   re.compile(rb'<' + p + rb'c r="(?:' + letters + rb')(\d+)"[^>]*><' + p
                              + rb"f[ \t\n\r\f\v/>]"))  # \s spelled out: formulacount


def row_number(start_tag: re.Match[bytes]) -> int | None:
    """The number of the row whose start tag ``start_tag`` (a ``row_start`` match) is, or
    None when it has no ``r`` attribute."""
    m = _ROW_NUMBER.search(start_tag.group(1))
    return int(m.group(1)) if m else None


def _next_row(data: bytes, tag: bytes, start: int) -> int:
    """Offset of the first row start tag in ``data`` from ``start`` (-1: none)."""
    while True:
        i = data.find(tag, start)
        if i < 0 or i + len(tag) >= len(data):
            return -1
        if data[i + len(tag)] in _AFTER_TAG:
            return i
        start = i + 1


def last_row_start(data: bytes, tag: bytes, start: int, end: int) -> int:
    """Offset of the last row start tag in ``data[start:end]`` whose name is complete
    (-1: none)."""
    while True:
        i = data.rfind(tag, start, end)
        if i < 0:
            return -1
        if i + len(tag) < len(data) and data[i + len(tag)] in _AFTER_TAG:
            return i
        end = i + len(tag) - 1


#: A piece of a part's content holding whole rows: (bytes, start, end, offset of the
#: bytes in the part). ``bytes[start:end]`` begins at a row's start tag (or the part's
#: head) and ends where the next row begins (or the part's end).
Segment = tuple[bytes, int, int, int]


class RowSegments:
    """Cuts a worksheet's content, given chunk by chunk, into segments of whole rows
    (:data:`Segment`): per chunk, the rows it holds whole, and the row cut between it and the next
    (joined, a row's worth of bytes copied). ``columns`` are those
    :attr:`RowPatterns.formula_cell` finds."""

    def __init__(self, columns: tuple[int, ...]) -> None:
        self.columns = columns
        self.patterns: RowPatterns | None = None
        self.head = b""  # the part's content before its first row
        self._carry = b""
        self._carry_at = 0
        self._offset = 0
        self._rows_seen = False

    def feed(self, chunk: bytes) -> Iterator[Segment]:
        """The segments ``chunk`` completes (it follows the chunks fed before)."""
        at = self._offset
        self._offset += len(chunk)
        if not self._carry:
            self._carry_at = at
        if self.patterns is None:
            self._carry += chunk
            root = _ROOT.search(self._carry)
            if root is None:
                if len(self._carry) > _HEAD_LIMIT:
                    raise ValueError("no worksheet root element")
                return
            self.patterns = RowPatterns.of(root.group(1) or b"", self.columns)
            chunk, at, self._carry = self._carry, self._carry_at, b""
        tag = self.patterns.row_tag
        first = _next_row(chunk, tag, 0)
        if first < 0:  # inside a row (or a row's start tag cut by the chunks)
            self._carry += chunk
            return
        seam = self._carry + chunk[:first] if self._carry else chunk[:first]
        self._note_head(seam)
        yield seam, 0, len(seam), self._carry_at
        last = last_row_start(chunk, tag, first, len(chunk))
        yield chunk, first, last, at
        self._carry, self._carry_at = chunk[last:], at + last

    def finish(self) -> Iterator[Segment]:
        """The last segment: what follows the last chunk's last row start."""
        if self.patterns is not None and self._carry:
            self._note_head(self._carry)
            yield self._carry, 0, len(self._carry), self._carry_at
        self._carry = b""

    def _note_head(self, data: bytes) -> None:
        """Keep the part's head, once the first segment holding it is known."""
        if not self._rows_seen and self.patterns is not None:
            first = _next_row(data, self.patterns.row_tag, 0)
            self.head = data[:first] if first >= 0 else data
            self._rows_seen = True


class FormulaTally:
    """Counts the formula cells of a table's calculated columns in its data rows, fed the
    sheet's content chunk by chunk (:meth:`feed`, then :meth:`finish`); :attr:`complete`
    tells whether each of those cells holds one."""

    def __init__(self, calc: CalcRange) -> None:
        self.calc = calc
        self.count = 0
        self._segments = RowSegments(calc.columns)
        self._unsure = False
        self._finished = False

    def feed(self, chunk: bytes) -> None:
        """Count in ``chunk`` (the next piece of the sheet's content)."""
        if self._unsure:
            return
        try:
            for segment in self._segments.feed(chunk):
                self._count(*segment)
        except ValueError:  # not a worksheet the tally can read: the exact scan decides
            self._unsure = True

    def finish(self) -> None:
        """Count in what is left after the last chunk."""
        if not self._finished and not self._unsure:
            for segment in self._segments.finish():
                self._count(*segment)
        self._finished = True

    @property
    def complete(self) -> bool:
        """Every calculated cell of the table's data rows holds a formula (False also
        when the tally could not tell)."""
        return (self._finished and not self._unsure and self.calc.cells > 0
                and self.count == self.calc.cells)

    def _count(self, data: bytes, start: int, end: int, _offset: int) -> None:
        pats = self._segments.patterns
        assert pats is not None
        first_tag = pats.row_start.search(data, start, end)
        if first_tag is None:
            return  # the part's head or tail
        last_at = last_row_start(data, pats.row_tag, first_tag.start(), end)
        last_tag = pats.row_start.match(data, last_at, end)
        first = row_number(first_tag)
        last = row_number(last_tag) if last_tag is not None else None
        if first is None or last is None:
            self._unsure = True  # rows numbered by their order: the exact scan counts them
            return
        low, high = self.calc.first_row, self.calc.last_row
        if last < low or first > high:
            return
        begin, stop = first_tag.start(), end
        if first < low or last > high:  # the range begins or ends in this segment
            begin = -1
            for tag in pats.row_start.finditer(data, first_tag.start(), end):
                number = row_number(tag)
                if number is None:
                    self._unsure = True
                    return
                if begin < 0 and number >= low:
                    begin = tag.start()
                if number > high:
                    stop = tag.start()
                    break
            if begin < 0 or begin >= stop:
                return
        self.count += count_matches(pats.formula_cell, data, begin, stop)
