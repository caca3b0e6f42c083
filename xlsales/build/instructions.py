"""Text of the instructions sheet, generated from the spec so it names the real sheets."""

from __future__ import annotations

from typing import Literal

from xlsales.spec import SheetKind, WorkbookSpec
from xlsales.spec.declarations import ROLE
from xlsales.workbook_data import BuildOptions

Line = tuple[Literal["title", "text"], str]

ROLE_FOCUS = {
    "rep": ("重点：客户跟进、个人目标完成率、拜访与电话等活动量。",
            "Focus: customer follow-up, your own attainment, visits, calls and other activities."),
    "manager": ("重点：团队完成率、按人对比、辅导需求、商机健康度。",
                "Focus: team attainment, rep-by-rep comparison, coaching needs, pipeline health."),
    "director": ("重点：团队管理、策略执行、区域对比、资源分配。",
                 "Focus: team management, strategy execution, regions, resource allocation."),
}

STEPS = {
    "zh": [
        "1. 在“{info}”表填写周期、负责人、层级和岗位。",
        "2. 在“{sales}”表粘贴或录入销售记录（保留历史月份，用于环比、同比和新客户判断）；"
        "在“{targets}”和“{activities}”表填写目标和客户活动。",
        "3. 在“{problems}”表登记问题；需要在下期解决的，“纳入下期计划”选“是”。"
        "在“{lessons}”表写下经验与不足。",
        "4. “{kpis}”表由公式自动计算，无需 Python。表头带下划线的列为必填；"
        "红色单元格表示该行的必填项还没填。",
        "5. 下拉列表、增长假设和预算上限在“{settings}”表中维护，团队可自行修改。",
        "6. 可在任意表右侧添加自定义列，并在“{settings}”表的自定义字段中登记；xlsales 会保留它们。",
    ],
    "en": [
        "1. On '{info}', fill in the period, owner, level and role.",
        "2. Paste or type the sales records on '{sales}' (keep earlier months: they feed "
        "month-on-month, year-on-year and new-customer detection); fill '{targets}' and "
        "'{activities}'.",
        "3. Record problems on '{problems}'; set 'Carry into next plan' to Yes for those the next "
        "plan must address. Write what worked and what did not on '{lessons}'.",
        "4. '{kpis}' is computed by native formulas, no Python needed. Underlined headers mark "
        "required columns; a red cell is a required entry still empty in its row.",
        "5. Dropdown lists, the growth assumption and budget caps live on '{settings}'; edit them "
        "there.",
        "6. Add your own columns to the right of any table and register them under custom fields "
        "on '{settings}'; xlsales keeps them.",
    ],
}


def instruction_lines(spec: WorkbookSpec, options: BuildOptions) -> list[Line]:
    """Title, purpose, role focus, steps and the list of sheets, in the workbook language."""
    lang = options.lang
    names = {s.key: s.name.get(lang) for s in spec.sheets}
    zh = lang == "zh"
    role = ROLE.label(options.role_key, lang)
    focus = ROLE_FOCUS[options.role_key][0 if zh else 1]
    lines: list[Line] = [
        ("title", "销售工作总结与工作计划" if zh else "Sales period summary and plan"),
        ("text", "先用数据复盘本期，再生成下期计划：复盘 → 规划 → 执行 → 反馈。" if zh else
         "Review the period with figures first, then plan the next: review → plan → execute → "
         "feedback."),
        ("text", f"岗位：{role}。{focus}" if zh else f"Role: {role}. {focus}"),
        ("text", ""),
    ]
    lines += [("text", s.format(**names)) for s in STEPS[lang]]
    lines += [("text", ""), ("title", "工作表" if zh else "Sheets")]
    for sheet in spec.sheets:
        if sheet.kind is SheetKind.INSTRUCTIONS or sheet.help is None:
            continue
        lines.append(("text", f"{sheet.name.get(lang)}: {sheet.help.get(lang)}"))
    return lines
