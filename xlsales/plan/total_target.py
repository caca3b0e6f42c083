"""The next period's revenue target before it is split: given (``--target``, the
settings sheet), grown from this period's revenue, or the 12-month trend, with the
basis the plan shows for it and a note when it had to fall back
(:func:`choose_total`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from xlsales.periods import Period
from xlsales.plan.model import PlanInput, PlanOptions
from xlsales.plan.partial_period import scaled_revenue
from xlsales.plan.period_words import period_words, worded
from xlsales.spec import SPEC


@dataclass(frozen=True)
class TotalBasis:
    """The revenue target, where it comes from (zh, en) and a note for the user when it
    had to fall back (zh, en)."""

    value: float
    zh: str
    en: str
    note: tuple[str, str] | None = None
    #: Given by someone (``--target``, the settings sheet), not computed: kept exactly,
    #: not rounded to a round number as a computed target is.
    given: bool = False


def give_target(period: Period) -> tuple[str, str]:
    """Where the user sets the target when a plan on ``period`` has no basis for one (zh,
    en): ``--target``, or the settings sheet's field as its label names it."""
    field = next(c for c in SPEC.table("Assumptions").form_fields if c.key == "next_target")
    return worded(period, (
        f"请用 xlsales plan --target 金额 指定{{next}}目标，或在设置表填写“{field.label.zh}”，"
        "然后重新生成计划。",
        f"Give {{next}}'s target with xlsales plan --target AMOUNT, or fill in "
        f"'{field.label.en}' on the settings sheet, then generate the plan again."))


def monthly_revenue(sales: pd.DataFrame) -> pd.Series:
    """Won revenue per calendar month (index: first day of the month as Timestamp)."""
    won = sales["stage"].eq("won").to_numpy(dtype=bool, na_value=False)
    dates = pd.to_datetime(sales["date"][won], errors="coerce")  # the won rows' columns
    amounts = pd.to_numeric(sales["amount"][won], errors="coerce").fillna(0)  # alone
    months = dates.to_numpy().astype("datetime64[M]").astype("datetime64[us]")  # 1st day
    return amounts.groupby(pd.Series(months, index=dates.index, name=dates.name)).sum()


def linear_forecast(history: list[float], ahead: int = 1) -> list[float]:
    """The next ``ahead`` values of a series by its least-squares line (never below 0);
    with fewer than 3 points, their mean."""
    if not history:
        return [0.0] * ahead
    if len(history) < 3:
        return [float(np.mean(history))] * ahead
    x = np.arange(len(history), dtype=float)
    slope, intercept = np.polyfit(x, np.asarray(history, dtype=float), 1)
    return [max(0.0, float(slope * (len(history) + i) + intercept)) for i in range(ahead)]


def _trend(monthly: pd.Series, upto: Period, months: list[Period]) -> float | None:
    """Linear trend of the last 12 months' revenue, projected onto ``months``; None
    without any revenue to base it on."""
    end = pd.Timestamp(upto.end)
    history = monthly[monthly.index <= end].tail(12)
    if history.empty or history.sum() <= 0:
        return None
    full = pd.period_range(history.index[0], upto.end, freq="M").to_timestamp()
    values = history.reindex(full, fill_value=0.0).tolist()
    gap = (months[0].start.year * 12 + months[0].start.month) - (
        upto.end.year * 12 + upto.end.month) - 1
    return float(sum(linear_forecast(values, gap + len(months))[gap:]))


def _number(value: object) -> float | None:
    """A settings value as a number; None when empty or not a number."""
    return float(value) if isinstance(value, int | float) and value == value else None


def _percent(rate: float) -> str:
    """``12%``, ``12.5%``, ``-30%``: a rate as people write it (not rounded to 12 %)."""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _factor(growth: float) -> str:
    """``(1 + 10%)``, ``(1 − 30%)``, ``(1 + 12.5%)``: a growth rate as the factor the
    target's basis shows."""
    return f"(1 {'−' if growth < 0 else '+'} {_percent(abs(growth))})"


