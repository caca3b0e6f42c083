"""A date typed without its year (``11月4日``, ``Nov 4``) is not read; its finding's hint
writes it in the year of the workbook's period, as the import does. The period is in the
basic information, read after the tables, so those findings are rewritten once it is
known (:func:`yearless_in_period`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.date_hints import is_yearless
from xlsales.io.reader_frames import issue_finding

if TYPE_CHECKING:
    from xlsales.findings import Finding
    from xlsales.spec import Lang
    from xlsales.spec.model import WorkbookSpec


def yearless_in_period(findings: list[Finding], year: int, spec: WorkbookSpec,
                       lang: Lang) -> None:
    """Rewrites in place each unreadable-date finding of a table's date without its year
    so that its hint writes the date in ``year`` (the workbook period's) and says so."""
    tables = {t.name: t for sheet in spec.sheets for t in sheet.tables}
    for i, found in enumerate(findings):
        table = tables.get(found.table or "")
        if (found.rule != "bad_date" or table is None or found.column not in table.keys
                or found.cell is None or found.row is None or not is_yearless(found.value)):
            continue
        findings[i] = issue_finding(table.column(found.column), "invalid", found.value,
                                    found.sheet, found.cell, found.row, table.name, lang,
                                    year)
