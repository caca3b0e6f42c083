"""B1 Targets: the next period's revenue target, decomposed over time and people, and
the process targets that follow from this period's KPIs. Every target is SMART: a
number, a unit, an owner and a due date; parts sum exactly to their whole."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from xlsales.kpis import KpiData, KpiValue, window_bounds
from xlsales.periods import Period, PeriodType
from xlsales.plan.model import Method, PlanInput, PlanOptions
from xlsales.plan.quarters import QUARTER_BASIS, year_quarters
from xlsales.plan.rep_shares import REP_BASIS, nothing_for, rep_shares
from xlsales.plan.rounding import (
    given_unit,
    in_units,
    round_money,
    rounding_unit,
    split_exact,
    split_grid,
)
from xlsales.plan.units import metric_names, money_unit
from xlsales.plan.workdays import WorkCalendar
from xlsales.spec.subset import kpi_subset

TRAILING_MONTHS = 3  # window for the ratios behind process targets (AOV, win rate …)
#: The KPIs the targets are made from: only these (and what they need) are computed
PLAN_KPIS = ("revenue", "target", "deals", "closed_deals", "new_customer_revenue",
             "new_customers", "collection_rate", "customers")
#: What the reps are split by: this period's revenue and, without any, its targets
SHARE_KPIS = ("revenue", "target")


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


#: Process targets derived from the trailing months: the metrics left out when those
#: months give no basis for them, and the note that says so (zh, en). No won deal: no
#: order value to turn the revenue target into deals, and so no visits or new customers.
NO_BASIS: dict[str, tuple[str, str]] = {
    "deals": ("近 3 个月没有成交，无法按平均订单价值推算成交单数、拜访次数和新客户数目标；"
              "需要时在计划-目标表中自行添加。",
              "no deal won in the last 3 months, so no deals, visits or new-customers "
              "target could be derived from the average order value; add them on the plan "
              "targets sheet if needed."),
    "visits": ("近 3 个月的活动表没有记录拜访，没有设拜访次数目标（而不是设为 0）；"
               "需要时在计划-目标表中自行添加。",
               "no visit recorded on the activities sheet in the last 3 months, so no "
               "visits target was set (rather than 0); add one on the plan targets sheet "
               "if needed."),
    "new_customers": ("近 3 个月没有新客户成交，没有按每单新客户数设新客户数目标（而不是设为 0），"
                      "行动的新客户销售额指标也留空；需要时在计划-目标表中自行添加。",
                      "no new customer won in the last 3 months, so no new-customers target "
                      "was set from new customers per deal (rather than 0), and an action's "
                      "new-customer revenue goal is left empty; add them on the plan targets "
                      "sheet if needed."),
}


#: Where the user sets the target when the book gives no basis for one (zh, en)
GIVE_TARGET = ("请用 xlsales plan --target 金额 指定下期目标，或在设置表填写"
               "“下期目标（管理层下达）”，然后重新生成计划。",
               "Give the target with xlsales plan --target AMOUNT, or fill in 'Next-period "
               "target (given)' on the settings sheet, then generate the plan again.")


@dataclass(frozen=True)
class Part:
    """A sub-period of the plan period (a month, or a week of a month plan)."""

    label: str
    start: date
    end: date
    weight: float


def monthly_revenue(sales: pd.DataFrame) -> pd.Series:
    """Won revenue per calendar month (index: first day of the month as Timestamp)."""
    won = sales[sales["stage"].eq("won")]
    dates = pd.to_datetime(won["date"], errors="coerce")
    amounts = pd.to_numeric(won["amount"], errors="coerce").fillna(0)
    return amounts.groupby(dates.dt.to_period("M").dt.to_timestamp()).sum().sort_index()


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
    on this period's ``revenue``, the settings sheet, the 12-month trend, else this
    period's ``targets``; with none of them 0, and a note asking for a target."""
    nxt = inp.period.next
    growth_setting = _number(inp.assumptions.get("growth_rate"))
    given = _number(inp.assumptions.get("next_target"))
    if opts.target is not None:
        zh, en = opts.target_basis or ("命令行指定的目标", "target given on the command line")
        return TotalBasis(opts.target, zh, en, given=True)
    if opts.growth is not None and revenue > 0:
        return TotalBasis(
            revenue * (1 + opts.growth), f"本期销售额 {revenue:,.0f} × {_factor(opts.growth)}",
            f"this period's revenue {revenue:,.0f} × {_factor(opts.growth)}")
    if given is not None and given > 0:
        return TotalBasis(given, "设置表中管理层下达的目标", "target given in the settings sheet",
                          given=True)
    if growth_setting is not None and revenue > 0:
        return TotalBasis(revenue * (1 + growth_setting),
                          f"本期销售额 {revenue:,.0f} × (1 + 设置表增长假设 "
                          f"{_percent(growth_setting)})",
                          f"this period's revenue {revenue:,.0f} × (1 + growth assumption "
                          f"{_percent(growth_setting)} from settings)")
    trend = _trend(monthly, inp.period, nxt.months_in())
    unused = ((f"--growth {_percent(opts.growth)} 无法使用（本期没有销售额）；",
               f"--growth {_percent(opts.growth)} cannot be used (no revenue this period); ")
              if opts.growth is not None else ("", ""))
    if trend is not None and trend > 0:
        basis = TotalBasis(trend, "近 12 个月销售额的线性趋势",
                           "linear trend of the last 12 months' revenue")
        if opts.growth is None:
            return basis
        return TotalBasis(basis.value, basis.zh, basis.en,
                          (f"{unused[0]}下期目标改按{basis.zh}。",
                           f"{unused[1]}the target follows the {basis.en} instead."))
    why = (("近 12 个月销售额的线性趋势降到 0", "the linear trend of the last 12 months' "
            "revenue falls to 0") if trend is not None else
           ("截至本期末没有销售额", "there is no revenue up to the end of this period"))
    if targets > 0:
        return TotalBasis(
            targets, f"本期目标（目标表的销售额目标合计 {targets:,.0f}）：{why[0]}",
            f"this period's targets (revenue targets on the Targets sheet, {targets:,.0f}): "
            f"{why[1]}",
            (f"{unused[0]}{why[0]}，下期目标沿用本期目标 {targets:,.0f}；如需调整，"
             f"{GIVE_TARGET[0]}",
             f"{unused[1]}{why[1]}, so the target is this period's targets, {targets:,.0f}; "
             f"to set another, {GIVE_TARGET[1][0].lower()}{GIVE_TARGET[1][1:]}"))
    return TotalBasis(
        0.0, f"无依据，目标暂为 0：{why[0]}，本期也没有目标。{GIVE_TARGET[0]}",
        f"no basis, target left at 0: {why[1]} and no targets this period. {GIVE_TARGET[1]}",
        (f"{unused[0]}{why[0]}，本期也没有目标，下期销售额目标暂为 0。{GIVE_TARGET[0]}",
         f"{unused[1]}{why[1]} and no targets this period: the revenue target is left at 0. "
         f"{GIVE_TARGET[1]}"))


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
    "even": ("平均", "evenly"),
    "even_no_history": ("平均：这几个月没有历史数据", "even: no history for those months"),
}


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
        last_year = [float(monthly.get(pd.Timestamp(m.year_ago.start), 0.0)) for m in months]
        if sum(last_year) > 0:
            weights = last_year
            used = "history" if method == "history" else "history_no_season"
        else:
            used = "even_no_history"
    parts = [Part(m.label, m.start, m.end, w) for m, w in zip(months, weights, strict=True)]
    return parts, used


