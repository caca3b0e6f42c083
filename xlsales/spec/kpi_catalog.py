"""The KPI catalogue and the KPI sheet: every KPI's key, label, definition, unit and formula.

:data:`KPIS` is the one list of KPIs (adding a KPI is a change here only): the KPI
sheet's formulas, the KPI engine, reports and plans all read it. Here too are the KPI
sheet's tables, the labels of its windows, units and directions, a year's labels
(:data:`YEAR_KPI_LABELS`) and the "KPI to watch" column offering the KPIs. Part of
the spec assembled in :mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from xlsales.spec.columns import text
from xlsales.spec.kpi_model import (
    Above,
    Aggregate,
    Difference,
    Growth,
    Kpi,
    Product,
    Ratio,
    Total,
)
from xlsales.spec.model import Choice, ChoiceSet, Column, ColumnType, L, Label, Table
from xlsales.spec.sales import OPEN_STAGES

T = ColumnType

# --- calculated: KPI sheet ------------------------------------------------------------

KPI_WINDOWS = Table(
    "KpiPeriods",
    (
        text("window", "区间", "Window", width=14),
        Column("start", L("开始", "Start"), T.DATE, width=12),
        Column("end", L("结束", "End"), T.DATE, width=12),
    ),
)
WINDOW_LABELS = {
    "current": L("本期", "This period"),
    "previous": L("上期", "Previous period"),
    "year_ago": L("去年同期", "Same period last year"),
    "to_date": L("截至期末", "Up to period end"),
}
#: How the start of the "up to period end" window shows: it holds an early date (1901-01-01,
#: before any record) for the formulas, shown as these words (a number format), not as
#: the date.
SINCE_FIRST_RECORD = L("最早记录起", "from the first record")

KPI_TABLE = Table(
    "KPIs",
    (
        text("key", "代码", "Key", width=27),
        text("name", "指标", "KPI", width=27),
        Column("value", L("数值", "Value"), T.NUMBER, width=16),
        text("unit", "单位", "Unit", width=8),
        text("definition", "口径", "Definition", width=100),
        text("direction", "方向", "Direction", width=10),
    ),
)
UNIT_LABELS = {
    "money": L("金额", "money"),
    "count": L("个", "count"),
    "quantity": L("数量", "quantity"),
    "percent": L("%", "%"),
    "ratio": L("比值", "ratio"),
    "days": L("天", "days"),
}
DIRECTION_LABELS = {"higher": L("越高越好", "higher"), "lower": L("越低越好", "lower")}

_won = (("stage", "won"),)
KPIS: tuple[Kpi, ...] = (
    Kpi("revenue", L("销售额", "Revenue"),
        L("本期赢单记录的金额合计。", "Sum of amount over won rows dated in the period."),
        "money", "higher", Aggregate("Sales", "amount", _won)),
    Kpi("target", L("目标", "Target"),
        L("目标表中本期各月的销售额目标合计。",
          "Sum of revenue targets whose month falls in the period."),
        "money", "higher", Aggregate("Targets", "revenue_target", date_field="period")),
    Kpi("attainment", L("目标完成率", "Attainment"),
        L("销售额 ÷ 目标；目标为 0 时留空。", "Revenue ÷ target; empty when the target is 0."),
        "percent", "higher", Ratio("revenue", "target")),
    Kpi("gap", L("差距", "Gap to target"),
        L("目标 − 销售额；正数表示未完成；没有目标（目标为 0）时留空。",
          "Target − revenue; positive means short of target; empty when there is no target "
          "(0)."),
        "money", "lower", Difference("target", "revenue", nonzero=("target",))),
    Kpi("deals", L("成交单数", "Deals won"),
        L("本期赢单记录数。", "Number of won rows dated in the period."),
        "count", "higher", Aggregate("Sales", None, _won)),
    Kpi("customers", L("成交客户数", "Customers won"),
        L("本期有赢单的不同客户数。", "Distinct customers with a won row in the period."),
        "count", "higher", Aggregate("Sales", "customer_weight", integer=True)),
    Kpi("aov", L("平均订单价值", "Average order value"),
        L("销售额 ÷ 成交单数。", "Revenue ÷ deals won."),
        "money", "higher", Ratio("revenue", "deals")),
    Kpi("new_customer_revenue", L("新客户销售额", "New-customer revenue"),
        L("本期新客户的赢单金额；新客户 = 首次赢单落在本期（客户类型已填写时以其为准）。",
          "Won amount from new customers: first won row falls in the period, unless the "
          "customer type column says otherwise."),
        "money", "higher", Aggregate("Sales", "amount", (("new_customer_flag", 1),))),
    Kpi("new_customer_revenue_share", L("新客户销售额占比", "New-customer revenue share"),
        L("新客户销售额 ÷ 销售额。", "New-customer revenue ÷ revenue."),
        "percent", "higher", Ratio("new_customer_revenue", "revenue")),
    Kpi("lost_deals", L("输单数", "Deals lost"),
        L("本期输单记录数。", "Number of lost rows dated in the period."),
        "count", "lower", Aggregate("Sales", None, (("stage", "lost"),))),
    Kpi("closed_deals", L("已结单数", "Deals closed"),
        L("赢单数 + 输单数。", "Deals won + deals lost."),
        "count", "higher", Total(("deals", "lost_deals"))),
    Kpi("win_rate", L("赢单率", "Win rate"),
        L("赢单数 ÷（赢单数 + 输单数），按记录条数。", "Won ÷ (won + lost), by row count."),
        "percent", "higher", Ratio("deals", "closed_deals")),
    Kpi("invoiced", L("开票金额", "Invoiced"),
        L("本期赢单记录的开票金额合计。", "Sum of invoiced over won rows in the period."),
        "money", "higher", Aggregate("Sales", "invoiced", _won)),
    Kpi("collected", L("回款金额", "Collected"),
        L("本期赢单记录的回款金额合计。", "Sum of collected over won rows in the period."),
        "money", "higher", Aggregate("Sales", "collected", _won)),
    Kpi("collection_rate", L("回款率", "Collection rate"),
        L("回款金额 ÷ 开票金额。", "Collected ÷ invoiced."),
        "percent", "higher", Ratio("collected", "invoiced")),
    Kpi("visits", L("拜访次数", "Visits"),
        L("本期类型为拜访的活动记录数。", "Activities of type visit dated in the period."),
        "count", "higher", Aggregate("Activities", None, (("type", "visit"),))),
    Kpi("visits_target", L("拜访目标", "Visits target"),
        L("目标表中本期各月的拜访目标合计。",
          "Sum of visit targets whose month falls in the period."),
        "count", "higher", Aggregate("Targets", "visits_target", date_field="period")),
    Kpi("visit_attainment", L("拜访目标完成率", "Visit attainment"),
        L("拜访次数 ÷ 拜访目标；目标为 0 时留空。", "Visits ÷ visits target; empty when 0."),
        "percent", "higher", Ratio("visits", "visits_target")),
    Kpi("revenue_previous", L("上期销售额", "Revenue, previous period"),
        L("上一个同长度周期的销售额。", "Revenue of the previous period of the same length."),
        "money", "higher", Aggregate("Sales", "amount", _won, window="previous")),
    Kpi("mom_growth", L("环比增长", "Growth vs previous period"),
        L("销售额 ÷ 上期销售额 − 1；上期无数据时留空。",
          "Revenue ÷ previous-period revenue − 1; empty without history."),
        "percent", "higher", Growth("revenue", "revenue_previous")),
    Kpi("revenue_year_ago", L("去年同期销售额", "Revenue, same period last year"),
        L("去年同一周期的销售额。", "Revenue of the same period one year earlier."),
        "money", "higher", Aggregate("Sales", "amount", _won, window="year_ago")),
    Kpi("yoy_growth", L("同比增长", "Growth vs last year"),
        L("销售额 ÷ 去年同期销售额 − 1；无数据时留空。",
          "Revenue ÷ same-period-last-year revenue − 1; empty without history."),
        "percent", "higher", Growth("revenue", "revenue_year_ago")),
    # --- plan vs actual for the other targets of a plan -----------------------------------
    Kpi("new_customers", L("新客户数", "New customers"),
        L("本期有赢单的不同新客户数（新客户口径同新客户销售额）。",
          "Distinct new customers with a won row in the period (new as for new-customer "
          "revenue)."),
        "count", "higher",
        Aggregate("Sales", "new_customer_weight", integer=True)),
    Kpi("new_customers_target", L("新客户目标", "New customers target"),
        L("目标表中本期各月的新客户目标合计。",
          "Sum of new-customer targets whose month falls in the period."),
        "count", "higher", Aggregate("Targets", "new_customers_target", date_field="period")),
    Kpi("new_customers_attainment", L("新客户目标完成率", "New customers attainment"),
        L("新客户数 ÷ 新客户目标；目标为 0 时留空。", "New customers ÷ target; empty when 0."),
        "percent", "higher", Ratio("new_customers", "new_customers_target")),
    Kpi("collection_rate_target", L("回款率目标", "Collection rate target"),
        L("目标表中本期各行回款率目标的平均值。",
          "Mean of the collection-rate targets whose month falls in the period."),
        "percent", "higher",
        Aggregate("Targets", "collection_rate_target", date_field="period", average=True)),
    Kpi("collection_rate_gap", L("回款率差距", "Collection rate vs target"),
        L("回款率 − 回款率目标；任一为空时留空。",
          "Collection rate − its target; empty when either is empty."),
        "percent", "higher",
        Difference("collection_rate", "collection_rate_target",
                   requires=("collection_rate", "collection_rate_target"))),
    Kpi("pipeline_created", L("新增商机金额", "Pipeline created"),
        L("创建日期落在本期的记录金额合计（任何阶段）。",
          "Amount of rows whose created date falls in the period, at any stage."),
        "money", "higher", Aggregate("Sales", "amount", date_field="created")),
    Kpi("pipeline_target", L("新增商机目标", "Pipeline target"),
        L("目标表中本期各月的新增商机目标合计。",
          "Sum of pipeline targets whose month falls in the period."),
        "money", "higher", Aggregate("Targets", "pipeline_target", date_field="period")),
    Kpi("pipeline_attainment", L("新增商机完成率", "Pipeline attainment"),
        L("新增商机金额 ÷ 新增商机目标；目标为 0 时留空。",
          "Pipeline created ÷ pipeline target; empty when the target is 0."),
        "percent", "higher", Ratio("pipeline_created", "pipeline_target")),
    # --- the sales process: funnel, cycle, pipeline, activities --------------------------
    Kpi("opportunities", L("商机数", "Opportunities"),
        L("本期日期内的全部销售记录数（任何阶段），即漏斗入口。",
          "Rows dated in the period at any stage: the top of the funnel."),
        "count", "higher", Aggregate("Sales", None)),
    Kpi("leads_developed", L("新增线索", "Leads developed"),
        L("创建日期落在本期的记录数。", "Rows whose created date falls in the period."),
        "count", "higher", Aggregate("Sales", None, date_field="created")),
    Kpi("follow_ups", L("跟进次数", "Follow-ups"),
        L("本期的全部活动记录数（拜访、电话、邮件、其他）。",
          "Activities of any type dated in the period (visits, calls, emails, other)."),
        "count", "higher", Aggregate("Activities", None)),
    Kpi("reached_follow_up", L("进入跟进的商机", "Reached follow-up"),
        L("本期记录中阶段为跟进、方案或赢单的条数。",
          "Rows dated in the period at follow-up, proposal or won."),
        "count", "higher",
        Aggregate("Sales", None, (("stage", ("follow_up", "proposal", "won")),))),
    Kpi("reached_proposal", L("进入方案的商机", "Reached proposal"),
        L("本期记录中阶段为方案或赢单的条数。", "Rows dated in the period at proposal or won."),
        "count", "higher", Aggregate("Sales", None, (("stage", ("proposal", "won")),))),
    Kpi("lead_to_follow_up_rate", L("线索→跟进转化率", "Lead → follow-up conversion"),
        L("进入跟进的商机 ÷ 商机数。", "Reached follow-up ÷ opportunities."),
        "percent", "higher", Ratio("reached_follow_up", "opportunities")),
    Kpi("follow_up_to_proposal_rate", L("跟进→方案转化率", "Follow-up → proposal conversion"),
        L("进入方案的商机 ÷ 进入跟进的商机。", "Reached proposal ÷ reached follow-up."),
        "percent", "higher", Ratio("reached_proposal", "reached_follow_up")),
    Kpi("proposal_to_won_rate", L("方案→赢单转化率", "Proposal → won conversion"),
        L("成交单数 ÷ 进入方案的商机。", "Deals won ÷ reached proposal."),
        "percent", "higher", Ratio("deals", "reached_proposal")),
    Kpi("overall_conversion", L("整体转化率", "Overall conversion"),
        L("成交单数 ÷ 商机数。", "Deals won ÷ opportunities."),
        "percent", "higher", Ratio("deals", "opportunities")),
    Kpi("sales_cycle_days", L("平均销售周期", "Average sales cycle"),
        L("本期赢单且填写了创建日期的记录：成交日期 − 创建日期 的平均天数。",
          "Mean of date − created over won rows in the period that have a created date."),
        "days", "lower", Aggregate("Sales", "cycle_days", average=True)),
    Kpi("open_pipeline", L("在途商机金额", "Open pipeline"),
        L("截至期末、阶段为线索/跟进/方案的记录金额合计。",
          "Amount of rows at lead, follow-up or proposal dated up to the period's end."),
        "money", "higher",
        Aggregate("Sales", "amount", (("stage", OPEN_STAGES),), window="to_date")),
    Kpi("weighted_pipeline", L("加权商机金额", "Weighted pipeline"),
        L("在途商机金额 × 赢单概率（未填或不在 0–100% 之间的概率按阶段默认）之和。",
          "Sum of open amount × probability (the stage default when empty or not within "
          "0–100%)."),
        "money", "higher", Aggregate("Sales", "weighted_amount", window="to_date")),
    Kpi("remaining_target", L("剩余目标", "Remaining target"),
        L("目标 − 销售额，最小为 0；没有目标（目标为 0）时留空。",
          "Target − revenue, at least 0; empty when there is no target (0)."),
        "money", "lower", Difference("target", "revenue", floor=0, nonzero=("target",))),
    Kpi("pipeline_coverage", L("商机覆盖倍数", "Pipeline coverage"),
        L("在途商机金额 ÷ 剩余目标；目标已完成或没有目标时留空。",
          "Open pipeline ÷ remaining target; empty once the target is met or when there "
          "is none."),
        "ratio", "higher", Ratio("open_pipeline", "remaining_target")),
    Kpi("visits_per_deal", L("每单拜访次数", "Visits per deal won"),
        L("拜访次数 ÷ 成交单数。", "Visits ÷ deals won."),
        "ratio", "lower", Ratio("visits", "deals")),
    # --- customers kept and lost --------------------------------------------------------
    Kpi("churned_customers", L("流失客户数", "Churned customers"),
        L("上期有赢单、本期没有赢单的不同客户数。",
          "Distinct customers with a won row in the previous period and none in this one."),
        "count", "lower", Aggregate("Sales", "churn_weight", window="previous", integer=True)),
    Kpi("retained_customers", L("留存客户数", "Retained customers"),
        L("上期和本期都有赢单的不同客户数。",
          "Distinct customers with a won row in both the previous period and this one."),
        "count", "higher",
        Aggregate("Sales", "retained_weight", window="previous", integer=True)),
    Kpi("customers_previous", L("上期成交客户数", "Customers won, previous period"),
        L("流失客户数 + 留存客户数。", "Churned + retained customers."),
        "count", "higher", Total(("churned_customers", "retained_customers"))),
    Kpi("retention_rate", L("客户留存率", "Customer retention"),
        L("留存客户数 ÷ 上期成交客户数。", "Retained ÷ customers won in the previous period."),
        "percent", "higher", Ratio("retained_customers", "customers_previous")),
    Kpi("churn_rate", L("客户流失率", "Customer churn"),
        L("流失客户数 ÷ 上期成交客户数。", "Churned ÷ customers won in the previous period."),
        "percent", "lower", Ratio("churned_customers", "customers_previous")),
    # --- revenue vs target: volume, mix and price effects -----------------------------------
    Kpi("quantity_won", L("销量", "Quantity won"),
        L("本期赢单记录的数量合计。", "Sum of quantity over won rows in the period."),
        "quantity", "higher", Aggregate("Sales", "quantity", _won)),
    Kpi("quantity_previous", L("上期销量", "Quantity won, previous period"),
        L("上期赢单记录的数量合计。", "Sum of quantity over won rows of the previous period."),
        "quantity", "higher", Aggregate("Sales", "quantity", _won, window="previous")),
    # a row without a quantity (a service sold by the job) has no price: its revenue is
    # neither in an average price nor in the mix, and counts at its amount (as volume)
    Kpi("revenue_previous_with_quantity",
        L("上期有数量的销售额", "Revenue with quantities, previous period"),
        L("上期填写了数量（大于 0）的赢单记录的金额合计。",
          "Sum of amount over won rows of the previous period that have a quantity (above "
          "0)."),
        "money", "higher",
        Aggregate("Sales", "amount", (*_won, ("quantity", Above())), window="previous")),
    Kpi("previous_avg_price", L("上期平均单价", "Previous average price"),
        L("上期有数量的销售额 ÷ 上期销量（没有数量的记录不计入单价）。",
          "Previous-period revenue with quantities ÷ previous-period quantity (rows without "
          "a quantity have no price)."),
        "money", "higher", Ratio("revenue_previous_with_quantity", "quantity_previous")),
    Kpi("revenue_with_quantity", L("有数量的销售额", "Revenue with quantities"),
        L("本期填写了数量（大于 0）的赢单记录的金额合计。",
          "Sum of amount over won rows in the period that have a quantity (above 0)."),
        "money", "higher", Aggregate("Sales", "amount", (*_won, ("quantity", Above())))),
    Kpi("revenue_without_quantity", L("无数量的销售额", "Revenue without quantities"),
        L("销售额 − 有数量的销售额：没有数量的赢单记录（如按次收费的服务）的金额。",
          "Revenue − revenue with quantities: won rows without a quantity (a service "
          "sold by the job)."),
        "money", "higher", Difference("revenue", "revenue_with_quantity")),
    Kpi("revenue_at_previous_mix", L("按上期均价的销售额", "Revenue at previous average price"),
        L("销量 × 上期平均单价 + 无数量的销售额（按其金额计）。",
          "Quantity won × previous average price, plus the revenue without quantities (at "
          "its amount)."),
        "money", "higher",
        Product("quantity_won", "previous_avg_price", plus="revenue_without_quantity")),
    Kpi("revenue_at_previous_prices", L("按上期单价的销售额", "Revenue at previous prices"),
        L("本期各赢单数量 × 该产品上期平均单价之和（无上期单价的行按其金额）。",
          "Sum of quantity won × the product's previous average price (a row's own amount "
          "where the product has none)."),
        "money", "higher", Aggregate("Sales", "baseline_value")),
    Kpi("volume_effect", L("销量影响", "Volume effect"),
        L("按上期均价的销售额 − 目标：销量相对目标的影响。销量、结构、价格三项影响之和 = "
          "销售额 − 目标；无上期销量或没有目标时留空。",
          "Revenue at previous average price − target: what volume did against the target. "
          "Volume + mix + price effects = revenue − target; empty without previous quantities "
          "or without a target."),
        "money", "higher",
        Difference("revenue_at_previous_mix", "target", requires=("previous_avg_price",),
                   nonzero=("target",))),
    Kpi("mix_effect", L("产品结构影响", "Mix effect"),
        L("按上期单价的销售额 − 按上期均价的销售额：产品结构变化的影响。",
          "Revenue at previous prices − revenue at previous average price: the product mix."),
        "money", "higher",
        Difference("revenue_at_previous_prices", "revenue_at_previous_mix",
                   requires=("previous_avg_price",))),
    Kpi("price_effect", L("价格影响", "Price effect"),
        L("销售额 − 按上期单价的销售额：单价变化的影响。",
          "Revenue − revenue at previous prices: what price changes did."),
        "money", "higher",
        Difference("revenue", "revenue_at_previous_prices", requires=("previous_avg_price",))),
)

#: A KPI's label on a year's workbook, where it is not its label: a year's previous period
#: is last year, so "growth on the previous period" is growth on last year (环比 of a year
#: is what the rest of xlsales calls 同比), and every figure of the previous period is last
#: year's. The KPI sheet of a year's book, the KPI report and ``kpis`` of a year say it
#: (a plain label, converted with the others to Traditional); keys, Table names and
#: column keys stay as they are. A KPI has one when its label names the previous period
#: (:func:`year_label`), so a new such KPI gets it with no second edit.
def year_label(kpi: Kpi) -> Label | None:
    """``kpi``'s label on a year's workbook: its label with （上年） / (last year) when it
    names the previous period (上期, 环比, "previous"), else None (its label as it is)."""
    if "上期" in kpi.label.zh or "环比" in kpi.label.zh or "previous" in kpi.label.en.lower():
        return L(f"{kpi.label.zh}（上年）", f"{kpi.label.en} (last year)")
    return None


YEAR_KPI_LABELS = {k.key: label for k in KPIS if (label := year_label(k)) is not None}

#: The KPIs as a choice set, for the "KPI to watch" of actions: shown by their labels
#: in the workbook's language, read back to their keys; other text is kept as typed.
KPI_CHOICES = ChoiceSet("kpi", tuple(Choice(k.key, k.label) for k in KPIS), open=True)
_KPI_HELP = L("一个 KPI 的名称（与 KPI 表一致，如 销售额、赢单率、回款率），"
              "也可以写团队自己的指标。",
              "A KPI's name as on the KPI sheet (Revenue, Win rate, Collection rate …), or a "
              "measure of the team's own.")


def kpi_to_watch(width: float) -> Column:
    """The "KPI to watch" column of the playbook and of plan actions."""
    return Column("kpi", L("跟踪指标", "KPI to watch"), T.CHOICE, choices=KPI_CHOICES,
                  width=width, help=_KPI_HELP)
