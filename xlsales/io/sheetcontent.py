"""The content of a worksheet xlsales writes: :class:`SheetContent`, its :class:`Column`
definitions and cell values (:data:`CellValue`, :class:`Link`), checked when created
(sheet and table names, tab colour, Excel's limits)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from xlsales.errors import WorkbookError
from xlsales.io.cellxml import MAX_COLS, MAX_ROWS
from xlsales.io.xmltext import ILLEGAL_XML

ColumnKind = Literal["text", "number", "integer", "money", "percent", "date", "datetime", "link"]
COLUMN_KINDS: tuple[str, ...] = (
    "text", "number", "integer", "money", "percent", "date", "datetime", "link",
)


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


@dataclass(frozen=True)
class Column:
    """A column of a :class:`SheetContent`: header text, width (characters) and kind.

    The kind chooses the number format of numbers and dates in the column: ``money``
    ``#,##0.00``, ``percent`` ``0.00%``, ``integer`` ``#,##0``, ``date`` ``yyyy-mm-dd``,
    ``datetime`` ``yyyy-mm-dd hh:mm``; ``text``, ``number`` and ``link`` use General.
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
    """

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[CellValue]] = ()
    title: str | tuple[str, ...] = ()
    table_name: str | None = None
    freeze_header: bool = True
    tab_color: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        title = (self.title,) if isinstance(self.title, str) else tuple(self.title)
        object.__setattr__(self, "title", title)
        _check_sheet_name(self.name)
        if self.table_name is not None:
            _check_table_name(self.table_name)
        if self.tab_color is not None:
            object.__setattr__(self, "tab_color", _argb(self.tab_color))
        if not self.columns:
            raise ValueError("SheetContent needs at least one column")
        if len(self.columns) > MAX_COLS:
            raise ValueError(f"At most {MAX_COLS} columns")
        if len(title) + 2 + len(self.rows) > MAX_ROWS:
            raise WorkbookError(f"工作表 “{self.name}” 的行数超过 Excel 上限 {MAX_ROWS:,}。",
                                f"Sheet '{self.name}' has more rows than Excel allows "
                                f"({MAX_ROWS:,}).")
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) > width:
                raise ValueError(f"Row {i} has {len(row)} values for {width} columns")

    @property
    def header_row(self) -> int:
        """1-based row number of the header row."""
        return len(self.title) + 1 + (1 if self.title else 0)


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
