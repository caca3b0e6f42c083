"""Where each merged table sits in a roll-up's *skeleton* (the workbook the standard
builder writes with the merged tables empty) and how each of its columns is written in
every row: style, formula of a calculated column (or its key, when the roll-up stores
its values), choice labels (:func:`table_layout`).
:mod:`xlsales.rollup_render` renders rows by it, :mod:`xlsales.rollup_splice` puts them
in place of the placeholder row (:func:`row_span`)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from xlsales.io.cellxml import col_index, col_letter
from xlsales.io.ooxml import read_layout
from xlsales.script_variant import OwnText, Script
from xlsales.spec import SPEC, ColumnType, Lang


class LayoutError(Exception):
    """The skeleton does not look as expected (the caller falls back to the builder)."""


@dataclass(frozen=True)
class CellPlan:
    """How one column of a table is written in every row."""

    letter: str
    style: str  # ' s="N"' or ""
    key: str | None  # the frame column its values come from (None: formula or nothing)
    kind: str  # "date", "choice", "value" or "formula"
    formula: str = ""  # a calculated column's cell content (``<f>…</f><v>0</v>``)
    labels: tuple[tuple[str, str], ...] = ()  # choice key → label in the workbook language


@dataclass(frozen=True)
class TableLayout:
    """Where a big table sits in the skeleton and how its columns are written."""

    name: str
    sheet_part: str
    table_part: str
    ref: str  # the skeleton's table range, e.g. A4:W5
    first_row: int  # first data row (the placeholder row)
    cells: tuple[CellPlan, ...]
    #: The workbook's language: built-in list entries are written in it (None: as read).
    lang: Lang | None = None
    #: The script of a Chinese roll-up built in Traditional: so are those entries.
    script: Script | None = None

    @property
    def keys(self) -> list[str]:
        """The frame columns its cells take their values from."""
        return [c.key for c in self.cells if c.key is not None]


_COL = re.compile(r'<col\b[^>]*?\bmin="(\d+)"[^>]*?\bmax="(\d+)"[^>]*?>')
_STYLE = re.compile(r'\bstyle="(\d+)"')
_CELL = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ATTR_R = re.compile(r'\br="([A-Z]+)\d+"')
_ATTR_S = re.compile(r'\bs="(\d+)"')
_FORMULA = re.compile(r"<f(?:\s[^>]*)?>(.*?)</f>", re.S)


def row_span(xml: str, row: int) -> tuple[int, int] | None:
    """Start and end offsets of ``<row r="row">…</row>`` in a sheet's XML."""
    m = re.search(rf'<row\b[^>]*\br="{row}"[^>]*?(/>|>)', xml)
    if m is None:
        return None
    if m.group(1) == "/>":
        return m.start(), m.end()
    end = xml.find("</row>", m.end())
    return (m.start(), end + len("</row>")) if end >= 0 else None


def table_layout(zf: zipfile.ZipFile, name: str, lang: Lang,
                 script: Script | None = None) -> TableLayout:
    """How the skeleton writes table ``name`` (header labels → spec keys or custom names),
    its headers and choices in ``script`` when it is built in Traditional."""
    own = OwnText(script if lang == "zh" else None)
    layout = read_layout(zf)
    info = layout.table(name)
    if info is None:
        raise LayoutError(f"no table {name}")
    sheet = layout.sheet(info.sheet)
    xml = zf.read(sheet.part).decode("utf-8")
    m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", info.ref)
    if m is None or info.header_rows != 1:
        raise LayoutError(f"unexpected range {info.ref}")
    c1, header, c2, last = col_index(m[1]), int(m[2]), col_index(m[3]), int(m[4])
    if last != header + 1 or c2 - c1 + 1 != len(info.columns):
        raise LayoutError(f"{name} is not empty in the skeleton")
    styles: dict[int, str] = {}
    for col in _COL.finditer(xml):
        style = _STYLE.search(col.group(0))
        for i in range(int(col[1]), int(col[2]) + 1):
            styles[i] = style.group(1) if style else ""
    span = row_span(xml, header + 1)
    placeholder: dict[str, tuple[str, str]] = {}  # letter → (style, formula cell content)
    if span is not None:
        for cell in _CELL.finditer(xml[span[0]:span[1]]):
            ref, s = _ATTR_R.search(cell[1]), _ATTR_S.search(cell[1])
            if ref and _FORMULA.search(cell[2] or ""):
                other = _ATTR_S.sub("", _ATTR_R.sub("", cell[1])).strip()
                style = f' s="{s[1]}"' if s else ""
                placeholder[ref[1]] = (style + (" " + other if other else ""), cell[2])
    spec_table = SPEC.table(name)
    by_label = {own(c.label.get(lang)): c for c in spec_table.columns}
    cells = []
    for i, header_text in enumerate(info.columns):
        letter = col_letter(c1 + i)
        column = by_label.get(header_text)
        if letter in placeholder:
            attrs, content = placeholder[letter]
            cells.append(CellPlan(letter, attrs, None, "formula", content))
            continue
        style = styles.get(c1 + i, "")
        s = f' s="{style}"' if style and style != "0" else ""
        if column is not None and not column.is_input:
            # a calculated column stored as values (a roll-up's sales records)
            cells.append(CellPlan(letter, s, column.key, "value"))
        elif column is None:
            cells.append(CellPlan(letter, s, header_text, "value"))  # a custom field
        elif column.type in (ColumnType.DATE, ColumnType.MONTH):
            cells.append(CellPlan(letter, s, column.key, "date"))
        elif column.type is ColumnType.CHOICE and column.choices is not None:
            labels = tuple((c.key, own(c.label.get(lang))) for c in column.choices.choices)
            cells.append(CellPlan(letter, s, column.key, "choice", labels=labels))
        else:
            cells.append(CellPlan(letter, s, column.key, "value"))
    return TableLayout(name, sheet.part, info.part, info.ref, header + 1, tuple(cells), lang,
                       script)
