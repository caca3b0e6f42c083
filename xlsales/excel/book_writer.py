"""Result sheets written into an open ``xlwings.Book`` in blocks, and offending cells shaded.

:func:`put_sheet` writes a :class:`~xlsales.io.sheetcontent.SheetContent` as the package
writer (:mod:`xlsales.io.package`) writes it into a file, cell for cell: title lines, the
text box (a merged, wrapped cell under its heading), each table block (its title, a blank
row, an Excel Table under the spec's name), number formats by column kind and native
charts over the tables, placed by :func:`~xlsales.io.sheetcontent.placements`.

Writing costs one call for all the sheet's values, one per title line styled, per
number-formatted column (or run of equal formats in a column), per column width, per
sheet deleted or added, per table, per text box (merge, wrap, alignment), a handful per
chart (add with its data, categories, title, legend, axes) and one per contiguous block
of shaded cells (at most :data:`MAX_SHADED_BLOCKS`). Nothing is per row or per cell, so
the number of calls to Excel does not grow with the rows. Only xlwings' own API is used,
the same on desktop Excel and on the remote engine (xlwings Lite, xlwings Server).
"""

from __future__ import annotations

import math
import numbers
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xlsales.errors import WorkbookError
from xlsales.io.cellxml import CELL_REF, col_index, col_letter, excel_serial
from xlsales.io.sheetcontent import (
    KIND_FORMATS,
    Block,
    CellValue,
    Chart,
    Link,
    Placed,
    SheetContent,
    TextBox,
    number_format,
    placements,
)
from xlsales.io.sheetxml import column_widths, table_headers
from xlsales.spec.traditional import same_name

if TYPE_CHECKING:
    import xlwings as xw

#: Number formats by column kind, the package writer's (see ``Column``).
NUMBER_FORMATS: dict[str, str] = KIND_FORMATS
#: The light red fill of the CLI's highlighted cells.
SHADE_COLOR = "#FFC7CE"
#: Blocks of offending cells shaded (and cleared) per run; the rest are only listed.
MAX_SHADED_BLOCKS = 200
TABLE_STYLE = "TableStyleMedium2"
#: xlwings' chart type of each :class:`~xlsales.io.sheetcontent.Chart` kind.
CHART_TYPES: dict[str, str] = {"column": "column_clustered", "stacked_column": "column_stacked",
                               "bar": "bar_clustered"}
#: A chart's size in points from its size in cells: Excel's default column (8.43
#: characters, 64 px) and row (15 pt), which the columns right of the tables keep.
POINTS_PER_COLUMN = 48.0
POINTS_PER_ROW = 15.0
#: Excel's object model (COM) is reachable through ``.api`` (desktop Excel on Windows).
WINDOWS_COM = sys.platform == "win32"


def _text(value: str) -> str | None:
    """Text stored as text: the apostrophe prefix keeps Excel from reading ``2026-11`` as
    a date, ``00123`` as a number or ``=…`` as a formula."""
    return "'" + value if value else None


def _formula_text(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def cell_value(value: CellValue, kind: str) -> Any:
    """A cell as sent in a block: text as text, dates as serial numbers (formatted by
    their column), links as ``HYPERLINK`` formulas, missing and non-finite numbers empty."""
    if value is None:
        return None
    if isinstance(value, Link):
        return f"=HYPERLINK({_formula_text('#' + value.target)},{_formula_text(value.text)})"
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, date):
        if value != value:  # NaT
            return None
        serial = excel_serial(value) if kind in ("date", "datetime", "month") else None
        return serial if serial is not None else _text(value.isoformat())
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return _text(str(value))


