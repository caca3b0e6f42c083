"""Reading values back from a workbook saved by LibreOffice (test helper)."""

from __future__ import annotations

import openpyxl
from openpyxl.utils.cell import range_boundaries

ERROR_PREFIXES = ("#DIV/0", "#VALUE", "#NAME", "#REF", "#N/A", "#NUM", "#NULL", "Err:")


def table_rows(wb: openpyxl.Workbook, table_name: str) -> list[list[object]]:
    """Rows of an Excel Table, header first."""
    for ws in wb.worksheets:
        if table_name in ws.tables:
            ref = ws.tables[table_name]
            ref = ref if isinstance(ref, str) else ref.ref
            c1, r1, c2, r2 = range_boundaries(ref)
            return [list(r) for r in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1,
                                                  max_col=c2, values_only=True)]
    raise KeyError(table_name)


def kpi_values(wb: openpyxl.Workbook) -> dict[str, object]:
    """KPI key → computed value from the KPI table (key in column 1, value in column 3)."""
    rows = table_rows(wb, "KPIs")[1:]
    return {r[0]: (None if r[2] == "" else r[2]) for r in rows}


def error_cells(wb: openpyxl.Workbook) -> list[str]:
    """Addresses of cells holding a spreadsheet error value."""
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and v.startswith(ERROR_PREFIXES):
                    found.append(f"{ws.title}!{cell.coordinate}={v}")
    return found


def with_header_renamed(source, target, table: str, old: str, new: str) -> str:
    """``source`` saved as ``target`` with the header ``old`` of the Excel Table ``table``
    renamed ``new``, in its cell and its table column as Excel renames both (openpyxl's
    save); the address of the header cell."""
    wb = openpyxl.load_workbook(source)
    ws = next(w for w in wb if table in w.tables)
    first_row = range_boundaries(ws.tables[table].ref)[1]
    cell = next(c for c in ws[first_row] if c.value == old)
    cell.value = new
    ws.tables[table].tableColumns[cell.column - range_boundaries(ws.tables[table].ref)[0]
                                  ].name = new
    wb.save(target)
    return cell.coordinate
