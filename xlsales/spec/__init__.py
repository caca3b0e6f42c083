"""The declarative workbook spec: one place for sheets, tables, columns and KPIs."""

from xlsales.spec.declarations import SPEC
from xlsales.spec.kpi_model import Aggregate, Difference, Growth, Kpi, Product, Ratio, Total
from xlsales.spec.model import (
    LANGS,
    Choice,
    ChoiceSet,
    Column,
    ColumnType,
    Label,
    Lang,
    SettingsList,
    Sheet,
    SheetKind,
    Table,
    WorkbookSpec,
)

__all__ = [
    "LANGS",
    "SPEC",
    "Aggregate",
    "Choice",
    "ChoiceSet",
    "Column",
    "ColumnType",
    "Difference",
    "Growth",
    "Kpi",
    "Label",
    "Lang",
    "Product",
    "Ratio",
    "SettingsList",
    "Sheet",
    "SheetKind",
    "Table",
    "Total",
    "WorkbookSpec",
]
