"""The columns and types of every export table, from the spec alone.

A table's column set and each column's type are a function of the spec and the table,
never of the rows: finance stacks a month's files on the last (``pyarrow.concat_tables``,
``pd.concat``), which needs the same columns, in the same order, of the same types every
month, whichever books — reps' own, roll-ups, books with a table left empty — went in.
"""

from __future__ import annotations

from typing import Literal

from xlsales.spec import SPEC, ColumnType
from xlsales.spec.choices import LEVEL
from xlsales.spec.declarations import MEMBER_TABLES, PLAN_METRICS, ROLLUP_WITHIN
from xlsales.spec.model import L, Label

Kind = Literal["date", "float", "int", "text"]
#: Export name → spec table it comes from (None: computed).
EXPORTS: dict[str, str | None] = {
    "kpis": None,
    "kpis_by_rep": None,
    "kpis_by_member": None,
    "kpis_by_quarter": None,
    "sales": "Sales",
    "targets": "Targets",
    "activities": "Activities",
    "problems": "Problems",
    "lessons": "Lessons",
    "plan_targets": "PlanTargets",
    "actions": "PlanActions",
    "budget": "PlanBudget",
}
#: What ``xlsales export`` writes unless given ``--tables``.
DEFAULT_TABLES = ("kpis", "kpis_by_rep", "targets", "plan_targets", "actions", "budget")
#: The KPI breakdowns exported: export name → the column naming each row's group (and
#: the ``kpis --by`` grouping it is; ``member``: a roll-up's members, none in a rep's book).
KPI_BREAKDOWNS = {"kpis_by_rep": "rep", "kpis_by_member": "member",
                  "kpis_by_quarter": "quarter"}
#: The breakdowns whose rows a roll-up keys by member too (two teams' reps called 王芳 are
#: two rows): they end with ``member``, empty in a rep's own book, as the spec tables'
#: exports do (the same columns for every book).
BY_MEMBER_TOO = frozenset({"kpis_by_rep"})
IDENTITY = ("source_file", "report_owner", "report_level", "report_period", "report_start",
            "report_end", "report_currency")
