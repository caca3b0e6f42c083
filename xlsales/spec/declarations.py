"""The xlsales workbook, declared once.

Every sheet, table, column, choice list, settings list and KPI of the product
is declared here. Adding a column or a KPI is a change to this file only: the
template builder, readers, validator, KPI engine and plan generator read it.

Header labels are used inside Excel structured references, so they avoid the
characters that would need escaping there (checked by ``tests/test_spec.py``).
"""

from __future__ import annotations

from xlsales.spec.choices import (
    ACTION_STATUS,
    ACTIVITY_TYPE,
    BUDGET_CATEGORIES,
    CONTROLLABILITY,
    CUSTOMER_TYPE,
    LESSON_TYPE,
    LEVEL,
    PERIOD_TYPE,
    PROBLEM_CATEGORIES,
    PRODUCTS,
    REGIONS,
    REPS,
    ROLE,
    SEVERITY,
    STAGE,
    TARGET_SCOPE,
    UNDECIDED_STAGES,
    YES_NO,
)
from xlsales.spec.columns import (
    ROLLUP_LEVELS,
    ROLLUP_MEMBER,
    money,
    rep_column,
    text,
)
from xlsales.spec.input_tables import (
    ACTIVITIES,
    INFO,
    INFO_FIELDS,
    LESSONS,
    PROBLEMS,
    TARGETS,
)
from xlsales.spec.kpi_catalog import (
    DIRECTION_LABELS,
    KPI_CHOICES,
    KPI_TABLE,
    KPI_WINDOWS,
    KPIS,
    SINCE_FIRST_RECORD,
    UNIT_LABELS,
    WINDOW_LABELS,
    YEAR_KPI_LABELS,
    kpi_to_watch,
)
from xlsales.spec.model import (
    UNIT_TYPES,
    Aggregate,
    Choice,
    ChoiceSet,
    Column,
    ColumnType,
    Difference,
    Growth,
    Kpi,
    L,
    Label,
    Product,
    Ratio,
    SettingsList,
    Sheet,
    SheetKind,
    Table,
    Total,
    Unit,
    WorkbookSpec,
)
from xlsales.spec.plan_tables import (
    ACTION_REVIEW,
    MONEY_UNIT,
    PLAN_ACTIONS,
    PLAN_BUDGET,
    PLAN_METRICS,
    PLAN_TARGETS,
    PLAN_TIMELINE,
    measure_unit,
)
from xlsales.spec.sales import (
    AMOUNT_TOLERANCE,
    CALCULATED_AS_VALUES,
    CONVERTED_WORDS,
    CRM_HEADERS,
    CURRENCY_HEADERS,
    CURRENCY_WORDS,
    HEADER_UNITS,
    HISTORY_MONTHS,
    OPEN_STAGES,
    SALES,
    STAGE_PROBABILITY,
)
from xlsales.spec.settings_tables import (
    ASSUMPTION_FIELDS,
    ASSUMPTIONS,
    BUDGET_CAPS,
    CUSTOM_FIELDS,
    LIST_TABLES,
    LISTS,
    PLAYBOOK,
)

T = ColumnType

