"""Build a workbook from the spec with XlsxWriter.

The builder reads only the spec (:data:`xlsales.spec.SPEC`), the build options
and, optionally, data to fill in. It produces Excel Tables with stable names,
dropdowns fed by the settings sheet, numeric/date validation, required-cell
highlighting, frozen headers, number formats, print setup and a protected KPI
sheet whose native formulas work without Python.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from xlsales import __version__
from xlsales.build import formulas
from xlsales.build.input_checks import _add_validation, _highlight_missing
from xlsales.build.instructions import instruction_lines
from xlsales.build.kpi_sheet import _write_kpi_sheet
from xlsales.build.rep_dropdown import dropdown_formula, leavers_first
from xlsales.build.sheet_context import (
    HEADER_ROW,
    HELP_ROW,
    LAST_ROW,
    LIST_CAPACITY,
    TAB_COLORS,
    TITLE_ROW,
    _Ctx,
    abs_ref,
)
from xlsales.build.styles import TABLE_STYLE, Styles
from xlsales.build.xlsx import Workbook
from xlsales.money_text import shown_unit
from xlsales.script_variant import OwnText
from xlsales.spec import (
    SPEC,
    Column,
    ColumnType,
    Label,
    Sheet,
    SheetKind,
    Table,
    WorkbookSpec,
)
from xlsales.spec.declarations import CALCULATED_AS_VALUES
from xlsales.spec.playbook import playbook_frame
from xlsales.text_width import display_width
from xlsales.values import is_blank
from xlsales.workbook_data import BuildOptions, WorkbookData, default_info, default_lists


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
                for k, values in default_lists(options, spec).items()}, **data.lists}
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
            _write_settings(ctx, ws, sheet, lists, data,
                            options.period.start if options.period is not None else None)
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
    ws.set_column(0, 0, _INSTRUCTION_WIDTH, ctx.styles.wrap)
    ws.set_paper(9)  # A4, one page wide
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    for row, (kind, text) in enumerate(instruction_lines(ctx.spec, options)):
        ws.write_string(row, 0, ctx.own(text),
                        ctx.styles.title if kind == "title" else ctx.styles.wrap)
        # a long line wraps in a row as tall as its lines: LibreOffice does not grow a
        # row for wrapped text by itself, and the rest of the line was cut off
        lines = math.ceil(_cell_width(text) / _INSTRUCTION_WIDTH)
        if kind != "title" and lines > 1:
            ws.set_row(row, 15 * lines)


def _cell_width(text: str) -> float:
    """About how wide ``text`` shows in Excel's default font, in character widths: a
    Chinese character two, a Latin letter three quarters of a digit."""
    wide = display_width(text) - len(text)
    return 2 * wide + 0.75 * (len(text) - wide)


#: The instructions' column, in characters (a Chinese character takes two): as wide as an
#: A4 portrait page
_INSTRUCTION_WIDTH = 80


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


def _width(table: Table, frame: pd.DataFrame | None) -> int:
    """How many columns :func:`_write_data_table` writes for ``table``: the spec's and the
    team's own in ``frame`` (two beside a list must not run into the next table)."""
    custom = [] if frame is None else [c for c in frame.columns if c not in table.keys]
    return len(table.columns) + len(custom)


def _write_settings(
    ctx: _Ctx, ws: Worksheet, sheet: Sheet, lists: dict[str, list[str]], data: WorkbookData,
    start: date | None = None,
) -> None:
    """Lists side by side (so each can grow downwards), then assumptions, caps, custom
    fields; the rep list's drop-down without the reps who left before ``start``
    (:mod:`xlsales.build.rep_dropdown`)."""
    name = ctx.name(sheet)
    col = 0
    for settings_list in ctx.spec.lists:
        table = ctx.spec.table(settings_list.table_name)
        frame = data.tables.get(table.name)
        if frame is None:
            frame = pd.DataFrame({"value": lists.get(settings_list.key, [])})
        gone = 0
        if settings_list.key == "rep":
            frame, gone = leavers_first(frame, start)
        data_row, _ = _write_data_table(ctx, ws, sheet, table, frame, HEADER_ROW, col,
                                        checks=bool(settings_list.extra))
        first = abs_ref(name, data_row, col)
        block = f"{first}:{xl_rowcol_to_cell(data_row + LIST_CAPACITY, col, True, True)}"
        formula = f"=OFFSET({first},0,0,MAX(1,COUNTA({block})),1)"
        if gone:
            left = col + table.keys.index("left")
            left_block = (f"{abs_ref(name, data_row, left)}:"
                          f"{xl_rowcol_to_cell(data_row + LIST_CAPACITY, left, True, True)}")
            formula = dropdown_formula(first, block, left_block, "info_period_start")
        ctx.wb.define_name(settings_list.range_name, formula)
        col += _width(table, frame) + 1
    assumptions = ctx.spec.table("Assumptions")
    _write_form(ctx, ws, sheet, assumptions, data.assumptions or {}, "assume", first_col=col)
    col += len(assumptions.columns) + 1
    caps = ctx.spec.table("BudgetCaps")
    frame = data.budget_caps
    if frame is None:
        frame = pd.DataFrame({"category": lists.get("budget_category", [])})
    _write_data_table(ctx, ws, sheet, caps, frame, HEADER_ROW, col)
    col += _width(caps, frame) + 1
    custom = ctx.spec.table("CustomFields")
    _write_data_table(ctx, ws, sheet, custom, data.tables.get("CustomFields"), HEADER_ROW, col)
    col += _width(custom, data.tables.get("CustomFields")) + 1
    playbook = data.tables.get("Playbook")
    _write_data_table(ctx, ws, sheet, ctx.spec.table("Playbook"),
                      playbook if playbook is not None
                      else playbook_frame(ctx.lang).map(ctx.own.cell),
                      HEADER_ROW, col)
    ws.freeze_panes(HEADER_ROW + 1, 0)
