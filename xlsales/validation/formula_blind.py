"""What xlsales reads but the workbook's own formulas cannot count.

xlsales repairs what people type (``¥10,000`` and ``2026年11月3日`` as text, ``成交`` for
赢单, a name with a trailing space) and reads rows typed just below a table; the native
formulas of the KPI sheet see the cells as they are, and leave those values and rows
out. The KPI sheet then disagrees with ``xlsales kpis``: in the tables the KPI formulas
aggregate, such repairs get one warning per column, and rows below the table a warning
instead of an info finding, each saying what to retype or extend.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from xlsales.findings import Finding, counted, finding
from xlsales.io.ooxml import formula_literals
from xlsales.io.reader import ReadWorkbook
from xlsales.kpi_formula_columns import read_by_formulas
from xlsales.normalise import CONVERSIONS
from xlsales.spec import SPEC, ColumnType, SheetKind, WorkbookSpec
from xlsales.spec.subset import kpi_tables
from xlsales.spec.traditional import is_traditional, same_name, simplified
from xlsales.validation.currency import in_other_currency
from xlsales.validation.retype import cells_fields, retypable, retypes, trimmable


@dataclass(frozen=True)
class _Compared:
    """What the formulas compare text with: their literals as the spec's labels
    (Traditional ones written Simplified) and case-folded (Excel and LibreOffice compare
    text case-blind: "won" is counted as "Won")."""

    labels: frozenset[str]
    folded: frozenset[str]

    @classmethod
    def of(cls, literals: frozenset[str]) -> _Compared:
        return cls(frozenset(simplified(t) for t in literals),
                   frozenset(t.casefold() for t in literals))


def _unseen(f: Finding, spec: WorkbookSpec, compared: _Compared, lang: str) -> bool:
    """Whether the formulas see the cell of a ``converted`` finding otherwise than xlsales:
    text (a number or date typed as text; a choice spelled otherwise than the formulas
    compare with, where they compare with it at all) or a date with a time of day (past
    the period's last day for a date comparison). A number in a date column is the serial
    the formulas read, so it is seen. A column no KPI formula reads (a note) is seen
    whatever it holds: no figure of the KPI sheet depends on it."""
    if not read_by_formulas(f.table or "", f.column or "", spec):
        return False
    column = spec.table(f.table or "").column(f.column or "")
    if isinstance(f.value, str):
        if column.choices is None:
            return True
        key = column.choices.key_of(f.value.strip())
        label = column.choices.label(key, lang) if key is not None else None  # type: ignore[arg-type]
        # as typed: the formulas compare '赢单 ' with 赢单 and do not count it
        return label in compared.labels and f.value.casefold() not in compared.folded
    return column.type is ColumnType.DATE and _late_on_month_end(f.value)


def _late_on_month_end(value: object) -> bool:
    """Whether ``value`` is a date-time past midnight on a month's last day: every KPI
    window ends on one, and the formulas compare it with that day (midnight) and leave it
    out; on other days the time of day changes nothing."""
    return (isinstance(value, datetime) and value.time() != time()
            and (value + timedelta(days=1)).month != value.month)


def _spaced(f: Finding) -> bool:
    """Whether the ``converted`` finding ``f`` is of text whose only repair was removing the
    spaces before or after it (``'赢单 '``, ``'ACME '``; not ``' 华东 '`` read as the list's
    ``East``): deleting them is the whole fix."""
    return (isinstance(f.value, str) and f.value != f.value.strip()
            and f.message_en.endswith(f"{CONVERSIONS['trimmed'][1]}."))


def _below_fix(book: ReadWorkbook, table: str, row: int | None) -> dict[str, str]:
    """What to do about rows typed below ``table`` from ``row`` (zh, en): take them into
    the table — but in a roll-up, whose calculated values are computed over all rows, add
    them to a member's workbook and consolidate again; and rows after a blank row or a
    note, which ``--write`` leaves out, move up (data) or off the table's columns."""
    from xlsales.validation.extend import follows_table, is_rollup_book

    info = book.layout.table(table)
    if info is not None and info.totals_rows:
        return {"fix_zh": "它们在表格的汇总行下方，不属于表格：请在 Excel 或 WPS 中于汇总行上方插入"
                          "表格行，把它们移进去；或先关闭汇总行（表设计 > 汇总行），再运行 "
                          "xlsales validate --write。",
                "fix_en": "They are below the table's totals row, outside the table: in Excel "
                          "or WPS insert table rows above the totals row and move them there, "
                          "or turn the totals row off (Table Design > Total Row) and run "
                          "`xlsales validate --write`."}
    if is_rollup_book(book):
        return {"fix_zh": "合并表的计算列是按全部行算好的数值：请把这些行加到相应成员的工作簿中，"
                          "再重新合并。",
                "fix_en": "A roll-up's calculated columns hold values computed over all its "
                          "rows: add these rows to the member's workbook and consolidate "
                          "again."}
    if info is not None and row is not None and \
            not follows_table(book, table, row):
        return {"fix_zh": "它们与表格之间隔着空行或备注行，xlsales validate --write 不会把它们"
                          "纳入表格：若是数据，请把它们移到紧接表格的下一行，再运行 xlsales "
                          "validate --write；否则请把它们移到表格的列以外或删除。",
                "fix_en": "A blank row or a note parts them from the table, so `xlsales "
                          "validate --write` does not take them in: if they are data, move "
                          "them up right under it and run `xlsales validate --write`; else "
                          "move them off the table's columns or delete them."}
    return {"fix_zh": "运行 xlsales validate --write 即可把紧接表格的这些行纳入表格（若有计算列，"
                      "其公式随之补上）；也可在 Excel 或 WPS 中拖动表格右下角，或在 LibreOffice "
                      f"中用“数据 > 定义范围”把 {table} 的范围扩展到最后一行。",
            "fix_en": "`xlsales validate --write` takes the rows right under the table into "
                      "it (and fills in any calculated columns); or, in Excel or WPS, drag "
                      "the table's bottom-right corner over them, in LibreOffice extend "
                      f"{table} to the last row with Data > Define Range."}


def book_literals(book: ReadWorkbook, spec: WorkbookSpec = SPEC) -> frozenset[str]:
    """The string literals the formulas of ``book`` compare with: its calculated columns'
    and its KPI sheet's (``赢单``, or ``贏單`` once ``validate --write`` respelled a book
    converted to Traditional). A live workbook (no file to read) gives the calculated
    columns' alone."""
    literals = {text for t in book.layout.tables for text in t.literals}
    calculated = {n for s in spec.sheets if s.kind is SheetKind.CALCULATED for n in s.name.all()}
    sheets = [s.part for s in book.layout.sheets
              if any(same_name(n, [s.name]) is not None for n in calculated)]
    try:
        with zipfile.ZipFile(book.path) as zf:
            for part in sheets:
                literals |= formula_literals(zf.read(part))
    except (OSError, zipfile.BadZipFile, KeyError):
        pass
    return frozenset(literals)


def counted_spellings(literals: frozenset[str]) -> dict[str, str]:
    """The spec's choice label → the Traditional spelling formulas with ``literals`` count
    instead (``赢单`` → ``贏單``); empty when they count the spec's labels."""
    return {simplified(text): text for text in literals if simplified(text) != text}


def label_cells(book: ReadWorkbook, table: str, key: str) -> dict[str, list[int]]:
    """Choice key → the positions (frame rows) of column ``key`` of ``table`` typed as the
    spec's label itself (no repair was made there: not another spelling, alias or
    language)."""
    read = book.tables.get(table)
    if read is None or key not in read.frame:
        return {}
    repaired = {f.row for f in book.findings if f.rule == "converted" and f.table == table
                and f.column == key}
    out: dict[str, list[int]] = {}
    values = read.frame[key]
    for pos in values.notna().to_numpy().nonzero()[0]:
        if read.rows[pos] not in repaired:
            out.setdefault(str(values.iat[pos]), []).append(int(pos))
    return out


def _respelled_left_out(book: ReadWorkbook, spec: WorkbookSpec, tables: frozenset[str],
                        spellings: dict[str, str]) -> Iterator[Finding]:
    """In a book whose formulas count Traditional spellings, a warning per column holding
    choices typed in Simplified (typed again after ``--write``, or imported): the formulas
    leave those rows out now."""
    for name in sorted(tables & set(book.tables)):
        read = book.tables[name]
        for column in read.spec.columns:
            if column.choices is None or not column.is_input:
                continue
            found = [(pos, label) for k, at in label_cells(book, name, column.key).items()
                     if (label := column.choices.label(k, book.lang)) in spellings
                     for pos in at]
            if not found:
                continue
            pos, label = min(found)
            expected = spellings[label]
            yield finding("choice_not_counted", sheet=read.sheet, cell=read.cell(column.key, pos),
                          row=read.rows[pos], column=column.key,
                          value=label, table=name, label=column.label.get(book.lang),
                          count=len(found), values_en=counted(len(found), "value"),
                          expected=expected, **dict(zip(("fix_zh", "fix_en"),
                                                        replace_fix(label, expected),
                                                        strict=True)))


def below_unseen(book: ReadWorkbook, tables: set[str],
                 spec: WorkbookSpec = SPEC) -> dict[tuple[str, str], str]:
    """(table, column) → the warning (``values_not_counted``, ``spaces_not_counted``) its
    cells typed in rows below ``tables`` would have, once taken into the table: what
    ``validate --write`` retypes in the rows it takes in, in the same run (their warning
    was the rows' own, ``rows_not_counted``). A choice spelled otherwise is the rep's."""
    literals = book_literals(book, spec)
    compared = _Compared.of(literals)
    below: dict[str, set[int]] = {}
    for name in kpi_tables(spec) & tables & set(book.tables):
        info = book.layout.table(name)
        if info is not None:
            below[name] = {r for r in book.tables[name].rows if r > info.data_end()}
    out: dict[tuple[str, str], str] = {}
    for f in book.findings:
        if (f.rule != "converted" or not f.column or f.table not in below
                or f.row not in below[f.table] or not _unseen(f, spec, compared, book.lang)
                or spec.table(f.table).column(f.column).choices is not None
                or _late_on_month_end(f.value)):
            continue
        rule = "spaces_not_counted" if _spaced(f) else "values_not_counted"
        out.setdefault((f.table, f.column), rule)
    return out


def replace_fix(typed: str, expected: str) -> tuple[str, str]:
    """What to do about a choice spelled ``typed`` where the formulas count ``expected``
    (zh, en): Find and Replace in the column, matching whole cells — else a ``typed``
    inside a cell already right (新 in 新客户) is replaced too, into 新客户客户."""
    spoilt = expected.replace(typed, expected) if typed and typed in expected else ""
    zh = (f"请改为“{expected}”（可在该列用“查找和替换”把 {typed!r} 换成“{expected}”）："
          "替换时请勾选“单元格匹配”（LibreOffice 中为“整个单元格”）"
          + (f"，否则已写对的“{expected}”会变成“{spoilt}”。" if spoilt else "。"))
    en = (f"change them to '{expected}' (Find and Replace {typed!r} with '{expected}' in "
          "this column, with 'Match entire cell contents' ticked, in LibreOffice 'Entire "
          "cells'" + (f": else the '{expected}' already typed becomes '{spoilt}')." if spoilt
                      else ")."))
    return zh, en


def formula_blind(book: ReadWorkbook, spec: WorkbookSpec = SPEC) -> Iterator[Finding]:
    """The reader's findings of ``book`` with rows below a KPI table, and a KPI table
    found by its headers (no Excel Table of its name), as a warning, plus one
    warning per column of a KPI table holding repaired values the formulas do not see
    (pointing at the first such cell; rows below the table are the other warning's)."""
    tables = kpi_tables(spec)
    literals = book_literals(book, spec)
    spellings, compared = counted_spellings(literals), _Compared.of(literals)
    below: dict[str, set[int]] = {}  # table → the rows read below its data
    for name in tables & set(book.tables):
        info = book.layout.table(name)
        if info is not None and book.tables[name].found_by == "name":
            end = info.data_end()
            below[name] = {r for r in book.tables[name].rows if r > end}
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
        elif f.rule in ("rows_below_table", "rows_apart_from_table"):
            yield finding("rows_not_counted", sheet=f.sheet, table=f.table, value=f.value,
                          cell=f.cell, row=f.row, count=f.value,
                          rows_en=counted(f.value, "row"),
                          **_below_fix(book, f.table or "", f.row))
        else:
            yield f
            if (f.rule == "converted" and f.column and _unseen(f, spec, compared, book.lang)
                    and f.row not in below.get(f.table, ())
                    and not in_other_currency(book, f, spec)):  # to convert, not retype
                unseen.setdefault((f.sheet, f.table, f.column, _spaced(f)),
                                  []).append(f)
    for (sheet, table, key, spaced), found in unseen.items():
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
            expected = spellings.get(expected, expected)  # what the formulas count
            value = str(first.value).strip()
            if simplified(value) == expected and is_traditional(
                    [s.name for s in book.layout.sheets]):  # a book converted to Traditional
                fix = ("运行 xlsales validate --write，工作簿的公式即改为统计本工作簿的繁体写法。",
                       "run `xlsales validate --write`: the workbook's formulas then count "
                       "the Traditional spelling its cells use.")
            elif spaced and value == expected:
                fix = ("请删除这些单元格首尾的空格（重新输入，或从下拉列表选择）。",
                       "delete the spaces before or after the text (retype it, or pick it "
                       "from the drop-down list).")
            else:
                fix = replace_fix(str(first.value), expected)
            yield finding("choice_not_counted", expected=expected, fix_zh=fix[0],
                          fix_en=fix[1], **where)
        else:
            rule = ("spaces_not_counted" if spaced else "time_not_counted"
                    if _late_on_month_end(first.value) else "values_not_counted")
            cells = retypes(book, found)
            spaces = rule == "spaces_not_counted" and any(map(trimmable, cells))
            write = spaces or (any(map(retypable, cells)) and rule == "values_not_counted")
            yield finding(rule, **where, **cells_fields(cells),
                          write_zh=("（运行 xlsales validate --write 可自动删除这些空格。）"
                                    if spaces else "（运行 xlsales validate --write 可把其中的"
                                    "数字和日期自动改写好。）") if write else "",
                          write_en=(" `xlsales validate --write` deletes the spaces." if spaces
                                    else " `xlsales validate --write` retypes the numbers and "
                                    "dates among them.") if write else "")
    if spellings:
        yield from _respelled_left_out(book, spec, tables, spellings)
