"""Calculated cells holding an error value (``#REF!``, ``#VALUE!`` …): the workbook's own
KPI sheet adds those columns up and shows the error, while ``xlsales kpis``, which computes
from the rows' input columns, gives a number and ``validate`` said nothing.

A rep who typed over a calculated cell a formula of her own, or deleted a sheet or column
a formula she wrote there pointed to, leaves an error cached in the cell (LibreOffice and
Excel save it as ``t="e"``). One warning per table and calculated column names the first
such cell, the error and how many; the fix is the one the missing formula has: clear the
cells and let ``validate --write`` put the column's formula back (or fill it down).
Rows typed below the table are not looked at: their formulas error for lying outside it,
which ``rows_not_counted`` says. Input columns' error cells are the reader's
``error_value`` findings; a roll-up's
calculated columns hold values by design and are not looked at."""

from __future__ import annotations

from collections.abc import Iterator

from xlsales.findings import Finding, counted, finding
from xlsales.io.reader import ReadWorkbook, get_column_letter
from xlsales.validation.calculated import calculated_columns, calculated_tables


def calculated_errors(book: ReadWorkbook) -> Iterator[Finding]:
    """One warning per calculated column of ``book``'s tables whose data rows hold an
    error value: the first such cell (its error) and how many."""
    tables = [t for t in calculated_tables(book) if t.error_cells and calculated_columns(t)]
    for read in tables:
        rows = set(read.rows)
        info = book.layout.table(read.spec.name)
        if info is not None and read.found_by == "name":  # rows typed below the table:
            # their formulas error because they lie outside it (``rows_not_counted``);
            # ``validate --write`` takes them in and they compute
            rows = {r for r in rows if r <= info.data_end()}
        for col, key in sorted(calculated_columns(read).items()):
            letter = get_column_letter(col)
            found = sorted((int(ref[len(letter):]), error)
                           for ref, error in read.error_cells.items()
                           if ref.startswith(letter) and ref[len(letter):].isdigit()
                           and int(ref[len(letter):]) in rows)
            if not found:
                continue
            row, error = found[0]
            yield finding("calculated_error", sheet=read.sheet, cell=f"{letter}{row}", row=row,
                          column=key, value=error, table=read.spec.name,
                          label=read.spec.column(key).label.get(book.lang), count=len(found),
                          cells_en=counted(len(found), "cell"),
                          file=f'"{book.path.name}"' if any(c.isspace() for c in book.path.name)
                          else book.path.name)
