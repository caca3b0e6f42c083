"""Worksheet and table XML for a SheetContent: a new worksheet part (inline strings,
number formats, column widths, frozen header, internal hyperlinks, merged text boxes, the
link to its drawing), its table parts, and a relationships part."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from xlsales.io import ooxml
from xlsales.io.cellxml import CellRole, cell_xml, col_letter, text_cell
from xlsales.io.pagebreaks import chart_row_breaks
from xlsales.io.sheetcontent import (
    COLUMN_KINDS,
    Block,
    CellValue,
    Link,
    Placed,
    SheetContent,
    TextBox,
    placements,
)
from xlsales.io.stylesheet import StyleCache, money_key
from xlsales.io.xmltext import clean, esc_attr

#: Wide characters (East Asian width W or F: CJK, kana, hangul, full-width forms), two
#: columns each; a regular expression, so that a long text is measured at C speed.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3040-\u4dbf\u4e00-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
                   "\U00020000-\U0003fffd]")


def text_width(text: str) -> int:
    """Columns ``text`` takes in a cell: two for each wide (CJK) character."""
    return len(text) + len(_WIDE.findall(text))


#: A run of characters a wrapped line cannot break: neither space nor wide (CJK).
_WORD = re.compile(r"[^\s" + _WIDE.pattern[1:-1] + "]+")
#: Lines a wrapped row grows to at most (Excel's tallest row is 409 points).
MAX_LINES = 12
#: Wrapping breaks between words, so a line holds a little less than the column.
_WORD_BREAKS = 1.15


def longest_word(text: str) -> int:
    """Columns the widest word of ``text`` takes: a run of letters or digits that wrapping
    cannot break (a line breaks between words, and anywhere in CJK text)."""
    return max((len(w) for w in _WORD.findall(text)), default=0)


def line_count(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped in a column of ``width`` characters (estimated)."""
    room = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(text_width(line) * _WORD_BREAKS / room))
               for line in text.split("\n"))


#: Characters a column holds beyond its header's longest word (bold, cell margins).
HEADER_PADDING = 2.0
_DEFAULT_WIDTH = {"date": 12, "month": 10, "datetime": 18, "money": 14, "percent": 10,
                  "integer": 10}


def _holds_money(block: Block, i: int) -> bool:
    """Whether column ``i`` of ``block`` holds amounts: a money column, or one of mixed
    units with a money row."""
    return block.columns[i].kind == "money" or "money" in block.row_kinds.get(i, ())


def column_widths(blocks: Sequence[Block], money_unit: str | None = None,
                  fit_headers: bool = False) -> list[float]:
    """Characters per column: the declared width (at least a header word's, wrapping
    cannot break one; with ``fit_headers``, on a sheet whose headers stay one line — its
    charts are placed by rows — at least the whole header's), else fitted to header and
    text (at most 60), the widest of the blocks sharing the column; a column holding
    amounts that show their currency ``money_unit`` (``1,746,900.00 SGD``) is wider by
    it, or its longest amounts would print as ``###``."""
    widths: dict[int, float] = {}
    extra = text_width(money_unit) + 1.0 if money_unit else 0.0
    for block in blocks:
        for i, col in enumerate(block.columns):
            if col.width is not None:  # but never narrower than a header's longest word:
                # wrapping breaks between words, so a longer one was cut (``Attainmen``);
                # unwrapped, a header wider than its column was cut (``环比增长（上年``)
                fitted = (max([text_width(ln) for ln in col.header.splitlines()] or [0])
                          if fit_headers else longest_word(col.header))
                width = max(col.width, fitted + HEADER_PADDING)
            else:
                longest = max([text_width(ln) for ln in col.header.splitlines()] or [0])
                for row in block.rows[:500]:
                    value = row[i] if i < len(row) else None
                    if isinstance(value, Link):
                        value = value.text
                    if isinstance(value, str):
                        longest = max(longest, text_width(value[:100]))
                width = float(min(max(longest + 2, _DEFAULT_WIDTH.get(col.kind, 8)), 60))
            if extra and _holds_money(block, i):
                width += extra
            widths[i] = max(widths.get(i, 0.0), width)
    return [widths[i] for i in sorted(widths)]


def table_headers(block: Block) -> list[str]:
    """Header texts, made valid and unique (case-insensitively) when they head a table."""
    headers = [clean(c.header) for c in block.columns]
    if block.table_name is None:
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