def choose_total(inp: PlanInput, opts: PlanOptions, revenue: float, monthly: pd.Series,
                 targets: float = 0.0) -> TotalBasis:
    """The next period's revenue target and where it comes from: ``--target``, growth
    on this period's ``revenue`` (scaled to a whole period for a team new during it:
    :mod:`xlsales.plan.partial_period`), the settings sheet, the 12-month trend, else
    this period's ``targets``; with none of them 0, and a note asking for a target."""
    nxt = inp.period.next
    growth_setting = _number(inp.assumptions.get("growth_rate"))
    given = _number(inp.assumptions.get("next_target"))
    if opts.target is not None:
        zh, en = opts.target_basis or ("命令行指定的目标", "target given on the command line")
        return TotalBasis(opts.target, zh, en, given=True)
    # a team new during the period: its revenue scaled to a whole period is grown
    scaled = scaled_revenue(inp, revenue)
    grown = scaled.revenue
    w = period_words(inp.period)  # a year's: 本年度 / this year
    this, nxt_zh = w.this, w.next[0]
    give = give_target(inp.period)
    of = scaled.texts or (f"{this[0]}销售额 {revenue:,.0f}", f"{this[1]}'s revenue {revenue:,.0f}")
    if opts.growth is not None and revenue > 0:
        return TotalBasis(grown * (1 + opts.growth), f"{of[0]} × {_factor(opts.growth)}",
                          f"{of[1]} × {_factor(opts.growth)}", scaled.note)
    if given is not None and given > 0:
        return TotalBasis(given, "设置表中管理层下达的目标", "target given in the settings sheet",
                          given=True)
    if growth_setting is not None and revenue > 0:
        return TotalBasis(grown * (1 + growth_setting),
                          f"{of[0]} × (1 + 设置表增长假设 {_percent(growth_setting)})",
                          f"{of[1]} × (1 + growth assumption {_percent(growth_setting)} "
                          "from settings)", scaled.note)
    trend = _trend(monthly, inp.period, nxt.months_in())
    unused = ((f"--growth {_percent(opts.growth)} 无法使用（{this[0]}没有销售额）；",
               f"--growth {_percent(opts.growth)} cannot be used (no revenue {this[1]}); ")
              if opts.growth is not None else ("", ""))
    if trend is not None and trend > 0:
        basis = TotalBasis(trend, "近 12 个月销售额的线性趋势",
                           "linear trend of the last 12 months' revenue")
        if opts.growth is None:
            return basis
        return TotalBasis(basis.value, basis.zh, basis.en,
                          (f"{unused[0]}{nxt_zh}目标改按{basis.zh}。",
                           f"{unused[1]}the target follows the {basis.en} instead."))
    why = (("近 12 个月销售额的线性趋势降到 0", "the linear trend of the last 12 months' "
            "revenue falls to 0") if trend is not None else
           (f"截至{this[0]}末没有销售额", f"there is no revenue up to the end of {this[1]}"))
    if targets > 0:
        return TotalBasis(
            targets, f"{this[0]}目标（目标表的销售额目标合计 {targets:,.0f}）：{why[0]}",
            f"{this[1]}'s targets (revenue targets on the Targets sheet, {targets:,.0f}): "
            f"{why[1]}",
            (f"{unused[0]}{why[0]}，{nxt_zh}目标沿用{this[0]}目标 {targets:,.0f}；如需调整，"
             f"{give[0]}",
             f"{unused[1]}{why[1]}, so the target is {this[1]}'s targets, {targets:,.0f}; "
             f"to set another, {give[1][0].lower()}{give[1][1:]}"))
    return TotalBasis(
        0.0, f"无依据，目标暂为 0：{why[0]}，{this[0]}也没有目标。{give[0]}",
        f"no basis, target left at 0: {why[1]} and no targets {this[1]}. {give[1]}",
        (f"{unused[0]}{why[0]}，{this[0]}也没有目标，{nxt_zh}销售额目标暂为 0。{give[0]}",
         f"{unused[1]}{why[1]} and no targets {this[1]}: the revenue target is left at 0. "
         f"{give[1]}"))
