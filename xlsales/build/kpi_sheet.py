"""The template's KPI sheet: the reporting windows and one native formula per KPI
of the spec, protected without a password (see :func:`_write_kpi_sheet`).
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from xlsales.build import formulas
from xlsales.build.sheet_context import HEADER_ROW, HELP_ROW, PROTECTION, _Ctx, abs_ref
from xlsales.build.styles import TABLE_STYLE
from xlsales.kpi_labels import kpi_label, unit_label
from xlsales.periods import PeriodType
from xlsales.spec import ColumnType, Lang, Sheet
from xlsales.spec.declarations import DIRECTION_LABELS, WINDOW_LABELS


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
    """The KPI sheet's head: owner and period, the dates as the book's language writes a
    span (``~`` in Chinese, an en dash in English: :meth:`~xlsales.periods.Period.span`)."""
    sep, dash = ("　", "~") if lang == "zh" else (" · ", "–")
    return (f'=info_owner&"{sep}"&IF(info_period_start="","",TEXT(info_period_start,"yyyy-mm-dd")'
            f'&" {dash} "&TEXT(info_period_end,"yyyy-mm-dd"))')
