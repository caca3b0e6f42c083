"""KPI results as readable lines, formatted by each KPI's unit."""

from __future__ import annotations

from xlsales.groupings import MEMBER_GROUPING, PERIOD_LABELS
from xlsales.kpi_labels import kpi_label
from xlsales.kpis import BLANK_GROUP, KpiResult, KpiValue
from xlsales.money_text import amounts_note
from xlsales.narrative import group_order, summary_paragraph
from xlsales.script_variant import OwnText
from xlsales.spec import SPEC, Kpi, Lang
from xlsales.text_width import display_width


def format_value(kpi: Kpi, value: KpiValue) -> str:
    """``1,234,567.00``, ``76.3%``, ``53`` or ``–`` for an empty ratio."""
    if value is None:
        return "–"
    if kpi.unit == "percent":
        return f"{value:.1%}"
    if kpi.unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns of a terminal."""
    return text + " " * max(0, width - display_width(text))


def _rpad(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` columns of a terminal."""
    return " " * max(0, width - display_width(text)) + text


def by_label(by: str, lang: Lang) -> str:
    """What a breakdown's groups are, as the workbook's headers name it (销售人员 /
    Rep, 成员 / Member, 月份 / Month, 季度 / Quarter)."""
    if by == MEMBER_GROUPING:
        from xlsales.spec.declarations import ROLLUP_MEMBER

        return ROLLUP_MEMBER.label.get(lang)
    sales = SPEC.table("Sales")
    if by in sales.key_set:
        return sales.column(by).label.get(lang)
    zh, en = PERIOD_LABELS[by]
    return zh if lang == "zh" else en


def group_label(by: str | None, group: str, lang: Lang) -> str:
    """A group as the workbook's language names it: a choice column's by its label (新客户
    / New for the customer types; JSON keeps the stable keys); reps, regions, products
    and months as they are; the rows without a region (product): 未填 / (none)."""
    if group == BLANK_GROUP:
        return "（未填）" if lang == "zh" else "(none)"
    sales = SPEC.table("Sales")
    choices = sales.column(by).choices if by in sales.key_set else None
    if choices is not None and group in {c.key for c in choices.choices}:
        return choices.label(group, lang)
    return group


def kpi_lines(result: KpiResult, lang: Lang, money: str = "", own: OwnText | None = None
              ) -> list[str]:
    """One line per KPI (label, value, key), then one block per group; the head says the
    currency ``money`` the amounts are in, as the paragraph at the end does. ``own``:
    xlsales' text in the book's script, the groups (reps, regions …) as typed."""
    zh = lang == "zh"
    head = f"{'周期' if zh else 'Period'} {result.period.label} ({result.period.span(lang)})"
    if money:
        head += f"{'，' if zh else ', '}{amounts_note(money, lang)}"
    lines = [head]
    kind = result.period.type  # a year's previous period is last year: its labels say so
    width = max(display_width(kpi_label(k, lang, kind)) for k in SPEC.kpis) + 2
    for kpi in SPEC.kpis:
        lines.append(f"  {_pad(kpi_label(kpi, lang, kind), width)}"
                     f"{format_value(kpi, result.kpis[kpi.key]):>16}  {kpi.key}")
    if result.by:
        shown = ["revenue", "target", "attainment", "deals", "customers", "win_rate",
                 "collection_rate"]
        kpis = [SPEC.kpi(k) for k in shown]
        lines.append("")
        groups = group_order(result)  # periods in order, else as the ranking sheet
        first = max([14, *(display_width(group_label(result.by, g, lang)) + 2 for g in groups)])
        lines.append(_pad(by_label(result.by, lang), first) + "".join(
            _rpad(k.label.get(lang), 16) for k in kpis))
        for group in groups:  # a long name (`Ben Lim (Singapore)`) widens the first column
            values = result.groups[group]
            lines.append(_pad(group_label(result.by, group, lang), first) + "".join(
                f"{format_value(k, values[k.key]):>16}" for k in kpis))
    lines += ["", summary_paragraph(result, lang, money)]
    if own is None or own.script is None:
        return lines
    return [own(line, result.groups) for line in lines]


def no_target_note(result: KpiResult, lang: Lang) -> str | None:
    """What to say when revenue was made in a period with no revenue target: the gap to
    target (and attainment) is left empty, not minus the revenue; None when there is a
    target, or nothing sold."""
    kpis = result.kpis
    if kpis.get("target") or not kpis.get("revenue"):
        return None
    sheet = SPEC.sheet("targets").name
    if lang == "zh":
        return (f"注意：{result.period.label} 没有销售额目标（“{sheet.zh}”表中没有本期各月的"
                f"目标），差距和目标完成率留空；在“{sheet.zh}”表填写各月的销售额目标后重新计算")
    return (f"note: {result.period.label} has no revenue target (the {sheet.en} sheet sets "
            "none for its months), so the gap to target and attainment are left empty; fill "
            f"in the months' revenue targets on the {sheet.en} sheet and compute again")


def reps_without_target_note(result: KpiResult, lang: Lang) -> str | None:
    """What to say of the reps of a breakdown by rep who sold in a period whose revenue
    target their team set, with no target row of their own: their target and attainment
    are empty (not 0); None when every rep selling has one, or the whole has none (then
    :func:`no_target_note` says it)."""
    if result.by != "rep" or not result.kpis.get("target"):
        return None
    reps = [g for g in group_order(result)
            if result.groups[g].get("target") is None and result.groups[g].get("revenue")]
    if not reps:
        return None
    sheet = SPEC.sheet("targets").name
    if lang == "zh":
        return (f"注意：{'、'.join(reps)} 在 {result.period.label} 没有销售额目标（“{sheet.zh}”表中"
                "没有其本期各月的目标行），目标和完成率留空；如应有目标，请在"
                f"“{sheet.zh}”表填写后重新计算")
    one = len(reps) == 1
    return (f"note: {', '.join(reps)} {'has' if one else 'have'} no revenue target in "
            f"{result.period.label} (no row of theirs on the {sheet.en} sheet for its "
            "months), so the target and attainment are left empty; if "
            f"{'that rep' if one else 'they'} should have one, fill it in on the {sheet.en} "
            "sheet and compute again")