#: Every name importable from here before the spec was split into modules stays
#: importable from here (``from xlsales.spec.declarations import X``).
__all__ = [
    "ACTION_REVIEW",
    "ACTION_STATUS",
    "ACTIVITIES",
    "ACTIVITY_TYPE",
    "AMOUNT_TOLERANCE",
    "ASSUMPTIONS",
    "ASSUMPTION_FIELDS",
    "BUDGET_CAPS",
    "BUDGET_CATEGORIES",
    "CALCULATED_AS_VALUES",
    "CONTROLLABILITY",
    "CONVERTED_WORDS",
    "CRM_HEADERS",
    "CURRENCY_HEADERS",
    "CURRENCY_WORDS",
    "CUSTOMER_TYPE",
    "CUSTOM_FIELDS",
    "DIRECTION_LABELS",
    "HEADER_UNITS",
    "HISTORY_MONTHS",
    "INFO",
    "INFO_FIELDS",
    "KPIS",
    "KPI_CHOICES",
    "KPI_REPORT",
    "KPI_REPORT_FUNNEL",
    "KPI_REPORT_REPS",
    "KPI_REPORT_TREND",
    "KPI_REPORT_VALUES",
    "KPI_TABLE",
    "KPI_WINDOWS",
    "LESSONS",
    "LESSON_TYPE",
    "LEVEL",
    "LISTS",
    "LIST_TABLES",
    "MEMBER_RANKING",
    "MEMBER_RANKING_SHEET",
    "MONEY_UNIT",
    "OPEN_STAGES",
    "PERIOD_TYPE",
    "PLAN_ACTIONS",
    "PLAN_BUDGET",
    "PLAN_METRICS",
    "PLAN_TARGETS",
    "PLAN_TIMELINE",
    "PLAYBOOK",
    "PROBLEMS",
    "PROBLEM_CATEGORIES",
    "PROBLEM_SUMMARY",
    "PROBLEM_SUMMARY_SHEET",
    "PRODUCTS",
    "REGIONS",
    "REPS",
    "ROLE",
    "ROLLUP_LEVELS",
    "ROLLUP_MEMBER",
    "SALES",
    "SEVERITY",
    "SHEETS",
    "SINCE_FIRST_RECORD",
    "SPEC",
    "STAGE",
    "STAGE_PROBABILITY",
    "TARGETS",
    "TARGET_SCOPE",
    "UNDECIDED_STAGES",
    "UNIT_LABELS",
    "UNIT_TYPES",
    "VALIDATION",
    "WINDOW_LABELS",
    "YEAR_KPI_LABELS",
    "YES_NO",
    "Aggregate",
    "Choice",
    "ChoiceSet",
    "Column",
    "ColumnType",
    "Difference",
    "Growth",
    "Kpi",
    "L",
    "Label",
    "Product",
    "Ratio",
    "SettingsList",
    "Sheet",
    "SheetKind",
    "T",
    "Table",
    "Total",
    "Unit",
    "WorkbookSpec",
    "kpi_column",
    "kpi_to_watch",
    "measure_unit",
    "money",
    "rep_column",
    "text",
]

# --- results written into the user's workbook ----------------------------------------------

VALIDATION = Table(
    "Validation",
    (
        text("severity", "级别", "Severity", width=8),
        text("sheet", "工作表", "Sheet", width=12),
        Column("cell", L("单元格", "Cell"), T.TEXT, width=16,
               help=L("点击跳转到该单元格。", "Click to go to the cell.")),
        Column("row", L("行", "Row"), T.INTEGER, width=7),
        text("column", "字段", "Field", width=14),
        text("rule", "规则", "Rule", width=22),
        text("value", "值", "Value", width=16),
        text("message", "说明", "Message", width=70),
    ),
)

# Written by ``xlsales kpis --write`` on the KPI report sheet, top to bottom. The KPI values
# table is for finance: its headers are the same English keys in both languages.
KPI_REPORT_REPS = Table(
    "KpiReportReps",
    (
        Column("rank", L("排名", "Rank"), T.INTEGER, width=7),
        text("rep", "销售人员", "Rep", width=12),
        money("revenue", "销售额", "Revenue"),
        money("target", "目标", "Target"),
        Column("attainment", L("目标完成率", "Attainment"), T.PERCENT, width=11),
        Column("growth", L("环比增长", "Growth vs previous period"), T.PERCENT, width=12),
        Column("deals", L("成交单数", "Deals won"), T.INTEGER, width=10),
        Column("win_rate", L("赢单率", "Win rate"), T.PERCENT, width=10),
    ),
)
KPI_REPORT_TREND = Table(
    "KpiReportTrend",
    (
        Column("month", L("月份", "Month"), T.MONTH, width=12),
        money("revenue", "销售额", "Revenue"),
        money("target", "目标", "Target"),
        money("new_customer_revenue", "新客户销售额", "New customer revenue"),
        money("existing_customer_revenue", "老客户销售额", "Existing customer revenue"),
    ),
)
KPI_REPORT_FUNNEL = Table(
    "KpiReportFunnel",
    (
        text("key", "代码", "Key", width=20),
        text("stage", "阶段", "Stage", width=16),
        Column("count", L("数量", "Count"), T.INTEGER, width=10),
        Column("rate", L("较上一阶段", "Of previous stage"), T.PERCENT, width=12),
    ),
)
KPI_REPORT_VALUES = Table(
    "KpiReportValues",
    (
        text("key", "key", "key", width=27),
        text("name", "name", "name", width=24),
        Column("value", L("value", "value"), T.NUMBER, width=16),
        text("unit", "unit", "unit", width=10),
    ),
)
#: The sheet ``xlsales kpis --write`` writes after the KPI sheet.
KPI_REPORT = Sheet(
    "kpi_report", L("KPI报告", "KPI Report"), SheetKind.RESULT,
    (KPI_REPORT_REPS, KPI_REPORT_TREND, KPI_REPORT_FUNNEL, KPI_REPORT_VALUES),
    L("xlsales kpis --write 的结果：可编辑的摘要、排名、趋势、漏斗、全部 KPI 和图表。",
      "Written by `xlsales kpis --write`: an editable summary, rep ranking, monthly trend, "
      "funnel, every KPI and native charts."))