def _runs(values: Sequence[object]) -> Iterator[tuple[int, int, object]]:
    """(first, last, value) of each run of equal consecutive values."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            yield start, i - 1, values[start]
            start = i


def _grid(content: SheetContent, placed: Sequence[Placed]) -> list[list[Any]]:
    """Every value of the sheet, from A1 to its last row, as one block."""
    width = max([len(p.part.columns) if isinstance(p.part, Block) else p.part.width
                 for p in placed])
    last = max([p.last for p in placed] + [len(content.title)])
    grid: list[list[Any]] = [[None] * width for _ in range(last)]
    if not content.columns:  # a sheet of blocks: its title lines head the sheet
        for i, line in enumerate(content.title):
            grid[i][0] = _text(line)
    for where in placed:
        part = where.part
        if isinstance(part, TextBox):
            if part.heading:
                grid[where.top - 1][0] = _text(part.heading)
            grid[where.header - 1][0] = _text(part.text)
            continue
        for i, line in enumerate(part.title):
            grid[where.top - 1 + i][0] = _text(line)
        grid[where.header - 1][:len(part.columns)] = [_text(h) for h in table_headers(part)]
        for i, row in enumerate(part.rows):
            grid[where.header + i][:len(row)] = [cell_value(v, part.kind(i, j))
                                                 for j, v in enumerate(row)]
    return grid


def _title_rows(content: SheetContent, placed: Sequence[Placed]) -> list[int]:
    """The rows styled as titles: the first line of each title (the sheet's, a text box's
    heading, a block's)."""
    rows = [1] if content.title and not content.columns else []
    rows += [p.top for p in placed
             if (p.part.heading if isinstance(p.part, TextBox) else p.part.title)]
    return rows


def _number_formats(sheet: xw.Sheet, block: Block, where: Placed,
                    money_unit: str | None = None) -> None:
    first = where.header + 1
    for j, col in enumerate(block.columns):
        kinds = [block.kind(i, j) for i in range(len(block.rows))]
        runs = _runs(kinds) if j in block.row_kinds else (
            [(0, len(block.rows) - 1, col.kind)] if block.rows else [])
        for r1, r2, kind in runs:
            if kind in NUMBER_FORMATS:  # amounts naming their currency, as the file's
                sheet.range((first + r1, j + 1), (first + r2, j + 1)).number_format = \
                    number_format(str(kind), money_unit)


def _text_box(sheet: xw.Sheet, box: TextBox, where: Placed) -> None:
    """The text box's cell merged over its columns and rows, wrapped, at the top."""
    cell = sheet.range((where.header, 1), (where.last, box.width))
    cell.merge()
    cell.wrap_text = True
    with suppress(NotImplementedError):  # the remote engine aligns for Office.js only
        cell.vertical_alignment = "top"


def _series_columns(chart: Chart) -> tuple[int, int]:
    """The first and last (0-based) of the chart's series columns, which must be adjacent:
    an xlwings chart takes one contiguous source range."""
    series = [*chart.values, *chart.lines]
    if series != list(range(series[0], series[0] + len(series))):
        raise WorkbookError(
            f"图表 “{chart.title}” 的数据系列必须是表格中相邻的列（xlwings 的图表只能引用一个"
            "连续区域）：请调整该图表的列。",
            f"The series of chart '{chart.title}' must be adjacent columns of its table "
            "(an xlwings chart takes one contiguous source range): reorder its columns.")
    return series[0], series[-1]


def _chart(sheet: xw.Sheet, chart: Chart, where: Placed, number: int) -> None:
    """``chart`` over the table at ``where``: its series columns (with their headers, for
    the series names) as the source, its category column as the x-axis values."""
    block = where.part
    assert isinstance(block, Block)
    first, final = _series_columns(chart)
    last = where.header + max(len(block.rows), 1)
    col, row = chart.cell
    made = sheet.charts.add(
        anchor=sheet.range((row + 1, col + 1)), width=chart.size[0] * POINTS_PER_COLUMN,
        height=chart.size[1] * POINTS_PER_ROW, chart_type=CHART_TYPES[chart.kind],
        source=sheet.range((where.header, first + 1), (last, final + 1)),
        plot_by="columns", name=f"Chart {number}")
    categories = chart.categories + 1
    made.set_x_axis_values(sheet.range((where.header + 1, categories), (last, categories)))
    made.title = chart.title
    if final > first:
        made.legend.position = "bottom"
    else:
        made.legend.visible = False
    made.value_axis.number_format = chart.value_format
    axis: dict[str, Any] = {}
    if chart.category_format:
        axis["number_format"] = chart.category_format
    if chart.kind == "bar":  # the first row on top, the values below as in the file
        axis.update(reverse_order=True, crosses="maximum")
    if axis:
        made.category_axis.set(**axis)
    _desktop_touches(made, chart)


def _finishing_errors() -> tuple[type[BaseException], ...]:
    """What a finishing touch may raise where it cannot be made: no series API (an older
    xlwings, the remote engine), or Excel refusing it through its bridge (COM on
    Windows, Apple events on a Mac). A refused touch leaves the chart or tab as drawn;
    it never fails the sheet written before it."""
    from xlwings import XlwingsError

    found: list[type[BaseException]] = [AttributeError, NotImplementedError, XlwingsError]
    with suppress(ImportError):
        from pywintypes import com_error  # type: ignore[import-not-found]

        found.append(com_error)
    with suppress(ImportError):
        from appscript.reference import CommandError  # type: ignore[import-not-found]

        found.append(CommandError)
    return tuple(found)


def _desktop_touches(made: Any, chart: Chart) -> None:
    """What desktop Excel can add to a chart beyond the calls every engine has: the
    ``lines`` series drawn as lines (xlwings' series API, Windows and Mac) and, on
    Windows, the values on the bars (``labels``: Excel's object model through
    ``.api``). The remote engine (xlwings Server, Lite) cannot index a new chart's series
    without ``await chart.get_series()``: there the chart stays as drawn."""
    try:
        series = made.series
        for i in range(len(chart.values), len(chart.values) + len(chart.lines)):
            series[i].chart_type = "line_markers"
        if chart.labels and WINDOWS_COM:
            for i in range(len(chart.values)):
                series[i].api.HasDataLabels = True
    except _finishing_errors():
        return


def _tab_color(sheet: xw.Sheet, argb: str | None) -> None:
    """Colour the sheet's tab (``argb``: ``FF7030A0``) where Excel's object model is at
    hand (Windows: xlwings has no portable call for it)."""
    if argb and WINDOWS_COM:
        with suppress(*_finishing_errors()):
            red, green, blue = (int(argb[i:i + 2], 16) for i in (2, 4, 6))
            sheet.api.Tab.Color = red + green * 256 + blue * 65536  # Excel's BGR


def _fresh_sheet(book: xw.Book, name: str, after: str | None,
                 replaces: tuple[str, ...] = ()) -> xw.Sheet:
    """An empty sheet ``name``: one of that name (else of one of ``replaces``) is replaced
    in place; a new one goes after ``after`` (at the end without it)."""
    names = [s.name for s in book.sheets]
    old = next((names[i] for wanted in (name, *replaces)  # or in Traditional characters
                if (i := same_name(wanted, names)) is not None), None)
    if old is not None:
        i = names.index(old)
        after = names[i - 1] if i > 0 else None
        book.sheets[old].delete()
        names.remove(old)
        if after is None:
            return book.sheets.add(name, before=book.sheets[0])
    anchor = after if after in names else names[-1]
    return book.sheets.add(name, after=book.sheets[anchor])


def _is_remote(book: xw.Book) -> bool:
    with suppress(Exception):
        return bool(book.app.engine.name == "remote")
    return False


def put_sheet(book: xw.Book, content: SheetContent, after: str | None = None) -> xw.Sheet:
    """Write ``content`` on a fresh sheet (replacing one of its name in place, else after
    ``after``, else at the end) as the package writer's ``put_sheet`` writes it into a
    file; a fixed number of calls, whatever the rows."""
    for chart in content.charts:  # refused before anything is written
        _series_columns(chart)
    sheet = _fresh_sheet(book, content.name, after, content.replaces)
    placed = placements(content)
    sheet.range((1, 1)).value = _grid(content, placed)
    for row in _title_rows(content, placed):
        font = sheet.range((row, 1)).font
        font.bold = True
        if row == 1:
            font.size = 14
    for where in placed:
        part = where.part
        if isinstance(part, TextBox):
            _text_box(sheet, part, where)
            continue
        _number_formats(sheet, part, where, content.money_unit)
        if part.table_name:
            sheet.tables.add(source=sheet.range((where.header, 1),
                                                (where.last, len(part.columns))),
                             name=part.table_name, table_style_name=TABLE_STYLE,
                             has_headers=True)
    remote = _is_remote(book)
    for j, chars in enumerate(column_widths([p for p in content.parts if isinstance(p, Block)],
                                            content.money_unit,
                                            fit_headers=bool(content.charts)), 1):
        # desktop Excel takes characters, the remote engine points (Calibri 11: 7 px a char)
        sheet.range((1, j)).column_width = (chars * 7 + 5) * 0.75 if remote else chars
    if content.freeze_header and content.columns and not content.blocks:
        with suppress(AttributeError, NotImplementedError):  # desktop engines lack it
            sheet.freeze_panes.freeze_at(f"1:{content.header_row}")
    for number, chart in enumerate(content.charts, 1):
        _chart(sheet, chart, placed[chart.block], number)
    if not remote:
        _tab_color(sheet, content.tab_color)
    return sheet


# --- shading offending cells -----------------------------------------------------------


def _row_runs(numbers_: Sequence[int]) -> Iterator[tuple[int, int]]:
    start = prev = numbers_[0]
    for n in numbers_[1:]:
        if n != prev + 1:
            yield start, prev
            start = n
        prev = n
    yield start, prev


def blocks_of(cells: Iterable[str]) -> list[str]:
    """A1 ranges covering exactly ``cells``: runs down each column, equal runs in
    adjacent columns joined into rectangles."""
    by_col: dict[int, set[int]] = defaultdict(set)
    for ref in cells:
        m = CELL_REF.match(str(ref))
        if m:
            by_col[col_index(m.group(1))].add(int(m.group(2)))
    runs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for col in sorted(by_col):
        for r1, r2 in _row_runs(sorted(by_col[col])):
            runs[(r1, r2)].append(col)
    out = []
    for (r1, r2), cols in sorted(runs.items()):
        for c1, c2 in _row_runs(cols):
            first, last = f"{col_letter(c1)}{r1}", f"{col_letter(c2)}{r2}"
            out.append(first if first == last else f"{first}:{last}")
    return out


def _capped_blocks(cells: Mapping[str, Iterable[str]], names: set[str]) -> list[tuple[str, str]]:
    blocks = [(sheet, ref) for sheet in sorted(cells) if sheet in names
              for ref in blocks_of(cells[sheet])]
    return blocks[:MAX_SHADED_BLOCKS]


def shade(book: xw.Book, new: Mapping[str, Iterable[str]],
          old: Mapping[str, Iterable[str]] | None = None) -> int:
    """Fill the ``new`` cells (sheet → A1 cells) light red and take the fill off the ``old``
    ones not in ``new``: one call per contiguous block, at most :data:`MAX_SHADED_BLOCKS`
    each way. Returns the number of ``new`` blocks left unshaded by that cap."""
    names = {s.name for s in book.sheets}
    keep = {s: set(c) for s, c in new.items()}
    gone = {s: set(c) - keep.get(s, set()) for s, c in (old or {}).items()}
    for sheet, ref in _capped_blocks(gone, names):
        book.sheets[sheet].range(ref).color = None
    wanted = sum(len(blocks_of(c)) for s, c in keep.items() if s in names)
    for sheet, ref in _capped_blocks(keep, names):
        book.sheets[sheet].range(ref).color = SHADE_COLOR
    return max(0, wanted - MAX_SHADED_BLOCKS)
