"""The plan sheets (B) that ``xlsales plan`` writes for the next period, the review of the
previous plan's actions, and what a plan's targets measure.

Part of the spec assembled in :mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from dataclasses import replace

from xlsales.spec.choices import ACTION_STATUS, BUDGET_CATEGORIES, TARGET_SCOPE, YES_NO
from xlsales.spec.columns import money, text
from xlsales.spec.kpi_catalog import KPIS, kpi_to_watch
from xlsales.spec.kpi_model import Unit
from xlsales.spec.model import Column, ColumnType, L, Label, Table

T = ColumnType

# --- B: plan sheets (generated for the next period by ``xlsales plan``) ---------------------

PLAN_TARGETS = Table(
    "PlanTargets",
    (
        text("target_id", "目标编号", "Target ID", width=10, required=True,
             help=L("目标的编号。", "The target's ID.")),
        Column("period", L("期间开始", "Period start"), T.DATE, required=True, width=12,
               help=L("目标期间的第一天。", "First day of the target's period.")),
        text("period_label", "期间", "Period", width=10,
             help=L("目标期间：2027（年）、2027-Q1（季）、2027-01（月）或 2027-01-W2（周）。",
                    "The target's period: 2027 (year), 2027-Q1 (quarter), 2027-01 (month) or "
                    "2027-01-W2 (week).")),
        text("rep", "责任人", "Owner", width=12, required=True,
             help=L("目标的责任人：个人、成员或整个团队。",
                    "Who owns the target: a rep, a member or the whole team.")),
        Column("scope", L("范围", "Scope"), T.CHOICE, choices=TARGET_SCOPE, width=9,
               optional=True,  # plans written before it: the row order tells
               help=L("合计：整体目标；分解：分到某个人（或成员）的部分。",
                      "Total: the whole target; Breakdown: one person's (or member's) part.")),
        text("metric", "指标", "Metric", width=16, required=True,
             help=L("指标名称，如 销售额。", "The measure's name, e.g. Revenue.")),
        text("kpi", "指标代码", "KPI key", width=16,
             help=L("与 KPI 表的代码一致，用于计划与实际对比。",
                    "Same key as on the KPI sheet; used for plan vs actual.")),
        Column("value", L("目标值", "Target value"), T.NUMBER, required=True, width=14,
               help=L("目标值，单位见“单位”列（比率为小数，0.9 即 90%）。",
                      "The target, in the row's unit (a rate as a fraction: 0.9 is 90 %).")),
        text("unit", "单位", "Unit", width=8,
             help=L("目标值的单位：币种（元）、单、个、次……",
                    "The target's unit: the currency (CNY …), deals, customers, visits …")),
        Column("due", L("截止日期", "Due date"), T.DATE, required=True, width=12,
               help=L("目标的截止日期。", "When the target is due.")),
        text("basis", "依据", "Basis", width=36,
             help=L("目标是怎样定出的；可不填。", "How the target was set; may be empty.")),
    ),
    id_key="target_id",
)
PLAN_ACTIONS = Table(
    "PlanActions",
    (
        text("action_id", "行动编号", "Action ID", width=10, required=True,
             help=L("行动的编号。", "The action's ID.")),
        text("problem_id", "关联问题", "Problem ID", width=10,
             help=L("行动针对的问题编号（问题表中的）；可不填。",
                    "The Problems table's ID of the problem it addresses; may be empty.")),
        text("what", "做什么", "What", width=30, required=True,
             help=L("要做的事。", "What is to be done.")),
        text("why", "为什么", "Why", width=30,
             help=L("为什么做；可不填。", "Why; may be empty.")),
        text("who", "谁负责", "Who", width=10, required=True,
             help=L("负责的人。", "Who is responsible.")),
        text("where", "在哪里", "Where", width=14,
             help=L("在哪个区域或客户；可不填。", "The region or customers; may be empty.")),
        Column("start", L("开始日期", "Start"), T.DATE, width=12,
               help=L("开始日期；可不填。", "When it starts; may be empty.")),
        Column("due", L("截止日期", "Due"), T.DATE, required=True, width=12,
               help=L("截止日期。", "When it is due.")),
        text("how", "怎么做", "How", width=30,
             help=L("怎么做；可不填。", "How it is done; may be empty.")),
        money("how_much", "预算", "Budget",
              help=L("该行动的预算；可不填。", "The action's budget; may be empty.")),
        kpi_to_watch(14),
        Column("kpi_target", L("指标目标", "KPI target"), T.NUMBER, width=14,
               help=L("跟踪指标要达到的值（比率为小数）；可不填。",
                      "The value the KPI to watch is to reach (a rate as a fraction); may be "
                      "empty.")),
        Column("status", L("状态", "Status"), T.CHOICE, choices=ACTION_STATUS, width=10,
               help=L("行动的进展；可不填。", "How far the action has got; may be empty.")),
        text("result", "结果", "Result", width=24,
             help=L("行动的结果；可不填。", "What it achieved; may be empty.")),
    ),
    id_key="action_id",
)
# --- the previous plan's actions, reviewed in the next summary (closing the loop) ----------

ACTION_REVIEW = Table(
    "ActionReview",
    (
        *(PLAN_ACTIONS.column(k) for k in ("action_id", "problem_id", "what")),
        # summaries made before it have no such column: its absence is not reported
        replace(PLAN_ACTIONS.column("why"), optional=True),
        *(PLAN_ACTIONS.column(k) for k in ("who", "due", "kpi", "kpi_target")),
        Column("status", L("完成情况", "Status"), T.CHOICE, choices=ACTION_STATUS, required=True,
               width=11, required_by_period_end=True, required_with=("result",),
               help=L("本期结束前填写：已完成 / 部分完成 / 未完成；未完成和部分完成的行动会再次进入"
                      "下期计划。",
                      "Fill in by the end of the period: done / partly / not done; unfinished "
                      "actions are proposed again in the next plan.")),
        PLAN_ACTIONS.column("result"),
    ),
    help=L("上期计划的行动：填写完成情况和结果。", "The previous plan's actions: fill in status "
           "and result."),
    optional=True,
)

PLAN_BUDGET = Table(
    "PlanBudget",
    (
        text("action_id", "行动编号", "Action ID", width=10,
             help=L("该预算所属的行动编号；可不填。", "The action it funds; may be empty.")),
        Column("category", L("预算类别", "Budget category"), T.LIST, list_source=BUDGET_CATEGORIES,
               width=14, help=L("预算类别；可不填。", "The budget category; may be empty.")),
        Column("month", L("月份", "Month"), T.MONTH, width=10,
               help=L("预算所属月份；可不填。", "The month it is for; may be empty.")),
        money("amount", "金额", "Amount", required=True,
              help=L("该项该月的预算金额。", "The amount budgeted.")),
        money("cap", "每月上限", "Monthly cap",
              help=L("该类别每月的预算上限；可不填。",
                     "The category's monthly cap; may be empty.")),
        Column("over_cap", L("超上限", "Over cap"), T.CHOICE, choices=YES_NO, width=8,
               help=L("金额是否超过每月上限。", "Whether the amount is over the monthly cap.")),
    ),
)
PLAN_TIMELINE = Table(
    "PlanTimeline",
    (
        text("milestone", "里程碑", "Milestone", width=30, required=True),
        Column("date", L("日期", "Date"), T.DATE, required=True, width=12),
        text("owner", "负责人", "Owner", width=12),
        Column("buffer_days", L("缓冲天数", "Buffer days"), T.INTEGER, min_value=0, width=10),
        text("note", "备注", "Note", width=24),
    ),
)

#: The unit of a plan target in money, as in a CNY book: a book in another currency
#: shows its code (:func:`xlsales.plan.units.money_unit`).
MONEY_UNIT = L("元", "CNY")
#: What the plan's targets measure: key (a KPI key where one exists), label, unit label.
PLAN_METRICS: dict[str, tuple[Label, Label]] = {
    "revenue": (L("销售额", "Revenue"), MONEY_UNIT),
    "deals": (L("成交单数", "Deals won"), L("单", "deals")),
    "new_customers": (L("新客户数", "New customers"), L("个", "customers")),
    "visits": (L("拜访次数", "Visits"), L("次", "visits")),
    "pipeline": (L("需新增商机金额", "Pipeline to build"), MONEY_UNIT),
    # a rate, shown as a percentage by its cell: its unit says what it is a share of
    "collection_rate": (L("回款率", "Collection rate"), L("占开票金额", "of invoiced")),
}


def measure_unit(key: object) -> Unit | None:
    """The unit of KPI or plan metric ``key`` (a plan target's or action's measure): a
    KPI's own, a plan metric that is no KPI (``pipeline``) in money; None for a measure
    of the team's own."""
    kpi = next((k for k in KPIS if k.key == key), None)
    if kpi is not None:
        return kpi.unit
    metric = PLAN_METRICS.get(str(key))
    return "money" if metric is not None and metric[1] is MONEY_UNIT else None
