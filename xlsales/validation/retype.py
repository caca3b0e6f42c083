"""The value to type into each cell the workbook's formulas cannot count.

A warning of :mod:`~xlsales.validation.formula_blind` (``values_not_counted``,
``spaces_not_counted``, ``time_not_counted``) names the cells it is about, each with the
value xlsales read there — what to type instead of ``'2.94万'`` is ``29400`` — so a rep
can retype them without guessing; ``validate --write`` retypes them itself where the
value is a number or a date (:func:`retypable`), and deletes the spaces around a text
(:func:`trimmable`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from xlsales.findings import Finding
from xlsales.io.reader import ReadWorkbook
from xlsales.spec import ColumnType

if TYPE_CHECKING:
    from xlsales.io.package import WorkbookPackage

#: Cells named one by one in a warning; the rest are counted ("and 3 more").
SHOWN = 5


@dataclass(frozen=True)
class Retype:
    """One cell to retype: where, what was typed and what to type (as xlsales read it)."""

    sheet: str
    table: str
    column: str
    cell: str
    row: int
    typed: object
    value: object


def read_value(book: ReadWorkbook, f: Finding,
               positions: dict[str, dict[int, int]] | None = None) -> object:
    """What xlsales read in the cell of the ``converted`` finding ``f`` (a number, a
    date, the text without its spaces), or None when its row is not in the table read.
    ``positions`` (table → sheet row → its position in the frame) is filled as tables
    are first asked about, so many findings cost one index per table."""
    read = book.tables.get(f.table or "")
    if read is None or f.column not in read.frame or f.row is None:
        return None
    positions = {} if positions is None else positions
    index = positions.get(read.spec.name)
    if index is None:
        index = positions[read.spec.name] = {row: i for i, row in enumerate(read.rows)}
    pos = index.get(f.row)
    if pos is None:
        return None
    value = read.frame[f.column].iat[pos]
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def retypes(book: ReadWorkbook, found: Sequence[Finding]) -> list[Retype]:
    """The cells of ``found`` (``converted`` findings of one column), in row order, each
    with the value xlsales read there; those read as nothing are left out."""
    out = []
    positions: dict[str, dict[int, int]] = {}
    for f in sorted(found, key=lambda f: f.row or 0):
        value = read_value(book, f, positions)
        if value is not None and f.cell and f.row is not None:
            out.append(Retype(f.sheet, f.table or "", f.column or "", f.cell, f.row,
                              f.value, value))
    return out


def retypable(r: Retype) -> bool:
    """Whether ``validate --write`` may type ``r``'s value into its cell itself: a number
    or a date read from text (a text cell's spaces, a choice's spelling, a date-time's
    time of day are the rep's to retype)."""
    return (isinstance(r.typed, str) and not isinstance(r.value, bool)
            and isinstance(r.value, int | float | date))


#: The spaces :func:`~xlsales.normalise.clean_text` strips around a text.
SPACES = " \t\r\n\u00a0\u3000"


def trimmable(r: Retype) -> bool:
    """Whether ``validate --write`` may delete the spaces around ``r``'s text itself: the
    text read is the one typed, without those spaces (a name, a customer)."""
    return (isinstance(r.typed, str) and isinstance(r.value, str) and bool(r.value)
            and r.typed != r.value and r.typed.strip(SPACES) == r.value)


def shown(value: object) -> str:
    """A value as the rep should type it: ``29400``, ``1234.5``, ``2026-10-20``,
    ``'ACME'`` (text quoted)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return repr(str(value))


def _typed(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return repr(value) if isinstance(value, str) else shown(value)


def cells_fields(cells: Sequence[Retype]) -> dict[str, str]:
    """The ``cells_zh`` / ``cells_en`` fields of a warning: the first :data:`SHOWN` cells,
    each with the value to type and what was typed (``J459: 29400 (typed '2.94万')``),
    then how many more."""
    head = cells[:SHOWN]
    rest = len(cells) - len(head)
    zh = "；".join(f"{r.cell}：{shown(r.value)}（原为 {_typed(r.typed)}）" for r in head)
    en = "; ".join(f"{r.cell}: {shown(r.value)} (typed {_typed(r.typed)})" for r in head)
    if rest:
        zh += f"；另有 {rest} 个"
        en += f"; and {rest} more"
    return {"cells_zh": zh, "cells_en": en}


def retype_values(book: ReadWorkbook, package: WorkbookPackage, findings: Sequence[Finding],
                  also: Mapping[tuple[str, str], str] | None = None
                  ) -> tuple[list[Finding], set[tuple[str, str]]]:
    """Type the numbers and dates xlsales read from text into their cells, in ``package``
    (``book``'s file, opened for editing; saving writes them), for each column a
    ``values_not_counted`` warning of ``findings`` names, and the texts without their
    spaces for each a ``spaces_not_counted`` warning names, and for each column of
    ``also`` (table, column → such a rule: rows below a table taken into it). Returns a
    ``values_retyped`` (``spaces_trimmed``) info finding per column and the (table,
    column) pairs of which every cell was retyped (their warnings no longer hold)."""
    from xlsales.findings import counted, finding

    columns: dict[tuple[str | None, str | None], str] = {**(also or {})}
    columns.update({(f.table, f.column): f.rule for f in findings
                    if f.rule in ("values_not_counted", "spaces_not_counted")})
    done: list[Finding] = []
    whole: set[tuple[str, str]] = set()
    # never a cell an error is about (US$200 in a yuan book: not 200 yuan)
    doubted = {(f.sheet, f.cell) for f in findings if f.severity.value == "error"}
    for (table, key), rule in sorted(columns.items(), key=str):
        fits = trimmable if rule == "spaces_not_counted" else retypable
        read = book.tables.get(table or "")
        if read is None or key not in read.columns:
            continue
        cells = retypes(book, [f for f in book.findings if f.rule == "converted"
                               and f.table == table and f.column == key
                               and isinstance(f.value, str)])
        col = read.columns[key]
        cells = [r for r in cells if (r.sheet, r.cell) not in doubted]
        wanted = {r.row: {col: r.value} for r in cells if fits(r)}
        if not wanted:
            continue
        months = frozenset({col}) if read.spec.column(key or "").type is ColumnType.MONTH \
            else frozenset()
        rows = {row for row, _ in package.retype_cells(read.sheet, wanted,  # type: ignore[arg-type]
                                                       months)}
        retyped = [r for r in cells if r.row in rows]
        if not retyped:
            continue
        if len(retyped) == len(cells):
            whole.add((table or "", key or ""))
        first = retyped[0]
        done.append(finding("spaces_trimmed" if fits is trimmable else "values_retyped",
                            sheet=first.sheet, cell=first.cell,
                            row=first.row, column=key, value=len(retyped), table=table,
                            label=read.spec.column(key or "").label.get(book.lang),
                            count=len(retyped), values_en=counted(len(retyped), "value"),
                            **cells_fields(retyped)))
    return done, whole
