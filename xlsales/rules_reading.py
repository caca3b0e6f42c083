"""The rules of reading a workbook's tables: a required column missing, columns and rows
beside or below a table, repeated headers, notes under it, a table found by its headers,
a value converted as it was read."""

from __future__ import annotations

from xlsales.rule_model import E, I, Rule, W, rule

#: The rules of reading a table, in the catalogue's order.
READING_RULES: dict[str, Rule] = dict([
    rule("missing_column", E, "表 {table} 缺少必填列“{label}”：{fix_zh}。",
         "Table {table} has no required column '{label}': {fix_en}."),
    rule("absent_column", W,
         "表 {table} 没有“{label}”列（被改名或删除了？）：依赖它的检查和 KPI 将为空。{fix_zh}。",
         "Table {table} has no '{label}' column (renamed or deleted?): the checks and KPIs "
         "that use it stay empty. {fix_en}."),
    rule("column_beside_table", W,
         "表格 {table} 右侧从 {cell} 起有 {count} 列紧挨着表格、但不在表格内：xlsales 不读取"
         "它们，下期工作簿（new --from）和合并也不会带上。请把表格扩展到这些列（在 Excel 或 "
         "WPS 中拖动表格右下角；在 LibreOffice 中用“数据 > 定义范围”把 {table} 的范围扩展到"
         "这些列）。",
         "{columns_en} from {cell} right beside table {table} but outside it: xlsales does "
         "not read what is there, and the next period's workbook (new --from) and roll-ups "
         "do not carry it. Extend the table over it (in Excel or WPS, drag the table's "
         "bottom-right corner; in LibreOffice, extend {table} over them with Data > Define "
         "Range)."),
    rule("header_repeated", W,
         "表格 {table} 中有 {count} 行是重复的表头（如第 {row} 行，粘贴数据时带上了表头？）："
         "xlsales 不把它当作数据，也不给它补公式。请删除这一行。",
         "{rows_en} of table {table} {repeat_en} its header (e.g. row {row}: pasted with the "
         "data?): xlsales does not read them as data, nor fills formulas into them. Delete "
         "them."),
    rule("table_by_header", I, "未找到名为 {table} 的表格，已按表头在第 {row} 行找到该表。",
         "No Excel Table named {table}; found it by its headers on row {row}."),
    rule("rows_below_table", I,
         "表格 {table} 下方（从 {cell} 起）还有 {count} 行数据，已一并读取；运行 xlsales validate "
         "--write 可把它们纳入表格。",
         "{rows_en} below table {table} (from {cell}) read too; `xlsales validate --write` "
         "takes them into the table."),
    # rows below a table after a blank row (or a note): --write takes in only those right
    # under it
    rule("rows_apart_from_table", I,
         "表格 {table} 下方（从 {cell} 起）还有 {count} 行数据，已一并读取，但它们与表格之间隔着"
         "空行或备注行，xlsales validate --write 不会把它们纳入表格。若是数据，请把它们移到紧接"
         "表格的下一行，再运行 xlsales validate --write；否则请把它们移到表格的列以外或删除。",
         "{rows_en} below table {table} (from {cell}) read too, but a blank row or a note "
         "parts them from the table, so `xlsales validate --write` does not take them in. "
         "If they are data, move them up right under the table and run `xlsales validate "
         "--write`; else move them off the table's columns or delete them."),
    # rows below a table's range filling none of the columns every row fills
    rule("note_below_table", I,
         "表格 {table} 下方的备注：xlsales 把从 {cell} 起的 {count} 行当作备注，而不是表格的行"
         "（不校验、不计入，也不带入下期），因为{why_zh}。{fix_zh}",
         "Notes below table {table}: xlsales reads {rows_en} from {cell} as notes, not rows "
         "of the table (not checked, counted or carried over), since {why_en}. {fix_en}"),
    rule("converted", I, "“{label}” {value!r}：{detail_zh}。",
         "'{label}' {value!r}: {detail_en}."),
])
