"""A plan made before the period it summarises has ended: its revenue, growth and the
targets built on them cover part of a period only (a quarter planned in November holds
one or two months' sales against a whole quarter before it). The plan is still made, and
the rep is told, with the last record's date, to plan again once the period is over."""

from __future__ import annotations

from datetime import date

import pandas as pd

from xlsales.periods import Period
from xlsales.plan.period_words import period_words


def running_period_note(period: Period, sales: pd.DataFrame, today: date,
                        again: tuple[str, str]) -> tuple[str, str] | None:
    """(zh, en) note when ``today`` is before the end of ``period`` (a year's says
    本年度（2026） / "the year 2026", as its other texts name the year:
    :func:`~xlsales.plan.period_words.period_words`); ``again`` says how to plan again (a
    command, or a button to click). None once the period is over."""
    if today >= period.end:
        return None
    dates = pd.to_datetime(sales.get("date"), errors="coerce") if "date" in sales else None
    inside = dates[(dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))
                   ] if dates is not None else None
    last = inside.max().date().isoformat() if inside is not None and len(inside) else None
    w = period_words(period)
    this, the = w.this[0], w.the[1]
    zh_last = f"，{this}销售记录最晚到 {last}" if last else f"，{this}还没有销售记录"
    en_last = f"; {the}'s last sales record is dated {last}" if last else (
        f"; {the} has no sales record yet")
    return (f"{this}（{period.label}）到 {period.end.isoformat()} 才结束{zh_last}：{this}销售额、"
            f"增长和据此制定的目标只是部分期间的数字。{again[0]}",
            f"{the} {period.label} ends on {period.end.isoformat()}{en_last}: its "
            f"revenue, growth and the targets made from them cover part of {the} only. "
            f"{again[1]}")
