"""B1 Targets: the next period's revenue target, decomposed over time and people, and
the process targets that follow from this period's KPIs. Every target is SMART: a
number, a unit, an owner and a due date; parts sum exactly to their whole. The process
targets' ratios are those of the basis window (:mod:`xlsales.plan.basis_window`: the
period under review, at least its last 3 months; a year plan's the whole year's)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from xlsales.kpis import KpiData, KpiValue, window_bounds
from xlsales.periods import Period
from xlsales.plan.basis_window import BasisWindow, basis_window
from xlsales.plan.model import PlanInput, PlanOptions
from xlsales.plan.period_words import period_words, worded
from xlsales.plan.quarters import QUARTER_BASIS, year_quarters
from xlsales.plan.rep_shares import REP_BASIS, nothing_for, rep_shares
from xlsales.plan.rep_tenure import tenure_grid, tenure_notes, with_new_reps
from xlsales.plan.rounding import (
    given_unit,
    in_units,
    round_money,
    rounding_unit,
    split_exact,
    split_grid,
)
from xlsales.plan.time_split import TIME_BASIS, time_split
from xlsales.plan.time_split import Part as Part
from xlsales.plan.time_split import time_parts as time_parts
from xlsales.plan.total_target import TotalBasis, _percent, choose_total, monthly_revenue
from xlsales.plan.total_target import linear_forecast as linear_forecast
from xlsales.plan.units import metric_names, money_unit
from xlsales.spec.subset import kpi_subset

#: The KPIs the targets are made from: only these (and what they need) are computed
PLAN_KPIS = ("revenue", "target", "deals", "closed_deals", "new_customer_revenue",
             "new_customers", "collection_rate", "customers")
#: What the reps are split by: this period's revenue and, without any, its targets
SHARE_KPIS = ("revenue", "target")


#: Process targets derived from the basis window (:mod:`xlsales.plan.basis_window`: the
#: period under review, at least its last 3 months): the metrics left out when it gives
#: no basis for them, and the note that says so (zh, en; ``{zh}``/``{en}``: the window's
#: name). No won deal: no order value to turn the revenue target into deals, and so no
#: visits or new customers.
NO_BASIS: dict[str, tuple[str, str]] = {
    "deals": ("{zh}没有成交，无法按平均订单价值推算成交单数、拜访次数和新客户数目标；"
              "需要时在计划-目标表中自行添加。",
              "no deal won in {en}, so no deals, visits or new-customers "
              "target could be derived from the average order value; add them on the plan "
              "targets sheet if needed."),
    "visits": ("{zh}的活动表没有记录拜访，没有设拜访次数目标（而不是设为 0）；"
               "需要时在计划-目标表中自行添加。",
               "no visit recorded on the activities sheet in {en}, so no "
               "visits target was set (rather than 0); add one on the plan targets sheet "
               "if needed."),
    "new_customers": ("{zh}没有新客户成交，没有按每单新客户数设新客户数目标（而不是设为 0），"
                      "行动的新客户销售额指标也留空；需要时在计划-目标表中自行添加。",
                      "no new customer won in {en}, so no new-customers target "
                      "was set from new customers per deal (rather than 0), and an action's "
                      "new-customer revenue goal is left empty; add them on the plan targets "
                      "sheet if needed."),
}


def no_basis_note(metric: str, window: BasisWindow) -> tuple[str, str]:
    """The note (zh, en) of ``metric``'s target left out for want of a basis in
    ``window`` (:data:`NO_BASIS`)."""
    zh, en = NO_BASIS[metric]
    return zh.format(zh=window.zh), en.format(en=window.en)


def _ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def plan_kpi_data(inp: PlanInput) -> KpiData:
    """The plan's tables, parsed once for the :data:`PLAN_KPIS` of several periods."""
    return KpiData(inp.tables, kpi_subset(PLAN_KPIS))


def process_ratios(inp: PlanInput, data: KpiData | None = None,
                   current: Mapping[str, KpiValue] | None = None,
                   window: BasisWindow | None = None) -> dict[str, float | None]:
    """Ratios of the basis ``window`` (default: :func:`basis_window` of ``inp.period``)
    that turn a revenue target into process targets (``data``: the tables parsed once,
    ``current``: this period's KPIs, when known)."""
    window = window or basis_window(inp.period, inp.frame("Sales"))
    data = data if data is not None else plan_kpi_data(inp)
    current = current if current is not None else data.compute(inp.period).kpis
    kpis = [current if p == inp.period else data.compute(p).kpis for p in window.periods]
    revenue = sum(k["revenue"] or 0 for k in kpis)
    deals = sum(k["deals"] or 0 for k in kpis)
    closed = sum(k["closed_deals"] or 0 for k in kpis)
    new_rev = sum(k["new_customer_revenue"] or 0 for k in kpis)
    new_customers = sum(k["new_customers"] or 0 for k in kpis)
    acts = inp.frame("Activities")
    visits = 0
    if not acts.empty:
        d = pd.to_datetime(acts["date"], errors="coerce")
        lo, hi = pd.Timestamp(window.start), pd.Timestamp(window.end)
        visits = int((acts["type"].eq("visit") & (d >= lo) & (d <= hi)).sum())
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


