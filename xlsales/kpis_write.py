"""``kpis --write``: the KPI report as a sheet of the user's workbook, through the package
writer (nothing else in the file changes; the native-formula KPI sheet stays as it is).

The sheet holds a drafted summary paragraph to edit, the rep ranking, the monthly trend,
a year's quarters, the funnel and every KPI as Excel Tables, and native charts over those
tables (four; five on a year's report, its quarters drawn too). A
re-run replaces the sheet, except the paragraph once someone edited it: the sheet carries
a fingerprint of the draft xlsales wrote (its second line), and a paragraph that no longer
matches it is kept as it is. Clearing the paragraph asks for a fresh draft.

:func:`kpi_report_content` is pure (a read workbook in, sheet content out), for the CLI
and for the xlwings buttons alike; :func:`write_kpi_report` writes it into the file.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xlsales.currency import CURRENCY_FIELD, money_unit
from xlsales.io.cells import CellReader, cells_of
from xlsales.io.own_sheets import check_own_sheet
from xlsales.io.package import Block, Chart, Column, SheetContent, TextBox, WorkbookPackage
from xlsales.io.reader import ReadWorkbook
from xlsales.io.results import KIND_OF_TYPE, RESULT_TAB_COLOR, unit_kind
from xlsales.io.sheetcontent import ChartKind, ColumnKind
from xlsales.io.sheetxml import text_width
from xlsales.kpi_labels import kpi_label, ranking_growth_label
from xlsales.kpi_sheet_units import refresh_units
from xlsales.kpis import KpiResult, compute_kpis
from xlsales.kpis_figures import (
    draft_paragraph,
    funnel_rows,
    quarter_rows,
    ranking_rows,
    trend_rows,
)
from xlsales.money_text import amounts_note
from xlsales.periods import Period, PeriodType
from xlsales.rep_namesakes import namesakes_apart
from xlsales.rollup_member_levels import member_levels
from xlsales.script_variant import OwnText, own_text
from xlsales.spec import SPEC, Lang, Table
from xlsales.spec.declarations import KPI_REPORT, KPI_REPORT_QUARTERS, KPI_REPORT_REPS
from xlsales.spec.traditional import same_name

FINGERPRINT_PREFIX = "xlsales kpi report · "
HEADING = {"zh": "摘要（可直接修改：重新运行时保留您改过的文字；清空此格可重新生成）",
           "en": "Summary (edit freely: a re-run keeps your text; clear this cell for a fresh "
                 "draft)"}
TITLES = {
    "KpiReportReps": ("销售人员排名（按销售额）", "Rep ranking (by revenue)"),
    "KpiReportTrend": ("近 12 个月趋势", "Last 12 months"),
    "KpiReportQuarters": ("各季度", "By quarter"),
    "KpiReportFunnel": ("销售漏斗", "Sales funnel"),
    "KpiReportValues": ("全部 KPI", "All KPIs"),
}
CHART_COLUMN = "J"  # charts stand right of the tables (columns A–H), one below the other
CHART_ROWS = 16
#: A bar chart (its categories one below the other: the reps) grows by this many rows a
#: category beyond :data:`CHART_ROWS`, plus its title, axis and legend's, so that every
#: category keeps its label (LibreOffice and Excel skip labels that would overlap).
ROWS_PER_BAR = 1.25
BAR_FRAME_ROWS = 7
PARAGRAPH_COLUMNS = 8  # A–H, about 127 characters wide


def _paragraph_rows(text: str) -> int:
    """Rows (one 15 pt line each) the paragraph needs over A–H, and a spare one."""
    lines = sum(max(1, math.ceil(text_width(line) / 110)) for line in text.splitlines() or [""])
    return min(40, max(6, lines + 1))


@dataclass
class KpiReport:
    """The report sheet to write and what it says."""

    content: SheetContent
    result: KpiResult  # the period's KPIs, with a group per rep
    paragraph: str  # the paragraph on the sheet: the user's edited text, or the draft
    kept_edit: bool  # True: the user's edited paragraph was kept
    edited_for: str | None = None  # the period the kept paragraph was written for

    @property
    def sheet(self) -> str:
        """The report sheet's name."""
        return self.content.name

    @property
    def tables(self) -> list[str]:
        """The Excel Tables on the sheet, top to bottom."""
        return [b.table_name for b in self.content.parts
                if isinstance(b, Block) and b.table_name]


def fingerprint(text: str) -> str:
    """Short hash of a paragraph, whitespace-insensitive (as written or as read back)."""
    return hashlib.sha256(" ".join(str(text).split()).encode("utf-8")).hexdigest()[:12]


def report_sheet_name(lang: Lang) -> str:
    """The report sheet's name in ``lang``."""
    return KPI_REPORT.name.get(lang)


