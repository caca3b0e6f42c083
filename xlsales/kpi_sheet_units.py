"""The KPI sheet's Unit column kept in the book's currency.

``xlsales new`` writes, beside each money KPI of the KPI sheet (its formulas need no
Python), the currency its amounts are in (``USD``; ``金额`` / ``money`` for the yuan).
Change the currency on the basic-info sheet (a book started in USD, kept in EUR from now
on) and that column still said USD, while ``kpis`` and the KPI report said EUR; its
amounts were formatted ``#,##0.00 "USD"`` too, as every money cell of the book.
``kpis --write`` rewrites those cells (:func:`refresh_units`), their style kept, and gives
the old currency's number format the new one's code, every other cell as it was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.currency import CURRENCY_FIELD
from xlsales.io.sheetcontent import money_format
from xlsales.kpi_labels import unit_label
from xlsales.money_text import shown_unit
from xlsales.script_variant import own_text
from xlsales.spec import SPEC

if TYPE_CHECKING:
    from xlsales.io.package import WorkbookPackage
    from xlsales.io.reader import ReadWorkbook

#: The KPI sheet's table of KPIs and its columns (0-based within the table, as the spec
#: declares them): the KPI's code, its unit.
_TABLE = "KPIs"
_CODE, _UNIT = (SPEC.table(_TABLE).keys.index(k) for k in ("key", "unit"))
#: A money KPI, for the words of the yuan's unit.
_MONEY_KPI = next(k for k in SPEC.kpis if k.unit == "money")


def stale_units(book: ReadWorkbook) -> dict[int, tuple[str, str]]:
    """Sheet row → what a money KPI's Unit cell says and what it should, for the cells of
    the KPI sheet that say another (none when the sheet has no KPI table, or cannot be
    read)."""
    from xlsales.io.cells import READ_FAILURES, cells_of
    from xlsales.io.reader_a1 import range_boundaries

    table = book.layout.table(_TABLE)
    if table is None:
        return {}
    own = own_text(book, book.lang)
    money = shown_unit(book.info.get(CURRENCY_FIELD), book.lang)
    wanted = {k.key: own(unit_label(k, book.lang, money)) for k in SPEC.kpis
              if k.unit == "money"}
    try:
        with cells_of(book.path) as reader:
            grid = reader.rows(table.sheet)
    except (OSError, *READ_FAILURES):
        return {}
    c1, r1, c2, r2 = range_boundaries(table.ref)
    if c2 - c1 < _UNIT:
        return {}
    out = {}
    for row in range(r1 + 1, min(r2, len(grid)) + 1):
        cells = list(grid[row - 1][c1 - 1:c2]) + [None] * (c2 - c1 + 1)
        unit = wanted.get(str(cells[_CODE] or "").strip())
        if unit is not None and isinstance(cells[_UNIT], str) and cells[_UNIT] != unit:
            out[row] = (cells[_UNIT], unit)
    return out


def _money_code(unit: str, book: ReadWorkbook) -> str | None:
    """The number format of the book's amounts when its Unit cells say ``unit``: the
    template's yuan format where they give the spec's word (``金额``), None where that
    format is no amount's alone (``#,##0.00`` of an English yuan book)."""
    from xlsales.build.styles import MONEY_FORMAT

    yuan = own_text(book, book.lang)(unit_label(_MONEY_KPI, book.lang))
    if unit != yuan:
        return money_format(unit)
    return MONEY_FORMAT[book.lang] if book.lang == "zh" else None


def refresh_units(book: ReadWorkbook, package: WorkbookPackage) -> int:
    """Queue in ``package`` the KPI sheet's money units of :func:`stale_units` (written
    when it is saved); how many cells."""
    from xlsales.build.styles import MONEY_FORMAT
    from xlsales.io.reader_a1 import range_boundaries

    stale = stale_units(book)
    if not stale:
        return 0
    table = book.layout.table(_TABLE)
    assert table is not None
    column = range_boundaries(table.ref)[0] + _UNIT
    done = len(package.retype_cells(table.sheet, {r: {column: new}
                                                  for r, (_, new) in stale.items()}))
    money = shown_unit(book.info.get(CURRENCY_FIELD), book.lang)
    new_code = money_format(money) if money else MONEY_FORMAT[book.lang]
    for old in sorted({old for old, _ in stale.values()}):
        old_code = _money_code(old, book)
        if old_code is not None and old_code != new_code:
            package.recode_number_format(old_code, new_code)
    return done
