"""What the commands say on stderr beside their output: progress, and notes on what a
book's numbers leave out (columns not found, validation errors, a plan made before the
summary changed), in the book's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from xlsales.script_variant import OwnText
from xlsales.terminal_script import finding_keep, terminal_text

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook
    from xlsales.periods import Period


def progress(message: str) -> None:
    """Say ``message`` on stderr (what the commands print on stdout stays clean)."""
    click.echo(message, err=True)


def _own(read: ReadWorkbook, lang: str | None = None) -> OwnText:
    """How a note on ``read`` in ``lang`` (default its own) writes xlsales' text: in the
    book's script (:func:`~xlsales.terminal_script.terminal_text`)."""
    return terminal_text(read, lang or read.lang)


def column_notes(read: ReadWorkbook, lang: str | None = None) -> None:
    """Tell, on stderr, which columns the reader did not find, or found beside a table
    and did not read: the numbers that need them are empty, what they hold is not
    carried on, and the user should know why (in ``lang``, default the book's)."""
    zh, own = (lang or read.lang) == "zh", _own(read, lang)
    for f in read.findings:
        if f.rule in ("missing_column", "absent_column", "column_beside_table"):
            progress(f"{read.path.name}: " + (own(f.message_zh, finding_keep(f)) if zh
                                              else f.message_en))


def stale_plan_note(source: ReadWorkbook, version: int) -> None:
    """Tell, on stderr, that BOOK's summary changed after the plan ``new --from`` carries
    was made (its stamp says from what): the targets carried follow the old figures."""
    from xlsales.files import command_path
    from xlsales.plan.basis_stamp import summary_changed

    if not summary_changed(source, version):
        return
    typed = command_path(source.path)
    progress(_own(source)(f"{source.path.name}: 注意：计划做好之后本期的数据又有改动，延续的目标仍"
             f"按改动前的数据制定；若要按现在的数据重做计划，请先运行 xlsales plan {typed} "
             "--replace，再运行 xlsales new --from。") if source.lang == "zh" else
             f"{source.path.name}: note: the summary changed after its plan was made: the "
             f"targets carried over follow the figures before the change. To plan from the "
             f"figures as they are now, run `xlsales plan {typed} --replace`, then "
             "`xlsales new --from` again.")


def validation_note(read: ReadWorkbook, lang: str | None = None,
                     carried: bool = False, period: Period | None = None) -> None:
    """Tell, on stderr, that BOOK has validation errors: the KPIs leave out what is in
    error (an #N/A amount, a #DIV/0! target) — or, for ``new --from`` (``carried``), the
    next workbook takes those rows over as they are — and the user should know; and
    that its growth compares with a period its records cover only in part (for the
    KPIs: of ``period`` when ``kpis --period`` asks for another than the book's), or
    that a plan total differs from the reps' rows the next workbook takes."""
    from xlsales.files import command_path
    from xlsales.findings import KPI_SHEET_BLIND, Severity, counted
    from xlsales.validation import validate

    zh, own = (lang or read.lang) == "zh", _own(read, lang)
    findings = validate(read)
    said = "plan_parts_differ" if carried else "partial_history"
    told = list(findings)
    if period is not None and period != read.period and not carried:
        from xlsales.validation.cross import partial_history_findings

        # the periods compared are those of the period asked for, not the book's
        told = [f for f in findings if f.rule != said]
        if "Sales" in read.tables:
            told += partial_history_findings(read, read.tables["Sales"], period)
    for f in told:  # what the user needs to know where the numbers are used
        if f.rule in (said, "rollup_incomplete") or (carried and f.rule == "plan_rep_parts_differ"):
            progress(f"{read.path.name}: " + (own(f.message_zh, finding_keep(f)) if zh
                                              else f.message_en))
    typed = command_path(read.path)
    blind = sum(1 for f in findings if f.rule in KPI_SHEET_BLIND)
    if blind and not carried:  # the book's own KPI sheet shows other figures: say why
        progress(own(f"{read.path.name}: 注意：有 {blind} 条警告说工作簿自己的 KPI 表不计入某些值"
                     f"或行（xlsales 计入），这里的数字因此与 KPI 表不同；运行 xlsales validate "
                     f"{typed} 查看要重新输入的单元格") if zh else
                 f"{read.path.name}: note: {counted(blind, 'warning')} of values or rows the "
                 "book's own KPI sheet does not count (xlsales does): these figures differ "
                 f"from the KPI sheet's; run `xlsales validate {typed}` to see what to retype")
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    if errors:
        name = read.path.name
        if carried:
            progress(own(f"{name}: 注意：有 {errors} 个校验错误，新工作簿按原样带过去出错的值；"
                         f"运行 xlsales validate {typed} 查看，改正后加 --force 重新运行 "
                         "xlsales new --from") if zh else
                     f"{name}: note: {counted(errors, 'validation error')}: the new workbook "
                     f"takes the values in error over as they are; run `xlsales validate "
                     f"{typed}` to see them, and `xlsales new --from` again with --force once "
                     "fixed")
            return
        progress(own(f"{name}: 注意：有 {errors} 个校验错误，KPI 可能漏算或错算出错的行；"
                     f"运行 xlsales validate {typed} 查看") if zh else
                 f"{name}: note: {counted(errors, 'validation error')}: the KPIs may leave "
                 "out or "
                 f"miscount the rows in error; run `xlsales validate {typed}` to see them")