def existing_paragraph(book: ReadWorkbook, lang: Lang, cells: CellReader | None = None
                       ) -> tuple[str, str | None, str | None] | None:
    """(paragraph, fingerprint, period) on the report sheet of an earlier run (under its
    name in Traditional too), read from ``cells`` (by default from the file); None
    without such a sheet."""
    names = [s.name for s in book.layout.sheets]
    found = same_name(report_sheet_name(lang), names)
    if found is None:
        return None
    with cells_of(book.path, cells) as reader:
        rows = reader.rows(names[found])
    first = [str(r[0]) if r and r[0] is not None else "" for r in rows[:40]]
    stamp = next((c[len(FINGERPRINT_PREFIX):] for c in first
                  if c.startswith(FINGERPRINT_PREFIX)), None)
    headings = {*HEADING.values(), own_text(book, lang)(HEADING[lang])}
    heading = next((i for i, c in enumerate(first) if c in headings), 3)  # else A4
    text = first[heading + 1] if heading + 1 < len(first) else ""
    parts = stamp.split(" · ") if stamp else []
    return text, parts[-1] if parts else None, parts[0] if len(parts) > 1 else None


def _block(table: Table, lang: Lang, rows: Sequence[Sequence[object]], own: OwnText,
           row_kinds: dict[int, list[ColumnKind]] | None = None,
           labels: Mapping[str, str] | None = None) -> Block:
    """``table``'s block: its columns headed by their labels in ``lang``, or as ``labels``
    names them by key (the ranking's growth on a year: growth on last year), in the
    book's script (``own``)."""
    columns = tuple(Column(own((labels or {}).get(c.key) or c.label.get(lang)), c.width,
                           KIND_OF_TYPE.get(c.type, "text")) for c in table.columns)
    zh, en = TITLES[table.name]
    return Block(columns, rows, (own(zh) if lang == "zh" else en,), table.name,  # type: ignore[arg-type]
                 row_kinds or {})


@dataclass(frozen=True)
class _ChartOf:
    """A chart of the report, declared by the Table it draws (found by name among the
    blocks written, so that a block the period has not — a month's quarters — moves none)."""

    table: str
    kind: ChartKind
    title: tuple[str, str]  # zh, en
    categories: int
    values: tuple[int, ...]
    lines: tuple[int, ...] = ()
    category_format: str | None = None
    labels: bool = False


MONTH = "yyyy-mm"
#: The report's charts, one below the other right of the tables, in this order.
CHARTS = (
    _ChartOf("KpiReportReps", "bar", ("销售人员：销售额与目标", "Revenue and target by rep"),
             1, (2, 3)),
    _ChartOf("KpiReportTrend", "column", ("月度销售额与目标", "Revenue vs target by month"),
             0, (1,), (2,), MONTH),
    _ChartOf("KpiReportTrend", "stacked_column", ("新老客户销售额", "New vs existing customers"),
             0, (3, 4), category_format=MONTH),
    _ChartOf("KpiReportQuarters", "column",
             ("季度销售额与目标", "Revenue vs target by quarter"), 0, (1,), (2,)),
    _ChartOf("KpiReportFunnel", "bar", ("销售漏斗", "Sales funnel"), 1, (2,), labels=True),
)


def chart_rows(kind: ChartKind, categories: int) -> int:
    """Rows a chart of ``kind`` drawing ``categories`` stands on: :data:`CHART_ROWS`, a
    bar chart of many categories (a region's reps) more, a row and a quarter each."""
    if kind != "bar":
        return CHART_ROWS
    return max(CHART_ROWS, math.ceil(categories * ROWS_PER_BAR) + BAR_FRAME_ROWS)


def _charts(lang: Lang, own: OwnText | None = None, tables: Sequence[str] | None = None,
            categories: Mapping[str, int] | None = None) -> tuple[Chart, ...]:
    """The charts of the Tables ``tables`` (the blocks after the paragraph, in order; by
    default a month's report's), one below the other right of the tables, each as tall as
    its ``categories`` (rows of its table, by name) need; titled in the book's script by
    ``own``."""
    zh, own = lang == "zh", own or OwnText()
    if tables is None:
        tables = [t.name for t in KPI_REPORT.tables if t is not KPI_REPORT_QUARTERS]
    charts, top = [], 1
    for c in (c for c in CHARTS if c.table in tables):
        rows = chart_rows(c.kind, (categories or {}).get(c.table, 0))
        charts.append(Chart(c.kind, own(c.title[0]) if zh else c.title[1],
                            1 + list(tables).index(c.table), c.categories, c.values, c.lines,
                            anchor=f"{CHART_COLUMN}{top}", size=(9, rows),
                            category_format=c.category_format, labels=c.labels))
        top += rows + 1
    return tuple(charts)


