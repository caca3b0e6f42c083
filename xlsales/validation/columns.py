"""Rules that follow from the spec's column declarations: required, range, lists."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadTable, ReadWorkbook
from xlsales.spec import Column, ColumnType
from xlsales.spec.declarations import REPS

NUMERIC = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)


def _emit(book: ReadWorkbook, table: ReadTable, column: Column, mask: pd.Series, rule: str,
          **fields: object) -> Iterator[Finding]:
    frame = table.frame
    for pos in mask.to_numpy().nonzero()[0]:
        yield finding(rule, sheet=table.sheet, cell=table.cell(column.key, pos),
                      row=table.rows[pos], column=column.key, value=frame[column.key].iat[pos],
                      table=table.spec.name, label=column.label.get(book.lang), **fields)


def column_findings(book: ReadWorkbook, table: ReadTable) -> list[Finding]:
    """Findings of the spec's per-column rules for one table."""
    out: list[Finding] = []
    frame = table.frame
    if frame.empty or table.spec.form_fields:
        return out
    for column in table.spec.columns:
        if not column.is_input or column.key not in table.columns:
            continue
        values = frame[column.key]
        if column.required:
            out += _emit(book, table, column, values.isna() & table.readable(column.key),
                         "required")
        if column.type in NUMERIC:
            numbers = pd.to_numeric(values, errors="coerce")
            if column.min_value is not None:
                out += _emit(book, table, column, numbers < column.min_value, "below_minimum",
                             minimum=column.min_value)
            if column.max_value is not None:
                out += _emit(book, table, column, numbers > column.max_value, "above_maximum",
                             maximum=column.max_value)
        if column.type is ColumnType.LIST and column.list_source is not None:
            allowed = book.lists.get(column.list_source.key, [])
            if not allowed:
                continue
            unknown = values.notna() & ~values.astype(str).isin(allowed)
            rule = "unknown_rep" if column.list_source is REPS else "not_in_list"
            out += _emit(book, table, column, unknown, rule)
    return out
