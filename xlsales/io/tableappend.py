"""Appending rows to a table, writing side: byte splices when saving.

:class:`TableShape` reads the table part and gives it its new range; :func:`row_rebuilder`
writes the new rows (values, styles, calculated-column formulas) merged with what other
columns of those sheet rows hold, as the replacement of a byte range of the sheet.
"""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree as ET

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.cellxml import CELL_REF, CellRole, cell_xml, col_index, col_letter
from xlsales.io.sheetcontent import CellValue
from xlsales.io.tablescan import R_CELL, R_ROW, THIS_ROW, SheetPatterns, row_cells
from xlsales.io.xmltext import (
    child_elements,
    decode_xml,
    esc_text,
    malformed,
    parse_attrs,
    root_element,
    set_attr,
    splice,
)

_SPANS = re.compile(rb"""\sspans\s*=\s*(?:"[^"]*"|'[^']*')""")
_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_QUOTED_SHEET = re.compile(r"'(?:[^']|'')*'")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_ROW_RELATIVE = re.compile(
    r"(?<![\w.$])\$?[A-Za-z]{1,3}(\d{1,7})(?![\w(.!])"  # A5, $A5: the row is not anchored
    r"|(?<![\w.$:])(\d{1,7}):\$?\d{1,7}(?![\w(.])|:(\d{1,7})(?![\w(.])")  # 5:5, $5:6


def row_formula(attrs: bytes, text: bytes) -> str | None:
    """The escaped text of a row's formula that computes from its own table row
    (``[#This Row]``) and has no row-relative cell reference, so it means the same in
    any row of the column; None for other formulas (shared, array, or relative)."""
    kind = parse_attrs(decode_xml(attrs, "formula")).get("t", "normal")
    if kind != "normal" or not text.strip() or THIS_ROW.search(text) is None:
        return None
    formula = html.unescape(decode_xml(text, "formula"))
    bare = _QUOTED_SHEET.sub("", _STRING_LITERAL.sub("", formula))
    while True:
        stripped = _BRACKETS.sub("", bare)
        if stripped == bare:
            break
        bare = stripped
    if _ROW_RELATIVE.search(bare):
        return None
    return esc_text(formula)


def dimension_ref(old: str, c1: int, c2: int, last_row: int) -> str | None:
    """``old`` widened to columns ``c1``..``c2`` and down to ``last_row``."""
    parts = old.split(":")
    found = [CELL_REF.match(p) for p in parts]
    if len(parts) not in (1, 2) or not all(found):
        return None
    cols = [col_index(m.group(1)) for m in found if m] + [c1, c2]
    rows = [int(m.group(2)) for m in found if m] + [last_row]
    return f"{col_letter(min(cols))}{min(rows)}:{col_letter(max(cols))}{max(rows)}"


def check_append_value(value: object, where: str) -> None:
    """Refuse (:class:`TypeError`) a value that cannot be appended to a table."""
    ok = value is None or isinstance(value, str | date | numbers.Real | Decimal)
    if not ok:
        raise TypeError(f"Cannot append a {type(value).__name__} to {where}: {value!r}")


@dataclass(frozen=True)
class AppendColumn:
    """How the cells of one table column of the appended rows are written."""

    letter: str
    style: str  # ' s="N"' or ""
    date_style: str  # style for dates (the column's, or a date format)
    datetime_style: str
    value_index: int | None  # position in the caller's values
    formula: str | None  # escaped calculated-column formula
    array: bool = False

    def style_of(self, role: CellRole) -> str:
        """The ``s`` attribute of a value cell of ``role`` in this column."""
        if role == "datetime":
            return self.datetime_style
        return self.date_style if role in ("date", "midnight") else self.style


def _append_cell(col: AppendColumn, row: int, values: Sequence[CellValue], p: str) -> str:
    """The cell of column ``col`` in the new sheet row ``row`` holding ``values`` (the
    caller's values of that row), in a sheet of namespace prefix ``p``: the calculated
    formula, else the value in the column's style (dates: its date or datetime style)."""
    ref = f"{col.letter}{row}"
    if col.formula is not None:
        if col.array:
            return (f'<{p}c r="{ref}"{col.style}><{p}f t="array" ref="{ref}">{col.formula}'
                    f"</{p}f></{p}c>")
        return f'<{p}c r="{ref}"{col.style}><{p}f>{col.formula}</{p}f></{p}c>'
    index = col.value_index
    value = values[index] if index is not None and index < len(values) else None
    return cell_xml(ref, value, col.style_of, prefix=p, compact=True)


