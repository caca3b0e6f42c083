"""What :func:`~xlsales.io.reader.read_workbook` returns: each table as a typed frame
with where its values came from (:class:`ReadTable`), and the workbook's info, tables,
lists, assumptions and reading findings (:class:`ReadWorkbook`). pandas is imported only
when a method needs it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from xlsales.errors import UsageError
from xlsales.findings import Finding
from xlsales.io.ooxml import PackageLayout
from xlsales.io.reader_a1 import get_column_letter
from xlsales.periods import Period
from xlsales.spec import SPEC, Lang, Table
from xlsales.workbook_data import WorkbookData

if TYPE_CHECKING:
    import pandas as pd

    from xlsales.script_variant import Script


@dataclass
class ReadTable:
    """One table as read: typed frame plus where each value came from."""

    spec: Table
    sheet: str
    header_row: int  # Excel row number of the header
    columns: dict[str, int]  # field key (or custom header) → 1-based Excel column
    rows: list[int]  # Excel row number of each frame row
    frame: pd.DataFrame
    found_by: str = "name"  # "name" or "header"
    unreadable: dict[str, set[int]] = field(default_factory=dict)  # key → positions
    #: Every calculated cell of the table's range holds its formula (counted as the sheet
    #: was read); False: some may not (:mod:`xlsales.validation.calculated` looks);
    #: None: not counted (no calculated columns, not an Excel Table, a live workbook).
    formulas_complete: bool | None = None
    #: Cells a merged range hides that read empty (only a merge's first cell holds its
    #: value): key → frame position → the range (``C456:C473``), reported once per range
    #: (:mod:`xlsales.io.reader_merged`), so the column rules say nothing of these cells.
    merged: dict[str, dict[int, str]] = field(default_factory=dict)
    #: Cell reference → error value (``#REF!``…) of the error cells of the table's sheet,
    #: as the sheet's read found them (:mod:`xlsales.validation.calculated_errors`).
    error_cells: dict[str, str] = field(default_factory=dict)

    def readable(self, key: str) -> pd.Series:
        """True where ``key``'s cell was empty or could be read (no finding yet)."""
        import pandas as pd

        mask = pd.Series(True, index=self.frame.index)
        bad = sorted(self.unreadable.get(key, ()))
        if bad:
            mask.iloc[bad] = False
        return mask

    def cell(self, key: str, position: int) -> str:
        """A1 address of ``key``'s cell in the frame row at ``position``."""
        return f"{get_column_letter(self.columns[key])}{self.rows[position]}"

    @property
    def custom_columns(self) -> list[str]:
        """The columns that are not the spec's: custom fields, kept as they were read."""
        return [c for c in self.frame.columns if c not in self.spec.key_set]


#: What cannot be done without a column it needs (zh, en), by purpose.
_CANNOT = {"plan": ("无法生成计划", "The plan cannot be made"),
           "kpis": ("无法计算 KPI", "The KPIs cannot be computed"),
           "export": ("无法导出这些表（财务会得到不完整的数字）",
                      "Its tables cannot be exported (finance would get incomplete figures)")}


@dataclass
class ReadWorkbook:
    """A workbook as read: info, tables, settings and the reading findings."""

    path: Path
    lang: Lang
    layout: PackageLayout
    info: dict[str, object]
    period: Period | None
    tables: dict[str, ReadTable]
    lists: dict[str, list[str]]
    assumptions: dict[str, object]
    findings: list[Finding] = field(default_factory=list)
    #: The cell (and row) of each basic-info field, by key.
    info_cells: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: The OpenCC conversion the book's own sheet names show (a book converted to
    #: Traditional: ``s2tw``, ``s2twp``), None for the spec's Simplified or English: what
    #: xlsales writes into it is written so (:mod:`xlsales.script_variant`).
    script: Script | None = None

    def require_period(self, option: bool = True) -> Period:
        """The workbook's period, or an error naming the file and the two cells to fill
        (and, with ``option``, the CLI's ``--period``; buttons have no such option)."""
        if self.period is not None:
            return self.period
        typed = next((f for f in self.findings if f.table == "Info" and f.cell
                      and f.column in ("period_type", "period_start")
                      and f.value is not None and str(f.value).strip()), None)
        if typed is not None:  # filled, but cannot be read: the cell and its value
            zh = typed.message_zh.rstrip("。") + (
                "；或用 --period 指定（如 --period 2026-10）。" if option else "。")
            en = typed.message_en + (" Or give --period (e.g. --period 2026-10)."
                                     if option else "")
            raise UsageError(f"{self.path.name}：{typed.sheet}!{typed.cell}：{zh}",
                             f"{self.path.name}: {typed.sheet}!{typed.cell}: {en}")
        info = SPEC.sheet("info").name
        fields = SPEC.table("Info").form_fields
        kind, start = (f.label for f in fields if f.key in ("period_type", "period_start"))
        zh = (f"{self.path.name} 没有周期：请在“{info.zh}”表填写“{kind.zh}”（月度/季度/年度）和"
              f"“{start.zh}”（如 2026-10-01）")
        en = (f"{self.path.name} has no period: fill in '{kind.en}' (Month/Quarter/Year) and "
              f"'{start.en}' (e.g. 2026-10-01) on the '{info.en}' sheet")
        if not option:
            raise UsageError(zh + "。", en + ".")
        raise UsageError(zh + "，或用 --period 指定（如 --period 2026-10）。",
                         en + ", or give --period (e.g. --period 2026-10).")

    def require_columns(self, *tables: str,
                        purpose: Literal["plan", "kpis", "export"] = "plan") -> None:
        """An error naming the file and the column when ``tables`` lack a column they
        need (a required one, or the sales records' amount): a plan made without it would
        give false reasons ("no revenue", "no deal won"), KPIs a revenue of 0. ``purpose``
        says what cannot be done."""
        what = _CANNOT[purpose]
        missing = [f for f in self.findings if f.rule == "missing_column" and f.table in tables]
        if missing:
            f = missing[0]
            raise UsageError(
                f"{self.path.name}：{f.message_zh}没有它{what[0]}。",
                f"{self.path.name}: {f.message_en} {what[1]} without it.")

    def require_kpi_columns(self) -> None:
        """:meth:`require_columns` of every table the spec's KPIs are computed from."""
        from xlsales.spec.subset import kpi_tables

        self.require_columns(*sorted(kpi_tables()), purpose="kpis")

    def frame(self, name: str) -> pd.DataFrame:
        """The typed frame of table ``name`` (empty with the spec's columns if absent)."""
        if name in self.tables:
            return self.tables[name].frame
        import pandas as pd

        return pd.DataFrame(columns=SPEC.table(name).keys)

    def to_data(self) -> WorkbookData:
        """The content as :class:`WorkbookData` (e.g. to build a new workbook from it)."""
        skip = {"Info", "Assumptions"}
        return WorkbookData(
            info=dict(self.info),
            tables={n: t.frame for n, t in self.tables.items() if n not in skip},
            lists={k: list(v) for k, v in self.lists.items()},
            assumptions=dict(self.assumptions),
            budget_caps=self.tables["BudgetCaps"].frame if "BudgetCaps" in self.tables else None,
        )
