"""The settings sheet's tables: the team's lists, assumptions, budget caps, custom fields
and the playbook.

The lists themselves (regions, products, reps …) are declared in
:mod:`xlsales.spec.choices`. Part of the spec assembled in
:mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from xlsales.spec.choices import (
    BUDGET_CATEGORIES,
    CONTROLLABILITY,
    PROBLEM_CATEGORIES,
    PRODUCTS,
    REGIONS,
    REPS,
    YES_NO,
)
from xlsales.spec.columns import money, text
from xlsales.spec.kpi_catalog import kpi_to_watch
from xlsales.spec.model import Column, ColumnType, L, SettingsList, Table

T = ColumnType

# --- settings ---------------------------------------------------------------------------

LISTS: tuple[SettingsList, ...] = (REGIONS, PRODUCTS, REPS, PROBLEM_CATEGORIES, BUDGET_CATEGORIES)

ASSUMPTION_FIELDS: tuple[Column, ...] = (
    # the planned period's: a year book's is next year's, which its plan calls 下一年度,
    # not 下期 (a shorter period's word); read by its key, so a book labelled before reads
    money("next_target", "计划期目标（管理层下达）", "Target of the planned period (given)",
          help=L("留空则按增长假设或历史趋势生成。",
                 "Leave empty to use the growth assumption or the history trend.")),
    Column("growth_rate", L("计划期增长假设", "Growth assumption"), T.PERCENT, default=0.1,
           min_value=-1, max_value=10),
    Column("buffer_days", L("缓冲天数", "Buffer days"), T.INTEGER, default=5, min_value=0,
           help=L("计划时间节点预留的缓冲天数。", "Days kept free before each deadline.")),
)
ASSUMPTIONS = Table(
    "Assumptions",
    (
        Column("key", L("代码", "Key"), T.TEXT, width=14),
        Column("item", L("项目", "Item"), T.TEXT, width=24),
        Column("value", L("数值", "Value"), T.NUMBER, width=14),
        Column("note", L("说明", "Note"), T.TEXT, width=30),
    ),
    form_fields=ASSUMPTION_FIELDS,
)
BUDGET_CAPS = Table(
    "BudgetCaps",
    (
        Column("category", L("预算类别", "Budget category"), T.LIST, list_source=BUDGET_CATEGORIES,
               required=True, width=14),
        money("monthly_cap", "每月上限", "Monthly cap",
              help=L("留空表示不设上限。", "Leave empty for no cap.")),
    ),
)
CUSTOM_FIELDS = Table(
    "CustomFields",
    (
        text("table", "所在表", "Table", width=12, required=True),
        text("label", "字段名", "Field", width=14, required=True),
        text("type", "类型", "Type", width=10),
        Column("required", L("必填", "Required"), T.CHOICE, choices=YES_NO, width=8),
        text("allowed", "可选值", "Allowed values", width=20),
        text("note", "说明", "Note", width=20),
    ),
    help=L("在任意表右侧添加自己的列，并在此登记；xlsales 会保留这些列。",
           "Add your own columns to the right of any table and register them here; "
           "xlsales keeps them."),
)

PLAYBOOK = Table(
    "Playbook",
    (
        Column("category", L("问题类别", "Problem category"), T.LIST,
               list_source=PROBLEM_CATEGORIES, required=True, width=16),
        Column("controllability", L("可控性", "Controllability"), T.CHOICE,
               choices=CONTROLLABILITY, width=10,
               help=L("留空表示两种都适用。", "Leave empty for both.")),
        text("action", "行动", "Action", width=34, required=True),
        text("how", "做法", "How", width=34),
        kpi_to_watch(18),
        money("budget", "预算", "Budget"),
        Column("budget_category", L("预算类别", "Budget category"), T.LIST,
               list_source=BUDGET_CATEGORIES, width=12),
        Column("days", L("所需天数", "Days needed"), T.INTEGER, min_value=1, width=9),
    ),
    help=L("行动手册：生成下期计划时，按问题类别和可控性为每个纳入计划的问题生成行动。"
           "可直接增删改。",
           "Playbook: the plan generator turns each flagged problem into actions by "
           "category and controllability. Edit freely."),
    optional=True,
)



def list_table(settings_list: SettingsList) -> Table:
    """The settings sheet's table of a list: its values, then its extra columns."""
    return Table(settings_list.table_name,
                 (Column("value", settings_list.label, T.TEXT, width=16), *settings_list.extra),
                 settings_list.help)


LIST_TABLES = tuple(list_table(s) for s in LISTS)