def plan_targets(inp: PlanInput, opts: PlanOptions, monthly: pd.Series | None = None
                 ) -> tuple[pd.DataFrame, TotalBasis, dict[str, float], list[tuple[str, str]]]:
    """Rows of the PlanTargets table, the total revenue target (rounded) with its basis
    and note, the team-level value of every metric (for the actions' KPI targets), and
    notes on the process targets left out for want of a basis (:data:`NO_BASIS`);
    ``monthly``: :func:`monthly_revenue` of the sales, when computed already."""
    zh = inp.lang == "zh"
    nxt = inp.period.next
    data = plan_kpi_data(inp)
    current = data.compute(inp.period, by="rep", group_spec=kpi_subset(SHARE_KPIS))
    revenue = float(current.kpis["revenue"] or 0.0)
    monthly = monthly_revenue(inp.frame("Sales")) if monthly is None else monthly
    chosen = choose_total(inp, opts, revenue, monthly, float(current.kpis["target"] or 0.0))
    basis_zh, basis_en = chosen.zh, chosen.en  # a year's: 本年度销售额 (period_words)
    unit = given_unit(chosen.value) if chosen.given else rounding_unit(chosen.value)
    total = in_units(round(chosen.value / unit), unit)
    parts, time_used = time_split(nxt, opts.method, monthly, inp.calendar)
    part_totals = split_exact(total, [p.weight for p in parts], unit)
    weights, rep_used = rep_shares(inp, opts, current.groups)
    weights = with_new_reps(inp, weights, rep_used)  # a new rep: the others' average
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
    share_basis = worded(inp.period, REP_BASIS[rep_used])[0 if zh else 1]
    add(nxt.start, nxt.label, inp.owner, "revenue", total, nxt.end,
        basis_zh if zh else basis_en, "total")
    # each rep's total and each sub-period's total are exact; the grid between them too
    on_team = tenure_grid(inp, parts, part_totals, weights, unit)  # a leaver, a joiner
    if on_team is None:
        rep_split = split_exact(total, list(weights.values()), unit)
        grid = split_grid(part_totals, rep_split, unit)
    else:
        rep_split, grid = on_team.rep_totals, on_team.grid
    rep_totals = dict(zip(reps, rep_split, strict=True))
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
    window = basis_window(inp.period, inp.frame("Sales"))
    ratios = process_ratios(inp, data, current.kpis, window)
    goal = collection_goal(inp)
    team = _process_targets(total, ratios, goal)
    for metric, value in team.items():
        add(nxt.start, nxt.label, inp.owner, metric, value, nxt.end,
            _process_basis(metric, ratios, zh, goal, window, inp.period), "total")
    # no deal: one note for the three targets derived from deals; else one per target
    unbased = ([no_basis_note("deals", window)] if "deals" not in team else
               [no_basis_note(key, window) for key in NO_BASIS if key not in team])
    unbased += nothing_for(reps, rep_totals, rep_used, inp.period)
    unbased += tenure_notes(inp, reps, rep_used)
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
    basis window gives a basis for (:data:`NO_BASIS`)."""
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


def _collection_basis(current: float | None, goal: CollectionGoal,
                      period: Period) -> tuple[str, str]:
    """The basis of the plan's collection rate (zh, en): the rate of ``period`` (under
    review) and the goal it was held against, or the default when the Targets sheet sets
    none for it."""
    this = period_words(period).this
    floor = ((f"不低于{this[0]}回款率 {current:.1%}", f"at least {this[1]}'s {current:.1%}")
             if current is not None else
             (f"{this[0]}尚无开票（回款率无从计算）",
              f"no invoice {this[1]} yet (no collection rate)"))
    if goal.value is None:
        default = _percent(DEFAULT_COLLECTION_RATE)
        return (f"{floor[0]}；目标表没有{this[0]}的回款率目标，按默认 {default}",
                f"{floor[1]}; no collection-rate target for {this[1]} on the targets "
                f"sheet, so the default {default}")
    zh_rows, en_rows = ("（各行平均）", " (the mean of its rows)") if goal.mean else ("", "")
    return (f"{floor[0]}，按目标表中{this[0]}的回款率目标 {goal.value:.1%}{zh_rows}",
            f"{floor[1]}, and {this[1]}'s collection-rate target on the targets sheet, "
            f"{goal.value:.1%}{en_rows}")


def _process_basis(metric: str, r: dict[str, float | None], zh: bool,
                   goal: CollectionGoal, window: BasisWindow, period: Period) -> str:
    def f(v: float | None, pct: bool = False) -> str:
        return "–" if v is None else (f"{v:.1%}" if pct else f"{v:,.1f}")

    def money(v: float | None) -> str:  # as the revenue it is set beside: 20,903
        return "–" if v is None else f"{v:,.0f}"

    def f2(v: float | None) -> str:  # a count per deal: 0.09, not 0.1
        return "–" if v is None else f"{v:,.2f}"

    w = window
    texts = {
        "deals": (f"目标 ÷ {w.zh}平均订单价值 {money(r['aov'])}",
                  f"target ÷ average order value of {w.en} {money(r['aov'])}"),
        "visits": (f"成交单数 × {w.zh}每单拜访次数 {f(r['visits_per_deal'])}",
                   f"deals × visits per won deal, {w.en_tail} {f(r['visits_per_deal'])}"),
        "new_customers": (f"成交单数 × {w.zh}每单新客户数 {f2(r['new_per_deal'])}",
                          f"deals × new customers per won deal, {w.en_tail} "
                          f"{f2(r['new_per_deal'])}"),
        "pipeline": (f"目标 ÷ {w.zh}赢单率 {f(r['win_rate'], True)}",
                     f"target ÷ win rate of {w.en} {f(r['win_rate'], True)}"),
        "collection_rate": _collection_basis(r["collection_rate"], goal, period),
    }
    return texts[metric][0 if zh else 1]
