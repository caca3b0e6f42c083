"""Stable machine-readable tables for finance: ``xlsales export``.

Column names are the spec's English field and KPI keys; dates are ISO dates;
numbers stay numbers; every row says whose it is and for which period. CSV is
written UTF-8 with a byte-order mark (Excel opens it right) and text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``)
is neutralised with a leading apostrophe.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from xlsales.errors import UsageError
from xlsales.files import atomic_output
from xlsales.io.reader import ReadWorkbook, read_workbook
from xlsales.kpis import compute_kpis
from xlsales.spec import SPEC

Format = Literal["csv", "xlsx"]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Export name → spec table it comes from (None: computed).
EXPORTS: dict[str, str | None] = {
    "kpis": None,
    "kpis_by_rep": None,
    "sales": "Sales",
    "targets": "Targets",
    "activities": "Activities",
    "problems": "Problems",
    "lessons": "Lessons",
    "plan_targets": "PlanTargets",
    "actions": "PlanActions",
    "budget": "PlanBudget",
}
DEFAULT_TABLES = ("kpis", "kpis_by_rep", "targets", "plan_targets", "actions", "budget")


@dataclass
class ExportResult:
    """Files written and rows per table."""

    files: list[Path]
    rows: dict[str, int]


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain text (``'=1+1``)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _identity(book: ReadWorkbook) -> dict[str, object]:
    period = book.period
    return {  # prefixed so that they never clash with a table's own columns
        "source_file": book.path.name,
        "report_owner": book.info.get("owner"),
        "report_level": book.info.get("level"),
        "report_period": period.label if period else None,
        "report_start": period.start if period else None,
        "report_end": period.end if period else None,
    }


def book_tables(book: ReadWorkbook, names: Sequence[str]) -> dict[str, pd.DataFrame]:
    """The export tables of one workbook, each row tagged with source, owner and period."""
    ident = _identity(book)
    frames = {n: t.frame for n, t in book.tables.items()}
    out: dict[str, pd.DataFrame] = {}
    for name in names:
        source = EXPORTS[name]
        if name == "kpis":
            frame = pd.DataFrame([compute_kpis(frames, book.period).kpis]) \
                if book.period else pd.DataFrame()
        elif name == "kpis_by_rep":
            result = compute_kpis(frames, book.period, by="rep") if book.period else None
            frame = pd.DataFrame([{"rep": rep, **values} for rep, values in
                                  (result.groups.items() if result else [])])
        else:
            table = SPEC.table(source or "")
            present = book.tables.get(table.name)
            frame = present.frame[[c for c in present.frame.columns if c in table.keys
                                   and table.column(c).is_input]] if present else \
                pd.DataFrame(columns=[c.key for c in table.columns if c.is_input])
        for i, (key, value) in enumerate(ident.items()):
            frame.insert(i, key, value)
        out[name] = frame
    return out


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.map(lambda v: isinstance(v, date | datetime)).any():
            frame[column] = values.map(lambda v: v.isoformat()[:10] if isinstance(
                v, date | datetime) else v)
        if values.dtype == object or str(values.dtype).startswith("str"):
            frame[column] = frame[column].map(neutralise)
    return frame


def export_books(paths: Sequence[Path], out_dir: Path, fmt: Format = "csv",
                 tables: Sequence[str] = DEFAULT_TABLES,
                 progress: Callable[[str], None] = print) -> ExportResult:
    """Read every workbook and write one file per table (all workbooks' rows together)."""
    unknown = [t for t in tables if t not in EXPORTS]
    if unknown:
        raise UsageError(f"未知的表：{', '.join(unknown)}。可选：{', '.join(EXPORTS)}。",
                         f"Unknown table(s): {', '.join(unknown)}. Choose from "
                         f"{', '.join(EXPORTS)}.")
    if not paths:
        raise UsageError("请给出至少一个工作簿。", "Give at least one workbook.")
    collected: dict[str, list[pd.DataFrame]] = {t: [] for t in tables}
    for i, path in enumerate(paths, 1):
        progress(f"[export] {i}/{len(paths)} {path.name}")
        for name, frame in book_tables(read_workbook(path), tables).items():
            collected[name].append(frame)
    out_dir.mkdir(parents=True, exist_ok=True)
    files, rows = [], {}
    for name, frames in collected.items():
        frame = _clean(pd.concat(frames, ignore_index=True)) if frames else pd.DataFrame()
        rows[name] = len(frame)
        target = out_dir / f"{name}.{fmt}"
        with atomic_output(target) as tmp:
            if fmt == "csv":
                frame.to_csv(tmp, index=False, encoding="utf-8-sig")
            else:
                with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": {
                        "strings_to_formulas": False, "strings_to_urls": False}}) as writer:
                    frame.to_excel(writer, sheet_name=name[:31], index=False)
        files.append(target)
    return ExportResult(files, rows)