def time_parts(plan: Period, method: Method, monthly: pd.Series,
               calendar: WorkCalendar) -> list[Part]:
    """The plan period's sub-periods with weights (see :func:`time_split`)."""
    return time_split(plan, method, monthly, calendar)[0]


def _ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def plan_kpi_data(inp: PlanInput) -> KpiData:
    """The plan's tables, parsed once for the :data:`PLAN_KPIS` of several periods."""
    return KpiData(inp.tables, kpi_subset(PLAN_KPIS))


def process_ratios(inp: PlanInput, data: KpiData | None = None,
                   current: Mapping[str, KpiValue] | None = None) -> dict[str, float | None]:
    """Ratios of the trailing months that turn a revenue target into process targets
    (``data``: the tables parsed once, ``current``: this period's KPIs, when known)."""
    end_month = Period(inp.period.end.replace(day=1), PeriodType.MONTH)
    trailing = Period(end_month.shift(-(TRAILING_MONTHS - 1)).start, PeriodType.MONTH)
    data = data if data is not None else plan_kpi_data(inp)
    kpis = [data.compute(trailing.shift(i)).kpis for i in range(TRAILING_MONTHS)]
    revenue = sum(k["revenue"] or 0 for k in kpis)
    deals = sum(k["deals"] or 0 for k in kpis)
    closed = sum(k["closed_deals"] or 0 for k in kpis)
    new_rev = sum(k["new_customer_revenue"] or 0 for k in kpis)
    new_customers = sum(k["new_customers"] or 0 for k in kpis)
    acts = inp.frame("Activities")
    visits = 0
    if not acts.empty:
        d = pd.to_datetime(acts["date"], errors="coerce")
        lo, hi = pd.Timestamp(trailing.start), pd.Timestamp(inp.period.end)
        visits = int((acts["type"].eq("visit") & (d >= lo) & (d <= hi)).sum())
    current = current if current is not None else data.compute(inp.period).kpis
    return {
        "aov": _ratio(revenue, deals), "win_rate": _ratio(deals, closed),
        "visits_per_deal": _ratio(visits, deals), "new_share": _ratio(new_rev, revenue),
        "new_per_deal": _ratio(new_customers, deals),
        "collection_rate": current["collection_rate"], "customers": current["customers"],
    }