def report_tables(period: Period) -> tuple[Table, ...]:
    """The report's Tables for ``period``, top to bottom: every one declared, the quarters
    on a year's report only (a quarter or a month holds no quarters)."""
    return tuple(t for t in KPI_REPORT.tables
                 if t is not KPI_REPORT_QUARTERS or period.type is PeriodType.YEAR)


def kpi_report_content(book: ReadWorkbook, period: Period | None = None,
                       lang: Lang | None = None, cells: CellReader | None = None) -> KpiReport:
    """The KPI report of ``book`` for ``period`` (default: the workbook's) in ``lang``
    (default: the workbook's), keeping the paragraph of an earlier report that someone
    edited (read through ``cells``, by default from the file)."""
    lang = lang or book.lang
    period = period or book.require_period()
    tables = {n: t.frame for n, t in book.tables.items()}
    result = namesakes_apart(compute_kpis(tables, period, by="rep"),  # reps with a target
                             tables, lang,  # at 0 too; two teams' 王芳 apart, by member
                             levels=member_levels(book))
    own = own_text(book, lang, user_text=True)  # Traditional in a book converted to it
    money = money_unit(book.info.get(CURRENCY_FIELD), lang)  # SGD; 元 in a zh CNY book
    draft = own(draft_paragraph(result, lang, money), result.groups)  # reps' names as typed
    earlier = existing_paragraph(book, lang, cells)
    kept = earlier is not None and bool(earlier[0].strip()) and earlier[1] != fingerprint(
        earlier[0])
    paragraph = earlier[0] if kept and earlier else draft
    # a year's previous period is last year: its labels say so (keys as they are)
    kpi_rows = [[k.key, own(kpi_label(k, lang, period.type)), result.kpis[k.key], k.unit]
                for k in SPEC.kpis]
    funnel_labels = [[key, own(label), *rest]  # the stages', not the user's
                     for key, label, *rest in funnel_rows(result.kpis, lang)]
    growth = KPI_REPORT_REPS.column("growth").label.get(lang)
    made = {
        "KpiReportReps": lambda t: _block(
            t, lang, ranking_rows(result), own,
            labels={"growth": ranking_growth_label(growth, lang, period.type)}),
        "KpiReportTrend": lambda t: _block(t, lang, trend_rows(tables, period), own),
        "KpiReportQuarters": lambda t: _block(t, lang, quarter_rows(tables, period), own),
        "KpiReportFunnel": lambda t: _block(t, lang, funnel_labels, own),
        "KpiReportValues": lambda t: _block(t, lang, kpi_rows, own,
                                            {2: [unit_kind(k.unit) for k in SPEC.kpis]}),
    }
    shown = report_tables(period)
    blocks = [made[t.name](t) for t in shown]
    owner = str(book.info.get("owner") or "")
    name, earlier_names = own.sheet_name(report_sheet_name(lang))
    amounts = own(amounts_note(money, lang))
    title = (" · ".join(t for t in (name, period.label, owner, amounts) if t),
             f"{FINGERPRINT_PREFIX}{period.label} · {fingerprint(draft)}")
    content = SheetContent(name, (), title=title, freeze_header=False,
                           tab_color=RESULT_TAB_COLOR, replaces=earlier_names,
                           blocks=(TextBox(paragraph, own(HEADING[lang]), PARAGRAPH_COLUMNS,
                                            _paragraph_rows(paragraph)), *blocks),
                           charts=_charts(lang, own, [t.name for t in shown],
                                          {b.table_name: len(b.rows) for b in blocks
                                           if b.table_name}),
                           money_unit=money)
    check_own_sheet(book.layout, content)  # never over a "KPI报告" the user made
    edited_for = earlier[2] if kept and earlier and earlier[2] != period.label else None
    return KpiReport(content, result, paragraph, kept, edited_for)


def report_anchor(book: ReadWorkbook, lang: Lang) -> str | None:
    """The sheet a new report goes after: the KPI sheet (under its name in Traditional
    too), else the last sheet."""
    names = [s.name for s in book.layout.sheets]
    found = same_name(SPEC.sheet("kpis").name.get(lang), names)
    return None if found is None else names[found]


def write_kpi_report(book: ReadWorkbook, period: Period | None = None,
                     lang: Lang | None = None) -> KpiReport:
    """Add or refresh the KPI report sheet of ``book`` (saved atomically; every other part
    of the file is copied byte for byte)."""
    lang = lang or book.lang
    report = kpi_report_content(book, period, lang)
    with WorkbookPackage.open(book.path) as package:
        package.put_sheet(report.content, after=report_anchor(book, lang))
        refresh_units(book, package)  # the KPI sheet's units: the currency changed since
        package.save()
    return report

