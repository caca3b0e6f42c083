"""The months a plan's process targets are based on (:func:`basis_window`).

The rule, as a sales director reads a plan: the ratios that turn the revenue target
into deals, visits, new customers and pipeline (average order value, visits and new
customers per won deal, win rate) are those of **the period under review, and at least
its last 3 months**:

- a month plan: the last 3 months ending with the month under review (one month has
  too few deals to give a steady order value);
- a quarter plan: the quarter under review (its 3 months);
- a year plan: the year under review, all 12 months (not its last quarter: a year's
  order value and visits per deal are the whole year's, its slow months too).

The basis texts and the notes of a target left without a basis name the window (``近 3
个月`` / "the last 3 months", ``本季度（2026-Q4）`` / "this quarter (2026-Q4)", ``本年度
（2026）`` / "this year (2026)"). A team whose first sales record falls inside the window
(new this year) has its ratios from the months it recorded, and the window says from
when (``本年度（2026，销售记录自 2026-05 起）`` / "this year (2026; sales recorded from
2026-05)"), so that nobody reads them as a whole year's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from xlsales.periods import Period, PeriodType

#: The shortest window, in months: a month plan's ratios are its last 3 months'.
MIN_MONTHS = 3

#: How the window is named when it is the period under review (zh, en), by its type.
PERIOD_WINDOW: dict[PeriodType, tuple[str, str]] = {
    PeriodType.QUARTER: ("本季度（{label}{since_zh}）", "this quarter ({label}{since_en})"),
    PeriodType.YEAR: ("本年度（{label}{since_zh}）", "this year ({label}{since_en})"),
}
#: How the trailing window of a shorter period is named (zh, en, en after a comma).
TRAILING_WINDOW = ("近 {n} 个月{since_zh}", "the last {n} months{since_en}",
                   "last {n} months{since_en}")
#: What is said of a team whose first record falls inside the window (zh, en).
SINCE = ("，销售记录自 {month} 起", "; sales recorded from {month}")
SINCE_TRAILING = ("（销售记录自 {month} 起）", " (sales recorded from {month})")


@dataclass(frozen=True)
class BasisWindow:
    """The months the process targets' ratios are summed over, and their name."""

    periods: tuple[Period, ...]  # summed KPI by KPI (one: the period under review)
    start: date
    end: date
    zh: str  # 近 3 个月 / 本年度（2026）
    en: str  # the last 3 months / this year (2026)
    en_tail: str  # after a comma: last 3 months / this year (2026)
    since: date | None = None  # the first sales record, when inside the window


def first_record(sales: pd.DataFrame) -> date | None:
    """The date of the earliest sales record (any stage), None without one."""
    if sales.empty or "date" not in sales:
        return None
    first = pd.to_datetime(sales["date"], errors="coerce").min()
    return None if pd.isna(first) else first.date()


def basis_window(period: Period, sales: pd.DataFrame) -> BasisWindow:
    """The window of ``period``'s plan basis (see the module's rule), its first month
    moved to the team's first sales record in ``sales`` when that is later."""
    first = first_record(sales)
    if period.months >= MIN_MONTHS:
        periods: tuple[Period, ...] = (period,)
    else:
        last = Period(period.end.replace(day=1), PeriodType.MONTH)
        periods = tuple(last.shift(i - (MIN_MONTHS - 1)) for i in range(MIN_MONTHS))
    start = periods[0].start
    # a first sale in the window's first month is no later start: its whole month counts
    since = first if first is not None and start < first.replace(day=1) and \
        first <= period.end else None
    month = since.strftime("%Y-%m") if since else ""
    if len(periods) == 1:
        texts = PERIOD_WINDOW[period.type]
        since_zh = SINCE[0].format(month=month) if since else ""
        since_en = SINCE[1].format(month=month) if since else ""
        zh, en = (t.format(label=period.label, since_zh=since_zh, since_en=since_en)
                  for t in texts)
        return BasisWindow(periods, start, period.end, zh, en, en, since)
    since_zh = SINCE_TRAILING[0].format(month=month) if since else ""
    since_en = SINCE_TRAILING[1].format(month=month) if since else ""
    zh, en, tail = (t.format(n=MIN_MONTHS, since_zh=since_zh, since_en=since_en)
                    for t in TRAILING_WINDOW)
    return BasisWindow(periods, start, period.end, zh, en, tail, since)