#: Tables of the next period's plan: their rows also name the period planned
#: (``plan_period``), the one after ``report_period``.
PLAN_TABLES = frozenset({"PlanTargets", "PlanActions", "PlanBudget"})
#: The column naming a roll-up's member a row is of (``xlsales consolidate``); empty in
#: the rows of a rep's own book, present in every table a roll-up's rows can be in.
MEMBER = "member"
#: After it, in the tables whose rows a roll-up takes from its members: the members below
#: ``member`` that the row counts for (a roll-up of roll-ups' column 下级成员, ``东一组 ›
#: 张伟``), empty where the roll-up's members are no roll-ups. Two people of one name in
#: one member (a region's two 张伟, rolled up into a company) have one ``member`` and ``rep``
#: and differ in it.
WITHIN = ROLLUP_WITHIN.key
WITHIN_TABLES = frozenset(MEMBER_TABLES)
#: The plan targets' level of each row's period (``year``, ``quarter``, ``month``,
#: ``week``; empty for a label naming none): a year plan holds the whole year, its
#: quarters and its months, so summing every row counts the year three times.
GRANULARITY = "granularity"
#: Whether a dated row — a sale, a month's target, an activity — falls in the book's
#: report period (``yes``, ``no``; empty for a date that cannot be read), as the KPIs
#: count it: a book holds its history (``new --from`` carries it over), so two months'
#: exports share their earlier rows, and only the ``yes`` rows of each stack without
#: counting one twice. Each table's date column it reads:
IN_PERIOD = "in_report_period"
DATED = {"Sales": "date", "Targets": "period", "Activities": "date"}
#: The KPI table's count of validation errors of its book.
ERRORS = "validation_errors"
#: The KPI table's count of what its book holds that the book's own KPI sheet does not
#: count (xlsales reads it: the figures exported differ from the sheet's).
DIFFERS = "kpi_sheet_differs"
#: What each column the export adds holds (the spec's own columns say it in their
#: ``help``, the KPIs in their definition): zh and en, one sentence, read by the README's
#: column reference, the xlsx export's ``columns`` sheet and the parquet fields' metadata.
#: ``(table, column)`` declares a column whose meaning differs in that table.
_LEVELS = (", ".join(c.key for c in LEVEL.choices), "、".join(c.key for c in LEVEL.choices))
#: The plan's metrics that are KPI keys (compared with the kpis column of that key), and
#: the one that is not: the pipeline to build, compared with the pipeline created.
_PLAN_KPIS = ", ".join(m for m in PLAN_METRICS if any(k.key == m for k in SPEC.kpis))
_PIPELINE_ACTUAL = "pipeline_created"
EXPORT_MEANINGS: dict[str | tuple[str, str], Label] = {
    "source_file": L(
        "行所来自的工作簿的文件名；两个同名工作簿带上能区分它们的文件夹（east/rollup.xlsx）。",
        "The file name of the workbook the row comes from; two books of one name with the "
        "folders that tell them apart (east/rollup.xlsx)."),
    "report_owner": L("工作簿的所有者：基本信息中的姓名或团队；未填写时留空。",
                      "Whose workbook it is: the person or team its basic information "
                      "names; empty when it names none."),
    "report_level": L(f"工作簿的层级：{_LEVELS[1]}；未填写时留空。",
                      f"The workbook's level: {_LEVELS[0]}; empty when not filled in."),
    "report_period": L(
        "工作簿的报告周期：2026-10（月）、2026-Q4（季）或 2026（年）；KPI 按它计算。",
        "The workbook's report period: 2026-10 (a month), 2026-Q4 (a quarter) or 2026 (a "
        "year); the KPIs are computed for it."),
    "report_start": L("报告周期的第一天。", "The report period's first day."),
    "report_end": L("报告周期的最后一天。", "The report period's last day."),
    "report_currency": L(
        "工作簿币种的 ISO 代码（未写明时为 CNY；写法不指向唯一币种时，如 ¥，原样给出，"
        "并在 stderr 提示）：该行的金额都是这个币种，从不换算，请按它分开求和。",
        "The ISO code of the workbook's currency (CNY when it names none; a mark naming no "
        "one currency, such as ¥, as typed, with a note on stderr): every amount of the row "
        "is in it, never converted; sum amounts by it."),
    "plan_period": L(
        "仅计划表（plan_targets、actions、budget）：计划所属的期间，即 report_period 的下一期"
        "（10 月工作簿为 2026-11）。",
        "Plan tables only (plan_targets, actions, budget): the period planned, the one after "
        "report_period (2026-11 in an October book)."),
    MEMBER: L("合并表（xlsales consolidate）中该行所属的成员：合并进来的工作簿的所有者（未填写时为"
              "文件名）；不是合并表的工作簿中留空。",
              "In a roll-up (xlsales consolidate), the member the row is of: the owner its "
              "consolidated workbook names (else its file name); empty in a workbook that "
              "is no roll-up."),
    WITHIN: L(
        "合并表的合并表（如由各大区合并成的公司）中，该行在 member 之下所属的各级成员，以 › "
        "分隔（东一组 › 张伟）：同一成员中同名的两个人（大区里的两个张伟）member 和 rep 相同，"
        "此列不同；kpis_by_rep 的 member 是 member 加上此列中足以区分同名者的前几级。成员不是"
        "合并表时、不是合并表的工作簿中留空。",
        "In a roll-up of roll-ups (a company of regions), the members below member that the "
        "row counts for, level by level, separated by › (东一组 › 张伟): two people of one "
        "name in one member (a region's two 张伟) share member and rep and differ in it; "
        "kpis_by_rep's member is member followed by as many of these as tell namesakes "
        "apart. Empty where the members are no roll-ups, and in a workbook that is no "
        "roll-up."),
    ("kpis_by_member", MEMBER): L(
        "合并表的一个成员；该行的 KPI 与该成员自己的工作簿相同（kpis --by member）。",
        "A member of the roll-up; the row's KPIs are those of the member's own workbook "
        "(kpis --by member)."),
    ("kpis_by_rep", MEMBER): L(
        "合并表中该行所属的成员（不是合并表的工作簿中留空）；同一成员中同名的两个人（大区里的两个"
        "张伟）再接上足以区分他们的下级成员（华东南 › 东一组），与 sales、targets 等表的 member "
        "加 member_within 的开头相同。",
        "In a roll-up, the member the row is of (empty in a workbook that is no roll-up); "
        "for two people of one name inside one member (a region's two 张伟), followed by "
        "the members below as far as tells them apart (华东南 › 东一组): the start of member "
        "then member_within in the sales, targets … rows."),
    ("kpis_by_rep", "rep"): L(
        "该行 KPI 所属的销售人员（销售记录、目标、活动的 rep），按 kpis --by rep 计算。",
        "The rep the row's KPIs are of (the rep of the sales records, targets and "
        "activities), as kpis --by rep computes them."),
    ("plan_targets", "kpi"): L(
        f"目标所对应的指标代码：{_PLAN_KPIS} 即 kpis 表中同名的列，用于计划与实际对比；pipeline"
        f"（需新增商机金额）与 kpis 表的 {_PIPELINE_ACTUAL}（新增商机金额）对比，下期工作簿的目标表"
        "中为 pipeline_target；手工添加的行可能是团队自己写的文字。",
        f"The key of what the target measures: {_PLAN_KPIS} are the kpis columns of the "
        "same name, to compare plan with actual; pipeline (the pipeline to build) compares "
        f"with kpis' {_PIPELINE_ACTUAL} (and is the next period's pipeline_target); a row "
        "added by hand may hold text of the team's own."),
    ("kpis_by_quarter", "quarter"): L(
        "报告周期中的一个季度（2026-Q1）；该行的 KPI 按这个季度单独计算。",
        "A quarter of the report period (2026-Q1); the row's KPIs are computed for it as a "
        "period of its own."),
    GRANULARITY: L(
        "period_label 的层级：year、quarter、month 或 week；不成期间时留空。年度计划含年、季、月"
        "三层，求和前先选一层。",
        "The level of period_label: year, quarter, month or week; empty when it names "
        "none. A year plan holds its year, quarters and months: keep one level before "
        "summing value."),
    IN_PERIOD: L(
        "yes：该行的日期（销售和活动的 date、目标的月份）落在报告周期内，KPI 计入；no：工作簿中的"
        "历史行；日期无法识别时留空。",
        "yes when the row's date (a sale's or activity's date, a target's month) is in the "
        "report period, as the KPIs count it; no for the book's history; empty when the "
        "date cannot be read."),
    ERRORS: L("xlsales validate 在该工作簿中发现的错误数；不为 0 时，KPI 可能漏算或错算出错的行。",
              "How many errors xlsales validate finds in the workbook; when not 0 its KPIs "
              "may leave out or miscount the rows in error."),
    DIFFERS: L(
        "工作簿自己的 KPI 表不计入、导出却计入的数值或行的数量（validate 的警告）；不为 0 时导出的"
        "数字与该工作簿的 KPI 表不同。",
        "How many values or rows the workbook's own KPI sheet does not count and the export "
        "does (validate's warnings); when not 0 the figures exported differ from its KPI "
        "sheet."),
}
#: Parquet type of each kind of column.
ARROW_NAMES: dict[Kind, str] = {"date": "date32", "float": "float64", "int": "int64",
                                "text": "string"}


