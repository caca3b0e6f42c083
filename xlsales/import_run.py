"""What ``xlsales import EXPORT --into BOOK`` does (:func:`run_import`): append a CRM
export to a workbook's sales records.

The export is read and normalised by :mod:`xlsales.importer`; the rows are appended to
BOOK's ``Sales`` table by :meth:`~xlsales.io.package.WorkbookPackage.append_table_rows`,
so nothing else in BOOK changes and a failure leaves BOOK as it was. The command itself
is :mod:`xlsales.import_command`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.currency import CURRENCY_FIELD
from xlsales.errors import WorkbookError, XlsalesError, naming_file
from xlsales.findings import counted
from xlsales.import_book_values import book_values, named_as_in_book
from xlsales.import_changes import Changed, Converted, changed_rows
from xlsales.import_currency import Marked, in_other_currency
from xlsales.import_currency_column import CURRENCY_KEYS
from xlsales.import_emails import by_email
from xlsales.import_invoiced import uninvoiced_rows
from xlsales.import_mapping import unknown_fields
from xlsales.import_marked_cells import marked_cells, with_cells
from xlsales.import_notes import not_listed
from xlsales.import_reps import as_listed
from xlsales.importer import (
    ImportResult,
    id_key,
    prepare_import,
    read_table_file,
)
from xlsales.periods import Period
from xlsales.script_variant import OwnText, frame_strings
from xlsales.spec import SPEC, Lang
from xlsales.spec.declarations import HISTORY_MONTHS
from xlsales.terminal_script import (
    terminal_text,
    typed_headers,
)

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    export: Path
    book: Path
    sheet: str
    lang: Lang
    result: ImportResult
    dry_run: bool
    period: Period | None = None
    before: int = 0  # imported rows dated before the period (history)
    after: int = 0  # imported rows dated after the period
    unused: int = 0  # of ``before``: dated before the history window, so used by no KPI
    not_in_book: list[str] = field(default_factory=list)  # mapped fields BOOK has no column for
    currency: object = None  # BOOK's currency, as its basic information names it
    #: imported amounts marked with another currency than BOOK's, by that currency
    other_currency: dict[str, list[Marked]] = field(default_factory=dict)
    #: (export row, money field) → what its cell is written as: an amount of
    #: ``other_currency`` with its currency (``15,000 USD``), for validation to flag
    currency_cells: dict[tuple[int, str], str] = field(default_factory=dict)
    #: field → values BOOK's settings lists do not name (reps, regions, products), with
    #: how many rows hold each: validation flags them until listed or corrected
    not_listed: dict[str, Counter[str]] = field(default_factory=dict)
    #: skipped rows whose order BOOK holds with other values (not in ``result.skipped``)
    changed: list[Changed] = field(default_factory=list)
    #: amounts the export gives in another currency, held converted in BOOK: no change
    converted: list[Converted] = field(default_factory=list)
    #: with ``dry_run``: why the real import could not write BOOK (read-only, open in
    #: Excel), else None
    unwritable: WorkbookError | None = None
    #: ``--rep``: the reps whose rows only are imported
    reps: list[str] = field(default_factory=list)
    #: imported rows with a collected amount and no invoiced column matched
    uninvoiced: int = 0
    #: xlsales' Chinese in BOOK's script (:mod:`xlsales.terminal_script`), the export's
    #: and BOOK's text as typed
    own: OwnText = field(default_factory=OwnText)

    @property
    def imported(self) -> int:
        return len(self.result.frame)

    @property
    def skipped(self) -> int:
        return len(self.result.skipped) + len(self.changed)

    @property
    def exit_code(self) -> int:
        """1 when rows were skipped for what they hold (a required field empty or
        unreadable, more values than columns): a scripted run can tell data was left
        out; 0 otherwise (orders already imported, totals and footers lose nothing)."""
        if self.unwritable is not None:
            return self.unwritable.exit_code
        return 1 if any(not s.duplicate for s in self.result.skipped) else 0


def run_import(export: Path, book: Path, explicit: dict[str, str], dry_run: bool = False,
               progress: Callable[[str], None] = lambda _: None,
               date_order: str | None = None, reps: Sequence[str] = ()) -> ImportReport:
    """Import ``export`` into ``book``'s Sales table (or only check it, with ``dry_run``).

    ``explicit`` maps field keys to export columns; ``date_order`` (``mdy``/``dmy``) says
    which order the export's ``11/1/2026``-style dates are in; ``reps`` (``--rep``) whose
    rows only are imported. Rows whose order ID BOOK already holds are skipped. Raises
    :class:`~xlsales.errors.XlsalesError` when the export or BOOK cannot be used; BOOK is
    then unchanged."""
    from xlsales.cli_group import errors_in
    from xlsales.cli_progress import step_text
    from xlsales.io.reader import read_workbook
    from xlsales.io.safety import check_workbook_file

    # before BOOK is read: in the script of its sheet names, both languages
    progress(step_text("import", f"正在读取 {export} …", f"reading {export} ...", [export],
                       book))
    source = read_table_file(export, explicit)
    progress(step_text("import", f"正在读取 {book} …", f"reading {book} ...", [book], book))
    check_workbook_file(book)
    # opened before reading: saving refuses if BOOK changes in between
    from xlsales.io.package import WorkbookPackage  # not at import: every command loads this

    with WorkbookPackage.open(book) as package:
        read = read_workbook(book)
        errors_in(read.lang, terminal_text(read, "zh"))  # the book's language, script first
        sales = read.tables.get("Sales")
        info = read.layout.table("Sales")
        if sales is None or info is None or sales.found_by != "name":
            raise WorkbookError(
                f"{book.name} 的销售记录不是名为 Sales 的 Excel 表格（可能已转换为普通区域），"
                "无法追加。请在 Excel 中选中表头和数据，插入 > 表格，并在表设计中把表名称改为 "
                "Sales 后重试。",
                f"The sales records of {book.name} are not an Excel Table named Sales (it "
                "may have been converted to a range), so rows cannot be appended. Select the "
                "header and data in Excel, Insert > Table, name it Sales under Table Design, "
                "and try again.")
        from xlsales.rollup_rank import is_rollup

        if is_rollup(read.info, {"Sales": sales.frame}):
            raise WorkbookError(
                f"{book.name} 是合并表（销售记录的每一行都注明所属成员），其计算列是合并时算好的"
                "数值，追加的行不会被计入。请导入到该成员自己的工作簿，再重新合并。",
                f"{book.name} is a roll-up (each sales row names its member) whose calculated "
                "columns were computed when it was consolidated, so appended rows would not "
                "count. Import into the member's own workbook, then consolidate again.")
        existing = {k for v in sales.frame["order_id"] if (k := id_key(v)) is not None}
        year = read.period.start.year if read.period is not None else None
        # a field --map or the mapping file misspells: said naming where, not the export
        if (wrong := unknown_fields(explicit, SPEC.table("Sales"), sales.custom_columns,
                                    CURRENCY_KEYS)) is not None:
            raise wrong
        try:  # what is wrong with the export's columns or values: said naming it
            result = prepare_import(source, explicit, existing, read.info.get(CURRENCY_FIELD),
                                    date_order, reps=reps, custom=sales.custom_columns,
                                    year=year, listed_reps=read.lists.get("rep", []))
        except XlsalesError as exc:
            naming_file(exc, export)
            raise
        result.frame, renamed = named_as_in_book(result.frame, read.lists, read.lang)
        result.conversions += renamed
        names = result.frame["rep"].tolist()
        # --rep 张伟 into a book listing 張偉: its rows name him as the book does
        listed = as_listed(names, read.lists.get("rep", [])) if reps else []
        # john.smith@corp.com, as CRMs export owners, is John Smith of the book's list
        emailed = by_email(names, read.lists.get("rep", []), result.emails)
        if listed or emailed:
            result.frame = result.frame.assign(rep=names)
            result.conversions += len(emailed)
        spec = SPEC.table("Sales")
        keys = [c.key for c in spec.columns if c.key in result.mapping]
        report = ImportReport(export, book, sales.sheet, read.lang, result, dry_run,
                              read.period,
                              not_in_book=[k for k in keys if k not in sales.columns],
                              reps=list(reps))
        lacking = [k for k in report.not_in_book if spec.column(k).required]
        if lacking:
            names_zh = "、".join(spec.column(k).label.zh for k in lacking)
            names_en = ", ".join(spec.column(k).label.en for k in lacking)
            raise WorkbookError(
                f"{book.name} 的 Sales 表格缺少必填列：{names_zh}。请从新模板（xlsales new）"
                "复制表头后重试。",
                f"The Sales table of {book.name} has no required column {names_en}. Copy the "
                "header from a new template (`xlsales new`) and try again.")
        _count_period(report)
        report.uninvoiced = uninvoiced_rows(result, sales.columns)
        report.own = terminal_text(read, read.lang).keeping(
            [export, export.name, *typed_headers([*result.mapping.values(), *result.unmapped]),
             *frame_strings(result.frame)])
        report.not_listed = not_listed(result.frame, read.lists)
        report.currency = read.info.get(CURRENCY_FIELD)
        report.other_currency = in_other_currency(
            [m for m in result.marked if m.field not in report.not_in_book], report.currency)
        report.currency_cells = marked_cells(result.frame, result.source_rows,
                                             report.other_currency)
        # US$1,200 is written with its mark (1,200 USD), not repaired to a number
        result.conversions -= sum(1 for m in _marked_in_value(report))
        keys = [k for k in keys if k in sales.columns]
        _split_changed(report, read, keys)
        keys += list(result.custom)  # the book's custom columns the export fills
        first_col = _first_column(info.ref)
        headers = [info.columns[sales.columns[k] - first_col] for k in keys]
        if report.imported:
            from xlsales.validation.formula_blind import book_literals, counted_spellings

            # a book respelled in Traditional (validate --write) counts 贏單, not 赢单
            # an amount in another currency is written with it (15,000 USD): flagged
            written = with_cells(result.frame, result.source_rows, report.currency_cells)
            rows = book_values(written, keys, read.lang,
                               counted_spellings(book_literals(read)))
            progress(step_text(
                "import", f"正在检查 {report.imported:,} 行能否写入 {book}（试运行：不写入）…",
                f"checking that {counted(report.imported, 'row')} fit {book} (dry run: "
                "nothing is written) ...", [book]) if dry_run else step_text(
                "import", f"正在向 {book} 追加 {report.imported:,} 行 …",
                f"appending {counted(report.imported, 'row')} to {book} ...", [book]))
            package.append_table_rows("Sales", headers, rows)  # checks, even in a dry run
            if not dry_run:
                package.save()
    if dry_run and report.imported:  # what the real run would refuse, said now
        from xlsales.io.writable import check_replaceable

        try:
            check_replaceable(book)
        except WorkbookError as exc:
            report.unwritable = exc
    return report


def _marked_in_value(report: ImportReport) -> list[Marked]:
    """The amounts written with their currency whose mark was in the exported value."""
    return [m for amounts in report.other_currency.values() for m in amounts
            if m.column is None and (m.row, m.field) in report.currency_cells]


def _split_changed(report: ImportReport, read: ReadWorkbook, keys: list[str]) -> None:
    """Moves the skipped rows whose order BOOK (``read``) holds with other values out of
    ``report.result.skipped`` into ``report.changed`` (:mod:`xlsales.import_changes`);
    amounts in another currency are compared as written, with it (``15,000 USD``), and
    those BOOK holds converted are listed in ``report.converted``, not as changes."""
    from xlsales.validation.currency import in_other_currency as typed_in_other

    result = report.result
    if result.in_book is None or result.in_book.empty:
        return
    sales = read.tables["Sales"]
    exported, _ = named_as_in_book(result.in_book, read.lists, report.lang)
    names = exported["rep"].tolist()
    if by_email(names, read.lists.get("rep", [])):  # as the rows imported were written
        exported = exported.assign(rep=names)
    other = in_other_currency(result.in_book_marked, report.currency)
    theirs = marked_cells(result.in_book, result.in_book_rows, other)
    at = {row: i for i, row in enumerate(sales.rows)}
    ours = {(at[f.row], str(f.column)): str(f.value) for f in read.findings
            if f.table == "Sales" and f.row in at and typed_in_other(read, f)}
    report.changed, report.converted = changed_rows(
        exported, result.in_book_rows, result.in_book_orders, sales.frame, keys, theirs, ours)
    rows = {c.row for c in report.changed}
    result.skipped = [s for s in result.skipped if s.row not in rows]


def _first_column(ref: str) -> int:
    letters = "".join(ch for ch in ref.split(":")[0] if ch.isalpha()).upper()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _count_period(report: ImportReport) -> None:
    period = report.period
    if period is None or report.result.frame.empty:
        return
    dates = [d for d in report.result.frame["date"] if isinstance(d, date)]
    report.before = sum(1 for d in dates if d < period.start)
    report.after = sum(1 for d in dates if d > period.end)
    window = period.months_before(HISTORY_MONTHS)
    report.unused = sum(1 for d in dates if d < window)
