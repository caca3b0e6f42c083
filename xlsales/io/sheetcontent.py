"""The content of a worksheet xlsales writes: :class:`SheetContent`, its :class:`Column`
definitions and cell values (:data:`CellValue`, :class:`Link`), checked when created
(sheet and table names, tab colour, Excel's limits). A sheet may hold several tables
(:class:`Block`), an editable text (:class:`TextBox`) and native charts (:class:`Chart`);
:func:`placements` says on which rows each lands."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from xlsales.errors import WorkbookError
from xlsales.io.cellxml import CELL_REF, MAX_COLS, MAX_ROWS, col_index
from xlsales.io.xmltext import ILLEGAL_XML

ColumnKind = Literal["text", "number", "integer", "money", "percent", "date", "month",
                     "datetime", "link"]
COLUMN_KINDS: tuple[str, ...] = (
    "text", "number", "integer", "money", "percent", "date", "month", "datetime", "link",
)
#: The number format of each kind of column that has one (``text`` and ``link``: General).
KIND_FORMATS: dict[str, str] = {
    "number": "#,##0.00", "integer": "#,##0", "money": "#,##0.00", "percent": "0.00%",
    "date": "yyyy-mm-dd", "month": "yyyy-mm", "datetime": "yyyy-mm-dd hh:mm",
}


def money_format(unit: str | None) -> str:
    """The number format of an amount: ``#,##0.00``, then its currency ``unit`` when one
    is given (``#,##0.00 "SGD"``, ``#,##0.00 "元"``): the cell stays a number, and says
    what it counts."""
    text = (unit or "").replace('"', "").strip()
    return f'{KIND_FORMATS["money"]} "{text}"' if text else KIND_FORMATS["money"]


def number_format(kind: str, money_unit: str | None = None) -> str | None:
    """The number format of a cell of ``kind`` (:data:`KIND_FORMATS`), an amount's
    naming ``money_unit`` (:func:`money_format`); None for a kind without one."""
    return money_format(money_unit) if kind == "money" else KIND_FORMATS.get(kind)


@dataclass(frozen=True)
class Link:
    """A cell showing ``text`` that jumps to ``target``, an internal location such as
    ``'销售记录'!C12`` (a leading ``#`` is accepted and dropped)."""

    text: str
    target: str

    def __post_init__(self) -> None:
        target = self.target[1:] if self.target.startswith("#") else self.target
        if "://" in target or target.lower().startswith("mailto:") or not target:
            raise ValueError(f"Link target must be an internal location like "
                             f"\"'Sheet'!A1\", not {self.target!r}")
        object.__setattr__(self, "target", target)


CellValue = str | int | float | date | datetime | Link | None


def cell_location(sheet: str, cell: str) -> str:
    """The internal location of ``cell`` on ``sheet`` as a link or formula names it:
    ``'销售记录'!C12``, an apostrophe in the name doubled (``'Alice''s sales'!C12``)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


@dataclass(frozen=True)
class Column:
    """A column of a :class:`SheetContent`: header text, width (characters) and kind.

    The kind chooses the number format of numbers and dates in the column
    (:data:`KIND_FORMATS`): ``money`` and ``number`` ``#,##0.00``, ``percent`` ``0.00%``,
    ``integer`` ``#,##0``, ``date`` ``yyyy-mm-dd``, ``month`` ``yyyy-mm``, ``datetime``
    ``yyyy-mm-dd hh:mm``; ``text`` and ``link`` use General.
    """

    header: str
    width: float | None = None
    kind: ColumnKind = "text"

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}; use one of {COLUMN_KINDS}")
        if self.width is not None and not 0 < self.width <= 255:
            raise ValueError(f"Column width must be in (0, 255], got {self.width}")


@dataclass(frozen=True)
class SheetContent:
    """A worksheet xlsales writes: optional title lines, a header row and data rows.

    ``rows`` hold ``str``, ``int``, ``float``, ``date``, ``datetime``, :class:`Link` or
    ``None`` (empty cell); text is always stored as text (``"=1+1"`` is not a formula).
    With ``table_name`` the header and rows form an Excel Table with an autofilter.

    ``blocks`` follow below, one blank row apart (without ``columns`` the title lines head
    the sheet and the blocks are its whole content); ``charts`` float over the sheet and
    refer to the blocks by their index in :attr:`parts`. The header is frozen only on a
    sheet of one table.
    """

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[CellValue]] = ()
    title: str | tuple[str, ...] = ()
    table_name: str | None = None
    freeze_header: bool = True
    tab_color: str | None = None
    blocks: tuple[Block | TextBox, ...] = ()
    charts: tuple[Chart, ...] = ()
    #: Other names an earlier version of this sheet may have (its name in the other
    #: language): such a sheet is replaced, and takes ``name``, as one named ``name`` is.
    replaces: tuple[str, ...] = ()
    #: A kind per row of some columns of the sheet's own table, as :attr:`Block.row_kinds`.
    row_kinds: Mapping[int, Sequence[ColumnKind]] = field(default_factory=dict)
    #: The currency the sheet's amounts (``money`` cells) are in, shown after each of
    #: them by their number format (:func:`money_format`); None: a bare number.
    money_unit: str | None = None
    #: Added as a hidden sheet (bookkeeping xlsales reads back; Home > Format > Unhide
    #: shows it). A sheet it replaces keeps its own visibility.
    hidden: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        title = (self.title,) if isinstance(self.title, str) else tuple(self.title)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(self, "charts", tuple(self.charts))
        _check_sheet_name(self.name)
        if self.tab_color is not None:
            object.__setattr__(self, "tab_color", _argb(self.tab_color))
        if not self.columns and not self.blocks:
            raise ValueError("SheetContent needs at least one column")
        if self.columns:
            _check_table(self.columns, self.rows, self.table_name)
        elif self.table_name is not None or self.rows:
            raise ValueError("Rows and a table name need columns")
        names = [b.table_name.casefold() for b in self.parts
                 if isinstance(b, Block) and b.table_name]
        if len(names) != len(set(names)):
            raise ValueError("Table names on one sheet must differ")
        placed = placements(self)
        if placed and placed[-1].last > MAX_ROWS:
            raise WorkbookError(f"工作表 “{self.name}” 的行数超过 Excel 上限 {MAX_ROWS:,}。",
                                f"Sheet '{self.name}' has more rows than Excel allows "
                                f"({MAX_ROWS:,}).")
        for chart in self.charts:
            part = self.parts[chart.block] if 0 <= chart.block < len(self.parts) else None
            if not isinstance(part, Block) or not all(
                    0 <= j < len(part.columns)
                    for j in (chart.categories, *chart.values, *chart.lines)):
                raise ValueError(f"Chart {chart.title!r} refers to columns of no table block")

    @property
    def header_row(self) -> int:
        """1-based row number of the header row."""
        return len(self.title) + 1 + (1 if self.title else 0)

    @property
    def parts(self) -> tuple[Block | TextBox, ...]:
        """The sheet's blocks top to bottom: its own table (when it has columns), then
        :attr:`blocks`."""
        if not self.columns:
            return self.blocks
        own = Block(self.columns, self.rows, self.title, self.table_name, self.row_kinds)
        return (own, *self.blocks)


@dataclass(frozen=True)
class Block:
    """A table among several on one sheet (:attr:`SheetContent.blocks`), laid out as a
    sheet of one table is: title lines, a blank row, the header and the rows; an Excel
    Table with ``table_name``. ``row_kinds[j]`` gives column ``j`` a kind per row (a column
    of mixed units, such as KPI values)."""

    columns: tuple[Column, ...]
    rows: Sequence[Sequence[CellValue]] = ()
    title: str | tuple[str, ...] = ()
    table_name: str | None = None
    row_kinds: Mapping[int, Sequence[ColumnKind]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        title = (self.title,) if isinstance(self.title, str) else tuple(self.title)
        object.__setattr__(self, "title", title)
        if not self.columns:
            raise ValueError("A block needs at least one column")
        _check_table(self.columns, self.rows, self.table_name)
        for j, kinds in self.row_kinds.items():
            bad = set(kinds) - set(COLUMN_KINDS)
            if not 0 <= j < len(self.columns) or bad:
                raise ValueError(f"Bad row kinds for column {j}: {sorted(bad)}")

    def kind(self, row: int, col: int) -> str:
        """Kind of the cell in data row ``row`` (0-based) of column ``col``."""
        kinds = self.row_kinds.get(col)
        if kinds is not None and row < len(kinds):
            return kinds[row]
        return self.columns[col].kind


@dataclass(frozen=True)
class TextBox:
    """Text for people to read and edit: an optional bold ``heading`` line, then ``text``
    in one cell merged over ``width`` columns and ``height`` rows, wrapped."""

    text: str
    heading: str = ""
    width: int = 8
    height: int = 8

    def __post_init__(self) -> None:
        if not (1 <= self.width <= MAX_COLS and 1 <= self.height <= 10_000):
            raise ValueError("A text box spans 1 to 16384 columns and 1 to 10000 rows")


ChartKind = Literal["column", "stacked_column", "bar"]
CHART_KINDS: tuple[str, ...] = ("column", "stacked_column", "bar")


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of block ``block`` (an index into :attr:`SheetContent.parts`):
    the categories are column ``categories``, one series per column in ``values`` (named
    by its header) and in ``lines`` (drawn as lines over the columns of a column chart).
    ``column`` is clustered, ``stacked_column`` stacked, ``bar`` horizontal with the first
    row on top. Its top-left corner is at cell ``anchor``; ``size`` is (columns, rows).
    """

    kind: ChartKind
    title: str
    block: int
    categories: int
    values: tuple[int, ...]
    lines: tuple[int, ...] = ()
    anchor: str = "A1"
    size: tuple[int, int] = (8, 15)
    value_format: str = "#,##0"
    category_format: str | None = None
    labels: bool = False  # show the values on the bars

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"Unknown chart kind {self.kind!r}; use one of {CHART_KINDS}")
        if self.lines and self.kind != "column":
            raise ValueError("Lines go over a clustered column chart only")
        if not self.values and not self.lines:
            raise ValueError("A chart needs at least one series")
        if not CELL_REF.match(self.anchor) or min(self.size) < 1:
            raise ValueError(f"Bad chart anchor {self.anchor!r} or size {self.size}")

    @property
    def cell(self) -> tuple[int, int]:
        """0-based (column, row) of the top-left corner."""
        m = CELL_REF.match(self.anchor)
        assert m is not None
        return col_index(m.group(1)) - 1, int(m.group(2)) - 1


@dataclass(frozen=True)
class Placed:
    """Where a block lands: its first row (``top``), its header row (a text box: the row
    of its text) and its last row, 1-based."""

    part: Block | TextBox
    top: int
    header: int
    last: int


def placements(content: SheetContent) -> list[Placed]:
    """The rows of each of ``content.parts``, top to bottom, one blank row apart (as the
    xlwings adapter lays blocks out too)."""
    out: list[Placed] = []
    top = 1 if content.columns or not content.title else len(content.title) + 2
    for part in content.parts:
        if isinstance(part, TextBox):
            header = top + (1 if part.heading else 0)
            last = header + part.height - 1
        else:
            title = len(part.title)
            header = top + title + (1 if title else 0)
            last = header + max(len(part.rows), 1 if part.table_name else 0)
        out.append(Placed(part, top, header, last))
        top = last + 2
    return out


def _check_table(columns: tuple[Column, ...], rows: Sequence[Sequence[CellValue]],
                 table_name: str | None) -> None:
    if table_name is not None:
        _check_table_name(table_name)
    if len(columns) > MAX_COLS:
        raise ValueError(f"At most {MAX_COLS} columns")
    width = len(columns)
    for i, row in enumerate(rows):
        if len(row) > width:
            raise ValueError(f"Row {i} has {len(row)} values for {width} columns")


def _check_sheet_name(name: str) -> None:
    bad = sorted(set(name) & set("[]:*?/\\"))
    problem = None
    if not name or len(name) > 31:
        problem = ("长度须为 1–31 个字符", "it must be 1 to 31 characters long")
    elif bad:
        chars = " ".join(bad)
        problem = (f"不能包含 {chars}", f"it must not contain {chars}")
    elif name.startswith("'") or name.endswith("'"):
        problem = ("不能以单引号开头或结尾", "it must not start or end with an apostrophe")
    elif name.casefold() == "history":
        problem = ("“History” 是 Excel 的保留名称", "'History' is reserved by Excel")
    elif ILLEGAL_XML.search(name) or any(c in name for c in "\t\n\r"):
        problem = ("不能包含控制字符", "it must not contain control characters")
    if problem:
        raise WorkbookError(f"工作表名称 “{name}” 无效：{problem[0]}。",
                            f"Invalid sheet name '{name}': {problem[1]}.")


_CELL_LIKE = re.compile(r"^(?:[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[Rr]|[Cc])$")


def _check_table_name(name: str) -> None:
    ok = (0 < len(name) <= 255
          and (name[0].isalpha() or name[0] in "_\\")
          and all(c.isalnum() or c in "_.\\" for c in name)
          and not _CELL_LIKE.match(name))
    if not ok:
        raise WorkbookError(
            f"表格名称 “{name}” 无效：须以字母或下划线开头，只含字母、数字、下划线和句点，"
            "且不能像单元格地址（如 A1、R1C1）。",
            f"Invalid table name '{name}': it must start with a letter or underscore, "
            "contain only letters, digits, underscores and periods, and not look like a "
            "cell reference (A1, R1C1).")


def _argb(color: str) -> str:
    value = color.lstrip("#").upper()
    if re.fullmatch(r"[0-9A-F]{6}", value):
        return "FF" + value
    if re.fullmatch(r"[0-9A-F]{8}", value):
        return value
    raise WorkbookError(f"无效的颜色 “{color}”：请写成 #RRGGBB。",
                        f"Invalid colour '{color}': write it as #RRGGBB.")
