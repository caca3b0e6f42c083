"""The plan sheets a manager edited in the earlier roll-up, kept in the one replacing it.

``xlsales plan`` never overwrites a plan edited since it was written (its fingerprint
no longer matches): it asks for ``--new-version`` or ``--replace``. ``consolidate
--force`` onto the same ``-o`` does the same: when the earlier roll-up's plan for the
same next period was edited, its plan sheets (every version) are written into the new
roll-up as the manager left them, each under its title and the fingerprint xlsales
wrote, so ``plan`` still sees them edited; no fresh plan is written over them. A plan of
another period (a new month's roll-up) is not kept: the fresh plan is written, the old
one stays in the backup. What was typed beside a plan table (outside its columns) is
not carried: the backup keeps it, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from xlsales.io.cells import CellReader
from xlsales.io.ooxml import PackageLayout
from xlsales.io.sheetcontent import SheetContent
from xlsales.spec import Lang, Sheet
from xlsales.spec.traditional import name_key

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook


@dataclass(frozen=True)
class KeptSheet:
    """One plan sheet of the earlier roll-up as the manager left it."""

    sheet: Sheet
    name: str
    table_name: str
    title: tuple[str, ...]
    rows: list[list[object]]


@dataclass(frozen=True)
class KeptPlan:
    """The earlier roll-up's plan sheets (some edited), in its order."""

    sheets: list[KeptSheet]
    edited: list[str]
    #: plan sheets with something typed beside their table (not carried)
    beside: list[str]

    def for_period(self, label: str) -> bool:
        """Whether the plan is for the period labelled ``label`` (its titles name it)."""
        return bool(self.sheets) and all(
            any(label in t.split(" · ") for t in s.title) for s in self.sheets)


@dataclass(frozen=True)
class BookParts:
    """What the plan's and the KPI report's edit checks read of a workbook (its path and
    layout; no script), without reading its tables: given where a ReadWorkbook is asked."""

    path: Path
    layout: PackageLayout
    script: None = None


def _kept_sheet(sheet: Sheet, name: str, table_name: str, grid: list[list[object]],
                lang: Lang) -> tuple[KeptSheet, bool] | None:
    """The sheet ``name`` read from ``grid`` (its cells), and whether anything was typed
    beside its table; None when its header cannot be found."""
    first = name_key(sheet.tables[0].columns[0].label.get(lang))
    header = next((i for i, r in enumerate(grid) if r and name_key(r[0]) == first), None)
    if header is None:
        return None
    width = len(sheet.tables[0].columns)
    title = tuple(str(r[0]) for r in grid[:header] if r and r[0] not in (None, ""))
    body = [list(r[:width]) + [None] * (width - len(r)) for r in grid[header + 1:]]
    while body and all(v in (None, "") for v in body[-1]):
        body.pop()
    beside = any(v not in (None, "") for r in grid for v in r[width:])
    return KeptSheet(sheet, name, table_name, title, body), beside


def earlier_plan(path: Path, layout: PackageLayout, lang: Lang, cells: CellReader,
                 edited: list[str]) -> KeptPlan | None:
    """The plan sheets of the roll-up at ``path`` when some of them (``edited``, as
    ``existing_plan`` found) were edited; None when none was or one cannot be read."""
    from xlsales.plan_versions import found_versions, version_name

    if not edited:
        return None
    book = cast("ReadWorkbook", BookParts(path, layout))  # only its layout is read
    kept, beside = [], []
    for version, sheets in found_versions(book, lang).items():
        for sheet, name in sheets:
            read = _kept_sheet(sheet, name, version_name(sheet, lang, version)[1],
                               cells.rows(name), lang)
            if read is None:
                return None
            kept.append(read[0])
            if read[1]:
                beside.append(name)
    return KeptPlan(kept, edited, beside)


def kept_contents(plan: KeptPlan, lang: Lang, currency: str) -> list[SheetContent]:
    """The sheets of ``plan`` to write: the manager's rows under the title and the
    fingerprint xlsales wrote (``plan`` finds them edited, as they were), formatted as
    ``plan`` formats them (each target value by its measure's unit, amounts naming
    ``currency``)."""
    import pandas as pd

    from xlsales.currency import money_unit
    from xlsales.io.results import result_sheet
    from xlsales.plan.write import PLAN_TAB_COLOR, UNIT_COLUMN, measure_kinds

    money = money_unit(currency, lang)
    out = []
    for s in plan.sheets:
        table = s.sheet.tables[0]
        frame = pd.DataFrame(s.rows, columns=[c.key for c in table.columns])
        out.append(result_sheet(s.sheet, lang, s.rows, s.title,  # type: ignore[arg-type]
                                name=s.name, table_name=s.table_name,
                                tab_color=PLAN_TAB_COLOR,
                                row_kinds=measure_kinds(table, frame),
                                money_unit=None if table.name in UNIT_COLUMN else money))
    return out
