"""Rows the workbook's own formulas leave out because their calculated cells hold no
formula: found, and put right by ``validate --write``.

The KPI sheet adds up the Sales table's calculated columns (customer weight, new-customer
flag, weighted amount …), a formula in every row of the table. A row whose calculated cell
holds none — a row added by a script (openpyxl writes no formula), a table extended in
LibreOffice (which does not fill calculated columns), a value typed or pasted over the
formula — is left out of those KPIs, while ``xlsales kpis``, which computes from the rows'
input columns, counts it: the two disagree without a word. One warning per table and
column names the first such cell and how many rows; :func:`restore_formulas` writes the
column's formula (the spec's, as the template writes it, naming the columns as the
table's headers do) into those cells.

Cost: whether there is any was counted while the sheet was read
(:attr:`~xlsales.io.reader_data.ReadTable.formulas_complete`, see
:mod:`xlsales.io.formulacells`); only a table where the count fell short is scanned for
the cells (:func:`~xlsales.io.formulagaps.formula_gaps`). A roll-up's calculated columns
hold values by design (``xlsales consolidate`` computes them for its period) and are not
looked at; nor are tables found by their headers (no Excel Table: no calculated columns).
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from xlsales.findings import Finding, counted, finding
from xlsales.io.cells import inflated
from xlsales.io.formulacells import CalcRange
from xlsales.io.formulagaps import GapScan, formula_gaps
from xlsales.io.reader import ReadTable, ReadWorkbook, get_column_letter, range_boundaries
from xlsales.spec import SPEC, WorkbookSpec
from xlsales.spec.declarations import ROLLUP_LEVELS, ROLLUP_MEMBER

if TYPE_CHECKING:
    from xlsales.io.package import WorkbookPackage


def calculated_tables(book: ReadWorkbook) -> list[ReadTable]:
    """The tables of ``book`` whose calculated cells should hold their formula: Excel
    Tables with calculated columns, whose formula cells were counted as they were read,
    but a roll-up's (values by design)."""
    rollup = book.info.get("level") in ROLLUP_LEVELS
    return [t for t in book.tables.values() if t.formulas_complete is not None
            and not (rollup and ROLLUP_MEMBER.header_in(t.frame.columns) is not None)]


def calculated_columns(read: ReadTable) -> dict[int, str]:
    """Sheet column → key of each calculated column of ``read`` the sheet has."""
    return {col: key for key, col in read.columns.items()
            if key in read.spec.key_set and not read.spec.column(key).is_input}


def table_gaps(book: ReadWorkbook, read: ReadTable) -> GapScan:
    """The rows of ``read`` (in its Excel Table's range) whose calculated cells hold no
    formula, from one streamed pass over its sheet."""
    info = book.layout.table(read.spec.name)
    columns = tuple(sorted(calculated_columns(read)))
    if info is None or not columns:
        return GapScan()
    first = range_boundaries(info.ref)[1]
    part = book.layout.sheet(read.sheet).part
    with zipfile.ZipFile(book.path) as zf:
        return formula_gaps(inflated(zf, part), CalcRange(columns, first + info.header_rows,
                                                          info.data_end()), read.rows)


def missing_formulas(book: ReadWorkbook) -> Iterator[Finding]:
    """One warning per table and calculated column holding no formula in some rows of
    the table (not counted by the KPI sheet): the first such cell and how many."""
    for read in calculated_tables(book):
        if read.formulas_complete:
            continue
        yield from _per_column("missing_formula", book, read, table_gaps(book, read))


def restore_formulas(book: ReadWorkbook, package: WorkbookPackage, findings: Iterable[Finding],
                     spec: WorkbookSpec = SPEC, also: Collection[str] = (),
                     spellings: Mapping[str, str] | None = None) -> list[Finding]:
    """Put the formulas back where ``findings`` (of :func:`missing_formulas`) say they are
    missing, in ``package`` (``book``'s file, opened for editing; saving writes them):
    each table's calculated columns get the spec's formula, as the template writes it
    (:func:`~xlsales.build.formulas.stored_formula`), its columns named as the table's
    headers name them (:func:`header_names`), in the rows lacking it. Returns one
    ``formula_restored`` finding per column, as :func:`missing_formulas` names them.
    The tables named in ``also`` are looked at too (a table just extended over rows
    typed below it, whose new rows lack the formulas). With ``spellings`` (a workbook
    converted to Traditional: :mod:`~xlsales.validation.formula_spellings`) the formulas
    count the book's spelling of a choice, as its other formulas now do."""
    from xlsales.build.formulas import stored_formula
    from xlsales.validation.formula_spellings import respelled

    tables = {f.table for f in findings if f.rule == "missing_formula"} | set(also)
    restored: list[Finding] = []
    for read in calculated_tables(book):
        if read.spec.name not in tables:
            continue
        names = header_names(book, read)
        formulas = {col: respelled(stored_formula(spec.table(read.spec.name), key, spec,
                                                  book.lang, names), spellings or {})
                    for col, key in calculated_columns(read).items()}
        scan = package.restore_formulas(read.spec.name, formulas, read.rows)
        restored += _per_column("formula_restored", book, read, scan)
    return restored


def header_names(book: ReadWorkbook, read: ReadTable) -> dict[str, str]:
    """Column key → the name ``read``'s Excel Table gives the column (its table part's
    ``tableColumn``, what a structured reference must name): ``客戶`` in a workbook
    converted to Traditional, where the spec's label is ``客户``."""
    info = book.layout.table(read.spec.name)
    if info is None:
        return {}
    first = range_boundaries(info.ref)[0]
    return {key: info.columns[col - first] for key, col in read.columns.items()
            if key in read.spec.key_set and 0 <= col - first < len(info.columns)}


def _per_column(rule: str, book: ReadWorkbook, read: ReadTable, scan: GapScan) -> list[Finding]:
    """A finding of ``rule`` per calculated column ``scan`` found without formula."""
    keys = calculated_columns(read)
    out = []
    for col, rows in sorted(scan.by_column().items()):
        key = keys[col]
        out.append(finding(rule, sheet=read.sheet, cell=f"{get_column_letter(col)}{rows[0]}",
                           row=rows[0], column=key, value=len(rows), table=read.spec.name,
                           label=read.spec.column(key).label.get(book.lang), count=len(rows),
                           rows_en=counted(len(rows), "row"), file=_shown(book.path.name)))
    return out


def _shown(name: str) -> str:
    """A file name as a command line names it (quoted where it holds a space)."""
    return f'"{name}"' if any(c.isspace() for c in name) else name
