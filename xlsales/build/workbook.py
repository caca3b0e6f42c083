"""Build a workbook from the spec with XlsxWriter.

The builder reads only the spec (:data:`xlsales.spec.SPEC`), the build options
and, optionally, data to fill in. It produces Excel Tables with stable names,
dropdowns fed by the settings sheet, numeric/date validation, required-cell
highlighting, frozen headers, number formats, print setup and a protected KPI
sheet whose native formulas work without Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from xlsales import __version__
from xlsales.build import formulas
from xlsales.build.instructions import instruction_lines
from xlsales.build.styles import TABLE_STYLE, Styles
from xlsales.build.xlsx import Workbook
from xlsales.kpi_labels import kpi_label, unit_label
from xlsales.money_text import shown_unit
from xlsales.periods import PeriodType
from xlsales.script_variant import OwnText
from xlsales.spec import (
    SPEC,
    Column,
    ColumnType,
    Label,
    Lang,
    Sheet,
    SheetKind,
    Table,
    WorkbookSpec,
)
from xlsales.spec.declarations import (
    CALCULATED_AS_VALUES,
    DIRECTION_LABELS,
    WINDOW_LABELS,
)
from xlsales.spec.playbook import playbook_frame
from xlsales.values import is_blank
from xlsales.workbook_data import BuildOptions, WorkbookData, default_info, default_lists

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


def build_workbook(
    target: str | Path | IO[bytes],
    options: BuildOptions,
    data: WorkbookData | None = None,
    spec: WorkbookSpec = SPEC,
    finish: Callable[[xlsxwriter.Workbook, dict[str, Worksheet]], None] | None = None,
) -> None:
    """Write a workbook for ``options`` to ``target``, filled with ``data`` if given.

    Plan sheets are written only when ``data`` holds their tables. ``finish`` gets the
    workbook and its sheets by spec key before it is closed (the ``.xlsm`` build adds its
    buttons and VBA project there: :func:`xlsales.build.macros.macro_finish`).
    """
    data = data or WorkbookData()
    lang = options.lang
    wb = Workbook(
        str(target) if isinstance(target, Path) else target,
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    info = {**default_info(options), **data.info}
    money = shown_unit(info.get("currency"), lang)  # none given: the template's CNY
    ctx = _Ctx(wb, spec, lang, Styles.create(wb, lang, money),
               OwnText(options.script if lang == "zh" else None), money)
    created = options.created or datetime.now().replace(microsecond=0)
    wb.set_properties({
        "title": "xlsales " + ctx.name(spec.sheet("info")),
        "author": "xlsales", "company": "", "created": created,
        "comments": f"xlsales {__version__}",
    })
    wb.set_custom_property("xlsales_version", __version__)
    wb.set_custom_property("xlsales_lang", lang)

    # the spec's default entries are xlsales' text, the lists the team kept are theirs
    lists = {**{k: [ctx.own(v, keep=[options.owner]) for v in values]  # the owner as typed
                for k, values in default_lists(options).items()}, **data.lists}
    worksheets: dict[str, Worksheet] = {}
    for sheet in spec.sheets:
        if not sheet.in_every_workbook and not any(t.name in data.tables for t in sheet.tables):
            continue  # written only when there is something to put in it
        ws = wb.add_worksheet(ctx.name(sheet))
        worksheets[sheet.key] = ws
        ws.set_tab_color(TAB_COLORS[sheet.kind])
        if sheet.kind is SheetKind.INSTRUCTIONS:
            ws.hide_gridlines(2)
            _write_instructions(ctx, ws, options)
            continue
        _write_title(ctx, ws, sheet)
        if sheet.kind is SheetKind.CALCULATED:
            _write_kpi_sheet(ctx, ws, sheet,
                             options.period.type if options.period is not None else None)
        elif sheet.kind is SheetKind.SETTINGS:
            _write_settings(ctx, ws, sheet, lists, data)
        elif sheet.tables[0].form_fields:
            _write_form(ctx, ws, sheet, sheet.tables[0], info, "info")
        else:
            table = sheet.tables[0]
            as_values = table.name in data.calculated_values
            if as_values:
                ws.write_string(HELP_ROW + 1, 0, ctx.text(CALCULATED_AS_VALUES), ctx.styles.help)
            _write_data_table(ctx, ws, sheet, table, data.tables.get(table.name), HEADER_ROW, 0,
                              calculated_as_values=as_values)
            ws.freeze_panes(HEADER_ROW + 1, 0)
        _setup_print(ctx, ws)
    if finish is not None:
        finish(wb, worksheets)
    wb.close()


# --- sheet writers ----------------------------------------------------------------------


def _write_title(ctx: _Ctx, ws: Worksheet, sheet: Sheet) -> None:
    ws.write_string(TITLE_ROW, 0, ctx.name(sheet), ctx.styles.title)
    if sheet.help:
        ws.write_string(HELP_ROW, 0, ctx.text(sheet.help), ctx.styles.help)


def _write_instructions(ctx: _Ctx, ws: Worksheet, options: BuildOptions) -> None:
    ws.set_column(0, 0, 110, ctx.styles.wrap)
    for row, (kind, text) in enumerate(instruction_lines(ctx.spec, options)):
        ws.write_string(row, 0, ctx.own(text),
                        ctx.styles.title if kind == "title" else ctx.styles.wrap)


def _setup_print(ctx: _Ctx, ws: Worksheet) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(HEADER_ROW)
    page = "第 &P 页，共 &N 页" if ctx.lang == "zh" else "Page &P of &N"
    ws.set_header("&L&A&R&D")
    ws.set_footer(f"&C{ctx.own(page)}")


def _column_options(ctx: _Ctx, table: Table, column: Column,
                    with_formula: bool = True) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "header": ctx.label(column),
        "header_format": ctx.header_format(column),
        "format": ctx.styles.for_type(column.type),
    }
    if column.formula and with_formula:
        opts["formula"] = ctx.own(formulas.render(column.formula, table, ctx.spec, ctx.lang))
    return opts


def _write_data_table(
    ctx: _Ctx,
    ws: Worksheet,
    sheet: Sheet,
    table: Table,
    frame: pd.DataFrame | None,
    first_row: int,
    first_col: int,
    checks: bool = True,
    calculated_as_values: bool = False,
) -> tuple[int, int]:
    """Write ``table`` with its data at (``first_row``, ``first_col``); return
    (first data row, number of data rows). Custom columns of ``frame`` follow the
    spec's columns; its calculated columns are formulas, or the values ``frame``
    holds when ``calculated_as_values``."""
    frame = frame if frame is not None else pd.DataFrame(columns=table.keys)
    custom = [c for c in frame.columns if c not in table.keys]
    columns = list(table.columns) + [Column(str(c), Label(str(c), str(c))) for c in custom]
    n = max(len(frame), 1)
    data_row = first_row + 1
    last_col = first_col + len(columns) - 1
    ws.add_table(first_row, first_col, first_row + n, last_col, {
        "name": table.name,
        "style": TABLE_STYLE,
        "columns": [_column_options(ctx, table, c, not calculated_as_values) for c in columns],
    })
    for i, column in enumerate(columns):
        col = first_col + i
        fmt = ctx.styles.for_type(column.type)
        ws.set_column(col, col, ctx.styles.width(column.type, column.width), fmt)
        if (column.is_input or calculated_as_values) and column.key in frame.columns:
            _write_values(ctx, ws, data_row, col, column, frame[column.key].tolist())
        if checks and column.is_input:
            _add_validation(ctx, ws, column, data_row, col, LAST_ROW, col)
    if checks:
        _highlight_missing(ctx, ws, table, data_row, LAST_ROW, first_col)
    return data_row, n



def _write_values(
    ctx: _Ctx, ws: Worksheet, first_row: int, col: int, column: Column, values: Sequence[object]
) -> None:
    """Write one column of values, typed per the spec (choice keys become labels)."""
    fmt = ctx.styles.for_type(column.type)
    for r, value in enumerate(values, start=first_row):
        _write_cell(ctx, ws, r, col, column, value, fmt)


def _write_cell(
    ctx: _Ctx, ws: Worksheet, row: int, col: int, column: Column, value: object, fmt: Any
) -> None:
    if is_blank(value):
        return
    t = column.type
    if t in (ColumnType.DATE, ColumnType.MONTH) and isinstance(value, date | datetime):
        ws.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), fmt)
    elif t is ColumnType.CHOICE and column.choices is not None:
        key = column.choices.key_of(str(value))
        text = ctx.own(column.choices.label(key, ctx.lang)) if key else str(value)
        ws.write_string(row, col, text, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)  # never a formula, even when it starts with =


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


def _write_form(
    ctx: _Ctx,
    ws: Worksheet,
    sheet: Sheet,
    table: Table,
    values: dict[str, object],
    prefix: str,
    first_col: int = 0,
) -> None:
    """A key/item/value/note table with one row per declared field; each value cell
    gets a defined name ``{prefix}_{key}`` and its own validation."""
    fields = table.form_fields
    values = {**{f.key: f.default for f in fields if f.default is not None}, **values}
    data_row = HEADER_ROW + 1
    ws.add_table(HEADER_ROW, first_col, HEADER_ROW + len(fields), first_col + 3, {
        "name": table.name, "style": TABLE_STYLE,
        "columns": ctx.headers(table),
    })
    for i, c in enumerate(table.columns):
        ws.set_column(first_col + i, first_col + i, c.width, ctx.styles.text)
    value_col = first_col + 2
    for r, field in enumerate(fields, start=data_row):
        ws.write_string(r, first_col, field.key, ctx.styles.key)
        ws.write_string(r, first_col + 1, ctx.label(field), ctx.styles.text)
        if field.help:
            ws.write_string(r, first_col + 3, ctx.text(field.help), ctx.styles.help)
        fmt = ctx.styles.for_type(field.type)
        if field.formula:
            ws.write_formula(r, value_col,
                             ctx.own(formulas.render(field.formula, None, ctx.spec, ctx.lang)), fmt)
        else:
            _write_cell(ctx, ws, r, value_col, field, values.get(field.key), fmt)
            if is_blank(values.get(field.key)):
                ws.write_blank(r, value_col, None, fmt)
            _add_validation(ctx, ws, field, r, value_col, r, value_col)
        if field.required:
            cell = xl_rowcol_to_cell(r, value_col)
            ws.conditional_format(r, value_col, r, value_col, {
                "type": "formula", "criteria": f"=LEN({cell})=0", "format": ctx.styles.missing,
            })
        ctx.wb.define_name(f"{prefix}_{field.key}", "=" + abs_ref(ctx.name(sheet), r, value_col))
    ws.freeze_panes(data_row, 0)


def _write_settings(
    ctx: _Ctx, ws: Worksheet, sheet: Sheet, lists: dict[str, list[str]], data: WorkbookData
) -> None:
    """Lists side by side (so each can grow downwards), then assumptions, caps, custom fields."""
    name = ctx.name(sheet)
    col = 0
    for settings_list in ctx.spec.lists:
        table = ctx.spec.table(settings_list.table_name)
        frame = data.tables.get(table.name)
        if frame is None:
            frame = pd.DataFrame({"value": lists.get(settings_list.key, [])})
        data_row, _ = _write_data_table(ctx, ws, sheet, table, frame, HEADER_ROW, col,
                                        checks=bool(settings_list.extra))
        first = abs_ref(name, data_row, col)
        block = f"{first}:{xl_rowcol_to_cell(data_row + LIST_CAPACITY, col, True, True)}"
        ctx.wb.define_name(settings_list.range_name,
                           f"=OFFSET({first},0,0,MAX(1,COUNTA({block})),1)")
        col += len(table.columns) + 1
    assumptions = ctx.spec.table("Assumptions")
    _write_form(ctx, ws, sheet, assumptions, data.assumptions or {}, "assume", first_col=col)
    col += len(assumptions.columns) + 1
    caps = ctx.spec.table("BudgetCaps")
    frame = data.budget_caps
    if frame is None:
        frame = pd.DataFrame({"category": lists.get("budget_category", [])})
    _write_data_table(ctx, ws, sheet, caps, frame, HEADER_ROW, col)
    col += len(caps.columns) + 1
    custom = ctx.spec.table("CustomFields")
    _write_data_table(ctx, ws, sheet, custom, data.tables.get("CustomFields"), HEADER_ROW, col)
    col += len(custom.columns) + 1
    playbook = data.tables.get("Playbook")
    _write_data_table(ctx, ws, sheet, ctx.spec.table("Playbook"),
                      playbook if playbook is not None
                      else playbook_frame(ctx.lang).map(ctx.own.cell),
                      HEADER_ROW, col)
    ws.freeze_panes(HEADER_ROW + 1, 0)


def _write_kpi_sheet(ctx: _Ctx, ws: Worksheet, sheet: Sheet,
                     period_type: PeriodType | None) -> None:
    """Reporting windows and the KPI table, all native formulas; protected, no password.
    A KPI a year names otherwise (growth on the previous period: on last year) is named
    as a book of ``period_type`` calls it."""
    name = ctx.name(sheet)
    s = ctx.styles
    ws.write_formula(HELP_ROW + 1, 0, _owner_and_period_formula(ctx.lang), s.help)
    windows, kpis = ctx.spec.table("KpiPeriods"), ctx.spec.table("KPIs")
    ws.add_table(HEADER_ROW, 0, HEADER_ROW + len(WINDOW_LABELS), 2, {
        "name": windows.name, "style": TABLE_STYLE,
        "columns": ctx.headers(windows),
    })
    cur_start, cur_end = "kpi_current_start", "kpi_current_end"
    months = f"((YEAR({cur_end})*12+MONTH({cur_end}))-(YEAR({cur_start})*12+MONTH({cur_start}))+1)"
    window_formulas = {
        "current": ('=IF(info_period_start="","",info_period_start)', "=info_period_end"),
        "previous": (f'=IF({cur_start}="","",EDATE({cur_start},-{months}))',
                     f'=IF({cur_start}="","",{cur_start}-1)'),
        "year_ago": (f'=IF({cur_start}="","",EDATE({cur_start},-12))',
                     f'=IF({cur_start}="","",EDATE({cur_end}+1,-12)-1)'),
        "to_date": (f'=IF({cur_start}="","",DATE(1901,1,1))', f"={cur_end}"),
    }
    for r, (window, label) in enumerate(WINDOW_LABELS.items(), start=HEADER_ROW + 1):
        ws.write_string(r, 0, ctx.text(label), s.text)
        for c, edge in enumerate(("start", "end"), 1):
            since_first = window == "to_date" and edge == "start"  # no date to show
            ws.write_formula(r, c, window_formulas[window][c - 1],
                             s.since_first if since_first else s.date)
            ctx.wb.define_name(formulas.window_name(window, edge), "=" + abs_ref(name, r, c))

    header = HEADER_ROW + len(WINDOW_LABELS) + 2
    first = header + 1
    rows = {k.key: first + i for i, k in enumerate(ctx.spec.kpis)}
    ws.add_table(header, 0, header + len(ctx.spec.kpis), len(kpis.columns) - 1, {
        "name": kpis.name, "style": TABLE_STYLE,
        "columns": ctx.headers(kpis),
    })

    def cell_of(key: str) -> str:
        return xl_rowcol_to_cell(rows[key], 2, row_abs=True, col_abs=True)

    for kpi in ctx.spec.kpis:
        r = rows[kpi.key]
        ws.write_string(r, 0, kpi.key, s.key)
        ws.write_string(r, 1, ctx.own(kpi_label(kpi, ctx.lang, period_type)), s.text)
        # its choice literals (``"赢单"``) as the dropdowns now offer them (``"贏單"``)
        ws.write_formula(r, 2, ctx.own(formulas.kpi_formula(kpi, cell_of, ctx.spec, ctx.lang)),
                         s.for_unit(kpi.unit))
        ws.write_string(r, 3, ctx.own(unit_label(kpi, ctx.lang, ctx.money)), s.text)
        ws.write_string(r, 4, ctx.text(kpi.definition), s.wrap)
        ws.write_string(r, 5, ctx.text(DIRECTION_LABELS[kpi.direction]), s.text)
        ctx.wb.define_name(f"kpi_{kpi.key}", "=" + abs_ref(name, r, 2))
    for i, c in enumerate(kpis.columns):
        width = s.width(ColumnType.MONEY, c.width) if c.key == "value" else c.width  # amounts too
        ws.set_column(i, i, width, s.wrap if c.key == "definition" else None)
    ws.freeze_panes(first, 0)
    ws.protect("", PROTECTION)


def _owner_and_period_formula(lang: Lang) -> str:
    sep = "　" if lang == "zh" else " · "
    return (f'=info_owner&"{sep}"&IF(info_period_start="","",TEXT(info_period_start,"yyyy-mm-dd")'
            f'&" ~ "&TEXT(info_period_end,"yyyy-mm-dd"))')