def kpi_column(key: str, width: float) -> Column:
    """A result column showing KPI ``key``: labelled as the KPI, typed by its unit."""
    kpi = next(k for k in KPIS if k.key == key)
    return Column(key, kpi.label, UNIT_TYPES[kpi.unit], width=width)


# Written by ``xlsales consolidate`` into a roll-up, after the KPI sheet: the members ranked
# (then the members left out, with why) and the problems of all members by category.
MEMBER_RANKING = Table(
    "MemberRanking",
    (
        Column("rank_revenue", L("销售额排名", "Rank by revenue"), T.INTEGER, width=10),
        ROLLUP_MEMBER,
        Column("level", L("层级", "Level"), T.CHOICE, choices=LEVEL, width=10),
        kpi_column("revenue", 14),
        Column("revenue_share", L("销售额占比", "Share of revenue"), T.PERCENT, width=10),
        kpi_column("target", 14),
        kpi_column("attainment", 10),
        Column("rank_attainment", L("完成率排名", "Rank by attainment"), T.INTEGER, width=10),
        kpi_column("mom_growth", 12),
        Column("rank_growth", L("增长排名", "Rank by growth"), T.INTEGER, width=10),
        kpi_column("yoy_growth", 12),
        kpi_column("deals", 10),
        kpi_column("customers", 10),
        kpi_column("win_rate", 10),
        kpi_column("collection_rate", 10),
        text("file", "文件", "File", width=24),
        text("status", "状态", "Status", width=40),
    ),
)
PROBLEM_SUMMARY = Table(
    "ProblemSummary",
    (
        text("category", "类别", "Category", width=16),
        Column("count", L("问题数", "Problems"), T.INTEGER, width=10),
        money("impact", "影响金额", "Impact"),
        Column("impact_share", L("影响占比", "Share of impact"), T.PERCENT, width=10),
        Column("members", L("涉及成员数", "Members reporting"), T.INTEGER, width=12),
    ),
)
MEMBER_RANKING_SHEET = Sheet(
    "member_ranking", L("成员排名", "Member ranking"), SheetKind.RESULT, (MEMBER_RANKING,),
    L("xlsales consolidate 在汇总工作簿中的结果：成员按销售额、完成率和增长排名，以及未合并的"
      "文件及原因。",
      "Written by `xlsales consolidate` in a roll-up: the members ranked by revenue, "
      "attainment and growth, and the files left out with why."))
PROBLEM_SUMMARY_SHEET = Sheet(
    "problem_summary", L("问题汇总", "Problem summary"), SheetKind.RESULT, (PROBLEM_SUMMARY,),
    L("xlsales consolidate 在汇总工作簿中的结果：所有成员的问题按类别汇总：问题数、影响金额和"
      "涉及成员数。",
      "Written by `xlsales consolidate` in a roll-up: the problems of all members by "
      "category, with their count, impact and how many members report them."))

# --- sheets, in workbook order -------------------------------------------------------------

