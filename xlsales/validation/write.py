"""``validate --write``: the findings as a sheet of the workbook, with links to the
cells, the offending cells shaded, tables extended over the rows typed below them
(:func:`~xlsales.validation.extend.extend_tables`) and the formulas of calculated cells
that hold none put back (:func:`~xlsales.validation.calculated.restore_formulas`),
numbers and dates typed as text retyped (:func:`~xlsales.validation.retype.retype_values`),
through the package writer
(nothing else in the file changes; a second run refreshes the sheet and the shading)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from xlsales.findings import Finding, Severity
from xlsales.io.cells import cells_of
from xlsales.io.own_sheets import check_own_sheet
from xlsales.io.package import CellValue, Link, SheetContent, WorkbookPackage
from xlsales.io.reader import ReadWorkbook
from xlsales.io.results import result_sheet
from xlsales.io.sheetcontent import cell_location
from xlsales.script_variant import OwnText, own_text
from xlsales.spec import SPEC, Lang
from xlsales.spec.traditional import same_name
from xlsales.validation.calculated import restore_formulas
from xlsales.validation.extend import BELOW, extend_tables
from xlsales.validation.formula_blind import below_unseen
from xlsales.validation.formula_spellings import book_spellings, respell_formulas
from xlsales.validation.report import SEVERITY_LABEL, column_label, severity_counts
from xlsales.validation.retype import retype_values

#: More findings than this are summarised in a last row (the JSON output has them all).
MAX_ROWS = 10_000
ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _row(f: Finding, lang: Lang, own: OwnText) -> list[CellValue]:
    value = f.value
    if not isinstance(value, str | int | float | date | datetime) or isinstance(value, bool):
        value = None if value is None else str(value)
    where: CellValue = (Link(f"{f.sheet}!{f.cell}", cell_location(f.sheet, f.cell)) if f.cell
                        else f.sheet)
    message = f.message_zh if lang == "zh" else f.message_en  # quotes the value, the sheet
    return [own(SEVERITY_LABEL[lang][f.severity]), f.sheet, where, f.row,
            own(column_label(f, lang), (f.column,)), f.rule, value,
            own(message, (value, f.sheet, f.column))]


def _in_book(book: ReadWorkbook, key: str) -> str | None:
    """The name the spec's sheet ``key`` has in ``book``, in either language (a validation
    sheet written with ``--lang`` other than the book's) or in Traditional, or None."""
    names = [s.name for s in book.layout.sheets]
    found = (same_name(SPEC.sheet(key).name.get(lang), names) for lang in ("zh", "en"))
    return next((names[i] for i in found if i is not None), None)


def _previously_highlighted(book: ReadWorkbook) -> set[str]:
    """Sheets named on the validation sheet of an earlier run (their shading is cleared)."""
    sheet_name = _in_book(book, "validation")
    if sheet_name is None:
        return set()
    with cells_of(book.path) as reader:
        rows = reader.rows(sheet_name)
    return {str(r[1]) for r in rows[1:] if len(r) > 1 and r[1]}


def validation_content(book: ReadWorkbook, findings: list[Finding], lang: Lang) -> SheetContent:
    """The validation sheet: findings by severity (links to their cells), counts on top."""
    sheet = SPEC.sheet("validation")
    own = own_text(book, lang)  # in Traditional in a book converted to it
    ordered = sorted(findings, key=lambda f: ORDER[f.severity])
    rows = [_row(f, lang, own) for f in ordered[:MAX_ROWS]]
    if len(ordered) > MAX_ROWS:
        rest = len(ordered) - MAX_ROWS
        rows.append(["", "", "", None, "", "", None,
                     own(f"另有 {rest:,} 条：请运行 xlsales validate --json 查看全部。")
                     if lang == "zh"
                     else f"{rest:,} more: run xlsales validate --json to see them all."])
    title = (f"{book.path.name}: " + own(severity_counts(findings, lang)),
             own(sheet.help.get(lang)) if sheet.help else "")
    content = result_sheet(sheet, lang, rows, title, links=("cell",), own=own)
    check_own_sheet(book.layout, content)  # never over a "校验结果" the user made
    return content


def highlight_cells(findings: list[Finding]) -> dict[str, list[str]]:
    """Sheet → cells of its errors and warnings, the cells to shade."""
    cells: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f.cell and f.severity is not Severity.INFO:
            cells[f.sheet].append(f.cell)
    return dict(cells)


@dataclass
class WrittenValidation:
    """What :func:`write_validation` wrote: the validation sheet's name, the tables
    extended over rows below them (``table_extended``) and, per table and calculated
    column, the formulas restored (``formula_restored`` findings)."""

    sheet: str
    restored: list[Finding] = field(default_factory=list)


def write_validation(book: ReadWorkbook, findings: list[Finding],
                     lang: Lang) -> WrittenValidation:
    """Add or refresh the validation sheet of ``book``, shade the cells of errors and
    warnings, and put back the calculated-column formulas ``findings`` say are missing;
    one save, atomic. The sheet lists the findings as the file now is: a restored
    column's warning becomes the info finding that says so (its cells are not shaded)."""
    earlier = _previously_highlighted(book)
    existing = {s.name for s in book.layout.sheets}
    with WorkbookPackage.open(book.path) as package:
        spellings = book_spellings(book)  # first: it rewrites whole sheets
        respelled = respell_formulas(book, package, spellings)
        extended = extend_tables(book, package, findings)
        grown = {f.table for f in extended}
        taken = {(f.table, f.cell) for f in extended}  # rows after a gap stay below
        restored = respelled + extended + restore_formulas(book, package, findings,
                                                           also=grown, spellings=spellings)
        retyped, whole = retype_values(book, package, findings,  # the rows taken in too
                                       also=below_unseen(book, grown) if grown else None)
        restored += retyped
        fixed = {(f.table, f.column) for f in restored}
        counted = set(spellings.values()) if respelled else set()
        shown = [f for f in findings
                 if not (f.rule == "missing_formula" and (f.table, f.column) in fixed)
                 and not (f.rule in BELOW and (f.table, f.cell) in taken)
                 and not (f.rule == "choice_not_counted" and str(f.value).strip() in counted)
                 and not (f.rule in ("values_not_counted", "spaces_not_counted")
                          and (f.table, f.column) in whole)
                 ] + restored
        content = validation_content(book, shown, lang)
        cells = highlight_cells(shown)
        package.put_sheet(content, after=_in_book(book, "instructions"))
        for target in (set(cells) | earlier) & existing:
            package.set_highlights(target, sorted(set(cells.get(target, []))))
        package.save()
    return WrittenValidation(content.name, restored)
