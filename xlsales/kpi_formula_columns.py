"""The columns of the input tables that the workbook's own KPI formulas read.

The KPI sheet's native formulas aggregate some columns of the sales, targets and
activities tables (an amount, a stage, a date), directly or through the tables'
calculated helper columns (a customer's weight reads the customer). A value in a column
no formula reads — a note, an activity's outcome — changes no figure of the KPI sheet,
however it is typed: validation does not warn that the KPI sheet miscounts it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from xlsales.spec import SPEC, ColumnType, WorkbookSpec
from xlsales.spec.kpi_model import Aggregate

#: A formula template's reference to a column of its own table.
_COLUMN_REF = re.compile(r"\{(?:this|col):(\w+)\}")
#: Keys and choices: compared by formulas and groupings, kept counted whatever they hold.
_KEYED = (ColumnType.CHOICE, ColumnType.LIST)


@lru_cache(maxsize=8)
def formula_columns(spec: WorkbookSpec = SPEC) -> dict[str, frozenset[str]]:
    """Table name → the keys of its columns the KPI formulas read: each KPI aggregate's
    field, conditions and date, every column the table's calculated columns refer to,
    and its choice and list columns."""
    read: dict[str, set[str]] = {}
    for kpi in spec.kpis:
        f = kpi.formula
        if isinstance(f, Aggregate):
            keys = read.setdefault(f.table, set())
            keys.update(k for k in (f.field, f.date_field) if k)
            keys.update(key for key, _ in f.where)
    for name, keys in read.items():
        table = spec.table(name)
        for column in table.columns:
            if column.formula:
                keys.update(_COLUMN_REF.findall(column.formula))
            if column.type in _KEYED:
                keys.add(column.key)
        # a calculated column read by a KPI reads its own columns in turn: all taken above
    return {name: frozenset(keys) for name, keys in read.items()}


def read_by_formulas(table: str, column: str, spec: WorkbookSpec = SPEC) -> bool:
    """Whether the KPI formulas read ``column`` of ``table`` (a table they do not read at
    all: no)."""
    return column in formula_columns(spec).get(table, frozenset())