def own_columns(name: str) -> list[str]:
    """The columns of export ``name`` after the identity (and ``plan_period``): the KPI
    keys (``kpis``: then ``validation_errors``, ``kpi_sheet_differs``; a breakdown of
    :data:`KPI_BREAKDOWNS`: after its group's column, ``rep``, ``member``…, and for
    :data:`BY_MEMBER_TOO`, then ``member``), or the
    spec table's input fields then ``member`` (and :data:`WITHIN` in
    :data:`WITHIN_TABLES`); ``plan_targets``: ``granularity`` after
    ``period_label``; ``sales``, ``targets``, ``activities``: ``in_report_period``
    before ``member``)."""
    kpis = [k.key for k in SPEC.kpis]
    if name == "kpis":
        return [*kpis, ERRORS, DIFFERS]
    if name in KPI_BREAKDOWNS:
        member = [MEMBER] if name in BY_MEMBER_TOO else []
        return [KPI_BREAKDOWNS[name], *kpis, *member]
    table = SPEC.table(EXPORTS[name] or "")
    columns = [c.key for c in table.columns if c.is_input]
    if name == "plan_targets":  # a year plan's rows at year, quarter and month level
        columns.insert(columns.index("period_label") + 1, GRANULARITY)
    if table.name in DATED:  # a book's history beside its period's rows
        columns.append(IN_PERIOD)
    within = [WITHIN] if table.name in WITHIN_TABLES else []
    return [*columns, MEMBER, *within]


