"""``xlsales new --period 2026-Q4 --from OCT.xlsx --from NOV.xlsx --from DEC.xlsx``: the
quarter's summary workbook from its three month books (:mod:`xlsales.quarter_book`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.files import atomic_output, check_output, default_book_path
from xlsales.periods import Period

if TYPE_CHECKING:
    import pandas as pd


def new_quarter_book(books: Sequence[Path], output: Path | None, force: bool = False,
                     period_text: str | None = None, lang: str | None = None) -> list[str]:
    """Write the summary workbook of the quarter of the month workbooks ``books`` to
    ``output`` (default ``xlsales_<quarter>_<owner>_<lang>.xlsx``) and return the lines
    to print: the file, what it holds and what to run next."""
    from dataclasses import replace

    from xlsales.build.workbook import build_workbook
    from xlsales.io.reader import read_workbook
    from xlsales.quarter_book import quarter_summary

    quarter = Period.parse(period_text) if period_text else None
    options, data, notes = quarter_summary([read_workbook(p) for p in books], quarter)
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
    shown = str(output)
    told = ["  注意：" + zh if options.lang == "zh" else "  note: " + en for zh, en in notes]
    if options.lang == "zh":
        lines = [f"{shown}  （{label} 季度总结，由 {len(books)} 个月度工作簿合成）",
                 f"  销售记录 {counts['Sales']:,} 行，问题 {counts['Problems']} 个，"
                 f"经验 {counts['Lessons']} 条，上期行动 {counts['ActionReview']} 项"
                 f"（已填完成情况 {reviewed} 项；编号前加了所属月份，如 2026-10/P001）",
                 f"  下一步：xlsales kpis {shown} --write；xlsales plan {shown}（下季度的计划）"]
    else:
        lines = [f"{shown}  ({label} quarter summary, from {len(books)} month workbooks)",
                 f"  {counts['Sales']:,} sales rows, {counts['Problems']} problems, "
                 f"{counts['Lessons']} lessons, {counts['ActionReview']} previous actions "
                 f"({reviewed} with a status; IDs prefixed with their month, as 2026-10/P001)",
                 f"  next: xlsales kpis {shown} --write; xlsales plan {shown} "
                 "(next quarter's plan)"]
    return [*lines, *told]


def _reviewed(actions: pd.DataFrame | None) -> int:
    """How many of the months' previous actions have their status filled in: the ones
    reviewed (a month's book carries its plan's actions before anyone reviews them)."""
    if actions is None or "status" not in actions:
        return 0
    status = actions["status"]
    return int((status.notna() & status.astype(str).str.strip().ne("")).sum())