#: The collection-rate goal of a period without one on the Targets sheet
DEFAULT_COLLECTION_RATE = 0.9


@dataclass(frozen=True)
class CollectionGoal:
    """This period's collection-rate target on the Targets sheet (None without one) and
    whether it is the mean of rows that differ (the basis then says so)."""

    value: float | None
    mean: bool = False


def collection_goal(inp: PlanInput) -> CollectionGoal:
    """The collection-rate target of ``inp.period`` as the KPI sheet shows it (the KPI
    ``collection_rate_target``: the mean of the Targets rows whose month falls in the
    period); the months before and after it do not count."""
    targets = inp.frame("Targets").reindex(  # a column left out counts as empty
        columns=["period", "collection_rate_target"])
    lo, hi = window_bounds(inp.period, "current")
    month = pd.to_datetime(targets["period"], errors="coerce")
    rate = pd.to_numeric(targets["collection_rate_target"], errors="coerce")
    rates = rate[(month >= lo) & (month <= hi) & rate.notna()]
    if rates.empty:
        return CollectionGoal(None)
    return CollectionGoal(float(rates.mean()), rates.nunique() > 1)


def _collection_target(goal: CollectionGoal, current: float | None) -> float:
    """The plan's collection rate: this period's goal (the default without one), never
    below this period's rate, at most 100%."""
    value = goal.value if goal.value is not None else DEFAULT_COLLECTION_RATE
    return round(min(1.0, max(value, current or 0.0)), 3)


