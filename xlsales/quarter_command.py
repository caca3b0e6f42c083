"""``xlsales new --period 2026-Q4 --from OCT.xlsx --from NOV.xlsx --from DEC.xlsx``: the
quarter's summary workbook from its three month books, and ``--period 2026`` with a
year's four quarter books or twelve month books: the year's (:mod:`xlsales.quarter_book`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.files import atomic_output, check_output, default_book_path
from xlsales.periods import Period
from xlsales.quarter_book import PART_WORDS
from xlsales.workbook_data import WorkbookData

if TYPE_CHECKING:
    import pandas as pd

def _example_id(data: WorkbookData, first: Period) -> str:
    """An ID as the summary prefixes them: its first problem's, else ``2026-10/P001``
    with its first part."""
    problems = data.tables.get("Problems")
    ids = [] if problems is None or "problem_id" not in problems else [
        str(v) for v in problems["problem_id"] if "/" in str(v)]
    return ids[0] if ids else f"{first.label}/P001"


def new_quarter_book(books: Sequence[Path], output: Path | None, force: bool = False,
                     period_text: str | None = None, lang: str | None = None) -> list[str]:
    """Write the summary workbook of the quarter (or year) of the workbooks ``books`` to
    ``output`` (default ``xlsales_<period>_<owner>_<lang>.xlsx``) and return the lines
    to print: the file, what it holds and what to run next."""
    from dataclasses import replace

    from xlsales.build.workbook import build_workbook
    from xlsales.cli_group import errors_in
    from xlsales.io.reader import read_workbook
    from xlsales.quarter_book import quarter_summary
    from xlsales.terminal_script import terminal_text

    period = Period.parse(period_text) if period_text else None
    read = [read_workbook(p) for p in books]
    errors_in(read[0].lang, terminal_text(read[0], "zh"))  # unless --lang said another
    options, data, notes = quarter_summary(read, period)
    if lang:
        options = replace(options, lang=lang)  # type: ignore[arg-type]
    assert options.period is not None
    label = options.period.label
    output = output or default_book_path(label, options.owner or options.level, options.lang)
    check_output(output, force, (".xlsx",), sources=list(books))
    with atomic_output(output) as tmp:
        build_workbook(tmp, options, data)
    counts = {n: len(data.tables.get(n, [])) for n in ("Sales", "Problems", "Lessons",
                                                        "ActionReview")}
    reviewed = _reviewed(data.tables.get("ActionReview"))
    first = min(b.require_period(option=False) for b in read)
    kind_zh, kind_en = PART_WORDS[options.period.type]
    part_zh, part_en = PART_WORDS[first.type]
    example = _example_id(data, first)
    shown = str(output)
    told = ["  注意：" + zh if options.lang == "zh" else "  note: " + en for zh, en in notes]
    if options.lang == "zh":
        lines = [f"{shown}  （{label} {kind_zh}总结，由 {len(books)} 个{part_zh}工作簿合成）",
                 f"  销售记录 {counts['Sales']:,} 行，问题 {counts['Problems']} 个，"
                 f"经验 {counts['Lessons']} 条，上期行动 {counts['ActionReview']} 项"
                 f"（已填完成情况 {reviewed} 项；编号前加了所属周期，如 {example}）",
                 f"  下一步：xlsales kpis {shown} --write；xlsales plan {shown}"
                 f"（下{'季度' if kind_en == 'quarter' else '一年'}的计划）"]
    else:
        lines = [f"{shown}  ({label} {kind_en} summary, from {len(books)} {part_en} "
                 "workbooks)",
                 f"  {counts['Sales']:,} sales rows, {counts['Problems']} problems, "
                 f"{counts['Lessons']} lessons, {counts['ActionReview']} previous actions "
                 f"({reviewed} with a status; IDs prefixed with their period, as {example})",
                 f"  next: xlsales kpis {shown} --write; xlsales plan {shown} "
                 f"(next {kind_en}'s plan)"]
    return [*lines, *told]


def _reviewed(actions: pd.DataFrame | None) -> int:
    """How many of the months' previous actions have their status filled in: the ones
    reviewed (a month's book carries its plan's actions before anyone reviews them)."""
    if actions is None or "status" not in actions:
        return 0
    status = actions["status"]
    return int((status.notna() & status.astype(str).str.strip().ne("")).sum())
