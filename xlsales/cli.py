"""The ``xlsales`` command line: thin commands over the library.

Every command prints errors as a short bilingual message and exits with the
error's code (2: the input cannot be used), never with a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from xlsales import __version__
from xlsales.cli_group import Group, errors_in, lang_down
from xlsales.cli_notes import (
    column_notes,
    partial_parts_note,
    progress,
    target_months_note,
    validation_note,
)
from xlsales.cli_types import PATH, choice
from xlsales.errors import UsageError
from xlsales.export_schema import DEFAULT_TABLES, EXPORTS
from xlsales.groupings import (
    GROUPINGS,
    MEMBER_GROUPING,
    PERIOD_GROUPINGS,
    period_parts,
    require_members,
)
from xlsales.periods import Period

if TYPE_CHECKING:
    pass


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xlsales")
@click.option("--lang", type=choice(["zh", "en"]), expose_value=False, callback=lang_down,
              help="Language of this help (default: Chinese when XLSALES_LANG or the "
                   "system's language says Chinese, else English). Before a command, also "
                   "that command's --lang.")
def main() -> None:
    """xlsales: sales period summary and next-period plan in Excel (销售工作总结与计划).

    Start with `xlsales demo` to see the sample team workbook, or `xlsales new`
    to get a ready-to-fill workbook.

    中文帮助：xlsales --lang zh --help，或设置 XLSALES_LANG=zh。
    """


@main.command()
@click.option("-o", "--out", "--output", "out_dir", type=PATH, default=Path("xlsales-demo"),
              show_default=True, help="Folder to write the sample workbooks to.")
@click.option("--force", is_flag=True, help="Overwrite sample files left by an earlier run.")
@click.option("--lang", type=choice(["zh", "en"]),
              help="Run it all in this language, its sample workbook alone (default: both "
                   "samples, the rest in Chinese).")
def demo(out_dir: Path, force: bool, lang: str | None) -> None:
    """Run the main job on the embedded sample team data (示例)."""
    from xlsales.demo import run_demo

    for line in run_demo(out_dir, force=force, progress=progress,
                         lang=lang):  # type: ignore[arg-type]
        click.echo(line)


@main.command()
@click.argument("book", type=PATH)
@click.option("--period", "period_text", metavar="PERIOD",
              help="Period to compute (default: the workbook's): 2026-11, 2026-Q4 or 2026.")
@click.option("--by", type=choice(GROUPINGS),
              help="Also break the KPIs down by this field, or by month or quarter: each "
                   "month (quarter) computed as a period of its own, growth on the one "
                   "before and attainment against its own targets (a year by quarter: "
                   "2026-Q1 … 2026-Q4). A month's book has no whole quarter: --by quarter "
                   "then says which --period to use. On a roll-up (xlsales consolidate), "
                   "--by member gives each member's KPIs, as its own workbook's.")
@click.option("--json", "as_json", is_flag=True, help="Print the KPIs as JSON (keys as in "
              "the spec).")
@click.option("--lang", type=choice(["zh", "en"]),
              help="Language of the text output and notes (default: the workbook's; the "
                   "report sheet --write adds is in the workbook's).")
@click.option("--write", "write", is_flag=True,
              help="Add (or refresh) the KPI report sheet in BOOK: an editable summary, rep "
                   "ranking, monthly trend, quarters (on a year's report), funnel, every KPI "
                   "and native charts. Nothing else in BOOK changes; an edited summary is "
                   "kept.")
def kpis(book: Path, period_text: str | None, by: str | None, as_json: bool,
         lang: str | None, write: bool) -> None:
    """Compute the KPIs of BOOK with the Python engine (计算 KPI)."""
    import json

    from xlsales.io.reader import read_workbook

    given = Period.parse(period_text) if period_text else None  # a typo fails before reading
    if given is not None and by in PERIOD_GROUPINGS:
        period_parts(given, by)  # --period 2026-10 --by quarter: said before reading
    if write:  # a file that may not be written is said before any work, not after
        from xlsales.io.writable import check_replaceable

        check_replaceable(book)
    read = read_workbook(book)  # pandas is imported while it reads (see `validate`)
    from xlsales.kpis import compute_kpis
    from xlsales.kpis_report import kpi_lines, no_target_note, reps_without_target_note
    from xlsales.period_records import no_records_note
    from xlsales.terminal_script import terminal_text

    lang = lang or read.lang
    errors_in(lang, terminal_text(read, "zh"))  # a Traditional book's in Traditional
    period = given or read.require_period()
    if by in PERIOD_GROUPINGS:
        period_parts(period, by)  # a month's book by quarter: which --period to use
    if by == MEMBER_GROUPING:  # a rep's own book names no member: --by rep, or consolidate
        from xlsales.rollup_rank import members_of

        require_members(members_of({n: t.frame for n, t in read.tables.items()}))
    # else a revenue (or visits) of 0, printed and written
    read.require_kpi_columns()
    column_notes(read, lang)
    validation_note(read, lang, period=period)
    target_months_note(read, period, lang)
    partial_parts_note(read, period, by, lang)
    frames = {n: t.frame for n, t in read.tables.items()}
    result = compute_kpis(frames, period, by)
    own = terminal_text(read, lang)  # a Traditional book's text in Traditional
    if given is not None and (note := no_records_note(read, period, lang)) is not None:
        progress(f"{book.name}: {own(note)}")  # --period 2027 on a 2026 book
    if (note := no_target_note(result, lang)) is not None:  # type: ignore[arg-type]
        progress(f"{book.name}: {own(note)}")
    if by == "rep":  # two teams' reps called 王芳: one row each, named by their member
        from xlsales.rep_namesakes import reps_apart
        from xlsales.rollup_member_levels import member_levels

        result, note = reps_apart(result, frames, lang, read.lang if as_json else lang,
                                  member_levels(read))
        if note:
            progress(f"{book.name}: {own(note)}")
        if (note := reps_without_target_note(result, lang)) is not None:  # type: ignore[arg-type]
            progress(f"{book.name}: {own(note, result.groups)}")  # the reps as typed
    from xlsales.currency import CURRENCY_FIELD, currency_code, money_unit

    if as_json:  # the amounts' currency, as the export's report_currency names it
        currency = currency_code(read.info.get(CURRENCY_FIELD))
        click.echo(json.dumps(result.to_json(currency), ensure_ascii=False, indent=2))
    else:
        money = money_unit(read.info.get(CURRENCY_FIELD), lang)  # type: ignore[arg-type]
        for line in kpi_lines(result, lang, money, own):  # type: ignore[arg-type]
            click.echo(line)
    if write:
        from xlsales.kpis_write import write_kpi_report

        report = write_kpi_report(read, period)
        charts, tables = len(report.content.charts), len(report.tables)
        progress(own(f"{book}：已写入工作表 “{report.sheet}”（{period.label}：{tables} 个表格，"
                     f"{charts} 个图表）", (book, report.sheet)) if lang == "zh" else
                 f"{book}: wrote sheet '{report.sheet}' ({period.label}: {tables} tables, "
                 f"{charts} charts)")
        if report.kept_edit:
            if lang == "zh":
                since = f"（为 {report.edited_for} 所写）" if report.edited_for else ""
                progress(own(f"  保留了 “{report.sheet}” 上编辑过的总结{since}；"
                             "清空该单元格可重新起草", (report.sheet,)))
            else:
                since = f", written for {report.edited_for}" if report.edited_for else ""
                progress(f"  kept the edited summary on '{report.sheet}'{since}; clear that "
                         "cell to get a fresh draft")


@main.command()
@click.argument("book", type=PATH)
@click.option("-o", "--output", type=PATH,
              help="Write the workbook with the plan to OUTPUT instead of changing BOOK.")
@click.option("--target", metavar="AMOUNT", help="Next period's revenue target, e.g. 1800000.")
@click.option("--growth", metavar="RATE", help="Growth over this period's revenue, e.g. 12%.")
@click.option("--target-from", "target_from", type=PATH, metavar="TEAM.xlsx",
              help="Take as the revenue target what the plan of TEAM.xlsx (a roll-up or a "
                   "planned team workbook) gives BOOK's owner.")
@click.option("--method", type=choice(["seasonal", "history", "even"]), default="seasonal",
              show_default=True, help="How the target is spread over months (weeks for a "
                                      "month plan go by working days).")
@click.option("--split", type=choice(["share", "equal", "weights"]), default="share",
              show_default=True, help="How it is spread over reps: this period's share, equal, "
                                      "or the weights set in the settings sheet's rep list.")
@click.option("--new-version", is_flag=True, help="Plan sheets exist and were edited: write "
                                                  "new ones ('… v2') beside them.")
@click.option("--replace", is_flag=True, help="Overwrite edited plan sheets, after keeping a "
                                              "backup copy of BOOK.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def plan(book: Path, output: Path | None, target: str | None, growth: str | None,
         target_from: Path | None, method: str, split: str, new_version: bool, replace: bool,
         force: bool) -> None:
    """Generate the next period's plan sheets from BOOK's summary (生成下期计划)."""
    from xlsales.plan_command import run_plan

    for line in run_plan(book, output, target, growth, method, split, new_version, replace,
                         force, progress=progress, target_from=target_from):
        click.echo(line)


@main.command()
@click.argument("books", nargs=-1, type=PATH, required=True)
@click.option("-o", "--output", type=PATH, required=True,
              help="The roll-up workbook to write (.xlsx).")
@click.option("--level", type=choice(["team", "region", "company"]), default="team",
              show_default=True, help="Level of the roll-up.")
@click.option("--name", default="", help="Name of the team, region or company "
                                         "(default: the output file's name).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Processes reading in parallel (default: cores).")
@click.option("--plan/--no-plan", default=True, show_default=True,
              help="Add the next period's plan, its targets split over the members (as "
                   "`xlsales plan OUTPUT` does with its default options).")
@click.option("--lang", type=choice(["zh", "en"]), default=None,
              help="Language of the roll-up (default: that of most members; on a tie, "
                   "Chinese when --name has Chinese characters, else English).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists (a roll-up "
              "you typed into is first copied aside as OUTPUT.backup-<time>.xlsx).")
def consolidate(books: tuple[Path, ...], output: Path, level: str, name: str,
                workers: int | None, plan: bool, lang: str | None, force: bool) -> None:
    """Roll members' workbooks (files, folders, globs) up into one (合并汇总), with
    the next period's plan over the members.

    A workbook that cannot be read, has validation errors, covers another period or
    keeps its amounts in another currency than most members is left out, and so is one
    that would count twice: a copy of another (the same owner and the very same rows),
    the one saved earlier of two versions of a rep's book (the same owner, orders in
    common, other rows: an amount corrected, an order added or deleted), one a roll-up
    given beside it already holds, or this command's own earlier OUTPUT. Each is
    reported with why; orders found in two members' books are listed.

    Exit code 0: every member rolled up (copies and older versions set aside); 2: a member
    left out for what it holds or cannot be read, a member roll-up made without some of
    its members, a pattern or folder giving no workbook, or a folder given holding
    folders of workbooks, which are not read (the roll-up is still written, without
    them), or nothing to roll up."""
    from xlsales.consolidate import consolidate as run
    from xlsales.consolidate import report_lines

    rollup = run(list(books), output, level, name or output.stem, force, workers,
                 progress=progress, plan=plan, lang=lang)  # type: ignore[arg-type]
    for line in report_lines(rollup, output):
        click.echo(line)
    # written without them (or a member roll-up was): exit 2, as export does
    if rollup.missing or rollup.lacking or rollup.twice or rollup.not_read:
        sys.exit(2)


@main.command("export")
@click.argument("books", nargs=-1, type=PATH, required=True)
@click.option("--format", "fmt", type=choice(["csv", "xlsx", "parquet"]), default="csv",
              show_default=True, help="File format (CSV is UTF-8 with BOM; parquet needs "
                                      "pyarrow).")
@click.option("--tables", default=",".join(DEFAULT_TABLES),
              help="Comma-separated tables to export, of: " + ", ".join(EXPORTS) +
                   ". Default: " + ", ".join(DEFAULT_TABLES) + ".")
@click.option("-o", "--out", "--output", "out_dir", type=PATH, required=True,
              help="Folder for the exported files.")
@click.option("--labels", type=choice(["zh", "en"]), default=None,
              help="Name built-in regions, products and problem and budget categories, and "
                   "the plan targets' metric and unit, in this language in every book (a pull "
                   "over Chinese and English books then has one 华东, not 华东 and East). "
                   "Default: as each book names them.")
@click.option("--lang", type=choice(["zh", "en"]), default=None,
              help="Language of the notes on stderr (default: each book's own; the notes "
                   "on every book in both).")
def export(books: tuple[Path, ...], fmt: str, tables: str, out_dir: Path,
           labels: str | None, lang: str | None) -> None:
    """Machine-readable tables for finance from one or more workbooks (导出).

    BOOKS: workbook files, folders (their .xlsx/.xlsm files) or glob patterns. Exit
    code 0: exported; 2: a workbook cannot be used (with several, the others are still
    exported and the ones left out named on stderr; with none usable, nothing is
    written), or a folder or pattern gives no workbook, or a folder given holds folders
    of workbooks, which are not read (as consolidate).

    The folder gets export_manifest.json, listing the files written. The tables an
    earlier export of the same workbooks wrote there that this one does not export
    (other --tables) are removed, if unchanged since; any other file is kept, and an
    earlier export's table kept is named on stderr."""
    from xlsales.export import export_books
    from xlsales.export_currency import currency_lines, unclear_lines
    from xlsales.export_lines import left_out_lines, shared_lines, stale_lines
    from xlsales.findings import counted

    names = [t.strip() for t in tables.split(",") if t.strip()]
    if not names:
        raise UsageError("--tables 为空：请列出要导出的表，如 --tables kpis,targets。",
                         "--tables names no table: list the tables to export, e.g. "
                         "--tables kpis,targets.")
    result = export_books(list(books), out_dir, fmt, names, progress=progress,  # type: ignore[arg-type]
                          labels=labels, lang=lang)  # type: ignore[arg-type]
    for path in result.files:
        rows = result.rows[path.stem]
        click.echo(f"已写入 {path}（{rows:,} 行）" if lang == "zh" else  # --lang zh
                   f"wrote {path}  ({counted(rows, 'row')})")
    for line in currency_lines(result.currencies, lang):  # type: ignore[arg-type]
        progress(line)
    for line in unclear_lines(result.currencies, result.typed, lang,  # type: ignore[arg-type]
                              result.langs):
        progress(line)
    for line in [*stale_lines(result, lang), *shared_lines(result, lang)]:  # type: ignore[arg-type]
        progress(line)
    if result.left_out or result.not_found:  # the others are exported; exit 2 so that a
        for line in left_out_lines(result, lang):  # type: ignore[arg-type]  # script notices
            progress(line)
        sys.exit(2)


@main.command("build-templates")
@click.option("-o", "--out", "--output", "out_dir", type=PATH,
              default=Path("workbook_templates"), show_default=True,
              help="Folder of the standard templates.")
def build_templates(out_dir: Path) -> None:
    """Rebuild the standard templates (reproducible: same spec, same bytes)."""
    from xlsales.templates import build_standard_templates

    for path in build_standard_templates(out_dir):
        click.echo(str(path))


def _register_commands() -> None:
    """The commands kept in modules of their own, in the order ``--help`` lists them."""
    from xlsales.import_command import import_command
    from xlsales.new_command import new
    from xlsales.validate_command import validate

    for command, name in ((new, "new"), (validate, "validate"), (import_command, "import")):
        main.add_command(command, name)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
