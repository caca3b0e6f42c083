"""Numbers and dates typed as text, retyped as numbers and dates in their cells:
:meth:`~xlsales.io.package.WorkbookPackage.retype_cells`.

``2.94万`` typed into an amount cell is text: xlsales reads 29400, the KPI sheet's formulas
leave it out. The sheet is streamed once to find the rows of those cells (the scan of
:func:`~xlsales.io.formulagaps.formula_gaps`: an input cell never holds a formula, so each
row asked about is found), and each is queued as a byte splice rewriting those cells
alone — a text cell becomes a number cell, its style kept; a date where that style shows
a date, or, where the cell has no number format of its own (General: a row pasted with its
source formatting, or written by a script) or the Text format (a CRM's paste), in that
style with the date format ``yyyy-mm-dd`` (else it would show a serial such as 46315; a
cell formatted otherwise is left as it is); a text given as text (``李娜`` for ``李娜 ``)
an inline string. Every other byte of the sheet stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from xml.etree import ElementTree as ET

from xlsales.io.cellxml import col_letter, excel_serial
from xlsales.io.formulacells import CalcRange
from xlsales.io.formulagaps import RowGap, formula_gaps
from xlsales.io.sheetcontent import KIND_FORMATS
from xlsales.io.sheetstream import Splice
from xlsales.io.stylesheet import StyleCache, Styles
from xlsales.io.tablescan import R_CELL, SheetPatterns, row_cells, sheet_patterns
from xlsales.io.workbookxml import WorkbookXml

_STYLE = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")
_TEXT_TYPE = re.compile(rb"""\st\s*=\s*["'](?:s|inlineStr|str)["']""")
#: Excel's built-in number formats that show a date.
_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 27, 28, 29, 30,
                           31, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def date_styles(styles_text: str) -> frozenset[int]:
    """The cell styles (``cellXfs`` indices) of a styles part whose number format shows a
    date (built in, or a custom code with y, m or d outside quotes)."""
    styles = _styles(styles_text)
    if styles is None:
        return frozenset()
    root, ns = styles
    custom = {int(n.get("numFmtId", "-1")): n.get("formatCode", "")
              for n in root.iter(f"{ns}numFmt")}
    dated = {i for i, code in custom.items()
             if re.search(r"[ymd]", _QUOTED.sub("", code), re.I)} | (_DATE_FORMATS - set(custom))
    return _styles_showing(root, ns, dated)


class CellRetype(WorkbookXml):
    """:meth:`retype_cells` of :class:`~xlsales.io.package.WorkbookPackage`."""

    def retype_cells(self, sheet_name: str,
                     values: Mapping[int, Mapping[int, float | date | str]],
                     months: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
        """Type ``values`` (row → sheet column, 1-based → a number, a date or a text) into
        the cells of worksheet ``sheet_name`` that hold text there, as numbers (a date as
        its serial where the cell's style shows a date, or, in a General or Text cell,
        with that style given the date format: ``yyyy-mm`` in the columns of ``months``)
        or as the text given (its spaces deleted: an inline string); the cell's style is
        kept, other cells and bytes stay as they were. Returns the (row, column) retyped, which
        :meth:`save` writes; ``workbook.xml`` asks for a full recalculation on load."""
        with self._transaction():
            sheet = self._worksheet(sheet_name)
            columns = tuple(sorted({c for cols in values.values() for c in cols}))
            if not columns or not values:
                return []
            calc = CalcRange(columns, min(values), max(values))
            scan = formula_gaps(self._current_chunks(sheet.part), calc, set(values))
            styles = self._styles()
            dated = date_styles(styles.text)
            plain = general_styles(styles.text)
            pats = sheet_patterns(scan.prefix)
            as_date = _DateStyle(styles, months)
            done: list[tuple[int, int]] = []
            splices: list[Splice] = []
            for gap in scan.gaps:
                row = pats.row.match(b"".join(self._slice(sheet.part, gap)))
                if row is None:
                    continue
                wanted = _retypable(row.group(2) or b"", values[gap.row], dated, pats,
                                    plain, as_date)
                if wanted:
                    done += [(gap.row, c) for c in sorted(wanted)]
                    splices.append(_splice(gap, wanted, pats))
            if as_date.styles.changed:
                self._put_text(styles.part, styles.text)
            if splices:
                self._splices.setdefault(sheet.part, []).append(splices)
                self._mark_edited(sheet.part)
                self._ensure_full_calc_on_load()
            return done

    def _slice(self, part: str, gap: RowGap) -> Iterator[bytes]:
        """The bytes ``gap.start``..``gap.end`` of ``part``'s current content."""
        at = 0
        for chunk in self._current_chunks(part):
            lo, hi = max(gap.start - at, 0), min(gap.end - at, len(chunk))
            if lo < hi:
                yield chunk[lo:hi]
            at += len(chunk)
            if at >= gap.end:
                return


class _DateStyle:
    """The cell style (``cellXfs`` index) showing a date, ``yyyy-mm-dd`` (``yyyy-mm`` in a
    column of ``months``), for a cell of style ``xf`` (None: none), its font, fill and
    border kept; added to ``styles`` the first time a cell needs it."""

    def __init__(self, styles: Styles, months: frozenset[int] = frozenset()) -> None:
        self.styles = styles
        self.months = months
        self._made: dict[tuple[int | None, str], int] = {}

    def __call__(self, xf: int | None, col: int = 0) -> int:
        kind = "month" if col in self.months else "date"
        if (xf, kind) not in self._made:
            self._made[xf, kind] = (StyleCache(self.styles)(kind) if xf is None else
                                    self.styles.xf_with_format(
                                        xf, self.styles.ensure_numfmt(KIND_FORMATS[kind])))
        return self._made[xf, kind]


def general_styles(styles_text: str) -> frozenset[int]:
    """The cell styles (``cellXfs`` indices) of a styles part showing numbers as they are
    (General, number format 0) or as text (``@``, 49, as pasted from a CRM): a date
    typed into a cell of one has no number format of its own to keep."""
    styles = _styles(styles_text)
    return frozenset() if styles is None else _styles_showing(*styles, (0, 49))


def _styles(styles_text: str) -> tuple[ET.Element, str] | None:
    """A styles part's root element and its namespace (``{…}``, or empty); None if it
    does not parse."""
    try:
        root = ET.fromstring(styles_text)
    except ET.ParseError:
        return None
    return root, root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""


def _styles_showing(root: ET.Element, ns: str, formats: Collection[int]) -> frozenset[int]:
    """The cell styles (``cellXfs`` indices) of the styles part ``root`` whose number
    format is one of ``formats``."""
    xfs = root.find(f"{ns}cellXfs")
    return frozenset(i for i, xf in enumerate(xfs if xfs is not None else [])
                     if int(xf.get("numFmtId", "0") or 0) in formats)


def _escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped, nothing else
    changed (as :func:`xml.sax.saxutils.escape`, whose import pulls in urllib, http and
    ssl: 20 ms at every start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _retypable(body: bytes, values: Mapping[int, float | date | str], dated: frozenset[int],
               pats: SheetPatterns, plain: frozenset[int] = frozenset(),
               as_date: _DateStyle | None = None) -> dict[int, str]:
    """Column → the cell's new content (``<v>`` of a number, or an inline string's
    ``t="inlineStr"><is>…``; a style of its own first, `` s="7">…``, for a date given
    the date style), for the cells of a row's XML ``body`` holding text where ``values``
    has a value (a date only in a style showing one, or in ``as_date``'s where the
    cell's style is General or Text: no style, or one of ``plain``)."""
    out = {}
    p = pats.prefix
    for col, cell in row_cells(body, pats):
        value = values.get(col)
        if value is None or not _TEXT_TYPE.search(cell.group(1)):
            continue
        if isinstance(value, str):
            space = ' xml:space="preserve"' if value != value.strip() else ""
            out[col] = (f' t="inlineStr"><{p}is><{p}t{space}>{_escape(value)}</{p}t></{p}is>')
            continue
        if isinstance(value, date):
            style = _STYLE.search(cell.group(1))
            serial = excel_serial(value)
            if serial is None:
                continue
            if style is None or int(style.group(1)) not in dated:
                if as_date is None or (style is not None and int(style.group(1)) not in plain):
                    continue  # formatted otherwise: a serial would show as a number
                xf = int(style.group(1)) if style is not None else None
                out[col] = f' s="{as_date(xf, col)}"><{p}v>{serial}</{p}v>'
                continue
            value = serial
        number = float(value)
        text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        out[col] = f"><{p}v>{text}</{p}v>"
    return out


def _splice(gap: RowGap, wanted: Mapping[int, str], pats: SheetPatterns) -> Splice:
    """The splice rewriting row ``gap`` with the cells of ``wanted`` as numbers."""

    def edit(old: bytes) -> Iterator[bytes]:
        yield _retyped_row(old, gap.row, wanted, pats)

    return gap.start, gap.end, edit


def _retyped_row(old: bytes, number: int, wanted: Mapping[int, str],
                 pats: SheetPatterns) -> bytes:
    """The row element ``old`` with each cell of ``wanted`` (column → its content, as
    :func:`_retypable` gives it) rewritten in its style; the other cells stay byte for
    byte."""
    p = pats.prefix
    row = pats.row.match(old)
    if row is None:
        raise ValueError(f"not a row element: {old[:40]!r}")
    body = row.group(2) or b""
    out, at = [], 0
    for col, cell in row_cells(body, pats):
        if col not in wanted:
            continue
        style = _STYLE.search(cell.group(1))
        s = f' s="{style.group(1).decode()}"' if style else ""
        if wanted[col].startswith(" s="):  # given a style of its own: the date's
            s = ""
        ref = R_CELL.search(cell.group(1))
        name = ref.group(0).decode().split("=")[1].strip("\"' ") if ref else (
            f"{col_letter(col)}{number}")
        out += [body[at:cell.start()],
                f'<{p}c r="{name}"{s}{wanted[col]}</{p}c>'.encode()]
        at = cell.end()
    out.append(body[at:])
    head = old[:row.start(2)] if row.group(2) is not None else old
    return head + b"".join(out) + old[row.end(2):]
