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
from xlsales.io.reader import ReadWorkbook, range_boundaries
from xlsales.spec import SPEC, ColumnType, WorkbookSpec
from xlsales.spec.traditional import is_traditional, simplified


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


def _unseen(f: Finding, spec: WorkbookSpec, traditional: bool = False) -> bool:
    """Whether the formulas see the cell of a ``converted`` finding otherwise than xlsales:
    text (a number, date or choice typed as text or another spelling) or a date with a
    time of day (past the period's last day for a date comparison). A number in a date
    column is the serial the formulas read, so it is seen; so is a choice spelled in
    Traditional in a book whose formulas count that spelling (``traditional``)."""
    column = spec.table(f.table or "").column(f.column or "")
    if isinstance(f.value, str):
        return not (traditional and column.choices is not None and any(
            simplified(f.value.strip()) == label != f.value.strip()
            for label in column.choices.labels("zh")))
    return (column.type is ColumnType.DATE and isinstance(f.value, datetime)
            and f.value.time() != time())


def _below_fix(book: ReadWorkbook, table: str, row: int | None) -> dict[str, str]:
    """What to do about rows typed below ``table`` from ``row`` (zh, en): take them into
    the table — but in a roll-up, whose calculated values are computed over all rows, add
    them to a member's workbook and consolidate again; and rows after a blank row, which
    ``--write`` leaves out, move up (data) or off the table's columns (a note)."""
    from xlsales.validation.extend import is_rollup_book

    info = book.layout.table(table)
    if info is not None and row is not None and range_boundaries(info.ref)[3] + 1 != row:
        return {"fix_zh": "它们与表格之间隔着空行：若是数据，请把它们移到紧接表格的下一行，再运行 "
                          "xlsales validate --write；若是备注，请把它移到表格的列以外或删除。",
                "fix_en": "A blank row parts them from the table: if they are data, move them "
                          "up right under it and run `xlsales validate --write`; if a note, "
                          "move it off the table's columns or delete it."}

    if is_rollup_book(book):
        return {"fix_zh": "合并表的计算列是按全部行算好的数值：请把这些行加到相应成员的工作簿中，"
                          "再重新合并。",
                "fix_en": "A roll-up's calculated columns hold values computed over all its "
                          "rows: add these rows to the member's workbook and consolidate "
                          "again."}
    return {"fix_zh": "运行 xlsales validate --write 即可把紧接表格的这些行纳入表格（若有计算列，"
                      "其公式随之补上）；也可在 Excel 或 WPS 中拖动表格右下角，或在 LibreOffice "
                      f"中用“数据 > 定义范围”把 {table} 的范围扩展到最后一行。",
            "fix_en": "`xlsales validate --write` takes the rows right under the table into "
                      "it (and fills in any calculated columns); or, in Excel or WPS, drag "
                      "the table's bottom-right corner over them, in LibreOffice extend "
                      f"{table} to the last row with Data > Define Range."}


def counts_traditional(book: ReadWorkbook) -> bool:
    """Whether the formulas of ``book`` count choices spelled in Traditional characters
    (``validate --write`` respelled them in a book converted to Traditional): a string
    literal of a calculated column holds a Traditional character."""
    return any(simplified(text) != text for t in book.layout.tables for text in t.literals)


def formula_blind(book: ReadWorkbook, spec: WorkbookSpec = SPEC) -> Iterator[Finding]:
    """The reader's findings of ``book`` with rows below a KPI table, and a KPI table
    found by its headers (no Excel Table of its name), as a warning, plus one
    warning per column of a KPI table holding repaired values the formulas do not see
    (pointing at the first such cell; rows below the table are the other warning's)."""
    tables = formula_tables(spec)
    respelled = counts_traditional(book)
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
                          cell=f.cell, row=f.row, count=f.value,
                          rows_en=counted(f.value, "row"),
                          **_below_fix(book, f.table or "", f.row))
        else:
            yield f
            if (f.rule == "converted" and f.column and _unseen(f, spec, respelled)
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
            expected = column.choices.label(choice, book.lang)
            value = str(first.value).strip()
            if simplified(value) == expected and is_traditional(
                    [s.name for s in book.layout.sheets]):  # a book converted to Traditional
                fix = ("运行 xlsales validate --write，工作簿的公式即改为统计本工作簿的繁体写法。",
                       "run `xlsales validate --write`: the workbook's formulas then count "
                       "the Traditional spelling its cells use.")
            else:
                fix = (f"请改为“{expected}”（可在该列用“查找和替换”把 {first.value!r} 换成"
                       f"“{expected}”）。",
                       f"change them to '{expected}' (Find and Replace {first.value!r} with "
                       f"'{expected}' in this column).")
            yield finding("choice_not_counted", expected=expected, fix_zh=fix[0],
                          fix_en=fix[1], **where)
        else:
            yield finding("values_not_counted", **where)
