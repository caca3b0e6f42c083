"""Worksheet and table XML for a SheetContent: a new worksheet part (inline strings,
number formats, column widths, frozen header, internal hyperlinks), its table part, and
a relationships part."""

from __future__ import annotations

import math
import numbers
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from xlsales.io import ooxml
from xlsales.io.cellxml import col_letter, excel_serial, inline_string
from xlsales.io.sheetcontent import CellValue, Link, SheetContent
from xlsales.io.stylesheet import StyleCache
from xlsales.io.xmltext import clean, esc_attr


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_DEFAULT_WIDTH = {"date": 12, "datetime": 18, "money": 14, "percent": 10, "integer": 10}


def _column_widths(content: SheetContent) -> list[float]:
    widths = []
    for i, col in enumerate(content.columns):
        if col.width is not None:
            widths.append(col.width)
            continue
        longest = max([_text_width(ln) for ln in col.header.splitlines()] or [0])
        for row in content.rows[:500]:
            value = row[i] if i < len(row) else None
            if isinstance(value, Link):
                value = value.text
            if isinstance(value, str):
                longest = max(longest, _text_width(value[:100]))
        widths.append(float(min(max(longest + 2, _DEFAULT_WIDTH.get(col.kind, 8)), 60)))
    return widths


def _table_headers(content: SheetContent) -> list[str]:
    """Header texts, made valid and unique (case-insensitively) when they head a table."""
    headers = [clean(c.header) for c in content.columns]
    if content.table_name is None:
        return headers
    out: list[str] = []
    seen: set[str] = set()
    for i, header in enumerate(headers, 1):
        base = " ".join(header.split()) or f"Column{i}"
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base}{n}"
        seen.add(name.casefold())
        out.append(name)
    return out


def _cell_xml(ref: str, value: CellValue, kind: str, style: StyleCache,
              links: list[tuple[str, Link]]) -> str:
    if value is None:
        return ""
    if isinstance(value, Link):
        links.append((ref, value))
        return f'<c r="{ref}" s="{style("link")}" t="inlineStr">{inline_string(value.text)}</c>'
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr">{inline_string(value)}</c>' if clean(value) else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, date):
        if value != value:  # NaT
            return ""
        serial = excel_serial(value)
        if serial is None:
            return f'<c r="{ref}" t="inlineStr">{inline_string(value.isoformat())}</c>'
        key = "datetime" if isinstance(value, datetime) and kind != "date" else "date"
        return f'<c r="{ref}" s="{style(key)}"><v>{serial!r}</v></c>'
    if isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if not math.isfinite(number):
            return ""
        text = repr(number)
    else:
        raise TypeError(f"Cannot write a {type(value).__name__} to cell {ref}: {value!r}")
    if kind in ("money", "percent", "integer"):
        return f'<c r="{ref}" s="{style(kind)}"><v>{text}</v></c>'
    return f'<c r="{ref}"><v>{text}</v></c>'


def sheet_xml(content: SheetContent, style: StyleCache, table_rel: str | None,
              code_name: str | None = None) -> bytes:
    """The worksheet part showing ``content``, its cells styled through ``style``; with a
    table, ``table_rel`` is the id of the relationship to its table part. A replaced sheet
    keeps its VBA ``code_name``."""
    ncols = len(content.columns)
    last_col = col_letter(ncols)
    header_row = content.header_row
    last_row = header_row + max(len(content.rows), 1 if content.table_name else 0)
    rows: list[str] = []
    for i, line in enumerate(content.title, 1):
        s = f' s="{style("title")}"' if i == 1 else ""
        cell = f'<c r="A{i}"{s} t="inlineStr">{inline_string(line)}</c>' if line else ""
        rows.append(f'<row r="{i}">{cell}</row>')
    head = style("header")
    cells = "".join(f'<c r="{col_letter(j)}{header_row}" s="{head}" t="inlineStr">'
                    f"{inline_string(h)}</c>" for j, h in enumerate(_table_headers(content), 1))
    rows.append(f'<row r="{header_row}">{cells}</row>')
    letters = [col_letter(j) for j in range(1, ncols + 1)]
    kinds = [c.kind for c in content.columns]
    links: list[tuple[str, Link]] = []
    for r, values in enumerate(content.rows, header_row + 1):
        cells = "".join(_cell_xml(f"{letters[j]}{r}", v, kinds[j], style, links)
                        for j, v in enumerate(values))
        rows.append(f'<row r="{r}">{cells}</row>')
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{ooxml.NS_MAIN}" xmlns:r="{ooxml.NS_REL}">']
    if content.tab_color or code_name:
        code = f' codeName="{esc_attr(code_name)}"' if code_name else ""
        color = f'<tabColor rgb="{content.tab_color}"/>' if content.tab_color else ""
        out.append(f"<sheetPr{code}>{color}</sheetPr>")
    out.append(f'<dimension ref="A1:{last_col}{max(last_row, header_row)}"/>')
    if content.freeze_header:
        top = f"A{header_row + 1}"
        out.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" '
                   f'topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                   f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
                   "</sheetView></sheetViews>")
    else:
        out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/><cols>')
    out.extend(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
               for j, w in enumerate(_column_widths(content), 1))
    out.append("</cols><sheetData>")
    out.extend(rows)
    out.append("</sheetData>")
    if links:
        out.append("<hyperlinks>")
        out.extend(f'<hyperlink ref="{ref}" location="{esc_attr(link.target)}" '
                   f'display="{esc_attr(link.text[:255])}"/>' for ref, link in links)
        out.append("</hyperlinks>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
               'footer="0.3"/>')
    if table_rel:
        out.append(f'<tableParts count="1"><tablePart r:id="{table_rel}"/></tableParts>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


def _table_ref(content: SheetContent) -> str:
    header_row = content.header_row
    last_row = header_row + max(len(content.rows), 1)
    return f"A{header_row}:{col_letter(len(content.columns))}{last_row}"


def table_xml(content: SheetContent, table_id: int) -> bytes:
    """The table part of ``content``'s Excel Table, whose id is ``table_id``."""
    name = esc_attr(content.table_name or "")
    ref = _table_ref(content)
    columns = "".join(f'<tableColumn id="{i}" name="{esc_attr(h)}"/>'
                      for i, h in enumerate(_table_headers(content), 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<table xmlns="{ooxml.NS_MAIN}" id="{table_id}" name="{name}" '
            f'displayName="{name}" ref="{ref}" totalsRowShown="0">'
            f'<autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(content.columns)}">{columns}</tableColumns>'
            '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>').encode()


def rels_xml(rels: Sequence[tuple[str, str, str]]) -> bytes:
    """A relationships part holding ``rels``, (id, type, target) triples."""
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{esc_attr(target)}"/>'
                   for i, t, target in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ooxml.NS_PKG_REL}">{body}</Relationships>').encode()
