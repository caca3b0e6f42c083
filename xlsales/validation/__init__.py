"""Validation: every rule over every table, findings collected (never stopping at the first).

``validate(book)`` returns the findings of reading (conversions, unreadable
values, error cells; what the workbook's own formulas cannot count, see
:mod:`~xlsales.validation.formula_blind`, or leave out because a calculated cell holds no
formula, see :mod:`~xlsales.validation.calculated`; amounts typed in another currency
than the workbook's, see :mod:`~xlsales.validation.currency`) plus those of the spec's
column rules and of the cross-field and cross-sheet rules, in workbook order.
"""

from __future__ import annotations

from datetime import date

from xlsales.findings import Finding
from xlsales.io.reader import ReadWorkbook
from xlsales.rollup_lacks import lack_findings
from xlsales.rollup_stamp import period_findings
from xlsales.spec import SPEC, WorkbookSpec
from xlsales.validation.calculated import missing_formulas
from xlsales.validation.calculated_errors import calculated_errors
from xlsales.validation.columns import column_findings
from xlsales.validation.cross import cross_findings
from xlsales.validation.currency import currency_findings
from xlsales.validation.formula_blind import formula_blind
from xlsales.validation.kpi_sheet import kpi_sheet_missing
from xlsales.validation.script_spelling import is_own_spelling
from xlsales.validation.sheet_copies import sheet_copies


def validate(book: ReadWorkbook, spec: WorkbookSpec = SPEC,
             today: date | None = None) -> list[Finding]:
    """All findings for ``book``, sorted by sheet (workbook order), row and column
    (``today``, default the system date, tells what is due by the period's end)."""
    findings = currency_findings(book, formula_blind(book, spec), spec)
    findings += missing_formulas(book)
    findings += calculated_errors(book)
    findings = kpi_sheet_missing(book, findings)
    findings += sheet_copies(book)
    for table in book.tables.values():
        findings += column_findings(book, table, today)
    findings += cross_findings(book, spec)
    findings += lack_findings(book)
    findings += period_findings(book)
    findings = [f for f in findings if not is_own_spelling(book, f, spec)]
    order = {s.name: s.index for s in book.layout.sheets}
    return sorted(findings, key=lambda f: (order.get(f.sheet, -1), f.row or 0,
                                           f.cell or "", f.rule))
