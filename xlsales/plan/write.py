"""Write a generated plan into the workbook as the spec's plan sheets, safely.

Each plan sheet carries a fingerprint of the values xlsales wrote. Re-running
compares it with what the sheet holds now: an untouched plan is regenerated; an
edited one is never overwritten silently — the user asks for a new version
(sheets "… v2") or for a replacement (after a backup copy of the file).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from xlsales.currency import money_unit
from xlsales.errors import UsageError
from xlsales.io.backup import keep_backup
from xlsales.io.cells import CellReader, cells_of
from xlsales.io.package import Link, SheetContent, WorkbookPackage
from xlsales.io.reader import ReadWorkbook
from xlsales.io.results import frame_rows, result_sheet, unit_kind
from xlsales.io.sheetcontent import ColumnKind
from xlsales.plan.basis_stamp import SEPARATOR, summary_fingerprint
from xlsales.plan.model import PlanResult
from xlsales.plan_versions import found_versions, plan_sheets, version_name
from xlsales.script_variant import OwnText, own_text
from xlsales.spec import SPEC, Label, Lang, Sheet, SheetKind, Table, WorkbookSpec
from xlsales.spec.declarations import measure_unit
from xlsales.spec.traditional import name_key

PLAN_TAB_COLOR = "#C55A11"
FINGERPRINT_PREFIX = "xlsales plan · "
Mode = Literal["refuse", "new_version", "replace"]


def _normal(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Link):
        return value.text
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(round(float(value), 6))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fingerprint(rows: list[list[object]]) -> str:
    """Short hash of a table's cell values, as written or as read back."""
    text = "\n".join("\t".join(_normal(v) for v in row) for row in rows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def versioned_spec(version: int, lang: Lang, spec: WorkbookSpec = SPEC) -> WorkbookSpec:
    """``spec`` with its plan sheets and their tables named as ``version`` of the plan
    names them ("计划-目标 v2", ``PlanTargetsV2``): a read with it takes that version."""
    sheets = []
    for sheet in spec.sheets:
        if sheet.kind is SheetKind.PLAN:
            name, table = version_name(sheet, lang, version)
            sheet = replace(sheet, name=Label(name, name),
                            tables=(replace(sheet.tables[0], name=table), *sheet.tables[1:]))
        sheets.append(sheet)
    return replace(spec, sheets=tuple(sheets))


def read_version(book: ReadWorkbook, version: int,
                 read_as: Callable[[WorkbookSpec], ReadWorkbook]) -> ReadWorkbook:
    """``book`` with the tables of plan ``version`` as its plan tables (under their usual
    names, for validation and the next period's workbook): ``book`` itself for version 1,
    else what ``read_as`` reads with the spec naming that version's sheets."""
    if version == 1:
        return book
    read = read_as(versioned_spec(version, book.lang))
    names = {version_name(s, book.lang, version)[1]: s.tables[0].name for s in plan_sheets()}
    tables = {names.get(n, n): replace(t, spec=SPEC.table(names[n])) if n in names else t
              for n, t in read.tables.items()}
    return replace(read, tables=tables)


@dataclass
class ExistingPlan:
    """Plan sheets already in the workbook and whether any was edited since written."""

    versions: set[int]
    edited: list[str]


def existing_plan(book: ReadWorkbook, lang: Lang, cells: CellReader | None = None
                  ) -> ExistingPlan:
    """Which plan versions exist, and which sheets of the latest one (the one a plan is
    made again in, and ``new --from`` takes) differ from their fingerprint (read from
    ``cells``, by default from the file)."""
    found = found_versions(book, lang)
    edited = []
    if found:
        with cells_of(book.path, cells) as reader:
            edited = [name for sheet, name in found[max(found)]
                      if sheet_edited(reader.rows(name), sheet, lang)]
    return ExistingPlan(set(found), edited)


def sheet_edited(rows: list[list[object]], sheet: Sheet, lang: Lang) -> bool:
    """True unless the sheet's table still holds exactly what xlsales wrote."""
    stamps = [i for i, r in enumerate(rows[:6]) if r and str(r[0]).startswith(FINGERPRINT_PREFIX)]
    first_label = sheet.tables[0].columns[0].label.get(lang)
    headers = [i for i, r in enumerate(rows) if r and name_key(r[0]) == name_key(first_label)]
    if not stamps or not headers:
        return True
    width = len(sheet.tables[0].columns)
    body = [list(r[:width]) + [None] * (width - len(r)) for r in rows[headers[0] + 1:]]
    while body and all(_normal(v) == "" for v in body[-1]):
        body.pop()
    written = str(rows[stamps[0]][0])[len(FINGERPRINT_PREFIX):].split(SEPARATOR)[0]
    return fingerprint(body) != written


def plan_version(book: ReadWorkbook, existing: ExistingPlan, mode: Mode) -> int:
    """The plan version to write: the next one for ``new_version``, else the latest (1
    when there is none: a plan made again, or replaced, is the one in use, which
    ``new --from`` takes); in ``refuse`` mode, edited plan sheets raise
    :class:`UsageError` and nothing is written."""
    if existing.versions and mode == "new_version":
        return max(existing.versions) + 1
    if existing.versions and mode == "refuse" and existing.edited:
        raise UsageError(
            f"{book.path.name} 中的计划表已被修改（{'、'.join(existing.edited)}），为避免丢失"
            "修改，未做任何改动。请用 --new-version 另存为新版本，或用 --replace 覆盖"
            "（会先备份原文件）。",
            f"The plan sheets of {book.path.name} were edited ({', '.join(existing.edited)});"
            " nothing was changed so that no edit is lost. Use --new-version to write a new "
            "version, or --replace to overwrite them (a backup copy is kept first).",
        )
    return max(existing.versions, default=1)


def plan_anchor(names: list[str], lang: Lang, existing: ExistingPlan) -> str | None:
    """The sheet of ``names`` (a workbook's sheets, in order) the plan sheets go after:
    the last existing plan sheet, else settings."""
    plan_names = {name_key(version_name(s, lang, v)[0]) for s in plan_sheets()
                  for v in existing.versions}
    after = next((n for n in reversed(names) if name_key(n) in plan_names),
                 SPEC.sheet("settings").name.get(lang))
    return after if after in names else None


def plan_contents(owner: str, plan: PlanResult, lang: Lang, version: int = 1,
                  summary: str | None = None, own: OwnText | None = None
                  ) -> list[SheetContent]:
    """The plan sheets of ``version`` for ``owner``, each titled with the fingerprint of
    its rows and, when given, that of the ``summary`` it was made from
    (:mod:`~xlsales.plan.basis_stamp`). ``own`` writes xlsales' text in the book's
    script (:func:`~xlsales.script_variant.own_text`: names, headers, the plan's own
    words; what the book's people typed as it is). Amounts name the book's currency by
    their number format (``#,##0.00 "SGD"``), except on the targets sheet, whose unit
    column says it."""
    own = own or OwnText()
    out = []
    money = money_unit(plan.currency, lang)
    for sheet in plan_sheets():
        table = sheet.tables[0]
        rows = [[own.cell(v) for v in row]  # type: ignore[misc]
                for row in frame_rows(table, plan.tables[table.name], lang)]
        name, table_name = version_name(sheet, lang, version)
        title = (f"{own(name)} · {plan.period.label} · {owner}".strip(),
                 f"{FINGERPRINT_PREFIX}{fingerprint(rows)}"
                 + (f"{SEPARATOR}{summary}" if summary else ""))
        out.append(result_sheet(sheet, lang, rows, title, name=name, table_name=table_name,
                                tab_color=PLAN_TAB_COLOR, own=own,
                                row_kinds=measure_kinds(table, plan.tables[table.name]),
                                money_unit=None if table.name in UNIT_COLUMN else money))
    return out


#: The plan tables whose rows name their unit in a column of their own (their amounts
#: are not marked again by their number format).
UNIT_COLUMN = frozenset({"PlanTargets"})
#: The columns of a plan table holding a value of the measure named in its ``kpi`` column.
MEASURE_VALUES = {"PlanTargets": "value", "PlanActions": "kpi_target"}


def measure_kinds(table: Table, frame: pd.DataFrame) -> dict[str, list[ColumnKind]]:
    """The kind of each row's target value in plan ``table`` (``frame``'s rows): formatted
    by the unit the spec gives its measure (a percentage as %, money with thousands
    separators, a count as an integer)."""
    column = MEASURE_VALUES.get(table.name)
    if column is None or "kpi" not in frame.columns:
        return {}
    return {column: [unit_kind(measure_unit(k)) for k in frame["kpi"]]}


def write_plan(book: ReadWorkbook, plan: PlanResult, lang: Lang, mode: Mode = "refuse",
               output: Path | None = None) -> tuple[list[str], Path | None]:
    """Put the plan sheets into ``book`` (or a copy at ``output``); return the sheet
    names written and the backup made (``replace`` mode), if any."""
    existing = existing_plan(book, lang)
    version, backup = plan_version(book, existing, mode), None
    if existing.versions and mode == "replace" and output is None:
        backup = keep_backup(book.path)
    after = plan_anchor([s.name for s in book.layout.sheets], lang, existing)
    written = []
    with WorkbookPackage.open(book.path) as package:
        for content in plan_contents(str(book.info.get("owner") or ""), plan, lang, version,
                                     summary_fingerprint(book),
                                     own_text(book, lang, user_text=True)):
            package.put_sheet(content, after=after)
            after = content.name
            written.append(content.name)
        package.save(output)
    return written, backup
