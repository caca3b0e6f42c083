"""Result sheets declared in the spec, as content for :class:`WorkbookPackage`.

The spec declares a result table's columns once (labels, types, widths); this
adapter turns them and a list of rows into the package writer's sheet content.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd

from xlsales.io.package import CellValue, Column, ColumnKind, SheetContent
from xlsales.script_variant import OwnText
from xlsales.spec import Column as SpecColumn
from xlsales.spec import ColumnType, Lang, Sheet, Table
from xlsales.spec.kpi_model import UNIT_TYPES, Unit

KIND_OF_TYPE: dict[ColumnType, ColumnKind] = {
    ColumnType.INTEGER: "integer",
    ColumnType.NUMBER: "number",
    ColumnType.MONEY: "money",
    ColumnType.PERCENT: "percent",
    ColumnType.DATE: "date",
    ColumnType.MONTH: "month",
}
RESULT_TAB_COLOR = "#C00000"


def unit_kind(unit: Unit | None) -> ColumnKind:
    """The kind of a cell holding a value of ``unit`` (the spec's :data:`UNIT_TYPES`):
    money, percent, integer or a number to two decimals; a number of no known unit too."""
    return KIND_OF_TYPE[UNIT_TYPES[unit]] if unit is not None else "number"


def result_sheet(sheet: Sheet, lang: Lang, rows: Sequence[Sequence[CellValue]],
                 title: str | tuple[str, ...] = (), links: Sequence[str] = (),
                 name: str | None = None, table_name: str | None = None,
                 tab_color: str = RESULT_TAB_COLOR,
                 row_kinds: Mapping[str, Sequence[ColumnKind]] | None = None,
                 own: OwnText | None = None,
                 money_unit: str | None = None) -> SheetContent:
    """Sheet content for the spec's ``sheet`` (its first table) in ``lang``; columns
    whose key is in ``links`` hold internal hyperlinks, those in ``row_kinds`` a kind
    per row (values of mixed units), amounts name ``money_unit`` when given (their
    currency). ``name``/``table_name`` override the spec's (for a new version of a
    sheet). ``own`` writes the sheet's name and headers in the book's script
    (:mod:`xlsales.script_variant`; the rows are the caller's), replacing a sheet of the
    spec's name."""
    own = own or OwnText()
    table = sheet.tables[0]
    keys = [c.key for c in table.columns]
    columns = tuple(
        Column(own(c.label.get(lang)), c.width,
               "link" if c.key in links else KIND_OF_TYPE.get(c.type, "text"))
        for c in table.columns
    )
    other = sheet.name.get("en" if lang == "zh" else "zh")
    written, earlier = own.sheet_name(name or sheet.name.get(lang))
    return SheetContent(written, columns, rows, title=title,
                        table_name=table_name or table.name, freeze_header=True,
                        tab_color=tab_color, replaces=earlier + (() if name else (other,)),
                        row_kinds={keys.index(k): v for k, v in (row_kinds or {}).items()},
                        money_unit=money_unit)


def _cell(value: object, column: SpecColumn, lang: Lang) -> CellValue:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if column.type is ColumnType.CHOICE and column.choices is not None:
        key = column.choices.key_of(str(value))
        return column.choices.label(key, lang) if key else str(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()  # type: ignore[no-any-return]
    if isinstance(value, str | int | float | date | datetime):
        return value
    return str(value)


def frame_rows(table: Table, frame: pd.DataFrame, lang: Lang) -> list[list[CellValue]]:
    """Rows of ``frame`` (spec field keys) in the table's column order, choice keys as
    labels of ``lang``, missing values empty."""
    columns = [(c, c.key in frame.columns) for c in table.columns]
    records = frame.to_dict("records")
    return [[_cell(r[c.key], c, lang) if present else None for c, present in columns]
            for r in records]
