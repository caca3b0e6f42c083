"""The checks on input cells: a dropdown or a number/date rule with the column's help
as its input message (:func:`_add_validation`), and the red fill on required cells
left empty (:func:`_highlight_missing`).
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from xlsales.build.sheet_context import MAX_DATE, MIN_DATE, _Ctx
from xlsales.spec import Column, ColumnType, Table


def _add_validation(
    ctx: _Ctx, ws: Worksheet, column: Column, r1: int, c1: int, r2: int, c2: int
) -> None:
    """Dropdown or numeric/date rule for an input column, with its help as input message."""
    zh = ctx.lang == "zh"
    rule: dict[str, Any] | None = None
    t = column.type
    if t is ColumnType.CHOICE and column.choices is not None and not column.choices.open:
        rule = {"validate": "list", "source": [ctx.own(c) for c in column.choices.labels(ctx.lang)]}
    elif t is ColumnType.LIST and column.list_source is not None:
        rule = {"validate": "list", "source": "=" + column.list_source.range_name}
    elif t in (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.PERCENT, ColumnType.INTEGER):
        lo = column.min_value if column.min_value is not None else -1e15
        hi = column.max_value if column.max_value is not None else 1e15
        kind = "integer" if t is ColumnType.INTEGER else "decimal"
        rule = {"validate": kind, "criteria": "between", "minimum": lo, "maximum": hi}
        if column.min_value is not None and column.max_value is None:
            rule = {"validate": kind, "criteria": ">=", "value": column.min_value}
    elif t in (ColumnType.DATE, ColumnType.MONTH):
        rule = {"validate": "date", "criteria": "between", "minimum": MIN_DATE, "maximum": MAX_DATE}
    if rule is None and column.help is None:
        return
    rule = rule or {"validate": "any"}
    label = ctx.label(column)
    if column.help:
        rule["input_title"] = label[:32]
        rule["input_message"] = ctx.text(column.help)[:255]
    if rule["validate"] != "any":
        rule["error_title"] = ctx.own("输入无效：" if zh else "Invalid entry: ")[:12] + label[:18]
        rule["error_message"] = ctx.own(_error_message(column, zh))
    ws.data_validation(r1, c1, r2, c2, rule)


def _error_message(column: Column, zh: bool) -> str:
    t = column.type
    if t in (ColumnType.CHOICE, ColumnType.LIST):
        return "请从下拉列表中选择；列表在“设置”表中维护。" if zh else (
            "Pick a value from the dropdown; the lists are kept on the Settings sheet.")
    if t in (ColumnType.DATE, ColumnType.MONTH):
        return "请输入日期，如 2026-11-03。" if zh else "Enter a date, e.g. 2026-11-03."
    if t is ColumnType.PERCENT:
        return "请输入百分比，如 95%。" if zh else "Enter a percentage, e.g. 95%."
    return "请输入不小于 0 的数字。" if zh else "Enter a number of 0 or more."


def _highlight_missing(ctx: _Ctx, ws: Worksheet, table: Table, r1: int, r2: int, c0: int) -> None:
    """Red fill on required cells left empty in rows that hold anything else."""
    inputs = [i for i, c in enumerate(table.columns) if c.is_input]
    span = (f"${xl_col_to_name(c0 + inputs[0])}{r1 + 1}:"
            f"${xl_col_to_name(c0 + inputs[-1])}{r1 + 1}")
    keys = [c.key for c in table.columns]
    for i, column in enumerate(table.columns):
        if column.required and column.is_input:
            cell = xl_rowcol_to_cell(r1, c0 + i)
            due = ""
            if column.required_by_period_end:  # as the validator: due at the period's end
                filled = [f"LEN({xl_rowcol_to_cell(r1, c0 + keys.index(k), col_abs=True)})>0"
                          for k in column.required_with]
                due = f",OR(TODAY()>info_period_end,{','.join(filled)})" if filled \
                    else ",TODAY()>info_period_end"
            ws.conditional_format(r1, c0 + i, r2, c0 + i, {
                "type": "formula",
                "criteria": f"=AND(COUNTA({span})>0,LEN({cell})=0{due})",
                "format": ctx.styles.missing,
            })