def export_columns(name: str) -> list[str]:
    """Every column of export ``name``, in order: the same for every book."""
    plan = ["plan_period"] if EXPORTS[name] in PLAN_TABLES else []
    return [*IDENTITY, *plan, *own_columns(name)]


def column_kind(name: str, column: str) -> Kind:
    """How ``column`` of export ``name`` is typed (parquet; the xlsx cells follow the
    values): by the spec's column type or KPI unit, never by the values.

    KPI counts are ``int``: the KPI engine gives every count whole (rounded). A field
    typed INTEGER in the workbook (a target's new customers and visits) is ``float``:
    the value is exported as typed, and a 1.5 there — a validation error (``not_whole``)
    — is kept, not rounded."""
    if column in ("report_start", "report_end"):
        return "date"
    if column in IDENTITY or column in (*KPI_BREAKDOWNS.values(), MEMBER, WITHIN,
                                        "plan_period", IN_PERIOD):
        return "text"
    if column in (ERRORS, DIFFERS):
        return "int"
    if name == "kpis" or name in KPI_BREAKDOWNS:
        kpi = next((k for k in SPEC.kpis if k.key == column), None)
        return "int" if kpi is not None and kpi.unit == "count" else "float"
    table = SPEC.table(EXPORTS[name] or "")
    if column not in table.keys:
        return "text"
    t = table.column(column).type
    if t in (ColumnType.DATE, ColumnType.MONTH):
        return "date"
    if t in (ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.MONEY, ColumnType.PERCENT):
        return "float"
    return "text"


def export_kinds(name: str) -> dict[str, Kind]:
    """Each column of export ``name`` and its kind (:func:`column_kind`)."""
    return {c: column_kind(name, c) for c in export_columns(name)}


def schema_markdown() -> str:
    """The README's table of every export table's own columns, in order, with their
    parquet types (the KPI keys as the KPI table orders them)."""
    counts = ", ".join(f"`{k.key}`" for k in SPEC.kpis if k.unit == "count")
    kpis = f"the KPI keys in the order of the KPI table: int64 for the counts ({counts}), " \
           "float64 for the others"
    lines = ["| Table | Its own columns, in order (parquet type) |", "|---|---|"]
    for name in EXPORTS:
        columns = own_columns(name)
        if EXPORTS[name] in PLAN_TABLES:
            columns = ["plan_period", *columns]
        if EXPORTS[name] is None:  # the KPI keys said once
            rest = {k.key for k in SPEC.kpis[1:]}
            columns = [kpis if c == SPEC.kpis[0].key else c for c in columns if c not in rest]
        shown = [c if c == kpis else f"`{c}` {ARROW_NAMES[column_kind(name, c)]}"
                 for c in columns]
        if name in BY_MEMBER_TOO:  # the member column a roll-up's rows have
            shown[-1] += " (the member the rep's row is of in a roll-up; empty in a rep's book)"
        lines.append(f"| `{name}` | " + ", ".join(shown) + " |")
    return "\n".join(lines)