def plan_targets(inp: PlanInput, opts: PlanOptions) -> tuple[
        pd.DataFrame, TotalBasis, dict[str, float], list[tuple[str, str]]]:
    """Rows of the PlanTargets table, the total revenue target (rounded) with its basis
    and note, the team-level value of every metric (for the actions' KPI targets), and
    notes on the process targets left out for want of a basis (:data:`NO_BASIS`)."""
    zh = inp.lang == "zh"
    nxt = inp.period.next
    data = plan_kpi_data(inp)
    current = data.compute(inp.period, by="rep", group_spec=kpi_subset(SHARE_KPIS))
    revenue = float(current.kpis["revenue"] or 0.0)
    monthly = monthly_revenue(inp.frame("Sales"))
    chosen = choose_total(inp, opts, revenue, monthly, float(current.kpis["target"] or 0.0))
    basis_zh, basis_en = chosen.zh, chosen.en
    unit = given_unit(chosen.value) if chosen.given else rounding_unit(chosen.value)
    total = in_units(round(chosen.value / unit), unit)
    parts, time_used = time_split(nxt, opts.method, monthly, inp.calendar)
    part_totals = split_exact(total, [p.weight for p in parts], unit)
    weights, rep_used = rep_shares(inp, opts, current.groups)
    reps = list(weights)
    rows: list[dict[str, object]] = []
    money = money_unit(inp.currency, inp.lang)  # the book's currency

    def add(part_start: date, label: str, owner: str, metric: str, value: float, due: date,
            basis: str, scope: str = "part") -> None:
        name, unit = metric_names(metric, inp.lang, money)
        rows.append({"period": part_start, "period_label": label, "rep": owner,
                     "scope": scope, "metric": name, "kpi": metric,
                     "value": value, "unit": unit, "due": due, "basis": basis})

    time_basis = TIME_BASIS[time_used][0 if zh else 1]
    share_basis = REP_BASIS[rep_used][0 if zh else 1]
    add(nxt.start, nxt.label, inp.owner, "revenue", total, nxt.end,
        basis_zh if zh else basis_en, "total")
    # each rep's total and each sub-period's total are exact; the grid between them too
    rep_split = split_exact(total, list(weights.values()), unit)
    rep_totals = dict(zip(reps, rep_split, strict=True))
    grid = split_grid(part_totals, rep_split, unit)
    quarters = year_quarters(nxt, [p.start for p in parts], part_totals, grid, unit)
    for part, part_total, row in zip(parts, part_totals, grid, strict=True):
        if part.start in quarters:  # a year: each quarter's whole and parts before its months
            q = quarters[part.start]
            add(q.quarter.start, q.quarter.label, inp.owner, "revenue", q.total, q.quarter.end,
                QUARTER_BASIS[0 if zh else 1], "total")
            for rep, value in zip(reps, q.parts, strict=True):
                add(q.quarter.start, q.quarter.label, rep, "revenue", value, q.quarter.end,
                    QUARTER_BASIS[0 if zh else 1])
        add(part.start, part.label, inp.owner, "revenue", part_total, part.end, time_basis,
            "total")
        for rep, value in zip(reps, row, strict=True):
            add(part.start, part.label, rep, "revenue", value, part.end, share_basis)
    ratios = process_ratios(inp, data, current.kpis)
    goal = collection_goal(inp)
    team = _process_targets(total, ratios, goal)
    for metric, value in team.items():
        add(nxt.start, nxt.label, inp.owner, metric, value, nxt.end,
            _process_basis(metric, ratios, zh, goal), "total")
    # no deal: one note for the three targets derived from deals; else one per target
    unbased = ([NO_BASIS["deals"]] if "deals" not in team else
               [note for key, note in NO_BASIS.items() if key not in team])
    unbased += nothing_for(reps, rep_totals, rep_used)
    for metric in ("deals", "visits", "new_customers"):
        if metric not in team:
            continue
        for rep, value in zip(reps, split_exact(team[metric], [rep_totals[r] for r in reps]),
                              strict=True):
            add(nxt.start, nxt.label, rep, metric, value, nxt.end, share_basis)
    frame = pd.DataFrame(rows)
    frame.insert(0, "target_id", [f"T{i:03d}" for i in range(1, len(frame) + 1)])
    team["revenue"] = total
    team["win_rate"] = round(min(1.0, (ratios["win_rate"] or 0.0) + 0.05), 3) \
        if ratios["win_rate"] else 0.5
    if ratios["aov"]:  # no deal won this period: no basis for them (an action's target
        team["aov"] = round(ratios["aov"], 2)  # is then left empty, not 0)
    scale = total / revenue if revenue else 1.0
    if ratios["customers"]:
        team["customers"] = float(math.ceil(ratios["customers"] * scale))
    # a round amount as the other money targets, never above the revenue it is part of
    if ratios["new_share"]:  # no new customer lately: no basis (left empty, not 0)
        team["new_customer_revenue"] = min(total, round_money(total * ratios["new_share"]))
    return frame, TotalBasis(total, basis_zh, basis_en, chosen.note), team, unbased


