"""Rows typed just below a table, taken into it by ``validate --write``.

The reader reads rows typed right under an Excel Table as the table's (a rep adding a row
in LibreOffice, which does not grow the table, or a script appending to the sheet); the
workbook's own formulas (the KPI sheet, the drop-down lists fed by the settings tables)
see only the table's range and leave them out. :func:`extend_tables` makes each such
table reach its last row read; the calculated cells of the new rows are then filled by
:func:`~xlsales.validation.calculated.restore_formulas`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from xlsales.findings import Finding, counted, finding
from xlsales.io.reader import ReadWorkbook, range_boundaries

if TYPE_CHECKING:
    from xlsales.io.package import WorkbookPackage

#: The findings of rows read below a table (an info, a warning under a KPI table).
BELOW = frozenset({"rows_below_table", "rows_apart_from_table", "rows_not_counted"})


def extend_tables(book: ReadWorkbook, package: WorkbookPackage,
                  findings: Iterable[Finding]) -> list[Finding]:
    """Extend, in ``package`` (``book``'s file opened for editing), every Excel Table
    ``findings`` say has rows below it over the rows that follow it without a gap; one
    ``table_extended`` finding per table extended. Left as they are, with their finding:
    a table found by its headers, one whose growth would take in another table's cells,
    rows after a blank row (a note typed further down is not a row to take in), and a
    roll-up's tables (their calculated columns hold values computed over all rows: a row
    is added by consolidating again)."""
    if is_rollup_book(book):
        return []
    findings = list(findings)
    out: list[Finding] = []
    for f in findings:
        read = book.tables.get(f.table or "")
        if f.rule not in BELOW or read is None or read.found_by != "name" or f.row is None:
            continue
        below = [r for r in read.rows if r >= f.row]
        run = 0
        while run < len(below) and below[run] == f.row + run:
            run += 1
        if not run or not follows_table(book, read.spec.name, f.row):
            continue
        last = f.row + run - 1
        if package.extend_table(read.spec.name, last):
            out.append(finding("table_extended", sheet=f.sheet, table=f.table, cell=f.cell,
                               row=f.row, value=run, count=run,
                               rows_en=counted(run, "row"), last=last,
                               **_left_out(book, findings, read.spec.name)))
    return out


def _left_out(book: ReadWorkbook, findings: list[Finding], table: str) -> dict[str, str]:
    """What ``table_extended`` adds about the rows below ``table`` it did not take in
    (after a blank row or a note): from where, how many, and how to take them in."""
    apart = [f for f in findings if f.rule in BELOW and f.table == table
             and f.row is not None and not follows_table(book, table, f.row)]
    if not apart:
        return {"left_zh": "", "left_en": ""}
    f = apart[0]
    return {"left_zh": f"从 {f.cell} 起的 {f.value} 行未纳入：它们与表格之间隔着空行或备注行。"
                       "若是数据，请把它们移到紧接表格的下一行，再运行 xlsales validate --write。",
            "left_en": f" Left out: {counted(f.value, 'row')} from {f.cell}, with a blank row "
                       "or a note between them and the table; if they are data, move them up "
                       "right under it and run `xlsales validate --write` again."}


def follows_table(book: ReadWorkbook, table: str, row: int) -> bool:
    """Whether ``row`` is the one right after the Excel Table ``table``'s range."""
    info = book.layout.table(table)
    return info is not None and range_boundaries(info.ref)[3] + 1 == row


def is_rollup_book(book: ReadWorkbook) -> bool:
    """A team, region or company roll-up (its rows name their members)."""
    from xlsales.rollup_rank import is_rollup

    return is_rollup(book.info, {n: t.frame for n, t in book.tables.items()})
