"""``xlsales new``: a ready-to-fill summary workbook, or the next period's started from a
summary holding its plan (``--from``). The command checks its options and says what it
built; building is :func:`~xlsales.build.workbook.build_workbook`'s, carrying over
:mod:`xlsales.carry_over`'s."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import click

from xlsales.cli_group import errors_in
from xlsales.cli_notes import column_notes, stale_plan_note, validation_note
from xlsales.cli_types import PATH, choice
from xlsales.errors import UsageError
from xlsales.files import atomic_output, check_output, default_book_path
from xlsales.new_line import book_line, buttons_line
from xlsales.periods import Period
from xlsales.spec.declarations import LEVEL, ROLE


def _given(**values: str | None) -> dict[str, str]:
    """Those of ``values`` given on the command line (not defaults), by option name;
    ``period`` stands for the --period option."""
    ctx = click.get_current_context()
    source = {"period": "period_text"}
    return {name: str(value) for name, value in values.items()
            if ctx.get_parameter_source(source.get(name, name))
            is click.core.ParameterSource.COMMANDLINE}


def refuse_with_months(given: dict[str, str]) -> None:
    """Refuse ``--level``, ``--role``, ``--owner`` or ``--currency`` given with several
    ``--from`` books: the quarter's (year's) summary takes them from its months
    (quarters)."""
    if given:
        options = " ".join(f"--{k}" for k in given)
        raise UsageError(
            f"由几个工作簿合成季度或年度总结时，{options} 取自这些工作簿，不能另给："
            f"请去掉 {options}。",
            f"A quarter's or year's summary made from its month or quarter books takes "
            f"{options} from them: leave out {options}.")


def _parse_period(text: str | None) -> Period:
    return Period.parse(text) if text else Period.current_month()


@click.command("new")
@click.option("--lang", type=choice(["zh", "en"]),
              help="Workbook language / 工作簿语言 (default zh, or the --from workbook's).")
@click.option("--period", "period_text", metavar="PERIOD",
              help="2026-11 (month), 2026-Q4 (quarter) or 2026 (year). Default: this month.")
@click.option("--level", type=choice([c.key for c in LEVEL.choices]), default="individual",
              show_default=True, help="Whose summary: a person, team, region or company.")
@click.option("--role", type=choice([c.key for c in ROLE.choices]), default="rep",
              show_default=True, help="Decides what the instructions emphasise.")
@click.option("--owner", default="", help="Person or team name, written on every sheet.")
@click.option("-o", "--output", type=PATH,
              help="Output file: .xlsx, or .xlsm for a macro-enabled workbook with buttons "
                   "(needs xlwings). Default: xlsales_<period>_<owner|level>_<lang>.xlsx")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("--currency", metavar="CODE",
              help="Currency the amounts are in, an ISO code such as CNY, TWD, HKD or USD "
                   "(default CNY, or the --from workbook's).")
@click.option("--from", "from_books", type=PATH, metavar="BOOK", multiple=True,
              help="Start the next period from BOOK, a summary holding its plan: settings, "
                   "history, the plan's targets and its actions to review are carried over. "
                   "Given three times, with a quarter's three month books: that quarter's "
                   "summary, holding their rows, problems, lessons and previous actions "
                   "with their review; four times with a year's quarter books (or twelve "
                   "with its month books): the year's.")
def new(lang: str | None, period_text: str | None, level: str, role: str, owner: str,
        output: Path | None, force: bool, currency: str | None,
        from_books: tuple[Path, ...]) -> None:
    """Build a ready-to-fill summary workbook (新建工作簿)."""
    if len(from_books) > 1:  # a quarter's summary from its month books
        from xlsales.quarter_command import new_quarter_book

        refuse_with_months(_given(level=level, role=role, owner=owner, currency=currency))
        for line in new_quarter_book(list(from_books), output, force, period_text, lang):
            click.echo(line)
        return
    from_book = from_books[0] if from_books else None
    from xlsales.build.workbook import build_workbook
    from xlsales.currency import book_currencies, unknown_code
    from xlsales.workbook_data import BuildOptions, WorkbookData

    given_lang = lang is not None
    if currency is not None:  # 人民币, RMB, NT$ 's code: what the currency cell holds
        named = book_currencies(currency)
        currency = next(iter(named)) if named is not None and len(named) == 1 else currency
    if currency is not None and not re.fullmatch(r"[A-Za-z]{3}", currency.strip()):
        raise UsageError(f"--currency {currency!r} 不是货币代码：请写三个字母，"
                         "如 CNY、TWD、HKD、USD。",
                         f"--currency {currency!r} is not a currency code: write its three "
                         "letters, such as CNY, TWD, HKD or USD.")

    if currency is not None and (typo := unknown_code(currency)) is not None:
        code, near = typo
        raise UsageError(
            f"--currency {code} 不是 ISO 4217 货币代码" + (f"：是否想写 {'、'.join(near)}？"
                                                        if near else "。") +
            "请写如 CNY、TWD、HKD、USD 的代码。",
            f"--currency {code} is no ISO 4217 currency code" + (
                f": did you mean {' or '.join(near)}?" if near else ".") +
            " Write a code such as CNY, TWD, HKD or USD.")
    data = None
    if from_book is not None:
        from xlsales.carry_over import check_given_options, next_summary
        from xlsales.io.reader import read_workbook
        from xlsales.plan_versions import latest_plan

        if period_text:
            Period.parse(period_text)  # a period that cannot be read is said first
        source = read_workbook(from_book)
        from xlsales.terminal_script import terminal_text

        errors_in(source.lang, terminal_text(source, "zh"))  # unless --lang said another
        column_notes(source)  # what it cannot carry over: columns outside their table
        from xlsales.plan.write import read_version

        version = latest_plan(source)  # its latest plan, as validated and carried
        planned = read_version(source, version, lambda s: read_workbook(from_book, spec=s))
        options, data = next_summary(source, planned)
        validation_note(planned, carried=True)  # what it carries over as it is
        stale_plan_note(source, version)
        check_given_options(from_book.name, options, _given(  # and currency, see its doc
            period=period_text, level=level, role=role, owner=owner, currency=currency), data)
        if lang:
            options = replace(options, lang=lang)  # type: ignore[arg-type]
        period = options.period
        assert period is not None
    else:
        period = _parse_period(period_text)
        options = BuildOptions(lang=lang or "zh", period=period, level=level,  # type: ignore[arg-type]
                               role=role, owner=owner)
    if currency is not None:
        data = data if data is not None else WorkbookData()
        data.info["currency"] = currency.strip().upper()
    lang, owner = options.lang, options.owner
    output = output or default_book_path(period.label, owner or options.level, lang)
    # new --from BOOK -o BOOK --force would replace the summary it starts from
    check_output(output, force, (".xlsx", ".xlsm"), sources=[from_book] if from_book else [])
    finish, interpreter = None, None
    if output.suffix.lower() == ".xlsm":
        from xlsales.build.macros import macro_finish
        from xlsales.build.xlwings_conf import this_interpreter

        interpreter = this_interpreter()
        finish = macro_finish(lang, interpreter,  # type: ignore[arg-type]
                              script=options.script)  # Traditional captions, as the book
    with atomic_output(output) as tmp:
        build_workbook(tmp, options, data, finish=finish)
    own = terminal_text(source, lang) if from_book is not None else None
    click.echo(book_line(output, lang, period, options.level, options.role,
                         None if given_lang else (from_book, options.script is not None), own))
    if finish is not None:
        click.echo(buttons_line(lang, interpreter, own))
    if data is not None and from_book is not None:
        targets, review = len(data.tables["Targets"]), len(data.tables["ActionReview"])
        history = len(data.tables.get("Sales", []))
        own = terminal_text(source, lang)  # from a Traditional book: in Traditional
        click.echo(own(f"  从 {from_book} 延续：目标 {targets} 行，待回顾的行动 {review} 项，"
                       f"历史销售记录 {history:,} 行", (from_book,)) if lang == "zh" else
                   f"  carried over from {from_book}: {targets} target rows, {review} actions "
                   f"to review, {history:,} sales rows of history")
        if version > 1:
            click.echo(own(f"  计划取第 {version} 版（“… v{version}”工作表），即最后写入的一版")
                       if lang == "zh" else
                       f"  from plan version {version} (the '… v{version}' sheets), the "
                       "last one written")