def _process_targets(total: float, ratios: dict[str, float | None],
                     goal: CollectionGoal) -> dict[str, float]:
    """The team's process targets for a revenue target of ``total``: only those the
    trailing months give a basis for (:data:`NO_BASIS`)."""
    aov = ratios["aov"] or 0.0
    pipeline = total / ratios["win_rate"] if ratios["win_rate"] else total
    targets: dict[str, float] = {}
    if aov > 0:
        deals = math.ceil(total / aov)
        targets["deals"] = float(deals)
        if ratios["visits_per_deal"]:
            targets["visits"] = float(math.ceil(deals * ratios["visits_per_deal"]))
        if ratios["new_per_deal"]:
            targets["new_customers"] = float(math.ceil(deals * ratios["new_per_deal"]))
    targets["pipeline"] = round_money(pipeline)
    targets["collection_rate"] = _collection_target(goal, ratios["collection_rate"])
    return targets


def _collection_basis(current: float | None, goal: CollectionGoal) -> tuple[str, str]:
    """The basis of the plan's collection rate (zh, en): this period's rate and the goal
    it was held against, or the default when the Targets sheet sets none this period."""
    floor = ((f"不低于本期回款率 {current:.1%}", f"at least this period's {current:.1%}")
             if current is not None else
             ("本期尚无开票（回款率无从计算）", "no invoice this period yet (no collection rate)"))
    if goal.value is None:
        default = _percent(DEFAULT_COLLECTION_RATE)
        return (f"{floor[0]}；目标表没有本期的回款率目标，按默认 {default}",
                f"{floor[1]}; no collection-rate target for this period on the targets "
                f"sheet, so the default {default}")
    zh_rows, en_rows = ("（各行平均）", " (the mean of its rows)") if goal.mean else ("", "")
    return (f"{floor[0]}，按目标表中本期的回款率目标 {goal.value:.1%}{zh_rows}",
            f"{floor[1]}, and this period's collection-rate target on the targets sheet, "
            f"{goal.value:.1%}{en_rows}")


def _process_basis(metric: str, r: dict[str, float | None], zh: bool,
                   goal: CollectionGoal) -> str:
    def f(v: float | None, pct: bool = False) -> str:
        return "–" if v is None else (f"{v:.1%}" if pct else f"{v:,.1f}")

    def f2(v: float | None) -> str:  # a count per deal: 0.09, not 0.1
        return "–" if v is None else f"{v:,.2f}"

    texts = {
        "deals": (f"目标 ÷ 近 3 个月平均订单价值 {f(r['aov'])}",
                  f"target ÷ average order value of the last 3 months {f(r['aov'])}"),
        "visits": (f"成交单数 × 近 3 个月每单拜访次数 {f(r['visits_per_deal'])}",
                   f"deals × visits per won deal, last 3 months {f(r['visits_per_deal'])}"),
        "new_customers": (f"成交单数 × 近 3 个月每单新客户数 {f2(r['new_per_deal'])}",
                          f"deals × new customers per won deal, last 3 months "
                          f"{f2(r['new_per_deal'])}"),
        "pipeline": (f"目标 ÷ 近 3 个月赢单率 {f(r['win_rate'], True)}",
                     f"target ÷ win rate of the last 3 months {f(r['win_rate'], True)}"),
        "collection_rate": _collection_basis(r["collection_rate"], goal),
    }
    return texts[metric][0 if zh else 1]
