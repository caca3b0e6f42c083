"""``xlsales plan``: read the summary, generate the plan, write it safely, report (outside the
``xlsales.plan`` package, which imports pandas: the reading starts first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.cli_group import errors_in
from xlsales.cli_progress import step_text
from xlsales.currency import CURRENCY_FIELD, book_currency, currency_name, names_other_currency
from xlsales.errors import UsageError
from xlsales.files import check_output, command_path
from xlsales.findings import counted
from xlsales.io.reader import read_workbook
from xlsales.io.writable import check_replaceable
from xlsales.money_text import amount, shown_unit
from xlsales.parse_numbers import INVALID, currency_of, parse_number

if TYPE_CHECKING:
    import pandas as pd

    from xlsales.io.reader_data import ReadTable


def _amount(text: str | None, what: str) -> float | None:
    if text is None:
        return None
    value, _ = parse_number(text)
    if value is INVALID or value is None:
        raise UsageError(f"{what} “{text}” 不是数字。", f"{what} '{text}' is not a number.")
    return float(value)  # type: ignore[arg-type]


def _target_currency(text: str | None, book: Path, info: dict[str, object]) -> None:
    """Refuse a ``--target`` whose currency mark (``US$50,000``) cannot name the
    currency BOOK is kept in (its basic information's, :mod:`xlsales.currency`), as
    ``validate`` refuses such an amount typed in a cell: the plan would take the number
    as it is, never converted. The book's own mark (``S$`` in an SGD book, ``¥`` or
    ``RMB`` in a CNY one) and ``$``, which names no currency, are taken."""
    marked = currency_of(text)
    own = book_currency(info)
    if marked is None or not names_other_currency(marked, own):
        return
    if own is None:
        named = info.get(CURRENCY_FIELD)
        raise UsageError(
            f"--target {text!r} 标明是 {currency_name(marked)}，但 {book.name} 的币种"
            f"（{named!r}）不是可识别的货币：请只填数字，如 --target 1800000；"
            "或先在工作簿中填写货币代码（如 CNY）。",
            f"--target {text!r} is marked {currency_name(marked)}, but {book.name}'s "
            f"currency ({named!r}) names no currency: give the target as a plain number, "
            "e.g. --target 1800000, or type the workbook's currency code (e.g. CNY) first.")
    code = currency_name(own)
    raise UsageError(
        f"--target {text!r} 是 {currency_name(marked)} 金额，但 {book.name} 的币种是 {code}："
        f"请换算成 {code} 后填写（只填数字，或标明 {code}，如 --target 1800000）；"
        "xlsales 从不换算货币。",
        f"--target {text!r} is in {currency_name(marked)}, but {book.name} is kept in "
        f"{code}: convert it to {code} and give that (a plain number, or marked {code}, "
        "e.g. --target 1800000); xlsales never converts currencies.")


def _growth(text: str | None) -> float | None:
    """``--growth``: ``12%`` or ``0.12``; a bare number of 5 or more (``12``: 1,200 %) is
    refused, as it is almost always meant as a percentage."""
    rate = _amount(text, "--growth")
    if rate is not None and abs(rate) >= 5 and "%" not in str(text):
        raise UsageError(
            f"--growth {text} 表示增长 {rate:.0%}：如指 {text}%，请写 --growth {text}%；"
            f"如确为 {rate:.0%}，请写 --growth {rate * 100:g}%。",
            f"--growth {text} means {rate:.0%} growth: for {text} percent write --growth "
            f"{text}%; if you do mean {rate:.0%}, write --growth {rate * 100:g}%.")
    return rate


def action_counts(actions: pd.DataFrame, problems: pd.Series) -> tuple[int, int]:
    """How many of a plan's ``actions`` answer this book's flagged ``problems`` (IDs) and
    how many carry the last plan's on; a carried action that also answers a problem (it
    recurred) is counted once, as carried, so that the two never add up to more than the
    plan holds."""
    from xlsales.plan.actions import is_carried

    again = actions["what"].map(is_carried).to_numpy(dtype=bool)
    linked = actions["problem_id"].isin(set(problems.dropna())).to_numpy(dtype=bool)
    return int((linked & ~again).sum()), int(again.sum())


def merged_problem_lines(problems: ReadTable | None, lang: str) -> list[str]:
    """A note per merged range that hides the "include in next plan" cells of problems:
    those read empty, so the plan has no action for them (the count of actions says
    fewer than the rep flagged, as she sees her sheet)."""
    if problems is None or not problems.merged.get("carry_forward"):
        return []
    by_range: dict[str, list[str]] = {}
    for pos, ref in sorted(problems.merged["carry_forward"].items()):
        pid = problems.frame["problem_id"].iat[pos]
        row = problems.rows[pos]
        by_range.setdefault(ref, []).append(
            str(pid) if pid is not None and pid == pid
            else f"第 {row} 行" if lang == "zh" else f"row {row}")
    label = problems.spec.column("carry_forward").label.get(lang)  # type: ignore[arg-type]
    if lang == "zh":
        return [f"  注意：问题 {'、'.join(ids)} 的“{label}”在合并单元格 {problems.sheet}!{ref} "
                "中，读作空，没有生成行动：请取消合并并逐行填写（xlsales validate 说明做法），"
                "再重新生成计划。" for ref, ids in by_range.items()]
    return [f"  note: problems {', '.join(ids)} have '{label}' inside the merged cells "
            f"{problems.sheet}!{ref}, which read empty: no action was made for them. Unmerge "
            "the cells and fill every row (xlsales validate says how), then make the plan "
            "again." for ref, ids in by_range.items()]


def run_plan(book: Path, output: Path | None, target: str | None, growth: str | None,
             method: str, split: str, new_version: bool, replace: bool, force: bool,
             progress: Callable[[str], None] = print,
             target_from: Path | None = None) -> list[str]:
    """Generate and write the plan for the period after BOOK's; return report lines.
    With ``target_from`` (a team workbook holding a plan), the revenue target is the one
    that plan gives BOOK's owner (:mod:`xlsales.plan_assigned`)."""
    if new_version and replace:
        raise UsageError("--new-version 和 --replace 只能选一个。",
                         "Give either --new-version or --replace, not both.")
    if target_from is not None:  # its module imports the plan, and pandas: not before the read
        from xlsales.plan_assigned import check_target_from

        check_target_from(target_from, target, growth)
    if output is not None:
        check_output(output, force, (".xlsx", ".xlsm"))
    amounts = _amount(target, "--target"), _growth(growth)
    check_replaceable(output or book)  # said before the work, not after it
    progress(step_text("plan", f"正在读取 {book.name} …", f"reading {book.name} ...",
                       [book.name], book))
    read = read_workbook(book)  # pandas is imported while it reads: what needs it comes after
    from xlsales.terminal_script import terminal_text

    errors_in(read.lang, terminal_text(read, "zh"))  # the book's language (and script) first
    _target_currency(target, book, read.info)
    from xlsales.findings import Severity
    from xlsales.plan import PlanInput, PlanOptions
    from xlsales.plan.period_words import period_words
    from xlsales.plan.running import running_period_note
    from xlsales.plan.write import write_plan
    from xlsales.validation import validate

    period = read.require_period(option=False)  # `plan` has no --period
    assigned = None
    if target_from is not None:
        from xlsales.plan_assigned import assigned_target

        progress(step_text("plan", f"正在读取 {target_from.name} 中的团队计划 …",
                           f"reading the team plan in {target_from.name} ...", [target_from.name]))
        assigned = assigned_target(target_from, read)
    options = PlanOptions(target=assigned.value if assigned else amounts[0],
                          growth=amounts[1], method=method, split=split,  # type: ignore[arg-type]
                          target_basis=assigned.basis if assigned else None)
    read.require_columns("Sales", "Targets")
    errors = sum(1 for f in validate(read) if f.severity is Severity.ERROR)
    lang = read.lang
    owner = str(read.info.get("owner") or book.stem)
    inp = PlanInput(period, lang, owner, {n: t.frame for n, t in read.tables.items()},
                    read.lists.get("rep", []), read.assumptions)
    progress(step_text("plan", f"正在制定 {period.next.label} 的计划 …",
                       f"generating the plan for {period.next.label} ..."))
    from xlsales.rollup_member_levels import member_levels
    from xlsales.rollup_plan import workbook_plan  # a roll-up: by member

    try:
        plan = workbook_plan(read.info, inp, options,
                             member_levels(read) if split == "weights" else None)
    except UsageError as error:  # what the book lacks for these options: name the book
        raise UsageError(f"{book.name}：{error.zh}", f"{book.name}: {error.en}") from error
    mode = "new_version" if new_version else "replace" if replace else "refuse"
    progress(step_text("plan", "正在写入计划工作表 …", "writing the plan sheets ..."))
    sheets, backup = write_plan(read, plan, lang, mode, output)  # type: ignore[arg-type]
    actions = plan.tables["PlanActions"]
    budget = plan.tables["PlanBudget"]
    problems = read.frame("Problems")["problem_id"]
    linked, carried = action_counts(actions, problems)
    over = int((budget["over_cap"] == "yes").sum()) if not budget.empty else 0
    targets, milestones = len(plan.tables["PlanTargets"]), len(plan.tables["PlanTimeline"])
    spent = budget["amount"].sum()
    money = shown_unit(read.info.get(CURRENCY_FIELD), lang) or ""  # TWD, not the yuan

    def amount_of(value: float) -> str:
        return amount(value, money, lang)
    if lang == "zh":  # the report in the workbook's language, as validate and kpis
        lines = [
            f"{plan.period.label} 计划（{owner}）：销售额目标 {amount_of(plan.total_target)}"
            f"（{plan.basis[0]}）",
            f"  目标 {targets} 行，行动 {len(actions)} 项（{linked} 项来自标记的问题"
            + (f"，{carried} 项延续{period_words(period).done[0]}未完成的行动" if carried
               else "") + "），预算 "
            f"{amount_of(spent)}（{over} 行超出月度上限），里程碑 {milestones} 个",
            f"  已写入 {'、'.join(sheets)} → {output or book}",
        ]
    else:
        lines = [
            f"plan {plan.period.label} for {owner}: revenue target "
            f"{amount_of(plan.total_target)} "
            f"({plan.basis[1]})",
            f"  {counted(targets, 'target')}, {counted(len(actions), 'action')} ({linked} "
            "from flagged problems"
            + (f", {carried} carried on from the last plan" if carried else "") + "), "
            f"budget {amount_of(spent)} ({counted(over, 'line')} over a monthly cap), "
            f"{counted(milestones, 'milestone')}",
            f"  wrote {', '.join(sheets)} into {output or book}",
        ]
    lines += plan.note_lines(lang)
    # the command that plans again: into OUTPUT (which then exists) or into BOOK
    again = (f"xlsales plan {command_path(book)} -o {command_path(output)} --force"
             if output is not None else f"xlsales plan {command_path(book)} --replace")
    running = running_period_note(period, read.frame("Sales"), date.today(), (
        f"期末后请运行 {again} 重新生成。", f"Run `{again}` once it is over."))
    if running:
        lines.append(f"  注意：{running[0]}" if lang == "zh" else f"  note: {running[1]}")
    if backup:
        lines.append(f"  原文件的备份：{backup}" if lang == "zh" else
                     f"  backup of the previous file: {backup}")
    lines += merged_problem_lines(read.tables.get("Problems"), lang)
    if errors:
        typed = command_path(book)
        lines.append(f"  注意：{book.name} 有 {errors} 个校验错误；请运行 `xlsales validate "
                     f"{typed}`，改正后重新生成计划。" if lang == "zh" else
                     f"  note: {errors} validation {'error' if errors == 1 else 'errors'} in "
                     f"{book.name}; run `xlsales validate {typed}` and re-run the plan "
                     "after fixing them.")
    from xlsales.terminal_script import own_lines

    # a Traditional book's report in Traditional, its names and files as typed
    own = terminal_text(read, lang).keeping([output, backup, *sheets])
    return own_lines(lines, own)
