"""xlsales in xlwings Lite: the workbook's four buttons as scripts, the XS_* formulas.

Paste this into xlwings Lite's ``main.py`` (and ``requirements.txt`` beside it, see
README.md). Each script runs the same code as the desktop buttons,
``xlsales.excel.macros``, on the workbook xlwings Lite passes in; messages appear as
xlwings Lite alerts in the workbook's language.
"""

from __future__ import annotations

import xlwings as xw
from xlwings import arg, func, script

import xlsales.excel.macros as macros
import xlsales.udfs as udfs


@script
def validate(book: xw.Book) -> None:
    """校验 / Validate: refresh the validation sheet, shade offending cells."""
    macros.validate(book)


@script
def compute_kpis(book: xw.Book) -> None:
    """计算 KPI / Compute KPIs: the KPI report sheet of ``xlsales kpis --write`` (summary,
    tables, charts; an edited summary is kept)."""
    macros.compute_kpis(book)


@script
def generate_plan(book: xw.Book) -> None:
    """生成下期计划 / Generate next period's plan sheets (edited ones are kept)."""
    macros.generate_plan(book)


@script
def start_next_period(book: xw.Book) -> None:
    """开始下一期 / Start next period (in the browser: explains how, writes no file)."""
    macros.start_next_period(book)


# Hints xlwings can make converters of (udfs.Ratio, udfs.Rows): a union such as float | str
# would show "type object 'types.UnionType' has no attribute 'router'" in the cell.
@func
def XS_ATTAINMENT(actual: float, target: float) -> udfs.Ratio:
    """Actual ÷ target; empty when the target is 0."""
    return udfs.XS_ATTAINMENT(actual, target)


@func
def XS_GROWTH(current: float, previous: float) -> udfs.Ratio:
    """Current ÷ previous − 1; empty when there is no previous value."""
    return udfs.XS_GROWTH(current, previous)


@func
def XS_CONVERSION(converted: float, total: float) -> udfs.Ratio:
    """Converted ÷ total; empty when the total is 0."""
    return udfs.XS_CONVERSION(converted, total)


@func
def XS_COLLECTION_RATE(collected: float, invoiced: float) -> udfs.Ratio:
    """Collected ÷ invoiced; empty when nothing was invoiced."""
    return udfs.XS_COLLECTION_RATE(collected, invoiced)


@func
@arg("history", ndim=2)
def XS_FORECAST(history: udfs.Rows, periods_ahead: int = 1) -> float:
    """The linear trend of a range of history, periods_ahead steps on."""
    return udfs.XS_FORECAST(history, periods_ahead)


@func
@arg("sales", ndim=2)
@arg("targets", ndim=2)
@arg("activities", ndim=2)
@arg("reps", ndim=2)
def XS_KPI(key: str, period: str, sales: udfs.Rows, targets: udfs.Rows = (),
           activities: udfs.Rows = (), rep: str = "", reps: udfs.Rows = ()) -> udfs.Ratio:
    """A KPI by key for a period over Sales[#All] (Targets, Activities), for one rep
    (of the tables or of the list ListRep[#All])."""
    return udfs.XS_KPI(key, period, sales, targets, activities, rep, reps)
