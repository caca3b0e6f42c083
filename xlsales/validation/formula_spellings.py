"""A workbook converted to Traditional Chinese (Excel's or WPS's 简转繁): its cells, lists
and headers read 贏單, 新客戶, but its formulas still count the Simplified 赢单, 新客户
(Excel does not convert a formula's text), so its own KPI sheet leaves those rows out.
:func:`book_spellings` finds, in such a book, the choices its cells spell in Traditional;
``validate --write`` has the formulas count that spelling
(:meth:`~xlsales.io.package.WorkbookPackage.rewrite_formula_text`), and the formulas it
restores count it too."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadWorkbook
from xlsales.spec import SPEC, WorkbookSpec
from xlsales.spec.subset import kpi_tables
from xlsales.spec.traditional import is_traditional, simplified
from xlsales.validation.formula_blind import label_cells

if TYPE_CHECKING:
    from xlsales.io.package import WorkbookPackage


def book_spellings(book: ReadWorkbook, spec: WorkbookSpec = SPEC) -> dict[str, str]:
    """The spec's label → the Traditional spelling most cells of ``book`` use for it
    (``赢单`` → ``贏單``; a choice typed more often as the label itself keeps it), for the
    choices of the tables the KPI sheet reads; empty unless the book is written in
    Traditional characters."""
    if not is_traditional([s.name for s in book.layout.sheets]):
        return {}
    tables = kpi_tables(spec)
    spelled: dict[str, Counter[str]] = {}  # label → Traditional spellings typed
    plain: Counter[str] = Counter()  # label → cells typed as the label itself
    for f in book.findings:
        if f.rule != "converted" or f.table not in tables or not isinstance(f.value, str):
            continue
        column = spec.table(f.table or "").column(f.column or "")
        typed = f.value.strip()
        for label in column.choices.labels(book.lang) if column.choices is not None else ():
            if typed != label and simplified(typed) == label:
                spelled.setdefault(label, Counter())[typed] += 1
    for name in tables & set(book.tables):
        for column in book.tables[name].spec.columns:
            if column.choices is not None and column.is_input:
                for key, cells in label_cells(book, name, column.key).items():
                    plain[column.choices.label(key, book.lang)] += len(cells)
    return {label: typed.most_common(1)[0][0] for label, typed in spelled.items()
            if sum(typed.values()) > plain[label]}


def respelled(formula: str, spellings: dict[str, str]) -> str:
    """``formula`` counting the book's spellings: each string literal ``"赢单"`` of
    ``spellings`` as ``"贏單"``."""
    for label, typed in spellings.items():
        formula = formula.replace(f'"{label}"', f'"{typed}"')
    return formula


def respell_formulas(book: ReadWorkbook, package: WorkbookPackage,
                     spellings: dict[str, str]) -> list[Finding]:
    """Have the formulas of ``book`` (opened as ``package``) count ``spellings``; one
    ``formula_respelled`` finding saying which, or nothing when there is none to change
    (a sheet too large to rewrite keeps its formulas and its warnings)."""
    if not spellings:
        return []
    changed, _ = package.rewrite_formula_text(spellings)
    if not changed:
        return []
    shown_zh = "、".join(f"“{b}”（原为“{a}”）" for a, b in spellings.items())
    shown_en = ", ".join(f"'{b}' (was '{a}')" for a, b in spellings.items())
    return [finding("formula_respelled", sheet=book.layout.sheets[0].name,
                    value=len(spellings), spellings_zh=shown_zh, spellings_en=shown_en)]
