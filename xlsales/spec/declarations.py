"""The xlsales workbook, declared once.

Every sheet, table, column, choice list, settings list and KPI of the product is
declared once, in the modules of :mod:`xlsales.spec`, and assembled here into
:data:`SPEC`, which the template builder, readers, validator, KPI engine and plan
generator read. Adding a column or a KPI is a change to one module only:

- :mod:`~xlsales.spec.choices`: the fixed choice sets (stage, customer type …) and the
  team-editable settings lists (regions, products, reps, categories);
- :mod:`~xlsales.spec.columns`: reusable column shapes (money, text, rep, roll-up member);
- :mod:`~xlsales.spec.input_tables`: basic info, targets, activities, problems, lessons;
- :mod:`~xlsales.spec.sales`: the sales records, their calculated columns' formulas and
  what CRM exports call their fields;
- :mod:`~xlsales.spec.kpi_catalog`: the KPIs (:data:`KPIS`) and the KPI sheet's tables;
- :mod:`~xlsales.spec.settings_tables`: the settings sheet's tables and the playbook;
- :mod:`~xlsales.spec.plan_tables`: the plan sheets and the review of the previous plan;
- :mod:`~xlsales.spec.result_sheets`: validation, KPI report and roll-up result sheets;
- :mod:`~xlsales.spec.assemble`: what the spec derives (a LIST column's settings list
  joins the lists and the settings sheet by itself);
- this module: the sheets in workbook order (:data:`SHEETS`) and :data:`SPEC`, so a new
  table is also listed here (a new choice set or settings list need not be: a column
  using it brings it). Every public name of those modules is importable from here too.
  docs/extending.md says what to edit for a new column or KPI.

Each module imports only :mod:`xlsales.spec.model`, :mod:`xlsales.spec.kpi_model` and the
modules listed above it.

Header labels are used inside Excel structured references, so they avoid the
characters that would need escaping there (checked by ``tests/test_spec.py``).
"""

from __future__ import annotations

from xlsales.spec.assemble import column_lists, with_column_lists
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
    MEMBER_TABLES,
    ROLLUP_LEVELS,
    ROLLUP_MEMBER,
    ROLLUP_WITHIN,
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
    year_label,
)
from xlsales.spec.kpi_model import (
    UNIT_TYPES,
    Aggregate,
    Difference,
    Growth,
    Kpi,
    Product,
    Ratio,
    Total,
    Unit,
)
from xlsales.spec.model import (
    Choice,
    ChoiceSet,
    Column,
    ColumnType,
    L,
    Label,
    SettingsList,
    Sheet,
    SheetKind,
    Table,
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
from xlsales.spec.result_sheets import (
    KPI_REPORT,
    KPI_REPORT_FUNNEL,
    KPI_REPORT_QUARTERS,
    KPI_REPORT_REPS,
    KPI_REPORT_TREND,
    KPI_REPORT_VALUES,
    MEMBER_RANKING,
    MEMBER_RANKING_SHEET,
    PROBLEM_SUMMARY,
    PROBLEM_SUMMARY_SHEET,
    VALIDATION,
    kpi_column,
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
    list_table,
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
    "KPI_REPORT_QUARTERS",
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
    "MEMBER_TABLES",
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
    "ROLLUP_WITHIN",
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
    "column_lists",
    "kpi_column",
    "kpi_to_watch",
    "list_table",
    "measure_unit",
    "money",
    "rep_column",
    "text",
    "with_column_lists",
    "year_label",
]

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

#: A LIST column's new settings list joins the lists and the settings sheet by itself
#: (:func:`~xlsales.spec.assemble.with_column_lists`): declared once, in ``choices``.
SPEC = with_column_lists(WorkbookSpec(
    sheets=SHEETS,
    lists=LISTS,
    kpis=KPIS,
    choice_sets=(STAGE, CUSTOMER_TYPE, ACTIVITY_TYPE, YES_NO, SEVERITY, CONTROLLABILITY,
                 LESSON_TYPE, PERIOD_TYPE, LEVEL, ROLE, ACTION_STATUS, TARGET_SCOPE),
))
