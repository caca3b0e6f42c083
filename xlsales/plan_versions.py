"""The versions of a workbook's plan sheets: how ``plan --new-version`` names them
("计划-目标 v2", table ``PlanTargetsV2``) and which a workbook holds, the latest being the
plan in use (made again, replaced, carried by ``new --from``). Names only, from the spec:
no import of the plan generator, so that ``validate`` can ask cheaply."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xlsales.spec import SPEC, Lang, Sheet, SheetKind
from xlsales.spec.traditional import same_name

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook


def plan_sheets() -> list[Sheet]:
    """The spec's plan sheets, in order."""
    return [s for s in SPEC.sheets if s.kind is SheetKind.PLAN]


def version_name(sheet: Sheet, lang: Lang, version: int) -> tuple[str, str]:
    """The sheet name and table name of ``sheet`` in plan ``version``."""
    name, table = sheet.name.get(lang), sheet.tables[0].name
    return (name, table) if version == 1 else (f"{name} v{version}", f"{table}V{version}")


def found_versions(book: ReadWorkbook, lang: Lang) -> dict[int, list[tuple[Sheet, str]]]:
    """Plan version → its sheets in ``book`` (the spec's sheet and the name the workbook
    gives it: found too when written in Traditional characters)."""
    found: dict[int, list[tuple[Sheet, str]]] = {}
    for workbook_name in (s.name for s in book.layout.sheets):
        m = _VERSIONED.fullmatch(workbook_name)
        base, version = (m[1], int(m[2])) if m else (workbook_name, 1)
        for sheet in plan_sheets():
            if version >= 1 and same_name(sheet.name.get(lang), [base]) is not None:
                found.setdefault(version, []).append((sheet, workbook_name))
    return {v: found[v] for v in sorted(found)}


#: A plan sheet's name in a later version: its name, " v", the version.
_VERSIONED = re.compile(r"(.+) v(\d+)")


def latest_plan(book: ReadWorkbook) -> int:
    """The plan version in use: the last one written, 1 when there is none."""
    return max(found_versions(book, book.lang), default=1)
