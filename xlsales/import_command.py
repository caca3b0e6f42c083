"""``xlsales import EXPORT --into BOOK``: the command (its options and help) over
:func:`xlsales.import_run.run_import`, which it imports when run, so that starting any
other command does not load the importer's modules. Register it with
``main.add_command(import_command, "import")``.
"""

from __future__ import annotations

from pathlib import Path

import click

from xlsales.cli_types import PATH, choice
from xlsales.errors import UsageError


@click.command("import")
@click.argument("export", type=PATH)
@click.option("--into", "book", type=PATH, metavar="BOOK",
              help="The workbook (.xlsx/.xlsm) whose sales records receive the rows.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Which export column holds a field (--map amount=成交金额), each row's "
                   "currency (--map currency=币种) or a custom column of BOOK (--map 行业="
                   "'Industry Code'); repeatable, wins over --mapping and matching.")
@click.option("--mapping", "mapping_file", type=PATH, metavar="FILE",
              help="Field-to-column mapping: JSON {\"amount\": \"成交金额\"} or CSV lines "
                   "field,column.")
@click.option("--rep", "reps", multiple=True, metavar="NAME",
              help="Import only the rows of this rep (repeatable): a team's export into "
                   "one rep's workbook. Other reps' rows are counted, not imported.")
@click.option("--date-order", type=choice(["mdy", "dmy"]), default=None,
              help="The order of the export's dates written like 11/1/2026 when none of "
                   "its dates says it (one past the 12th does: 10/20/2026): mdy, month "
                   "first (as US CRMs write them), or dmy, day first (日月次序).")
@click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing.")
def import_command(export: Path, book: Path | None, maps: tuple[str, ...],
                   mapping_file: Path | None, reps: tuple[str, ...], date_order: str | None,
                   dry_run: bool) -> None:
    """Append the sales records of a CRM export (CSV or xlsx) to BOOK (导入 CRM 数据).

    Columns are matched by their headers (field keys or labels in Chinese, Simplified or
    Traditional, or English, or what CRMs call them) unless mapped explicitly. Rows whose
    order ID BOOK already holds, and rows whose required fields cannot be read, are
    skipped and reported; an optional value that cannot be read is imported as exported
    and flagged; rows outside the period are kept as history. Amounts marked with another
    currency than BOOK's (in the amount, or by a currency column: Amount Currency, 币种)
    are written with it (15,000 USD) and reported, never converted: validation flags
    them until converted. Exit code 0: every row imported or already in BOOK;
    1: rows skipped for an empty or unreadable required field, or an order ID repeated
    with other values (two order lines); 2: the export or BOOK
    cannot be used (nothing is written). A probability column headed with %
    (Probability (%), 赢单概率(%)) holds points of 100: 10 is 10 % (a cell formatted as
    percent is as it shows). An amount column whose header gives a unit (金额（万元）,
    Amount (K)) is multiplied by it; won rows with no amount column are refused. Dates
    like 11/1/2026 are read in the order the export's other dates prove (10/20/2026:
    month first), or --date-order gives; never guessed. With --rep, only the rows of the
    reps named are imported (names compared ignoring spaces and Traditional characters);
    BOOK's custom columns are filled from the export's columns of the same header.
    Nothing else in BOOK changes."""
    if book is None:
        raise UsageError("请用 --into BOOK 指定要导入的工作簿。",
                         "Give the workbook to import into with --into BOOK.")
    from xlsales.import_mapping import load_mapping, parse_maps
    from xlsales.import_report import report_lines
    from xlsales.import_run import run_import

    explicit = load_mapping(mapping_file) if mapping_file is not None else {}
    explicit.update(parse_maps(maps))
    report = run_import(export, book, explicit, dry_run,
                        progress=lambda message: click.echo(message, err=True),
                        date_order=date_order, reps=reps)
    for line in report_lines(report):
        click.echo(line)
    if report.exit_code:
        click.get_current_context().exit(report.exit_code)
