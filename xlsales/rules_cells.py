"""The rules of a cell's value: merged cells, currency marks, error values and the column
rules the spec declares (required, numbers, dates, months, limits, whole numbers,
percentages, allowed and listed choices)."""

from __future__ import annotations

from xlsales.rule_model import E, Rule, W, rule

#: The rules of a cell's value, in the catalogue's order.
CELL_RULES: dict[str, Rule] = dict([
    # merged cells inside a table: only the merge's first cell holds its value
    rule("merged_cells", E,
         "{range} 是合并单元格：只有第一个单元格 {cell} 有值{shown_zh}，{hidden_zh}在 Excel 和 "
         "LibreOffice 的公式、KPI 表和 xlsales 看来都是空的，尽管屏幕上显示着合并的值。{fix_zh}",
         "{range} is merged: only its first cell, {cell}, holds a value{shown_en}; to Excel's "
         "and LibreOffice's formulas, the KPI sheet and xlsales, {hidden_en} empty, though "
         "the merge shows its value there. {fix_en}"),
    rule("merged_across", W,
         "{range} 是合并单元格：只有第一个单元格 {cell} 有值，{hidden_zh}在 Excel 和 LibreOffice "
         "的公式、KPI 表和 xlsales 看来都是空的。{fix_zh}",
         "{range} is merged: only its first cell, {cell}, holds a value; to Excel's and "
         "LibreOffice's formulas, the KPI sheet and xlsales, {hidden_en} empty. {fix_en}"),
    # a typed amount whose currency mark names another currency than the workbook's
    rule("currency_mismatch", E,
         "“{label}” {value!r} 是 {marked} 金额，但本工作簿的币种是 {book}：请换算成 {book} 后只填"
         "数字（xlsales 从不换算货币）。若整个工作簿本就以该货币记账，请把“{info_sheet}”表的"
         "{field}改为该货币。",
         "'{label}' {value!r} is in {marked}, but this workbook is in {book}: convert it to "
         "{book} and type the number (xlsales never converts currencies). If the whole "
         "workbook is kept in that currency, set {field} on the {info_sheet} sheet to it "
         "instead."),
    rule("currency_not_named", E,
         "“{label}” {value!r} 标明是 {marked}，但工作簿的币种（“{info_sheet}”表的{field}）不是"
         "可识别的货币：请填写货币代码（如 CNY）；其他货币的金额请换算后只填数字（xlsales 从不"
         "换算货币）。",
         "'{label}' {value!r} is marked {marked}, but this workbook's currency ({field} on the "
         "{info_sheet} sheet) names no currency: type its code (e.g. CNY); amounts in another "
         "currency must be converted and typed as numbers (xlsales never converts "
         "currencies)."),
    rule("error_value", E, "“{label}”是错误值 {value}：请修正公式或重新填写。",
         "'{label}' holds the error value {value}: fix the formula or type the value."),
    # column rules from the spec
    rule("required", E, "“{label}”必填，请填写。", "'{label}' is required: fill it in."),
    rule("bad_number", E, "“{label}”应为数字，{value!r} 无法识别。",
         "'{label}' must be a number; {value!r} cannot be read."),
    rule("amount_with_word", E,
         "“{label}”应为数字，{value!r} 无法识别：请只输入数字，以本工作簿的货币计（若是其他货币，"
         "请先换算再输入）。",
         "'{label}' must be a number; {value!r} cannot be read: type the number alone, in "
         "the workbook's currency (if it is in another currency, convert it first)."),
    rule("currency_not_amount", E,
         "“{label}”应为不带货币的数字，{value!r} 带有货币符号或代码：若它是{label}，请输入 "
         "{number}；金额请填在金额列。",
         "'{label}' must be a number without a currency; {value!r} carries a currency mark "
         "or code: if it is the {label}, type {number}; an amount goes in an amount column."),
    rule("decimal_comma", E,
         "“{label}”应为数字，{value!r} 无法识别：它像是欧洲格式的写法（逗号作小数点、点号分隔"
         "千位），若是 {meant}，请输入 {meant}。",
         "'{label}' must be a number; {value!r} cannot be read: it looks written as in Europe "
         "(a decimal comma, dots between thousands); if it is {meant}, type {meant}."),
    # in another currency than the book's (1.234,50 €): DECIMAL_COMMA_CURRENCY says so
    rule("id_as_number", E,
         "“{label}” 是超过 15 位的数字（Excel 显示为 {value}）：Excel 只保存 15 位有效数字，"
         "更长的编号会被改动。请以文本重新输入（前面加英文单引号 '，或先把单元格设为文本格式）。",
         "'{label}' is a number of more than 15 digits (Excel shows {value}): Excel keeps 15 "
         "significant digits, so a longer ID gets changed. Type it again as text (with an "
         "apostrophe ' in front, or in a cell formatted as Text)."),
    rule("number_too_long", E,
         "“{label}” {value!r} 的位数超过 15 位，Excel 和 xlsales 都无法精确保存：多半是编号或"
         "电话号码填进了这一列。请改为正确的数值。",
         "'{label}' {value!r} has more than 15 digits, more than Excel or xlsales keep "
         "exactly: most likely an ID or a phone number in this column. Type the right "
         "number."),
    rule("bad_date", E, "“{label}”应为日期（如 2026-11-03），{value!r} 无法识别{why_zh}。",
         "'{label}' must be a date (e.g. 2026-11-03); {value!r} cannot be read{why_en}."),
    rule("bad_month", E, "“{label}”应为月份（如 2026-11 或 2026-11-01），{value!r} 无法识别。"
         "{per_month_zh}",
         "'{label}' must be a month (e.g. 2026-11, Nov 2026 or 2026-11-01); {value!r} cannot "
         "be read.{per_month_en}"),
    rule("below_minimum", E, "“{label}”不能小于 {minimum}，当前为 {value}。",
         "'{label}' cannot be below {minimum}; it is {value}."),
    rule("above_maximum", E, "“{label}”不能大于 {maximum}，当前为 {value}。",
         "'{label}' cannot be above {maximum}; it is {value}."),
    rule("calculated_field_error", E,
         "“{label}”（自动计算）显示错误值 {value}：它由 {inputs_zh} 算出，请检查这几项"
         "（日期请输入为日期，类型请从下拉列表选择），不要改动这个公式。",
         "'{label}' (calculated) shows the error {value}: it is computed from {inputs_en}; "
         "check those (a date typed as a date, a type picked from the drop-down list), and "
         "leave its formula as it is."),
    rule("form_value_not_counted", W,
         "“{label}”填的是 {value!r}：xlsales 按 {read_as} 读取，但工作簿自己的公式按原样看待它："
         "周期结束会算错或显示 #VALUE!，KPI 表随之出错。请{how_zh}。",
         "'{label}' holds {value!r}: xlsales reads it as {read_as}, but the workbook's own "
         "formulas take it as typed: the period end comes out wrong or #VALUE!, and the KPI "
         "sheet with it. Please {how_en}."),
    rule("not_whole", E, "“{label}”应为整数，当前为 {value}：请输入整数（如 2）。",
         "'{label}' must be a whole number; it is {value}: type a whole number (e.g. 2)."),
    rule("percent_above_maximum", E,
         "“{label}”不能大于 {maximum}，当前为 {value}：若想写 {meant}，请输入 {meant}（带 %）"
         "或 {decimal}。",
         "'{label}' cannot be above {maximum}; it is {value}: if you meant {meant}, type "
         "{meant} (with the %) or {decimal}."),
    rule("percent_over_100", W,
         "“{label}”为 {value}（超过 100%）：若想写 {meant}，请输入 {meant}（带 %）或 {decimal}。",
         "'{label}' is {value} (over 100%): if you meant {meant}, type {meant} (with the %) "
         "or {decimal}."),
    rule("not_allowed", E, "“{label}”只能是 {allowed}，{value!r} 不在其中{hint_zh}。",
         "'{label}' must be one of {allowed}; {value!r} is not{hint_en}."),
    rule("not_in_list", W,
         "“{label}” {value!r} 不在“设置”表的列表中{listed_zh}：请选择列表中的值{hint_zh}，"
         "或把它加入列表。",
         "'{label}' {value!r}{hint_en} is not in the list on the Settings sheet{listed_en}: "
         "pick a listed value or add it to the list."),
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
