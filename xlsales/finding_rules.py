"""The rule catalogue: each rule of reading and validation, its severity and its message
templates in Chinese and English, declared once (:data:`RULES`); a
:class:`~xlsales.findings.Finding` is one of them found at a cell."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is; ``error`` makes ``xlsales validate`` exit with 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """A rule's severity and message templates; ``{label}``, ``{value}`` and rule
    specific fields are filled in per finding."""

    key: str
    severity: Severity
    zh: str
    en: str


def _rule(key: str, severity: Severity, zh: str, en: str) -> tuple[str, Rule]:
    return key, Rule(key, severity, zh, en)


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

RULES: dict[str, Rule] = dict([
    # reading
    _rule("missing_column", E, "表 {table} 缺少必填列“{label}”：{fix_zh}。",
          "Table {table} has no required column '{label}': {fix_en}."),
    _rule("absent_column", W,
          "表 {table} 没有“{label}”列（被改名或删除了？）：依赖它的检查和 KPI 将为空。{fix_zh}。",
          "Table {table} has no '{label}' column (renamed or deleted?): the checks and KPIs "
          "that use it stay empty. {fix_en}."),
    _rule("column_beside_table", W,
          "表格 {table} 右侧从 {cell} 起有 {count} 列紧挨着表格、但不在表格内：xlsales 不读取"
          "它们，下期工作簿（new --from）和合并也不会带上。请把表格扩展到这些列（在 Excel 或 "
          "WPS 中拖动表格右下角；在 LibreOffice 中用“数据 > 定义范围”把 {table} 的范围扩展到"
          "这些列）。",
          "{columns_en} from {cell} right beside table {table} but outside it: xlsales does "
          "not read what is there, and the next period's workbook (new --from) and roll-ups "
          "do not carry it. Extend the table over it (in Excel or WPS, drag the table's "
          "bottom-right corner; in LibreOffice, extend {table} over them with Data > Define "
          "Range)."),
    _rule("header_repeated", W,
          "表格 {table} 中有 {count} 行是重复的表头（如第 {row} 行，粘贴数据时带上了表头？）："
          "xlsales 不把它当作数据，也不给它补公式。请删除这一行。",
          "{rows_en} of table {table} {repeat_en} its header (e.g. row {row}: pasted with the "
          "data?): xlsales does not read them as data, nor fills formulas into them. Delete "
          "them."),
    _rule("table_by_header", I, "未找到名为 {table} 的表格，已按表头在第 {row} 行找到该表。",
          "No Excel Table named {table}; found it by its headers on row {row}."),
    _rule("rows_below_table", I,
          "表格 {table} 下方（从 {cell} 起）还有 {count} 行数据，已一并读取；运行 xlsales validate "
          "--write 可把它们纳入表格。",
          "{rows_en} below table {table} (from {cell}) read too; `xlsales validate --write` "
          "takes them into the table."),
    # rows below a table after a blank row (or a note): --write takes in only those right
    # under it
    _rule("rows_apart_from_table", I,
          "表格 {table} 下方（从 {cell} 起）还有 {count} 行数据，已一并读取，但它们与表格之间隔着"
          "空行或备注行，xlsales validate --write 不会把它们纳入表格。若是数据，请把它们移到紧接"
          "表格的下一行，再运行 xlsales validate --write；否则请把它们移到表格的列以外或删除。",
          "{rows_en} below table {table} (from {cell}) read too, but a blank row or a note "
          "parts them from the table, so `xlsales validate --write` does not take them in. "
          "If they are data, move them up right under the table and run `xlsales validate "
          "--write`; else move them off the table's columns or delete them."),
    # rows below a table's range filling none of the columns every row fills
    _rule("note_below_table", I,
          "表格 {table} 下方的备注：xlsales 把从 {cell} 起的 {count} 行当作备注，而不是表格的行"
          "（不校验、不计入，也不带入下期），因为{why_zh}。{fix_zh}",
          "Notes below table {table}: xlsales reads {rows_en} from {cell} as notes, not rows "
          "of the table (not checked, counted or carried over), since {why_en}. {fix_en}"),
    _rule("converted", I, "“{label}” {value!r}：{detail_zh}。",
          "'{label}' {value!r}: {detail_en}."),
    # what xlsales reads but the workbook's own formulas (the KPI sheet) cannot count
    _rule("table_not_named", W,
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
    _rule("sheet_copy_not_read", W,
          "工作表“{copy}”是“{original}”的副本：xlsales 和工作簿的公式（KPI 表）只读取“{original}”，"
          "副本中的修改不计入任何数字。请把要保留的修改复制回“{original}”，再删除副本。",
          "Sheet '{copy}' is a copy of '{original}': xlsales and the workbook's formulas (the "
          "KPI sheet) read '{original}' only, so what is changed in the copy counts nowhere. "
          "Copy the changes to keep back into '{original}', then delete the copy."),
    _rule("rows_not_counted", W,
          "表格 {table} 下方（从 {cell} 起）还有 {count} 行数据：xlsales 已一并读取，但工作簿自己的"
          "公式（KPI 表）不计入它们。{fix_zh}",
          "{rows_en} below table {table} (from {cell}): xlsales reads them, but the workbook's "
          "own formulas (the KPI sheet) do not count them. {fix_en}"),
    _rule("formula_respelled", I,
          "本工作簿是繁体：公式已改为统计单元格中的写法 {spellings_zh}，KPI 表重新计入这些行。",
          "The workbook is in Traditional characters: its formulas now count the spelling "
          "its cells use, {spellings_en}; the KPI sheet counts those rows again."),
    _rule("table_extended", I,
          "表格 {table} 已扩展到第 {last} 行，纳入下方（从 {cell} 起）的 {count} 行数据。{left_zh}",
          "Table {table} now reaches row {last}, taking in the {rows_en} below it (from "
          "{cell}).{left_en}"),
    _rule("values_not_counted", W,
          "“{label}”有 {count} 个值不是公式能识别的形式：xlsales 已按修正后的值计算，但工作簿"
          "自己的公式（KPI 表）按原样看待它们，会漏算或分开计算。请重新输入为数字、日期或列表中"
          "的选项——{cells_zh}。{write_zh}",
          "'{label}': {values_en} not in a form the workbook's formulas read. xlsales counts "
          "them as repaired, but the workbook's own formulas (the KPI sheet) take them as "
          "typed and leave them out or count them apart: retype them as numbers, dates or "
          "listed choices — {cells_en}.{write_en}"),
    _rule("spaces_not_counted", W,
          "“{label}”有 {count} 个值首尾带空格：xlsales 已去掉空格计算，但工作簿自己的公式（KPI "
          "表）按原样看待它们，会漏算，或把同一个名称算作两个。请删除这些空格（重新输入即可）"
          "——{cells_zh}。{write_zh}",
          "'{label}': {values_en} with spaces before or after the text. xlsales counts them "
          "without the spaces, but the workbook's own formulas (the KPI sheet) take them as "
          "typed and leave them out or count one name as two: delete the spaces (retype the "
          "text) — {cells_en}.{write_en}"),
    _rule("spaces_trimmed", I,
          "“{label}”：{count} 个值首尾的空格已删除，工作簿自己的公式（KPI 表）现在计入它们"
          "——{cells_zh}。",
          "'{label}': the spaces around {values_en} deleted, which the workbook's own formulas "
          "(the KPI sheet) now count — {cells_en}."),
    _rule("time_not_counted", W,
          "“{label}”有 {count} 个值在月末最后一天且带有时间：工作簿自己的公式（KPI 表）按日期"
          "比较，把它们算在该月之后而漏算；xlsales 按日期计算。请只保留日期——{cells_zh}（如在"
          "旁边一列用 =INT({cell}) 再“粘贴为数值”），只改单元格格式不够。",
          "'{label}': {values_en} on a month's last day with a time of day: the workbook's "
          "own formulas (the KPI sheet) compare dates and take them as after that month, "
          "leaving them out; xlsales counts them by their date. Keep the date only — "
          "{cells_en} (e.g. =INT({cell}) in a spare column, pasted back as values): a date "
          "format alone does not remove the time."),
    _rule("values_retyped", I,
          "“{label}”：{count} 个以文本输入的值已改写为数字或日期，工作簿自己的公式（KPI 表）现在"
          "计入它们——{cells_zh}。",
          "'{label}': {values_en} typed as text now retyped as numbers or dates, which the "
          "workbook's own formulas (the KPI sheet) count — {cells_en}."),
    _rule("choice_not_counted", W,
          "“{label}”有 {count} 个值的写法不是公式统计的（如 {cell} 的 {value!r}；公式统计的是"
          "“{expected}”）：xlsales 已按“{expected}”计算，但工作簿自己的公式（KPI 表）漏算"
          "它们。{fix_zh}",
          "'{label}': {values_en} spelled otherwise than the workbook's formulas count (e.g. "
          "{value!r} in {cell}; they count '{expected}'). xlsales counts them as "
          "'{expected}', but the workbook's own formulas (the KPI sheet) leave them out: "
          "{fix_en}"),
    _rule("missing_formula", W,
          "计算列“{label}”有 {count} 行没有公式（如 {cell}）：工作簿自己的公式（KPI 表）"
          "不计入这些行，xlsales kpis 则计入。请运行 xlsales validate {file} --write 恢复公式，"
          "或在 Excel 或 WPS 中把该列的公式向下填充到这些行。",
          "Calculated column '{label}': {rows_en} without its formula (e.g. {cell}): the "
          "workbook's own formulas (the KPI sheet) do not count such rows, while xlsales kpis "
          "does. Run `xlsales validate {file} --write` to restore the formulas, or fill the "
          "column's formula down in Excel or WPS."),
    _rule("kpi_sheet_missing", W,
          "工作簿中没有 KPI 表“{kpi_sheet}”（被删除了？）：工作簿自己不再计算 KPI。{errors_zh}"
          "xlsales kpis 按输入列计算，不受影响。xlsales validate --write 无法重建这个表：请从备份"
          "恢复本工作簿；或用 xlsales new --period {period} 新建工作簿，把各表的行（输入列）复制"
          "进去。",
          "The workbook has no KPI sheet '{kpi_sheet}' (deleted?): it no longer computes its "
          "KPIs.{errors_en} xlsales kpis computes from the input columns and is not affected. "
          "`xlsales validate --write` cannot rebuild the sheet: restore the workbook from a "
          "backup, or make a fresh one with `xlsales new --period {period}` and copy "
          "the tables' rows (input columns) into it."),
    _rule("calculated_error", W,
          "计算列“{label}”有 {count} 个单元格是错误值（如 {cell} 的 {value}）：工作簿自己的 KPI "
          "表引用这一列，会显示这个错误；xlsales kpis 按输入列计算，不受影响。请删除这些单元格的"
          "内容，再运行 xlsales validate {file} --write 恢复该列的公式；或在 Excel、WPS 或 "
          "LibreOffice 中选中上方正常的一格连同它们，按 Ctrl+D 向下填充公式。",
          "Calculated column '{label}': {cells_en} holding an error value (e.g. {value} in "
          "{cell}): the workbook's own KPI sheet adds this column up and shows the error, "
          "while xlsales kpis computes from the input columns. Clear those cells and run "
          "`xlsales validate {file} --write` to restore the column's formula, or in Excel, "
          "WPS or LibreOffice select a good cell above together with them and press Ctrl+D."),
    _rule("formula_restored", I,
          "计算列“{label}”：已在 {count} 行恢复公式（如 {cell}），KPI 表重新计入这些行。",
          "Calculated column '{label}': the formula restored in {rows_en} (e.g. {cell}); the "
          "KPI sheet counts them again."),
    # merged cells inside a table: only the merge's first cell holds its value
    _rule("merged_cells", E,
          "{range} 是合并单元格：只有第一个单元格 {cell} 有值{shown_zh}，{hidden_zh}在 Excel 和 "
          "LibreOffice 的公式、KPI 表和 xlsales 看来都是空的，尽管屏幕上显示着合并的值。{fix_zh}",
          "{range} is merged: only its first cell, {cell}, holds a value{shown_en}; to Excel's "
          "and LibreOffice's formulas, the KPI sheet and xlsales, {hidden_en} empty, though "
          "the merge shows its value there. {fix_en}"),
    _rule("merged_across", W,
          "{range} 是合并单元格：只有第一个单元格 {cell} 有值，{hidden_zh}在 Excel 和 LibreOffice "
          "的公式、KPI 表和 xlsales 看来都是空的。{fix_zh}",
          "{range} is merged: only its first cell, {cell}, holds a value; to Excel's and "
          "LibreOffice's formulas, the KPI sheet and xlsales, {hidden_en} empty. {fix_en}"),
    # a typed amount whose currency mark names another currency than the workbook's
    _rule("currency_mismatch", E,
          "“{label}” {value!r} 是 {marked} 金额，但本工作簿的币种是 {book}：请换算成 {book} 后只填"
          "数字（xlsales 从不换算货币）。若整个工作簿本就以该货币记账，请把“{info_sheet}”表的"
          "{field}改为该货币。",
          "'{label}' {value!r} is in {marked}, but this workbook is in {book}: convert it to "
          "{book} and type the number (xlsales never converts currencies). If the whole "
          "workbook is kept in that currency, set {field} on the {info_sheet} sheet to it "
          "instead."),
    _rule("currency_not_named", E,
          "“{label}” {value!r} 标明是 {marked}，但工作簿的币种（“{info_sheet}”表的{field}）不是"
          "可识别的货币：请填写货币代码（如 CNY）；其他货币的金额请换算后只填数字（xlsales 从不"
          "换算货币）。",
          "'{label}' {value!r} is marked {marked}, but this workbook's currency ({field} on the "
          "{info_sheet} sheet) names no currency: type its code (e.g. CNY); amounts in another "
          "currency must be converted and typed as numbers (xlsales never converts "
          "currencies)."),
    _rule("error_value", E, "“{label}”是错误值 {value}：请修正公式或重新填写。",
          "'{label}' holds the error value {value}: fix the formula or type the value."),
    # column rules from the spec
    _rule("required", E, "“{label}”必填，请填写。", "'{label}' is required: fill it in."),
    _rule("bad_number", E, "“{label}”应为数字，{value!r} 无法识别。",
          "'{label}' must be a number; {value!r} cannot be read."),
    _rule("amount_with_word", E,
          "“{label}”应为数字，{value!r} 无法识别：请只输入数字，以本工作簿的货币计（若是其他货币，"
          "请先换算再输入）。",
          "'{label}' must be a number; {value!r} cannot be read: type the number alone, in "
          "the workbook's currency (if it is in another currency, convert it first)."),
    _rule("currency_not_amount", E,
          "“{label}”应为不带货币的数字，{value!r} 带有货币符号或代码：若它是{label}，请输入 "
          "{number}；金额请填在金额列。",
          "'{label}' must be a number without a currency; {value!r} carries a currency mark "
          "or code: if it is the {label}, type {number}; an amount goes in an amount column."),
    _rule("decimal_comma", E,
          "“{label}”应为数字，{value!r} 无法识别：它像是欧洲格式的写法（逗号作小数点、点号分隔"
          "千位），若是 {meant}，请输入 {meant}。",
          "'{label}' must be a number; {value!r} cannot be read: it looks written as in Europe "
          "(a decimal comma, dots between thousands); if it is {meant}, type {meant}."),
    # in another currency than the book's (1.234,50 €): DECIMAL_COMMA_CURRENCY says so
    _rule("id_as_number", E,
          "“{label}” 是超过 15 位的数字（Excel 显示为 {value}）：Excel 只保存 15 位有效数字，"
          "更长的编号会被改动。请以文本重新输入（前面加英文单引号 '，或先把单元格设为文本格式）。",
          "'{label}' is a number of more than 15 digits (Excel shows {value}): Excel keeps 15 "
          "significant digits, so a longer ID gets changed. Type it again as text (with an "
          "apostrophe ' in front, or in a cell formatted as Text)."),
    _rule("number_too_long", E,
          "“{label}” {value!r} 的位数超过 15 位，Excel 和 xlsales 都无法精确保存：多半是编号或"
          "电话号码填进了这一列。请改为正确的数值。",
          "'{label}' {value!r} has more than 15 digits, more than Excel or xlsales keep "
          "exactly: most likely an ID or a phone number in this column. Type the right "
          "number."),
    _rule("bad_date", E, "“{label}”应为日期（如 2026-11-03），{value!r} 无法识别{why_zh}。",
          "'{label}' must be a date (e.g. 2026-11-03); {value!r} cannot be read{why_en}."),
    _rule("bad_month", E, "“{label}”应为月份（如 2026-11 或 2026-11-01），{value!r} 无法识别。"
          "{per_month_zh}",
          "'{label}' must be a month (e.g. 2026-11, Nov 2026 or 2026-11-01); {value!r} cannot "
          "be read.{per_month_en}"),
    _rule("below_minimum", E, "“{label}”不能小于 {minimum}，当前为 {value}。",
          "'{label}' cannot be below {minimum}; it is {value}."),
    _rule("above_maximum", E, "“{label}”不能大于 {maximum}，当前为 {value}。",
          "'{label}' cannot be above {maximum}; it is {value}."),
    _rule("calculated_field_error", E,
          "“{label}”（自动计算）显示错误值 {value}：它由 {inputs_zh} 算出，请检查这几项"
          "（日期请输入为日期，类型请从下拉列表选择），不要改动这个公式。",
          "'{label}' (calculated) shows the error {value}: it is computed from {inputs_en}; "
          "check those (a date typed as a date, a type picked from the drop-down list), and "
          "leave its formula as it is."),
    _rule("form_value_not_counted", W,
          "“{label}”填的是 {value!r}：xlsales 按 {read_as} 读取，但工作簿自己的公式按原样看待它："
          "周期结束会算错或显示 #VALUE!，KPI 表随之出错。请{how_zh}。",
          "'{label}' holds {value!r}: xlsales reads it as {read_as}, but the workbook's own "
          "formulas take it as typed: the period end comes out wrong or #VALUE!, and the KPI "
          "sheet with it. Please {how_en}."),
    _rule("not_whole", E, "“{label}”应为整数，当前为 {value}：请输入整数（如 2）。",
          "'{label}' must be a whole number; it is {value}: type a whole number (e.g. 2)."),
    _rule("percent_above_maximum", E,
          "“{label}”不能大于 {maximum}，当前为 {value}：若想写 {meant}，请输入 {meant}（带 %）"
          "或 {decimal}。",
          "'{label}' cannot be above {maximum}; it is {value}: if you meant {meant}, type "
          "{meant} (with the %) or {decimal}."),
    _rule("percent_over_100", W,
          "“{label}”为 {value}（超过 100%）：若想写 {meant}，请输入 {meant}（带 %）或 {decimal}。",
          "'{label}' is {value} (over 100%): if you meant {meant}, type {meant} (with the %) "
          "or {decimal}."),
    _rule("not_allowed", E, "“{label}”只能是 {allowed}，{value!r} 不在其中{hint_zh}。",
          "'{label}' must be one of {allowed}; {value!r} is not{hint_en}."),
    _rule("not_in_list", W,
          "“{label}” {value!r} 不在“设置”表的列表中{listed_zh}：请选择列表中的值{hint_zh}，"
          "或把它加入列表。",
          "'{label}' {value!r}{hint_en} is not in the list on the Settings sheet{listed_en}: "
          "pick a listed value or add it to the list."),
    # cross-field and cross-sheet rules
    _rule("duplicate_id", E, "“{label}” {value!r} 重复（也出现在第 {other_row} 行）。",
          "'{label}' {value!r} is duplicated (also on row {other_row})."),
    _rule("shared_id", W,
          "“{label}” {value!r} 在多个成员的行中（{holders}；也在第 {other_row} 行）：合并时已报告，"
          "按每个成员各计一次。若是同一笔订单只应计一次，请在成员工作簿中更正后重新合并。",
          "'{label}' {value!r} is in the rows of more than one member ({holders}; also on row "
          "{other_row}): reported when consolidating, it counts for each. If it is one order "
          "to count once, correct it in the members' workbooks and consolidate again."),
    _rule("counted_twice", E,
          "“{label}” {value!r} 是销售人员 {rep} 的同一笔订单，却在多个成员的行中（{members}；也在"
          "第 {other_row} 行），被重复计算（同一份工作簿合并进了两个成员？）：请把它从其中一个成员"
          "中移出，重新合并该成员及其上各级汇总。",
          "'{label}' {value!r}, one order of rep {rep}, is in the rows of more than one member "
          "({members}; also on row {other_row}) and counts twice (one workbook rolled up into "
          "two members?): take it out of one of them and consolidate that member and the "
          "roll-ups above it again."),
    _rule("rollup_incomplete", W,
          "本合并表缺少工作簿 {value} 的数据（{why_zh}）：它的数字不完整。{do_zh}。",
          "This roll-up lacks the data of workbook {value} ({why_en}): its figures are "
          "incomplete; {do_en}."),
    _rule("rollup_period_changed", E,
          "基础信息的周期是 {now_zh}，但本合并表的排名和销售记录的计算列（新客户、流失、上期价格"
          "等）是按 {then_zh} 计算的数值：KPI 表会按 {now_zh} 加总 {then_zh} 的数值，结果不对。"
          "请把各成员按 {now_zh} 重新合并（xlsales consolidate），或把周期改回 {then_zh}。",
          "The basic info names the period {now_en}, but this roll-up's ranking and its sales "
          "records' calculated columns (new customers, churn, previous prices …) are values "
          "computed for {then_en}: its KPI sheet would add up {then_en}'s values for "
          "{now_en}, and be wrong. Consolidate the members again for {now_en} (xlsales "
          "consolidate), or set the period back to {then_en}."),
    _rule("amount_mismatch", W, "金额 {value} 与 数量 × 单价 = {expected} 不符。",
          "Amount {value} differs from quantity × unit price = {expected}."),
    _rule("collected_exceeds_invoiced", E, "回款金额 {value} 大于开票金额 {invoiced}。",
          "Collected {value} is more than invoiced {invoiced}."),
    _rule("collected_without_invoiced", W,
          "回款金额 {value} 但开票金额为空：请填写开票金额（回款率 = 回款 ÷ 开票，空的开票金额"
          "让回款率偏高）。",
          "Collected {value} but the invoiced amount is empty: fill it in (the collection "
          "rate is collected ÷ invoiced, so an empty invoiced amount makes it run high)."),
    _rule("won_without_amount", E, "赢单记录必须填写金额。", "A won row needs an amount."),
    _rule("created_after_date", E,
          "创建日期 {value} 晚于该行的赢单日期 {date}：商机不能在创建之前赢单，销售周期会是负数、"
          "拉低平均销售周期。请检查两个日期是否填反或填错。",
          "Created {value} is after the row's won date {date}: a deal cannot be won before "
          "it was opened, and its sales cycle would be negative, pulling the average cycle "
          "down. Check whether the two dates are swapped or mistyped."),
    _rule("date_after_period", W, "日期 {value} 晚于本期结束日 {period_end}：请检查是否填错。",
          "Date {value} is after the period end {period_end}: check it."),
    _rule("date_before_history", W, "日期 {value} 早于历史窗口起点 {history_start}，不参与计算。",
          "Date {value} is before the history window start {history_start}; it is not used."),
    _rule("partial_history", W,
          "最早的销售记录日期是 {value}：{what_zh}（{compared}）只有 {covered}/{months} "
          "个月有记录，{ratio_zh}是与不完整的{what_zh}相比。若更早的记录漏填了，请补入"
          "（xlsales import）；否则请带着这一点读这个比率。",
          "The earliest sales record is dated {value}: the {what_en} ({compared}) has records "
          "for {covered} of its {months} months, so {ratio_en} compares with part of it. If "
          "earlier records are missing, add them (xlsales import); otherwise read that ratio "
          "with this in mind."),
    _rule("unknown_rep", E,
          "销售人员 {value!r} 不在“设置”表的销售人员名单中：请加入名单或改正姓名；若这些行"
          "是别人的（从同事的工作簿粘贴来的），请删除，不要改成自己的名字，否则团队汇总会把"
          "它们算两次。",
          "Rep {value!r} is not in the team list on the Settings sheet: add them or fix the "
          "name; rows that are someone else's (pasted from a colleague's workbook) should be "
          "deleted, not renamed to yours, or the team roll-up counts them twice."),
    _rule("former_rep", W,
          "销售人员 {value!r} 不在“设置”表的销售人员名单中：这是本期之前的历史记录"
          "（已离开的同事？），仍计入环比、同比等；若是笔误，请改正姓名。",
          "Rep {value!r} is not in the team list on the Settings sheet: a history row from "
          "before the period (someone who left?), still counted in growth figures; if the "
          "name is a typo, fix it."),
    _rule("after_rep_left", W,
          "日期 {value} 在 {rep} 离职（{left}，见“设置”表销售人员名单）之后：若是接手的同事的"
          "记录，请把销售人员改为其姓名；否则请改正日期或离职日期。",
          "Dated {value}, after {rep} left on {left} (the rep list of the Settings sheet): "
          "if the row is whoever took over, name them as its rep; else correct the date or "
          "the leaving date."),
    _rule("before_rep_joined", W,
          "日期 {value} 在 {rep} 入职（{joined}，见“设置”表销售人员名单）之前：若是其他同事的"
          "记录，请把销售人员改为其姓名；否则请改正日期或入职日期。",
          "Dated {value}, before {rep} joined on {joined} (the rep list of the Settings "
          "sheet): if the row is someone else's, name them as its rep; else correct the "
          "date or the joining date."),
    _rule("left_before_joined", W,
          "{rep} 的离职日期 {value} 早于入职日期 {joined}：请改正其中一个"
          "（计划不会给其分配目标）。",
          "{rep}'s leaving date {value} is before their joining date {joined}: correct one "
          "of them (the plan gives them no target)."),
    _rule("owner_left", W,
          "{rep} 已于 {left} 离职（见“设置”表销售人员名单），{what_zh}：请改派给在职的同事。",
          "{rep} left on {left} (the rep list of the Settings sheet), {what_en}: reassign "
          "it to someone on the team."),
    _rule("flagged_problem_incomplete", E, "纳入下期计划的问题必须填写“{label}”。",
          "A problem carried into the next plan needs '{label}'."),
    _rule("plan_due_outside", E, "截止日期 {value} 不在下期（{start} ~ {end}）内。",
          "Due date {value} is outside the next period ({start} – {end})."),
    _rule("plan_parts_differ", W,
          "计划目标 {target_id}（{period} {metric_zh}）{total} 与各人分解之和 {parts} 不符。"
          "下期工作簿（xlsales new --from）按各人的分解行取目标（即 {parts}）：若总数是对的，"
          "请改分解行，使其相加等于总数；否则把总数改为 {parts}。{also_zh}",
          "Plan target {target_id} ({period} {metric_en}) {total} differs from the sum of "
          "the reps' rows, {parts}. The next period's workbook (xlsales new --from) takes its "
          "targets from the reps' rows ({parts}): if the total is right, change those rows so "
          "that they add up to it; else set the total to {parts}.{also_en}"),
    _rule("plan_rep_parts_differ", W,
          "计划目标 {target_id}（{rep} 的 {period} {metric_zh}）{total} 与其本人在该期间内各行之和 "
          "{parts} 不符。下期工作簿（xlsales new --from）取{taken_zh}：请把两者改为一致。",
          "Plan target {target_id} ({rep}'s {period} {metric_en}) {total} differs from the "
          "sum of their rows inside it, {parts}. The next period's workbook (xlsales new "
          "--from) takes {taken_en}: make them agree."),
    _rule("period_missing", E, "基础信息缺少周期开始日期或周期类型，无法判断本期。",
          "Basic info has no period start or period type, so the period is unknown."),
    _rule("currency_unclear", W,
          "币种 {value!r} 不是唯一的一种货币（“元”可以是人民币、新台币或港币，“¥”是人民币或"
          "日元，“$”是多种美元）：请写货币代码，如 CNY、TWD、HKD、USD，合并和导出才能确定本"
          "工作簿的币种。",
          "The currency {value!r} names no one currency ('元' is the yuan, the New Taiwan or "
          "the Hong Kong dollar, '¥' the yuan or the yen, '$' any of the dollars): write its "
          "code, such as CNY, TWD, HKD or USD, so that roll-ups and the export can tell the "
          "workbook's currency."),
    _rule("currency_unknown", W,
          "币种 {value!r} 不是 ISO 4217 货币代码{near_zh}：请改为正确的代码（如 CNY、TWD、HKD、"
          "USD），否则合并时它与其他成员的币种不符而被排除，计划和导出的金额单位也随之出错。",
          "The currency {value!r} is no ISO 4217 currency code{near_en}: correct it (CNY, TWD, "
          "HKD, USD …); else a roll-up leaves the book out as in another currency, and plans "
          "and the export name that unit for its amounts."),
    _rule("period_start_unaligned", E,
          "周期类型为{kind_zh}，但周期开始 {value} 不是{kind_zh}的开始（{starts_zh}）：本工作簿"
          "按 {dates} 计算，却标为 {label}，与其他 {label} 的工作簿不是同一时段，合并和导出时"
          "会混在一起。请把周期开始改为 {fix_zh}；要按月汇总，请把周期类型改为月度。",
          "The period type is {kind_en} but the period start {value} is not the start of a "
          "{kind_en} ({starts_en}): this workbook counts {dates_en} yet is labelled {label}, "
          "not the dates of other {label} workbooks, and roll-ups and the export would mix "
          "them up. Change the period start to {fix_en}; for a month, set the period type "
          "to month."),
    _rule("period_start_day", E,
          "周期开始 {value} 不是月初：xlsales 按 {period}（{first} ~ {end}）计算，而工作簿的 "
          "KPI 表从 {value} 起算，两者会不一致。请改为 {first}。",
          "The period start {value} is not the first day of a month: xlsales counts {period} "
          "({first} to {end}) while the workbook's KPI sheet counts from {value}, so the two "
          "would differ. Change it to {first}."),
    _rule("target_in_two_books", W,
          "{rep} 的目标（{months_zh}）在本工作簿和 {other} 中都有设定：两个工作簿一起合并时，"
          "同一个人同一个月的目标只计一次。请确认两处一致，或只在其中一个工作簿中设定。",
          "{rep}'s target for {months_en} is set both in this workbook and in {other}: rolled "
          "up together, one person's target for a month counts once. Check the two agree, "
          "or set it in one of the workbooks only."),
])

#: A ``decimal_comma`` finding's message when the value's mark names another currency
#: than the workbook's (``1.234,50 €`` in a CNY book), as ``currency_mismatch`` says a
#: typed one: retyped as the number alone, it would count in the book's currency.
DECIMAL_COMMA_CURRENCY = (
    "“{label}”应为数字，{value!r} 无法识别：它像是欧洲格式的写法（逗号作小数点、点号分隔千位），"
    "且是 {marked} 金额，但本工作簿的币种是 {book}：若是 {meant} {marked}，请换算成 {book} 后只填"
    "数字（xlsales 从不换算货币）。",
    "'{label}' must be a number; {value!r} cannot be read: it looks written as in Europe "
    "(a decimal comma, dots between thousands), and is in {marked}, but this workbook is in "
    "{book}: if it is {meant} {marked}, convert it to {book} and type the number (xlsales "
    "never converts currencies).")

#: The rules of values and rows xlsales reads but the workbook's own formulas (its KPI
#: sheet) leave out or count otherwise (:mod:`xlsales.validation.formula_blind`, a period
#: start typed as text): where they are found, the figures of ``xlsales kpis`` and the
#: export differ from the book's KPI sheet (the export's ``kpi_sheet_differs``).
KPI_SHEET_BLIND = frozenset({"values_not_counted", "spaces_not_counted", "time_not_counted",
                             "rows_not_counted", "table_not_named", "choice_not_counted",
                             "form_value_not_counted"})
