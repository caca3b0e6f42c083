"""Default rows of the playbook (行动手册) written to a new workbook's settings sheet.

Teams edit the playbook in their workbook; these are only the starting rows.
Categories and budget categories refer to the default settings lists by position,
so the labels follow the workbook's language. Controllable problems get
corrective actions, uncontrollable ones mitigation and monitoring.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from xlsales.spec.declarations import BUDGET_CATEGORIES, PROBLEM_CATEGORIES
from xlsales.spec.model import L, Label, Lang

CHURN, COMPETITION, MARKET, POLICY, RESOURCES, SKILLS, PROCESS, COLLECTION, PIPELINE = range(9)
GIFTS, EVENTS, TRAVEL, TRAINING, TOOLS = range(5)


@dataclass(frozen=True)
class Play:
    """One playbook row."""

    category: int
    controllability: str | None  # "controllable", "uncontrollable" or None for both
    action: Label
    how: Label
    kpi: str
    budget: float
    budget_category: int
    days: int


PLAYS: tuple[Play, ...] = (
    Play(CHURN, "controllable", L("逐一回访流失及高风险老客户", "Call back every lost and at-risk "
         "existing customer"), L("两周内完成回访，找出原因并给出挽回方案；每周复盘",
                                 "Visit within two weeks, find the cause, offer a win-back "
                                 "plan; review weekly"), "revenue", 3000, GIFTS, 14),
    Play(CHURN, None, L("建立老客户季度回访与满意度跟踪", "Set up quarterly check-ins and "
         "satisfaction tracking for existing customers"), L("按客户价值分级，A 类每月拜访",
                                                             "Tier customers by value; visit "
                                                             "tier A monthly"),
         "customers", 1000, TRAVEL, 30),
    Play(COMPETITION, "controllable", L("制定竞品应对话术与价值对比材料", "Prepare competitor "
         "battle cards and a value comparison"), L("整理 3 个赢单案例，培训全员使用",
                                                  "Collect 3 winning cases, train every rep"),
         "win_rate", 2000, TRAINING, 10),
    Play(COMPETITION, "uncontrollable", L("监控竞品价格，设定折扣审批底线",
                                          "Monitor competitor prices and set a discount floor"),
         L("每周收集竞品报价，超过底线需经理审批", "Collect competitor quotes weekly; discounts "
           "below the floor need approval"), "aov", 0, TOOLS, 7),
    Play(MARKET, None, L("跟踪行业需求变化，调整重点客户名单", "Track demand changes and "
         "re-prioritise key accounts"), L("每月更新行业信息，向增长行业倾斜资源",
                                         "Update industry news monthly; shift effort to "
                                         "growing industries"), "revenue", 0, TOOLS, 20),
    Play(POLICY, None, L("评估政策影响并准备合规方案", "Assess the policy impact and prepare a "
         "compliant offer"), L("与法务/财务确认，向受影响客户说明", "Confirm with legal/finance; "
                              "brief the affected customers"), "revenue", 0, TOOLS, 14),
    Play(RESOURCES, "controllable", L("申请或调配关键资源", "Request or reassign the key "
         "resources"), L("列出缺口与影响金额，提交资源申请", "List the gap and its revenue "
                         "impact; submit the request"), "revenue", 0, TOOLS, 10),
    Play(SKILLS, "controllable", L("针对薄弱环节开展销售技能辅导", "Coach the weak sales "
         "skills"), L("经理陪访 2 次/月，每周角色演练", "Manager joins 2 visits a month; weekly "
                     "role play"), "win_rate", 3000, TRAINING, 30),
    Play(PROCESS, "controllable", L("优化审批与报价流程", "Streamline approvals and quoting"),
         L("梳理流程节点，设定 48 小时审批时限", "Map the steps; set a 48-hour approval limit"),
         "win_rate", 0, TOOLS, 14),
    Play(COLLECTION, "controllable", L("逐笔跟进逾期回款", "Chase every overdue invoice"),
         L("按账龄排序，每周电话+邮件跟进，超 60 天升级", "Sort by age; call and e-mail "
           "weekly; escalate after 60 days"), "collection_rate", 0, TOOLS, 21),
    Play(COLLECTION, None, L("新合同约定回款节点并月度对账", "Put payment milestones in new "
         "contracts; reconcile monthly"), L("合同模板加入付款条款，月底对账",
                                           "Add payment terms to the template; reconcile "
                                           "at month end"), "collection_rate", 0, TOOLS, 30),
    Play(PIPELINE, "controllable", L("每月开发 10 个新潜在客户", "Develop 10 new prospects a "
         "month"), L("电话+邮件跟进，每周 3 次拜访", "Follow up by phone and e-mail; 3 visits "
                    "a week"), "new_customer_revenue", 5000, EVENTS, 30),
)


def playbook_frame(lang: Lang) -> pd.DataFrame:
    """The default playbook as rows of the ``Playbook`` table in ``lang``."""
    categories = [c.get(lang) for c in PROBLEM_CATEGORIES.defaults]
    budget = [c.get(lang) for c in BUDGET_CATEGORIES.defaults]
    return pd.DataFrame([{
        "category": categories[p.category], "controllability": p.controllability,
        "action": p.action.get(lang), "how": p.how.get(lang), "kpi": p.kpi,
        "budget": float(p.budget), "budget_category": budget[p.budget_category],
        "days": p.days,
    } for p in PLAYS])