def _kind_style(style: StyleCache, kind: str, money_unit: str | None = None
                ) -> Callable[[CellRole], str]:
    """The style callback of :func:`~xlsales.io.cellxml.cell_xml` in a column of ``kind``:
    numbers take the kind's format (number, money — naming ``money_unit`` when given —,
    percent, integer), dates a date format
    (the month format in a ``month`` column), datetimes the datetime format (the date or
    month format in a ``date`` or ``month`` column), other cells none. ``style`` is asked
    only when a written cell needs it."""
    number_key = kind if kind in ("number", "money", "percent", "integer") else None
    if kind == "money":
        number_key = money_key(money_unit)
    date_key = "month" if kind == "month" else "date"
    datetime_key = kind if kind in ("date", "month") else "datetime"

    def style_of(role: CellRole) -> str:
        if role == "number":
            return f' s="{style(number_key)}"' if number_key else ""
        if role == "date":
            return f' s="{style(date_key)}"'
        if role in ("datetime", "midnight"):
            return f' s="{style(datetime_key)}"'
        return ""

    return style_of


def _cell_xml(ref: str, value: CellValue, style_of: Callable[[CellRole], str],
              style: StyleCache, links: list[tuple[str, Link]]) -> str:
    """The cell ``ref`` holding ``value``, styled by ``style_of`` (see :func:`_kind_style`);
    a :class:`Link` is collected into ``links`` for the sheet's ``<hyperlinks>``."""
    if isinstance(value, Link):
        links.append((ref, value))
        return text_cell(ref, value.text, f' s="{style("link")}"')
    return cell_xml(ref, value, style_of)


def too_wide(text: str, width: float) -> bool:
    """Whether ``text`` is wider than a column of ``width`` characters (then wrapped onto
    more lines, not cut off at the next cell). Cheap for long texts: the character count
    decides before the wide (CJK) characters are counted."""
    if len(text) > width:
        return True
    return 2 * len(text) > width and text_width(text) > width


def _wrapping(style_of: Callable[[CellRole], str], wrap: str) -> Callable[[CellRole], str]:
    """``style_of`` with text cells in the style ``wrap`` (``' s="N"'``)."""
    return lambda role: wrap if role == "text" else style_of(role)


def _title_rows(lines: Sequence[str], top: int, style: StyleCache) -> list[str]:
    rows = []
    for i, line in enumerate(lines, top):
        s = f' s="{style("title" if i == 1 else "header")}"' if i == top else ""
        cell = text_cell(f"A{i}", line, s) if line else ""
        rows.append(f'<row r="{i}">{cell}</row>')
    return rows


def _height(lines: int) -> str:
    """The attributes of a row ``lines`` lines tall (none for one line)."""
    return f' ht="{15 * min(lines, MAX_LINES)}" customHeight="1"' if lines > 1 else ""


def _block_rows(block: Block, placed: Placed, style: StyleCache,
                links: list[tuple[str, Link]], widths: Sequence[float],
                wrap: bool = True, money_unit: str | None = None) -> list[str]:
    """The rows of ``block`` as placed: its title, its header and its rows. With ``wrap``,
    a header or a text wider than its column (``widths``) is wrapped onto more lines and
    its row made as tall as they need (LibreOffice does not fit rows to wrapped text when
    it opens a file), so that the sheet and its printout show all of it. Amounts name
    ``money_unit`` (their currency) when given."""
    rows = _title_rows(block.title, placed.top, style)
    h = placed.header
    heads = table_headers(block)
    tall = [too_wide(text, widths[j]) and wrap for j, text in enumerate(heads)]
    cells = "".join(text_cell(f"{col_letter(j)}{h}", text,
                              f' s="{style("header_wrap" if tall[j - 1] else "header")}"')
                    for j, text in enumerate(heads, 1))
    lines = max([line_count(text, widths[j]) for j, text in enumerate(heads) if tall[j]] or [1])
    rows.append(f'<row r="{h}"{_height(lines)}>{cells}</row>')
    letters = [col_letter(j) for j in range(1, len(block.columns) + 1)]
    styles_of = {kind: _kind_style(style, kind, money_unit) for kind in COLUMN_KINDS}
    wrapped = {kind: _wrapping(of, f' s="{style("wrap")}"') if wrap else of
               for kind, of in styles_of.items()}
    for i, values in enumerate(block.rows):
        r = h + 1 + i
        lines, parts = 1, []
        for j, v in enumerate(values):
            long = wrap and isinstance(v, str) and too_wide(v, widths[j])
            if long:
                lines = max(lines, line_count(v, widths[j]))  # type: ignore[arg-type]
            kind = block.kind(i, j)
            cell = _cell_xml(f"{letters[j]}{r}", v, (wrapped if long else styles_of)[kind],
                             style, links)
            if not cell and kind == "percent":  # an empty ratio (no target) keeps its
                # format: a value typed or pasted there later shows as a percentage
                cell = f'<c r="{letters[j]}{r}"{styles_of[kind]("number")}/>'
            parts.append(cell)
        rows.append(f'<row r="{r}"{_height(lines)}>{"".join(parts)}</row>')
    return rows