SHEETS: tuple[Sheet, ...] = (
    Sheet("instructions", L("说明", "Instructions"), SheetKind.INSTRUCTIONS),
    Sheet("info", L("基础信息", "Info"), SheetKind.INPUT, (INFO,),
          L("A1 基础信息：周期、负责人、层级、岗位、数据来源。",
            "A1 Basic information: period, owner, level, role, data source.")),
    Sheet("sales", L("销售记录", "Sales"), SheetKind.INPUT, (SALES,),
          L("A2 销售业绩数据：每行一条记录，KPI 由此自动计算。",
            "A2 Performance data: one record per row; the KPIs are computed from it.")),
    Sheet("targets", L("目标", "Targets"), SheetKind.INPUT, (TARGETS,),
          L("本期目标：按月、按人。", "Targets of this period, by month and rep.")),
    Sheet("activities", L("活动记录", "Activities"), SheetKind.INPUT, (ACTIVITIES,),
          L("拜访、电话、邮件等客户活动。",
            "Visits, calls, emails and other customer activities.")),
    Sheet("problems", L("问题与挑战", "Problems"), SheetKind.INPUT, (PROBLEMS,),
          L("A3 问题与挑战：每行一个问题；“纳入下期计划”选“是”的问题会生成下期行动。",
            "A3 Problems and challenges: one per row; problems flagged 'carry into next plan' "
            "become actions in the next plan.")),
    Sheet("lessons", L("经验与反思", "Lessons"), SheetKind.INPUT, (LESSONS,),
          L("A4 经验总结与反思：成功经验、不足、原因与改进方向。",
            "A4 Lessons: what worked, shortcomings, their cause and the improvement.")),
    Sheet("review", L("上期行动", "Previous actions"), SheetKind.INPUT, (ACTION_REVIEW,),
          L("上期计划的行动回顾：每项填写完成情况与结果。",
            "Review of the previous plan's actions: status and result of each.")),
    Sheet("kpis", L("KPI", "KPIs"), SheetKind.CALCULATED, (KPI_WINDOWS, KPI_TABLE),
          L("由公式自动计算，无需 Python；工作表已保护（无密码）。",
            "Computed by native formulas, no Python needed; the sheet is protected (no "
            "password).")),
    KPI_REPORT,
    MEMBER_RANKING_SHEET,
    PROBLEM_SUMMARY_SHEET,
    Sheet("settings", L("设置", "Settings"), SheetKind.SETTINGS,
          (*LIST_TABLES, ASSUMPTIONS, BUDGET_CAPS, CUSTOM_FIELDS, PLAYBOOK),
          L("下拉列表、假设和预算上限：团队可直接修改，无需改代码。",
            "Dropdown lists, assumptions and budget caps: edit them here, no code needed.")),
    Sheet("plan_targets", L("计划-目标", "Plan Targets"), SheetKind.PLAN, (PLAN_TARGETS,),
          L("B1 下期目标与分解。", "B1 Next-period targets and their decomposition.")),
    Sheet("plan_actions", L("计划-行动", "Plan Actions"), SheetKind.PLAN, (PLAN_ACTIONS,),
          L("B2 策略与行动方案（5W2H）。", "B2 Strategies and actions (5W2H).")),
    Sheet("plan_budget", L("计划-资源", "Plan Budget"), SheetKind.PLAN, (PLAN_BUDGET,),
          L("B3 资源与预算。", "B3 Resources and budget.")),
    Sheet("plan_timeline", L("计划-时间线", "Plan Timeline"), SheetKind.PLAN, (PLAN_TIMELINE,),
          L("B3 时间规划与里程碑。", "B3 Timeline and milestones.")),
    Sheet("validation", L("校验结果", "Validation"), SheetKind.RESULT, (VALIDATION,),
          L("xlsales validate --write 的结果；红色单元格为有问题的输入。",
            "Written by `xlsales validate --write`; offending input cells are shaded red.")),
)

SPEC = WorkbookSpec(
    sheets=SHEETS,
    lists=LISTS,
    kpis=KPIS,
    choice_sets=(STAGE, CUSTOMER_TYPE, ACTIVITY_TYPE, YES_NO, SEVERITY, CONTROLLABILITY,
                 LESSON_TYPE, PERIOD_TYPE, LEVEL, ROLE, ACTION_STATUS, TARGET_SCOPE),
)
