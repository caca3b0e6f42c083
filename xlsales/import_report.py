"""The report ``xlsales import`` prints after appending a CRM export to a workbook: rows
imported and skipped, the column mapping, what was repaired, flagged or left out, the
period's split into this period and history — in BOOK's language (a Traditional book's
in Traditional), each line saying what to check or do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.currency import currency_code
from xlsales.findings import counted
from xlsales.import_changes import changed_lines, converted_lines
from xlsales.import_currency import currency_lines
from xlsales.import_currency_column import choice_lines, mapping_pairs
from xlsales.import_emails import email_lines
from xlsales.import_invoiced import uninvoiced_lines
from xlsales.import_notes import not_listed_line, percent_lines
from xlsales.import_reps import other_reps_line
from xlsales.normalise import CONVERSIONS
from xlsales.spec import SPEC
from xlsales.spec.declarations import HISTORY_MONTHS
from xlsales.terminal_script import own_lines, quoted

if TYPE_CHECKING:
    from xlsales.import_run import ImportReport

#: Skipped rows listed one by one in the report; the rest are counted.
SKIPPED_SHOWN = 20


#: Merged ranges named in the report; the rest are counted.
MERGED_SHOWN = 5


def merged_lines(merged: list[tuple[str, int, int]], zh: bool) -> list[str]:
    """What the report says of an xlsx export's cells merged over rows, whose value was
    filled into each row they cover (the rep's name merged over the rep's orders)."""
    if not merged:
        return []
    sep = "，" if zh else ", "
    shown = sep.join((f"{col} 第 {a}–{b} 行" if zh else f"{col} rows {a}–{b}")
                     for col, a, b in merged[:MERGED_SHOWN])
    rest = len(merged) - MERGED_SHOWN
    if rest > 0:
        shown += f"，另有 {rest:,} 处" if zh else f" and {rest:,} more"
    return [f"  合并单元格的值已填入其合并的每一行（导出只在第一行存值）：{shown}。请核对。"
            if zh else f"  Merged cells' values filled into each row they cover (the export "
            f"holds them in the first row only): {shown}. Check them."]


def units_lines(units: list[tuple[str, str]], zh: bool) -> list[str]:
    """What the report says of the units row under the export's header whose units no
    header takes (``CNY`` under ``金额``): read as the header's part, not as a row, and
    set aside (amounts are never converted)."""
    if not units:
        return []
    sep = "，" if zh else ", "
    shown = sep.join(f"{col} {unit}" if zh else f"'{col}' {unit}" for col, unit in units)
    return [f"  表头下的单位行已作为表头读取（不是数据行）；其中未采用的单位：{shown}"
            "（金额从不换算：若不是本工作簿的币种，请换算后再导入）。" if zh else
            f"  The units row under the header was read as part of it (no record); units "
            f"set aside: {shown} (amounts are never converted: if not in the workbook's "
            "currency, convert them before importing)."]


def report_lines(report: ImportReport) -> list[str]:
    """The import report in BOOK's language."""
    zh = report.lang == "zh"
    result = report.result
    n, skipped = report.imported, report.skipped
    spec = SPEC.table("Sales")
    if zh:
        verb = "将导入" if report.dry_run else "导入"
        lines = [f"{report.export.name} → {report.book.name}（工作表 “{report.sheet}”）："
                 f"{verb} {n:,} 行，跳过 {skipped:,} 行。"
                 + ("（试运行，未写入任何内容）" if report.dry_run else "")]
    else:
        verb = "would import" if report.dry_run else "imported"
        lines = [f"{report.export.name} → {report.book.name} (sheet '{report.sheet}'): "
                 f"{verb} {counted(n, 'row')}, skipped {skipped:,}."
                 + (" (dry run: nothing was written)" if report.dry_run else "")]
    if not (n or skipped or result.footers or result.other_reps):  # a header and no row
        lines.append(f"  {report.export.name} 只有表头，没有数据行：没有可导入的行。请检查 CRM "
                     "导出的筛选条件（日期范围、负责人等）后重新导出。" if zh else
                     f"  {report.export.name} has a header row and no data rows: there is no "
                     "row to import. Check the CRM report's filters (dates, owner) and export "
                     "again.")
    if report.unwritable is not None:
        lines.append(f"  但无法写入：{report.unwritable.zh}" if zh else
                     f"  But BOOK cannot be written: {report.unwritable.en}")
    currency = currency_code(report.currency)
    pairs = mapping_pairs(result.mapping, result.currency_columns, result.amount_choices,
                          currency, report.lang,
                          {k for k in result.mapping if k not in report.not_in_book})
    pairs += [f"{name} ← {header}" for name, header in result.custom.items()]
    lines.append(("  字段映射：" if zh else "  Columns: ") + ("，" if zh else ", ").join(pairs))
    lines += choice_lines(result.amount_choices, currency, report.lang)
    lines += uninvoiced_lines(report.uninvoiced, result.unmapped, report.lang)
    for key, divided in result.percent_points.items():
        if key in report.not_in_book or not n:  # nothing imported: nothing read so
            continue
        lines += percent_lines(result, key, divided, zh)
    for key, (factor, done) in result.unit_scaled.items():
        if key in report.not_in_book or not n:
            continue
        header = result.mapping[key]
        numbers = "number" if done == 1 else "numbers"
        lines.append(f"  “{header}”的表头注明了单位，数值已乘以 {factor:,.0f}（{done:,} 个；"
                     "自带单位的值如 1.2万 按其单位）。" if zh else
                     f"  '{header}' gives its unit in the header, so its numbers are "
                     f"multiplied by {factor:,.0f} ({done:,} {numbers}; values with their "
                     "own unit, such as 1.2万, by that unit).")
    lines += merged_lines(result.merged, zh)
    lines += units_lines(result.units_aside, zh)
    lines += currency_lines(report.other_currency, report.currency, report.lang,
                            report.currency_cells)
    if result.skipped:
        lines.append("  跳过的行：" if zh else "  Skipped rows:")
        # the rows to act on first: 70 orders already imported must not hide them
        for s in sorted(result.skipped, key=lambda s: s.duplicate)[:SKIPPED_SHOWN]:
            lines.append(f"    第 {s.row} 行：{s.zh}" if zh else f"    row {s.row}: {s.en}")
        if len(result.skipped) > SKIPPED_SHOWN:
            rest = len(result.skipped) - SKIPPED_SHOWN
            lines.append(f"    … 另有 {rest:,} 行" if zh else f"    … and {rest:,} more")
    lines += changed_lines(report.changed, report.lang)
    lines += converted_lines(report.converted, report.lang)
    lines += other_reps_line(result.other_reps, report.reps, report.lang)
    if result.footers:
        example = result.footer_example[:40]
        lines.append(f"  另有 {result.footers:,} 行是导入文件的合计或页脚（如 “{example}”），"
                     "不是数据，未导入。" if zh else
                     f"  {counted(result.footers, 'row')} of the export's totals or footers "
                     f"(e.g. '{example}'), no data: not imported.")
    if result.flagged:
        flagged = len(result.flagged)
        lines.append(f"  已导入但校验会标出的行（{flagged:,} 行，按原样保留，请核对）：" if zh else
                     f"  Imported as typed, but validation will flag "
                     f"{counted(flagged, 'row')} (check them):")
        for s in result.flagged[:SKIPPED_SHOWN]:
            lines.append(f"    第 {s.row} 行：{s.zh}" if zh else f"    row {s.row}: {s.en}")
        if flagged > SKIPPED_SHOWN:
            rest = flagged - SKIPPED_SHOWN
            lines.append(f"    … 另有 {rest:,} 行" if zh else f"    … and {rest:,} more")
    shown = {k: n for k, n in result.as_exported.items() if k not in report.not_in_book}
    if shown:
        counts = [(spec.column(k).label.get(report.lang), n) for k, n in shown.items()]
        if zh:
            lines.append("  其中无法读取的可选值已按导入文件原样写入单元格（行未跳过；请在工作簿"
                         "中改正）：" + "，".join(f"{label} {n:,} 行" for label, n in counts)
                         + "。")
        else:
            lines.append("  Of these, optional values that cannot be read are written as "
                         "exported (the rows are not skipped; correct them in the workbook): "
                         + ", ".join(f"{label} {counted(n, 'row')}"
                                     for label, n in counts) + ".")
    lines += email_lines(result.emails, report.lang)
    lines += not_listed_line(report.not_listed, report.lang)
    if result.unmapped:
        lines.append(("  未使用的导入列：" if zh else "  Export columns not used: ")
                     + ("、" if zh else ", ").join(result.unmapped))
    if report.not_in_book:
        labels = [spec.column(k).label.get(report.lang) for k in report.not_in_book]
        lines.append(f"  工作簿中没有这些列，其数据未导入：{'、'.join(labels)}" if zh else
                     f"  BOOK has no column for these fields, not imported: {', '.join(labels)}")
    period = report.period
    if period is not None and n:
        inside = n - report.before - report.after
        if zh:
            lines.append(f"  周期 {period.label}（{period.start} ~ {period.end}）："
                         f"本期 {inside:,} 行，早于本期 {report.before:,} 行（作为历史保留），"
                         f"晚于本期 {report.after:,} 行。")
            if report.unused:
                lines.append(f"  其中 {report.unused:,} 行早于 {HISTORY_MONTHS} 个月的历史窗口"
                             f"（{period.months_before(HISTORY_MONTHS)} 起），不参与任何计算。")
        else:
            lines.append(f"  Period {period.label} ({period.start} – {period.end}): "
                         f"{counted(inside, 'row')} in the period, {report.before:,} before "
                         f"it (kept as history), {report.after:,} after it.")
            if report.unused:
                lines.append(f"  Before the {HISTORY_MONTHS}-month history window (from "
                             f"{period.months_before(HISTORY_MONTHS)}), used by no KPI: "
                             f"{report.unused:,} of them.")
    for key, (code, original, read_as) in result.dates_ordered.items():
        label = SPEC.table("Sales").column(key).label
        zh_why, en_why = CONVERSIONS[code]
        lines.append(f"  {label.zh}（{result.mapping[key]}）：{zh_why}，如 {original} 为 "
                     f"{read_as.isoformat()}。" if zh else
                     f"  {label.en} ({result.mapping[key]}): {en_why}; e.g. {original} is "
                     f"{read_as.isoformat()}.")
    if (commas := result.comma_decimals) is not None and n:
        lines.append(f"  数字按逗号作小数点读取（欧洲写法，点号或空格分隔千位）："
                     f"如“{commas.header}”中的 '{commas.value}'。请核对。" if zh else
                     f"  Numbers read with a decimal comma (as Europe writes them, dots or "
                     f"spaces between thousands): e.g. '{commas.value}' in '{commas.header}'. "
                     "Check them.")
    if result.conversions:
        lines.append(f"  自动修正 {result.conversions:,} 处（数字文本、日期格式、选项别名或"
                     "繁体写法、另一种语言或繁体字的区域或产品名等）。"
                     if zh else f"  {counted(result.conversions, 'value')} repaired (numbers "
                                "as text, "
                                "date formats, choice aliases or Traditional spellings, "
                                "regions or products named in the other language or in "
                                "Traditional characters …).")
    # what the lines quote (the values of rows skipped, flagged or changed) as typed
    own = report.own.keeping([*quoted(lines), *report.reps,
                              *(v for c in report.not_listed.values() for v in c)])
    return own_lines(lines, own)  # a Traditional book's: in Traditional
