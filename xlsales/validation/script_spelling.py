"""A workbook converted to Traditional writes its choices in Traditional (``贏單``,
``新客戶``): the book's own spelling, which the reader still notes as a repair (the
formula checks read those notes: :mod:`~xlsales.validation.formula_spellings`), but which
``validate`` does not report — a Taipei team would hear of every stage it typed as
"auto-corrected". A real alias (``成交`` for 赢单) is still reported, and so is a
Traditional spelling in a book written in Simplified."""

from __future__ import annotations

from xlsales.findings import Finding
from xlsales.io.reader import ReadWorkbook
from xlsales.script_variant import is_script_spelling
from xlsales.spec import WorkbookSpec


def is_own_spelling(book: ReadWorkbook, finding: Finding, spec: WorkbookSpec) -> bool:
    """Whether ``finding`` only notes ``book``'s own Traditional spelling of a choice."""
    if book.script is None or finding.rule != "converted" or not finding.table:
        return False
    table = spec.table(finding.table)
    if finding.column not in table.key_set:
        return False
    return is_script_spelling(table.column(finding.column), finding.value)
