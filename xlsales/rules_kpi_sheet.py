"""The rules of what xlsales reads but the workbook's own formulas (its KPI sheet, its
calculated columns) cannot count, and of the repairs ``xlsales validate --write`` makes
so that they count: a table not named, a sheet's copy, rows under a table, values typed
as text or with spaces, times on a month's last day, choices spelled otherwise, missing
formulas, a missing KPI sheet, error values in calculated columns."""

from __future__ import annotations

from xlsales.rule_model import I, Rule, W, rule

#: The rules of what the KPI sheet cannot count, in the catalogue's order.
KPI_SHEET_RULES: dict[str, Rule] = dict([
    rule("table_not_named", W,
         "工作表“{sheet_name}”第 {row} 行起的 {table} 数据不是名为 {table} 的 Excel 表格{named_zh}"
         "（转换成了普通区域，或复制工作表时改了名？）：xlsales 按表头读取了它，但工作簿自己的"
         "公式（KPI 表、计算列）引用表格 {table}，会显示 #N/A 或 #NAME?。请在 Excel 或 WPS 中"
         "选中该区域，“插入 > 表格”后在“表设计”中把表名改为 {table}；在 LibreOffice 中用"
         "“数据 > 定义范围”命名为 {table}。",
         "The {table} data from row {row} of sheet '{sheet_name}' is not an Excel Table named "
         "{table}{named_en} (converted to a range, or renamed when the sheet was copied?): "
         "xlsales reads it by its headers, but the workbook's own formulas (the KPI sheet, "
         "the calculated columns) name the table {table} and show #N/A or #NAME?. In Excel "
         "or WPS select the range, Insert > Table, and name it {table} under Table Design; "
         "in LibreOffice name it {table} with Data > Define Range."),
    rule("sheet_copy_not_read", W,
         "工作表“{copy}”是“{original}”的副本：xlsales 和工作簿的公式（KPI 表）只读取“{original}”，"
         "副本中的修改不计入任何数字。请把要保留的修改复制回“{original}”，再删除副本。",
         "Sheet '{copy}' is a copy of '{original}': xlsales and the workbook's formulas (the "
         "KPI sheet) read '{original}' only, so what is changed in the copy counts nowhere. "
         "Copy the changes to keep back into '{original}', then delete the copy."),
    rule("rows_not_counted", W,
         "表格 {table} 下方（从 {cell} 起）还有 {count} 行数据：xlsales 已一并读取，但工作簿自己的"
         "公式（KPI 表）不计入它们。{fix_zh}",
         "{rows_en} below table {table} (from {cell}): xlsales reads them, but the workbook's "
         "own formulas (the KPI sheet) do not count them. {fix_en}"),
    rule("formula_respelled", I,
         "本工作簿是繁体：公式已改为统计单元格中的写法 {spellings_zh}，KPI 表重新计入这些行。",
         "The workbook is in Traditional characters: its formulas now count the spelling "
         "its cells use, {spellings_en}; the KPI sheet counts those rows again."),
    rule("table_extended", I,
         "表格 {table} 已扩展到第 {last} 行，纳入下方（从 {cell} 起）的 {count} 行数据。{left_zh}",
         "Table {table} now reaches row {last}, taking in the {rows_en} below it (from "
         "{cell}).{left_en}"),
    rule("values_not_counted", W,
         "“{label}”有 {count} 个值不是公式能识别的形式：xlsales 已按修正后的值计算，但工作簿"
         "自己的公式（KPI 表）按原样看待它们，会漏算或分开计算。请重新输入为数字、日期或列表中"
         "的选项——{cells_zh}。{write_zh}",
         "'{label}': {values_en} not in a form the workbook's formulas read. xlsales counts "
         "them as repaired, but the workbook's own formulas (the KPI sheet) take them as "
         "typed and leave them out or count them apart: retype them as numbers, dates or "
         "listed choices — {cells_en}.{write_en}"),
    rule("spaces_not_counted", W,
         "“{label}”有 {count} 个值首尾带空格：xlsales 已去掉空格计算，但工作簿自己的公式（KPI "
         "表）按原样看待它们，会漏算，或把同一个名称算作两个。请删除这些空格（重新输入即可）"
         "——{cells_zh}。{write_zh}",
         "'{label}': {values_en} with spaces before or after the text. xlsales counts them "
         "without the spaces, but the workbook's own formulas (the KPI sheet) take them as "
         "typed and leave them out or count one name as two: delete the spaces (retype the "
         "text) — {cells_en}.{write_en}"),
    rule("spaces_trimmed", I,
         "“{label}”：{count} 个值首尾的空格已删除，工作簿自己的公式（KPI 表）现在计入它们"
         "——{cells_zh}。",
         "'{label}': the spaces around {values_en} deleted, which the workbook's own formulas "
         "(the KPI sheet) now count — {cells_en}."),
    rule("time_not_counted", W,
         "“{label}”有 {count} 个值在月末最后一天且带有时间：工作簿自己的公式（KPI 表）按日期"
         "比较，把它们算在该月之后而漏算；xlsales 按日期计算。请只保留日期——{cells_zh}（如在"
         "旁边一列用 =INT({cell}) 再“粘贴为数值”），只改单元格格式不够。",
         "'{label}': {values_en} on a month's last day with a time of day: the workbook's "
         "own formulas (the KPI sheet) compare dates and take them as after that month, "
         "leaving them out; xlsales counts them by their date. Keep the date only — "
         "{cells_en} (e.g. =INT({cell}) in a spare column, pasted back as values): a date "
         "format alone does not remove the time."),
    rule("values_retyped", I,
         "“{label}”：{count} 个以文本输入的值已改写为数字或日期，工作簿自己的公式（KPI 表）现在"
         "计入它们——{cells_zh}。",
         "'{label}': {values_en} typed as text now retyped as numbers or dates, which the "
         "workbook's own formulas (the KPI sheet) count — {cells_en}."),
    rule("choice_not_counted", W,
         "“{label}”有 {count} 个值的写法不是公式统计的（如 {cell} 的 {value!r}；公式统计的是"
         "“{expected}”）：xlsales 已按“{expected}”计算，但工作簿自己的公式（KPI 表）漏算"
         "它们。{fix_zh}",
         "'{label}': {values_en} spelled otherwise than the workbook's formulas count (e.g. "
         "{value!r} in {cell}; they count '{expected}'). xlsales counts them as "
         "'{expected}', but the workbook's own formulas (the KPI sheet) leave them out: "
         "{fix_en}"),
    rule("missing_formula", W,
         "计算列“{label}”有 {count} 行没有公式（如 {cell}）：工作簿自己的公式（KPI 表）"
         "不计入这些行，xlsales kpis 则计入。请运行 xlsales validate {file} --write 恢复公式，"
         "或在 Excel 或 WPS 中把该列的公式向下填充到这些行。",
         "Calculated column '{label}': {rows_en} without its formula (e.g. {cell}): the "
         "workbook's own formulas (the KPI sheet) do not count such rows, while xlsales kpis "
         "does. Run `xlsales validate {file} --write` to restore the formulas, or fill the "
         "column's formula down in Excel or WPS."),
    rule("kpi_sheet_missing", W,
         "工作簿中没有 KPI 表“{kpi_sheet}”（被删除了？）：工作簿自己不再计算 KPI。{errors_zh}"
         "xlsales kpis 按输入列计算，不受影响。xlsales validate --write 无法重建这个表：请从备份"
         "恢复本工作簿；或用 xlsales new --period {period} 新建工作簿，把各表的行（输入列）复制"
         "进去。",
         "The workbook has no KPI sheet '{kpi_sheet}' (deleted?): it no longer computes its "
         "KPIs.{errors_en} xlsales kpis computes from the input columns and is not affected. "
         "`xlsales validate --write` cannot rebuild the sheet: restore the workbook from a "
         "backup, or make a fresh one with `xlsales new --period {period}` and copy "
         "the tables' rows (input columns) into it."),
    rule("calculated_error", W,
         "计算列“{label}”有 {count} 个单元格是错误值（如 {cell} 的 {value}）：工作簿自己的 KPI "
         "表引用这一列，会显示这个错误；xlsales kpis 按输入列计算，不受影响。请删除这些单元格的"
         "内容，再运行 xlsales validate {file} --write 恢复该列的公式；或在 Excel、WPS 或 "
         "LibreOffice 中选中上方正常的一格连同它们，按 Ctrl+D 向下填充公式。",
         "Calculated column '{label}': {cells_en} holding an error value (e.g. {value} in "
         "{cell}): the workbook's own KPI sheet adds this column up and shows the error, "
         "while xlsales kpis computes from the input columns. Clear those cells and run "
         "`xlsales validate {file} --write` to restore the column's formula, or in Excel, "
         "WPS or LibreOffice select a good cell above together with them and press Ctrl+D."),
    rule("formula_restored", I,
         "计算列“{label}”：已在 {count} 行恢复公式（如 {cell}），KPI 表重新计入这些行。",
         "Calculated column '{label}': the formula restored in {rows_en} (e.g. {cell}); the "
         "KPI sheet counts them again."),
])
