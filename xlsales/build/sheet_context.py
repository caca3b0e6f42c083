"""What every sheet writer of the template builder shares: the sheets' layout
(title, help and header rows, the last row checks reach, tab colours), cell
references across sheets, and :class:`_Ctx` (the workbook, spec, language and
formats being written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from xlsales.build.styles import Styles
from xlsales.script_variant import OwnText
from xlsales.spec import Column, Label, Lang, Sheet, SheetKind, Table, WorkbookSpec

TITLE_ROW, HELP_ROW, HEADER_ROW = 0, 1, 3
#: Dropdowns and required-cell checks run to the last row of the sheet, so rows typed,
#: pasted or imported below the table are covered however many there are.
LAST_ROW = 1_048_575  # 0-based index of Excel's last row
LIST_CAPACITY = 2000
MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)
TAB_COLORS = {
    SheetKind.INSTRUCTIONS: "#7F7F7F",
    SheetKind.INPUT: "#2F5597",
    SheetKind.CALCULATED: "#548235",
    SheetKind.SETTINGS: "#A5A5A5",
    SheetKind.PLAN: "#C55A11",
    SheetKind.RESULT: "#C00000",
}
_AS_SPEC = OwnText()  # the spec's text as it is (Simplified, or English)
PROTECTION = {  # what users may still do on a protected calculated sheet
    "format_columns": True, "format_rows": True, "sort": True, "autofilter": True,
    "select_locked_cells": True, "select_unlocked_cells": True,
}


def quote_sheet(name: str) -> str:
    """Sheet name as used in a cell reference: ``'基础信息'``."""
    return "'" + name.replace("'", "''") + "'"


def abs_ref(sheet: str, row: int, col: int) -> str:
    return f"{quote_sheet(sheet)}!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"


@dataclass
class _Ctx:
    """Everything a sheet writer needs: workbook, spec, language, formats."""

    wb: xlsxwriter.Workbook
    spec: WorkbookSpec
    lang: Lang
    styles: Styles
    #: xlsales' own text in the workbook's script (:attr:`BuildOptions.script`); the
    #: user's data is written as it is.
    own: OwnText = _AS_SPEC
    money: str | None = None  # the currency amounts show (TWD); None: the yuan's format

    def name(self, sheet: Sheet) -> str:
        return self.own(sheet.name.get(self.lang))

    def label(self, column: Column) -> str:
        return self.own(column.label.get(self.lang))

    def text(self, label: Label) -> str:
        """A spec text (help, definition, unit) in the workbook's language and script."""
        return self.own(label.get(self.lang))

    def header_format(self, column: Column) -> Any:
        """Underlined header for required input columns."""
        required = column.required and column.is_input
        return self.styles.header_required if required else self.styles.header

    def headers(self, table: Table) -> list[dict[str, Any]]:
        """Column options of a table written cell by cell (form and KPI tables)."""
        return [{"header": self.label(c), "header_format": self.styles.header}
                for c in table.columns]
