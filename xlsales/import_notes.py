"""What the import report says of the values read: those the workbook's settings lists
do not name (validation will flag them), and how a percent column headed with % was
read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from xlsales.findings import counted
from xlsales.spec import SPEC, Lang
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd

    from xlsales.importer import ImportResult


def not_listed(frame: pd.DataFrame,
               lists: Mapping[str, list[str]]) -> dict[str, Counter[str]]:
    """Of the imported rows ``frame``, the values of list columns (rep, region, product)
    that the book's settings ``lists`` do not name, per field, with their rows (a list
    the book leaves empty checks nothing, as in validation)."""
    found: dict[str, Counter[str]] = {}
    for column in SPEC.table("Sales").columns:
        source = column.list_source
        allowed = set(lists.get(source.key, [])) if source is not None else set()
        if not allowed or column.key not in frame.columns:
            continue
        values = Counter(str(v) for v in frame[column.key] if not is_blank(v))
        missing = Counter({v: n for v, n in values.items() if v not in allowed})
        if missing:
            found[column.key] = missing
    return found


def not_listed_line(found: Mapping[str, Counter[str]], lang: Lang) -> list[str]:
    """One line naming the values the book's lists lack (``found``: :func:`not_listed`;
    five per field, most rows first), and what to do."""
    if not found:
        return []
    zh = lang == "zh"
    spec = SPEC.table("Sales")
    parts = []
    for key, values in found.items():
        common = values.most_common(5)
        more = len(values) - len(common)
        named = ("、" if zh else ", ").join(
            f"{v}（{n:,} 行）" if zh else f"{v} ({counted(n, 'row')})"
            for v, n in common)
        if more:
            named += f" 等 {len(values):,} 个" if zh else f" and {more:,} more"
        parts.append(f"{spec.column(key).label.get(lang)} {named}")
    # owners exported as email addresses the list's names do not match
    mailed = any("@" in v for v in found.get("rep", ()))
    if zh:
        return [f"  工作簿“设置”表的名单中没有这些值，校验会标出：{'；'.join(parts)}。"
                "请把它们加入名单，或改正导入文件。" + (
                    "销售人员是邮箱地址的，请在 CRM 导出中加入负责人姓名列，用 --map rep=列名 "
                    "指定后重新导入。" if mailed else "")]
    return [f"  Not in the lists on the workbook's settings sheet, so validation will flag "
            "them: "
            f"{'; '.join(parts)}. Add them to the lists, or correct the export." + (
                " For reps exported as email addresses, add the owner's name to the CRM's "
                "export and name its column with --map rep=COLUMN." if mailed else "")]


def percent_lines(result: ImportResult, key: str, divided: int, zh: bool) -> list[str]:
    """How a percent column whose header says % was read: numbers divided by 100, cells
    formatted as percent kept, and a note when every number divided was 1 or less."""
    header = result.mapping[key]
    formatted = result.percent_formatted.get(key, 0)
    lines = []
    if divided or not formatted:
        lines.append(f"  “{header}”的表头带 %，按百分数读取：10 即 10%（{divided:,} 个数值已除以 "
                     "100；写成 10% 的值不变）。" if zh else
                     f"  '{header}' says % in its header, so it is read as percent: 10 is 10 % "
                     f"({divided:,} {'number' if divided == 1 else 'numbers'} divided by 100; "
                     "values written as 10% as they are).")
    if formatted:
        lines.append(f"  “{header}”中 {formatted:,} 个单元格设为百分比格式（0.5 显示为 50%），"
                     "按其显示的百分数读取，未除以 100。" if zh else
                     f"  {counted(formatted, 'cell')} of '{header}' formatted as percent (0.5 "
                     "shown as 50%) read as they show, not divided by 100.")
    if key in result.percent_small and divided:
        lines.append(f"  注意：“{header}”中除以 100 的数值都不大于 1（0.5 读作 0.5%）。若它们其实是"
                     "小数（0.5 即 50%），请去掉导入文件表头中的 %，再导入（已导入的行先在工作簿中"
                     "删除）。" if zh else
                     f"  Note: every number of '{header}' divided by 100 was 1 or less (0.5 is "
                     "read as 0.5%). If they are fractions (0.5 meaning 50%), remove the % from "
                     "the export's header and import again (deleting rows already imported "
                     "from BOOK first).")
    return lines