def sheet_xml(content: SheetContent, style: StyleCache,
              table_rels: Sequence[str] | str | None = (), code_name: str | None = None,
              drawing_rel: str | None = None) -> bytes:
    """The worksheet part showing ``content``, its cells styled through ``style``;
    ``table_rels`` are the ids of the relationships to its table parts (in the order of
    its tables) and ``drawing_rel`` the one to its drawing (its charts). A replaced sheet
    keeps its VBA ``code_name``."""
    rels = (table_rels,) if isinstance(table_rels, str) else tuple(table_rels or ())
    placed = placements(content)
    blocks = [p for p in content.parts if isinstance(p, Block)]
    widths = column_widths(blocks, content.money_unit, fit_headers=bool(content.charts))
    rows = [] if content.columns else _title_rows(content.title, 1, style)
    links: list[tuple[str, Link]] = []
    merges: list[str] = []
    for where in placed:
        part = where.part
        if isinstance(part, TextBox):
            if part.heading:
                rows += _title_rows((part.heading,), where.top, style)
            end = f"{col_letter(part.width)}{where.last}"
            cell = (text_cell(f"A{where.header}", part.text, f' s="{style("text_box")}"')
                    if clean(part.text) else "")
            rows.append(f'<row r="{where.header}">{cell}</row>')
            merges.append(f"A{where.header}:{end}")
        else:
            # a sheet with charts keeps one line a row: its charts and page breaks are
            # placed by rows (pagebreaks)
            rows += _block_rows(part, where, style, links, widths, wrap=not content.charts,
                                money_unit=content.money_unit)
    ncols = max([len(b.columns) for b in blocks] +
                [p.width for p in content.parts if isinstance(p, TextBox)])
    last_row = max([w.last for w in placed] + [len(content.title)])
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{ooxml.NS_MAIN}" xmlns:r="{ooxml.NS_REL}">']
    # printed as the template's sheets are: A4 landscape, one page wide
    code = f' codeName="{esc_attr(code_name)}"' if code_name else ""
    color = f'<tabColor rgb="{content.tab_color}"/>' if content.tab_color else ""
    out.append(f'<sheetPr{code}>{color}<pageSetUpPr fitToPage="1"/></sheetPr>')
    out.append(f'<dimension ref="A1:{col_letter(ncols)}{max(last_row, 1)}"/>')
    if content.freeze_header and content.columns and not content.blocks:
        top = f"A{content.header_row + 1}"
        out.append(f'<sheetViews><sheetView workbookViewId="0"><pane '
                   f'ySplit="{content.header_row}" topLeftCell="{top}" activePane="bottomLeft" '
                   f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" '
                   f'sqref="{top}"/></sheetView></sheetViews>')
    else:
        out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/><cols>')
    out.extend(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
               for j, w in enumerate(widths, 1))
    out.append("</cols><sheetData>")
    out.extend(rows)
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">')
        out.extend(f'<mergeCell ref="{ref}"/>' for ref in merges)
        out.append("</mergeCells>")
    if links:
        out.append("<hyperlinks>")
        out.extend(f'<hyperlink ref="{ref}" location="{esc_attr(link.target)}" '
                   f'display="{esc_attr(link.text[:255])}"/>' for ref, link in links)
        out.append("</hyperlinks>")
    out.append('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
               'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
               'fitToHeight="0"/>')
    breaks = chart_row_breaks(widths, content.charts)
    if breaks:  # a new page before a chart that would be cut (pagebreaks)
        out.append(f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">')
        out.extend(f'<brk id="{r}" max="16383" man="1"/>' for r in breaks)
        out.append("</rowBreaks>")
    if drawing_rel:
        out.append(f'<drawing r:id="{drawing_rel}"/>')
    if rels:
        out.append(f'<tableParts count="{len(rels)}">')
        out.extend(f'<tablePart r:id="{rel}"/>' for rel in rels)
        out.append("</tableParts>")
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


def table_xml(block: Block, header_row: int, table_id: int) -> bytes:
    """The table part of ``block``'s Excel Table, its header on row ``header_row``, whose
    id is ``table_id``."""
    name = esc_attr(block.table_name or "")
    ref = f"A{header_row}:{col_letter(len(block.columns))}{header_row + max(len(block.rows), 1)}"
    columns = "".join(f'<tableColumn id="{i}" name="{esc_attr(h)}"/>'
                      for i, h in enumerate(table_headers(block), 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<table xmlns="{ooxml.NS_MAIN}" id="{table_id}" name="{name}" '
            f'displayName="{name}" ref="{ref}" totalsRowShown="0">'
            f'<autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(block.columns)}">{columns}</tableColumns>'
            '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>').encode()


def rels_xml(rels: Sequence[tuple[str, str, str]]) -> bytes:
    """A relationships part holding ``rels``, (id, type, target) triples."""
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{esc_attr(target)}"/>'
                   for i, t, target in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ooxml.NS_PKG_REL}">{body}</Relationships>').encode()
