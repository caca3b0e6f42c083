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
from xlsales.io.reader import ReadWorkbook

if TYPE_CHECKING:
    from xlsales.io.package import WorkbookPackage

#: The findings of rows read below a table (an info, a warning under a KPI table).
BELOW = frozenset({"rows_below_table", "rows_not_counted"})


def extend_tables(book: ReadWorkbook, package: WorkbookPackage,
                  findings: Iterable[Finding]) -> list[Finding]:
    """Extend, in ``package`` (``book``'s file opened for editing), every Excel Table
    ``findings`` say has rows below it over those rows; one ``table_extended`` finding
    per table extended (a table found by its headers, or whose growth would take in
    another table's cells, stays as it is, with its finding)."""
    out: list[Finding] = []
    for f in findings:
        read = book.tables.get(f.table or "")
        if f.rule not in BELOW or read is None or read.found_by != "name" or not read.rows:
            continue
        if package.extend_table(read.spec.name, read.rows[-1]):
            count = f.value if isinstance(f.value, int) else 0
            out.append(finding("table_extended", sheet=f.sheet, table=f.table, cell=f.cell,
                               row=f.row, value=count, count=count,
                               rows_en=counted(count, "row"), last=read.rows[-1]))
    return out
