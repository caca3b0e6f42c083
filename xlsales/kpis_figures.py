"""The figures of the KPI report (``xlsales kpis --write``), from the KPI engine: the rep
ranking, the monthly trend, a year's quarters, the funnel and the drafted summary paragraph.

Every figure is the engine's: a rep's ratios are computed over the rep's own rows (never
an average of ratios), a month's figures are the KPIs of that month as a period.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from xlsales.gap_words import gap_sentence_en
from xlsales.groupings import period_parts
from xlsales.kpis import KpiData, KpiResult, KpiValue
from xlsales.money_text import amount
from xlsales.narrative import group_order, summary_paragraph
from xlsales.periods import Period, PeriodType
from xlsales.spec import SPEC, Lang
from xlsales.spec.subset import kpi_subset

#: Months in the trend, ending with the period's last month.
TREND_MONTHS = 12
#: The funnel's stages, top to bottom: KPI keys.
FUNNEL = ("opportunities", "reached_follow_up", "reached_proposal", "deals")
_TREND_SPEC = kpi_subset(("revenue", "target", "new_customer_revenue"))
#: A quarter's ratios after the trend's figures, in the quarters' Table's order.
QUARTER_RATIOS = ("attainment", "mom_growth", "yoy_growth")
_QUARTER_SPEC = kpi_subset(("revenue", "target", "new_customer_revenue", *QUARTER_RATIOS))

Row = list[object]


def _n(value: KpiValue) -> float:
    return 0.0 if value is None else float(value)


def ranking_rows(result: KpiResult) -> list[Row]:
    """Rank, rep, revenue, target, attainment, growth, deals, win rate: by revenue, then
    attainment, then name."""
    return [[rank, rep, _n(k["revenue"]), k["target"], k["attainment"], k["mom_growth"],
             int(_n(k["deals"])), k["win_rate"]]
            for rank, (rep, k) in enumerate(((g, result.groups[g])
                                             for g in group_order(result)), 1)]


def trend_months(period: Period) -> list[Period]:
    """The :data:`TREND_MONTHS` months up to the period's last month, oldest first."""
    end = period.end
    last = Period(date(end.year, end.month, 1), PeriodType.MONTH)
    return [last.shift(i - TREND_MONTHS + 1) for i in range(TREND_MONTHS)]


def trend_rows(tables: Mapping[str, pd.DataFrame], period: Period) -> list[Row]:
    """Month (its first day), revenue, target, new- and existing-customer revenue: each
    month's KPIs as a period of its own."""
    rows = []
    data = KpiData(tables, _TREND_SPEC)  # parsed once for the twelve months
    for month in trend_months(period):
        k = data.compute(month).kpis
        revenue, new = _n(k["revenue"]), _n(k["new_customer_revenue"])
        rows.append([month.start, revenue, _n(k["target"]), new, revenue - new])
    return rows


def quarter_rows(tables: Mapping[str, pd.DataFrame], period: Period) -> list[Row]:
    """Quarter (its label, 2026-Q1), revenue, target, new- and existing-customer revenue,
    attainment, growth on the quarter before and on the same quarter last year of each
    quarter of ``period`` (a year), each a period of its own as ``kpis --by quarter``
    computes it; a ratio without a base (no target, no earlier revenue) is None."""
    rows = []
    data = KpiData(tables, _QUARTER_SPEC)
    for quarter in period_parts(period, "quarter"):
        k = data.compute(quarter).kpis
        revenue, new = _n(k["revenue"]), _n(k["new_customer_revenue"])
        rows.append([quarter.label, revenue, _n(k["target"]), new, revenue - new,
                     *(k[key] for key in QUARTER_RATIOS)])
    return rows


def funnel_rows(kpis: Mapping[str, KpiValue], lang: Lang) -> list[Row]:
    """Key, stage, count and share of the previous stage, opportunities to won."""
    rows: list[Row] = []
    previous = None
    for key in FUNNEL:
        count = int(_n(kpis[key]))
        rate = None if not previous else count / previous
        rows.append([key, SPEC.kpi(key).label.get(lang), count, rate])
        previous = count
    return rows


def _pct(v: KpiValue) -> str:
    return "–" if v is None else f"{v:.1%}"


def _funnel_sentence(k: Mapping[str, KpiValue], zh: bool) -> str:
    n = {key: int(_n(k[key])) for key in FUNNEL}
    rates = [_pct(k[r]) for r in ("lead_to_follow_up_rate", "follow_up_to_proposal_rate",
                                  "proposal_to_won_rate", "overall_conversion")]
    if zh:
        return (f"漏斗：商机 {n['opportunities']:,} 个，{n['reached_follow_up']:,} 个进入跟进"
                f"（{rates[0]}），{n['reached_proposal']:,} 个进入方案（{rates[1]}），赢单 "
                f"{n['deals']:,} 个（{rates[2]}），整体转化率 {rates[3]}。")
    opportunities = f"{n['opportunities']:,} opportunit{'y' if n['opportunities'] == 1 else 'ies'}"
    return (f" Funnel: {opportunities}, {n['reached_follow_up']:,} reached "
            f"follow-up ({rates[0]}), {n['reached_proposal']:,} reached proposal ({rates[1]}), "
            f"{n['deals']:,} won ({rates[2]}); overall conversion {rates[3]}.")


