"""Result sheets xlsales writes into the user's workbook: validation results, the KPI
report (``xlsales kpis --write``) and a roll-up's member ranking and problem summary
(``xlsales consolidate``).

Part of the spec assembled in :mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from xlsales.spec.choices import LEVEL
from xlsales.spec.columns import ROLLUP_MEMBER, money, text
from xlsales.spec.kpi_catalog import KPIS
from xlsales.spec.kpi_model import UNIT_TYPES
from xlsales.spec.model import Column, ColumnType, L, Sheet, SheetKind, Table

T = ColumnType

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
#: On the report of a year only: its four quarters, each a period of its own (as
#: ``kpis --by quarter``), with the trend's KPI columns, then each quarter's attainment
#: and growth — keyed as those KPIs, labelled for a quarter: its previous period is the
#: quarter before, its year-ago one the same quarter last year. A quarter as its label
#: (2026-Q1). Empty where the ratio is (no target; no earlier data).
KPI_REPORT_QUARTERS = Table(
    "KpiReportQuarters",
    (
        text("quarter", "季度", "Quarter", width=12),
        *KPI_REPORT_TREND.columns[1:],
        Column("attainment", L("目标完成率", "Attainment"), T.PERCENT, width=11),
        # wide enough for the English header and its filter button, not cut off
        Column("mom_growth", L("环比增长（上季度）", "Growth vs previous quarter"),
               T.PERCENT, width=28),
        Column("yoy_growth", L("同比增长（去年同季度）", "Growth vs same quarter last year"),
               T.PERCENT, width=32),
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
    (KPI_REPORT_REPS, KPI_REPORT_TREND, KPI_REPORT_QUARTERS, KPI_REPORT_FUNNEL,
     KPI_REPORT_VALUES),
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
