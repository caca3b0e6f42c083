"""The count of formula cells gives the same number whichever engine counts: Python's
``re``, or pyarrow's RE2 off the GIL (:mod:`xlsales.io.formulacount`)."""

from __future__ import annotations

import random

import pytest

from xlsales.io import formulacount
from xlsales.io.formulacells import RowPatterns
from xlsales.io.formulacount import count_matches

pytest.importorskip("pyarrow.compute")

_PIECES = [b'<c r="A1">', b'<c r="AA12" s="1">', b"<f>", b"<f ", b"<f/>", b"<f\v", b"<f\t",
           b">", b"<", b"x", "中".encode(), b"\x00", b'"', b'<c r="B7"', b"><f>", b"7",
           b'<x:c r="A3"><x:f>', b"\xff"]


@pytest.mark.parametrize("prefix", [b"", b"x:", b"my-ns.a:"])
def test_both_engines_count_the_same_formula_cells(prefix, monkeypatch):
    monkeypatch.setattr(formulacount, "MIN_ARROW_BYTES", 0)  # pyarrow for every count
    pattern = RowPatterns.of(prefix, (1, 2, 27)).formula_cell
    rnd = random.Random(7)
    for _ in range(300):
        data = b"".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 3000)))
        begin = rnd.randint(0, len(data) // 3)
        stop = rnd.randint(begin, len(data))
        assert count_matches(pattern, data, begin, stop) == len(
            pattern.findall(data, begin, stop))
