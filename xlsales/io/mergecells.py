"""The merged ranges of a worksheet, read from the end of its XML as a pass the reader makes
anyway inflates it.

A merged range keeps a value in its first (top-left) cell only: Excel, WPS and LibreOffice
leave the other cells empty, and every formula, the KPI sheet and xlsales read them so,
though on screen the merge shows its value over all of them. The sheet XML lists the
merges in ``<mergeCells>``, which comes after ``<sheetData>``: at the end of the part.
:class:`MergeTail` is fed the pieces of the error scan or the CRC-32 check (as
:class:`~xlsales.io.formulacells.FormulaTally` is) and keeps only the last of them: no
search over the rows, whatever the sheet's size. When those last pieces do not reach back
to the end of the rows (a sheet with a great deal after them), :func:`merged_ranges`
streams the part once more.

The reader imports this module: it imports no more than it needs.
"""

from __future__ import annotations

import re
import zipfile
from collections import deque

from xlsales.io.cells import inflated
from xlsales.io.reader_a1 import range_boundaries

#: A merged range: (first column, first row, last column, last row), 1-based.
Merge = tuple[int, int, int, int]

#: A ``<mergeCell ref="C456:C473"/>`` element (any namespace prefix); group 1: the range.
_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.\-]*:)?mergeCell\s[^>]*?\bref\s*=\s*["']"""
                    rb"""\$?([A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)["']""")
#: The start of the ``<mergeCells>`` element.
_MERGES = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?mergeCells[\s>/]")
#: What a tail keeps at least: the end of a sheet XML after its rows is small (merges,
#: conditional formats, validations, page setup), a few kilobytes as Excel writes it.
TAIL_BYTES = 1 << 18


class MergeTail:
    """Fed every piece of a sheet part in order, the part's merged ranges
    (:meth:`ranges`), from the last :data:`TAIL_BYTES` at least."""

    def __init__(self, keep: int = TAIL_BYTES) -> None:
        self._keep = keep
        self._pieces: deque[bytes] = deque()
        self._size = 0
        self._dropped = False  # pieces were let go: the tail is not the whole part

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the part."""
        if not chunk:
            return
        self._pieces.append(chunk)
        self._size += len(chunk)
        while self._size - len(self._pieces[0]) >= self._keep:
            self._size -= len(self._pieces.popleft())
            self._dropped = True

    def ranges(self) -> list[Merge] | None:
        """The merged ranges, in the order the part lists them; None when the tail
        kept cannot tell (it does not reach back to the end of the rows)."""
        tail = b"".join(self._pieces)
        end = tail.rfind(b"sheetData")  # the rows' end tag: merges come after it
        if end < 0:
            found = _MERGES.search(tail)
            if found is None:
                return None if self._dropped else []
            end = found.start()
        return _parsed(_MERGE.findall(tail, end))


def merged_ranges(zf: zipfile.ZipFile, part: str) -> list[Merge]:
    """The merged ranges of sheet ``part``, streaming all of it (for when a
    :class:`MergeTail` could not tell)."""
    found: dict[bytes, None] = {}
    carry = b""
    for chunk in inflated(zf, part):
        text = carry + chunk
        last = 0
        for m in _MERGE.finditer(text):
            found.setdefault(m[1])
            last = m.end()
        start = text.rfind(b"<", max(last, len(text) - 512))
        carry = text[start:] if start >= 0 else b""
    return _parsed(list(found))


def _parsed(refs: list[bytes]) -> list[Merge]:
    """The boundaries of each range of ``refs`` that spans more than one cell."""
    merges: list[Merge] = []
    for ref in refs:
        try:
            c1, r1, c2, r2 = range_boundaries(ref.decode("ascii").replace("$", ""))
        except (ValueError, TypeError):
            continue
        if (c1, r1) != (c2, r2):
            merges.append((min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)))
    return merges