def _pipeline_sentence(k: Mapping[str, KpiValue], zh: bool, money: str = "") -> str:
    lang: Lang = "zh" if zh else "en"
    pipeline, coverage = amount(_n(k["open_pipeline"]), money, lang), k["pipeline_coverage"]
    if coverage is not None:
        remaining = amount(_n(k["remaining_target"]), money, lang)
        return (f"在途商机 {pipeline}，是剩余目标 {remaining} 的 {coverage:.1f} 倍。" if zh else
                f" Open pipeline {pipeline} is {coverage:.1f}× the remaining target of "
                f"{remaining}.")
    if _n(k["target"]) == 0:
        return (f"未设目标；在途商机 {pipeline}。" if zh else
                f" No target set; open pipeline {pipeline}.")
    return (f"目标已完成；在途商机 {pipeline}。" if zh else
            f" Target met; open pipeline {pipeline}.")


#: The period before and this one in a zh draft, as the English names them (last year,
#: this quarter …); 上期 / 本期 when the type is not known.
_ZH_PERIODS = {PeriodType.MONTH: ("上月", "本月"), PeriodType.QUARTER: ("上季度", "本季度"),
               PeriodType.YEAR: ("上年", "本年度")}


def _zh_periods(period: PeriodType | None) -> tuple[str, str]:
    """The period before ``period`` and ``period`` itself, as a zh draft names them."""
    return _ZH_PERIODS[period] if period is not None else ("上期", "本期")


def _churn_sentence(k: Mapping[str, KpiValue], zh: bool,
                    period: PeriodType | None = None) -> str:
    unit = period.value if period is not None else "period"
    earlier = "last year" if period is PeriodType.YEAR else f"in the previous {unit}"
    before = int(_n(k["customers_previous"]))
    last, this = _zh_periods(period)
    if not before:
        return (f"{last}没有成交客户，无法计算流失。" if zh else
                f" No customers were won {earlier}, so there is no churn figure.")
    churned = int(_n(k["churned_customers"]))
    return (f"{last} {before:,} 个成交客户中 {churned:,} 个{this}未再成交（流失率 "
            f"{_pct(k['churn_rate'])}，留存率 {_pct(k['retention_rate'])}）。" if zh else
            _churn_en(before, churned, earlier, unit)
            + f" (churn {_pct(k['churn_rate'])}, retention {_pct(k['retention_rate'])}).")


def _churn_en(before: int, churned: int, earlier: str, unit: str) -> str:
    """``Of the 78 customers won last year, 12 bought nothing this year``; when none
    churned, ``All 78 customers won … bought again this year`` (not "none bought
    nothing")."""
    customers = f"{before:,} customer{'s' if before != 1 else ''}"
    if not churned:
        whom = "The 1 customer" if before == 1 else f"All {customers}"
        return f" {whom} won {earlier} bought again this {unit}"
    return f" Of the {customers} won {earlier}, {churned:,} bought nothing this {unit}"


def _gap_sentence(k: Mapping[str, KpiValue], zh: bool, money: str = "",
                  period: PeriodType | None = None) -> str:
    if not _n(k["target"]):  # no target: no gap to speak of (not "revenue vs target +X")
        return ""
    diff = _n(k["revenue"]) - _n(k["target"])
    effects = [k["volume_effect"], k["mix_effect"], k["price_effect"]]
    if zh:
        gap = amount(diff, money, "zh", signed=True)
        if any(e is None for e in effects):
            last = _zh_periods(period)[0]
            return f"销售额较目标 {gap}；缺少{last}销量，无法拆分为销量、结构和价格影响。"
        v, m, p = (amount(_n(e), money, "zh", signed=True) for e in effects)
        return f"销售额较目标 {gap}，其中销量影响 {v}、产品结构影响 {m}、价格影响 {p}。"
    return gap_sentence_en(diff, None if any(e is None for e in effects)
                           else tuple(_n(e) for e in effects),  # type: ignore[arg-type]
                           money, period)


def draft_paragraph(result: KpiResult, lang: Lang, money: str = "") -> str:
    """The summary paragraph to edit, amounts in ``money`` (the book's currency):
    revenue, attainment and growth, customers, win and collection rates, best and weakest
    rep (:func:`~xlsales.narrative.summary_paragraph`), then funnel conversion, pipeline
    coverage, churn and the volume / mix / price split of the gap to target."""
    zh, k = lang == "zh", result.kpis
    return (summary_paragraph(result, lang, money) + _funnel_sentence(k, zh)
            + _pipeline_sentence(k, zh, money) + _churn_sentence(k, zh, result.period.type)
            + _gap_sentence(k, zh, money, result.period.type))