def target_months_note(read: ReadWorkbook, period: Period, lang: str | None = None) -> None:
    """Tell, on stderr, that the revenue targets cover only some months of ``period``
    (``kpis --period 2026`` on a Q3 book: revenue January to September against Q3's
    targets reads as 1093% attained), naming the months that have targets."""
    import pandas as pd

    targets = read.tables.get("Targets")
    if targets is None or not {"period", "revenue_target"} <= set(targets.frame.columns):
        return
    frame = targets.frame
    months = pd.to_datetime(frame["period"], errors="coerce")
    amounts = pd.to_numeric(frame["revenue_target"], errors="coerce")
    inside = months[(months >= pd.Timestamp(period.start)) & (months <= pd.Timestamp(period.end))
                    & amounts.notna()]
    wanted = [m.label for m in period.months_in()]
    have = sorted({f"{d.year}-{d.month:02d}" for d in inside})
    if not have or len(have) == len(wanted):
        return  # no target at all (attainment empty), or every month has one
    zh = (lang or read.lang) == "zh"
    named = "、".join(have) if zh else ", ".join(have)
    progress(_own(read, lang)(
        f"{read.path.name}: 注意：{period.label} 的 {len(wanted)} 个月中只有 {len(have)} "
        f"个月有销售额目标（{named}）：目标和完成率只按这些月份的目标计算，而销售额是整个"
        f" {period.label} 的") if zh else
             f"{read.path.name}: note: only {len(have)} of the {len(wanted)} months of "
             f"{period.label} have revenue targets ({named}): the target and attainment "
             f"count those months' targets against the revenue of all of {period.label}")


def partial_parts_note(read: ReadWorkbook, period: Period, by: str | None,
                       lang: str | None = None) -> None:
    """Tell, on stderr, which months or quarters of a ``--by month|quarter`` breakdown run
    past the end of BOOK's own period, the last day its data covers (``--period 2026 --by
    quarter`` on an October book: 2026-Q4 holds October alone, and its growth on the
    whole of Q3 reads −70 %; November and December hold nothing yet)."""
    from xlsales.groupings import PERIOD_GROUPINGS, period_parts

    if by not in PERIOD_GROUPINGS or read.period is None:
        return
    end = read.period.end
    parts = period_parts(period, by)
    partial = [p for p in parts if p.start <= end < p.end]
    after = [p.label for p in parts if p.start > end]
    zh = (lang or read.lang) == "zh"
    kind_zh, before_zh = {"month": ("月", "上月"), "quarter": ("季度", "上一季度")}[by]
    before_en = f"the {by} before"
    own = _own(read, lang)
    for p in partial:
        progress(own(f"{read.path.name}: 注意：{p.label} 超出本工作簿的周期（数据截至 {end}），"
                     f"只含 {p.start} ~ {end} 的数据，不是整{kind_zh}：它的数字只是这一部分，"
                     f"环比增长是拿这一部分与整个{before_zh}比较（同比与去年同期的整{kind_zh}"
                     "比较）") if zh
                 else f"{read.path.name}: note: {p.label} runs past the end of the book's "
                 f"period (its data ends {end}): it holds {p.start} – {end} only, not the whole "
                 f"{by}; its figures are of that part, and its growth compares that part "
                 f"with the whole of {before_en} (and of the same {by} last year)")
    if after:
        named = ("、" if zh else ", ").join(after)
        progress(own(f"{read.path.name}: 注意：{named} 在本工作簿的周期之后（数据截至 {end}），"
                     "还没有数据：那里的 0 和 −100% 不是实际下滑") if zh else
                 f"{read.path.name}: note: {named} come after the book's period (its data "
                 f"ends {end}) and hold no data yet: a 0 or a growth of −100% there is not a "
                 "fall")
