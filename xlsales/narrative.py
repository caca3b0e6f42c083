"""A drafted summary paragraph built from the KPI values, in the workbook's language,
for people to edit ("本月销售额 … 完成目标的 …%，环比 …")."""

from __future__ import annotations

from numbers import Integral
from typing import Any

from xlsales.findings import counted
from xlsales.groupings import MEMBER_GROUPING, PERIOD_GROUPINGS
from xlsales.kpis import KpiResult
from xlsales.money_text import amount
from xlsales.periods import PeriodType
from xlsales.spec import Lang

PERIOD_WORD = {
    PeriodType.MONTH: ("本月", "this month"),
    PeriodType.QUARTER: ("本季度", "this quarter"),
    PeriodType.YEAR: ("本年度", "this year"),
}


#: The breakdowns whose summary names the best and the weakest attainment: people and
#: teams answer for theirs (a region's or a product's is no one's ranking).
RANKED = ("rep", MEMBER_GROUPING)


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
    """The groups of a breakdown in the order reports list them: months and quarters in
    calendar order, any other group as the rep ranking sheet does (revenue, then
    attainment, then name)."""
    if result.by in PERIOD_GROUPINGS:
        return sorted(result.groups, key=str)  # YYYY-MM, YYYY-Qn

    def number(value: object) -> float:
        return float(value) if isinstance(value, int | float) else 0.0

    return [g for g, _ in sorted(result.groups.items(), key=lambda g: (
        -number(g[1].get("revenue")), -number(g[1].get("attainment")), str(g[0])))]


#: The paragraph's wording per language: templates filled from the KPIs, the KPIs of
#: its growth and rate clauses, and how those clauses join.
_WORDING: dict[str, dict[str, Any]] = {
    "zh": {"head": "{word}（{label}）销售额 {revenue}，",
           "target": "目标 {target}，完成目标的 {attainment}；", "no_target": "没有设目标；",
           "growth": (("环比", "mom_growth"), ("同比", "yoy_growth")),
           "growth_item": "{name} {value}",
           "growth_join": "，", "growth_end": "。", "no_growth": "没有可比较的上期和去年同期数据。",
           "no_growth_year": "没有可比较的上年数据。",  # a year's previous period is last year
           "deals": "成交 {deals} 单、{customers} 个客户", "new_share": "，新客户贡献 {share}",
           "rates": (("赢单率", "win_rate"), ("回款率", "collection_rate")),
           "rates_lead": "；", "rates_join": "，", "end": "。"},
    "en": {"head": "Revenue {word} ({label}) was {revenue}",
           "target": " against a target of {target}, {attainment} attained; ",
           "no_target": ", with no target set; ",
           "growth": (("the previous {unit}", "mom_growth"),
                      ("the same {unit} last year", "yoy_growth")),
           "growth_item": "{value} on {name}", "growth_join": " and ", "growth_end": ". ",
           "no_growth": "no earlier period to compare with. ",
           "no_growth_year": "no earlier year to compare with. ",
           "deals": "{deals} with {customers}",
           "new_share": ", {share} of revenue from new customers",
           "rates": (("win rate", "win_rate"), ("collection rate", "collection_rate")),
           "rates_lead": "; ", "rates_join": ", ", "end": "."},
}


def _moved(v: float) -> str:
    """A growth as English says it: ``up 23.0%``, ``down 3.7%``, ``flat`` (under 0.05%)."""
    if abs(v) < 0.0005:
        return "flat"
    return f"{'up' if v > 0 else 'down'} {abs(v):.1%}"


def _growth_name(name: str, period: PeriodType, year: bool) -> str:
    """Whom an English growth compares with: the previous quarter, the same quarter last
    year; of a year (whose previous period is last year) just last year."""
    return "last year" if year else name.format(unit=period.value)


def _whole(n: object) -> str:
    """A count as the paragraph's amounts are written: ``1,829``."""
    return f"{n:,}" if isinstance(n, Integral) else str(n)


def _text(k: dict, word: str, label: str, lang: Lang, period: PeriodType,
          money: str = "") -> str:
    """The paragraph in ``lang``, amounts in ``money``; a figure that cannot be computed
    (no target, no earlier period to compare with, no invoice) is left out, not printed as
    "–". For a year the previous period is last year: its growth is said once, as
    year on year. English names what it compares with (the previous quarter) and says
    which way revenue moved (up 23.0%, down 3.7%)."""
    w = _WORDING[lang]
    year = period is PeriodType.YEAR
    revenue, target = k["revenue"] or 0.0, k["target"] or 0.0
    text = w["head"].format(word=word, label=label, revenue=amount(revenue, money, lang))
    text += (w["target"].format(target=amount(target, money, lang),
                                attainment=_pct(k["attainment"]))
             if target else w["no_target"])
    zh = lang == "zh"
    growth = [w["growth_item"].format(name=name if zh else _growth_name(name, period, year),
                                      value=_signed(k[key]) if zh else _moved(k[key]))
              for name, key in w["growth"] if k.get(key) is not None
              and not (year and key == "mom_growth")]
    text += w["growth_join"].join(growth) + w["growth_end"] if growth else w[
        "no_growth_year" if year else "no_growth"]
    deals, customers = ((_whole(k["deals"]), _whole(k["customers"])) if lang == "zh" else
                        (counted(k["deals"], "deal"), counted(k["customers"], "customer")))
    text += w["deals"].format(deals=deals, customers=customers)
    if k.get("new_customer_revenue_share") is not None:
        text += w["new_share"].format(share=_pct(k["new_customer_revenue_share"]))
    rates = [f"{name} {_pct(k[key])}" for name, key in w["rates"] if k.get(key) is not None]
    return text + (w["rates_lead"] + w["rates_join"].join(rates) if rates else "") + w["end"]


def summary_paragraph(result: KpiResult, lang: Lang, money: str = "") -> str:
    """Revenue, attainment, growth, customers, win and collection rates in one paragraph,
    amounts in ``money`` (the book's currency, :func:`~xlsales.currency.money_unit`);
    with a breakdown by rep or by member, the best and the weakest attainment too (when
    they differ).
    A period without a deal yet says so instead (its growth would read -100 %)."""
    k = result.kpis
    zh = lang == "zh"
    word = PERIOD_WORD[result.period.type][0 if zh else 1]
    revenue, target = k["revenue"] or 0.0, k["target"] or 0.0
    if not revenue and not k["deals"]:  # a period just begun: no -100 % "growth"
        # no target (0 or none) is said as the rest of the draft says it, not "target 0"
        aim = ((f"目标 {amount(target, money, lang)}" if target else "没有设目标") if zh else
               (f"target {amount(target, money, lang)}" if target else "no target set"))
        return (f"{word}（{result.period.label}）还没有成交记录（{aim}）；填写销售记录后重新计算。"
                if zh else f"No deal won yet {word} ({result.period.label}; {aim}): compute "
                           "again once the sales records are in.")
    text = _text(k, word, result.period.label, lang, result.period.type, money=money)
    ranked = [r for r in ranking(result) if r[1] is not None]
    # who led and who trailed: of the reps, or of a roll-up's members (`--by member`)
    if result.by in RANKED and len(ranked) >= 2 and ranked[0][1] != ranked[-1][1]:
        (best, best_a, _), (last, last_a, _) = ranked[0], ranked[-1]
        text += (f"完成率最高的是 {best}（{_pct(best_a)}），最低的是 {last}（{_pct(last_a)}）。"
                 if zh else f" Highest attainment: {best} ({_pct(best_a)}); lowest: {last} "
                            f"({_pct(last_a)}).")
    return text
