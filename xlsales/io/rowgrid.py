"""Many sheet rows' XML at once (:class:`RowGrid`), for writers that render a column's
cells without a Python call per cell: each cell is its start (``<c r="B``), its row
number and its tail (``" t="inlineStr">…</c>``); the pieces of every row sit in a grid of
byte strings joined row by row. The roll-up's rows (:mod:`xlsales.rollup_render`) and the
xlsx export (:mod:`xlsales.export_xlsx`) are written with it."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


class RowGrid:
    """The ``<row>`` elements of ``count`` rows from sheet row ``first_row`` on, filled
    column by column (:meth:`cells`), joined by :meth:`rows`."""

    def __init__(self, first_row: int, count: int) -> None:
        self.count = count
        self.numbers = np.empty(count, dtype=object)  # each row's number, as bytes
        if count:  # one join and one split, not an encode per row
            self.numbers[:] = "\n".join(map(str, range(first_row, first_row + count))
                                        ).encode("ascii").split(b"\n")
        self._pieces: list[bytes | np.ndarray] = []  # a grid column each
        self._constant(b'<row r="')
        self._pieces.append(self.numbers)
        self._constant(b'">')

    def _constant(self, text: bytes) -> None:
        if self._pieces and isinstance(self._pieces[-1], bytes):
            self._pieces[-1] += text
        else:
            self._pieces.append(text)

    def cells(self, letter: str, tails: bytes | np.ndarray,
              blank: np.ndarray | None = None) -> None:
        """Column ``letter``'s cells: the same ``tails`` (bytes) in every row, or one per
        row (an object array), none where ``blank`` is true."""
        start = f'<c r="{letter}'.encode("ascii")
        if isinstance(tails, bytes) or blank is None or not blank.any():
            self._constant(start)
            self._pieces.append(self.numbers)
            if isinstance(tails, bytes):
                self._constant(tails)
            else:
                self._pieces.append(tails)
            return
        if blank.all():
            return
        starts = np.full(self.count, start, dtype=object)
        numbers = self.numbers.copy()
        tails = tails.copy()
        starts[blank] = numbers[blank] = tails[blank] = b""
        self._pieces += [starts, numbers, tails]

    def rows(self, per_piece: int | None = None) -> Iterator[bytes]:
        """The rows' XML as UTF-8, ``per_piece`` rows at a time (all at once without)."""
        self._constant(b"</row>")
        grid = np.empty((self.count, len(self._pieces)), dtype=object)
        for i, piece in enumerate(self._pieces):
            grid[:, i] = piece
        step = per_piece or max(self.count, 1)
        for start in range(0, self.count, step):
            yield b"".join(grid[start:start + step].ravel().tolist())
