"""What xlsales reads but the workbook's own formulas cannot count.

xlsales repairs what people type (``¥10,000`` and ``2026年11月3日`` as text, ``成交`` for
赢单, a name with a trailing space) and reads rows typed just below a table; the native
formulas of the KPI sheet see the cells as they are, and leave those values and rows
out. The KPI sheet then disagrees with ``xlsales kpis``: in the tables the KPI formulas
aggregate, such repairs get one warning per column, and rows below the table a warning
instead of an info finding, each saying what to retype or extend.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import datetime, time

from xlsales.findings import Finding, counted, finding
from xlsales.io.reader import ReadWorkbook
from xlsales.spec import SPEC, ColumnType, WorkbookSpec


def formula_tables(spec: WorkbookSpec = SPEC) -> frozenset[str]:
    """The tables the KPI definitions aggregate (their native formulas read them)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if is_dataclass(node) and not isinstance(node, type):
            table = getattr(node, "table", None)
            if isinstance(table, str):
                found.add(table)
            for f in fields(node):
                walk(getattr(node, f.name))

    for kpi in spec.kpis:
        walk(kpi.formula)
    return frozenset(found)


def _unseen(f: Finding, spec: WorkbookSpec) -> bool:
    """Whether the formulas see the cell of a ``converted`` finding otherwise than xlsales:
    text (a number, date or choice typed as text or another spelling) or a date with a
    time of day (past the period's last day for a date comparison). A number in a date
    column is the serial the formulas read, so it is seen."""
    if isinstance(f.value, str):
        return True
    column = spec.table(f.table or "").column(f.column or "")
    return (column.type is ColumnType.DATE and isinstance(f.value, datetime)
            and f.value.time() != time())


def formula_blind(book: ReadWorkbook, spec: WorkbookSpec = SPEC) -> Iterator[Finding]:
    """The reader's findings of ``book`` with rows below a KPI table, and a KPI table
    found by its headers (no Excel Table of its name), as a warning, plus one
    warning per column of a KPI table holding repaired values the formulas do not see
    (pointing at the first such cell; rows below the table are the other warning's)."""
    tables = formula_tables(spec)
    below: dict[str, set[int]] = {}
    for f in book.findings:
        if f.rule == "rows_below_table" and f.table in tables and f.table in book.tables:
            rows, count = book.tables[f.table].rows, f.value
            below[f.table] = set(rows[len(rows) - count:]) if isinstance(count, int) else set()
    unseen: dict[tuple[str, str, str], list[Finding]] = {}
    for f in book.findings:
        if f.table not in tables:
            yield f
        elif f.rule == "table_by_header":
            named = [t.name for t in book.layout.tables if t.sheet == f.sheet]
            yield finding("table_not_named", sheet=f.sheet, table=f.table, row=f.row,
                          sheet_name=f.sheet,
                          named_zh=f"（这个工作表上的表格名为 {'、'.join(named)}）" if named
                          else "",
                          named_en=f" (the table on this sheet is named {', '.join(named)})"
                          if named else "")
        elif f.rule == "rows_below_table":
            yield finding("rows_not_counted", sheet=f.sheet, table=f.table, value=f.value,
                          cell=f.cell, row=f.row,
                          count=f.value, rows_en=counted(f.value, "row"))
        else:
            yield f
            if (f.rule == "converted" and f.column and _unseen(f, spec)
                    and f.row not in below.get(f.table, ())):
                unseen.setdefault((f.sheet, f.table, f.column), []).append(f)
    for (sheet, table, key), found in unseen.items():
        first = min(found, key=lambda f: f.row or 0)
        column = spec.table(table).column(key)
        label = column.label.get(book.lang)
        where = dict(sheet=sheet, cell=first.cell, row=first.row, column=key,
                     value=first.value, table=table, label=label, count=len(found),
                     values_en=counted(len(found), "value"))
        choice = (column.choices.match(str(first.value))[0]
                  if column.choices is not None and isinstance(first.value, str) else None)
        if choice is not None and column.choices is not None:
            # a choice spelled otherwise (贏單, Won, won ): say the spelling they count
            yield finding("choice_not_counted", expected=column.choices.label(choice, book.lang),
                          **where)
        else:
            yield finding("values_not_counted", **where)
