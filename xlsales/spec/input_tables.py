"""The input tables people fill in, besides sales: basic info (A1), targets, activities,
problems (A3) and lessons (A4).

The sales records (A2) have their own module, :mod:`xlsales.spec.sales`. Part of the
spec assembled in :mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from xlsales.spec.choices import (
    ACTIVITY_TYPE,
    CONTROLLABILITY,
    LESSON_TYPE,
    LEVEL,
    PERIOD_TYPE,
    PROBLEM_CATEGORIES,
    ROLE,
    SEVERITY,
    YES_NO,
)
from xlsales.spec.columns import money, rep_column, text
from xlsales.spec.model import Column, ColumnType, L, Table

T = ColumnType

# --- basic information (form) -------------------------------------------------------

INFO_FIELDS: tuple[Column, ...] = (
    Column("period_type", L("周期类型", "Period type"), T.CHOICE, required=True,
           choices=PERIOD_TYPE, help=L("月度、季度或年度。", "Month, quarter or year.")),
    Column("period_start", L("周期开始", "Period start"), T.DATE, required=True,
           help=L("周期第一天，如 2026-11-01。", "First day of the period, e.g. 2026-11-01.")),
    Column("period_end", L("周期结束", "Period end"), T.DATE,
           formula='=IF({name:info_period_start}="","",EDATE({name:info_period_start},'
                   'IF({name:info_period_type}={choice:period_type.month},1,'
                   'IF({name:info_period_type}={choice:period_type.quarter},3,12)))-1)',
           help=L("自动计算。", "Calculated.")),
    Column("owner", L("姓名或团队", "Person or team"), T.TEXT, required=True),
    Column("level", L("层级", "Level"), T.CHOICE, required=True, choices=LEVEL),
    Column("role", L("岗位", "Role"), T.CHOICE, required=True, choices=ROLE),
    Column("scope", L("负责区域或客户群", "Region or customer group"), T.TEXT),
    Column("data_source", L("数据来源", "Data source"), T.TEXT,
           help=L("例如：CRM 导出，文件名。", "E.g. CRM export and its file name.")),
    Column("export_date", L("导出日期", "Export date"), T.DATE),
    Column("author", L("填写人", "Author"), T.TEXT),
    Column("filled_on", L("填写日期", "Date filled"), T.DATE),
    Column("currency", L("币种", "Currency"), T.TEXT, default="CNY"),
)

INFO = Table(
    "Info",
    (
        Column("key", L("代码", "Key"), T.TEXT, width=14),
        Column("item", L("项目", "Item"), T.TEXT, width=20),
        Column("value", L("内容", "Value"), T.TEXT, width=28),
        Column("note", L("说明", "Note"), T.TEXT, width=44),
    ),
    form_fields=INFO_FIELDS,
)

# --- B1-style targets of this period (input) --------------------------------------------

TARGETS = Table(
    "Targets",
    (
        Column("period", L("月份", "Month"), T.MONTH, required=True, width=10,
               help=L("目标所属月份，如 2026-11。", "Month the target is for, e.g. 2026-11.")),
        rep_column(),
        money("revenue_target", "销售额目标", "Revenue target", required=True,
              help=L("该销售人员该月的销售额（赢单金额）目标。",
                     "The rep's revenue (won amount) target for the month.")),
        Column("new_customers_target", L("新客户目标", "New customers target"), T.INTEGER,
               min_value=0, width=12,
               help=L("该月要赢得的新客户数目标。", "The month's target of new customers won.")),
        Column("visits_target", L("拜访目标", "Visits target"), T.INTEGER, min_value=0, width=10,
               help=L("该月的拜访次数目标。", "The month's target of visits.")),
        Column("collection_rate_target", L("回款率目标", "Collection rate target"), T.PERCENT,
               min_value=0, max_value=1, width=12,
               help=L("该月的回款率（回款 ÷ 开票）目标。",
                      "The month's target collection rate (collected ÷ invoiced).")),
        money("pipeline_target", "新增商机目标", "Pipeline target",
              help=L("本月需新建的商机金额（来自上期计划）。",
                     "Opportunity amount to create in the month (from the previous plan).")),
        text("note", "备注", "Note", width=20, help=L("备注，可不填。", "A note; may be empty.")),
    ),
)

ACTIVITIES = Table(
    "Activities",
    (
        Column("date", L("日期", "Date"), T.DATE, required=True, width=12,
               help=L("活动日期。", "The day of the activity.")),
        rep_column(),
        text("customer", "客户", "Customer", width=22,
             help=L("拜访或联系的客户；可不填。", "The customer visited or contacted; may be "
                    "empty.")),
        Column("type", L("类型", "Type"), T.CHOICE, required=True, choices=ACTIVITY_TYPE,
               width=10, help=L("活动类型；拜访计入拜访次数，每种都计入跟进次数。",
                                "Kind of activity: visits count as visits, every kind as a "
                                "follow-up.")),
        text("outcome", "结果", "Outcome", width=28,
             help=L("活动的结果；可不填。", "What came of it; may be empty.")),
        text("next_step", "下一步", "Next step", width=24,
             help=L("约定的下一步；可不填。", "The next step agreed; may be empty.")),
    ),
)

PROBLEMS = Table(
    "Problems",
    (
        text("problem_id", "问题编号", "Problem ID", width=10, required=True,
             help=L("问题的编号；计划的行动以它关联问题。",
                    "The problem's ID; plan actions refer to it.")),
        text("description", "问题描述", "Description", width=32, required=True,
             help=L("问题是什么。", "What the problem is.")),
        text("example", "具体事例", "Example", width=28,
             help=L("说明问题的具体事例；可不填。", "A case that shows it; may be empty.")),
        text("affected", "影响客户或区域", "Affected customers or regions", width=18,
             help=L("受影响的客户或区域；可不填。", "The customers or regions it affects; may "
                    "be empty.")),
        money("impact_amount", "影响金额", "Impact amount",
              help=L("估计受影响（损失或有风险）的销售额；可不填。",
                     "Estimated revenue lost or at risk; may be empty.")),
        Column("impact_share", L("影响占比", "Impact share"), T.PERCENT, min_value=0, max_value=1,
               width=10, help=L("估计受影响的业绩占比；可不填。",
                                "Estimated share of the business it affects; may be empty.")),
        Column("category", L("类别", "Category"), T.LIST, list_source=PROBLEM_CATEGORIES,
               width=14, help=L("问题类别；可不填。", "The problem's category; may be empty.")),
        Column("controllability", L("可控性", "Controllability"), T.CHOICE,
               choices=CONTROLLABILITY, width=10,
               help=L("团队能否控制它；可不填。",
                      "Whether the team can control it; may be empty.")),
        Column("severity", L("严重程度", "Severity"), T.CHOICE, choices=SEVERITY, width=9,
               help=L("严重程度；可不填。", "How serious it is; may be empty.")),
        Column("carry_forward", L("纳入下期计划", "Carry into next plan"), T.CHOICE,
               choices=YES_NO, width=12,
               help=L("选“是”，生成下期计划时会为该问题生成行动项。",
                      "Choose Yes and the next plan gets action rows for this problem.")),
        text("owner", "责任人", "Owner", width=10,
             help=L("负责解决它的人；可不填。", "Who is to solve it; may be empty.")),
    ),
    id_key="problem_id",
)

LESSONS = Table(
    "Lessons",
    (
        text("lesson_id", "编号", "Lesson ID", width=9, required=True,
             help=L("经验的编号。", "The lesson's ID.")),
        Column("type", L("类型", "Type"), T.CHOICE, required=True, choices=LESSON_TYPE, width=11,
               help=L("成功经验还是不足。", "A success or a shortcoming.")),
        text("description", "内容", "Description", width=34, required=True,
             help=L("经验的内容。", "What was learnt.")),
        text("evidence", "证据或效果", "Evidence or effect", width=26,
             help=L("证据或效果；可不填。", "Evidence or the effect seen; may be empty.")),
        text("cause", "原因", "Cause", width=22,
             help=L("原因；可不填。", "Why it happened; may be empty.")),
        text("improvement", "改进方向", "Improvement", width=26,
             help=L("今后如何改进或推广；可不填。", "What to improve or repeat; may be empty.")),
        Column("best_practice", L("最佳实践", "Best practice"), T.CHOICE, choices=YES_NO,
               width=10, help=L("是否作为最佳实践推广；可不填。",
                                "Whether to share it as a best practice; may be empty.")),
    ),
    id_key="lesson_id",
)
