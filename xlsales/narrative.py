"""A drafted summary paragraph built from the KPI values, in the workbook's language,
for people to edit ("本月销售额 … 完成目标的 …%，环比 …")."""

from __future__ import annotations

from xlsales.findings import counted
from xlsales.kpis import KpiResult
from xlsales.periods import PeriodType
from xlsales.spec import Lang

PERIOD_WORD = {
    PeriodType.MONTH: ("本月", "this month"),
    PeriodType.QUARTER: ("本季度", "this quarter"),
    PeriodType.YEAR: ("本年度", "this year"),
}


def _pct(v: float | int | None) -> str:
    return "–" if v is None else f"{v:.1%}"


def _signed(v: float | int | None) -> str:
    return "–" if v is None else f"{v:+.1%}"


def ranking(result: KpiResult) -> list[tuple[str, float | None, float]]:
    """Groups (reps, regions …) by attainment, then revenue, best first."""
    rows = [(g, v.get("attainment"), float(v.get("revenue") or 0.0))
            for g, v in result.groups.items()]
    return sorted(rows, key=lambda r: (r[1] is not None, r[1] or 0.0, r[2]), reverse=True)


def group_order(result: KpiResult) -> list[str]:
    """The groups of a breakdown in the order reports list them: months in calendar
    order, any other group as the rep ranking sheet does (revenue, then attainment,
    then name)."""
    if result.by == "month":
        return sorted(result.groups, key=str)  # YYYY-MM

    def number(value: object) -> float:
        return float(value) if isinstance(value, int | float) else 0.0

    return [g for g, _ in sorted(result.groups.items(), key=lambda g: (
        -number(g[1].get("revenue")), -number(g[1].get("attainment")), str(g[0])))]


def _zh_text(k: dict, word: str, label: str) -> str:
    """The paragraph in Chinese; a figure that cannot be computed (no target, no earlier
    period to compare with, no invoice) is left out, not printed as "–"."""
    revenue, target = k["revenue"] or 0.0, k["target"] or 0.0
    text = f"{word}（{label}）销售额 {revenue:,.0f}，"
    text += (f"目标 {target:,.0f}，完成目标的 {_pct(k['attainment'])}；" if target
             else "没有设目标；")
    growth = [f"{name} {_signed(k[key])}" for name, key in (("环比", "mom_growth"),
                                                           ("同比", "yoy_growth"))
              if k.get(key) is not None]
    text += ("，".join(growth) + "。") if growth else "没有可比较的上期和去年同期数据。"
    text += f"成交 {k['deals']} 单、{k['customers']} 个客户"
    if k.get("new_customer_revenue_share") is not None:
        text += f"，新客户贡献 {_pct(k['new_customer_revenue_share'])}"
    rates = [f"{name} {_pct(k[key])}" for name, key in (("赢单率", "win_rate"),
                                                       ("回款率", "collection_rate"))
             if k.get(key) is not None]
    return text + ("；" + "，".join(rates) if rates else "") + "。"


def _en_text(k: dict, word: str, label: str) -> str:
    """The paragraph in English, leaving out what cannot be computed, as :func:`_zh_text`."""
    revenue, target = k["revenue"] or 0.0, k["target"] or 0.0
    text = f"Revenue {word} ({label}) was {revenue:,.0f}"
    text += (f" against a target of {target:,.0f}, {_pct(k['attainment'])} attained; "
             if target else ", with no target set; ")
    growth = [f"{_signed(k[key])} on {what}" for key, what in (
        ("mom_growth", "the previous period"), ("yoy_growth", "last year"))
        if k.get(key) is not None]
    text += (" and ".join(growth) + ". ") if growth else "no earlier period to compare with. "
    text += f"{counted(k['deals'], 'deal')} with {counted(k['customers'], 'customer')}"
    if k.get("new_customer_revenue_share") is not None:
        text += f", {_pct(k['new_customer_revenue_share'])} of revenue from new customers"
    rates = [f"{name} {_pct(k[key])}" for name, key in (("win rate", "win_rate"),
                                                       ("collection rate", "collection_rate"))
             if k.get(key) is not None]
    return text + ("; " + ", ".join(rates) if rates else "") + "."


def summary_paragraph(result: KpiResult, lang: Lang) -> str:
    """Revenue, attainment, growth, customers, win and collection rates in one paragraph;
    with a breakdown by rep, the best and the weakest attainment too (when they differ).
    A period without a deal yet says so instead (its growth would read -100 %)."""
    k = result.kpis
    zh = lang == "zh"
    word = PERIOD_WORD[result.period.type][0 if zh else 1]
    revenue, target = k["revenue"] or 0.0, k["target"] or 0.0
    if not revenue and not k["deals"]:  # a period just begun: no -100 % "growth"
        return (f"{word}（{result.period.label}）还没有成交记录（目标 {target:,.0f}）；"
                "填写销售记录后重新计算。" if zh else
                f"No deal won yet {word} ({result.period.label}; target {target:,.0f}): "
                "compute again once the sales records are in.")
    text = _zh_text(k, word, result.period.label) if zh else _en_text(
        k, word, result.period.label)
    ranked = [r for r in ranking(result) if r[1] is not None]
    if result.by == "rep" and len(ranked) >= 2 and ranked[0][1] != ranked[-1][1]:
        (best, best_a, _), (last, last_a, _) = ranked[0], ranked[-1]
        text += (f"完成率最高的是 {best}（{_pct(best_a)}），最低的是 {last}（{_pct(last_a)}）。"
                 if zh else f" Highest attainment: {best} ({_pct(best_a)}); lowest: {last} "
                            f"({_pct(last_a)}).")
    return text
