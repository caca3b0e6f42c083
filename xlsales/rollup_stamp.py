"""The period a roll-up's stored values were computed for, stamped on its ranking sheet.

A roll-up stores its sales records' calculated columns (new-customer flag, churn,
previous prices …) as values computed for its period (:mod:`xlsales.rollup_calc`), and
its ranking for that period too. Changing the period on its basic-info sheet (a Q4
roll-up edited to 年度 / 2026-01-01, the obvious shortcut to a yearly summary) leaves
those values as they were: its KPI sheet then counts the year with Q4's flags (customers
134 where the engine counts 199, new customers 0 for 2). So ``consolidate`` writes the
period on the ranking sheet, under its title (:func:`stamp_line`), and ``validate`` (so
``kpis``' note too) gives an error at the period start when the basic info names
another (:func:`period_findings`), saying to consolidate the members again. A roll-up
written before the stamp says nothing.

Imported by the validation: nothing heavy at import time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.errors import UsageError
from xlsales.periods import Period, PeriodType, told_apart
from xlsales.spec.declarations import MEMBER_RANKING_SHEET, ROLLUP_LEVELS

if TYPE_CHECKING:
    from xlsales.findings import Finding
    from xlsales.io.ooxml import PackageLayout
    from xlsales.io.reader import ReadWorkbook

_STAMP = re.compile(r"(?:按周期|computed for the period) \S+ ?[（(](\d{4}-\d{2}-\d{2}) ~ "
                    r"(\d{4}-\d{2}-\d{2})[）)]")


def stamp_line(period: Period, lang: str) -> str:
    """The ranking sheet's line naming the period its values were computed for."""
    if lang == "zh":
        return (f"本表排名及销售记录的计算列按周期 {period.label}（{period.dates}）计算："
                "改了基础信息的周期，请按新周期重新合并各成员。")
    return (f"This ranking and the sales records' calculated columns are computed for the "
            f"period {period.label} ({period.dates}): to change the period, consolidate the "
            "members again for the new one.")


def stamped_period(path: Path, layout: PackageLayout) -> Period | None:
    """The period the roll-up at ``path`` was computed for, from its ranking sheet's
    title lines (None without the sheet or the line, or when it cannot be read)."""
    from xlsales.io.reader_a1 import range_boundaries
    from xlsales.rollup_lacks import ranking_grid

    found = ranking_grid(path, layout)
    if found is None:
        return None
    grid, ref = found
    _, top, _, _ = range_boundaries(ref)
    lines = [v for row in grid[:top - 1] for v in row if isinstance(v, str)]
    for value in lines:
        m = _STAMP.search(value)
        if m is not None:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            kind = {1: PeriodType.MONTH, 3: PeriodType.QUARTER, 12: PeriodType.YEAR}
            if months in kind:
                return Period(start, kind[months])
    # a roll-up made before the stamp line: its title ends with the period's label
    # (``成员排名 · 华东大区 · 2026-Q4``)
    for value in lines[:1]:
        try:
            return Period.parse(value.rsplit(" · ", 1)[-1]) if " · " in value else None
        except UsageError:
            return None
    return None


def period_findings(book: ReadWorkbook) -> Iterator[Finding]:
    """An error at the period start of a roll-up whose basic info names another period
    than the one its stored values were computed for."""
    from xlsales.findings import finding

    if str(book.info.get("level") or "") not in ROLLUP_LEVELS or book.period is None:
        return
    stamped = stamped_period(book.path, book.layout)
    if stamped is None or stamped == book.period:
        return
    info = book.layout.table("Info")
    cell, row = book.info_cells.get("period_start", (None, None))
    now_zh, then_zh = told_apart(book.period, stamped, "zh")
    now_en, then_en = told_apart(book.period, stamped, "en")
    yield finding("rollup_period_changed",
                  sheet=info.sheet if info else MEMBER_RANKING_SHEET.name.get(book.lang),
                  table="Info", cell=cell, row=row, column="period_start",
                  value=book.period.label, now_zh=now_zh, then_zh=then_zh, now_en=now_en,
                  then_en=then_en)
