"""Copies of a data sheet (``销售记录 (2)`` from Excel's or WPS's Move or Copy,
``销售记录_2`` from LibreOffice's): neither xlsales nor the workbook's own formulas read
them, so what a rep corrects there counts nowhere. A warning at each names the sheet read
instead."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadWorkbook

#: A copied sheet's name: the original's with `` (2)`` (Excel, WPS) or ``_2`` (LibreOffice).
_COPY = re.compile(r"(.+?)(?: \(\d+\)|_\d+)")


def sheet_copies(book: ReadWorkbook) -> Iterator[Finding]:
    """A warning per sheet of ``book`` named as a copy of a sheet a table was read from."""
    read = {t.sheet: t for t in book.tables.values()}
    for sheet in book.layout.sheets:
        match = _COPY.fullmatch(sheet.name)
        if match is None or sheet.name in read or match[1] not in read:
            continue
        table = read[match[1]]
        yield finding("sheet_copy_not_read", sheet=sheet.name, table=table.spec.name,
                      original=match[1], copy=sheet.name)
