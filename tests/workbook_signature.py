"""A workbook's content as plain data, for comparing two files (test helper).

Covers what the template's users rely on: cells (values, formulas, number
formats, formulas' cached results: none, so that LibreOffice computes them), tables,
data validations, conditional formats, defined names, frozen panes, protection, column
widths and print titles; not document timestamps.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl


def signature(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    results = openpyxl.load_workbook(path, data_only=True)
    sheets = {}
    for ws in wb.worksheets:
        cached = results[ws.title]
        sheets[ws.title] = {
            "cells": {c.coordinate: (c.value, c.data_type, c.number_format)
                      for row in ws.iter_rows() for c in row if c.value is not None},
            "cached": {c.coordinate: cached[c.coordinate].value
                       for row in ws.iter_rows() for c in row if c.data_type == "f"},
            "tables": {t.name: (t.ref, [c.name for c in t.tableColumns],
                                [c.calculatedColumnFormula for c in t.tableColumns],
                                t.tableStyleInfo.name if t.tableStyleInfo else None)
                       for t in ws.tables.values()},
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.prompt,
                 dv.error) for dv in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), tuple(r.formula or ())) for cf in
                                  ws.conditional_formatting for r in cf.rules),
            "freeze": ws.freeze_panes,
            "protected": ws.protection.sheet,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "print_titles": ws.print_title_rows,
            "orientation": ws.page_setup.orientation,
        }
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    return {"sheets": sheets, "names": names, "order": wb.sheetnames}
