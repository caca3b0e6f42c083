"""The count of formula cells made while a sheet is read
(:class:`~xlsales.io.formulacells.FormulaTally`) and the scan naming the cells without one
(:func:`~xlsales.io.formulagaps.formula_gaps`), on hand-written sheets: wherever the chunks
cut the XML, with a namespace prefix, shared formulas, cached values, rows outside the
table's range holding formulas, and rows numbered by their order."""

from __future__ import annotations

import random

import pytest

from xlsales.io import ooxml
from xlsales.io.formulacells import CalcRange, FormulaTally
from xlsales.io.formulagaps import filled_row, formula_gaps
from xlsales.io.tablescan import sheet_patterns


def _sheet(rows: list[str], prefix: str = "") -> bytes:
    p = prefix
    ns = f' xmlns{":" + p[:-1] if p else ""}="{ooxml.NS_MAIN}"'
    return (f'<?xml version="1.0"?><{p}worksheet{ns}><{p}cols><{p}col min="3" max="4" '
            f'style="7"/></{p}cols><{p}sheetData>' + "".join(rows)
            + f"</{p}sheetData><{p}rowBreaks/></{p}worksheet>").encode()


def _row(n: int, c: str, d: str, p: str = "", numbered: bool = True) -> str:
    r = f' r="{n}"' if numbered else ""
    return (f'<{p}row{r}><{p}c r="A{n}"><{p}v>{n}</{p}v></{p}c>{c}{d}</{p}row>')


F = '<c r="{col}{n}" s="7"><f>B{n}*2</f></c>'
SHARED = '<c r="{col}{n}" s="7"><f t="shared" si="0"/><v>4</v></c>'
VALUE = '<c r="{col}{n}" s="7"><v>4</v></c>'
CALC_RANGE = CalcRange((3, 4), 2, 9)


def _tally(data: bytes, sizes: list[int]) -> FormulaTally:
    tally = FormulaTally(CALC_RANGE)
    i = 0
    while i < len(data):
        n = sizes[i % len(sizes)]
        tally.feed(data[i:i + n])
        i += n
    tally.finish()
    return tally


def _book_rows(kinds: dict[int, tuple[str, str]], prefix: str = "",
               numbered: bool = True) -> list[str]:
    out = []
    for n in range(1, 12):
        c, d = kinds.get(n, (F, SHARED)) if 2 <= n <= 9 else (VALUE, F)  # outside: noise
        out.append(_row(n, c.format(col="C", n=n).replace("<", f"<{prefix}").replace(
            f"<{prefix}/", f"</{prefix}"), d.format(col="D", n=n).replace(
            "<", f"<{prefix}").replace(f"<{prefix}/", f"</{prefix}"), prefix, numbered))
    return out


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_the_count_wherever_the_chunks_cut_the_sheet(prefix):
    whole = _sheet(_book_rows({}, prefix), prefix)
    rnd = random.Random(7)
    for sizes in ([1], [3, 17], [len(whole)], [rnd.randint(1, 90) for _ in range(50)]):
        tally = _tally(whole, sizes)
        assert (tally.count, tally.complete) == (16, True), sizes
    gap = _sheet(_book_rows({4: (VALUE, SHARED), 7: ("", "")}, prefix), prefix)
    for sizes in ([1], [5, 11], [len(gap)]):
        tally = _tally(gap, sizes)
        assert (tally.count, tally.complete) == (13, False), sizes
        scan = formula_gaps([gap[i:i + sizes[0]] for i in range(0, len(gap), sizes[0])],
                            CALC_RANGE, range(1, 12))
        assert [(g.row, g.columns) for g in scan.gaps] == [(4, (3,)), (7, (3, 4))]
        for g in scan.gaps:  # where each row is in the content, for the writer's splices
            assert gap[g.start:].startswith(f'<{prefix}row r="{g.row}">'.encode())
            assert gap[g.end - len(f"</{prefix}row>"):g.end] == f"</{prefix}row>".encode()
        assert scan.col_styles == {3: "7", 4: "7"}


def test_rows_numbered_by_their_order_leave_the_count_to_the_scan():
    data = _sheet(_book_rows({5: ("", SHARED)}, numbered=False))
    tally = _tally(data, [64])
    assert not tally.complete
    scan = formula_gaps([data], CALC_RANGE, [5, 6])
    assert [(g.row, g.columns) for g in scan.gaps] == [(5, (3,))]


def test_a_filled_row_keeps_its_other_cells_in_column_order():
    """Formula cells go in column order; a value typed over a formula is replaced (its
    style kept, its cached value gone); cells without ``r`` get theirs (a cell put before
    them would move them); ``spans`` goes; every other cell stays byte for byte."""
    for p in ("", "x:"):
        old = (f'<{p}row r="5" spans="1:3" ht="15"><{p}c r="A5" t="s"><{p}v>3</{p}v></{p}c>'
               f'<{p}c s="9" t="n"><{p}v>7</{p}v></{p}c><{p}c r="E5"><{p}v>1</{p}v></{p}c>'
               f"</{p}row>").encode()
        new = filled_row(old, 5, {2: "A5&amp;1", 4: "[@x]"}, {4: "6"},
                         sheet_patterns(p.encode()))
        assert new.decode() == (
            f'<{p}row r="5" ht="15"><{p}c r="A5" t="s"><{p}v>3</{p}v></{p}c>'
            f'<{p}c r="B5" s="9"><{p}f>A5&amp;1</{p}f></{p}c>'
            f'<{p}c r="D5" s="6"><{p}f>[@x]</{p}f></{p}c>'
            f'<{p}c r="E5"><{p}v>1</{p}v></{p}c></{p}row>')
    unnumbered = filled_row(b'<row><c r="A8"/></row>', 8, {2: "1"}, {}, sheet_patterns(b""))
    assert unnumbered == b'<row r="8"><c r="A8"/><c r="B8"><f>1</f></c></row>'
    moved = filled_row(b'<row r="2"><c r="A2"/><c s="1"><v>2</v></c></row>', 2, {1: "1"}, {},
                       sheet_patterns(b""))
    assert moved == b'<row r="2"><c r="A2"><f>1</f></c><c r="B2" s="1"><v>2</v></c></row>'