@dataclass(frozen=True)
class TableShape:
    """The parts of a table definition :meth:`WorkbookPackage.append_table_rows` needs."""

    name: str
    sheet: str
    c1: int
    c2: int
    header_end: int  # last header row (the row before the first data row)
    end: int  # last row of the table's range
    names: tuple[str, ...]
    formulas: dict[int, tuple[str, bool]]  # column → (calculated formula, is array)

    @classmethod
    def read(cls, data: bytes, info: ooxml.TableInfo) -> TableShape:
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise malformed(info.part) from exc
        ns = f"{{{ooxml.NS_MAIN}}}"
        parts = root.get("ref", "").split(":")
        found = [CELL_REF.match(p) for p in parts]
        if len(parts) != 2 or not all(found):
            raise malformed(info.part)
        (c1, r1), (c2, r2) = [(col_index(m.group(1)), int(m.group(2))) for m in found if m]
        headers = int(root.get("headerRowCount", "1") or "1")
        if int(root.get("totalsRowCount", "0") or "0") > 0:
            raise WorkbookError(
                f"表格 “{info.name}”（工作表 “{info.sheet}”）有汇总行，无法在末尾追加行。请在 "
                "Excel 中取消“汇总行”（表设计 > 汇总行）后重试。",
                f"The table '{info.name}' (sheet '{info.sheet}') has a totals row, so rows "
                "cannot be appended to it. Turn the totals row off in Excel (Table Design > "
                "Total Row) and try again.")
        names: list[str] = []
        formulas: dict[int, tuple[str, bool]] = {}
        for i, el in enumerate(root.iter(f"{ns}tableColumn")):
            names.append(el.get("name", ""))
            calc = el.find(f"{ns}calculatedColumnFormula")
            if calc is not None and (calc.text or "").strip():
                formulas[c1 + i] = (calc.text or "", calc.get("array") in ("1", "true"))
        if len(names) != c2 - c1 + 1:
            raise malformed(info.part)
        return cls(info.name, info.sheet, c1, c2, r1 + headers - 1, r2, tuple(names), formulas)

    def value_columns(self, columns: Sequence[str]) -> dict[int, int]:
        """Sheet column → position in ``columns`` (header names, case-insensitive)."""
        index = {n.casefold(): self.c1 + i for i, n in enumerate(self.names)}
        out: dict[int, int] = {}
        for position, name in enumerate(columns):
            col = index.get(str(name).casefold())
            if col is None:
                listed = "、".join(self.names)
                raise WorkbookError(
                    f"表格 “{self.name}” 没有名为 “{name}” 的列。表格的列：{listed}。",
                    f"The table '{self.name}' has no column '{name}'. Its columns: "
                    f"{', '.join(self.names)}.")
            if col in out:
                raise WorkbookError(f"列 “{name}” 重复给出。",
                                    f"The column '{name}' is given twice.")
            if col in self.formulas:
                raise WorkbookError(
                    f"表格 “{self.name}” 的列 “{name}” 是计算列，由公式自动填写，不能导入值。",
                    f"The column '{name}' of table '{self.name}' is calculated by a formula; "
                    "values cannot be written to it.")
            out[col] = position
        return out

    def resized(self, text: str, last_row: int) -> str:
        """The table part ``text`` with its range (and autofilter, sort range) ending on
        ``last_row``."""
        part = f"table {self.name}"
        root = root_element(text, part)
        ref = _with_last_row(root.attrs.get("ref", ""), last_row)
        edits = [(root.start, root.tag_end, set_attr(text[root.start:root.tag_end], "ref", ref))]
        for el in child_elements(text, root, part):
            targets = [el] if el.local == "sortState" else []
            if el.local == "autoFilter":
                targets = [el] + [k for k in child_elements(text, el, part)
                                  if k.local == "sortState"]
            for t in targets:
                old = t.attrs.get("ref")
                if old:
                    new = _with_last_row(old, last_row)
                    edits.append((t.start, t.tag_end,
                                  set_attr(text[t.start:t.tag_end], "ref", new)))
        return splice(text, edits)


def _with_last_row(ref: str, last_row: int) -> str:
    """An A1 range ``ref`` with its second corner moved to ``last_row``."""
    first, _, second = ref.partition(":")
    m = CELL_REF.match(second or first)
    if m is None:
        return ref
    return f"{first}:{m.group(1)}{last_row}"


def row_rebuilder(pats: SheetPatterns, region: list[int], first: int, last_new: int,
                  last: int, c1: int, c2: int, columns: list[AppendColumn],
                  rows: list[tuple[CellValue, ...]]) -> Callable[[bytes], Iterator[bytes]]:
    """The replacement of the sheet rows ``first``..``last``: rows ``first``..``last_new``
    are the new rows (merged with cells of existing rows outside the table's columns),
    later existing rows keep only their cells outside the table's columns. ``region``
    holds the numbers of the existing rows in the range, in order."""
    p = pats.prefix
    active = [c for c in columns if c.formula is not None or c.value_index is not None]

    def rebuild(old: bytes) -> Iterator[bytes]:
        existing: dict[int, tuple[bytes, list[tuple[int, bytes]]]] = {}
        for number, m in zip(region, pats.row.finditer(old), strict=True):
            attrs = _SPANS.sub(b"", m.group(1))
            if not R_ROW.search(attrs):
                attrs = f' r="{number}"'.encode() + attrs
            kept = []
            for col, cell in row_cells(m.group(2) or b"", pats):
                if c1 <= col <= c2:
                    continue
                raw = cell.group(0)
                if not R_CELL.search(cell.group(1)):
                    cut = len(p) + 2
                    raw = raw[:cut] + f' r="{col_letter(col)}{number}"'.encode() + raw[cut:]
                kept.append((col, raw))
            existing[number] = (attrs, kept)
        out: list[bytes] = []
        for number in range(first, last + 1):
            new = number <= last_new
            if not new and number not in existing:
                continue
            attrs, kept = existing.get(number, (f' r="{number}"'.encode(), []))
            body = [raw for col, raw in kept if col < c1]
            if new:
                values = rows[number - first]
                body.append("".join(_append_cell(c, number, values, p)
                                    for c in active).encode("utf-8"))
            body += [raw for col, raw in kept if col > c2]
            if not new and not kept and not R_ROW.sub(b"", attrs).strip():
                continue  # an emptied row with nothing else to keep
            out.append(f"<{p}row".encode() + attrs + b">" + b"".join(body)
                       + f"</{p}row>".encode())
            if len(out) >= 512:
                yield b"".join(out)
                out = []
        yield b"".join(out)

    return rebuild
