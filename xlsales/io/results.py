"""Result sheets declared in the spec, as content for :class:`WorkbookPackage`.

The spec declares a result table's columns once (labels, types, widths); this
adapter turns them and a list of rows into the package writer's sheet content.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsales.io.package import CellValue, Column, ColumnKind, SheetContent
from xlsales.spec import ColumnType, Lang, Sheet

KIND_OF_TYPE: dict[ColumnType, ColumnKind] = {
    ColumnType.INTEGER: "integer",
    ColumnType.NUMBER: "number",
    ColumnType.MONEY: "money",
    ColumnType.PERCENT: "percent",
    ColumnType.DATE: "date",
    ColumnType.MONTH: "date",
}
RESULT_TAB_COLOR = "#C00000"


def result_sheet(sheet: Sheet, lang: Lang, rows: Sequence[Sequence[CellValue]],
                 title: str | tuple[str, ...] = (), links: Sequence[str] = ()) -> SheetContent:
    """Sheet content for the spec's ``sheet`` (its first table) in ``lang``; columns
    whose key is in ``links`` hold internal hyperlinks."""
    table = sheet.tables[0]
    columns = tuple(
        Column(c.label.get(lang), c.width,
               "link" if c.key in links else KIND_OF_TYPE.get(c.type, "text"))
        for c in table.columns
    )
    return SheetContent(sheet.name.get(lang), columns, rows, title=title,
                        table_name=table.name, freeze_header=True, tab_color=RESULT_TAB_COLOR)
