"""How the revenue target is split over time: the plan period's sub-periods (the
weeks of a month by working days, the months of a quarter or year by seasonality,
last year's months or evenly) with their weights (:func:`time_split`).

A quarter's or year's months are weighed by the history of **whole years**: the
seasonal index leaves out a first year the team began after January (its months
against their own mean would flatten the season), and a year plan with less than a
year of history (a team new this year) falls back to last year's months. Last year's
months before the team's first sale are not months of no sales: they weigh as the
average of last year's months it did record (a team that began in May 2026 gets a
January 2027 target like its average month, not 0), and the basis says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from xlsales.periods import Period, PeriodType
from xlsales.plan.model import Method
from xlsales.plan.workdays import WorkCalendar


@dataclass(frozen=True)
class Part:
    """A sub-period of the plan period (a month, or a week of a month plan)."""

    label: str
    start: date
    end: date
    weight: float


def _weeks(month: Period, calendar: WorkCalendar) -> list[Part]:
    """Monday-to-Sunday weeks of a month, clipped to it, weighted by their working days
    (``calendar``'s: a week with a holiday weighs less, a make-up Saturday counts). A
    week without any (a lone weekend, a week of holidays) joins the next one, the last
    the one before it: every week keeps a working day for its check."""
    parts: list[Part] = []
    start = month.start
    n = 1
    while start <= month.end:
        end = min(month.end, start + timedelta(days=6 - start.weekday()))
        while calendar.count(start, end) == 0 and end < month.end:
            end = min(month.end, end + timedelta(days=7))
        workdays = calendar.count(start, end)
        if workdays == 0 and parts:  # the month ends in days off: the last week's
            last = parts.pop()
            parts.append(Part(last.label, last.start, end, last.weight))
            break
        parts.append(Part(f"{month.label}-W{n}", start, end, float(workdays)))
        start, n = end + timedelta(days=1), n + 1
    return parts


def _seasonal_index(monthly: pd.Series) -> dict[int, float] | None:
    """Calendar month → average share of its year's mean month; None without a full year."""
    if len(monthly) < 12:
        return None
    first = monthly.index.min()
    if first.month != 1 and (monthly.index.year > first.year).sum() >= 12:
        monthly = monthly[monthly.index.year > first.year]  # whole years only
    frame = pd.DataFrame({"v": monthly.to_numpy(dtype=float), "y": monthly.index.year,
                          "m": monthly.index.month})
    frame["rel"] = frame["v"] / frame.groupby("y")["v"].transform("mean")
    index = frame.replace([np.inf, -np.inf], np.nan).groupby("m")["rel"].mean()
    return {int(m): float(v) for m, v in index.items() if v == v} if len(index) == 12 else None


#: How the revenue target was split over time, as the plan's basis says it (zh, en)
TIME_BASIS = {
    "weeks": ("按工作日分到各周", "split over weeks by working days"),
    "seasonal": ("按历史季节性", "by seasonality"),
    "history": ("按去年同期", "by last year's months"),
    "history_no_season": ("按去年同期：历史不足一年，无法计算季节性",
                          "by last year's months: less than a year of history for seasonality"),
    "history_since": ("按去年同期；团队首笔销售之前的月份按其余月份的平均",
                      "by last year's months; the months before the team's first sale at "
                      "the average of the others"),
    "history_no_season_since": ("按去年同期：历史不足一年，无法计算季节性；团队首笔销售之前的"
                                "月份按其余月份的平均",
                                "by last year's months: less than a year of history for "
                                "seasonality; the months before the team's first sale at the "
                                "average of the others"),
    "even": ("平均", "evenly"),
    "even_no_history": ("平均：这几个月没有历史数据", "even: no history for those months"),
}


def _last_year(months: list[Period], monthly: pd.Series) -> tuple[list[float], bool]:
    """Last year's revenue of each of ``months``, a month before the first one
    ``monthly`` records at the average of those after it; and whether any was."""
    first = monthly.index.min() if len(monthly) else None
    ago = [pd.Timestamp(m.year_ago.start) for m in months]
    known = [float(monthly.get(a, 0.0)) for a in ago if first is not None and a >= first]
    before = first is not None and bool(known) and any(a < first for a in ago)
    average = sum(known) / len(known) if known else 0.0
    return [float(monthly.get(a, 0.0)) if first is not None and a >= first else
            (average if before else 0.0) for a in ago], before


def time_split(plan: Period, method: Method, monthly: pd.Series,
               calendar: WorkCalendar) -> tuple[list[Part], str]:
    """The plan period's sub-periods with weights, and the key of :data:`TIME_BASIS`
    saying how they were really weighted: weeks of a month (by ``calendar``'s working
    days), months of a quarter or year (seasonal index, last year's months, else
    evenly)."""
    if plan.type is PeriodType.MONTH:
        return _weeks(plan, calendar), "weeks"
    months = plan.months_in()
    weights = [1.0] * len(months)
    used = "even"
    seasonal = _seasonal_index(monthly) if method == "seasonal" else None
    if seasonal is not None:
        season = [seasonal.get(m.start.month, 1.0) for m in months]
        if sum(season) > 0:
            weights, used = season, "seasonal"
    if used == "even" and method in ("seasonal", "history"):
        last_year, before = _last_year(months, monthly)
        if sum(last_year) > 0:
            weights = last_year
            used = "history" if method == "history" else "history_no_season"
            used += "_since" if before else ""
        else:
            used = "even_no_history"
    parts = [Part(m.label, m.start, m.end, w) for m, w in zip(months, weights, strict=True)]
    return parts, used


def time_parts(plan: Period, method: Method, monthly: pd.Series,
               calendar: WorkCalendar) -> list[Part]:
    """The plan period's sub-periods with weights (see :func:`time_split`)."""
    return time_split(plan, method, monthly, calendar)[0]
